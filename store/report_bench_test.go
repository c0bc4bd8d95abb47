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

// BenchmarkDailyReport computes the daily report as of today and as of a
// past day over the store named by DUCHA_BENCH_CASES_DB (filled with
// `ducha demo --problems 0 --cases 200000 --days 20`), or over 5,000
// generated cases.
func BenchmarkDailyReport(b *testing.B) {
	dsn := os.Getenv("DUCHA_BENCH_CASES_DB")
	fill := dsn == ""
	if fill {
		dsn = filepath.Join(b.TempDir(), "cases.db")
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	if fill {
		if _, err := demo.Fill(ctx, db, demo.Options{Problems: 100, Workflow: -1}); err != nil {
			b.Fatal(err)
		}
		if _, err := demo.FillCases(ctx, db, demo.CaseOptions{Cases: 5000, Days: 10}); err != nil {
			b.Fatal(err)
		}
	}
	today, _ := db.DailyReport(ctx, "")
	b.Logf("as of %s: %d cases, %d batches", today.AsOf, today.Cases.Total, today.Cases.Batches)
	for _, c := range []struct {
		name string
		day  ducha.Date
	}{{"today", ""}, {"10_days_ago", today.AsOf.AddDays(-10)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.DailyReport(ctx, c.day); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
