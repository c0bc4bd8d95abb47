package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"ducha"
	"ducha/demo"
	"ducha/store"
)

// benchDB opens the store named by DUCHA_BENCH_DB (filled beforehand with
// `ducha demo --problems 1000000`), or fills a 20,000-problem SQLite store
// in a temporary folder.
func benchDB(b *testing.B) *store.DB {
	b.Helper()
	dsn := os.Getenv("DUCHA_BENCH_DB")
	fill := dsn == ""
	if fill {
		dsn = filepath.Join(b.TempDir(), "bench.db")
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if fill {
		if _, err := demo.Fill(ducha.NewContextWithUser(context.Background(), ducha.SystemUser), db, demo.Options{Problems: 20000, Seed: 1, Workflow: -1}); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func BenchmarkFindProblems(b *testing.B) {
	db := benchDB(b)
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	yes := true
	cases := []struct {
		name string
		f    ducha.ProblemFilter
	}{
		{"status+area", ducha.ProblemFilter{Status: ducha.StatusInProgress, Area: "永清镇", Limit: 50}},
		{"overdue", ducha.ProblemFilter{Overdue: &yes, Limit: 50}},
		{"all", ducha.ProblemFilter{Limit: 50}},
		{"q=扬尘", ducha.ProblemFilter{Q: "扬尘", Limit: 50}},
		{"q=渗滤液", ducha.ProblemFilter{Q: "渗滤液", Limit: 50}},
		{"q=yqz", ducha.ProblemFilter{Q: "yqz", Limit: 50}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.FindProblems(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCountProblems(b *testing.B) {
	db := benchDB(b)
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	for b.Loop() {
		if _, err := db.CountProblems(ctx, ducha.ProblemFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLedgerPage is one page of 50 of every filter the ledger form
// offers, alone and with a status and an area, counted as the page counts
// (from the counters, or the count cache for a search), and a filtered
// search at page 1 and at page 20 by key (BeforeID). On a store of
// 1,000,000 problems: DUCHA_BENCH_DB=/tmp/b1m.db go test ./store/ -run '^$' -bench LedgerPage
func BenchmarkLedgerPage(b *testing.B) {
	db := benchDB(b)
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	units, err := db.FindUnits(ctx)
	if err != nil || len(units) == 0 {
		b.Fatal(units, err)
	}
	var unit int64
	for _, u := range units {
		if u.Name == "永清镇" {
			unit = u.ID
		}
	}
	yes := true
	st, area := ducha.StatusInProgress, "永清镇"
	cases := []struct {
		name string
		f    ducha.ProblemFilter
	}{
		{"all", ducha.ProblemFilter{}},
		{"status", ducha.ProblemFilter{Status: st}},
		{"area", ducha.ProblemFilter{Area: area}},
		{"status+area", ducha.ProblemFilter{Status: st, Area: area}},
		{"unit", ducha.ProblemFilter{UnitID: unit}},
		{"unit+status", ducha.ProblemFilter{UnitID: unit, Status: st}},
		{"unit+area", ducha.ProblemFilter{UnitID: unit, Area: area}},
		{"type", ducha.ProblemFilter{Type: "大气"}},
		{"type+status", ducha.ProblemFilter{Type: "大气", Status: st}},
		{"type+area", ducha.ProblemFilter{Type: "大气", Area: area}},
		{"type+unit", ducha.ProblemFilter{Type: "大气", UnitID: unit}},
		{"overdue", ducha.ProblemFilter{Overdue: &yes}},
		{"overdue+area", ducha.ProblemFilter{Overdue: &yes, Area: area}},
		{"red", ducha.ProblemFilter{Warning: ducha.WarningRed}},
		{"yellow", ducha.ProblemFilter{Warning: ducha.WarningYellow}},
		{"yellow+status", ducha.ProblemFilter{Warning: ducha.WarningYellow, Status: st}},
		{"yellow+area", ducha.ProblemFilter{Warning: ducha.WarningYellow, Area: area}},
		{"none+type", ducha.ProblemFilter{Warning: ducha.WarningNone, Type: "水"}},
		{"q=扬尘", ducha.ProblemFilter{Q: "扬尘"}},
		{"q=油烟+area", ducha.ProblemFilter{Q: "油烟", Area: area}},
	}
	for _, c := range cases {
		c.f.Limit = 50
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.FindProblems(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Page 20 of a filtered search, by key: the key is the last id of page 19.
	for _, name := range []string{"q=油烟+area", "q=扬尘"} {
		f := ducha.ProblemFilter{Q: "油烟", Area: area, Limit: 50}
		if name == "q=扬尘" {
			f = ducha.ProblemFilter{Q: "扬尘", Limit: 50}
		}
		for range 19 {
			ps, _, err := db.FindProblems(ctx, f)
			if err != nil || len(ps) == 0 {
				b.Fatal(len(ps), err)
			}
			f.BeforeID = ps[len(ps)-1].ID
		}
		b.Run(name+"/page20", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.FindProblems(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
