package store

import (
	"context"

	"ducha"
	"ducha/text"
)

// AgeCaseSearch makes the case search what a store from before search
// format 1 holds: each case's tokens as format 0 made them (its words and
// its area's initials) and no format recorded, as migration 025 leaves a
// store it brings forward.
func AgeCaseSearch(ctx context.Context, db *DB) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id, acceptance_no, text, area FROM cases ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c ducha.Case
		if err := rows.Scan(&c.ID, &c.AcceptanceNo, &c.Text, &c.Area); err != nil {
			rows.Close()
			return err
		}
		toks := text.Tokens(c.AcceptanceNo, c.Text, c.Area)
		if in := text.Initials(c.Area); in != "" {
			toks = append(toks, in)
		}
		tx.queueSearch(caseSearch, c.ID, toks, true)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := tx.flushSearch(ctx); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM search_formats`); err != nil {
		return err
	}
	return tx.Commit()
}

// CaseSearchFormat is the case search's format the store records, 0 for
// none, and the one the code makes.
func CaseSearchFormat(ctx context.Context, db *DB) (recorded, current int, err error) {
	err = db.writer.QueryRowContext(ctx, `SELECT COALESCE(max(format), 0) FROM search_formats WHERE name = 'case'`).Scan(&recorded)
	return recorded, caseSearchFormat, err
}

// SetCaseSearchFormat records format as the case search's, as a newer
// binary would have.
func SetCaseSearchFormat(ctx context.Context, db *DB, format int) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `UPDATE search_formats SET format = ? WHERE name = 'case'`, format); err != nil {
		return err
	}
	return tx.Commit()
}
