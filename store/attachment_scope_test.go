package store_test

import (
	"bytes"
	"runtime"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestAttachmentScopeBeforeBytes: another unit's attachment answers not
// found without its bytes being read: the allocation of the refused read
// stays far below the attachment's size, while the own unit gets every byte.
func TestAttachmentScopeBeforeBytes(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		p := newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘污染严重", "2026-12-20")
		data := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), ducha.MaxAttachmentSize-64)...)
		a := &ducha.Attachment{ProblemID: p.ID, Name: "验收材料.pdf", Data: data}
		if err := db.AddAttachment(storetest.As(f.Users["liaison_yq"]), a); err != nil {
			t.Fatal(err)
		}
		other := storetest.As(f.Users["liaison_hb"])
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := db.FindAttachment(other, a.ID)
		runtime.ReadMemStats(&after)
		if ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("another unit's attachment: %v, want not found", err)
		}
		if _, missing := db.FindAttachment(other, a.ID+1000); ducha.ErrorCode(missing) != ducha.ENOTFOUND || ducha.ErrorMessage(missing) != ducha.ErrorMessage(err) {
			t.Fatalf("a missing attachment answers %v, another unit's %v: they must be the same", missing, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > uint64(len(data))/8 {
			t.Fatalf("the refused read allocated %d bytes for a %d-byte attachment: its bytes were read before the scope check", grew, len(data))
		}
		got, err := db.FindAttachment(storetest.As(f.Users["liaison_yq"]), a.ID)
		if err != nil || !bytes.Equal(got.Data, data) {
			t.Fatalf("own unit: %v, %d bytes", err, len(got.Data))
		}
	})
}
