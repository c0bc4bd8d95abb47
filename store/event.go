package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"ducha"
)

// appendEvent adds one event to the audit chain inside tx (see loadChain).
func (tx *Tx) appendEvent(ctx context.Context, entity string, entityID int64, action, note string, before, after json.RawMessage) error {
	if tx.user == nil {
		return errNoUser
	}
	if err := tx.loadChain(ctx); err != nil {
		return err
	}
	last, hash := tx.chainLast, tx.chainHash
	rows, err := tx.chainEvents([]newEvent{{entity, entityID, action, note, before, after}})
	if err == nil {
		err = tx.insertValues(ctx, eventsTable, rows)
	}
	if err != nil {
		tx.chainLast, tx.chainHash = last, hash
		return fmt.Errorf("append event: %w", err)
	}
	return nil
}

// newEvent is an event to append: what chainEvents does not fill in.
type newEvent struct {
	entity   string
	entityID int64
	action   string
	note     string
	before   json.RawMessage
	after    json.RawMessage
}

// loadChain reads the chain's head and locks it, once a transaction: the
// first event of a transaction locks the head (PostgreSQL: FOR UPDATE;
// SQLite: the one writer), so the chain has a single order across
// instances.
func (tx *Tx) loadChain(ctx context.Context) error {
	if tx.chainLoaded {
		return nil
	}
	err := tx.queryRow(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`+tx.db.dialect.forUpdate()).Scan(&tx.chainLast, &tx.chainHash)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	tx.chainLoaded = true
	return nil
}

// chainEvents makes the rows of evs for eventsTable, each event's id after
// the one before and its hash covering that one's, from the chain's head
// (loaded), and moves the head past them. The events must then be written,
// or the transaction given up.
func (tx *Tx) chainEvents(evs []newEvent) ([][]any, error) {
	if tx.user == nil {
		return nil, errNoUser
	}
	if !tx.chainLoaded {
		return nil, errors.New("audit head: not loaded")
	}
	rows := make([][]any, len(evs))
	for i, n := range evs {
		e := ducha.Event{
			ID: tx.chainLast + 1, At: tx.now, ActorID: tx.user.ID, Actor: tx.user.Username,
			Entity: n.entity, EntityID: n.entityID, Action: n.action, Note: n.note,
			Before: n.before, After: n.after, PrevHash: tx.chainHash,
		}
		e.Hash = e.ComputeHash()
		rows[i] = []any{e.ID, ducha.FormatTime(e.At), e.ActorID, e.Actor, e.Entity, e.EntityID, e.Action, e.Note,
			nullRaw(e.Before), nullRaw(e.After), e.PrevHash, e.Hash}
		tx.chainLast, tx.chainHash = e.ID, e.Hash
		tx.touch(n.entity)
	}
	return rows, nil
}

// eventsTable is the events table as chainEvents fills it.
var eventsTable = newBulkTable("events", "id bigint", "at text", "actor_id bigint", "actor text", "entity text",
	"entity_id bigint", "action text", "note text", "before text", "after text", "prev_hash text", "hash text")

func nullRaw(b json.RawMessage) sql.NullString {
	return sql.NullString{String: string(b), Valid: len(b) > 0}
}

const eventColumns = `id, at, actor_id, actor, entity, entity_id, action, note, before, after, prev_hash, hash`

func scanEvent(rows *sql.Rows) (*ducha.Event, error) {
	var e ducha.Event
	var at string
	var before, after sql.NullString
	if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Entity, &e.EntityID, &e.Action, &e.Note, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = ducha.ParseTime(at)
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return &e, nil
}

// findEvents returns the events of one item, oldest first.
func (tx *Tx) findEvents(ctx context.Context, entity string, id int64) ([]*ducha.Event, error) {
	rows, err := tx.query(ctx, `SELECT `+eventColumns+` FROM events WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ducha.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyChain walks the whole chain in one snapshot and returns the id of
// the first event whose hash, link or position is wrong (0 when whole).
func (db *DB) VerifyChain(ctx context.Context) (int64, int, error) {
	if _, err := ducha.Require(ctx, ducha.PermAudit); err != nil {
		return 0, 0, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+eventColumns+` FROM events ORDER BY id`)
	if err != nil {
		return 0, 0, fmt.Errorf("verify chain: %w", err)
	}
	defer rows.Close()
	var prevID int64
	prevHash, n := "", 0
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return 0, n, fmt.Errorf("verify chain: %w", err)
		}
		n++
		if e.ID != prevID+1 {
			// A gap: the event before this one was deleted.
			return prevID + 1, n, nil
		}
		if e.PrevHash != prevHash || e.ComputeHash() != e.Hash {
			return e.ID, n, nil
		}
		prevID, prevHash = e.ID, e.Hash
	}
	if err := rows.Err(); err != nil {
		return 0, n, fmt.Errorf("verify chain: %w", err)
	}
	var headID int64
	var headHash string
	if err := tx.queryRow(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`).Scan(&headID, &headHash); err != nil {
		return 0, n, fmt.Errorf("verify chain: %w", err)
	}
	if headID != prevID || headHash != prevHash {
		// Events were removed from the end of the chain.
		return prevID + 1, n, nil
	}
	return 0, n, nil
}
