package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// ledgerByUnit recomputes the report's ledger by unit from the problems
// the user in ctx sees as they stand now, for a report as of asOf (today),
// in the order of the units list.
func ledgerByUnit(t *testing.T, db *store.DB, ctx context.Context, asOf ducha.Date) (lines []ducha.ReportLedgerUnit, unassigned int) {
	t.Helper()
	ps, _, err := db.FindProblems(ctx, ducha.ProblemFilter{Limit: ducha.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	units, err := db.FindUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*ducha.ReportLedgerUnit{}
	for _, p := range ps {
		if p.LeadUnit == "" {
			unassigned++
			continue
		}
		l := by[p.LeadUnit]
		if l == nil {
			l = &ducha.ReportLedgerUnit{Unit: p.LeadUnit}
			by[p.LeadUnit] = l
		}
		l.Total++
		switch p.Status {
		case ducha.StatusClosed:
			l.Closed++
		case ducha.StatusInProgress:
			l.InProgress++
		case ducha.StatusPendingVerification:
			l.PendingVerification++
		}
		if p.Deadline.Valid() && p.Deadline < asOf && p.Status != ducha.StatusClosed {
			l.Overdue++
		}
	}
	lines = []ducha.ReportLedgerUnit{}
	for _, u := range units {
		if l := by[u.Name]; l != nil {
			lines = append(lines, *l)
		}
	}
	return lines, unassigned
}

// checkLedgerSums checks that the lines by unit, with the problems no unit
// leads yet, add up to the ledger's totals.
func checkLedgerSums(t *testing.T, l ducha.ReportLedger, unassigned int) {
	t.Helper()
	var sum ducha.ReportLedgerUnit
	for _, u := range l.ByUnit {
		sum.Total += u.Total
		sum.Closed += u.Closed
		sum.InProgress += u.InProgress
		sum.PendingVerification += u.PendingVerification
		sum.Overdue += u.Overdue
	}
	if sum.Total+unassigned != l.Total || sum.Closed != l.Closed || sum.InProgress != l.InProgress ||
		sum.PendingVerification != l.PendingVerification || sum.Overdue != l.Overdue {
		t.Errorf("by unit %+v (+%d unassigned) does not add up to the totals %+v", sum, unassigned, l)
	}
}

func TestDailyReportLedgerByUnit(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq, hb := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["liaison_hb"])
		act := func(ctx context.Context, p *ducha.Problem, a ducha.ProblemAction) *ducha.Problem {
			t.Helper()
			cur, err := db.FindProblemByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			a.Version = cur.Version
			p, err = db.ActOnProblem(ctx, p.ID, a)
			if err != nil {
				t.Fatalf("%s: %v", a.Action, err)
			}
			return p
		}

		// 12-10: 红堡镇 leads one problem (due 12-12), 永清镇 three (one
		// pending, one overdue, one closed, with 红堡镇 cooperating on the
		// closed one); one problem is not assigned yet; 县生态环境局 leads none.
		newProblem(t, db, f, "红堡镇", "红堡镇石料厂粉尘", "2026-12-12")
		yq1 := newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘", "2026-12-20")
		act(yq, yq1, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成整改"})
		newProblem(t, db, f, "永清镇", "永清镇河道垃圾", "2026-12-05")
		yq3 := &ducha.Problem{Source: "自查发现", Description: "永清镇养殖场废水", Area: "永清镇", Types: []string{"水"}}
		if err := db.CreateProblem(coord, yq3); err != nil {
			t.Fatal(err)
		}
		act(coord, yq3, ducha.ProblemAction{Action: ducha.ActPlan, LeadUnit: "永清镇", CoopUnits: []ducha.UnitRef{"红堡镇"},
			Person: "张三", Measures: "清理整治", Deadline: "2026-12-31"})
		act(yq, yq3, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成整改"})
		act(coord, yq3, ducha.ProblemAction{Action: ducha.ActVerify})
		if err := db.CreateProblem(coord, &ducha.Problem{Source: "自查发现", Description: "尚未交办的问题", Types: []string{"水"}}); err != nil {
			t.Fatal(err)
		}

		day1, err := db.DailyReport(coord, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []ducha.ReportLedgerUnit{
			{Unit: "永清镇", Total: 3, Closed: 1, InProgress: 1, PendingVerification: 1, Overdue: 1},
			{Unit: "红堡镇", Total: 1, InProgress: 1},
		}
		if !reflect.DeepEqual(day1.Ledger.ByUnit, want) {
			t.Fatalf("12-10 by unit:\n got %+v\nwant %+v", day1.Ledger.ByUnit, want)
		}
		if day1.Ledger.Total != 5 {
			t.Fatalf("12-10 ledger total %d, want 5", day1.Ledger.Total)
		}
		checkLedgerSums(t, day1.Ledger, 1)
		if got, unassigned := ledgerByUnit(t, db, coord, day1.AsOf); !reflect.DeepEqual(got, day1.Ledger.ByUnit) || unassigned != 1 {
			t.Fatalf("12-10 recomputed from the problems: %+v (%d unassigned), report %+v", got, unassigned, day1.Ledger.ByUnit)
		}

		// 12-13: 红堡镇's problem is now overdue, 永清镇's pending one is
		// closed, 县生态环境局 gets one.
		clock.Add(3 * 24 * time.Hour)
		act(coord, yq1, ducha.ProblemAction{Action: ducha.ActVerify})
		newProblem(t, db, f, "县生态环境局", "县城污水处理厂出水超标", "2027-01-31")
		r, err := db.DailyReport(coord, "")
		if err != nil {
			t.Fatal(err)
		}
		want = []ducha.ReportLedgerUnit{
			{Unit: "永清镇", Total: 3, Closed: 2, InProgress: 1, Overdue: 1},
			{Unit: "红堡镇", Total: 1, InProgress: 1, Overdue: 1},
			{Unit: "县生态环境局", Total: 1, InProgress: 1},
		}
		if !reflect.DeepEqual(r.Ledger.ByUnit, want) {
			t.Fatalf("12-13 by unit:\n got %+v\nwant %+v", r.Ledger.ByUnit, want)
		}
		checkLedgerSums(t, r.Ledger, 1)
		if got, unassigned := ledgerByUnit(t, db, coord, r.AsOf); !reflect.DeepEqual(got, r.Ledger.ByUnit) || unassigned != 1 {
			t.Fatalf("12-13 recomputed from the problems: %+v (%d unassigned), report %+v", got, unassigned, r.Ledger.ByUnit)
		}

		// The report for 12-10, computed on 12-13, is the one of that evening.
		again, err := db.DailyReport(coord, "2026-12-10")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.Ledger, day1.Ledger) {
			t.Fatalf("12-10 recomputed:\n got %+v\nwant %+v", again.Ledger, day1.Ledger)
		}
		// Before any problem: an empty list, not null.
		empty, err := db.DailyReport(coord, "2026-12-09")
		if err != nil || empty.Ledger.ByUnit == nil || len(empty.Ledger.ByUnit) != 0 {
			t.Fatalf("12-09 by unit %#v (%v)", empty.Ledger.ByUnit, err)
		}

		// A liaison's report counts the problems their unit leads or
		// cooperates on, under their lead units.
		rh, err := db.DailyReport(hb, "")
		if err != nil {
			t.Fatal(err)
		}
		want = []ducha.ReportLedgerUnit{{Unit: "永清镇", Total: 1, Closed: 1}, {Unit: "红堡镇", Total: 1, InProgress: 1, Overdue: 1}}
		if !reflect.DeepEqual(rh.Ledger.ByUnit, want) {
			t.Fatalf("红堡镇's by unit:\n got %+v\nwant %+v", rh.Ledger.ByUnit, want)
		}
		checkLedgerSums(t, rh.Ledger, 0)
		if got, _ := ledgerByUnit(t, db, hb, rh.AsOf); !reflect.DeepEqual(got, rh.Ledger.ByUnit) {
			t.Fatalf("红堡镇's recomputed: %+v, report %+v", got, rh.Ledger.ByUnit)
		}
	})
}
