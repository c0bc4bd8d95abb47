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
// where the key has one left, and, when only keys with a Trickle refused,
// the pair's own slot past them. Every transaction here locks its rows in
// key name order, so that concurrent logins on PostgreSQL cannot deadlock.
// Nothing here appends to the audit chain (see
// docs/decisions/004-login-throttle.md).

// noTrickle is what every row's trickle_at now holds. The column was the
// account's one shared trickle slot; it is no longer read (each pair has a
// slot row of its own, slotKey), and it is written as a time later than any
// now so that an instance still running the old code during an upgrade
// finds no shared slot open.
const noTrickle = "9999-12-31T23:59:59.999999Z"

// slotKey is the row of a pair's own slot past a spent account: one attempt
// per Trickle. It sorts after the pair ("slot:" > "pair:"), and only
// reservations of that pair (so of the same account and address) touch it,
// so the name order of locks holds.
func slotKey(pair string) string { return "slot:" + pair }

// sweepEvery is how often a process deletes the rows whose window has
// ended, so the table holds about one window of rows.
const sweepEvery = time.Minute

// lastSweep is when this process last swept (wall clock, Unix nanoseconds):
// how often to sweep is a matter of load, not of the throttle's time.
var lastSweep atomic.Int64

// reserveSQL takes one attempt from each of n keys. A key whose window has
// ended starts a new one; a key at its limit gives nothing. Rows left out
// of RETURNING were refused (on PostgreSQL they are locked all the same).
func reserveSQL(n int) string {
	rows := strings.TrimSuffix(strings.Repeat("(?, 1, ?, ?, ?, ?), ", n), ", ")
	return `INSERT INTO login_throttle (throttle_key, n, lim, window_end, trickle_at, updated_at) VALUES ` + rows + `
		ON CONFLICT (throttle_key) DO UPDATE SET
			n = CASE WHEN login_throttle.window_end <= excluded.updated_at THEN 1 ELSE login_throttle.n + 1 END,
			window_end = CASE WHEN login_throttle.window_end <= excluded.updated_at THEN excluded.window_end ELSE login_throttle.window_end END,
			lim = excluded.lim, trickle_at = excluded.trickle_at, updated_at = excluded.updated_at
		WHERE login_throttle.window_end <= excluded.updated_at OR login_throttle.n < excluded.lim
		RETURNING throttle_key, n, window_end`
}

// ReserveLogin takes one attempt from every key with a limit, all or none.
// Keys are written in name order, so concurrent reservations on PostgreSQL
// lock rows in one order and cannot deadlock.
//
// The first key is the pair, (account, client address). A key with a
// Trickle (the account over all addresses) whose limit is spent still
// grants the attempt when the pair is fresh — no attempt of it counts in
// its window: it never failed, or a right password cleared it — and the
// pair's own slot is due: one attempt per Trickle per pair, which a
// give-back does not return.
//
// So past the account's cap the owner, from an address that has not failed,
// gets in at once (within Trickle at worst), while an address that failed
// for the account waits for its pair's window (or the account's) to end,
// and each further guess costs a fresh address.
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
	pair := ""
	if k := keys[0]; k.Limit > 0 && k.Window > 0 && k.Trickle <= 0 {
		pair = k.Name
	}
	sort.Slice(use, func(i, j int) bool { return use[i].Name < use[j].Name })
	if err := db.sweepThrottle(ctx, now); err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	got, err := tx.reserveKeys(ctx, now, use)
	if err != nil {
		return nil, err
	}
	res := &ducha.LoginReservation{}
	var refused []ducha.ThrottleKey
	slotOnly := true // every refused key has a trickle, so the pair's slot may pass them
	var slotEvery time.Duration
	for _, k := range use {
		if r, ok := got[k.Name]; ok {
			res.Keys = append(res.Keys, r)
			continue
		}
		refused = append(refused, k)
		slotOnly = slotOnly && k.Trickle > 0
		slotEvery = max(slotEvery, k.Trickle)
	}
	if len(refused) == 0 {
		res.Granted = true
		if err := tx.commit(ctx); err != nil {
			return nil, err
		}
		return res, nil
	}
	// Past a spent account: the pair's own slot, if the pair is fresh (its
	// count after this attempt is 1).
	fresh := pair != "" && got[pair].Count == 1
	if fresh && slotOnly {
		slot := ducha.ThrottleKey{Name: slotKey(pair), Limit: 1, Window: slotEvery}
		s, err := tx.reserveKeys(ctx, now, []ducha.ThrottleKey{slot})
		if err != nil {
			return nil, err
		}
		if _, ok := s[slot.Name]; ok {
			over, err := tx.overLimit(ctx, now, refused)
			if err != nil {
				return nil, err
			}
			// The slot is not among the keys given back: whatever the
			// attempt's outcome, the pair waits Trickle for the next.
			res.Keys = append(res.Keys, over...)
			sort.Slice(res.Keys, func(i, j int) bool { return res.Keys[i].Name < res.Keys[j].Name })
			res.Granted = true
			if err := tx.commit(ctx); err != nil {
				return nil, err
			}
			return res, nil
		}
	}
	// Refused: nothing is taken (the transaction rolls back); say when
	// the last refusing key frees.
	wait, err := tx.retryAfter(ctx, now, refused, pair, fresh, got)
	if err != nil {
		return nil, err
	}
	return &ducha.LoginReservation{RetryAfter: wait}, nil
}

