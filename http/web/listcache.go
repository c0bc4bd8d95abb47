package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"ducha"
	"ducha/text"
)

// listCache keeps ledger pages under the ledger's data version as the
// reader sees it (ProblemsVersion: the last event that changed a problem of
// the reader's scope, or a unit), the reader's unit scope, the query and
// the day. A hit is therefore exactly what the store would answer now; the
// first request after a write to the ledger in that scope misses, while a
// case action or another unit's write keeps it. Ledger pages are read far
// more often than they change: the whole county office opens the same few
// lists all day. The JSON API and the ledger page share one entry per
// query: the page renders its problems, the API writes its encoded answer.
//
// After a write every reader misses at once: identical pages then in
// flight are computed once and shared (singleflight on the key).
type listCache struct {
	mu     sync.Mutex
	m      map[string]*ListPage
	latest map[string]*ListPage // by key without the version: the newest page of each query

	changes      map[string]changes // ProblemChanges by mark and version (changesSince)
	changeFlight singleflight.Group
	bytes        int
	flight       singleflight.Group
	slots        chan struct{} // pages computed at once (newListCache)

	// The units of the ledger form by list version: every page shows them,
	// and they change only by writes, which move every scope's version.
	// Scopes have versions of their own, so a few are kept.
	units map[int64][]*ducha.Unit
	// The areas of the ledger form by scope and list version (formAreas).
	areas map[string][]string

	onMiss func() // tests: called after each miss (export_test.go)
}

// ListPage is one ledger page as the store answered it, and its JSON.
type ListPage struct {
	version int64           // the data version it was read at, or kept to (keptPage)
	seen    ducha.EventMark // the chain's head before it was read, or when it was kept
	rows    *pageRows       // the HTML page's table rows (problemRows)

	Items         []*ducha.Problem // shared by every reader: never modified
	Total         int
	TotalExact    bool   // false: a search counted no further than ducha.SearchCountCap+1
	Page, PerPage int    // page is 0 on a page named by key (after)
	Next          int64  // the next page's after, 0 on the last page or a sorted one
	More          bool   // a page follows this one (by key or, sorted, by number)
	JSON          []byte // the API's answer, encoded once
}

const (
	listCacheEntries = 1024
	listCacheBytes   = 64 << 20
)

// pageRows are the parts of a ledger page the same for all its readers,
// rendered once per language (fragment), each kept with its compressed
// form (Part).
type pageRows struct {
	mu sync.Mutex
	m  map[string]*Part // by fragment and language
}

