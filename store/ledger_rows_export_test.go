package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ducha"
)

// ImportLedgerRowByRow is ImportLedger as it was before new problems were
// written in batches: every row through importLedgerRow (createProblem for
// a new problem), one statement at a time. Tests compare the two.
func ImportLedgerRowByRow(ctx context.Context, db *DB, rows []ducha.LedgerRow) (ducha.ImportResult, error) {
	var res ducha.ImportResult
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	resolve := func(field, name string) (*ducha.Unit, error) {
		return tx.resolveUnit(ctx, field, ducha.UnitRef(name))
	}
	uncoded := 0
	for _, r := range rows {
		if r.Problem.Code == "" {
			uncoded++
		}
	}
	if err := tx.reserveCodes(ctx, uncoded); err != nil {
		return res, err
	}
	for _, r := range rows {
		if err := importLedgerRow(ctx, tx, r.Problem, resolve, &res); err != nil {
			var e *ducha.Error
			if errors.As(err, &e) {
				e.Row = r.Row
				return ducha.ImportResult{}, e
			}
			return ducha.ImportResult{}, fmt.Errorf("row %d: %w", r.Row, err)
		}
	}
	return res, tx.commit(ctx)
}

// importLedgerRow is one row as ImportLedger took it before batches.
func importLedgerRow(ctx context.Context, tx *Tx, p *ducha.Problem, resolve func(field, name string) (*ducha.Unit, error), res *ducha.ImportResult) error {
	if err := resolveLedgerUnits(p, resolve); err != nil {
		return err
	}
	if p.Code != "" {
		before, err := tx.findLedgerProblem(ctx, p.Code)
		if err == nil {
			return tx.updateFromLedger(ctx, before, p, res)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	if err := tx.createProblem(ctx, p, "import"); err != nil {
		return err
	}
	res.Created++
	return nil
}

// DumpLedgerTables renders every row of the tables a ledger import writes
// (problems, their units, types, states and search tokens, the events and
// the chain's head), one line a row in a fixed order, for comparing two
// stores.
func DumpLedgerTables(ctx context.Context, db *DB) (map[string][]string, error) {
	search := `SELECT rowid, tokens FROM problem_search ORDER BY rowid`
	if db.Engine() == "postgres" {
		search = `SELECT problem_id, array_to_string(tokens, ' ') FROM problem_search ORDER BY problem_id`
	}
	queries := map[string]string{
		"problems":       `SELECT ` + strings.ReplaceAll(problemColumns, "COALESCE(lu.name, '')", "lu.name") + problemFrom + ` ORDER BY p.id`,
		"problem_units":  `SELECT problem_id, unit_id, lead, pos FROM problem_units ORDER BY problem_id, unit_id`,
		"problem_types":  `SELECT problem_id, type FROM problem_types ORDER BY problem_id, type`,
		"problem_states": `SELECT problem_id, valid_from, valid_to, status, deadline FROM problem_states ORDER BY problem_id, valid_from, valid_to, status, deadline`,
		"problem_search": search,
		"events":         `SELECT ` + eventColumns + ` FROM events ORDER BY id`,
		"audit_head":     `SELECT last_id, hash FROM audit_head`,
	}
	out := map[string][]string{}
	for table, q := range queries {
		rows, err := db.writer.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("dump %s: %w", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("dump %s: %w", table, err)
			}
			line := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				line[i] = fmt.Sprint(v)
			}
			out[table] = append(out[table], strings.Join(line, "|"))
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("dump %s: %w", table, err)
		}
	}
	return out, nil
}
