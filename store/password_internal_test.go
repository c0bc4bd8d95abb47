package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"ducha"
	"ducha/internal/pgtest"
)

// A wrong username must cost one hash like a wrong password does, or the
// time of the answer tells which usernames exist.
func TestAuthenticateHashesUnknownUsers(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "ducha.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	system := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	if err := db.CreateUser(system, &ducha.User{Username: "coord", Role: ducha.RoleCoordinator}, "right-password-1"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(system, &ducha.User{Username: "gone", Role: ducha.RoleLeader, Disabled: true}, "right-password-1"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ user, password string }{
		{"nobody", "right-password-1"}, {"coord", "wrong-password"}, {"gone", "right-password-1"}, {"coord", "right-password-1"},
	} {
		before := passwordChecks.Load()
		_, err := db.Authenticate(context.Background(), c.user, c.password)
		if n := passwordChecks.Load() - before; n != 1 {
			t.Errorf("%s/%s: %d hashes checked, want 1 (err %v)", c.user, c.password, n, err)
		}
	}
}

// The sweep removes the rows whose window has ended, on both engines, and
// leaves the live ones.
func TestThrottleSweep(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "ducha.db")
			if engine == "postgres" {
				var err error
				if dsn, err = pgtest.Shared(t).CreateDB(t.Name()); err != nil {
					t.Fatal(err)
				}
			}
			db, err := Open(context.Background(), dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			t0 := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)
			key := func(name string, w time.Duration) []ducha.ThrottleKey {
				return []ducha.ThrottleKey{{Name: name, Limit: 5, Window: w}}
			}
			for _, name := range []string{"pair:a@1", "pair:b@1", "account:a"} {
				if _, err := db.ReserveLogin(ctx, t0, key(name, 10*time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.ReserveLogin(ctx, t0, key("account:long", time.Hour)); err != nil {
				t.Fatal(err)
			}
			lastSweep.Store(0)
			if _, err := db.ReserveLogin(ctx, t0.Add(11*time.Minute), key("pair:c@2", 10*time.Minute)); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.writer.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("%d rows after the sweep, want the two live ones", n)
			}
		})
	}
}
