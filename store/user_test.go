package store_test

import (
	"context"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func TestPasswordsAndSessions(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		if _, err := db.Authenticate(ctx, "coord", "wrong password"); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
		_, errNoUser := db.Authenticate(ctx, "nobody", "wrong password")
		_, errWrong := db.Authenticate(ctx, "coord", "wrong password")
		if errNoUser.Error() != errWrong.Error() {
			t.Fatalf("unknown user %q and wrong password %q answer differently", errNoUser, errWrong)
		}
		u, err := db.Authenticate(ctx, "coord", storetest.Password)
		if err != nil || u.Username != "coord" || u.MustChangePassword {
			t.Fatalf("login: %v %+v", err, u)
		}
		token, _, err := db.CreateSession(ctx, u.ID, 3600e9)
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := db.FindSession(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		// An admin sets a password: the user must change it; then they do.
		admin := storetest.As(f.Users["admin"])
		if err := db.SetPassword(admin, u.ID, "set-by-admin-1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.FindSession(ctx, token); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Fatalf("old session after a password change: %v", err)
		}
		u, err = db.Authenticate(ctx, "coord", "set-by-admin-1")
		if err != nil || !u.MustChangePassword {
			t.Fatalf("after an admin's reset: %v must change %v", err, u.MustChangePassword)
		}
		if err := db.SetPassword(storetest.As(u), u.ID, "my-own-choice-2"); err != nil {
			t.Fatal(err)
		}
		if u, _ = db.Authenticate(ctx, "coord", "my-own-choice-2"); u == nil || u.MustChangePassword {
			t.Fatalf("after choosing their own: %+v", u)
		}
		if err := db.SetPassword(storetest.As(f.Users["liaison_yq"]), u.ID, "hijack-attempt"); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("someone else's password: %v", err)
		}
		if err := db.SetPassword(storetest.As(u), u.ID, "short"); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("short password: %v", err)
		}
		// Tokens resolve without writing anything.
		tok, err := db.CreateToken(storetest.System(), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.DataVersion(ctx)
		for i := 0; i < 3; i++ {
			if got, err := db.FindUserByToken(ctx, tok.Secret); err != nil || got.ID != u.ID {
				t.Fatalf("token: %v", err)
			}
		}
		if after, _ := db.DataVersion(ctx); after != before {
			t.Fatalf("reading a token wrote: data version %d → %d", before, after)
		}
		if _, err := db.FindUserByToken(ctx, tok.Secret+"x"); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Fatalf("bad token: %v", err)
		}
	})
}
