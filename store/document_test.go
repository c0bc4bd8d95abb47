package store_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"ducha"
	"ducha/doctext"
	"ducha/internal/storetest"
	"ducha/store"
	"ducha/text"
)

// seedFile is the seed news report (traditional characters, pinyin notes).
func seedFile(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../doctext/testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// addDocument reads a file with doctext and stores it as the user.
func addDocument(t *testing.T, db *store.DB, ctx context.Context, name string, data []byte, kind ducha.DocumentKind, title string) *ducha.Document {
	t.Helper()
	res, err := doctext.Extract(name, data, doctext.Limits{})
	if err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	d := &ducha.Document{Kind: kind, Title: title, Text: res.Text, Data: data,
		Original: ducha.FileInfo{Name: name, ContentType: res.ContentType}}
	if err := db.AddDocument(ctx, d); err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
	return d
}

var leftPinyin = regexp.MustCompile(`\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+\)`)

// The seed imports as a document: its text simplified without pinyin
// notes, its original kept byte for byte, found by its words in either
// script; every role reads it, only the coordinator adds documents.
func TestDocumentSeed(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		seed := seedFile(t)
		d := addDocument(t, db, coord, "000_8b6ba32736468a24.txt", seed, ducha.DocMinutes, "")
		addDocument(t, db, coord, "plan.html", []byte("<p>清水县保障中央环境保护督察工作方案</p><p>扬尘治理</p>"), ducha.DocWorkPlan, "工作方案")

		got, err := db.FindDocumentByID(storetest.As(f.Users["liaison_hb"]), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m := leftPinyin.FindString(got.Text); m != "" {
			t.Errorf("pinyin note %q left in the stored text", m)
		}
		if text.Simplified(got.Text) != got.Text {
			t.Error("traditional characters left in the stored text")
		}
		for _, w := range []string{"问题台账", "立行立改", "自查自纠", "清水县委书记"} {
			if !strings.Contains(got.Text, w) {
				t.Errorf("stored text lacks %s", w)
			}
		}
		if !strings.HasPrefix(got.Title, "12月7日,清水县召开保障中央环保督察工作动员会议") || got.Kind != ducha.DocMinutes {
			t.Errorf("title %q kind %q", got.Title, got.Kind)
		}
		if got.Original.Size != int64(len(seed)) || got.Original.ContentType != "text/plain; charset=utf-8" || len(got.Original.SHA256) != 64 ||
			got.UploadedBy != "coord" {
			t.Errorf("original %+v by %s", got.Original, got.UploadedBy)
		}
		orig, err := db.FindDocumentOriginal(storetest.As(f.Users["leader"]), d.ID)
		if err != nil || !bytes.Equal(orig.Data, seed) {
			t.Fatalf("original not kept byte for byte: %v", err)
		}

		for _, q := range []string{"问题台账", "立行立改", "問題臺賬", "自查自糾", "县委书记"} {
			ds, total, err := db.FindDocuments(storetest.As(f.Users["liaison_yq"]), ducha.DocumentFilter{Q: q})
			if err != nil || total != 1 || len(ds) != 1 || ds[0].ID != d.ID || ds[0].Text != "" {
				t.Errorf("search %s: %d %v", q, total, err)
			}
		}
		if _, total, _ := db.FindDocuments(coord, ducha.DocumentFilter{Q: "扬尘"}); total != 1 {
			t.Errorf("扬尘: %d", total)
		}
		if _, total, _ := db.FindDocuments(coord, ducha.DocumentFilter{Q: "油烟扰民"}); total != 0 {
			t.Errorf("油烟扰民: %d", total)
		}
		if ds, total, _ := db.FindDocuments(coord, ducha.DocumentFilter{Kind: "工作方案"}); total != 1 || ds[0].Title != "工作方案" {
			t.Errorf("kind 工作方案: %d", total)
		}
		if ds, total, _ := db.FindDocuments(coord, ducha.DocumentFilter{}); total != 2 || ds[0].Title != "工作方案" {
			t.Errorf("all: %d", total)
		}
		if _, _, err := db.FindDocuments(coord, ducha.DocumentFilter{Kind: "bogus"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("bad kind: %v", err)
		}

		// Only the coordinator (and the administrator) adds documents.
		for _, who := range []string{"liaison_yq", "head_yq", "discipline", "leader"} {
			err := db.AddDocument(storetest.As(f.Users[who]), &ducha.Document{Title: "x", Text: "x", Data: []byte("x")})
			if ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s adds a document: %v", who, err)
			}
		}
		for _, c := range []struct {
			d     ducha.Document
			field string
		}{
			{ducha.Document{Kind: "bogus", Title: "x", Text: "x", Data: []byte("x")}, "kind"},
			{ducha.Document{Title: "x", Text: "x", Data: []byte("x"), Date: "2026/12/07"}, "date"},
			{ducha.Document{Title: strings.Repeat("长", 201), Text: "x", Data: []byte("x")}, "title"},
			{ducha.Document{Title: "x", Text: " ", Data: []byte("x")}, "file"},
		} {
			err := db.AddDocument(coord, &c.d)
			if e, ok := err.(*ducha.Error); !ok || e.Fields[c.field] == "" {
				t.Errorf("%+v: %v, want a message on %s", c.d.Title, err, c.field)
			}
		}
		if _, total, _ := db.FindDocuments(coord, ducha.DocumentFilter{}); total != 2 {
			t.Errorf("a refused document was stored: %d", total)
		}
		if _, err := db.FindDocumentByID(coord, 99999); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("missing: %v", err)
		}
		evs, err := db.FindDocumentEvents(coord, d.ID)
		if err != nil || len(evs) != 1 || evs[0].Action != "upload" {
			t.Fatalf("events %v %v", evs, err)
		}
		if bad, n, err := db.VerifyChain(storetest.System()); err != nil || bad != 0 || n == 0 {
			t.Errorf("chain: broken at %d of %d: %v", bad, n, err)
		}
	})
}
