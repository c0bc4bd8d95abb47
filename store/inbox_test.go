package store_test

import (
	"fmt"
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// inboxOf returns a user's inbox as "kind:title" counts and the items.
func inboxOf(t *testing.T, db *store.DB, f *storetest.Fixture, who string) *ducha.Inbox {
	t.Helper()
	in, err := db.Inbox(storetest.As(f.Users[who]), false)
	if err != nil {
		t.Fatalf("%s's inbox: %v", who, err)
	}
	n, err := db.Inbox(storetest.As(f.Users[who]), true)
	if err != nil || n.Total != in.Total || len(n.Items) != 0 || fmt.Sprint(n.Counts) != fmt.Sprint(in.Counts) {
		t.Fatalf("%s's count %+v, inbox %+v: %v", who, n, in.Counts, err)
	}
	for k, v := range in.Counts {
		if v == 0 {
			delete(in.Counts, k) // compared without the kinds of the role that have none
		}
	}
	return in
}

// Each role's to-dos, within its unit: a liaison's notices, overdue and
// due-soon items, returns and unsigned hand-overs; the coordinator's
// answers to review, rectifications to verify, extensions to decide,
// unsigned hand-overs and answered notices. Reading writes nothing.
func TestInbox(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq := storetest.As(f.Users["liaison_yq"])
		late := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08")   // overdue
		soon := newProblem(t, db, f, "永清镇", "河道垃圾", "2026-12-12")   // due within 3 days
		newProblem(t, db, f, "永清镇", "露天焚烧", "2026-12-30")           // neither
		other := newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-01") // another unit's
		issued, _ := supervise(t, db, coord, "2026-12-10")          // 催办 for late and other
		if len(issued) != 2 {
			t.Fatalf("issued %d", len(issued))
		}
		// soon: applied for closure and returned; 露天焚烧 asks for more time.
		soon, err := db.ActOnProblem(yq, soon.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已清理", Version: soon.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(coord, soon.ID, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "仍有垃圾", Version: soon.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(storetest.As(f.Users["liaison_hb"]), other.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure,
			Text: "已整改", Version: other.Version}); err != nil {
			t.Fatal(err)
		}
		ps, _, _ := db.FindProblems(yq, ducha.ProblemFilter{Q: "露天焚烧"})
		if _, err := db.ActOnProblem(yq, ps[0].ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Deadline: "2027-01-30",
			Reason: "冬季施工困难", Version: ps[0].Version}); err != nil {
			t.Fatal(err)
		}
		// A case handed to 永清镇, not signed for.
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", false)}); err != nil {
			t.Fatal(err)
		}
		act(t, db, coord, "D3SX202612090001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		mark, _ := db.EventMark(storetest.System())

		in := inboxOf(t, db, f, "liaison_yq")
		want := map[string]int{ducha.InboxNotice: 1, ducha.InboxOverdue: 1, ducha.InboxDueSoon: 1, ducha.InboxReturned: 1, ducha.InboxToSign: 1}
		if fmt.Sprint(in.Counts) != fmt.Sprint(want) || in.Total != 5 || len(in.Items) != 5 {
			t.Errorf("liaison_yq: %v total %d items %d", in.Counts, in.Total, len(in.Items))
		}
		kinds := map[string]ducha.InboxItem{}
		for _, it := range in.Items {
			kinds[it.Kind] = it
		}
		if kinds[ducha.InboxOverdue].ProblemID != late.ID || kinds[ducha.InboxReturned].ProblemID != soon.ID ||
			kinds[ducha.InboxDueSoon].ProblemID != soon.ID || kinds[ducha.InboxNotice].NoticeID == 0 || kinds[ducha.InboxToSign].CaseID == 0 {
			t.Errorf("liaison_yq items %+v", in.Items)
		}
		if kinds[ducha.InboxReturned].Note != "仍有垃圾" || kinds[ducha.InboxOverdue].Note != "" {
			t.Errorf("a return says its reason, nothing else says anything: %+v, %+v", kinds[ducha.InboxReturned], kinds[ducha.InboxOverdue])
		}
		if kinds[ducha.InboxOverdue].Due != "2026-12-08" || kinds[ducha.InboxOverdue].Title == "" {
			t.Errorf("overdue item %+v", kinds[ducha.InboxOverdue])
		}
		if !slices.IsSortedFunc(in.Items, func(a, b ducha.InboxItem) int { return b.At.Compare(a.At) }) {
			t.Errorf("not newest first: %+v", in.Items)
		}
		// The head sees the unit's to-dos; 红堡镇 only its own notice and
		// overdue problem (awaiting verification, it is still late).
		if h := inboxOf(t, db, f, "head_yq"); h.Total != 5 {
			t.Errorf("head_yq: %v", h.Counts)
		}
		hb := inboxOf(t, db, f, "liaison_hb")
		if fmt.Sprint(hb.Counts) != fmt.Sprint(map[string]int{ducha.InboxNotice: 1, ducha.InboxOverdue: 1}) {
			t.Errorf("liaison_hb: %v", hb.Counts)
		}
		for _, it := range hb.Items {
			if it.ProblemID == late.ID || it.ProblemID == soon.ID || it.CaseID != 0 {
				t.Errorf("liaison_hb sees another unit's %+v", it)
			}
		}
		c := inboxOf(t, db, f, "coord")
		want = map[string]int{ducha.InboxToVerify: 1, ducha.InboxExtension: 1, ducha.InboxToSign: 1}
		if fmt.Sprint(c.Counts) != fmt.Sprint(want) {
			t.Errorf("coord: %v", c.Counts)
		}
		if l := inboxOf(t, db, f, "leader"); l.Total != 0 {
			t.Errorf("leader: %v", l.Counts)
		}
		// Signing the case and the notice, and answering it, moves them.
		act(t, db, yq, "D3SX202612090001", ducha.CaseAction{Action: ducha.CaseActSign})
		n := kinds[ducha.InboxNotice]
		if _, err := db.ActOnNotice(yq, n.NoticeID, ducha.NoticeActSign, 0, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnNotice(yq, n.NoticeID, ducha.NoticeActAnswer, 0, "正在整改"); err != nil {
			t.Fatal(err)
		}
		if in := inboxOf(t, db, f, "liaison_yq"); in.Counts[ducha.InboxNotice] != 0 || in.Counts[ducha.InboxToSign] != 0 || in.Total != 3 {
			t.Errorf("after signing: %v", in.Counts)
		}
		if c := inboxOf(t, db, f, "coord"); c.Counts[ducha.InboxNotice] != 1 || c.Counts[ducha.InboxToSign] != 0 {
			t.Errorf("coord after answer: %v", c.Counts)
		}
		// Reading the inboxes wrote no event.
		mark2, _ := db.EventMark(storetest.System())
		if mark2.ID != mark.ID+3 {
			t.Errorf("events %d → %d, want the three actions only", mark.ID, mark2.ID)
		}
	})
}

