package http_test

import (
	"encoding/json"
	"testing"
	"time"

	"ducha"
)

// TestAttack3ScheduleBehindCacheAfterPeriodChange: a new reporting period
// (rules.progress_period_months) recomputes every problem's behind_from in
// UpdateCampaign, but the only event that write appends is the campaign's,
// which ProblemChanges counts among the entities that never move a problem
// list. The list cache then keeps the page of schedule=behind it read
// before the change, so the ledger answers the old schedule.
func TestAttack3ScheduleBehindCacheAfterPeriodChange(t *testing.T) {
	e := newEnv(t)
	p := &ducha.Problem{Source: "自查发现", Description: "永清镇河道长效保洁", Area: "永清镇", Types: []string{"水"}}
	if err := e.db.CreateProblem(system, p); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ActOnProblem(system, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version,
		LeadUnit: "永清镇", Person: "李四", Measures: "常态化保洁", Mode: ducha.ModeLongTerm, CoopUnits: []ducha.UnitRef{}}); err != nil {
		t.Fatalf("plan: %v", err)
	}
	// Planned 2026-12-10. With quarters it is behind from 2027-04-01, with
	// months from 2027-02-01: on 2027-03-01 only the monthly rule says behind.
	e.clock.Add(81 * 24 * time.Hour)

	list := func() (int, []int64) {
		t.Helper()
		resp, body := e.api("GET", "/api/v1/problems?schedule=behind", "coordinator", "")
		if resp.StatusCode != 200 {
			t.Fatalf("list: %d %s", resp.StatusCode, body)
		}
		var out struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, it := range out.Items {
			ids = append(ids, it.ID)
		}
		return out.Total, ids
	}
	if n, ids := list(); n != 0 {
		t.Fatalf("behind under quarters: %d %v", n, ids)
	}
	list() // cached

	c, err := e.db.CurrentCampaign(system)
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Rules
	rules.ProgressPeriodMonths = 1
	if _, err := e.db.UpdateCampaign(system, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules}); err != nil {
		t.Fatalf("rules: %v", err)
	}
	// The store itself says behind now.
	got, err := e.db.FindProblemByID(system, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.BehindSchedule {
		t.Fatalf("the store does not judge it behind under monthly reports: behind_from %s", got.BehindFrom)
	}
	n, ids := list()
	if n != 1 || len(ids) != 1 || ids[0] != p.ID {
		t.Errorf("schedule=behind after the period changed to a month: total %d %v, want problem %d (a stale cached page)", n, ids, p.ID)
	}
}
