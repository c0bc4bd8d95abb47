package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"ducha"
)

// The login throttle's counters live in the store so that every instance
// on one PostgreSQL counts the same attempts. A reservation is one short
// write transaction: one upsert that takes an attempt from every key only
// where the key has one left. Every transaction here locks its rows in key
// name order, so that concurrent logins on PostgreSQL cannot deadlock.
// Nothing here appends to the audit chain (see
// docs/decisions/004-login-throttle.md).

// noTrickle is the trickle_at of keys that let nothing through past their
// limit: later than any now.
const noTrickle = "9999-12-31T23:59:59.999999Z"

// sweepEvery is how often a process deletes the rows whose window has
// ended, so the table holds about one window of rows.
const sweepEvery = time.Minute

// lastSweep is when this process last swept (wall clock, Unix nanoseconds):
// how often to sweep is a matter of load, not of the throttle's time.
var lastSweep atomic.Int64

// reserveSQL takes one attempt from each of n keys. A key whose window has
// ended starts a new one; a key at its limit gives nothing unless its
// trickle slot is due. Rows left out of RETURNING were refused.
func reserveSQL(n int) string {
	rows := strings.TrimSuffix(strings.Repeat("(?, 1, ?, ?, ?, ?), ", n), ", ")
	return `INSERT INTO login_throttle (throttle_key, n, lim, window_end, trickle_at, updated_at) VALUES ` + rows + `
		ON CONFLICT (throttle_key) DO UPDATE SET
			n = CASE WHEN login_throttle.window_end <= excluded.updated_at THEN 1 ELSE login_throttle.n + 1 END,
			window_end = CASE WHEN login_throttle.window_end <= excluded.updated_at THEN excluded.window_end ELSE login_throttle.window_end END,
			lim = excluded.lim, trickle_at = excluded.trickle_at, updated_at = excluded.updated_at
		WHERE login_throttle.window_end <= excluded.updated_at OR login_throttle.n < excluded.lim OR login_throttle.trickle_at <= excluded.updated_at
		RETURNING throttle_key, n, window_end`
}

// ReserveLogin takes one attempt from every key with a limit, all or none.
// Keys are written in name order, so concurrent reservations on PostgreSQL
// lock rows in one order and cannot deadlock.
func (db *DB) ReserveLogin(ctx context.Context, now time.Time, keys []ducha.ThrottleKey) (*ducha.LoginReservation, error) {
	now = now.UTC()
	var use []ducha.ThrottleKey
	for _, k := range keys {
		if k.Limit > 0 && k.Window > 0 {
			use = append(use, k)
		}
	}
	if len(use) == 0 {
		return &ducha.LoginReservation{Granted: true}, nil
	}
	sort.Slice(use, func(i, j int) bool { return use[i].Name < use[j].Name })
	args := make([]any, 0, 5*len(use))
	for _, k := range use {
		trickle := noTrickle
		if k.Trickle > 0 {
			trickle = ducha.FormatTime(now.Add(k.Trickle))
		}
		args = append(args, k.Name, k.Limit, ducha.FormatTime(now.Add(k.Window)), trickle, ducha.FormatTime(now))
	}
	if err := db.sweepThrottle(ctx, now); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, db.dialect.rebind(reserveSQL(len(use))), args...)
	if err != nil {
		return nil, fmt.Errorf("reserve login: %w", err)
	}
	res := &ducha.LoginReservation{}
	granted := map[string]bool{}
	for rows.Next() {
		var k ducha.ReservedKey
		var end string
		if err := rows.Scan(&k.Name, &k.Count, &end); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reserve login: %w", err)
		}
		k.WindowEnd = ducha.ParseTime(end)
		res.Keys = append(res.Keys, k)
		granted[k.Name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reserve login: %w", err)
	}
	if len(granted) == len(use) {
		res.Granted = true
		if err := tx.commit(ctx); err != nil {
			return nil, err
		}
		return res, nil
	}
	// Refused: nothing is taken (the transaction rolls back); say when
	// the last refusing key frees.
	var refused []any
	for _, k := range use {
		if !granted[k.Name] {
			refused = append(refused, k.Name)
		}
	}
	wait, err := tx.retryAfter(ctx, now, refused)
	if err != nil {
		return nil, err
	}
	return &ducha.LoginReservation{RetryAfter: wait}, nil
}

// retryAfter is how long until every refused key has an attempt again: its
// trickle slot, or the end of its window, whichever comes first.
func (tx *Tx) retryAfter(ctx context.Context, now time.Time, keys []any) (time.Duration, error) {
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT window_end, trickle_at FROM login_throttle WHERE throttle_key IN (`+placeholders(len(keys))+`)`), keys...)
	if err != nil {
		return 0, fmt.Errorf("reserve login: %w", err)
	}
	defer rows.Close()
	var wait time.Duration
	for rows.Next() {
		var end, trickle string
		if err := rows.Scan(&end, &trickle); err != nil {
			return 0, fmt.Errorf("reserve login: %w", err)
		}
		free := ducha.ParseTime(end)
		if t := ducha.ParseTime(trickle); trickle != noTrickle && t.Before(free) {
			free = t
		}
		wait = max(wait, free.Sub(now))
	}
	// Whole seconds, rounded up, at least one: Retry-After counts seconds.
	if wait%time.Second != 0 {
		wait = wait.Truncate(time.Second) + time.Second
	}
	return max(time.Second, wait), rows.Err()
}

// ReleaseLogin gives back the attempts of a granted reservation, each in
// the window it was taken from, and forgets the keys named in forget (the
// pair whose password was right). One statement per key, in name order.
func (db *DB) ReleaseLogin(ctx context.Context, r *ducha.LoginReservation, forget ...string) error {
	if r == nil || !r.Granted || len(r.Keys) == 0 {
		return nil
	}
	drop := map[string]bool{}
	for _, k := range forget {
		drop[k] = true
	}
	keys := append([]ducha.ReservedKey(nil), r.Keys...)
	sort.Slice(keys, func(i, j int) bool { return keys[i].Name < keys[j].Name })
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, k := range keys {
		if drop[k.Name] {
			_, err = tx.ExecContext(ctx, db.dialect.rebind(`DELETE FROM login_throttle WHERE throttle_key = ?`), k.Name)
		} else {
			_, err = tx.ExecContext(ctx, db.dialect.rebind(`UPDATE login_throttle SET n = n - 1 WHERE throttle_key = ? AND window_end = ? AND n > 0`),
				k.Name, ducha.FormatTime(k.WindowEnd))
		}
		if err != nil {
			return fmt.Errorf("release login: %w", err)
		}
	}
	return tx.commit(ctx)
}

// sweepThrottle deletes the rows whose window has ended, at most once per
// sweepEvery, in a statement of its own that passes over locked rows: it
// never waits for a login, so it cannot deadlock with one.
func (db *DB) sweepThrottle(ctx context.Context, now time.Time) error {
	last, wall := lastSweep.Load(), time.Now().UnixNano()
	if wall-last < int64(sweepEvery) || !lastSweep.CompareAndSwap(last, wall) {
		return nil
	}
	_, err := db.writer.ExecContext(ctx, db.dialect.rebind(`DELETE FROM login_throttle WHERE throttle_key IN
		(SELECT throttle_key FROM login_throttle WHERE window_end <= ?`+db.dialect.skipLocked()+`)`), ducha.FormatTime(now))
	if err != nil {
		return fmt.Errorf("sweep login throttle: %w", err)
	}
	return nil
}
