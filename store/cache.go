package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// countCache remembers how many problems a filter matched at a data
// version. Every write appends an event, so the last event id is a version
// that every instance sharing the database sees: a count cached under it is
// exact until the next write anywhere.
type countCache struct {
	mu sync.Mutex
	m  map[string]any
}

const countCacheSize = 4096

func (c *countCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *countCache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= countCacheSize {
		c.m = make(map[string]any) // crude, but old versions are never asked for again
	}
	c.m[key] = v
}

func countKey(version int64, where string, args []any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s", version, where)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%v", a)
	}
	return b.String()
}

// dataVersion is the id of the last event in tx's snapshot.
func (tx *Tx) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := tx.queryRow(ctx, `SELECT last_id FROM audit_head WHERE id = 1`).Scan(&v)
	return v, err
}

// DataVersion returns the id of the last event: it changes with every write
// to the store, from any instance, so readers can key caches on it.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT last_id FROM audit_head WHERE id = 1`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
