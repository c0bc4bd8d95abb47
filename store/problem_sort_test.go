package store_test

import (
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestProblemSorts orders the ledger by every sort key both ways, on both
// engines, and checks each order against ducha.SortProblems over the whole
// list; a page of a sorted list is the same slice of it, a liaison's
// sorted list keeps to the unit, and a key not in the list is refused.
func TestProblemSorts(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		// Deadlines past, near and far, some the same (ties on the id);
		// areas and units that sort differently from the ids.
		for i, c := range []struct {
			unit, desc string
			deadline   ducha.Date
		}{
			{"永清镇", "砖厂扬尘", "2026-12-20"}, {"红堡镇", "养殖场粪污", "2026-12-01"},
			{"县生态环境局", "河道垃圾", "2026-12-12"}, {"永清镇", "露天焚烧", "2026-12-12"},
			{"红堡镇", "噪声扰民", "2027-01-05"}, {"县生态环境局", "油烟直排", "2026-12-20"},
			{"永清镇", "Aardvark 废水", "2026-12-09"},
		} {
			p := newProblem(t, db, f, c.unit, c.desc, c.deadline)
			if i == 1 { // closed: no warning, whatever its deadline
				if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: p.Version, Text: "已整改"}); err != nil {
					t.Fatal(err)
				}
				p, _ = db.FindProblemByID(coord, p.ID)
				if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Version: p.Version}); err != nil {
					t.Fatal(err)
				}
			}
			if i == 2 || i == 4 {
				pct := 20 * i
				if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: p.Version, Text: "推进中", Percent: &pct}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Registered only: no lead unit, no deadline.
		for _, area := range []string{"", "城关镇"} {
			if err := db.CreateProblem(coord, &ducha.Problem{Source: "信访交办", Description: "待交办的问题" + area, Area: area, Types: []string{"水"}}); err != nil {
				t.Fatal(err)
			}
		}
		all, total, err := db.FindProblems(coord, ducha.ProblemFilter{Limit: ducha.MaxPerPage})
		if err != nil || total != 9 || len(all) != 9 {
			t.Fatalf("all: %d of %d, %v", len(all), total, err)
		}
		ids := func(ps []*ducha.Problem) []int64 {
			out := make([]int64, len(ps))
			for i, p := range ps {
				out[i] = p.ID
			}
			return out
		}
		for _, key := range ducha.ProblemSorts {
			for _, desc := range []bool{false, true} {
				want := slices.Clone(all)
				ducha.SortProblems(want, key, desc)
				got, n, err := db.FindProblems(coord, ducha.ProblemFilter{Sort: key, Desc: desc, Limit: 100})
				if err != nil || n != 9 {
					t.Fatalf("sort %s desc %v: %d, %v", key, desc, n, err)
				}
				if !slices.Equal(ids(got), ids(want)) {
					t.Errorf("sort %s desc %v: got %v, want %v", key, desc, ids(got), ids(want))
				}
				page, _, err := db.FindProblems(coord, ducha.ProblemFilter{Sort: key, Desc: desc, Limit: 3, Offset: 3})
				if err != nil || !slices.Equal(ids(page), ids(want[3:6])) {
					t.Errorf("sort %s desc %v page 2: got %v, want %v (%v)", key, desc, ids(page), ids(want[3:6]), err)
				}
			}
		}
		// The orders the table promises, spelled out for two keys.
		byDeadline, _, _ := db.FindProblems(coord, ducha.ProblemFilter{Sort: ducha.SortDeadline, Limit: 100})
		var days []ducha.Date
		for _, p := range byDeadline {
			days = append(days, p.Deadline)
		}
		if want := []ducha.Date{"2026-12-01", "2026-12-09", "2026-12-12", "2026-12-12", "2026-12-20", "2026-12-20", "2027-01-05", "", ""}; !slices.Equal(days, want) {
			t.Errorf("by deadline: %v", days)
		}
		byWarning, _, _ := db.FindProblems(coord, ducha.ProblemFilter{Sort: ducha.SortWarning, Desc: true, Limit: 100})
		if byWarning[0].Warning != ducha.WarningRed || byWarning[1].Warning != ducha.WarningYellow || byWarning[len(byWarning)-1].Warning != ducha.WarningNone {
			t.Errorf("by warning: %v %v … %v", byWarning[0].Warning, byWarning[1].Warning, byWarning[len(byWarning)-1].Warning)
		}
		// A liaison's sorted list: the unit's problems only.
		mine, n, err := db.FindProblems(storetest.As(f.Users["liaison_yq"]), ducha.ProblemFilter{Sort: ducha.SortArea, Limit: 100})
		if err != nil || n != 3 || len(mine) != 3 {
			t.Fatalf("liaison sorted: %d of %d, %v", len(mine), n, err)
		}
		for _, p := range mine {
			if p.LeadUnit != "永清镇" {
				t.Errorf("liaison sees %s of %s", p.Code, p.LeadUnit)
			}
		}
		// Refused: a key not in the list, a key with after, too deep a page.
		for _, bad := range []ducha.ProblemFilter{
			{Sort: "id; DROP TABLE problems", Limit: 10},
			{Sort: "p.code", Limit: 10},
			{Sort: ducha.SortCode, BeforeID: 5, Limit: 10},
			{Sort: ducha.SortCode, Offset: ducha.MaxSortOffset + 1, Limit: 10},
		} {
			if _, _, err := db.FindProblems(coord, bad); ducha.ErrorCode(err) != ducha.EINVALID {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		if _, n, err := db.FindProblems(coord, ducha.ProblemFilter{Limit: 1}); err != nil || n != 9 {
			t.Fatalf("the ledger after the refused sorts: %d, %v", n, err)
		}
		areas, err := db.ProblemAreas(coord)
		if want := []string{"县生态环境局", "城关镇", "永清镇", "红堡镇"}; err != nil || !slices.Equal(areas, want) {
			t.Errorf("areas: %v, %v; want %v", areas, err, want)
		}
		if areas, err := db.ProblemAreas(storetest.As(f.Users["liaison_hb"])); err != nil || !slices.Equal(areas, []string{"红堡镇"}) {
			t.Errorf("liaison's areas: %v, %v", areas, err)
		}
	})
}
