package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestAttachmentOneQuery: a missing attachment and another unit's cost the
// same work, one query through the problems' unit scope. While another
// transaction holds the problems table locked, both wait alike (before,
// the missing one answered at once, having never looked at problems);
// once it is released both answer the same 404.
func TestAttachmentOneQuery(t *testing.T) {
	clock := clockAt("2026-12-10")
	db := storetest.Open(t, "postgres", store.Options{Now: clock.Now})
	f := storetest.Seed(t, db)
	p := newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘污染严重", "2026-12-20")
	a := &ducha.Attachment{ProblemID: p.ID, Name: "照片.png", Data: pngBytes}
	if err := db.AddAttachment(storetest.As(f.Users["liaison_yq"]), a); err != nil {
		t.Fatal(err)
	}
	other := storetest.As(f.Users["liaison_hb"])

	raw := rawDB(t, "postgres", db.DSN())
	lock, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(`LOCK TABLE problems IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		id   int64
	}{{"another unit's attachment", a.ID}, {"a missing attachment", a.ID + 1000}} {
		ctx, cancel := context.WithTimeout(other, 300*time.Millisecond)
		_, err := db.FindAttachment(ctx, c.id)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want the wait for the locked problems table to time out", c.what, err)
		}
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	_, errOther := db.FindAttachment(other, a.ID)
	_, errMissing := db.FindAttachment(other, a.ID+1000)
	if ducha.ErrorCode(errOther) != ducha.ENOTFOUND || errOther.Error() != errMissing.Error() {
		t.Errorf("another unit's attachment: %v; a missing one: %v", errOther, errMissing)
	}
	if got, err := db.FindAttachment(storetest.As(f.Users["liaison_yq"]), a.ID); err != nil || len(got.Data) != len(pngBytes) || got.ContentType != "image/png" {
		t.Errorf("own unit: %v %+v", err, got)
	}
}
