package web

import (
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"mime"
	"net/http"
	"strings"
)

// compressible are the media types the pages' answers are compressed in:
// the HTML, its styles and scripts, SVG and plain text. JSON is left as it
// is: the API's list answers are cached encoded, and compressing each of
// them again would cost the readers' CPU under load (BENCHMARKS.md).
var compressible = map[string]bool{
	"text/html":              true,
	"text/css":               true,
	"text/plain":             true,
	"text/javascript":        true,
	"application/javascript": true,
	"image/svg+xml":          true,
}

// compress answers with gzip the requests that accept it, for the media
// types in compressible. A handler that sets Content-Encoding itself (a
// precompressed bundle), Content-Length or Content-Disposition (a file) is
// left alone, and so are HEAD requests, ranges and answers without a body. Level 1: a page shrinks to a fifth of its
// size for a fraction of a millisecond.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" || !acceptsGzip(r) {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip
// without refusing it (gzip;q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// compressWriter decides at the answer's first byte (or its header)
// whether to compress, from the Content-Type the handler set.
type compressWriter struct {
	http.ResponseWriter
	decided bool
	gz      *gzipStream
}

func (w *compressWriter) decide(status int) {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	// A file served as it is stored (a download, an attachment) says
	// its length or how to save it: its bytes go out as they are.
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || h.Get("Content-Length") != "" || h.Get("Content-Disposition") != "" {
		return
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || !compressible[mt] {
		return
	}
	h.Add("Vary", "Accept-Encoding")
	h.Set("Content-Encoding", "gzip")
	w.gz = newGzipStream(w.ResponseWriter)
}

func (w *compressWriter) WriteHeader(status int) {
	w.decide(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far, for answers that stream.
func (w *compressWriter) Flush() {
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// splicePart writes a part through the stream without compressing it
// again (WriteParts).
func (w *compressWriter) splicePart(p *Part) error {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.splice(p)
	}
	_, err := w.ResponseWriter.Write(p.raw)
	return err
}

func (w *compressWriter) close() {
	if w.gz == nil {
		return
	}
	_ = w.gz.Close()
	w.gz = nil
}

// gzipStream writes one gzip member (RFC 1952) as compress/gzip does, at
// level 1, and can splice a Part's DEFLATE blocks made beforehand: it
// flushes its compressor to a byte boundary, writes the part's blocks,
// and starts its compressor afresh, so that nothing after the part refers
// back across it. The checksum and length cover the part's bytes too.
type gzipStream struct {
	w    io.Writer
	fw   *flate.Writer // from flateWriters; nil once closed
	head bool          // the header is written
	crc  uint32
	size uint32
	err  error
}

// gzipHeader is a member's header: no name, no time, level 1 (XFL 4),
// an unknown system.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255}

func newGzipStream(w io.Writer) *gzipStream {
	fw := flateWriters.Get().(*flate.Writer)
	fw.Reset(w)
	return &gzipStream{w: w, fw: fw}
}

func (z *gzipStream) header() {
	if !z.head && z.err == nil {
		z.head = true
		_, z.err = z.w.Write(gzipHeader)
	}
}

func (z *gzipStream) Write(b []byte) (int, error) {
	z.header()
	if z.err != nil {
		return 0, z.err
	}
	z.crc = crc32.Update(z.crc, crc32.IEEETable, b)
	z.size += uint32(len(b))
	n, err := z.fw.Write(b)
	z.err = err
	return n, err
}

func (z *gzipStream) splice(p *Part) error {
	z.header()
	if z.err == nil {
		z.err = z.fw.Flush()
	}
	if z.err == nil {
		_, z.err = z.w.Write(p.compressed())
	}
	if z.err == nil {
		z.fw.Reset(z.w)
		z.crc = crc32.Update(z.crc, crc32.IEEETable, p.raw)
		z.size += uint32(len(p.raw))
	}
	return z.err
}

// Flush sends what is compressed so far.
func (z *gzipStream) Flush() error {
	z.header()
	if z.err == nil {
		z.err = z.fw.Flush()
	}
	return z.err
}

// Close ends the member: the final block, the checksum and the length.
// The compressor goes back to its pool.
func (z *gzipStream) Close() error {
	if z.fw == nil {
		return z.err
	}
	z.header()
	if z.err == nil {
		z.err = z.fw.Close()
	}
	if z.err == nil {
		var tail [8]byte
		binary.LittleEndian.PutUint32(tail[:4], z.crc)
		binary.LittleEndian.PutUint32(tail[4:], z.size)
		_, z.err = z.w.Write(tail[:])
	}
	z.fw.Reset(io.Discard)
	flateWriters.Put(z.fw)
	z.fw = nil
	return z.err
}
