package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// countCache remembers how many problems a filter matched at a data
// version of the ledger (Tx.problemsVersion: the last event that changed a
// problem of the user's scope, or a unit), which every instance sharing the
// database sees: a count cached under it is exact until the next such
// write. Counts the counters answer (tally.go) do not come here: searches,
// sources and other counts do.
//
// After a write every reader misses at once; identical counts then in
// flight are computed once and shared (singleflight on the same key), so
// 32 clients on one filter cost one count, not 32 of them on two cores.
type countCache struct {
	mu     sync.Mutex
	m      map[string]any
	flight singleflight.Group

	// computed counts the computations that reached the database; tests
	// read it (export_test.go), and may set the hooks before any use:
	// onMiss runs after a cache miss, onCompute before a computation.
	computed          atomic.Int64
	onMiss, onCompute func()
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

// do returns the value cached under key, or computes it, once for every
// caller asking for the same key at the same time. compute runs in the
// transaction of the caller that came first; the key holds the data
// version of that transaction's snapshot, so its answer is every waiter's
// answer too. If that first caller gives up (its context ends), the
// others try again rather than fail with its cancellation.
func (c *countCache) do(ctx context.Context, key string, compute func() (any, error)) (any, error) {
	if v, ok := c.get(key); ok {
		return v, nil
	}
	if c.onMiss != nil {
		c.onMiss()
	}
	for attempt := 0; ; attempt++ {
		ch := c.flight.DoChan(key, func() (v any, err error) {
			// DoChan runs this on a goroutine of its own, where a panic
			// would end the process: it becomes the callers' error.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("count: panic: %v\n%s", p, debug.Stack())
				}
			}()
			// A flight that ended just before this one began may have
			// filled the cache.
			if v, ok := c.get(key); ok {
				return v, nil
			}
			if c.onCompute != nil {
				c.onCompute()
			}
			c.computed.Add(1)
			if v, err = compute(); err == nil {
				c.put(key, v)
			}
			return v, err
		})
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-ch:
			if r.Err != nil && ctx.Err() == nil && attempt < 3 &&
				(errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded) || errors.Is(r.Err, sql.ErrTxDone)) {
				continue // another caller's transaction ended under it
			}
			return r.Val, r.Err
		}
	}
}

func countKey(version int64, where string, args []any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s", version, where)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%v", a)
	}
	return b.String()
}

// DataVersion returns the id of the last event: it changes with every write
// to the store, from any instance, so readers can key caches on it. It reads
// on the lookup pool (see queryRow), as every request asks for it.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT last_id FROM audit_head WHERE id = 1`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
