package http

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"ducha"
)

// listCache keeps ledger pages under the store's data version (the last
// event id, which every write anywhere moves), the reader's unit scope, the
// query and the day. A hit is therefore exactly what the store would answer
// now; the first request after any write misses. Ledger pages are read far
// more often than they change: the whole county office opens the same few
// lists all day. The JSON API and the ledger page share one entry per
// query: the page renders its problems, the API writes its encoded answer.
//
// After a write every reader misses at once: identical pages then in
// flight are computed once and shared (singleflight on the key).
type listCache struct {
	mu     sync.Mutex
	m      map[string]*listPage
	bytes  int
	flight singleflight.Group

	// The units of the ledger form, as of unitsVersion: every page shows
	// them, and they change only by writes, which move the version.
	unitsVersion int64
	units        []*ducha.Unit

	onMiss func() // tests: called after each miss (export_test.go)
}

// listPage is one ledger page as the store answered it, and its JSON.
type listPage struct {
	items         []*ducha.Problem // shared by every reader: never modified
	total         int
	page, perPage int
	json          []byte // the API's answer, encoded once
}

const (
	listCacheEntries = 1024
	listCacheBytes   = 64 << 20
)

func (c *listCache) get(key string) (*listPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[key]
	return p, ok
}

func (c *listCache) put(key string, p *listPage) {
	// The problems kept take about what their JSON does.
	size := 2 * len(p.json)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= listCacheEntries || c.bytes+size > listCacheBytes {
		c.m, c.bytes = make(map[string]*listPage), 0
	}
	c.m[key] = p
	c.bytes += size
}

// do returns the page cached under key, or computes it, once for every
// request asking for the same key at the same time. The computation does
// not end when the request that started it goes away (the others still
// want it); a waiting request that goes away stops waiting.
func (c *listCache) do(ctx context.Context, key string, compute func(context.Context) (*listPage, error)) (*listPage, error) {
	if p, ok := c.get(key); ok {
		return p, nil
	}
	if c.onMiss != nil {
		c.onMiss()
	}
	detached := context.WithoutCancel(ctx) // keeps the user: the key's scope is that user's
	ch := c.flight.DoChan(key, func() (v any, err error) {
		// DoChan runs this on a goroutine of its own, where a panic would
		// end the process: it becomes the requests' error.
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("problem list: panic: %v\n%s", p, debug.Stack())
			}
		}()
		// A flight that ended just before this one began may have filled it.
		if p, ok := c.get(key); ok {
			return p, nil
		}
		p, err := compute(detached)
		if err != nil {
			return nil, err
		}
		c.put(key, p)
		return p, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*listPage), nil
	}
}

// listVersion is the data version list answers are cached under now, or
// -1 when the list cache is off.
func (s *Server) listVersion(ctx context.Context) (int64, error) {
	if s.NoListCache {
		return -1, nil
	}
	return s.Audit.DataVersion(ctx)
}

// formUnits returns every unit, for the ledger form, from the store once per
// data version (listVersion).
func (s *Server) formUnits(ctx context.Context, version int64) ([]*ducha.Unit, error) {
	c := &s.lists
	c.mu.Lock()
	units, ok := c.units, c.units != nil && c.unitsVersion == version && version >= 0
	c.mu.Unlock()
	if ok {
		return units, nil
	}
	units, err := s.Units.FindUnits(ctx)
	if err != nil || version < 0 {
		return units, err
	}
	c.mu.Lock()
	if version >= c.unitsVersion {
		c.units, c.unitsVersion = units, version
	}
	c.mu.Unlock()
	return units, nil
}

// problemList returns the ledger page of query q as the user in ctx sees
// it at the data version (listVersion): from the list cache, or from the
// store (ProblemService.FindProblems) and then kept. A bad query is an
// EINVALID field error.
func (s *Server) problemList(ctx context.Context, version int64, q problemQuery) (*listPage, error) {
	compute := func(ctx context.Context) (*listPage, error) {
		f, page, perPage, err := s.problemFilter(ctx, q)
		if err != nil {
			return nil, err
		}
		items, total, err := s.Problems.FindProblems(ctx, f)
		if err != nil {
			return nil, err
		}
		if items == nil {
			items = []*ducha.Problem{}
		}
		b, err := encodeJSON(List[*ducha.Problem]{Items: items, Total: total, Page: page, PerPage: perPage})
		if err != nil {
			return nil, err
		}
		return &listPage{items: items, total: total, page: page, perPage: perPage, json: b}, nil
	}
	if version < 0 {
		return compute(ctx)
	}
	return s.lists.do(ctx, listKey(ducha.UserFromContext(ctx), q, version, s.today()), compute)
}

// listKey names one ledger page: who may see what (all, or one unit), the
// query with its empty fields left out (the page's form sends them all,
// the API rarely), the data version and the day overdue is judged on.
func listKey(u *ducha.User, q problemQuery, version int64, today ducha.Date) string {
	scope := "all"
	if u.Role.UnitScoped() {
		scope = "unit:" + strconv.FormatInt(u.UnitID, 10)
	}
	v := url.Values{}
	for _, f := range [...]struct{ k, v string }{
		{"status", q.Status}, {"unit", q.Unit}, {"area", q.Area}, {"type", q.Type},
		{"overdue", q.Overdue}, {"warning", q.Warning}, {"q", q.Q},
		{"page", q.Page}, {"per_page", q.PerPage},
	} {
		if f.v != "" {
			v.Set(f.k, f.v)
		}
	}
	return scope + "\x00" + v.Encode() + "\x00" + strconv.FormatInt(version, 10) + "\x00" + string(today)
}

// writeCachedJSON writes an encoded 200 answer.
func writeCachedJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
