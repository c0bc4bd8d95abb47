package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// missGate makes a count cache's first computation wait until n callers
// have missed the cache, so that they are all asking at the same time.
type missGate struct {
	n, missed int64
	all       chan struct{}
	once      sync.Once
}

func newMissGate(n int) *missGate { return &missGate{n: int64(n), all: make(chan struct{})} }

func (g *missGate) miss() {
	if atomic.AddInt64(&g.missed, 1) == g.n {
		g.once.Do(func() { close(g.all) })
	}
}

// wait holds a computation until every caller has missed. The bound only
// keeps a broken store from hanging the test; it measures nothing.
func (g *missGate) wait() {
	select {
	case <-g.all:
	case <-time.After(30 * time.Second):
	}
}

// After a write every reader of a filter misses the count cache at once;
// the count is then computed once, not once per reader, and everyone gets
// the same, exact total. The same holds for the ledger's statistics. (The
// filters name a source: the counters of store/tally.go answer the others
// without the count cache.)
func TestConcurrentCountsAreComputedOnce(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		for i := 0; i < 5; i++ {
			newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘", "2026-12-20")
		}
		filter := ducha.ProblemFilter{Area: "永清镇", Source: "自查发现", Limit: 2}
		if _, n, err := db.FindProblems(coord, filter); err != nil || n != 5 {
			t.Fatalf("before the write: %d, %v", n, err)
		}
		newProblem(t, db, f, "永清镇", "永清镇河道垃圾", "2026-12-20") // moves the data version

		const readers = 6 // fewer than the read pool's 8 connections: all run at once
		gate := newMissGate(readers)
		store.SetCountHooks(db, gate.miss, gate.wait)
		defer store.SetCountHooks(db, nil, nil)
		before := store.CountsComputed(db)
		totals := make([]int, readers)
		errs := make([]error, readers)
		var wg sync.WaitGroup
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, totals[i], errs[i] = db.FindProblems(coord, filter)
			}()
		}
		wg.Wait()
		for i := range readers {
			if errs[i] != nil || totals[i] != 6 {
				t.Fatalf("reader %d: total %d, %v; want 6", i, totals[i], errs[i])
			}
		}
		if got := store.CountsComputed(db) - before; got != 1 {
			t.Fatalf("%d readers after a write computed the count %d times, want once", readers, got)
		}

		// The ledger's numbers, after another write.
		newProblem(t, db, f, "红堡镇", "红堡镇养殖场污水", "2026-12-01")
		gate = newMissGate(readers)
		store.SetCountHooks(db, gate.miss, gate.wait)
		before = store.CountsComputed(db)
		stats := make([]ducha.ProblemStats, readers)
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stats[i], errs[i] = db.CountProblems(coord, ducha.ProblemFilter{Source: "自查发现"})
			}()
		}
		wg.Wait()
		for i := range readers {
			if errs[i] != nil || stats[i].Total != 7 || stats[i].Overdue != 1 {
				t.Fatalf("reader %d: %+v, %v; want 7 in all, 1 overdue", i, stats[i], errs[i])
			}
		}
		if got := store.CountsComputed(db) - before; got != 1 {
			t.Fatalf("%d readers after a write computed the statistics %d times, want once", readers, got)
		}
	})
}

// A caller that gives up while its count is shared does not fail the
// others: they count again in their own transactions.
func TestSharedCountSurvivesTheFirstCallerLeaving(t *testing.T) {
	clock := clockAt("2026-12-10")
	db := storetest.Open(t, "sqlite", store.Options{Now: clock.Now})
	f := storetest.Seed(t, db)
	newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘", "2026-12-20")
	coord := storetest.As(f.Users["coord"])

	// The first caller starts the count and is cancelled inside it; the
	// second joins the flight meanwhile.
	first, cancel := context.WithCancel(coord)
	inCount := make(chan struct{})
	var calls atomic.Int64
	joined := newMissGate(2)
	store.SetCountHooks(db, joined.miss, func() {
		if calls.Add(1) == 1 {
			close(inCount)
			joined.wait()
			time.Sleep(50 * time.Millisecond) // lets the second caller join the flight; asserts nothing
			cancel()
		}
	})
	defer store.SetCountHooks(db, nil, nil)
	firstErr := make(chan error, 1)
	go func() {
		_, _, err := db.FindProblems(first, ducha.ProblemFilter{Source: "自查发现", Limit: 1})
		firstErr <- err
	}()
	<-inCount
	_, n, err := db.FindProblems(coord, ducha.ProblemFilter{Source: "自查发现", Limit: 1})
	if err != nil || n != 1 {
		t.Fatalf("the second caller got %d, %v; want 1, no error", n, err)
	}
	if err := <-firstErr; err == nil {
		t.Fatalf("the cancelled caller got no error")
	}
}

// Session, token and data-version lookups have connections of their own on
// SQLite: with every reader connection held by long reads, they still
// answer, while a list waits. (PostgreSQL shares one pool of 32 for all.)
func TestLookupsDoNotWaitBehindReaders(t *testing.T) {
	clock := clockAt("2026-12-10")
	db := storetest.Open(t, "sqlite", store.Options{Now: clock.Now})
	f := storetest.Seed(t, db)
	newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘", "2026-12-20")
	coord := f.Users["coord"]
	secret, _, err := db.CreateSession(storetest.System(), coord.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(storetest.System(), coord.ID, "probe")
	if err != nil {
		t.Fatal(err)
	}

	release, err := store.HoldReaders(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	listDone := make(chan error, 1)
	go func() {
		_, _, err := db.FindProblems(storetest.As(coord), ducha.ProblemFilter{Limit: 10})
		listDone <- err
	}()

	lookups := make(chan error, 1)
	go func() {
		u, _, err := db.FindSession(context.Background(), secret)
		if err == nil && u.ID != coord.ID {
			t.Errorf("session of user %d, want %d", u.ID, coord.ID)
		}
		if err == nil {
			_, _, err = db.FindToken(context.Background(), tok.Secret)
		}
		if err == nil {
			_, err = db.DataVersion(context.Background())
		}
		lookups <- err
	}()
	select {
	case err := <-lookups:
		if err != nil {
			t.Fatalf("lookups: %v", err)
		}
	case err := <-listDone:
		t.Fatalf("the list answered (%v) while every reader connection was held: the test holds nothing", err)
	case <-time.After(30 * time.Second): // a hang, not a measurement
		t.Fatal("session, token and data-version lookups waited behind the held reader connections")
	}
	select {
	case err := <-listDone:
		t.Fatalf("the list answered (%v) while every reader connection was held", err)
	default:
	}
	release()
	if err := <-listDone; err != nil {
		t.Fatalf("list after release: %v", err)
	}
}
