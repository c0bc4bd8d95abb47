package ducha_test

import (
	"testing"
	"time"

	"ducha"
)

var now = time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC) // 10:00 in the county

const (
	unitA = 1 // lead unit
	unitB = 2 // cooperating unit
	unitC = 3 // unrelated unit
)

func problemIn(status ducha.ProblemStatus) ducha.Problem {
	p := ducha.Problem{ID: 7, Status: status, Description: "扬尘", Source: "自查发现", Mode: ducha.ModeTimeBound,
		LeadUnitID: unitA, LeadUnit: "永清镇", CoopUnitIDs: []int64{unitB}, CoopUnits: []string{"红堡镇"},
		Person: "张三", Measures: "整治", Deadline: "2026-12-20", OriginalDeadline: "2026-12-20", Version: 3}
	if status == ducha.StatusRegistered {
		p.LeadUnitID, p.LeadUnit, p.CoopUnitIDs, p.CoopUnits, p.Person, p.Measures, p.Deadline, p.OriginalDeadline = 0, "", nil, nil, "", "", "", ""
	}
	if status == ducha.StatusClosed {
		t := now.Add(-time.Hour)
		p.ClosedAt = &t
	}
	if status == ducha.StatusPublicity {
		signed := now.Add(-48 * time.Hour)
		p.Closure.Levels = []ducha.LevelSignoff{{Level: "县级", By: "coord", At: signed}}
		p.Closure.Publicity = &ducha.Publicity{From: "2026-12-08", To: "2026-12-21", Days: 10, WorkingDays: true}
	}
	return p
}

// validInput is an input each action accepts in a state that allows it.
func validInput(action string) ducha.ProblemAction {
	yes := true
	in := ducha.ProblemAction{Action: action, Version: 3}
	switch action {
	case ducha.ActPlan:
		in.LeadUnitID, in.LeadUnitName, in.Person, in.Measures, in.Deadline = unitA, "永清镇", "李四", "拆除", "2026-12-25"
	case ducha.ActProgress, ducha.ActApplyClosure:
		in.Text = "已完成"
	case ducha.ActReturn, ducha.ActReopen:
		in.Reason = "证据不足"
	case ducha.ActObject:
		in.Text = "群众反映仍有异味"
	case ducha.ActRequestExtension:
		in.Deadline, in.Reason = "2027-01-31", "冬季停工"
	case ducha.ActDecideExtension:
		in.Approve = &yes
	}
	return in
}

// from lists the states each action may start from (with valid input).
var from = map[string][]ducha.ProblemStatus{
	ducha.ActPlan:             {ducha.StatusRegistered, ducha.StatusInProgress},
	ducha.ActProgress:         {ducha.StatusInProgress, ducha.StatusPendingVerification},
	ducha.ActApplyClosure:     {ducha.StatusInProgress},
	ducha.ActVerify:           {ducha.StatusPendingVerification},
	ducha.ActReturn:           {ducha.StatusPendingVerification},
	ducha.ActReopen:           {ducha.StatusClosed},
	ducha.ActRequestExtension: {ducha.StatusInProgress},
	ducha.ActDecideExtension:  {ducha.StatusInProgress, ducha.StatusPendingVerification}, // needs a pending request, set below
	ducha.ActSignoff:          {},                                                        // needs an application waiting for it: TestHeadSignoff
	ducha.ActObject:           {ducha.StatusPublicity},
}

// to is the state each action leads to.
var to = map[string]func(ducha.ProblemStatus) ducha.ProblemStatus{
	ducha.ActPlan:             func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusInProgress },
	ducha.ActProgress:         func(s ducha.ProblemStatus) ducha.ProblemStatus { return s },
	ducha.ActApplyClosure:     func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusPendingVerification },
	ducha.ActVerify:           func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusClosed },
	ducha.ActReturn:           func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusInProgress },
	ducha.ActReopen:           func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusInProgress },
	ducha.ActRequestExtension: func(s ducha.ProblemStatus) ducha.ProblemStatus { return s },
	ducha.ActDecideExtension:  func(s ducha.ProblemStatus) ducha.ProblemStatus { return s },
	ducha.ActObject:           func(ducha.ProblemStatus) ducha.ProblemStatus { return ducha.StatusInProgress },
}

// countyActions are every action but the unit head's sign-off.
var countyActions = func() []string {
	var out []string
	for _, a := range ducha.ProblemActions {
		if a != ducha.ActSignoff {
			out = append(out, a)
		}
	}
	return out
}()

