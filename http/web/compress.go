package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
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

// gzipWriters are reused: a gzip.Writer holds about 800 KB of tables.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

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
	gz      *gzip.Writer
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
	gz := gzipWriters.Get().(*gzip.Writer)
	gz.Reset(w.ResponseWriter)
	w.gz = gz
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

func (w *compressWriter) close() {
	if w.gz == nil {
		return
	}
	_ = w.gz.Close()
	w.gz.Reset(io.Discard)
	gzipWriters.Put(w.gz)
	w.gz = nil
}
