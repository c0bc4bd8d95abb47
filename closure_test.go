package ducha_test

import (
	"strings"
	"testing"
	"time"

	"ducha"
)

var (
	coord   = &ducha.User{ID: 2, Username: "coord", Role: ducha.RoleCoordinator}
	liaison = &ducha.User{ID: 3, Username: "a", Role: ducha.RoleUnitLiaison, UnitID: unitA}
	head    = &ducha.User{ID: 4, Username: "ah", Role: ducha.RoleUnitHead, UnitID: unitA}
	headB   = &ducha.User{ID: 10, Username: "bh", Role: ducha.RoleUnitHead, UnitID: unitB}
)

// threeLevels are rules with three closure levels and a notice of 10
// working days.
func threeLevels() ducha.Rules {
	r := ducha.DefaultRules()
	r.ClosureLevels = []string{"县级", "市级", "省级"}
	r.PublicityDays, r.PublicityWorkingDays = 10, true
	return r
}

func act(t *testing.T, p *ducha.Problem, in ducha.ProblemAction, u *ducha.User, at time.Time) {
	t.Helper()
	if err := ducha.ApplyProblemAction(p, in, u, at); err != nil {
		t.Fatalf("%s by %s: %v", in.Action, u.Username, err)
	}
}

func refused(t *testing.T, p *ducha.Problem, in ducha.ProblemAction, u *ducha.User, at time.Time, code, msg string) {
	t.Helper()
	before := *p
	err := ducha.ApplyProblemAction(p, in, u, at)
	if ducha.ErrorCode(err) != code || !strings.Contains(ducha.ErrorMessage(err), msg) {
		t.Fatalf("%s by %s: %v, want %s containing %q", in.Action, u.Username, err, code, msg)
	}
	if p.Status != before.Status || len(p.Closure.Levels) != len(before.Closure.Levels) {
		t.Fatalf("refused %s changed the problem", in.Action)
	}
}

// TestClosureLevelsInOrder: each verify signs the next level, a level
// named twice or out of order is refused, and the last opens the notice.
func TestClosureLevelsInOrder(t *testing.T) {
	p := problemIn(ducha.StatusPendingVerification)
	rules := threeLevels()
	cal := ducha.Calendar{}
	verify := func(level, opinion string) ducha.ProblemAction {
		return ducha.ProblemAction{Action: ducha.ActVerify, Level: level, Opinion: opinion, Rules: rules, Calendar: cal}
	}
	refused(t, &p, verify("市级", ""), coord, now, ducha.EINVALID, "应先签署县级验收")
	act(t, &p, verify("县级", "整改到位，同意"), coord, now)
	if p.Status != ducha.StatusPendingVerification || len(p.Closure.Levels) != 1 || p.Closure.Levels[0].Opinion != "整改到位，同意" {
		t.Fatalf("after 县级: %s %+v", p.Status, p.Closure.Levels)
	}
	refused(t, &p, verify("县级验收", ""), coord, now, ducha.ECONFLICT, "县级验收已于")
	act(t, &p, verify("", "市级同意"), coord, now.Add(time.Hour)) // no level named: the next one
	if p.Closure.Levels[1].Level != "市级" {
		t.Fatalf("second level %q", p.Closure.Levels[1].Level)
	}
	act(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Level: "省级", AttachmentIDs: []int64{42}, Rules: rules, Calendar: cal}, coord, now.Add(2*time.Hour))
	if p.Status != ducha.StatusPublicity || p.ClosedAt != nil {
		t.Fatalf("after the last level: %s", p.Status)
	}
	if p.Closure.Levels[2].AttachmentID != 42 {
		t.Fatalf("the level's document is not kept: %+v", p.Closure.Levels[2])
	}
	// 2026-12-10 is a Thursday: 10 working days are 12-10 … 12-23.
	pb := p.Closure.Publicity
	if pb.From != "2026-12-10" || pb.To != "2026-12-23" || pb.Span() != "共10个工作日" {
		t.Fatalf("publicity %s to %s %s", pb.From, pb.To, pb.Span())
	}
	refused(t, &p, verify("", ""), coord, now, ducha.ECONFLICT, "公示中")
}

