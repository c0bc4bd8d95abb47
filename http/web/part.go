package web

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Part is a piece of a page's HTML that many answers share (the ledger
// page's rows and its filter form, kept with the cached list page), kept
// with its compressed form. An answer that writes it through WriteParts
// does not compress it again: compress splices the deflate blocks made
// once into its gzip stream. Compressing the ledger's 40 KB of rows on
// every request was about a sixth of the server's work under writes
// (BENCHMARKS.md, issue 11).
type Part struct {
	raw []byte

	once     sync.Once
	deflated []byte // raw DEFLATE blocks, none final, ending byte-aligned
}

// NewPart keeps b, which the caller no longer changes.
func NewPart(b []byte) *Part { return &Part{raw: b} }

// flateWriters are reused like gzipWriters, at the same level.
var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return w
}}

// compressed is the part as DEFLATE blocks made by a compressor of its
// own, so that they refer to nothing before them, flushed so that they end
// on a byte and leave the stream open: they may stand anywhere in a
// stream whose compressor starts afresh after them.
func (p *Part) compressed() []byte {
	p.once.Do(func() {
		var buf bytes.Buffer
		fw := flateWriters.Get().(*flate.Writer)
		fw.Reset(&buf)
		_, _ = fw.Write(p.raw)
		_ = fw.Flush()
		fw.Reset(io.Discard)
		flateWriters.Put(fw)
		p.deflated = buf.Bytes()
	})
	return p.deflated
}

// partMarker opens the mark a page's template writes where a part goes:
// partMarker, the part's index, and a NUL. html/template writes a NUL of
// any text it escapes as U+FFFD, so no text a user typed can forge one.
const partMarker = "\x00ducha-part-"

// PartMark is what a template writes where parts[i] goes.
func PartMark(i int) string { return partMarker + strconv.Itoa(i) + "\x00" }

// partSplicer is a writer that can splice a part's compressed form.
type partSplicer interface{ splicePart(*Part) error }

// WriteParts writes page, with each PartMark in it replaced by its part,
// to w: through the compressor's splice when the answer is compressed,
// as bytes otherwise. A mark naming no part is an error, and so is a
// page without marks given parts (a template that left one out).
func WriteParts(w http.ResponseWriter, page []byte, parts []*Part) error {
	var sp partSplicer
	for rw := w; rw != nil; {
		if s, ok := rw.(partSplicer); ok {
			sp = s
			break
		}
		u, ok := rw.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		rw = u.Unwrap()
	}
	for len(page) > 0 {
		i := bytes.Index(page, []byte(partMarker))
		if i < 0 {
			_, err := w.Write(page)
			return err
		}
		if _, err := w.Write(page[:i]); err != nil {
			return err
		}
		rest := page[i+len(partMarker):]
		j := bytes.IndexByte(rest, 0)
		n, err := strconv.Atoi(string(rest[:max(j, 0)]))
		if j < 0 || err != nil || n < 0 || n >= len(parts) {
			return errBadPartMark
		}
		page = rest[j+1:]
		if sp != nil {
			err = sp.splicePart(parts[n])
		} else {
			_, err = w.Write(parts[n].raw)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var errBadPartMark = errors.New("web: a page's part mark names no part")
