package store

// Attacks on the SQLite write group (group.go, Tx in db.go). A test named
// for a bug fails on the code it was written against; a test marked
// "holds:" probes something that stands.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"ducha"
)

func attackCtx() context.Context {
	return ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
}

// handOnOpen commits a, the token's holder, handing its group on open as
// if a write were queued behind it, and with no backstop timer armed (a
// placeholder timer stands in, which end stops): the next write to begin
// joins a's group for certain, however slow the test runs. It returns a's
// commit, which answers when the group ends.
func handOnOpen(t *testing.T, db *DB, a *Tx) <-chan error {
	t.Helper()
	g := db.group
	g.timer = time.NewTimer(time.Hour) // a holds the token: the group's fields are its to set
	g.waiting.Add(1)
	done := commitLater(a)
	waitFor(t, "the group handed on", func() bool { return len(g.token) == 0 })
	g.waiting.Add(-1)
	return done
}

// poisonCommit makes the commit of tx's group fail, as a disk that fills
// or fails at the commit would: a deferred foreign key that no row
// satisfies passes every statement and every RELEASE of a nested savepoint
// and fails the COMMIT (SQLite rolls the transaction back).
func poisonCommit(t *testing.T, tx *Tx) {
	t.Helper()
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at) VALUES (424242, 'poison', ?, '2026-01-01T00:00:00Z')`,
		fmt.Sprintf("poison-%d", time.Now().UnixNano())); err != nil {
		t.Fatal(err)
	}
}

// seedToken writes a user and a live token of theirs, and returns the
// token's id and secret.
func seedToken(t *testing.T, db *DB) (int64, string) {
	t.Helper()
	ctx := attackCtx()
	secret, hash, err := newSecret()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	uid, err := tx.insert(ctx, `INSERT INTO users (username, role, password_hash, created_at) VALUES ('attack', 'admin', 'x', '2026-01-01T00:00:00Z')`)
	if err != nil {
		t.Fatal(err)
	}
	id, err := tx.insert(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at) VALUES (?, 'leaked', ?, '2026-01-01T00:00:00Z')`, uid, hash)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return id, secret
}

// Bug: a write that answers from its group without writing (it reads
// that the change it was asked for is already made, and returns through
// its deferred Rollback) is told nothing when that group's commit fails:
// Rollback waits for the group and drops its outcome, and the callers
// ignore what Rollback returns anyway. Here a user revokes a leaked
// token twice (two clicks, two tabs): the first revoke and the second
// share a group, the second finds the token revoked and answers "done",
// the group's commit fails (a full disk), the first is told so, and the
// second's "done" stands while the token still lets its holder in.
// RevokeToken's already-revoked path and FinishDelivery's already-sent
// and not-this-attempt paths answered this way; they now commit, and so
// answer the group's outcome. ReserveLogin's refusal still answers from
// its group: a refusal that a failed group did not earn refuses a login
// it need not have (the safe side), and the next try finds the truth.
func TestAttackRollbackAnswersFromAGroupThatFailed(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	id, secret := seedToken(t, db)

	first, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.exec(sys, `UPDATE tokens SET revoked_at = ? WHERE id = ?`, ducha.FormatTime(first.now), id); err != nil {
		t.Fatal(err)
	}
	poisonCommit(t, first)
	firstDone := handOnOpen(t, db, first)

	second := db.RevokeToken(sys, id, 0)
	if err := result(t, "the first revoke", firstDone); err == nil {
		t.Fatal("the poisoned group committed: the attack did not take")
	}
	if _, _, err := db.FindToken(sys, secret); err != nil {
		t.Fatalf("the token after the group failed: %v, want it still live (nothing revoked it)", err)
	}
	if second == nil {
		t.Error("the second revoke answered success, yet the token is not revoked: its answer came from a group whose commit failed")
	}
}