// TestPublicityOverAHoliday counts the notice's working days past a
// holiday and a weekend day worked in its place.
func TestPublicityOverAHoliday(t *testing.T) {
	p := problemIn(ducha.StatusPendingVerification)
	rules := ducha.DefaultRules()
	rules.PublicityDays, rules.PublicityWorkingDays = 10, true
	// A holiday from Monday 12-14 to Wednesday 12-16, with Sunday 12-20 worked.
	cal := ducha.Calendar{
		Holidays: map[ducha.Date]bool{"2026-12-14": true, "2026-12-15": true, "2026-12-16": true},
		Workdays: map[ducha.Date]bool{"2026-12-20": true},
	}
	// Signed on Saturday 12-12: the notice starts on the next working day.
	sat := time.Date(2026, 12, 12, 2, 0, 0, 0, time.UTC)
	act(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules, Calendar: cal}, coord, sat)
	pb := p.Closure.Publicity
	// Working days: 12-17, 18, 20, 21, 22, 23, 24, 25, 28, 29.
	if pb.From != "2026-12-17" || pb.To != "2026-12-29" {
		t.Fatalf("publicity %s to %s", pb.From, pb.To)
	}
	// Calendar days count every day, the first included.
	q := problemIn(ducha.StatusPendingVerification)
	rules.PublicityWorkingDays, rules.PublicityDays = false, 7
	act(t, &q, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules, Calendar: cal}, coord, sat)
	if pb := q.Closure.Publicity; pb.From != "2026-12-12" || pb.To != "2026-12-18" || pb.Span() != "共7天" {
		t.Fatalf("calendar publicity %s to %s %s", pb.From, pb.To, pb.Span())
	}
}

// TestObjection: an objection is taken only during the notice; it sends
// the problem back to rectification with the objection as the reason, and
// the levels start again with the ended round kept.
func TestObjection(t *testing.T) {
	p := problemIn(ducha.StatusPublicity) // notice 12-08 … 12-21
	object := ducha.ProblemAction{Action: ducha.ActObject, Text: "群众反映夜间仍有异味"}
	before := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	after := time.Date(2026, 12, 22, 2, 0, 0, 0, time.UTC)
	refused(t, &p, object, coord, before, ducha.ECONFLICT, "不在公示期内")
	refused(t, &p, object, coord, after, ducha.ECONFLICT, "不在公示期内")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActObject}, coord, now, ducha.EINVALID, "异议内容")
	refused(t, &p, object, liaison, now, ducha.EFORBIDDEN, "")
	last := time.Date(2026, 12, 21, 15, 0, 0, 0, time.UTC) // 23:00 on the last day
	act(t, &p, object, coord, last)
	if p.Status != ducha.StatusInProgress || !strings.Contains(p.ReturnReason, "夜间仍有异味") {
		t.Fatalf("after objection: %s %q", p.Status, p.ReturnReason)
	}
	if len(p.Closure.Levels) != 0 || p.Closure.Publicity != nil || len(p.Closure.Earlier) != 1 {
		t.Fatalf("closure after objection: %+v", p.Closure)
	}
	round := p.Closure.Earlier[0]
	if round.Ended != "公示异议" || len(round.Levels) != 1 || round.Publicity == nil || len(round.Publicity.Objections) != 1 {
		t.Fatalf("ended round: %+v", round)
	}
}

// TestReturnAndReopenRestartTheLevels keeps each ended round on the record.
func TestReturnAndReopenRestartTheLevels(t *testing.T) {
	p := problemIn(ducha.StatusPendingVerification)
	rules := threeLevels()
	rules.PublicityDays = 0
	act(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules}, coord, now)
	act(t, &p, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "市级验收发现问题"}, coord, now)
	if len(p.Closure.Levels) != 0 || len(p.Closure.Earlier) != 1 || p.Closure.Earlier[0].Ended != "退回" {
		t.Fatalf("after return: %+v", p.Closure)
	}
	act(t, &p, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "再次整改完成"}, liaison, now)
	for i := 0; i < 3; i++ {
		act(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules}, coord, now)
	}
	if p.Status != ducha.StatusClosed || len(p.Closure.Levels) != 3 {
		t.Fatalf("after three levels: %s %d", p.Status, len(p.Closure.Levels))
	}
	act(t, &p, ducha.ProblemAction{Action: ducha.ActReopen, Reason: "反弹"}, coord, now)
	if len(p.Closure.Earlier) != 2 || p.Closure.Earlier[1].Ended != "重新打开" || len(p.Closure.Earlier[1].Levels) != 3 {
		t.Fatalf("after reopen: %+v", p.Closure.Earlier)
	}
}

