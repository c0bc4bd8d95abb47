package store_test

import (
	"context"
	"fmt"
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
		// The account is at its cap: an address that failed for it waits
		// for its pair's window; a fresh one gets its attempt, once.
		if r := reserve(t, db, now, keys("coord@b", "coord", "b")); r.Granted || r.RetryAfter != 10*time.Minute {
			t.Fatalf("account cap, an address that failed: %+v", r)
		}
		if r := reserve(t, db, now, keys("coord@c", "coord", "c")); !r.Granted || count(r, "account:coord") != 9 {
			t.Fatalf("account cap, a fresh address: %+v", r)
		}
		if r := reserve(t, db, now, keys("coord@c", "coord", "c")); r.Granted || r.RetryAfter != 10*time.Minute {
			t.Fatalf("account cap, the fresh address again: %+v", r)
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

// Past the account's limit an address that failed for the account waits
// for its pair's window, however often it asks, while every fresh address
// gets an attempt of its own: one per trickle interval per pair, which a
// give-back does not return.
func TestThrottlePastAccountCap(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := throttleStart
		addr := func(i int) string { return fmt.Sprintf("10.0.%d.%d", i/256, i%256) }
		for i := range 8 {
			if r := reserve(t, db, now, keys("victim@"+addr(i), "victim", addr(i))); !r.Granted {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		// The attacker, from one address, asks ten times a second for 3
		// minutes; after every one of its tries a fresh address asks.
		attacker, fresh := 0, 0
		for step := range 1800 {
			at := now.Add(time.Duration(step) * 100 * time.Millisecond)
			if r := reserve(t, db, at, keys("victim@attacker", "victim", "attacker")); r.Granted {
				attacker++
			} else if want := (10*time.Minute - at.Sub(now) + time.Second - 1).Truncate(time.Second); r.RetryAfter != want {
				// The end of its pair's window (and of the account's).
				t.Fatalf("step %d: the attacker is told to retry after %v, want %v", step, r.RetryAfter, want)
			}
			if step%19 == 0 {
				a := addr(100 + step)
				if r := reserve(t, db, at, keys("victim@"+a, "victim", a)); r.Granted {
					fresh++
				}
			}
		}
		if attacker != 1 || fresh != 95 {
			t.Fatalf("past the cap the attacker's address got %d attempts (want its first only) and fresh addresses %d of 95", attacker, fresh)
		}

		// A fresh pair's slot: given back (no guess was made), it is not
		// due again for a minute, the trickle interval.
		at := now.Add(4 * time.Minute)
		r := reserve(t, db, at, keys("victim@owner", "victim", "owner"))
		if !r.Granted {
			t.Fatalf("a fresh address: %+v", r)
		}
		if err := db.ReleaseLogin(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r := reserve(t, db, at.Add(20*time.Second), keys("victim@owner", "victim", "owner")); r.Granted || r.RetryAfter != 40*time.Second {
			t.Fatalf("the slot again within the minute: %+v", r)
		}
		r = reserve(t, db, at.Add(time.Minute), keys("victim@owner", "victim", "owner"))
		if !r.Granted {
			t.Fatalf("the slot after a minute: %+v", r)
		}
		// A right password clears the pair; the slot still holds a minute.
		if err := db.ReleaseLogin(ctx, r, "pair:victim@owner"); err != nil {
			t.Fatal(err)
		}
		if r := reserve(t, db, at.Add(time.Minute+time.Second), keys("victim@owner", "victim", "owner")); r.Granted || r.RetryAfter != 59*time.Second {
			t.Fatalf("after a right password: %+v", r)
		}
		// When the account's window ends, the cap is lifted for everyone,
		// the attacker included.
		if r := reserve(t, db, now.Add(10*time.Minute), keys("victim@attacker", "victim", "attacker")); !r.Granted || count(r, "account:victim") != 1 {
			t.Fatalf("after the window: %+v", r)
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
