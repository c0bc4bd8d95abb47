package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWritePartsGzip writes pages of text and parts in random order
// through compress, and reads each answer back with compress/gzip, which
// checks the member's checksum and length: the answer must be the page as
// it is written uncompressed, whatever the order, the sizes (a part past
// the 32 KB window, an empty one) and the parts repeated.
func TestWritePartsGzip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n int) []byte {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString([]string{"<tr><td>永清镇", "红星化工有限公司", "</td></tr>\n", "废水直排", "abc"}[rng.IntN(5)])
		}
		return []byte(b.String())
	}
	for round := range 200 {
		var parts []*Part
		for range 1 + rng.IntN(4) {
			parts = append(parts, NewPart(text([]int{0, 10, 5000, 70000}[rng.IntN(4)])))
		}
		var page, want bytes.Buffer
		for range rng.IntN(8) {
			s := text(rng.IntN(3000))
			page.Write(s)
			want.Write(s)
			i := rng.IntN(len(parts))
			page.WriteString(PartMark(i))
			want.Write(parts[i].raw)
		}
		tail := text(rng.IntN(100))
		page.Write(tail)
		want.Write(tail)

		h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if err := WriteParts(w, page.Bytes(), parts); err != nil {
				t.Fatal(err)
			}
		}))
		for _, enc := range []string{"gzip", ""} {
			req := httptest.NewRequest("GET", "/problems", nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			if enc != "" {
				if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
					t.Fatalf("round %d: Content-Encoding %q", round, got)
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				zr.Multistream(false)
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("round %d: reading the answer back: %v", round, err)
				}
			}
			if !bytes.Equal(body, want.Bytes()) {
				t.Fatalf("round %d (%q): the answer is %d bytes, the page %d, and they differ", round, enc, len(body), want.Len())
			}
		}
	}
}

// TestWritePartsBadMark refuses a mark that names no part rather than
// writing a NUL into the page.
func TestWritePartsBadMark(t *testing.T) {
	for _, page := range []string{"a" + PartMark(1) + "b", "a" + partMarker + "x\x00", "a" + partMarker + "0"} {
		rec := httptest.NewRecorder()
		if err := WriteParts(rec, []byte(page), []*Part{NewPart([]byte("p"))}); err == nil {
			t.Errorf("%q: written as %q", page, rec.Body.String())
		}
	}
}

// BenchmarkLedgerPageGzip compares a page of 45 KB of which 40 KB are a
// shared part, compressed whole on each answer and with the part spliced.
func BenchmarkLedgerPageGzip(b *testing.B) {
	rows := bytes.Repeat([]byte("<tr><td><a href=\"/problems/123456\">DC-2026-000123</a></td><td>永清镇红星化工有限公司废水直排</td><td>县生态环境局</td></tr>\n"), 280)
	head := bytes.Repeat([]byte("<option value=\"12\">县生态环境局</option>"), 120)
	part := NewPart(rows)
	whole := append(append([]byte{}, head...), rows...)
	spliced := append(append([]byte{}, head...), PartMark(0)...)
	for _, c := range []struct {
		name  string
		write func(w http.ResponseWriter) error
	}{
		{"whole", func(w http.ResponseWriter) error { _, err := w.Write(whole); return err }},
		{"spliced", func(w http.ResponseWriter) error { return WriteParts(w, spliced, []*Part{part}) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_ = c.write(w)
			}))
			req := httptest.NewRequest("GET", "/problems", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.SetBytes(int64(len(whole)))
			for b.Loop() {
				h.ServeHTTP(discardWriter{http.Header{}}, req)
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
