package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ducha"
	dhttp "ducha/http"
)

// countingProblems counts the list reads that reach the store. A gate, when
// set, holds each of them until it opens.
type countingProblems struct {
	ducha.ProblemService
	finds atomic.Int64
	gate  chan struct{}
}

func (c *countingProblems) FindProblems(ctx context.Context, f ducha.ProblemFilter) ([]*ducha.Problem, int, error) {
	c.finds.Add(1)
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-time.After(30 * time.Second): // keeps a broken cache from hanging the test; measures nothing
		}
	}
	return c.ProblemService.FindProblems(ctx, f)
}

// countingUnits counts the unit lists read from the store.
type countingUnits struct {
	ducha.UnitService
	lists atomic.Int64
}

func (c *countingUnits) FindUnits(ctx context.Context) ([]*ducha.Unit, error) {
	c.lists.Add(1)
	return c.UnitService.FindUnits(ctx)
}

// The ledger page takes its list and total from the same cache as the API:
// a second identical page, and the API on the same query, do not read the
// store again until a write.
func TestLedgerPageUsesTheListCache(t *testing.T) {
	var probs *countingProblems
	var units *countingUnits
	e := newEnvWith(t, func(s *dhttp.Server) {
		probs = &countingProblems{ProblemService: s.Problems}
		units = &countingUnits{UnitService: s.Units}
		s.Problems, s.Units = probs, units
	})
	b := e.browser()
	b.login("coord")
	// The form sends every field, empty ones too.
	const form = "/problems?status=&unit=&area=%E6%B0%B8%E6%B8%85%E9%95%87&type=&overdue=&warning=&q="
	resp, first := b.get(form)
	if resp.StatusCode != 200 || !strings.Contains(first, "永清镇砖厂扬尘污染") {
		t.Fatalf("ledger page: %d\n%s", resp.StatusCode, first)
	}
	if n := probs.finds.Load(); n != 1 {
		t.Fatalf("first page read the store %d times, want 1", n)
	}
	resp, second := b.get(form)
	if resp.StatusCode != 200 || !strings.Contains(second, "永清镇砖厂扬尘污染") {
		t.Fatalf("second ledger page: %d\n%s", resp.StatusCode, second)
	}
	if n := probs.finds.Load(); n != 1 {
		t.Fatalf("second identical page read the store (%d reads in all), want the cache", n)
	}
	if n := units.lists.Load(); n != 1 {
		t.Fatalf("the form's units were read %d times for two pages, want once", n)
	}
	// The API on the same query answers from the same entry, with the same total.
	total := listTotal(t, e, "coordinator", "?area=%E6%B0%B8%E6%B8%85%E9%95%87")
	if n := probs.finds.Load(); n != 1 {
		t.Fatalf("the API on the page's query read the store (%d reads in all), want the cache", n)
	}
	if total != 2 { // own and pending are 永清镇's; coop is 林城镇's
		t.Fatalf("API total %d, want 2", total)
	}
	// Another scope is another entry.
	b2 := e.browser()
	b2.login("liaison_lc")
	if resp, _ := b2.get(form); resp.StatusCode != 200 {
		t.Fatalf("liaison's page: %d", resp.StatusCode)
	}
	if n := probs.finds.Load(); n != 2 {
		t.Fatalf("another unit's page: %d store reads in all, want 2", n)
	}
	// A write moves the data version: the page is read afresh and shows it.
	e.problem("永清镇新登记的餐饮油烟", "永清镇", nil, "plan")
	resp, after := b.get(form)
	if resp.StatusCode != 200 || !strings.Contains(after, "永清镇新登记的餐饮油烟") {
		t.Fatalf("page after a write: %d\n%s", resp.StatusCode, after)
	}
	if n := probs.finds.Load(); n != 3 {
		t.Fatalf("page after a write: %d store reads in all, want 3", n)
	}
	if n := units.lists.Load(); n != 3 {
		t.Fatalf("the form's units were read %d times, want three times (the liaison's scope has a version of its own, and once more after the write)", n)
	}
}

// After a write, identical list requests that arrive together are answered
// by one store read, shared.
func TestConcurrentIdenticalListsReadTheStoreOnce(t *testing.T) {
	const clients = 8
	probs := &countingProblems{}
	var missed atomic.Int64
	allMissed := make(chan struct{})
	e := newEnvWith(t, func(s *dhttp.Server) {
		probs.ProblemService = s.Problems
		s.Problems = probs
		dhttp.SetListMissHook(s, func() {
			if missed.Add(1) == clients {
				close(allMissed)
			}
		})
	})
	// Warm the cache, then write: every client now misses.
	listTotal(t, e, "coordinator", "?status=in_progress")
	e.problem("林城镇新登记的扬尘", "林城镇", nil, "plan")
	missed.Store(0)
	probs.finds.Store(0)
	probs.gate = allMissed // the store read waits until every client has missed

	var wg sync.WaitGroup
	bodies := make([]string, clients)
	errs := make([]error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/problems?status=in_progress", nil)
			req.Header.Set("Authorization", "Bearer "+e.tokens["coordinator"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				errs[i] = fmt.Errorf("%s %s", resp.Status, b)
			}
			bodies[i] = string(b)
		}()
	}
	wg.Wait()
	for i := range clients {
		if errs[i] != nil {
			t.Fatalf("client %d: %v", i, errs[i])
		}
		if bodies[i] != bodies[0] {
			t.Fatalf("client %d got another answer:\n%s\n%s", i, bodies[i], bodies[0])
		}
	}
	var l struct{ Total int }
	if err := json.Unmarshal([]byte(bodies[0]), &l); err != nil || l.Total != 4 {
		t.Fatalf("total %d (%v), want 4 problems in progress", l.Total, err)
	}
	if n := probs.finds.Load(); n != 1 {
		t.Fatalf("%d identical requests after a write read the store %d times, want once", clients, n)
	}
}
