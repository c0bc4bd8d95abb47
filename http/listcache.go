package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"ducha"
)

// listCache keeps encoded list responses under the store's data version
// (the last event id, which every write anywhere moves), the reader's unit
// scope, the query and the day. A hit is therefore exactly what the store
// would answer now; the first request after any write misses. Ledger pages
// are read far more often than they change: the whole county office opens
// the same few lists all day.
type listCache struct {
	mu    sync.Mutex
	m     map[string][]byte
	bytes int
}

const (
	listCacheEntries = 1024
	listCacheBytes   = 64 << 20
)

func (c *listCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

func (c *listCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= listCacheEntries || c.bytes+len(b) > listCacheBytes {
		c.m, c.bytes = make(map[string][]byte), 0
	}
	c.m[key] = b
	c.bytes += len(b)
}

// listKey names one list answer: who may see what (all, or one unit), the
// canonical query, the data version and the day overdue is judged on.
func listKey(u *ducha.User, q url.Values, version int64, today ducha.Date) string {
	scope := "all"
	if u.Role.UnitScoped() {
		scope = "unit:" + strconv.FormatInt(u.UnitID, 10)
	}
	return scope + "\x00" + q.Encode() + "\x00" + strconv.FormatInt(version, 10) + "\x00" + string(today)
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
