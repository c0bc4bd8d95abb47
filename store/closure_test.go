package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// setRules changes the seeded campaign's rules (and its holidays).
func setRules(t *testing.T, db *store.DB, f *storetest.Fixture, holidays string, change func(r *ducha.Rules)) {
	t.Helper()
	ctx := storetest.System()
	c, err := db.FindCampaignByID(ctx, f.Campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Rules
	change(&rules)
	if _, err := db.UpdateCampaign(ctx, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules, Holidays: &holidays}); err != nil {
		t.Fatalf("rules: %v", err)
	}
}

func actOn(t *testing.T, db *store.DB, ctx context.Context, id int64, in ducha.ProblemAction) *ducha.Problem {
	t.Helper()
	p, err := db.ActOnProblem(ctx, id, in)
	if err != nil {
		t.Fatalf("%s: %v", in.Action, err)
	}
	return p
}

func inboxKinds(t *testing.T, db *store.DB, ctx context.Context) map[string]int {
	t.Helper()
	in, err := db.Inbox(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	return in.Counts
}

// TestClosureInLevelsWithPublicNotice: with the head's sign-off, three
// levels and a notice of 10 working days over a holiday, a problem goes
// from its application to 销号, through an objection and a second
// notice; each step is on the record, in the history, in the inbox and on
// the public notice as it should be.
func TestClosureInLevelsWithPublicNotice(t *testing.T) {
	clock := clockAt("2026-12-10") // a Thursday
	start := clock.T
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = start // the engines run one after the other on one clock
		f := storetest.Seed(t, db)
		coord, liaison := storetest.As(f.Users["coord"]), storetest.As(f.Users["liaison_yq"])
		head, headB := storetest.As(f.Users["head_yq"]), storetest.As(f.Users["head_hb"])
		setRules(t, db, f, "2026-12-14,2026-12-15", func(r *ducha.Rules) {
			r.ClosureLevels, r.PublicityDays, r.PublicityWorkingDays, r.HeadSignoff = []string{"县级", "市级", "省级"}, 10, true, true
			r.PublicityOffice, r.PublicityPhone = "县督察整改办", "0938-1234567"
		})
		p := newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘污染", "2026-12-30")

		p = actOn(t, db, liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成围挡和硬化"})
		if !p.AwaitingSignoff {
			t.Fatal("the liaison's application does not wait for the head")
		}
		if n := inboxKinds(t, db, head)[ducha.InboxToSignoff]; n != 1 {
			t.Errorf("head's to_signoff: %d", n)
		}
		if n := inboxKinds(t, db, headB)[ducha.InboxToSignoff]; n != 0 {
			t.Errorf("another unit's head sees %d to sign off", n)
		}
		if n := inboxKinds(t, db, coord)[ducha.InboxToVerify]; n != 0 {
			t.Errorf("the coordinator sees %d to verify before the sign-off", n)
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("verify before the sign-off: %v", err)
		}
		p = actOn(t, db, head, p.ID, ducha.ProblemAction{Action: ducha.ActSignoff})
		if n := inboxKinds(t, db, coord)[ducha.InboxToVerify]; n != 1 {
			t.Errorf("to_verify after the sign-off: %d", n)
		}

		doc := &ducha.Attachment{ProblemID: p.ID, Name: "县级验收意见.png", Data: pngBytes}
		if err := db.AddAttachment(coord, doc); err != nil {
			t.Fatal(err)
		}
		actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Level: "县级", Opinion: "整改到位", AttachmentIDs: []int64{doc.ID}})
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Level: "县级"}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("县级 signed twice: %v", err)
		}
		actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Opinion: "同意"})
		if _, err := db.FindClosureNotice(context.Background(), p.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("a notice before the last level: %v", err)
		}
		p = actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Opinion: "同意销号"})
		if p.Status != ducha.StatusPublicity || len(p.Closure.Levels) != 3 || p.Closure.Levels[0].AttachmentID != doc.ID {
			t.Fatalf("after three levels: %s %+v", p.Status, p.Closure.Levels)
		}
		// 12-10 … with 12-14 and 12-15 off: 10, 11, 16, 17, 18, 21, 22, 23, 24, 25.
		if pb := p.Closure.Publicity; pb.From != "2026-12-10" || pb.To != "2026-12-25" {
			t.Fatalf("notice %s to %s", pb.From, pb.To)
		}
		n, err := db.FindClosureNotice(context.Background(), p.ID) // no user: the public
		if err != nil {
			t.Fatal(err)
		}
		if n.Office != "县督察整改办" || n.Phone != "0938-1234567" || n.Period() != "2026年12月10日至2026年12月25日（共10个工作日）" ||
			!strings.Contains(n.Acceptance(), "省级验收于2026年12月10日通过") || n.Done != "已完成围挡和硬化" {
			t.Fatalf("notice %+v", n)
		}
		if list, _ := db.FindClosureNotices(context.Background()); len(list) != 1 {
			t.Fatalf("public list: %d", len(list))
		}
		if r, err := db.DailyReport(coord, "2026-12-10"); err != nil || r.Ledger.Publicity != 1 {
			t.Fatalf("report ledger: %+v %v", r.Ledger, err)
		}

		// An objection on the 16th: back to rectification, levels again.
		clock.Add(6 * 24 * time.Hour)
		p = actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActObject, Text: "群众反映夜间仍有粉尘"})
		if p.Status != ducha.StatusInProgress || len(p.Closure.Levels) != 0 || len(p.Closure.Earlier) != 1 || !strings.Contains(p.ReturnReason, "夜间仍有粉尘") {
			t.Fatalf("after the objection: %s %+v %q", p.Status, p.Closure, p.ReturnReason)
		}
		if _, err := db.FindClosureNotice(context.Background(), p.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("the notice stays after an objection: %v", err)
		}
		events, _ := db.FindProblemEvents(coord, p.ID)
		last := events[len(events)-1]
		if last.Action != ducha.ActObject || !strings.Contains(last.Note, "验收重新开始") {
			t.Fatalf("objection event %s %q", last.Action, last.Note)
		}

		// The head applies this time: signed off by applying.
		p = actOn(t, db, head, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "加装喷淋，夜间停产"})
		if p.AwaitingSignoff || p.Closure.Signoff == nil {
			t.Fatalf("the head's application: %v %+v", p.AwaitingSignoff, p.Closure.Signoff)
		}
		for i := 0; i < 3; i++ {
			p = actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify})
		}
		to := p.Closure.Publicity.To // 12-16 + 10 working days: 12-29
		if to != "2026-12-29" {
			t.Fatalf("second notice ends %s", to)
		}
		// On its last day (past its deadline too) the pass leaves it be.
		clock.Add(13 * 24 * time.Hour) // 12-29
		if issued, _ := supervise(t, db, coord, to); len(issued) != 0 {
			t.Errorf("the pass issued %d on a problem in notice", len(issued))
		}
		if p, _ = db.FindProblemByID(coord, p.ID); p.Status != ducha.StatusPublicity {
			t.Fatalf("closed on the notice's last day: %s", p.Status)
		}
		clock.Add(24 * time.Hour)
		supervise(t, db, coord, "2026-12-30")
		if again, _ := db.EndPublicity(coord, "2026-12-30"); again != 0 {
			t.Fatalf("ended twice: %d", again)
		}
		p, _ = db.FindProblemByID(coord, p.ID)
		if p.Status != ducha.StatusClosed || p.ClosedAt == nil || len(p.Closure.Levels) != 3 || len(p.Closure.Earlier) != 1 {
			t.Fatalf("after the notice: %s %+v", p.Status, p.Closure)
		}
		events, _ = db.FindProblemEvents(coord, p.ID)
		if last := events[len(events)-1]; last.Action != ducha.ActEndPublicity || !strings.Contains(last.Note, "无异议") {
			t.Fatalf("last event %s %q", last.Action, last.Note)
		}
		if _, err := db.FindClosureNotice(context.Background(), p.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("a closed problem's notice: %v", err)
		}
		if _, _, err := db.VerifyChain(storetest.System()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestProgressEntriesAndSchedule: entries are appended and read newest
// first; a long-term task with no entry for a whole quarter is 未达到序时进度
// (a filter, a count in the report, a 催办 from the pass), and a new
// reporting period moves it.
func TestProgressEntriesAndSchedule(t *testing.T) {
	clock := clockAt("2026-12-10")
	start := clock.T
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = start // the engines run one after the other on one clock
		f := storetest.Seed(t, db)
		coord, liaison := storetest.As(f.Users["coord"]), storetest.As(f.Users["liaison_yq"])
		p := &ducha.Problem{Source: "督察反馈", Description: "饮用水源地保护长期坚持", Area: "永清镇", Types: []string{"水"}}
		if err := db.CreateProblem(coord, p); err != nil {
			t.Fatal(err)
		}
		p = actOn(t, db, coord, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, LeadUnit: "永清镇", Person: "李四", Measures: "巡查", Mode: ducha.ModeLongTerm})
		// Planned in Q4 2026: Q1 2027 must hold an entry; behind from 04-01.
		if p.BehindFrom != "2027-04-01" {
			t.Fatalf("behind from %s", p.BehindFrom)
		}
		pct := 20
		actOn(t, db, liaison, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Text: "完成第一次巡查", Percent: &pct})
		clock.Add(24 * time.Hour)
		p = actOn(t, db, liaison, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Text: "设置界桩"})
		if len(p.ProgressEntries) != 2 || p.ProgressEntries[0].Text != "设置界桩" || p.ProgressEntries[1].Percent == nil || *p.ProgressEntries[1].Percent != 20 {
			t.Fatalf("entries %+v", p.ProgressEntries)
		}
		if p.Progress != "设置界桩" || p.ProgressPercent == nil || *p.ProgressPercent != 20 {
			t.Fatalf("latest %q %v", p.Progress, p.ProgressPercent)
		}
		if list, _, _ := db.FindProblems(coord, ducha.ProblemFilter{Limit: 10}); len(list) != 1 || len(list[0].ProgressEntries) != 1 {
			t.Fatalf("a list shows the latest entry only: %+v", list)
		}
		behind := func(day ducha.Date) int {
			t.Helper()
			_, n, err := db.FindProblems(coord, ducha.ProblemFilter{Behind: true, Today: day, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if behind("2027-03-31") != 0 || behind("2027-04-01") != 1 {
			t.Fatalf("behind on 03-31: %d, on 04-01: %d", behind("2027-03-31"), behind("2027-04-01"))
		}
		for day, want := range map[ducha.Date]int{"2027-03-31": 0, "2027-04-01": 1} {
			clock.T = day.Time().Add(12 * time.Hour) // a report of a day to come is refused
			if r, err := db.DailyReport(coord, day); err != nil || r.Ledger.BehindSchedule != want {
				t.Errorf("report of %s: %+v %v, want %d behind", day, r, err, want)
			}
		}
		issued, _ := supervise(t, db, coord, "2027-04-01")
		if len(issued) != 1 || issued[0].Kind != ducha.NoticeReminder || !strings.Contains(issued[0].Reason, "未达到序时进度") {
			t.Fatalf("the pass on 04-01: %+v", issued)
		}
		if again, _ := supervise(t, db, coord, "2027-04-02"); len(again) != 0 {
			t.Fatalf("issued again: %+v", again)
		}
		// Monthly reports: an entry in December is due again in January.
		setRules(t, db, f, "", func(r *ducha.Rules) { r.ProgressPeriodMonths = 1 })
		if p, _ = db.FindProblemByID(coord, p.ID); p.BehindFrom != "2027-02-01" {
			t.Fatalf("monthly: behind from %s", p.BehindFrom)
		}
	})
}

