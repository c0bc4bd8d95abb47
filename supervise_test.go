package ducha_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"ducha"
)

// svItem is an open item due on deadline; its unit is 100 + id.
func svItem(kind string, id int64, deadline ducha.Date) ducha.SupervisedItem {
	return ducha.SupervisedItem{Kind: kind, ID: id, UnitID: 100 + id, Title: fmt.Sprintf("QS-2026-%04d（扬尘）", id), Deadline: deadline}
}

func svProblem(id int64, deadline ducha.Date) ducha.SupervisedItem {
	return svItem(ducha.ItemProblem, id, deadline)
}

func svClosed(it ducha.SupervisedItem) ducha.SupervisedItem {
	it.Closed = true
	return it
}

// svNotice is a notice on problem item.
func svNotice(id, item int64, kind ducha.NoticeKind, status ducha.NoticeStatus, due ducha.Date) ducha.ExistingNotice {
	return ducha.ExistingNotice{ID: id, ItemKind: ducha.ItemProblem, ItemID: item, Kind: kind, Status: status, Due: due}
}

// svSummary writes a draft in one line, so tables can list what they expect.
func svSummary(d ducha.NoticeDraft) string {
	return fmt.Sprintf("%s/%d %s unit=%d due=%s %s", d.ItemKind, d.ItemID, d.Kind, d.UnitID, d.Due, d.Reason)
}

func svSummaries(ds []ducha.NoticeDraft) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, svSummary(d))
	}
	return out
}