type actor struct {
	name string
	user *ducha.User
	// may lists the actions this actor may take on the problem.
	may map[string]bool
}

func set(actions ...string) map[string]bool {
	m := map[string]bool{}
	for _, a := range actions {
		m[a] = true
	}
	return m
}

var actors = []actor{
	{"admin", &ducha.User{ID: 1, Username: "admin", Role: ducha.RoleAdmin}, set(countyActions...)},
	{"coordinator", &ducha.User{ID: 2, Username: "coord", Role: ducha.RoleCoordinator}, set(countyActions...)},
	{"lead liaison", &ducha.User{ID: 3, Username: "a", Role: ducha.RoleUnitLiaison, UnitID: unitA},
		set(ducha.ActPlan, ducha.ActProgress, ducha.ActApplyClosure, ducha.ActRequestExtension)},
	{"lead head", &ducha.User{ID: 4, Username: "ah", Role: ducha.RoleUnitHead, UnitID: unitA},
		set(ducha.ActPlan, ducha.ActProgress, ducha.ActApplyClosure, ducha.ActRequestExtension, ducha.ActSignoff)},
	{"cooperating liaison", &ducha.User{ID: 5, Username: "b", Role: ducha.RoleUnitLiaison, UnitID: unitB}, set(ducha.ActProgress)},
	{"other liaison", &ducha.User{ID: 6, Username: "c", Role: ducha.RoleUnitLiaison, UnitID: unitC}, set()},
	{"discipline", &ducha.User{ID: 7, Username: "d", Role: ducha.RoleDiscipline}, set()},
	{"leader", &ducha.User{ID: 8, Username: "l", Role: ducha.RoleLeader}, set()},
	{"disabled coordinator", &ducha.User{ID: 9, Username: "x", Role: ducha.RoleCoordinator, Disabled: true}, set()},
}

// TestEveryTransition walks every action from every state for every actor:
// the result is allowed, forbidden or refused by state exactly as the
// tables above say, and a refused action leaves the problem as it was.
func TestEveryTransition(t *testing.T) {
	for _, a := range actors {
		for _, action := range ducha.ProblemActions {
			for _, status := range ducha.ProblemStatuses {
				p := problemIn(status)
				if action == ducha.ActDecideExtension {
					p.Extension = &ducha.Extension{Deadline: "2027-01-31", Reason: "冬季"}
				}
				in := validInput(action)
				if action == ducha.ActPlan && a.user.Role.UnitScoped() && p.Deadline.Valid() {
					in.Deadline = p.Deadline // a unit keeps the deadline it was given
				}
				// A unit acts only on a problem already handed to it.
				allowedByRole := a.may[action] && !(a.user.Role.UnitScoped() && p.LeadUnitID == 0)
				allowedByState := false
				for _, s := range from[action] {
					allowedByState = allowedByState || s == status
				}
				// 立行立改 is not the mode here, so verify needs pending_verification.
				before := p
				err := ducha.ApplyProblemAction(&p, in, a.user, now)
				switch {
				case !allowedByRole:
					if ducha.ErrorCode(err) != ducha.EFORBIDDEN {
						t.Errorf("%s %s from %s: %v, want forbidden", a.name, action, status, err)
					}
				case !allowedByState:
					if ducha.ErrorCode(err) != ducha.ECONFLICT {
						t.Errorf("%s %s from %s: %v, want a state conflict", a.name, action, status, err)
					}
				default:
					if err != nil {
						t.Errorf("%s %s from %s: %v, want success", a.name, action, status, err)
					} else if p.Status != to[action](status) {
						t.Errorf("%s %s from %s: now %s, want %s", a.name, action, status, p.Status, to[action](status))
					}
				}
				if err != nil && (p.Status != before.Status || p.Version != before.Version || p.Progress != before.Progress) {
					t.Errorf("%s %s from %s: refused but the problem changed", a.name, action, status)
				}
			}
		}
	}
}

