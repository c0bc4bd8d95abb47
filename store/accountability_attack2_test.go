package store_test

import (
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// A past period's ranking must not move when a case is reassigned later
// with a new deadline: the doc claims case overdue comes from case_states,
// but the query reads the current cases.deadline.
func TestAttack2RankingPastPeriodCaseDeadlineMoves(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		if _, err := db.ImportBatch(coord, 1, "2026-11-25", "b1.xlsx", []ducha.BatchRow{row(1, "X3SX202611250001", "永清镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		act(t, db, coord, "X3SX202611250001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"县生态环境局"}})
		overdue := func() int {
			r, err := db.DisciplineReport(coord, "2026-12-01", "2026-12-10")
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range r.Items {
				if x.Unit == "县生态环境局" {
					return x.Overdue
				}
			}
			return -1
		}
		clock.Add(24 * time.Hour)
		before := overdue()
		if before != 1 {
			t.Fatalf("setup: overdue %d", before)
		}
		// 12-11: the coordinator reassigns it to the same unit, due 12-31.
		act(t, db, coord, "X3SX202611250001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"县生态环境局"}, Deadline: "2026-12-31"})
		if after := overdue(); after != before {
			t.Errorf("ranking of 12-01..12-10 changed after the period: overdue %d, was %d", after, before)
		}
	})
}

// Another unit's record answers exactly like a missing one, by id, by
// events and through every list filter.
func TestAttack2ScopeOtherUnitRecord(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		hb := storetest.As(f.Users["liaison_hb"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-05")
		a := record(t, db, f, "王五", "永清镇", "2026-12-09", []int64{p.ID}, nil)
		_, errMissing := db.FindAccountabilityByID(hb, a.ID+1000)
		_, errOther := db.FindAccountabilityByID(hb, a.ID)
		if ducha.ErrorCode(errOther) != ducha.ENOTFOUND || ducha.ErrorMessage(errOther) != ducha.ErrorMessage(errMissing) {
			t.Errorf("other unit's record: %v; missing: %v", errOther, errMissing)
		}
		if _, err := db.FindAccountabilityEvents(hb, a.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("events: %v", err)
		}
		for _, fl := range []ducha.AccountabilityFilter{{}, {UnitID: f.Units["永清镇"].ID}, {ProblemID: p.ID}} {
			items, total, err := db.FindAccountability(hb, fl)
			if err != nil || total != 0 || len(items) != 0 {
				t.Errorf("filter %+v: %d %d %v", fl, len(items), total, err)
			}
		}
	})
}

// A NUL byte in a name is refused with a clear message, not an internal
// error (PostgreSQL's text cannot hold it).
func TestAttack2NulInPerson(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		_, err := db.CreateAccountability(storetest.As(f.Users["discipline"]), &ducha.AccountabilityInput{
			Person: "王\x00五", Unit: "永清镇", Form: "通报批评", Reason: "整改不力\x00", DecidedBy: "县纪委监委", Date: "2026-12-09"})
		if ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("NUL in person: code %q, %v", ducha.ErrorCode(err), err)
		}
	})
}