func TestEscalate(t *testing.T) {
	const (
		rem  = ducha.NoticeReminder
		sup  = ducha.NoticeSupervision
		lst  = ducha.NoticeListed
		iss  = ducha.NoticeIssued
		sig  = ducha.NoticeSigned
		ans  = ducha.NoticeAnswered
		clo  = ducha.NoticeClosed
		dec1 = ducha.Date("2026-12-01")
	)
	noReminder := func(r *ducha.Rules) { r.ReminderOnRed = false }
	working := func(r *ducha.Rules) { r.WorkingDays = true }
	noMakeupDay := ducha.Calendar{Holidays: nationalDay.Holidays}
	cases := []struct {
		name    string
		asOf    ducha.Date
		rules   func(r *ducha.Rules)
		cal     *ducha.Calendar // nationalDay when nil
		items   []ducha.SupervisedItem
		notices []ducha.ExistingNotice
		want    []string
		close   []int64
	}{
		// When an item is red at all.
		{name: "due today is not red", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, "2026-12-05")}},
		{name: "due tomorrow is not red", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, "2026-12-06")}},
		{name: "no deadline is never red", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, "")}},
		{name: "1 day red gives a reminder", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			want: []string{"problem/1 reminder unit=101 due=2026-12-04 逾期1天"}},
		{name: "2 days red with the reminder pending gives nothing", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-04")}},

		// reminder_on_red=false waits for the 督办.
		{name: "no reminder on red: 1 day", asOf: "2026-12-02", rules: noReminder, items: []ducha.SupervisedItem{svProblem(1, dec1)}},
		{name: "no reminder on red: 2 days", asOf: "2026-12-03", rules: noReminder, items: []ducha.SupervisedItem{svProblem(1, dec1)}},
		{name: "no reminder on red: 3 days", asOf: "2026-12-04", rules: noReminder, items: []ducha.SupervisedItem{svProblem(1, dec1)},
			want: []string{"problem/1 supervision unit=101 due=2026-12-06 逾期3天"}},

		// The days red call for a level.
		{name: "3 days with an answered reminder gives a supervision", asOf: "2026-12-04", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-12-04")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-06 逾期3天"}},
		{name: "3 days with a reminder due today gives a supervision for the days alone", asOf: "2026-12-04", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-04")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-06 逾期3天"}},
		{name: "3 days with nothing gives a supervision, not a reminder", asOf: "2026-12-04", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			want: []string{"problem/1 supervision unit=101 due=2026-12-06 逾期3天"}},
		{name: "6 days gives a supervision", asOf: "2026-12-07", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			want: []string{"problem/1 supervision unit=101 due=2026-12-09 逾期6天"}},
		{name: "7 days gives a listing", asOf: "2026-12-08", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-12-04"), svNotice(2, 1, sup, ans, "2026-12-06")},
			want:    []string{"problem/1 listed unit=101 due=2026-12-10 逾期7天"}},
		{name: "10 days with nothing gives only a listing", asOf: "2026-12-11", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			want: []string{"problem/1 listed unit=101 due=2026-12-13 逾期10天"}},

		// Nothing twice, nothing lower after higher.
		{name: "closed reminder counts", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, clo, "2026-12-01")}},
		{name: "answered supervision counts", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, sup, ans, "2026-12-04")}},
		{name: "closed supervision counts", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, sup, clo, "2026-12-04")}},
		{name: "signed supervision not yet due counts", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, sup, sig, "2026-12-06")}},
		{name: "closed listing counts", asOf: "2026-12-11", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, lst, clo, "2026-12-09")}},
		{name: "hand-issued listing blocks the reminder", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, lst, iss, "2026-12-03")}},
		{name: "hand-issued listing blocks the supervision", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, lst, ans, "2026-12-03")}},
		{name: "hand-issued supervision blocks the reminder", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, sup, iss, "2026-12-03")}},
		{name: "unanswered listing stays listed", asOf: "2026-12-11", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, lst, iss, "2026-12-05")}},
		{name: "a notice of another kind of item does not count", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{{ID: 1, ItemKind: ducha.ItemCase, ItemID: 1, Kind: sup, Status: iss, Due: "2026-12-01"}},
			want:    []string{"problem/1 reminder unit=101 due=2026-12-04 逾期1天"}},
		{name: "a notice of an unknown kind does not count", asOf: "2026-12-02", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, "warning", iss, "2026-12-01")},
			want:    []string{"problem/1 reminder unit=101 due=2026-12-04 逾期1天"}},

		// Unanswered notices escalate.
		{name: "issued reminder past due gives a supervision before its days", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-02")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-05 催办单逾期未答复"}},
		{name: "signed reminder past due escalates too", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, sig, "2026-12-02")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-05 催办单逾期未答复"}},
		{name: "answered reminder past due does not", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-12-02")}},
		{name: "closed reminder past due does not", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, clo, "2026-12-02")}},
		{name: "reminder due today is not late yet", asOf: "2026-12-03", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-03")}},
		{name: "days and a late reminder together", asOf: "2026-12-04", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-03")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-06 逾期3天，催办单逾期未答复"}},
		{name: "signed supervision past due gives a listing before its days", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-12-02"), svNotice(2, 1, sup, sig, "2026-12-04")},
			want:    []string{"problem/1 listed unit=101 due=2026-12-07 督办单逾期未答复"}},
		{name: "days above a late reminder win", asOf: "2026-12-11", items: []ducha.SupervisedItem{svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-04")},
			want:    []string{"problem/1 listed unit=101 due=2026-12-13 逾期10天"}},
		{name: "late reminder on an item not yet red", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, "2026-12-20")},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, iss, "2026-12-04")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-07 催办单逾期未答复"}},
		{name: "late reminder on an item without deadline", asOf: "2026-12-05", items: []ducha.SupervisedItem{svProblem(1, "")},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, sig, "2026-12-04")},
			want:    []string{"problem/1 supervision unit=101 due=2026-12-07 催办单逾期未答复"}},

		// Working days: the days red and the due date skip weekends and holidays.
		{name: "working days: Friday deadline, Monday is 1 day", asOf: "2026-12-07", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-12-04")},
			want: []string{"problem/1 reminder unit=101 due=2026-12-09 逾期1个工作日"}},
		{name: "calendar days: Friday deadline, Monday is 3 days", asOf: "2026-12-07", items: []ducha.SupervisedItem{svProblem(1, "2026-12-04")},
			want: []string{"problem/1 supervision unit=101 due=2026-12-09 逾期3天"}},
		{name: "working days: Saturday after a Friday deadline", asOf: "2026-12-05", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-12-04")},
			want: []string{"problem/1 reminder unit=101 due=2026-12-08 超过整改时限"}},
		{name: "working days: the answer skips the weekend", asOf: "2026-12-04", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-12-02")},
			want: []string{"problem/1 reminder unit=101 due=2026-12-08 逾期2个工作日"}},
		{name: "calendar days: the answer falls on the weekend", asOf: "2026-12-04", items: []ducha.SupervisedItem{svProblem(1, "2026-12-02")},
			want: []string{"problem/1 reminder unit=101 due=2026-12-06 逾期2天"}},
		{name: "working days: the holiday is not counted red", asOf: "2026-10-07", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-09-30")},
			want: []string{"problem/1 reminder unit=101 due=2026-10-09 超过整改时限"}},
		{name: "calendar days: the holiday is counted red", asOf: "2026-10-07", items: []ducha.SupervisedItem{svProblem(1, "2026-09-30")},
			want: []string{"problem/1 listed unit=101 due=2026-10-09 逾期7天"}},
		{name: "working days: the answer skips the holiday", asOf: "2026-09-30", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-09-28")},
			want: []string{"problem/1 reminder unit=101 due=2026-10-09 逾期2个工作日"}},
		{name: "working days: the 调休 Saturday counts red and for the answer", asOf: "2026-10-10", rules: working, items: []ducha.SupervisedItem{svProblem(1, "2026-09-30")},
			notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-10-09")},
			want:    []string{"problem/1 supervision unit=101 due=2026-10-13 逾期3个工作日"}},
		{name: "working days: without the 调休 Saturday it is 2 days", asOf: "2026-10-10", rules: working, cal: &noMakeupDay,
			items: []ducha.SupervisedItem{svProblem(1, "2026-09-30")}, notices: []ducha.ExistingNotice{svNotice(1, 1, rem, ans, "2026-10-09")}},

		// Closed items close their open notices.
		{name: "closed item closes its open notices", asOf: "2026-12-11", items: []ducha.SupervisedItem{svClosed(svProblem(1, dec1))},
			notices: []ducha.ExistingNotice{svNotice(9, 1, lst, iss, "2026-12-10"), svNotice(4, 1, rem, sig, "2026-12-04"),
				svNotice(7, 1, sup, ans, "2026-12-06"), svNotice(2, 1, rem, clo, "2026-12-03"), svNotice(5, 2, rem, iss, "2026-12-04")},
			close: []int64{4, 7, 9}},
		{name: "closed item without notices", asOf: "2026-12-11", items: []ducha.SupervisedItem{svClosed(svProblem(1, dec1))}},
		{name: "closed case beside an open problem of the same id", asOf: "2026-12-02",
			items: []ducha.SupervisedItem{svClosed(svItem(ducha.ItemCase, 1, dec1)), svProblem(1, dec1)},
			notices: []ducha.ExistingNotice{{ID: 3, ItemKind: ducha.ItemCase, ItemID: 1, Kind: rem, Status: iss, Due: "2026-12-04"},
				{ID: 8, ItemKind: ducha.ItemProblem, ItemID: 1, Kind: sup, Status: clo, Due: "2026-11-20"}},
			close: []int64{3}},

		// Order and duplicates.
		{name: "sorted by kind and id, each item once", asOf: "2026-12-02",
			items: []ducha.SupervisedItem{svProblem(9, dec1), svItem(ducha.ItemCase, 2, "2026-11-20"), svProblem(3, dec1), svProblem(9, dec1), svProblem(5, "2026-12-02")},
			want: []string{"case/2 listed unit=102 due=2026-12-04 逾期12天", "problem/3 reminder unit=103 due=2026-12-04 逾期1天",
				"problem/9 reminder unit=109 due=2026-12-04 逾期1天"}},
		{name: "a notice listed twice closes once", asOf: "2026-12-02", items: []ducha.SupervisedItem{svClosed(svProblem(1, dec1)), svClosed(svProblem(1, dec1))},
			notices: []ducha.ExistingNotice{svNotice(6, 1, rem, iss, "2026-12-04"), svNotice(6, 1, rem, iss, "2026-12-04")},
			close:   []int64{6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rules := ducha.DefaultRules()
			if c.rules != nil {
				c.rules(&rules)
			}
			cal := nationalDay
			if c.cal != nil {
				cal = *c.cal
			}
			issue, closing := ducha.Escalate(c.asOf, rules, cal, c.items, c.notices)
			want := c.want
			if want == nil {
				want = []string{}
			}
			if got := svSummaries(issue); !reflect.DeepEqual(got, want) {
				t.Errorf("issue:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(closing) != len(c.close) || (len(closing) > 0 && !reflect.DeepEqual(closing, c.close)) {
				t.Errorf("close %v, want %v", closing, c.close)
			}
		})
	}
}

