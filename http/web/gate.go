package web

import (
	"net/http"
	"os"
	"runtime"
	"strings"
)

// The gate: GET requests that do real work (a page, a list, a report) run
// at most Workers at once, downloads as many in a pool of their own; the
// light ones (who am I, the static files, every write) pass by it. With the process given SpareProcs more Go processors than the
// gate's slots, a light request finds a processor that is not computing
// a page: the runtime then notices its connection at once, instead of at
// its next network poll, which a process whose every processor is busy
// makes only every 10 ms (sysmon), and it is not queued behind the pages
// in the run queue. That is what kept GET /api/v1/me at a p99 of 12–18 ms
// while 32 clients read and wrote the ledger (BENCHMARKS.md, issue 8;
// docs/decisions/013). The requests the gate holds wait parked; the
// slots are as many as the machine has processors, so it stays busy.

// The gate's classes of request.
const (
	gatePage     = iota // a page, a list, a report: slots, given back at the answer's start
	gateLight           // passes by
	gateDownload        // an export or an archive: a pool of its own, held to the end
)

// gateClass is the class of r. Every request that is not a GET or HEAD
// is light: a write reads its body from the network and then waits for
// the one writer, neither of which is work of the processors the gate
// shares out. A light GET is the user's own record (GET /api/v1/me, which
// a page's script and a client ask often), the language switch, a static
// file, an attachment or a requested file: a lookup, or bytes the store
// keeps. A download (an xlsx export, a zip archive) builds its whole file
// before its first byte, seconds for a large one: it takes a slot of a
// pool of its own, as many as the pages', so that exports neither hold
// every page back nor run without bound.
func gateClass(r *http.Request) int {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return gateLight
	}
	p := r.URL.Path
	switch {
	case p == "/api/v1/me" || p == "/lang" || strings.HasPrefix(p, "/static/") ||
		strings.HasPrefix(p, "/api/v1/attachments/") || strings.HasSuffix(p, "/file"):
		return gateLight
	case strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".zip"):
		return gateDownload
	}
	return gatePage
}

// gate runs next for light requests at once, for pages in one of slots
// and for downloads in one of downloads, waiting parked for a slot (or for
// the request to end). A page gives its slot back when its answer starts
// (its header or first byte): what follows is compression, the network and
// a client that may read slowly, which must not hold a slot. A download
// holds its slot to its end.
func gate(slots, downloads chan struct{}, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		class := gateClass(r)
		if class == gateLight {
			next.ServeHTTP(w, r)
			return
		}
		pool := slots
		if class == gateDownload {
			pool = downloads
		}
		select {
		case pool <- struct{}{}:
		case <-r.Context().Done():
			return // the client left while waiting
		}
		if class == gateDownload {
			defer func() { <-pool }()
			next.ServeHTTP(w, r)
			return
		}
		gw := &gateWriter{ResponseWriter: w, slots: pool}
		defer gw.leave()
		next.ServeHTTP(gw, r)
	})
}

// gateWriter gives the request's slot back at the answer's first header
// or byte.
type gateWriter struct {
	http.ResponseWriter
	slots chan struct{}
	left  bool
}

func (w *gateWriter) leave() {
	if !w.left {
		w.left = true
		<-w.slots
	}
}

func (w *gateWriter) WriteHeader(status int) {
	w.leave()
	w.ResponseWriter.WriteHeader(status)
}

func (w *gateWriter) Write(b []byte) (int, error) {
	w.leave()
	return w.ResponseWriter.Write(b)
}

// Flush passes on to the connection, for answers that stream.
func (w *gateWriter) Flush() {
	w.leave()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// SpareProcs is how many Go processors ducha serve runs beyond the gate's
// slots, for the light requests (see gate). One was chosen first, while
// each SQLite write waited for its own fsync: a second took the write p99
// from 97 to 131 ms. With writes committed in groups (store/group.go) the
// second costs the writes little (p99 38–46 → 44–50 ms) and keeps the
// spare free more often: a page's answer is compressed after its slot is
// given back, and that work had the one spare processor busy, so GET
// /api/v1/me waited up to a preemption tick (p99 7.5–13.8 ms → 6.3–8.9 ms;
// BENCHMARKS.md, issue 8, 2026-12-03; docs/decisions/013).
const SpareProcs = 2

// DefaultWorkers is the gate's slots when the Server names none: the
// processors the runtime found (GOMAXPROCS as it starts: the CPUs, or a
// container's limit), before SpareProcs are added, and at least two. Twice
// as many kept the CPUs no busier and let the pages' threads crowd out the
// writer (write p99 443 ms).
func DefaultWorkers() int { return max(2, runtime.GOMAXPROCS(0)) }

// AddSpareProcs gives the process SpareProcs Go processors beyond workers
// (call it once, at start, from main), unless GOMAXPROCS is set in the
// environment, which wins.
func AddSpareProcs(workers int) {
	if _, set := os.LookupEnv("GOMAXPROCS"); set {
		return
	}
	runtime.GOMAXPROCS(workers + SpareProcs)
}
