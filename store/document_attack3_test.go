package store_test

import (
	"testing"
	"unicode/utf8"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestAttack3DocumentInvalidUTF8: a document's title and file name come
// from a multipart form as raw bytes (r.FormValue("title"), the part's
// filename) and reach the store as they are: checkLengths refuses a NUL
// but not invalid UTF-8. SQLite stores the bytes; PostgreSQL refuses the
// statement (invalid byte sequence for encoding "UTF8"), which comes out
// as a 500. Attachments' names go through ducha.AttachmentName
// (ToValidUTF8); documents' and supplied files' names do not.
func TestAttack3DocumentInvalidUTF8(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		for _, c := range []struct{ name, title, file string }{
			{"title", "工作方案\xff\xfe", "方案.txt"},
			{"file name", "工作方案", "方案\xc0.txt"},
		} {
			d := &ducha.Document{Kind: ducha.DocWorkPlan, Title: c.title, Text: "关于开展自查自纠的工作方案", Data: []byte("关于开展自查自纠的工作方案"),
				Original: ducha.FileInfo{Name: c.file, ContentType: "text/plain; charset=utf-8"}}
			err := db.AddDocument(coord, d)
			if err != nil {
				if ducha.ErrorCode(err) != ducha.EINVALID {
					t.Errorf("%s: invalid UTF-8 answered %q (%v), want a field error or a stored valid name", c.name, ducha.ErrorCode(err), err)
				}
				continue
			}
			got, err := db.FindDocumentByID(coord, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.ValidString(got.Title) || !utf8.ValidString(got.Original.Name) {
				t.Errorf("%s: stored as invalid UTF-8: %q %q (PostgreSQL refuses it)", c.name, got.Title, got.Original.Name)
			}
		}
	})
}
