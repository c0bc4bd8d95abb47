package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ducha"
	"ducha/demo"
	"ducha/internal/storetest"
	"ducha/store"
)

// An inspection month in small: the daily report of a past day, computed
// at the end of the run, equals the one computed that evening.
func TestFillCasesReportsStable(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			var now time.Time
			clock := func() time.Time { return now }
			db := storetest.Open(t, engine, store.Options{Now: clock})
			start := ducha.Date("2026-12-01")
			now = start.Time().Add(-24 * time.Hour)
			ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
			if _, err := demo.Fill(ctx, db, demo.Options{Problems: 50, Seed: 3, Today: start, Workflow: -1}); err != nil {
				t.Fatal(err)
			}
			evening := map[ducha.Date]string{}
			report := func(d ducha.Date) string {
				r, err := db.DailyReport(ctx, d)
				if err != nil {
					t.Fatalf("report %s: %v", d, err)
				}
				return fmt.Sprintf("%+v", *r)
			}
			res, err := demo.FillCases(ctx, db, demo.CaseOptions{Cases: 300, Days: 6, Start: start, Seed: 5,
				NewDay: func(d ducha.Date) {
					if prev := d.AddDays(-1); prev >= start {
						now = prev.Time().Add(12 * time.Hour) // 20:00 in the county, the evening before
						evening[prev] = report(prev)
					}
					now = d.Time().Add(2 * time.Hour) // 10:00 in the county
				}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Cases != 300 || res.Batches != 6 || res.Actions < 600 {
				t.Fatalf("result %+v", res)
			}
			last := start.AddDays(5)
			r, err := db.DailyReport(ctx, last)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Cases
			if c.Total != 300 || c.Batches != 6 || c.Phone+c.Letter != 300 || c.Closed+c.StageClosed+c.Open != 300 || c.Closed == 0 || c.Open == 0 {
				t.Fatalf("report %+v", c)
			}
			if r.Measures.OrderedToRectify == 0 || r.Measures.FinesYuan == 0 {
				t.Fatalf("measures %+v", r.Measures)
			}
			for d, want := range evening {
				if got := report(d); got != want {
					t.Fatalf("report for %s recomputed later:\n got %s\nwant %s", d, got, want)
				}
			}
			if len(evening) != 5 {
				t.Fatalf("%d evenings", len(evening))
			}
			if broken, _, err := db.VerifyChain(ctx); broken != 0 || err != nil {
				t.Fatalf("chain broken at %d: %v", broken, err)
			}
		})
	}
}
