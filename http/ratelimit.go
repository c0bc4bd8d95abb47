package http

import (
	"sync"
	"time"
)

// maxLimiterKeys bounds the throttle's memory: past it, expired entries
// are dropped before a new one is added.
const maxLimiterKeys = 10000

// loginLimiter counts failed logins per key within a fixed window. A key
// that reaches its limit is locked out for the rest of its window.
type loginLimiter struct {
	limit LoginLimit
	now   func() time.Time

	mu   sync.Mutex
	hits map[string]*failures
}

type failures struct {
	n     int
	start time.Time
}

// limitKey is one thing logins are counted against, with its limit.
type limitKey struct {
	key   string
	limit int
}

func newLoginLimiter(l LoginLimit, now func() time.Time) *loginLimiter {
	if l.Window <= 0 {
		l.Window = 10 * time.Minute
	}
	return &loginLimiter{limit: l, now: now, hits: map[string]*failures{}}
}

// blocked reports whether any key has reached its limit in its window.
func (l *loginLimiter) blocked(keys ...limitKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if k.limit <= 0 {
			continue
		}
		if f := l.hits[k.key]; f != nil && now.Sub(f.start) < l.limit.Window && f.n >= k.limit {
			return true
		}
	}
	return false
}

// fail counts one failure against every key.
func (l *loginLimiter) fail(keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.hits) >= maxLimiterKeys {
		for k, f := range l.hits {
			if now.Sub(f.start) >= l.limit.Window {
				delete(l.hits, k)
			}
		}
	}
	for _, k := range keys {
		f := l.hits[k.key]
		if f == nil || now.Sub(f.start) >= l.limit.Window {
			f = &failures{start: now}
			l.hits[k.key] = f
		}
		f.n++
	}
}

// reset forgets the failures of one key.
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}
