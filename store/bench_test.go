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