// reserveKeys runs reserveSQL for keys (in name order) and answers the
// granted ones by name.
func (tx *Tx) reserveKeys(ctx context.Context, now time.Time, keys []ducha.ThrottleKey) (map[string]ducha.ReservedKey, error) {
	args := make([]any, 0, 5*len(keys))
	for _, k := range keys {
		args = append(args, k.Name, k.Limit, ducha.FormatTime(now.Add(k.Window)), noTrickle, ducha.FormatTime(now))
	}
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(reserveSQL(len(keys))), args...)
	if err != nil {
		return nil, fmt.Errorf("reserve login: %w", err)
	}
	return scanReserved(rows)
}

// overLimit takes an attempt past the limit from keys the pair's slot let
// through; they are in their window, and (on PostgreSQL) already locked by
// the upsert that refused them.
func (tx *Tx) overLimit(ctx context.Context, now time.Time, keys []ducha.ThrottleKey) ([]ducha.ReservedKey, error) {
	args := []any{ducha.FormatTime(now)}
	for _, k := range keys {
		args = append(args, k.Name)
	}
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`UPDATE login_throttle SET n = n + 1, updated_at = ?
		WHERE throttle_key IN (`+placeholders(len(keys))+`) RETURNING throttle_key, n, window_end`), args...)
	if err != nil {
		return nil, fmt.Errorf("reserve login: %w", err)
	}
	got, err := scanReserved(rows)
	if err != nil {
		return nil, err
	}
	out := make([]ducha.ReservedKey, 0, len(got))
	for _, k := range keys {
		r, ok := got[k.Name]
		if !ok {
			return nil, fmt.Errorf("reserve login: key %q vanished", k.Name)
		}
		out = append(out, r)
	}
	return out, nil
}

func scanReserved(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) (map[string]ducha.ReservedKey, error) {
	defer rows.Close()
	got := map[string]ducha.ReservedKey{}
	for rows.Next() {
		var k ducha.ReservedKey
		var end string
		if err := rows.Scan(&k.Name, &k.Count, &end); err != nil {
			return nil, fmt.Errorf("reserve login: %w", err)
		}
		k.WindowEnd = ducha.ParseTime(end)
		got[k.Name] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reserve login: %w", err)
	}
	return got, nil
}

// retryAfter is how long until every refused key lets an attempt of this
// pair through: at the end of its window, or, for a key with a trickle,
// sooner when the pair's own slot could pass it — when the slot frees, for
// a fresh pair; when the pair's window has ended too, for one that failed.
// granted are the keys the upsert granted, with this attempt's window.
func (tx *Tx) retryAfter(ctx context.Context, now time.Time, refused []ducha.ThrottleKey, pair string, fresh bool,
	granted map[string]ducha.ReservedKey) (time.Duration, error) {
	names := make([]any, 0, len(refused)+1)
	for _, k := range refused {
		names = append(names, k.Name)
	}
	if pair != "" {
		names = append(names, slotKey(pair))
	}
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT throttle_key, window_end FROM login_throttle WHERE throttle_key IN (`+placeholders(len(names))+`)`), names...)
	if err != nil {
		return 0, fmt.Errorf("reserve login: %w", err)
	}
	defer rows.Close()
	ends := map[string]time.Time{}
	for rows.Next() {
		var name, end string
		if err := rows.Scan(&name, &end); err != nil {
			return 0, fmt.Errorf("reserve login: %w", err)
		}
		ends[name] = ducha.ParseTime(end)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reserve login: %w", err)
	}
	for name, k := range granted {
		ends[name] = k.WindowEnd
	}
	var wait time.Duration
	for _, k := range refused {
		free := ends[k.Name]
		if k.Trickle > 0 && pair != "" {
			// When the pair may pass k through its slot; a slot row that
			// is missing or past its window is due now.
			via := later(now, ends[slotKey(pair)])
			if !fresh {
				via = later(via, ends[pair])
			}
			if via.Before(free) {
				free = via
			}
		}
		wait = max(wait, free.Sub(now))
	}
	// Whole seconds, rounded up, at least one: Retry-After counts seconds.
	if wait%time.Second != 0 {
		wait = wait.Truncate(time.Second) + time.Second
	}
	return max(time.Second, wait), nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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
	tx, err := db.beginItemWrite(ctx)
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