func TestEscalateText(t *testing.T) {
	rules := ducha.DefaultRules()
	problem := ducha.SupervisedItem{Kind: ducha.ItemProblem, ID: 1, UnitID: 11, Title: "QS-2026-0001（……）", Deadline: "2026-12-01"}
	caseItem := ducha.SupervisedItem{Kind: ducha.ItemCase, ID: 12, UnitID: 11, Title: "XF-2026-0012（噪声扰民）", Deadline: "2026-12-01"}
	late := func(kind ducha.NoticeKind, item ducha.SupervisedItem, due ducha.Date) []ducha.ExistingNotice {
		return []ducha.ExistingNotice{{ID: 1, ItemKind: item.Kind, ItemID: item.ID, Kind: kind, Status: ducha.NoticeIssued, Due: due}}
	}
	noDeadline, notYet := problem, problem
	noDeadline.Deadline, notYet.Deadline = "", "2026-12-20"
	working := rules
	working.WorkingDays = true
	cases := []struct {
		name    string
		asOf    ducha.Date
		rules   ducha.Rules
		item    ducha.SupervisedItem
		notices []ducha.ExistingNotice
		want    string
	}{
		{"problem supervision", "2026-12-05", rules, problem, nil,
			"关于QS-2026-0001（……）的督办通知：该问题整改时限为2026-12-01，截至2026-12-05已逾期4天。请于2026-12-07前签收并书面答复整改情况。"},
		{"case reminder", "2026-12-02", rules, caseItem, nil,
			"关于XF-2026-0012（噪声扰民）的催办通知：该交办件办理时限为2026-12-01，截至2026-12-02已逾期1天。请于2026-12-04前签收并书面答复办理情况。"},
		{"case listed, working days", "2026-12-10", working, caseItem, nil,
			"关于XF-2026-0012（噪声扰民）的挂牌督办通知：该交办件办理时限为2026-12-01，截至2026-12-10已逾期7个工作日。请于2026-12-14前签收并书面答复办理情况。"},
		{"past the deadline by no working day", "2026-12-05", working, ducha.SupervisedItem{Kind: ducha.ItemCase, ID: 3, Title: "XF-3", Deadline: "2026-12-04"}, nil,
			"关于XF-3的催办通知：该交办件办理时限为2026-12-04，截至2026-12-05已超过办理时限。请于2026-12-08前签收并书面答复办理情况。"},
		{"red and a late supervision", "2026-12-05", rules, problem, late(ducha.NoticeSupervision, problem, "2026-12-04"),
			"关于QS-2026-0001（……）的挂牌督办通知：该问题整改时限为2026-12-01，截至2026-12-05已逾期4天，此前下发的督办通知要求于2026-12-04前答复，至今未答复。请于2026-12-07前签收并书面答复整改情况。"},
		{"late reminder, deadline ahead", "2026-12-05", rules, notYet, late(ducha.NoticeReminder, notYet, "2026-12-04"),
			"关于QS-2026-0001（……）的督办通知：该问题整改时限为2026-12-20，此前下发的催办通知要求于2026-12-04前答复，截至2026-12-05仍未答复。请于2026-12-07前签收并书面答复整改情况。"},
		{"late reminder, no deadline", "2026-12-05", rules, noDeadline, late(ducha.NoticeReminder, noDeadline, "2026-12-04"),
			"关于QS-2026-0001（……）的督办通知：此前就该问题下发的催办通知要求于2026-12-04前答复，截至2026-12-05仍未答复。请于2026-12-07前签收并书面答复整改情况。"},
	}
	for _, c := range cases {
		issue, _ := ducha.Escalate(c.asOf, c.rules, ducha.Calendar{}, []ducha.SupervisedItem{c.item}, c.notices)
		if len(issue) != 1 {
			t.Errorf("%s: %d drafts, want 1", c.name, len(issue))
			continue
		}
		if issue[0].Text != c.want {
			t.Errorf("%s: text\n%s\nwant\n%s", c.name, issue[0].Text, c.want)
		}
	}
}

