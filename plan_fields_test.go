package ducha_test

import (
	"testing"

	"ducha"
)

// TestPlanFieldsByRole walks every plan field for every role that may plan,
// on a registered problem already handed to unit A (the coordinator set a
// deadline, a leader and a mode) and on one where those were left blank:
// a unit fills in person, measures and target and any blank the county left,
// and changes nothing the county decided; the coordinator changes anything.
func TestPlanFieldsByRole(t *testing.T) {
	type edit struct {
		field string
		set   func(in *ducha.ProblemAction)
	}
	edits := []edit{
		{"lead_unit", func(in *ducha.ProblemAction) { in.LeadUnitID, in.LeadUnitName = unitC, "县生态环境局" }},
		{"coop_units", func(in *ducha.ProblemAction) {
			in.CoopUnitIDs, in.CoopUnitNames = []int64{unitC}, []string{"县生态环境局"}
		}},
		{"coop_units", func(in *ducha.ProblemAction) { in.CoopUnitIDs, in.CoopUnitNames = []int64{}, []string{} }},
		{"coop_units", func(in *ducha.ProblemAction) { in.CoopUnitIDs = []int64{unitB, unitC} }},
		{"leader", func(in *ducha.ProblemAction) { in.Leader = "王副县长" }},
		{"mode", func(in *ducha.ProblemAction) { in.Mode = ducha.ModeLongTerm }},
		{"deadline", func(in *ducha.ProblemAction) { in.Deadline = "2027-06-30" }},
		{"person", func(in *ducha.ProblemAction) { in.Person = "赵六" }},
		{"measures", func(in *ducha.ProblemAction) { in.Measures = "覆盖防尘网" }},
		{"target", func(in *ducha.ProblemAction) { in.Target = "扬尘达标" }},
	}
	// What the unit may change where the county already set the field.
	unitMay := map[string]bool{"person": true, "measures": true, "target": true}
	coord := &ducha.User{ID: 2, Username: "coord", Role: ducha.RoleCoordinator}
	planners := []*ducha.User{
		coord,
		{ID: 1, Username: "admin", Role: ducha.RoleAdmin},
		{ID: 3, Username: "a", Role: ducha.RoleUnitLiaison, UnitID: unitA},
		{ID: 4, Username: "ah", Role: ducha.RoleUnitHead, UnitID: unitA},
	}
	handed := func(status ducha.ProblemStatus, blank bool) ducha.Problem {
		p := problemIn(ducha.StatusInProgress)
		p.Status, p.Leader = status, "县长"
		if blank {
			p.Leader, p.Mode, p.Deadline, p.OriginalDeadline = "", "", "", ""
		}
		return p
	}
	for _, u := range planners {
		for _, status := range []ducha.ProblemStatus{ducha.StatusRegistered, ducha.StatusInProgress} {
			for _, blank := range []bool{false, true} {
				for _, e := range edits {
					p := handed(status, blank)
					in := ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version}
					e.set(&in)
					before := p
					err := ducha.ApplyProblemAction(&p, in, u, now)
					mayBlank := blank && e.field == "deadline"
					allowed := !u.Role.UnitScoped() || unitMay[e.field] || mayBlank
					name := u.Username + " " + string(status) + " " + e.field
					if blank {
						name += " (blank)"
					}
					if !allowed {
						de, _ := err.(*ducha.Error)
						if ducha.ErrorCode(err) != ducha.EFORBIDDEN || de == nil || de.Fields[e.field] == "" {
							t.Errorf("%s: %v, want forbidden naming %s", name, err, e.field)
						}
						if p.LeadUnitID != before.LeadUnitID || len(p.CoopUnitIDs) != len(before.CoopUnitIDs) || p.Deadline != before.Deadline ||
							p.Mode != before.Mode || p.Leader != before.Leader || p.Status != before.Status {
							t.Errorf("%s: refused but the problem changed", name)
						}
						continue
					}
					// A blank time-bound plan still needs its deadline.
					if blank && e.field != "deadline" && e.field != "mode" {
						if ducha.ErrorCode(err) != ducha.EINVALID {
							t.Errorf("%s: %v, want the missing deadline", name, err)
						}
						continue
					}
					if err != nil {
						t.Errorf("%s: %v, want success", name, err)
						continue
					}
					if p.Status != ducha.StatusInProgress {
						t.Errorf("%s: status %s", name, p.Status)
					}
				}
			}
		}
	}
}

// TestPlanNamesEveryMissingField: a plan that lacks several things says all
// of them at once instead of one per try.
func TestPlanNamesEveryMissingField(t *testing.T) {
	p := problemIn(ducha.StatusRegistered)
	err := ducha.ApplyProblemAction(&p, ducha.ProblemAction{Action: ducha.ActPlan, Version: 3}, actors[1].user, now)
	de, ok := err.(*ducha.Error)
	if !ok || de.Code != ducha.EINVALID {
		t.Fatalf("%v, want invalid", err)
	}
	for _, f := range []string{"lead_unit", "person", "measures", "deadline"} {
		if de.Fields[f] == "" {
			t.Errorf("field %s not named: %v", f, de.Fields)
		}
	}
	if p.Status != ducha.StatusRegistered {
		t.Errorf("status %s, want registered", p.Status)
	}
}

// A deadline already past is taken when the user confirms it, and the
// history of a decision on an extension says its outcome and reason.
func TestPastDeadlineAndDecisionNote(t *testing.T) {
	p := problemIn(ducha.StatusRegistered)
	in := validInput(ducha.ActPlan)
	in.Deadline, in.ConfirmPastDeadline = "2026-12-09", true
	if err := ducha.ApplyProblemAction(&p, in, actors[1].user, now); err != nil || p.Deadline != "2026-12-09" {
		t.Fatalf("confirmed past deadline: %v %s", err, p.Deadline)
	}
	if got := ducha.ExtensionDecisionNote(true, "2027-01-31", "冬季停工属实"); got != "同意延期至2027-01-31：冬季停工属实" {
		t.Errorf("approval note %q", got)
	}
	if got := ducha.ExtensionDecisionNote(false, "2027-01-31", "理由不充分"); got != "不同意延期：理由不充分" {
		t.Errorf("refusal note %q", got)
	}
}
