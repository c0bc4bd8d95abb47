package web

import (
	"fmt"
	"testing"
)

// TestListCacheKeepsOnePagePerQuery: a page carried over to each new
// version (keptPage) replaces the one before it, so a query's newest page
// survives any number of writes and the cache holds one page per query,
// not one per version until it overflows and forgets every query.
func TestListCacheKeepsOnePagePerQuery(t *testing.T) {
	c := newListCache()
	bases := []string{"all\x00\x002026-12-07", "all\x00status=in_progress\x002026-12-07"}
	first := map[string]*ListPage{}
	for _, base := range bases {
		first[base] = &ListPage{version: 1, JSON: []byte(`{"items":[]}`)}
	}
	for v := int64(1); v <= 3*listCacheEntries; v++ {
		for _, base := range bases {
			kept := *first[base]
			kept.version = v
			c.setNewest(base, &kept)
			c.put(listKey(base, v), &kept)
			if got := c.newest(base); got != &kept {
				t.Fatalf("version %d of %q: newest page is %v, want the page just kept", v, base, got)
			}
			if p, ok := c.get(listKey(base, v)); !ok || p != &kept {
				t.Fatalf("version %d of %q: not cached under its key", v, base)
			}
		}
		if len(c.m) != len(bases) {
			t.Fatalf("version %d: %d pages cached for %d queries", v, len(c.m), len(bases))
		}
	}
	if want := len(bases) * pageSize(first[bases[0]]); c.bytes != want {
		t.Errorf("bytes counted %d, want %d", c.bytes, want)
	}
}

// TestListCachePutAgain: the same key put twice (a page computed again
// after the cache was emptied under it) is counted once.
func TestListCachePutAgain(t *testing.T) {
	c := newListCache()
	p := &ListPage{version: 7, JSON: []byte(fmt.Sprintf("%0100d", 0))}
	c.put("k", p)
	c.put("k", p)
	if c.bytes != pageSize(p) {
		t.Errorf("bytes %d after putting one page twice, want %d", c.bytes, pageSize(p))
	}
}
