package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/pgtest"
	"ducha/internal/storetest"
	"ducha/store"
)

var throttleStart = time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)

// keys is a login's three keys with small limits: 5 for the pair, 8 for
// the account (then one a minute), 20 for the address.
func keys(pair, account, addr string) []ducha.ThrottleKey {
	w := 10 * time.Minute
	return []ducha.ThrottleKey{
		{Name: "pair:" + pair, Limit: 5, Window: w},
		{Name: "account:" + account, Limit: 8, Window: w, Trickle: time.Minute},
		{Name: "addr:" + addr, Limit: 20, Window: w},
	}
}

func reserve(t *testing.T, db *store.DB, now time.Time, k []ducha.ThrottleKey) *ducha.LoginReservation {
	t.Helper()
	r, err := db.ReserveLogin(context.Background(), now, k)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// count is a granted key's count after the reservation.
func count(r *ducha.LoginReservation, name string) int {
	for _, k := range r.Keys {
		if k.Name == name {
			return k.Count
		}
	}
	return -1
}

// Concurrent reservations never overrun a limit: of 60 at once for one
// pair, exactly 5 are granted.
func TestThrottleConcurrentReservations(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		granted, refused := 0, 0
		for range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := db.ReserveLogin(context.Background(), throttleStart, keys("coord@10.0.0.1", "coord", "10.0.0.1"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case r.Granted:
					granted++
				default:
					refused++
					if r.RetryAfter != 10*time.Minute {
						t.Errorf("retry after %v, want the rest of the window", r.RetryAfter)
					}
				}
			}()
		}
		wg.Wait()
		if granted != 5 || refused != 55 {
			t.Fatalf("granted %d, refused %d; want 5 and 55", granted, refused)
		}
	})
}

// A refused reservation takes nothing from the other keys; a window that
// has passed starts again; giving back returns an attempt; forgetting
// clears the pair.
func TestThrottleWindowsAndRelease(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := throttleStart
		for i := range 5 {
			if r := reserve(t, db, now, keys("coord@a", "coord", "a")); !r.Granted || count(r, "pair:coord@a") != i+1 {
				t.Fatalf("attempt %d: %+v", i+1, r)
			}
		}
		// The pair is spent: refused, and the account and address keep
		// their counts (5): three more from another address fit the
		// account's 8 exactly.
		for range 3 {
			if r := reserve(t, db, now.Add(time.Minute), keys("coord@a", "coord", "a")); r.Granted || r.RetryAfter != 9*time.Minute {
				t.Fatalf("spent pair: %+v", r)
			}
		}
		for i := range 3 {
			if r := reserve(t, db, now, keys("coord@b", "coord", "b")); !r.Granted {
				t.Fatalf("fresh address, attempt %d refused", i+1)
			}
		}
		if r := reserve(t, db, now, keys("coord@c", "coord", "c")); r.Granted || r.RetryAfter != time.Minute {
			t.Fatalf("account cap: %+v", r)
		}
		// Giving an attempt back frees one; forgetting clears the pair.
		var last *ducha.LoginReservation
		for range 5 {
			last = reserve(t, db, now, keys("head@d", "head", "d"))
		}
		if err := db.ReleaseLogin(ctx, last); err != nil {
			t.Fatal(err)
		}
		if r := reserve(t, db, now, keys("head@d", "head", "d")); !r.Granted || count(r, "pair:head@d") != 5 {
			t.Fatalf("after a give back: %+v", r)
		}
		if r := reserve(t, db, now, keys("head@d", "head", "d")); r.Granted {
			t.Fatal("the give back freed more than one attempt")
		}
		if err := db.ReleaseLogin(ctx, last, "pair:head@d"); err != nil {
			t.Fatal(err)
		}
		if r := reserve(t, db, now, keys("head@d", "head", "d")); !r.Granted || count(r, "pair:head@d") != 1 {
			t.Fatalf("after the pair was cleared: %+v", r)
		}
		// After the window, the spent pair may try again.
		if r := reserve(t, db, now.Add(10*time.Minute), keys("coord@a", "coord", "a")); !r.Granted || count(r, "pair:coord@a") != 1 {
			t.Fatalf("after the window: %+v", r)
		}
	})
}

// Past the account's limit one attempt per trickle interval gets through,
// from any address, and no more.
func TestThrottleAccountTrickle(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		now := throttleStart
		addr := func(i int) string { return string(rune('a' + i)) }
		for i := range 8 {
			if r := reserve(t, db, now, keys("victim@"+addr(i), "victim", addr(i))); !r.Granted {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		got := 0
		for step := range 10 {
			at := now.Add(time.Duration(step) * 20 * time.Second)
			for i := 8; i < 12; i++ {
				if r := reserve(t, db, at, keys("victim@"+addr(i), "victim", addr(i))); r.Granted {
					got++
				}
			}
		}
		// 3 minutes of tries from four fresh addresses: one a minute.
		if got != 3 {
			t.Fatalf("%d attempts past the cap in 3 minutes, want 3", got)
		}
	})
}

// Two stores on one PostgreSQL database, as two instances of the server
// would be, count the same attempts.
func TestThrottleSharedBetweenInstances(t *testing.T) {
	dsn, err := pgtest.Shared(t).CreateDB(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	var dbs [2]*store.DB
	for i := range dbs {
		if dbs[i], err = store.Open(context.Background(), dsn, store.Options{}); err != nil {
			t.Fatal(err)
		}
		defer dbs[i].Close()
	}
	for i := range 5 {
		if r := reserve(t, dbs[i%2], throttleStart, keys("coord@a", "coord", "a")); !r.Granted {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	for _, db := range dbs {
		if r := reserve(t, db, throttleStart, keys("coord@a", "coord", "a")); r.Granted {
			t.Fatal("a sixth attempt was granted by one of the instances")
		}
	}
}