func TestGuards(t *testing.T) {
	coord := actors[1].user
	liaison := actors[2].user
	no := false
	cases := []struct {
		name   string
		status ducha.ProblemStatus
		edit   func(p *ducha.Problem, in *ducha.ProblemAction)
		user   *ducha.User
		code   string
		field  string
	}{
		{"return needs a reason", ducha.StatusPendingVerification, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActReturn); in.Reason = "  " }, coord, ducha.EINVALID, "reason"},
		{"reopen needs a reason", ducha.StatusClosed, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActReopen); in.Reason = "" }, coord, ducha.EINVALID, "reason"},
		{"progress needs text", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActProgress); in.Text = "" }, liaison, ducha.EINVALID, "text"},
		{"closure needs text", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActApplyClosure); in.Text = "" }, liaison, ducha.EINVALID, "text"},
		{"plan needs a lead unit", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActPlan); in.LeadUnitID = 0 }, coord, ducha.EINVALID, "lead_unit"},
		{"plan needs a person", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActPlan); in.Person = "" }, coord, ducha.EINVALID, "person"},
		{"plan needs measures", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActPlan); in.Measures = "" }, coord, ducha.EINVALID, "measures"},
		{"time-bound plan needs a deadline", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActPlan); in.Deadline = "" }, coord, ducha.EINVALID, "deadline"},
		{"bad mode", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActPlan); in.Mode = "随便" }, coord, ducha.EINVALID, "mode"},
		{"coop equals lead", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActPlan)
			in.CoopUnitIDs, in.CoopUnitNames = []int64{unitA}, []string{"永清镇"}
		}, coord, ducha.EINVALID, "coop_units"},
		{"liaison cannot hand the problem to another unit", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActPlan)
			in.LeadUnitID = unitC
		}, liaison, ducha.EFORBIDDEN, ""},
		{"liaison cannot move a set deadline", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActPlan)
			in.Deadline = "2027-06-30"
		}, liaison, ducha.EFORBIDDEN, "deadline"},
		{"extension after the deadline", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Deadline = "2026-12-09"
			*in = validInput(ducha.ActRequestExtension)
		}, liaison, ducha.EINVALID, "deadline"},
		{"extension to an earlier day", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActRequestExtension)
			in.Deadline = "2026-12-15"
		}, liaison, ducha.EINVALID, "deadline"},
		{"extension needs a reason", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActRequestExtension)
			in.Reason = ""
		}, liaison, ducha.EINVALID, "reason"},
		{"extension without a deadline", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Deadline = ""
			*in = validInput(ducha.ActRequestExtension)
		}, liaison, ducha.EINVALID, "deadline"},
		{"second extension while one is pending", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Extension = &ducha.Extension{Deadline: "2027-01-01"}
			*in = validInput(ducha.ActRequestExtension)
		}, liaison, ducha.ECONFLICT, ""},
		{"decision without a request", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActDecideExtension) }, coord, ducha.EINVALID, ""},
		{"decision needs approve", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Extension = &ducha.Extension{Deadline: "2027-01-01"}
			*in = validInput(ducha.ActDecideExtension)
			in.Approve = nil
		}, coord, ducha.EINVALID, "approve"},
		{"unknown action", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) { in.Action = "delete" }, coord, ducha.EINVALID, "action"},
		{"no user", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) { *in = validInput(ducha.ActProgress) }, nil, ducha.EUNAUTHORIZED, ""},
		{"refused extension keeps the deadline", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Extension = &ducha.Extension{Deadline: "2027-01-01"}
			*in = validInput(ducha.ActDecideExtension)
			in.Approve, in.Reason = &no, "理由不充分"
		}, coord, "", ""},
		{"refusal needs a reason", ducha.StatusInProgress, func(p *ducha.Problem, in *ducha.ProblemAction) {
			p.Extension = &ducha.Extension{Deadline: "2027-01-01"}
			*in = validInput(ducha.ActDecideExtension)
			in.Approve = &no
		}, coord, ducha.EINVALID, "reason"},
		{"a typed deadline already past", ducha.StatusRegistered, func(p *ducha.Problem, in *ducha.ProblemAction) {
			*in = validInput(ducha.ActPlan)
			in.Deadline = "2026-12-09"
		}, coord, ducha.EINVALID, "deadline"},
	}
	for _, c := range cases {
		p := problemIn(c.status)
		var in ducha.ProblemAction
		c.edit(&p, &in)
		before := p
		err := ducha.ApplyProblemAction(&p, in, c.user, now)
		if ducha.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want code %q", c.name, err, c.code)
			continue
		}
		if c.field != "" {
			if e, ok := err.(*ducha.Error); !ok || e.Fields[c.field] == "" {
				t.Errorf("%s: %v does not name field %q", c.name, err, c.field)
			}
		}
		if c.code == "" && (p.Deadline != before.Deadline || p.Extension != nil) {
			t.Errorf("%s: deadline %q extension %v", c.name, p.Deadline, p.Extension)
		}
	}
}