// TestEndPublicity closes a notice only after its last day.
func TestEndPublicity(t *testing.T) {
	p := problemIn(ducha.StatusPublicity) // to 12-21
	if ducha.EndPublicity(&p, "2026-12-21", now) {
		t.Fatal("closed on the notice's last day")
	}
	if !ducha.EndPublicity(&p, "2026-12-22", now) || p.Status != ducha.StatusClosed || p.ClosedAt == nil {
		t.Fatalf("not closed after the notice: %s", p.Status)
	}
	q := problemIn(ducha.StatusInProgress)
	if ducha.EndPublicity(&q, "2027-01-01", now) {
		t.Fatal("closed a problem not in notice")
	}
}

// TestHeadSignoff: with head_signoff a liaison's application waits for
// the head of the lead unit, which signs it off or returns it; without the
// rule, or applied by the head, it goes straight to the coordinator.
func TestHeadSignoff(t *testing.T) {
	rules := ducha.DefaultRules()
	rules.HeadSignoff = true
	apply := ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成", Rules: rules}

	p := problemIn(ducha.StatusInProgress)
	act(t, &p, apply, liaison, now)
	if !p.AwaitingSignoff || p.Status != ducha.StatusPendingVerification {
		t.Fatalf("liaison's application: awaiting %v %s", p.AwaitingSignoff, p.Status)
	}
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules}, coord, now, ducha.ECONFLICT, "尚待单位主要负责人签发")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActSignoff}, liaison, now, ducha.EFORBIDDEN, "")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActSignoff}, headB, now, ducha.EFORBIDDEN, "")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActSignoff}, coord, now, ducha.EFORBIDDEN, "")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActReturn}, head, now, ducha.EINVALID, "理由")
	act(t, &p, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "佐证材料不全"}, head, now)
	if p.Status != ducha.StatusInProgress || p.AwaitingSignoff || p.ReturnReason != "佐证材料不全" {
		t.Fatalf("head's return: %s %v %q", p.Status, p.AwaitingSignoff, p.ReturnReason)
	}
	act(t, &p, apply, liaison, now)
	act(t, &p, ducha.ProblemAction{Action: ducha.ActSignoff}, head, now)
	if p.AwaitingSignoff || p.Closure.Signoff == nil || p.Closure.Signoff.By != "ah" {
		t.Fatalf("after sign-off: %v %+v", p.AwaitingSignoff, p.Closure.Signoff)
	}
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActSignoff}, head, now, ducha.ECONFLICT, "没有待签发")
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "x"}, head, now, ducha.EFORBIDDEN, "")
	act(t, &p, ducha.ProblemAction{Action: ducha.ActVerify, Rules: rules}, coord, now)
	if p.Status != ducha.StatusClosed {
		t.Fatalf("verify after sign-off: %s", p.Status)
	}

	// Without the rule, and when the head applies, nothing waits.
	q := problemIn(ducha.StatusInProgress)
	act(t, &q, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成", Rules: ducha.DefaultRules()}, liaison, now)
	if q.AwaitingSignoff {
		t.Fatal("waits without the rule")
	}
	r := problemIn(ducha.StatusInProgress)
	act(t, &r, apply, head, now)
	if r.AwaitingSignoff || r.Closure.Signoff == nil {
		t.Fatalf("the head's own application: awaiting %v signoff %+v", r.AwaitingSignoff, r.Closure.Signoff)
	}
}

// TestCaseHeadSignoff: a liaison's answer waits for the head; the case is
// submitted only when every unit's answer is signed off.
func TestCaseHeadSignoff(t *testing.T) {
	c := caseIn(ducha.CaseInvestigating)
	in := validCaseInput(ducha.CaseActSubmit)
	in.HeadSignoff = true
	if err := ducha.ApplyCaseAction(&c, in, liaison, now); err != nil {
		t.Fatal(err)
	}
	if c.Status != ducha.CaseInvestigating || !c.Parts[0].AwaitingSignoff {
		t.Fatalf("after the liaison's submit: %s %+v", c.Status, c.Parts[0])
	}
	if err := ducha.ApplyCaseAction(&c, ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed}, coord, now); ducha.ErrorCode(err) != ducha.ECONFLICT {
		t.Fatalf("accept before sign-off: %v", err)
	}
	if err := ducha.ApplyCaseAction(&c, ducha.CaseAction{Action: ducha.CaseActSignoff}, headB, now); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
		t.Fatalf("another unit's head: %v", err)
	}
	if err := ducha.ApplyCaseAction(&c, ducha.CaseAction{Action: ducha.CaseActReturn, Reason: "核查不细"}, head, now); err != nil {
		t.Fatal(err)
	}
	if c.Parts[0].SubmittedAt != nil || c.Parts[0].AwaitingSignoff || c.Parts[0].ReturnReason != "核查不细" {
		t.Fatalf("after the head's return: %+v", c.Parts[0])
	}
	if err := ducha.ApplyCaseAction(&c, in, liaison, now); err != nil {
		t.Fatal(err)
	}
	if err := ducha.ApplyCaseAction(&c, ducha.CaseAction{Action: ducha.CaseActSignoff}, head, now); err != nil {
		t.Fatal(err)
	}
	if c.Status != ducha.CaseSubmitted || c.Parts[0].SignedOffBy != "ah" || c.Findings == "" {
		t.Fatalf("after sign-off: %s %+v", c.Status, c.Parts[0])
	}
	// Without the rule the liaison's answer is submitted at once.
	d := caseIn(ducha.CaseInvestigating)
	if err := ducha.ApplyCaseAction(&d, validCaseInput(ducha.CaseActSubmit), liaison, now); err != nil || d.Status != ducha.CaseSubmitted {
		t.Fatalf("without the rule: %v %s", err, d.Status)
	}
}