// svAsNotices records drafts as the store would: numbered after the notices
// on file and issued.
func svAsNotices(notices []ducha.ExistingNotice, drafts []ducha.NoticeDraft) []ducha.ExistingNotice {
	next := int64(0)
	for _, n := range notices {
		next = max(next, n.ID)
	}
	for _, d := range drafts {
		next++
		notices = append(notices, ducha.ExistingNotice{ID: next, ItemKind: d.ItemKind, ItemID: d.ItemID, Kind: d.Kind, Status: ducha.NoticeIssued, Due: d.Due})
	}
	return notices
}

// TestEscalateIdempotent runs the pass twice on the same day, the second
// time with the first's drafts on file and its closings done: the second
// pass has nothing to do.
func TestEscalateIdempotent(t *testing.T) {
	items := []ducha.SupervisedItem{
		svProblem(1, "2026-12-04"),              // 1 day: reminder
		svProblem(2, "2026-12-02"),              // 3 days: supervision
		svProblem(3, "2026-11-20"),              // 15 days: listed
		svProblem(4, "2026-12-04"),              // late reminder: supervision
		svItem(ducha.ItemCase, 5, "2026-12-01"), // 4 days: supervision
		svClosed(svProblem(6, "2026-11-01")),
		svProblem(7, "2026-12-30"),
	}
	notices := []ducha.ExistingNotice{
		svNotice(1, 4, ducha.NoticeReminder, ducha.NoticeSigned, "2026-12-04"),
		svNotice(2, 6, ducha.NoticeSupervision, ducha.NoticeIssued, "2026-12-04"),
		svNotice(3, 6, ducha.NoticeReminder, ducha.NoticeAnswered, "2026-12-02"),
	}
	passes := []struct {
		rules  ducha.Rules
		drafts int
	}{
		{ducha.DefaultRules(), 5},
		// On Saturday in working days, item 1 is not yet a working day red
		// and gets no reminder; the others escalate as before.
		{ducha.Rules{ReminderOnRed: false, SupervisionAfterDays: 2, ListedAfterDays: 5, AnswerDays: 1, WorkingDays: true}, 4},
	}
	for _, pass := range passes {
		rules := pass.rules
		issue, closing := ducha.Escalate("2026-12-05", rules, nationalDay, items, notices)
		if len(issue) != pass.drafts || !reflect.DeepEqual(closing, []int64{2, 3}) {
			t.Fatalf("first pass: %v, close %v; want %d drafts and close [2 3]", svSummaries(issue), closing, pass.drafts)
		}
		after := svAsNotices(append([]ducha.ExistingNotice(nil), notices...), issue)
		for i := range after {
			if after[i].ID == 2 || after[i].ID == 3 {
				after[i].Status = ducha.NoticeClosed
			}
		}
		again, closeAgain := ducha.Escalate("2026-12-05", rules, nationalDay, items, after)
		if len(again) != 0 || len(closeAgain) != 0 {
			t.Fatalf("second pass: %v, close %v; want nothing", svSummaries(again), closeAgain)
		}
	}
}