// holds: a statement of a member that fails on a constraint undoes that
// member only; the write before it in the group lands, the failing one
// does not, and the group goes on.
func TestAttackConstraintErrorInAMember(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	a, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, a, "dup")
	aDone := handOnOpen(t, db, a)
	b, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, b, "dup-b")
	if _, err := b.exec(sys, `INSERT INTO data_versions (name, version) VALUES ('dup', 1)`); !isUniqueViolation(err) {
		t.Fatalf("duplicate: %v", err)
	}
	if err := b.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := result(t, "a", aDone); err != nil {
		t.Fatal(err)
	}
	if !marked(t, db, "dup") || marked(t, db, "dup-b") {
		t.Errorf("a %v, b %v; want a only", marked(t, db, "dup"), marked(t, db, "dup-b"))
	}
	c, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, c, "dup-c")
	if err := c.Commit(); err != nil || !marked(t, db, "dup-c") {
		t.Fatalf("the write after: %v", err)
	}
}

// holds (the truth is told), with a finding on what the group costs: a
// member that fills the database (PRAGMA max_page_count on the writer)
// fails with SQLITE_FULL, and for a one-row INSERT (no statement journal)
// SQLite rolls back the whole transaction, not the statement: the
// member's ROLLBACK TO finds no savepoint, and the write before it in the
// group, small enough to fit, fails with it. Each is told so, and the
// writer works on. (The 256 KiB rule keeps big attachments alone; an
// item under it that meets a full disk still takes its group down.)
func TestAttackFullDatabaseInAMember(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	a, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, a, "full-a")
	var pages int64
	if err := a.QueryRowContext(sys, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExecContext(sys, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+4)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(sys, 5*time.Second)
		defer cancel()
		tx, err := db.beginWrite(ctx)
		if err == nil {
			tx.ExecContext(ctx, `PRAGMA max_page_count = 4294967294`)
			tx.Commit()
		}
	})
	aDone := handOnOpen(t, db, a)
	b, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.exec(sys, `INSERT INTO data_versions (name, version) VALUES (hex(randomblob(400000)), 1)`)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "full") {
		t.Fatalf("a statement past max_page_count: %v, want SQLITE_FULL", err)
	}
	bErr := b.Rollback()
	aErr := result(t, "a", aDone)
	t.Logf("b's rollback: %v; a: %v", bErr, aErr)
	if got := marked(t, db, "full-a"); got != (aErr == nil) {
		t.Errorf("a told %v, in the store %v", aErr, got)
	}
	if _, err := db.writer.ExecContext(sys, `PRAGMA max_page_count = 4294967294`); err != nil {
		t.Fatal(err)
	}
	c, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, c, "full-c")
	if err := c.Commit(); err != nil || !marked(t, db, "full-c") {
		t.Fatalf("a small write after: %v", err)
	}
}

// holds: a group whose commit fails tells every write that committed in
// it, and the writer works on after (the driver rolls the failed COMMIT
// back, so the connection is not left inside the transaction).
func TestAttackFailedCommitFailsEveryMember(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	a, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, a, "fail-a")
	poisonCommit(t, a)
	aDone := handOnOpen(t, db, a)
	b, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, b, "fail-b")
	bErr := b.Commit()
	aErr := result(t, "a", aDone)
	if aErr == nil || bErr == nil {
		t.Errorf("a group whose commit failed: a %v, b %v; want both failed", aErr, bErr)
	}
	if marked(t, db, "fail-a") || marked(t, db, "fail-b") {
		t.Error("a failed group's write is in the store")
	}
	c, err := db.beginItemWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	mark(t, c, "fail-c")
	if err := c.Commit(); err != nil || !marked(t, db, "fail-c") {
		t.Fatalf("the write after a failed group: %v", err)
	}
}

// holds: Commit and Rollback twice, in either order, on grouped and lone
// writes, answer sql.ErrTxDone and give the token back once only.
func TestAttackCommitRollbackTwice(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	for _, begin := range []func(context.Context) (*Tx, error){db.beginItemWrite, db.beginWrite} {
		for _, first := range []string{"commit", "rollback"} {
			tx, err := begin(sys)
			if err != nil {
				t.Fatal(err)
			}
			if first == "commit" {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); !errors.Is(err, sql.ErrTxDone) {
				t.Errorf("%s then commit: %v", first, err)
			}
			if err := tx.Rollback(); !errors.Is(err, sql.ErrTxDone) {
				t.Errorf("%s then rollback: %v", first, err)
			}
			if n := len(db.group.token); n != 0 {
				t.Fatalf("token held (%d) after a write ended", n)
			}
		}
	}
	ctx, cancel := context.WithTimeout(sys, 5*time.Second)
	defer cancel()
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
}

