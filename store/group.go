package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"ducha"
)

// writeGroup commits SQLite's small writes in groups. SQLite has one
// writer, and with synchronous=FULL each commit waits for the disk
// (fsync of the WAL, 1.5 ms of a write's 2.2 ms on this project's
// machine): at 400 writes a second the writer was busy nine tenths of the
// time and a write waited 36 ms on average to begin. A write of one item
// (beginItemWrite: an edit, an action, a session) therefore runs in a
// savepoint of a transaction that writes queued behind it join, and the
// group commits once, when no write is waiting, or it holds maxGroup
// writes, or it is maxGroupAge old. Each write's commit returns only when
// the group's has: nothing is reported written before it is on disk, and
// a group that fails reports every one of its writes as failed.
//
// A write that joins changes nothing of what it sees: its savepoint begins
// after the writes before it in the group released theirs, as its own
// transaction would have begun after their commits. A write that fails
// rolls back to its savepoint, and only its own changes go.
//
// Long writes (imports, the supervision pass, a restore) begin with
// beginWrite: they first commit the group waiting and then run alone, so
// that a small write never waits for a long one it did not queue behind.
type writeGroup struct {
	// token is held by the write running on the writer connection; the
	// fields below belong to its holder.
	token   chan struct{}
	waiting atomic.Int32 // writes waiting for the token

	tx      *sql.Tx // the group's transaction, nil when none is open
	began   time.Time
	size    int
	seq     int64
	pending []chan error // the group's writes done, waiting for its commit
	timer   *time.Timer  // commits the group if nobody does (handOn)

	commits atomic.Int64 // groups committed (tests)
}

const (
	maxGroup    = 64
	maxGroupAge = 20 * time.Millisecond
)

func newWriteGroup() *writeGroup {
	return &writeGroup{token: make(chan struct{}, 1)}
}