// TestEscalateOverTime walks one item day by day, recording each draft as
// issued: a unit that never answers climbs a level every time a notice
// falls due, one that answers at once climbs by the days alone.
func TestEscalateOverTime(t *testing.T) {
	walk := func(answer bool) []string {
		item := []ducha.SupervisedItem{svProblem(1, "2026-12-01")}
		var notices []ducha.ExistingNotice
		var log []string
		for d := ducha.Date("2026-12-01"); d <= "2026-12-12"; d = d.AddDays(1) {
			issue, _ := ducha.Escalate(d, ducha.DefaultRules(), ducha.Calendar{}, item, notices)
			for _, n := range issue {
				log = append(log, string(d)+" "+svSummary(n))
			}
			notices = svAsNotices(notices, issue)
			if answer {
				for i := range notices {
					notices[i].Status = ducha.NoticeAnswered
				}
			}
		}
		return log
	}
	silent := []string{
		"2026-12-02 problem/1 reminder unit=101 due=2026-12-04 逾期1天",
		"2026-12-04 problem/1 supervision unit=101 due=2026-12-06 逾期3天",
		"2026-12-07 problem/1 listed unit=101 due=2026-12-09 督办单逾期未答复",
	}
	if got := walk(false); !reflect.DeepEqual(got, silent) {
		t.Errorf("never answered:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(silent, "\n"))
	}
	answered := []string{
		"2026-12-02 problem/1 reminder unit=101 due=2026-12-04 逾期1天",
		"2026-12-04 problem/1 supervision unit=101 due=2026-12-06 逾期3天",
		"2026-12-08 problem/1 listed unit=101 due=2026-12-10 逾期7天",
	}
	if got := walk(true); !reflect.DeepEqual(got, answered) {
		t.Errorf("answered at once:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(answered, "\n"))
	}
}

func TestNoticeKinds(t *testing.T) {
	want := []struct {
		kind  ducha.NoticeKind
		label string
		level int
	}{
		{ducha.NoticeReminder, "催办", 1},
		{ducha.NoticeSupervision, "督办", 2},
		{ducha.NoticeListed, "挂牌督办", 3},
	}
	if len(ducha.NoticeKinds) != len(want) {
		t.Fatalf("NoticeKinds %v", ducha.NoticeKinds)
	}
	for i, w := range want {
		k := ducha.NoticeKinds[i]
		if k != w.kind || k.Label() != w.label || k.Level() != w.level {
			t.Errorf("NoticeKinds[%d] = %s %s %d, want %s %s %d", i, k, k.Label(), k.Level(), w.kind, w.label, w.level)
		}
	}
	if l := ducha.NoticeKind("warning").Level(); l != 0 {
		t.Errorf("unknown kind level %d, want 0", l)
	}
	labels := map[ducha.NoticeStatus]string{ducha.NoticeIssued: "待签收", ducha.NoticeSigned: "已签收", ducha.NoticeAnswered: "已答复", ducha.NoticeClosed: "已关闭"}
	for _, s := range ducha.NoticeStatuses {
		if s.Label() != labels[s] {
			t.Errorf("status %s label %q, want %q", s, s.Label(), labels[s])
		}
	}
}

func TestNoticeNo(t *testing.T) {
	cases := []struct {
		prefix string
		kind   ducha.NoticeKind
		year   int
		seq    int
		want   string
	}{
		{"清", ducha.NoticeReminder, 2026, 3, "清催办〔2026〕3号"},
		{"清", ducha.NoticeSupervision, 2026, 12, "清督办〔2026〕12号"},
		{"清", ducha.NoticeListed, 2026, 1, "清挂牌督办〔2026〕1号"},
		{"", ducha.NoticeSupervision, 2027, 105, "督办〔2027〕105号"},
	}
	for _, c := range cases {
		if got := ducha.NoticeNo(c.prefix, c.kind, c.year, c.seq); got != c.want {
			t.Errorf("NoticeNo(%q, %s, %d, %d) = %q, want %q", c.prefix, c.kind, c.year, c.seq, got, c.want)
		}
	}
	if got := ducha.NoticeNo("清", ducha.NoticeSupervision, 2026, 12); !strings.Contains(got, "\u3014") || !strings.Contains(got, "\u3015") {
		t.Errorf("%q lacks the brackets 〔〕", got)
	}
}

// TestEscalateOnCatchingUp: a pass run on 12-10 as of 12-05 judges the
// item as of 12-05 (two days red: a 催办) but gives the unit its answer
// days from 12-10, not a notice already late; issueOn before asOf is asOf.
func TestEscalateOnCatchingUp(t *testing.T) {
	items := []ducha.SupervisedItem{{Kind: ducha.ItemProblem, ID: 1, UnitID: 7, Title: "QS-1", Deadline: "2026-12-03"}}
	issue, _ := ducha.EscalateOn("2026-12-05", "2026-12-10", ducha.DefaultRules(), ducha.Calendar{}, items, nil)
	if len(issue) != 1 || issue[0].Kind != ducha.NoticeReminder || issue[0].Due != "2026-12-12" || !strings.Contains(issue[0].Text, "截至2026-12-05已逾期2天") || !strings.Contains(issue[0].Text, "请于2026-12-12前") {
		t.Fatalf("catching up: %+v", issue)
	}
	issue, _ = ducha.EscalateOn("2026-12-05", "2026-12-01", ducha.DefaultRules(), ducha.Calendar{}, items, nil)
	if len(issue) != 1 || issue[0].Due != "2026-12-07" {
		t.Fatalf("issueOn before asOf: %+v", issue)
	}
}