// Yellow warnings follow the current campaign's yellow_days: lists,
// counts and the inbox, as soon as the rules change.
func TestYellowDaysFollowRules(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		yq := storetest.As(f.Users["liaison_yq"])
		newProblem(t, db, f, "永清镇", "河道垃圾", "2026-12-12")
		newProblem(t, db, f, "永清镇", "露天焚烧", "2026-12-16")
		yellow := func() (int, int) {
			ps, total, err := db.FindProblems(yq, ducha.ProblemFilter{Warning: ducha.WarningYellow})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.Warning != ducha.WarningYellow {
					t.Errorf("%s listed yellow, derived %q", p.Code, p.Warning)
				}
			}
			return total, inboxOf(t, db, f, "liaison_yq").Counts[ducha.InboxDueSoon]
		}
		if n, in := yellow(); n != 1 || in != 1 || db.YellowDays() != 3 {
			t.Fatalf("3 days: %d listed, %d in the inbox", n, in)
		}
		c := f.Campaign
		rules := c.Rules
		rules.YellowDays = 7
		if _, err := db.UpdateCampaign(storetest.System(), c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules}); err != nil {
			t.Fatal(err)
		}
		if n, in := yellow(); n != 2 || in != 2 || db.YellowDays() != 7 {
			t.Fatalf("7 days: %d listed, %d in the inbox", n, in)
		}
		ps, _, _ := db.FindProblems(yq, ducha.ProblemFilter{Q: "露天焚烧"})
		if len(ps) != 1 || ps[0].Warning != ducha.WarningYellow {
			t.Errorf("derived warning %+v", ps)
		}
	})
}