// Fragment returns the part of the page's HTML kept under key, rendering
// it the first time (a page read with the list cache off renders it each
// time).
func (l *ListPage) Fragment(key string, render func() ([]byte, error)) (*Part, error) {
	r := l.rows
	if r == nil { // the list cache is off
		r = &pageRows{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.m[key]; ok {
		return p, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	if r.m == nil {
		r.m = map[string]*Part{}
	}
	p := NewPart(b)
	r.m[key] = p
	return p, nil
}

func newListCache() listCache {
	return listCache{slots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

func (c *listCache) get(key string) (*ListPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[key]
	return p, ok
}

func (c *listCache) put(key string, p *ListPage) {
	size := pageSize(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*ListPage)
	} else if len(c.m) >= listCacheEntries || c.bytes+size > listCacheBytes {
		c.m, c.latest, c.bytes = make(map[string]*ListPage), nil, 0
	}
	c.drop(key) // the same page computed again after the cache was emptied
	c.m[key] = p
	c.bytes += size
}

// changes is what ProblemChanges answered for the events after a mark.
type changes struct {
	ids   []int64
	moved bool
	head  ducha.EventMark
}

// changesSince is ProblemChanges(since), asked once for every page read
// after the same mark and checked for the same version: after a write the
// county's pages of a dozen queries were all read after one head, and each
// would read the same events. The answer holds for any version up to its
// head, so the key holds the version asked for.
func (c *listCache) changesSince(ctx context.Context, ps ducha.ProblemService, since ducha.EventMark, version int64) (changes, error) {
	key := strconv.FormatInt(since.ID, 10) + "\x00" + since.Hash + "\x00" + strconv.FormatInt(version, 10)
	c.mu.Lock()
	ch, ok := c.changes[key]
	c.mu.Unlock()
	if ok {
		return ch, nil
	}
	v, err, _ := c.changeFlight.Do(key, func() (any, error) {
		ids, moved, head, err := ps.ProblemChanges(ctx, since, 64)
		return changes{ids, moved, head}, err
	})
	if err != nil {
		return changes{}, err
	}
	ch = v.(changes)
	c.mu.Lock()
	if c.changes == nil || len(c.changes) >= 1024 {
		c.changes = map[string]changes{}
	}
	c.changes[key] = ch
	c.mu.Unlock()
	return ch, nil
}

// newest returns the newest page kept of the query named by base.
func (c *listCache) newest(base string) *ListPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest[base]
}

// setNewest records p as the newest page of its query, and forgets the
// page it replaces. Readers ask for the version they read, which only
// grows, so the older page is asked for again only by a request that read
// its version just before (it computes the page anew). Kept, a page
// carried over after every write (keptPage) filled the cache with a copy
// of itself per version until put emptied it all, this list too: at 300
// writes a second that was every second or so, and each query's next read
// computed its page from the store.
func (c *listCache) setNewest(base string, p *ListPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.latest == nil {
		c.latest = make(map[string]*ListPage)
	}
	if old := c.latest[base]; old == nil || old.version < p.version {
		c.latest[base] = p
		if old != nil {
			c.drop(listKey(base, old.version))
		}
	}
}

// drop forgets the page kept under key; c.mu is held.
func (c *listCache) drop(key string) {
	if p, ok := c.m[key]; ok {
		delete(c.m, key)
		c.bytes -= pageSize(p)
	}
}

// pageSize is what put counts a page as: the problems kept take about
// what their JSON does.
func pageSize(p *ListPage) int { return 2 * len(p.JSON) }

// listKey names the page of the query base at a data version.
func listKey(base string, version int64) string {
	return base + "\x00" + strconv.FormatInt(version, 10)
}

// do returns the page cached under key, or computes it, once for every
// request asking for the same key at the same time. The computation does
// not end when the request that started it goes away (the others still
// want it); a waiting request that goes away stops waiting.
func (c *listCache) do(ctx context.Context, key string, compute func(context.Context) (*ListPage, error)) (*ListPage, error) {
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
		// At most as many pages are computed at once as there are CPUs:
		// the others wait without taking any, so that cheap requests (a
		// cached page, /api/v1/me) are not queued behind thirty pages
		// being read at once.
		c.slots <- struct{}{}
		p, err := compute(detached)
		<-c.slots
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
		return r.Val.(*ListPage), nil
	}
}

// ListVersion is the data version list answers are cached under now, or
// -1 when the list cache is off.
func (s *Server) ListVersion(ctx context.Context) (int64, error) {
	if s.NoListCache {
		return -1, nil
	}
	return s.Problems.ProblemsVersion(ctx)
}

// FormUnits returns every unit, for the ledger form, from the store once per
// data version (listVersion).
func (s *Server) FormUnits(ctx context.Context, version int64) ([]*ducha.Unit, error) {
	c := &s.lists
	c.mu.Lock()
	units, ok := c.units[version]
	c.mu.Unlock()
	if ok && version >= 0 {
		return units, nil
	}
	units, err := s.Units.FindUnits(ctx)
	if err != nil || version < 0 {
		return units, err
	}
	c.mu.Lock()
	if c.units == nil || len(c.units) >= 64 {
		c.units = map[int64][]*ducha.Unit{}
	}
	c.units[version] = units
	c.mu.Unlock()
	return units, nil
}

// FormAreas returns the areas the user's problems name, for the ledger
// form, from the store once per scope and data version (listVersion).
func (s *Server) FormAreas(ctx context.Context, version int64) ([]string, error) {
	if version < 0 {
		return s.Problems.ProblemAreas(ctx)
	}
	key := listBase(ducha.UserFromContext(ctx), ProblemQuery{}, "") + "\x00" + strconv.FormatInt(version, 10)
	c := &s.lists
	c.mu.Lock()
	areas, ok := c.areas[key]
	c.mu.Unlock()
	if ok {
		return areas, nil
	}
	areas, err := s.Problems.ProblemAreas(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.areas == nil || len(c.areas) >= 64 {
		c.areas = map[string][]string{}
	}
	c.areas[key] = areas
	c.mu.Unlock()
	return areas, nil
}

// ProblemList returns the ledger page of query q as the user in ctx sees
// it at the data version (listVersion): from the list cache, or from the
// store (ProblemService.FindProblems) and then kept. A bad query is an
// EINVALID field error.
func (s *Server) ProblemList(ctx context.Context, version int64, q ProblemQuery) (*ListPage, error) {
	compute := func(ctx context.Context) (*ListPage, error) {
		f, page, perPage, err := s.ProblemFilter(ctx, q)
		if err != nil {
			return nil, err
		}
		var seen ducha.EventMark
		if version >= 0 { // read before the page: every event it may not show comes after
			if seen, err = s.Problems.EventMark(ctx); err != nil {
				return nil, err
			}
		}
		items, total, err := s.Problems.FindProblems(ctx, f)
		if err != nil {
			return nil, err
		}
		if items == nil {
			items = []*ducha.Problem{}
		}
		l := &ListPage{version: version, seen: seen, rows: &pageRows{}, Items: items, Total: total, TotalExact: true, Page: page, PerPage: perPage}
		// As the store counts: only a q with words in it is a search.
		if len(text.QueryTokens(f.Q)) > 0 && !f.ExactCount && total > ducha.SearchCountCap {
			l.Total, l.TotalExact = ducha.SearchCountCap+1, false
		}
		// A full page may have more after it, unless the exact total says
		// it is the last. On a page named by key the total does not say
		// how many came before it.
		if n := len(items); n > 0 && n == perPage && (page == 0 || !l.TotalExact || f.Offset+n < total) {
			if f.Sort == "" {
				l.Next, l.More = items[n-1].ID, true
			} else {
				// A sorted list pages by number only, as deep as the
				// store allows (ducha.MaxSortOffset).
				l.More = f.Offset+n <= ducha.MaxSortOffset
			}
		}
		exact := l.TotalExact
		if l.JSON, err = encodeJSON(List[*ducha.Problem]{Items: items, Total: l.Total, Page: page, PerPage: perPage,
			TotalExact: &exact, Next: l.Next}); err != nil {
			return nil, err
		}
		return l, nil
	}
	if version < 0 {
		return compute(ctx)
	}
	base := listBase(ducha.UserFromContext(ctx), q, s.Today()) + "\x00" + strconv.Itoa(s.CurrentYellowDays())
	return s.lists.do(ctx, listKey(base, version), func(ctx context.Context) (*ListPage, error) {
		l, err := s.keptPage(ctx, base, version)
		if err == nil && l == nil {
			l, err = compute(ctx)
		}
		if err != nil {
			return nil, err
		}
		s.lists.setNewest(base, l)
		return l, nil
	})
}

// keptPage returns the newest page of the query named by base, as of
// version, when the writes since it was read left it as it is: they moved
// no problem into, out of or within any list (a note, a progress report, a
// case action, a file attached) and changed none it shows. It is read from
// the events since the chain's head the page was read after (so a unit's
// page is checked against every unit's events, not from its unit's older
// version), and holds for writes from any instance. nil: compute the page
// again.
func (s *Server) keptPage(ctx context.Context, base string, version int64) (*ListPage, error) {
	old := s.lists.newest(base)
	if old == nil || old.version >= version {
		return nil, nil
	}
	ch, err := s.lists.changesSince(ctx, s.Problems, old.seen, version)
	if err != nil || ch.moved {
		return nil, err
	}
	ids, head := ch.ids, ch.head
	for _, id := range ids {
		for _, p := range old.Items {
			if p.ID == id {
				return nil, nil
			}
		}
	}
	kept := *old
	kept.version, kept.seen = version, head
	return &kept, nil
}

// listBase names one ledger page but for its version: who may see what
// (all, or one unit), the query with its empty fields left out (the page's
// form sends them all, the API rarely) and the day overdue is judged on.
func listBase(u *ducha.User, q ProblemQuery, today ducha.Date) string {
	scope := "all"
	if u.Role.UnitScoped() {
		scope = "unit:" + strconv.FormatInt(u.UnitID, 10)
	}
	v := url.Values{}
	for _, f := range [...]struct{ k, v string }{
		{"status", q.Status}, {"unit", q.Unit}, {"area", q.Area}, {"type", q.Type},
		{"overdue", q.Overdue}, {"warning", q.Warning}, {"q", q.Q}, {"schedule", q.Schedule},
		{"sort", q.Sort}, {"order", q.Order},
		{"page", q.Page}, {"per_page", q.PerPage}, {"after", q.After}, {"exact", q.Exact},
	} {
		if f.v != "" {
			v.Set(f.k, f.v)
		}
	}
	return scope + "\x00" + v.Encode() + "\x00" + string(today)
}

// writeCachedJSON writes an encoded 200 answer.
func WriteCachedJSON(w http.ResponseWriter, b []byte) {
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
