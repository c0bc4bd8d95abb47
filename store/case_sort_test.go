package store_test

import (
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestCaseListSortAndFilters: every column of ducha.CaseSorts sorts the
// list on both engines the same way, ties broken on id; a column off the
// list is refused; the channel and key filters and the areas are scoped
// to a liaison's unit.
func TestCaseListSortAndFilters(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-09").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		rows := []ducha.BatchRow{
			row(1, "D3SX202612090003", "永清镇", "大气", true),
			row(2, "X3SX202612090001", "红堡镇", "水", false),
			row(3, "D3SX202612090002", "永清镇", "噪声", false),
			row(4, "X3SX202612090004", "城关镇", "大气", true),
		}
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", rows); err != nil {
			t.Fatal(err)
		}
		work(t, db, f, "X3SX202612090001", "红堡镇", "liaison_hb", "属实")
		act(t, db, coord, "D3SX202612090003", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})

		list := func(fl ducha.CaseFilter) []string {
			t.Helper()
			fl.Limit = 100
			cs, _, err := db.FindCases(coord, fl)
			if err != nil {
				t.Fatalf("%+v: %v", fl, err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.AcceptanceNo)
			}
			return out
		}
		if got := list(ducha.CaseFilter{Sort: "acceptance_no"}); !slices.Equal(got, []string{"D3SX202612090002", "D3SX202612090003", "X3SX202612090001", "X3SX202612090004"}) {
			t.Fatalf("by acceptance number: %v", got)
		}
		// Status in workflow order: received (ids 3, 4 — ties on id), assigned, submitted.
		if got := list(ducha.CaseFilter{Sort: "status"}); !slices.Equal(got, []string{"D3SX202612090002", "X3SX202612090004", "D3SX202612090003", "X3SX202612090001"}) {
			t.Fatalf("by status: %v", got)
		}
		if got := list(ducha.CaseFilter{Sort: "status", Desc: true}); !slices.Equal(got, []string{"X3SX202612090001", "D3SX202612090003", "X3SX202612090004", "D3SX202612090002"}) {
			t.Fatalf("by status, descending: %v", got)
		}
		// Cases without a deadline sort first ascending, on both engines.
		if got := list(ducha.CaseFilter{Sort: "deadline"}); got[0] != "D3SX202612090002" || got[1] != "X3SX202612090004" {
			t.Fatalf("by deadline: %v", got)
		}
		for _, s := range ducha.CaseSorts {
			if got := list(ducha.CaseFilter{Sort: s}); len(got) != 4 {
				t.Fatalf("sort %s: %v", s, got)
			}
		}
		if _, _, err := db.FindCases(coord, ducha.CaseFilter{Sort: "c.id; --"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("a sort off the list: %v", err)
		}
		yes := true
		if got := list(ducha.CaseFilter{Key: &yes, Channel: ducha.ChannelLetter}); !slices.Equal(got, []string{"X3SX202612090004"}) {
			t.Fatalf("key letters: %v", got)
		}
		areas, err := db.FindCaseAreas(coord)
		if err != nil || !slices.Equal(areas, []string{"城关镇", "永清镇", "红堡镇"}) && !slices.Equal(areas, []string{"城关镇", "红堡镇", "永清镇"}) {
			t.Fatalf("areas: %v %v", areas, err)
		}
		hb := storetest.As(f.Users["liaison_hb"])
		if areas, err := db.FindCaseAreas(hb); err != nil || !slices.Equal(areas, []string{"红堡镇"}) {
			t.Fatalf("the liaison's areas: %v %v", areas, err)
		}
		if cs, total, err := db.FindCases(hb, ducha.CaseFilter{Sort: "area", Limit: 100}); err != nil || total != 1 || cs[0].AcceptanceNo != "X3SX202612090001" {
			t.Fatalf("the liaison's list: %d %v", total, err)
		}
	})
}
