package store_test

import (
	"context"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// The ledger's data versions (ProblemsVersion): a case action and another
// unit's write keep a unit's version, a write to a problem of the unit or a
// unit rename moves it; the county's moves with every problem write. And
// two instances on one database: what one caches is never stale after the
// other writes (the version, the counters and the count cache are in the
// database or keyed on it).
func TestProblemsVersionsAcrossInstances(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, a *store.DB) {
		*clock = *clockAt("2026-12-10") // the engine before moved it
		b, err := store.Open(context.Background(), a.DSN(), store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		f := storetest.Seed(t, a)
		coord := storetest.As(f.Users["coord"])
		yq, hb := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["liaison_hb"])
		versions := func(db *store.DB) (county, ofYQ, ofHB int64) {
			t.Helper()
			var err error
			for _, v := range []struct {
				ctx context.Context
				to  *int64
			}{{coord, &county}, {yq, &ofYQ}, {hb, &ofHB}} {
				if *v.to, err = db.ProblemsVersion(v.ctx); err != nil {
					t.Fatal(err)
				}
			}
			return
		}

		newProblem(t, a, f, "永清镇", "永清镇砖厂扬尘", "2026-12-20")
		hbProblem := newProblem(t, a, f, "红堡镇", "红堡镇养殖场污水", "2026-12-11")
		c0, y0, h0 := versions(b)
		if c0 == 0 || y0 == 0 || h0 == 0 {
			t.Fatalf("versions after writes: county %d, 永清镇 %d, 红堡镇 %d", c0, y0, h0)
		}

		// A case batch and a case action, on the other instance: the
		// ledger's versions stay, so its cached pages stay.
		rows := []ducha.BatchRow{row(1, "D3SX202612100001", "永清镇", "大气", true)}
		if _, err := b.ImportBatch(coord, 1, "2026-12-10", "batch1.xlsx", rows); err != nil {
			t.Fatal(err)
		}
		act(t, b, coord, "D3SX202612100001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		if c, y, h := versions(a); c != c0 || y != y0 || h != h0 {
			t.Fatalf("a case moved the ledger's versions: county %d→%d, 永清镇 %d→%d, 红堡镇 %d→%d", c0, c, y0, y, h0, h)
		}

		// 红堡镇's problem changes on b: 红堡镇's and the county's versions
		// move, 永清镇's stays.
		yes := true
		hbCount := func(db *store.DB) int {
			t.Helper()
			_, n, err := db.FindProblems(hb, ducha.ProblemFilter{Overdue: &yes, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := hbCount(a); n != 0 {
			t.Fatalf("红堡镇 overdue before: %d", n)
		}
		p, err := b.ActOnProblem(coord, hbProblem.ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Version: hbProblem.Version,
			Deadline: "2026-12-30", Reason: "雨季施工"})
		if err != nil {
			t.Fatal(err)
		}
		c1, y1, h1 := versions(a)
		if c1 <= c0 || h1 <= h0 || y1 != y0 {
			t.Fatalf("红堡镇's write: county %d→%d, 永清镇 %d→%d (want kept), 红堡镇 %d→%d", c0, c1, y0, y1, h0, h1)
		}
		// The day moves past the deadline: both instances count it overdue
		// at once (the counters are judged on the new day by whichever
		// instance gets there first; the other counts from the rows until
		// then).
		clock.Add(2 * 24 * 60 * 60 * 1e9)
		if n := hbCount(a); n != 1 {
			t.Fatalf("红堡镇 overdue on a, the day after its deadline: %d, want 1", n)
		}
		if n := hbCount(b); n != 1 {
			t.Fatalf("红堡镇 overdue on b: %d, want 1", n)
		}
		// b closes it: a's cached count (same filter, same day) is not kept.
		if _, err := b.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: p.Version, Text: "已完成"}); err != nil {
			t.Fatal(err)
		}
		p, _ = b.FindProblemByID(coord, p.ID)
		approve := true
		if _, err := b.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Version: p.Version, Approve: &approve, Text: "验收合格"}); err != nil {
			t.Fatal(err)
		}
		if n := hbCount(a); n != 0 {
			t.Fatalf("红堡镇 overdue on a after b closed it: %d, want 0", n)
		}
		if err := a.CheckTally(coord); err != nil {
			t.Fatal(err)
		}

		// A unit's name is on every page of the ledger: renaming one moves
		// every version.
		u, err := b.FindUnitByID(coord, f.Units["红堡镇"].ID)
		if err != nil {
			t.Fatal(err)
		}
		name := "红堡镇人民政府"
		if _, err := b.UpdateUnit(storetest.As(f.Users["admin"]), u.ID, ducha.UnitUpdate{Version: u.Version, Name: &name}); err != nil {
			t.Fatal(err)
		}
		if c, y, h := versions(a); c <= c1 || y <= y1 || h <= h1 {
			t.Fatalf("a unit rename kept a version: county %d→%d, 永清镇 %d→%d, 红堡镇 %d→%d", c1, c, y1, y, h1, h)
		}
	})
}
