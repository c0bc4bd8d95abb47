package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"ducha"
)

// appendEvent adds one event to the audit chain inside tx. The first event
// of a transaction locks the chain's head (PostgreSQL: FOR UPDATE; SQLite:
// the one writer), so the chain has a single order across instances.
func (tx *Tx) appendEvent(ctx context.Context, entity string, entityID int64, action, note string, before, after json.RawMessage) error {
	if tx.user == nil {
		return errNoUser
	}
	if !tx.chainLoaded {
		err := tx.queryRow(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`+tx.db.dialect.forUpdate()).Scan(&tx.chainLast, &tx.chainHash)
		if err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		tx.chainLoaded = true
	}
	e := ducha.Event{
		ID: tx.chainLast + 1, At: tx.now, ActorID: tx.user.ID, Actor: tx.user.Username,
		Entity: entity, EntityID: entityID, Action: action, Note: note,
		Before: before, After: after, PrevHash: tx.chainHash,
	}
	e.Hash = e.ComputeHash()
	_, err := tx.exec(ctx, `INSERT INTO events (id, at, actor_id, actor, entity, entity_id, action, note, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, ducha.FormatTime(e.At), e.ActorID, e.Actor, e.Entity, e.EntityID, e.Action, e.Note,
		nullRaw(e.Before), nullRaw(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	tx.chainLast, tx.chainHash = e.ID, e.Hash
	return nil
}

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