// TestCaseHeadSignoffInStore: a liaison's answer waits for the head; the
// coordinator sees it to review only once signed off.
func TestCaseHeadSignoffInStore(t *testing.T) {
	clock := clockAt("2026-12-10")
	start := clock.T
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = start // the engines run one after the other on one clock
		f := storetest.Seed(t, db)
		coord, liaison, head := storetest.As(f.Users["coord"]), storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["head_yq"])
		setRules(t, db, f, "", func(r *ducha.Rules) { r.HeadSignoff = true })
		c := importOneCase(t, db, f)
		act := func(ctx context.Context, in ducha.CaseAction) *ducha.Case {
			t.Helper()
			got, err := db.ActOnCase(ctx, c.ID, in)
			if err != nil {
				t.Fatalf("%s: %v", in.Action, err)
			}
			return got
		}
		act(coord, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		act(liaison, ducha.CaseAction{Action: ducha.CaseActSign})
		submit := ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经查属实", Verdict: "属实", Handling: "已责令整改"}
		got := act(liaison, submit)
		if got.Status != ducha.CaseInvestigating || !got.Parts[0].AwaitingSignoff {
			t.Fatalf("after the liaison's submit: %s %+v", got.Status, got.Parts)
		}
		if n := inboxKinds(t, db, head)[ducha.InboxToSignoff]; n != 1 {
			t.Errorf("head's to_signoff: %d", n)
		}
		if n := inboxKinds(t, db, coord)[ducha.InboxToReview]; n != 0 {
			t.Errorf("to_review before the sign-off: %d", n)
		}
		got = act(head, ducha.CaseAction{Action: ducha.CaseActReturn, Reason: "核查不细"})
		if got.Parts[0].ReturnReason != "核查不细" || got.Parts[0].SubmittedAt != nil {
			t.Fatalf("after the head's return: %+v", got.Parts[0])
		}
		if n := inboxKinds(t, db, liaison)[ducha.InboxReturned]; n != 1 {
			t.Errorf("the liaison's returned: %d", n)
		}
		act(liaison, submit)
		got = act(head, ducha.CaseAction{Action: ducha.CaseActSignoff})
		if got.Status != ducha.CaseSubmitted || got.Parts[0].SignedOffBy != "head_yq" {
			t.Fatalf("after the sign-off: %s %+v", got.Status, got.Parts[0])
		}
		if n := inboxKinds(t, db, coord)[ducha.InboxToReview]; n != 1 {
			t.Errorf("to_review after the sign-off: %d", n)
		}
	})
}

// importOneCase imports a batch of one case and returns it.
func importOneCase(t *testing.T, db *store.DB, f *storetest.Fixture) *ducha.Case {
	t.Helper()
	coord := storetest.As(f.Users["coord"])
	if _, err := db.ImportBatch(coord, 1, "2026-12-09", "batch1.xlsx", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", false)}); err != nil {
		t.Fatal(err)
	}
	c, err := db.FindCaseByAcceptanceNo(coord, "D3SX202612090001")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