// acquire waits for the token, or for ctx to end.
func (g *writeGroup) acquire(ctx context.Context) error {
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	select {
	case g.token <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handOn ends the holder's turn: the group stays open for the next write
// if one waits and the group may grow, and is committed otherwise. A group
// no write is pending in (the holder rolled back, or its request ended) is
// rolled back at once, which costs no fsync: left open, it would hold the
// writer's one connection and SQLite's write lock, with no timer to end
// it, when the write waiting gives up before its turn (token stamps and
// the login throttle's sweep, which use the writer outside the token, and
// another process on the file would wait for it).
func (g *writeGroup) handOn() {
	if g.tx != nil {
		if len(g.pending) == 0 || g.waiting.Load() == 0 || g.size >= maxGroup || time.Since(g.began) >= maxGroupAge {
			g.flush()
		} else if g.timer == nil {
			// The write waiting may give up before its turn (its request
			// ends); the group is then committed by the timer.
			g.timer = time.AfterFunc(maxGroupAge, g.backstop)
		}
	}
	<-g.token
}

// backstop commits the group open, if any, in its turn for the token.
func (g *writeGroup) backstop() {
	g.token <- struct{}{}
	g.flush()
	<-g.token
}

// flush commits the open group, or rolls it back when none of its writes
// is left, and tells each write the outcome. The token is held.
func (g *writeGroup) flush() {
	if g.tx == nil {
		return
	}
	var err error
	if len(g.pending) == 0 {
		err = g.tx.Rollback()
	} else if err = g.tx.Commit(); err != nil {
		err = wrapUnavailable("commit", err)
	} else {
		g.commits.Add(1)
	}
	g.end(err)
}

// fail rolls the open group back after err and fails each of its writes.
func (g *writeGroup) fail(err error) {
	g.tx.Rollback()
	g.end(fmt.Errorf("write group rolled back: %w", err))
}

func (g *writeGroup) end(err error) {
	for _, done := range g.pending {
		done <- err
	}
	if g.timer != nil {
		g.timer.Stop()
	}
	g.tx, g.pending, g.size, g.timer = nil, nil, 0, nil
}

// beginItemWrite starts a write of one item (an edit, an action on it, a
// session): on SQLite it joins the group being written (writeGroup), on
// PostgreSQL, which commits writes side by side, it is beginWrite.
func (db *DB) beginItemWrite(ctx context.Context) (*Tx, error) {
	g := db.group
	if g == nil {
		return db.beginWrite(ctx)
	}
	if err := g.acquire(ctx); err != nil {
		return nil, wrapUnavailable("begin", err)
	}
	if g.tx == nil {
		// The group outlives the request that opens it: database/sql
		// would roll it back, and the writes of others in it, when that
		// request's context ends.
		tx, err := db.writer.BeginTx(context.Background(), nil)
		if err != nil {
			<-g.token
			return nil, wrapUnavailable("begin", err)
		}
		g.tx, g.began = tx, time.Now()
	}
	g.seq++
	name := "w" + strconv.FormatInt(g.seq, 10)
	if _, err := g.tx.ExecContext(db.dialect.statementContext(ctx), "SAVEPOINT "+name); err != nil {
		g.fail(err)
		<-g.token
		return nil, wrapUnavailable("begin", err)
	}
	g.size++
	return &Tx{Tx: g.tx, db: db, pool: db.writer, write: true, user: ducha.UserFromContext(ctx), now: db.opts.Now().UTC(),
		group: g, savepoint: name, ctx: ctx}, nil
}

// bigItem is the size past which a write of one item runs alone.
const bigItem = 256 << 10

// beginSizedWrite is beginItemWrite for a write of one item that carries
// n bytes (an attachment, a file supplied on request): past bigItem it
// runs alone (beginWrite), so that the writes grouped with it do not wait
// for its bytes to reach the disk, nor fail with it when the disk is full.
func (db *DB) beginSizedWrite(ctx context.Context, n int) (*Tx, error) {
	if n > bigItem {
		return db.beginWrite(ctx)
	}
	return db.beginItemWrite(ctx)
}

// Commit commits tx. A write of a group releases its savepoint and waits
// for the group's commit (writeGroup); a write that began alone (with the
// token) commits and gives the token back.
func (tx *Tx) Commit() error {
	g := tx.group
	if g == nil {
		return tx.Tx.Commit()
	}
	if tx.ended {
		return sql.ErrTxDone
	}
	tx.ended = true
	if tx.savepoint == "" {
		err := tx.Tx.Commit()
		<-g.token
		return err
	}
	ctx := tx.db.dialect.statementContext(tx.ctx)
	if err := tx.ctx.Err(); err != nil {
		// The request is gone and has not been told it wrote: it wrote
		// nothing, as when database/sql rolls back a transaction whose
		// context ended.
		tx.rollbackSavepoint(ctx)
		g.handOn()
		return err
	}
	if _, err := g.tx.ExecContext(ctx, "RELEASE "+tx.savepoint); err != nil {
		g.fail(err)
		<-g.token
		return wrapUnavailable("commit", err)
	}
	done := make(chan error, 1)
	g.pending = append(g.pending, done)
	g.handOn()
	return <-done
}

// Rollback gives tx up; after Commit it does nothing (sql.ErrTxDone). A
// write of a group undoes its savepoint's changes only, and returns when
// the writes before it in the group are committed: what it answers (a
// conflict with a newer version, a code already taken) was read from
// them, and a reader asked next must find it.
func (tx *Tx) Rollback() error {
	g := tx.group
	if g == nil {
		return tx.Tx.Rollback()
	}
	if tx.ended {
		return sql.ErrTxDone
	}
	tx.ended = true
	if tx.savepoint == "" {
		err := tx.Tx.Rollback()
		<-g.token
		return err
	}
	if err := tx.rollbackSavepoint(tx.db.dialect.statementContext(tx.ctx)); err != nil {
		<-g.token
		return err
	}
	if len(g.pending) == 0 {
		g.handOn()
		return nil
	}
	done := make(chan error, 1)
	g.pending = append(g.pending, done)
	g.handOn()
	<-done
	return nil
}

// rollbackSavepoint undoes the changes of tx's savepoint. When that fails
// the group's transaction is in a state nobody knows, and it is rolled
// back whole (its writes fail). The token is held.
func (tx *Tx) rollbackSavepoint(ctx context.Context) error {
	g := tx.group
	_, err := g.tx.ExecContext(ctx, "ROLLBACK TO "+tx.savepoint)
	if err == nil {
		_, err = g.tx.ExecContext(ctx, "RELEASE "+tx.savepoint)
	}
	if err != nil {
		g.fail(err)
	}
	return err
}