func TestImmediateModeClosesFromInProgress(t *testing.T) {
	p := problemIn(ducha.StatusInProgress)
	p.Mode = ducha.ModeImmediate
	if err := ducha.ApplyProblemAction(&p, ducha.ProblemAction{Action: ducha.ActVerify, Version: 3}, actors[1].user, now); err != nil {
		t.Fatal(err)
	}
	if p.Status != ducha.StatusClosed || p.ClosedAt == nil || !p.ClosedAt.Equal(now) {
		t.Fatalf("立行立改 verify: %s %v", p.Status, p.ClosedAt)
	}
}

func TestExtensionApprovalKeepsOriginal(t *testing.T) {
	p := problemIn(ducha.StatusInProgress)
	liaison, coord := actors[2].user, actors[1].user
	if err := ducha.ApplyProblemAction(&p, validInput(ducha.ActRequestExtension), liaison, now); err != nil {
		t.Fatal(err)
	}
	if p.Extension == nil || p.Extension.RequestedBy != "a" || p.Deadline != "2026-12-20" {
		t.Fatalf("after request: %+v %q", p.Extension, p.Deadline)
	}
	if err := ducha.ApplyProblemAction(&p, validInput(ducha.ActDecideExtension), coord, now); err != nil {
		t.Fatal(err)
	}
	if p.Deadline != "2027-01-31" || p.OriginalDeadline != "2026-12-20" || p.Extension != nil {
		t.Fatalf("after approval: %q original %q ext %v", p.Deadline, p.OriginalDeadline, p.Extension)
	}
}

func TestDerive(t *testing.T) {
	cases := []struct {
		deadline ducha.Date
		status   ducha.ProblemStatus
		overdue  bool
		warning  ducha.Warning
	}{
		{"2026-12-09", ducha.StatusInProgress, true, ducha.WarningRed},
		{"2026-12-10", ducha.StatusInProgress, false, ducha.WarningYellow},
		{"2026-12-13", ducha.StatusInProgress, false, ducha.WarningYellow},
		{"2026-12-14", ducha.StatusInProgress, false, ducha.WarningNone},
		{"2026-12-01", ducha.StatusClosed, false, ducha.WarningNone},
		{"", ducha.StatusInProgress, false, ducha.WarningNone},
		{"2026-12-01", ducha.StatusPendingVerification, true, ducha.WarningRed},
	}
	for _, c := range cases {
		p := ducha.Problem{Deadline: c.deadline, Status: c.status}
		p.Derive("2026-12-10", 3)
		if p.Overdue != c.overdue || p.Warning != c.warning {
			t.Errorf("%s %s: overdue %v warning %s, want %v %s", c.deadline, c.status, p.Overdue, p.Warning, c.overdue, c.warning)
		}
	}
}

func TestEventHashAndDiff(t *testing.T) {
	b, a := ducha.Diff(&ducha.Problem{Status: ducha.StatusInProgress, Person: "张三", Version: 1},
		&ducha.Problem{Status: ducha.StatusClosed, Person: "张三", Version: 2})
	if string(b) != `{"status":"in_progress"}` || string(a) != `{"status":"closed"}` {
		t.Fatalf("diff %s -> %s", b, a)
	}
	e := ducha.Event{ID: 1, At: now, Actor: "coord", Entity: "problem", EntityID: 7, Action: "verify", Before: b, After: a}
	h := e.ComputeHash()
	e.Note = "x"
	if e.ComputeHash() == h {
		t.Fatal("the hash does not cover the note")
	}
	e.Note, e.PrevHash = "", "abc"
	if e.ComputeHash() == h {
		t.Fatal("the hash does not cover the previous hash")
	}
}

func TestSniffAttachment(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	if ct, err := ducha.SniffAttachment("a.png", png); err != nil || ct != "image/png" {
		t.Fatalf("png: %q %v", ct, err)
	}
	if _, err := ducha.SniffAttachment("a.png", []byte("<html><script>alert(1)</script></html>")); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("html disguised as png: %v", err)
	}
	if _, err := ducha.SniffAttachment("a.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("exe: %v", err)
	}
	if _, err := ducha.SniffAttachment("a.pdf", nil); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("empty: %v", err)
	}
	if _, err := ducha.SniffAttachment("a.pdf", make([]byte, ducha.MaxAttachmentSize+1)); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("too large: %v", err)
	}
}
