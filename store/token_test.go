package store_test

import (
	"context"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func TestTokensExpireAndRevoke(t *testing.T) {
	clock := &storetest.Clock{T: time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		coord, liaison := f.Users["coord"], f.Users["liaison_yq"]
		asCoord := storetest.As(coord)
		expires := clock.T.Add(48 * time.Hour)
		short := &ducha.Token{UserID: coord.ID, Name: "日报脚本", ExpiresAt: &expires}
		if err := db.IssueToken(asCoord, short); err != nil {
			t.Fatal(err)
		}
		forever, err := db.CreateToken(asCoord, coord.ID, "导出")
		if err != nil {
			t.Fatal(err)
		}
		if short.Secret == "" || short.Secret == forever.Secret || short.Username != "coord" {
			t.Fatalf("issued %+v", short)
		}
		// Nobody makes or sees tokens of someone else but an admin.
		if err := db.IssueToken(storetest.As(liaison), &ducha.Token{UserID: coord.ID, Name: "x"}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("a token for someone else: %v", err)
		}
		if _, err := db.FindTokens(storetest.As(liaison), coord.ID); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("someone else's tokens: %v", err)
		}
		if _, err := db.FindTokens(asCoord, 0); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("everyone's tokens as a coordinator: %v", err)
		}
		if err := db.IssueToken(asCoord, &ducha.Token{UserID: coord.ID, Name: " "}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("a token without a name: %v", err)
		}
		past := clock.T.Add(-time.Minute)
		if err := db.IssueToken(asCoord, &ducha.Token{UserID: coord.ID, Name: "x", ExpiresAt: &past}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("a token expired already: %v", err)
		}

		if u, tok, err := db.FindToken(ctx, short.Secret); err != nil || u.ID != coord.ID || tok.ID != short.ID || tok.LastUsedAt != nil {
			t.Fatalf("find token: %v %+v", err, tok)
		}
		// Expired: refused like an unknown token.
		clock.Add(48 * time.Hour)
		if _, _, err := db.FindToken(ctx, short.Secret); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED || err.Error() != "令牌无效或已被撤销" {
			t.Errorf("expired token: %v", err)
		}
		if _, err := db.FindUserByToken(ctx, forever.Secret); err != nil {
			t.Errorf("the other token: %v", err)
		}
		// Revoked: another user's id is not found; the owner's works, twice.
		if err := db.RevokeToken(storetest.As(liaison), forever.ID, liaison.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("revoking someone else's token: %v", err)
		}
		if err := db.RevokeToken(asCoord, forever.ID, coord.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(asCoord, forever.ID, coord.ID); err != nil {
			t.Errorf("revoking again: %v", err)
		}
		if _, err := db.FindUserByToken(ctx, forever.Secret); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("revoked token: %v", err)
		}
		list, err := db.FindTokens(asCoord, coord.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v %d", err, len(list))
		}
		if list[0].Status(clock.T) != "expired" || list[1].Status(clock.T) != "revoked" || list[1].RevokedAt == nil || list[0].Secret != "" {
			t.Errorf("list: %+v %+v", list[0], list[1])
		}
		all, err := db.FindTokens(storetest.System(), 0)
		if err != nil || len(all) != 2 {
			t.Errorf("every token: %v %d", err, len(all))
		}
	})
}

// Last use is stamped at most once an hour, whoever asks.
func TestTokenTouchHourly(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		tok, err := db.CreateToken(storetest.System(), f.Users["leader"].ID, "看板")
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			touch time.Time
			want  time.Time
		}{
			{at, at},
			{at.Add(59 * time.Minute), at},
			{at.Add(61 * time.Minute), at.Add(61 * time.Minute)},
			{at.Add(30 * time.Minute), at.Add(61 * time.Minute)}, // never backwards
		} {
			if err := db.TouchToken(ctx, tok.ID, c.touch); err != nil {
				t.Fatal(err)
			}
			_, got, err := db.FindToken(ctx, tok.Secret)
			if err != nil || got.LastUsedAt == nil || !got.LastUsedAt.Equal(c.want) {
				t.Errorf("touched at %v: last used %v, want %v (%v)", c.touch, got.LastUsedAt, c.want, err)
			}
		}
	})
}

// A new password ends every session; tokens end too unless kept, and the
// token the change was made with may stay.
func TestPasswordChangeEndsLogins(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		u := f.Users["head_yq"]
		as := storetest.As(u)
		session, _, err := db.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var toks [3]*ducha.Token
		for i := range toks {
			if toks[i], err = db.CreateToken(as, u.ID, "脚本"); err != nil {
				t.Fatal(err)
			}
		}
		works := func(tok *ducha.Token) bool { _, err := db.FindUserByToken(ctx, tok.Secret); return err == nil }

		if err := db.ChangePassword(as, u.ID, "second-password", ducha.PasswordChange{KeepTokens: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.FindSession(ctx, session); err == nil {
			t.Error("the session outlived the password")
		}
		if !works(toks[0]) || !works(toks[1]) || !works(toks[2]) {
			t.Error("kept tokens stopped working")
		}
		if err := db.ChangePassword(as, u.ID, "third-password", ducha.PasswordChange{KeepToken: toks[1].ID}); err != nil {
			t.Fatal(err)
		}
		if works(toks[0]) || !works(toks[1]) || works(toks[2]) {
			t.Errorf("after a change from token %d: %v %v %v", toks[1].ID, works(toks[0]), works(toks[1]), works(toks[2]))
		}
		// An administrator's reset keeps tokens (they answer 403 until the
		// user changes the password, see package http).
		if err := db.SetPassword(storetest.As(f.Users["admin"]), u.ID, "reset-by-admin"); err != nil {
			t.Fatal(err)
		}
		if !works(toks[1]) {
			t.Error("an admin's reset revoked the token")
		}
	})
}
