package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// listedFields are the fields of a problem that no list filters, searches
// or orders on: a change to them alone changes no list's members, order or
// totals, only the pages that show that problem. Any other field, or one
// not known here, may move a problem in or out of a list.
var listedFields = map[string]bool{
	"progress": true, "note": true, "person": true, "measures": true, "target": true, "leader": true,
	"closure_text": true, "closed_at": true, "return_reason": true, "extension": true, "industry": true,
	"type_detail": true, "subject_credit_code": true, "deadline_text": true, "original_deadline": true,
	"mode": true, "reopen_count": true, "updated_at": true, "version": true, "attachments": true, "cases": true,
}

// otherEntities are the event entities that never change a problem list.
var otherEntities = map[string]bool{"case": true, "batch": true, "campaign": true, "enterprise": true, "user": true}

// ProblemChanges says what the events after version since, up to until,
// did to the ledger: the problems they changed, and whether any of them
// may have moved a problem into, out of or within a list (a new problem, a
// change to a field lists filter or search on, a unit renamed), or there
// were more than max events. A cached page of a list that moved nothing
// and shows none of ids is still exact at until (http/listcache.go).
func (db *DB) ProblemChanges(ctx context.Context, since, until int64, max int) (ids []int64, moved bool, err error) {
	rows, err := db.reader.QueryContext(ctx, db.dialect.rebind(`SELECT entity, entity_id, before, after FROM events
		WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`), since, until, max+1)
	if err != nil {
		return nil, false, wrapUnavailable("query", fmt.Errorf("problem changes: %w", err))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var entity string
		var id int64
		var before, after sql.NullString
		if err := rows.Scan(&entity, &id, &before, &after); err != nil {
			return nil, false, fmt.Errorf("problem changes: %w", err)
		}
		if n++; n > max {
			return nil, true, nil
		}
		if otherEntities[entity] {
			continue
		}
		if entity != "problem" { // a unit, or something new
			return nil, true, nil
		}
		// A new problem's event names every field it has: status,
		// description… so it moves lists like any change of those.
		for _, side := range []sql.NullString{before, after} {
			if !side.Valid {
				continue
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(side.String), &fields); err != nil {
				return nil, true, nil
			}
			for k := range fields {
				if !listedFields[k] {
					return nil, true, nil
				}
			}
		}
		ids = append(ids, id)
	}
	return ids, false, rows.Err()
}
