package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"ducha"
	"ducha/text"
)

// caseSearchFormat names what a case's search tokens hold. A store whose
// case tokens were made in another format (search_formats, migration 025)
// makes them again when it opens (ensureCaseSearch), so that a change of
// caseTokens reaches the cases imported before it.
//
//	0: the words of the acceptance number, the text and the area, and the
//	   area's initials;
//	1: also the initials of the case's units and of the enterprises and
//	   places its text names (text.Names).
const caseSearchFormat = 1

// caseTokens are what the case search matches: two-character words of the
// acceptance number, the complaint and the area, and the pinyin initials
// of the area, of the units the case is assigned to and of the
// enterprises and places the complaint names (hxhg and hxhgyxgs for
// 反映永清镇红星化工有限公司…), each once. A unit's name is matched by its
// initials only: its words would make every case of 县生态环境局 a match
// for 环境, and the list filters by unit already.
func caseTokens(c *ducha.Case) []string {
	toks := text.Tokens(c.AcceptanceNo, c.Text, c.Area)
	var initials []string
	for _, group := range [][]string{{c.Area}, c.Units, text.Names(c.Text)} {
		for _, s := range group {
			if in := text.Initials(s); in != "" && !slices.Contains(initials, in) {
				initials = append(initials, in)
			}
		}
	}
	return append(toks, initials...)
}

// queueCaseSearch queues the search tokens of every case whose id is
// among ids, made afresh from its row and its units' names; replace says
// whether they had tokens before.
func (tx *Tx) queueCaseSearch(ctx context.Context, ids []int64, replace bool) error {
	if len(ids) == 0 {
		return nil
	}
	list, _ := json.Marshal(ids)
	rows, err := tx.query(ctx, `SELECT id, acceptance_no, text, area FROM cases WHERE id IN (`+tx.db.dialect.idList()+`) ORDER BY id`, string(list))
	if err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	var cs []*ducha.Case
	byID := map[int64]*ducha.Case{}
	for rows.Next() {
		var c ducha.Case
		if err := rows.Scan(&c.ID, &c.AcceptanceNo, &c.Text, &c.Area); err != nil {
			rows.Close()
			return fmt.Errorf("case search: %w", err)
		}
		cs, byID[c.ID] = append(cs, &c), &c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	rows, err = tx.query(ctx, `SELECT cu.case_id, u.name FROM case_units cu JOIN units u ON u.id = cu.unit_id
		WHERE cu.case_id IN (`+tx.db.dialect.idList()+`) ORDER BY cu.case_id, cu.pos`, string(list))
	if err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return fmt.Errorf("case search: %w", err)
		}
		if c := byID[id]; c != nil {
			c.Units = append(c.Units, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	for _, c := range cs {
		tx.queueSearch(caseSearch, c.ID, caseTokens(c), replace)
	}
	return nil
}

// queueUnitCaseSearch queues afresh the search tokens of the cases of
// unit (renamed: its initials changed).
func (tx *Tx) queueUnitCaseSearch(ctx context.Context, unit int64) error {
	ids, err := tx.queryIDs(ctx, `SELECT case_id FROM case_units WHERE unit_id = ? ORDER BY case_id`, unit)
	if err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	for chunk := range slices.Chunk(ids, 1000) {
		if err := tx.queueCaseSearch(ctx, chunk, true); err != nil {
			return err
		}
	}
	return nil
}

// rebuildCaseSearch makes every case's search tokens again, a thousand
// cases at a time, each chunk written before the next is read so that a
// large store is never held in memory whole, and records the format.
// replace says whether the cases had tokens before (not after a restore).
func (tx *Tx) rebuildCaseSearch(ctx context.Context, replace bool) error {
	const chunk = 1000
	for after := int64(0); ; {
		ids, err := tx.queryIDs(ctx, `SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?`, after, chunk)
		if err != nil {
			return fmt.Errorf("case search: %w", err)
		}
		if err := tx.queueCaseSearch(ctx, ids, replace); err != nil {
			return err
		}
		if err := tx.flushSearch(ctx); err != nil {
			return err
		}
		if len(ids) < chunk {
			break
		}
		after = ids[len(ids)-1]
	}
	_, err := tx.exec(ctx, `INSERT INTO search_formats (name, format) VALUES ('case', ?)
		ON CONFLICT (name) DO UPDATE SET format = excluded.format`, caseSearchFormat)
	if err != nil {
		return fmt.Errorf("case search: %w", err)
	}
	return nil
}

// ensureCaseSearch makes the cases' search tokens again when they were
// made in an older format than caseSearchFormat (or none is recorded: a
// store from before migration 025). A newer one is left alone: during a
// rolling upgrade the old binary must not undo what the new one made. Open runs it. The audit head is locked
// first, as ensureTally locks it, so that of several instances starting
// together one rebuilds and the others find the format recorded.
func (db *DB) ensureCaseSearch(ctx context.Context) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.loadChain(ctx); err != nil {
		return err
	}
	var format int
	err = tx.queryRow(ctx, `SELECT format FROM search_formats WHERE name = 'case'`).Scan(&format)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("case search: %w", err)
	case format >= caseSearchFormat:
		return nil
	}
	if err := tx.rebuildCaseSearch(ctx, true); err != nil {
		return err
	}
	return tx.Commit()
}
