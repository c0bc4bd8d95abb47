package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"ducha"
)

// listedFields are the fields of a problem, as its events name them
// (ducha.Diff), that no list filters, searches or orders on: a change to
// them alone changes no list's members, order or totals, only the pages
// that show that problem. Any other field, or one not known here, may move
// a problem in or out of a list.
var listedFields = map[string]bool{
	"progress": true, "note": true, "person": true, "measures": true, "target": true, "leader": true,
	"closure_text": true, "closed_at": true, "return_reason": true, "extension": true, "industry": true,
	"type_detail": true, "subject_credit_code": true, "deadline_text": true, "original_deadline": true,
	"mode": true, "reopen_count": true,
	"latest_progress": true, "progress_at": true, "progress_percent": true, "planned_at": true,
	"closure": true, "awaiting_signoff": true,
}

// ownActions are problem events that change nothing of the problem a list
// shows but the problem itself: a file attached, a case linked.
var ownActions = map[string]bool{"attach": true, "link_case": true}

// otherEntities are the event entities that never change a problem list.
// (A campaign's change does: a new reporting period moves every schedule,
// and the filter of 未达到序时进度 with it.)
var otherEntities = map[string]bool{"case": true, "batch": true, "enterprise": true, "user": true, "notice": true,
	"channel": true, "delivery": true, "accountability": true}

// EventMark is the audit chain's head: the last event's id and hash. The
// hash tells the same id of another chain (a store wiped and restored)
// apart.
func (db *DB) EventMark(ctx context.Context) (ducha.EventMark, error) {
	var m ducha.EventMark
	err := db.queryRow(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`).Scan(&m.ID, &m.Hash)
	if err != nil {
		return m, fmt.Errorf("event mark: %w", err)
	}
	return m, nil
}

// ProblemChanges says what the events after since, up to the chain's head
// now (returned), did to the ledger: the problems they changed, and
// whether any of them may have moved a problem into, out of or within a
// list (a new problem, a change to a field lists filter or search on, a
// unit renamed), or there were more than max events, or since is not an
// event of this chain. A cached page of a list that moved nothing and
// shows none of ids is still exact now (http/listcache.go).
func (db *DB) ProblemChanges(ctx context.Context, since ducha.EventMark, max int) (ids []int64, moved bool, head ducha.EventMark, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, false, head, err
	}
	defer tx.Rollback()
	if err := tx.queryRow(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`).Scan(&head.ID, &head.Hash); err != nil {
		return nil, false, head, fmt.Errorf("problem changes: %w", err)
	}
	if head.ID < since.ID {
		return nil, true, head, nil
	}
	if since.ID > 0 {
		var hash string
		err := tx.queryRow(ctx, `SELECT hash FROM events WHERE id = ?`, since.ID).Scan(&hash)
		if err == sql.ErrNoRows || err == nil && hash != since.Hash {
			return nil, true, head, nil // another chain: the store was restored
		} else if err != nil {
			return nil, false, head, fmt.Errorf("problem changes: %w", err)
		}
	}
	rows, err := tx.query(ctx, `SELECT entity, entity_id, action, before, after FROM events
		WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, since.ID, head.ID, max+1)
	if err != nil {
		return nil, false, head, fmt.Errorf("problem changes: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var entity, action string
		var id int64
		var before, after sql.NullString
		if err := rows.Scan(&entity, &id, &action, &before, &after); err != nil {
			return nil, false, head, fmt.Errorf("problem changes: %w", err)
		}
		if n++; n > max {
			return nil, true, head, nil
		}
		if otherEntities[entity] {
			continue
		}
		if entity != "problem" { // a unit, or something new
			return nil, true, head, nil
		}
		if !ownActions[action] && !onlyListed(before, after) {
			// A new problem's event names every field it has (status,
			// description…): it moves lists like any change of those.
			return nil, true, head, nil
		}
		ids = append(ids, id)
	}
	return ids, false, head, rows.Err()
}

// onlyListed reports whether an event's sides name only listedFields.
func onlyListed(sides ...sql.NullString) bool {
	for _, side := range sides {
		if !side.Valid {
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(side.String), &fields); err != nil {
			return false
		}
		for k := range fields {
			if !listedFields[k] {
				return false
			}
		}
	}
	return true
}
