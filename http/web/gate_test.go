package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestGate: with every slot held by a page still computing, a light
// request (GET /api/v1/me, a static file, a write) and a download are
// answered at once; a page waits until a slot is given back, which
// happens when the answer starts, not when it ends; a request whose
// client leaves while waiting takes no slot. Downloads have a pool of
// their own, held to their end: with it full the next download waits and
// pages do not.
func TestGate(t *testing.T) {
	slots, downloads := make(chan struct{}, 2), make(chan struct{}, 1)
	release, exported := make(chan struct{}), make(chan struct{})
	started := make(chan string, 10)
	h := gate(slots, downloads, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- r.Method + " " + r.URL.Path
		if r.URL.Path == "/cases/export.xlsx" {
			w.WriteHeader(200)
			<-exported // building the file, after its header
		}
		if r.URL.Path == "/problems" {
			<-release // computing
			w.WriteHeader(200)
			<-release // writing to a slow client: the slot is back already
		}
	}))
	serve := func(method, path string, ctx context.Context) chan struct{} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil).WithContext(ctx))
		}()
		return done
	}
	wait := func(what string, ch chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not answered", what)
		}
	}
	bg := context.Background()
	p1, p2 := serve("GET", "/problems", bg), serve("GET", "/problems", bg)
	<-started
	<-started
	if len(slots) != 2 {
		t.Fatalf("%d slots held, want 2", len(slots))
	}
	for _, light := range [][2]string{{"GET", "/api/v1/me"}, {"GET", "/static/style.css"}, {"POST", "/problems/1/actions/progress"},
		{"GET", "/api/v1/attachments/3"}, {"PATCH", "/api/v1/problems/1"}} {
		wait(light[0]+" "+light[1], serve(light[0], light[1], bg))
		<-started
	}
	// A download runs beside the pages and holds its own slot to its end:
	// the next download waits for it.
	d1 := serve("GET", "/cases/export.xlsx", bg)
	<-started
	if len(downloads) != 1 || len(slots) != 2 {
		t.Fatalf("downloads %d, slots %d held", len(downloads), len(slots))
	}
	d2 := serve("GET", "/cases/export.xlsx", bg)
	select {
	case s := <-started:
		t.Fatalf("%s started with the download pool full", s)
	case <-time.After(50 * time.Millisecond):
	}
	exported <- struct{}{}
	wait("the first download", d1)
	<-started
	exported <- struct{}{}
	wait("the second download", d2)
	if len(downloads) != 0 {
		t.Fatalf("%d download slots still held", len(downloads))
	}
	// A third page waits; its client gives up; no slot is taken by it.
	ctx, cancel := context.WithCancel(bg)
	p3 := serve("GET", "/problems", ctx)
	select {
	case s := <-started:
		t.Fatalf("%s started with every slot held", s)
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	wait("the page whose client left", p3)
	// The first two answers start: their slots come back before they end.
	release <- struct{}{}
	release <- struct{}{}
	p4 := serve("GET", "/cases", bg)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("a page waits although the others' answers have started")
	}
	wait("the next page", p4)
	release <- struct{}{}
	release <- struct{}{}
	wait("page 1", p1)
	wait("page 2", p2)
	if len(slots) != 0 {
		t.Fatalf("%d slots still held at the end", len(slots))
	}
}
