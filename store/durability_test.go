package store_test

import (
	"fmt"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestSQLiteSynchronousFull: an acknowledged write survives a power cut, so
// every SQLite connection runs synchronous=FULL (2), the writer above all.
func TestSQLiteSynchronousFull(t *testing.T) {
	db := storetest.Open(t, "sqlite", store.Options{})
	w, r, err := store.Synchronous(db)
	if err != nil {
		t.Fatal(err)
	}
	if w != 2 || r != 2 {
		t.Fatalf("synchronous: writer %d, reader %d, want 2 (FULL)", w, r)
	}
}

// BenchmarkWriteDurability is the cost of one acknowledged write (a progress
// report: one IMMEDIATE transaction that updates the problem, its state
// history and search tokens and appends the audit event) under FULL, which
// ducha runs, and under NORMAL, which it ran before. On SQLite the difference
// is one fsync of the WAL per commit.
//
//	go test ./store -run '^$' -bench WriteDurability -benchtime 2000x
func BenchmarkWriteDurability(b *testing.B) {
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run(mode, func(b *testing.B) {
			db := storetest.Open(b, "sqlite", store.Options{})
			if err := store.SetSynchronous(db, mode); err != nil {
				b.Fatal(err)
			}
			f := storetest.Seed(b, db)
			ctx := storetest.As(f.Users["coord"])
			p := &ducha.Problem{Source: "自查发现", Description: "砖厂扬尘", Area: "永清镇", Types: []string{"大气"}}
			if err := db.CreateProblem(ctx, p); err != nil {
				b.Fatal(err)
			}
			p, err := db.ActOnProblem(ctx, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version,
				LeadUnit: "永清镇", Person: "张三", Measures: "清理整治", Deadline: "2027-06-30"})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p, err = db.ActOnProblem(ctx, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: p.Version,
					Text: fmt.Sprintf("第%d次报送：已覆盖防尘网", i)})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