// TestScheduleFrom: a long-term task is behind once a whole period passed
// without an entry; a multi-month task also once its percentage falls
// behind the share of its time elapsed; short tasks are not judged.
func TestScheduleFrom(t *testing.T) {
	planned := time.Date(2026, 2, 10, 2, 0, 0, 0, time.UTC)
	long := problemIn(ducha.StatusInProgress)
	long.Mode, long.Deadline, long.PlannedAt = ducha.ModeLongTerm, "", &planned
	// Planned in Q1: Q2 must hold an entry, so it is behind from 07-01.
	if got := long.ScheduleFrom(3); got != "2026-07-01" {
		t.Fatalf("long-term, no entry: %s", got)
	}
	at := time.Date(2026, 5, 3, 2, 0, 0, 0, time.UTC)
	long.ProgressAt = &at
	if got := long.ScheduleFrom(3); got != "2026-10-01" {
		t.Fatalf("long-term, an entry in Q2: %s", got)
	}
	if got := long.ScheduleFrom(1); got != "2026-07-01" {
		t.Fatalf("monthly, an entry in May: %s", got)
	}
	// 2026-02-10 to 2026-12-07 is 300 days; 30% done is on schedule until day 90.
	mm := problemIn(ducha.StatusInProgress)
	mm.Deadline, mm.PlannedAt, mm.ProgressAt = "2026-12-07", &planned, &at
	pct := 30
	mm.ProgressPercent = &pct
	if got := mm.ScheduleFrom(3); got != "2026-05-12" { // 02-10 + 91 days
		t.Fatalf("30%% of 300 days: %s", got)
	}
	mm.BehindFrom = mm.ScheduleFrom(3)
	mm.Derive("2026-05-11", 3)
	if mm.BehindSchedule {
		t.Fatal("behind before the day")
	}
	mm.Derive("2026-05-12", 3)
	if !mm.BehindSchedule {
		t.Fatal("not behind on the day")
	}
	short := problemIn(ducha.StatusInProgress)
	short.Deadline, short.PlannedAt = "2026-03-01", &planned
	if got := short.ScheduleFrom(3); got != "" {
		t.Fatalf("a three-week task is judged: %s", got)
	}
	closed := problemIn(ducha.StatusClosed)
	closed.Mode, closed.PlannedAt = ducha.ModeLongTerm, &planned
	if got := closed.ScheduleFrom(3); got != "" {
		t.Fatalf("a closed task is judged: %s", got)
	}
}

// TestProgressEntryPercent refuses a percentage out of range.
func TestProgressEntryPercent(t *testing.T) {
	p := problemIn(ducha.StatusInProgress)
	bad := 101
	refused(t, &p, ducha.ProblemAction{Action: ducha.ActProgress, Text: "x", Percent: &bad}, liaison, now, ducha.EINVALID, "0到100")
	good := 40
	act(t, &p, ducha.ProblemAction{Action: ducha.ActProgress, Text: "完成围挡", Percent: &good}, liaison, now)
	if p.Progress != "完成围挡" || p.ProgressAt == nil || *p.ProgressPercent != 40 {
		t.Fatalf("after progress: %q %v", p.Progress, p.ProgressPercent)
	}
	act(t, &p, ducha.ProblemAction{Action: ducha.ActProgress, Text: "无百分比的进展"}, liaison, now)
	if *p.ProgressPercent != 40 {
		t.Fatal("an entry without a percentage lost the last one")
	}
}