// holds: the backstop timer racing with the next write. a hands its group
// on to a write that comes after 0–40 ms (before, at or after the
// backstop's 20 ms); whichever commits the group, a is told nil only once
// it is in the store, and b lands too.
func TestAttackBackstopRacesTheNextWrite(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	for i := range 40 {
		a, err := db.beginItemWrite(sys)
		if err != nil {
			t.Fatal(err)
		}
		an, bn := fmt.Sprintf("race-a%d", i), fmt.Sprintf("race-b%d", i)
		mark(t, a, an)
		db.group.waiting.Add(1)
		aDone := commitLater(a)
		waitFor(t, "the token", func() bool { return len(db.group.token) == 0 })
		time.Sleep(time.Duration(i%20) * 2 * time.Millisecond)
		db.group.waiting.Add(-1)
		b, err := db.beginItemWrite(sys)
		if err != nil {
			t.Fatal(err)
		}
		mark(t, b, bn)
		bDone := commitLater(b)
		aErr := result(t, "a", aDone)
		if aErr != nil || !marked(t, db, an) {
			t.Fatalf("round %d: a %v, in the store %v", i, aErr, marked(t, db, an))
		}
		if err := result(t, "b", bDone); err != nil || !marked(t, db, bn) {
			t.Fatalf("round %d: b %v, in the store %v", i, err, marked(t, db, bn))
		}
	}
}

// holds: many writers at once, with requests that end at random points
// (before the token, after the SAVEPOINT, mid-write, before Commit, during
// Rollback), rollbacks, and long writes among them. Every write told nil
// is in the store, no other is, and the writer is free at the end.
func TestAttackConcurrentCancellationsTellTheTruth(t *testing.T) {
	db := openGroupStore(t)
	sys := attackCtx()
	const clients, rounds = 16, 25
	type outcome struct {
		name string
		ok   bool
		err  error
	}
	out := make([][]outcome, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(c)))
			for r := range rounds {
				name := fmt.Sprintf("cc-%d-%d", c, r)
				o := outcome{name: name}
				ctx, cancel := context.WithCancel(sys)
				kind := rng.Intn(7)
				if kind == 0 {
					cancel() // before the token
				}
				if kind == 1 {
					ctx, cancel = context.WithTimeout(sys, time.Duration(rng.Intn(3000))*time.Microsecond)
				}
				begin := db.beginItemWrite
				if rng.Intn(8) == 0 {
					begin = db.beginWrite
				}
				tx, err := begin(ctx)
				if err != nil {
					o.err = err
					out[c] = append(out[c], o)
					cancel()
					continue
				}
				if kind == 2 {
					cancel() // after the SAVEPOINT
				}
				if _, err := tx.exec(ctx, `INSERT INTO data_versions (name, version) VALUES (?, 1)`, name); err != nil {
					tx.Rollback()
					o.err = err
					out[c] = append(out[c], o)
					cancel()
					continue
				}
				switch kind {
				case 3:
					cancel() // before Commit
				case 4:
					go cancel() // racing Commit
				}
				if kind == 5 || rng.Intn(6) == 0 {
					if kind == 5 {
						go cancel() // racing Rollback
					}
					o.err = tx.Rollback()
					if o.err == nil {
						o.err = errors.New("rolled back")
					}
				} else {
					o.err = tx.Commit()
					o.ok = o.err == nil
				}
				cancel()
				out[c] = append(out[c], o)
			}
		}()
	}
	wg.Wait()
	// A long write flushes whatever group may be left.
	tx, err := db.beginWrite(sys)
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	var committed, refused int
	for _, os := range out {
		for _, o := range os {
			if got := marked(t, db, o.name); got != o.ok {
				t.Errorf("%s: told %v, in the store %v", o.name, o.err, got)
			}
			if o.ok {
				committed++
			} else {
				refused++
			}
		}
	}
	t.Logf("%d committed, %d not, in %d groups", committed, refused, db.group.commits.Load())
	if n := len(db.group.token); n != 0 {
		t.Errorf("token held at the end")
	}
}
