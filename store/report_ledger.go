package store

import (
	"context"
	"fmt"

	"ducha"
)

// reportLedgerByUnit fills the ledger's line per lead unit: the problems
// each unit leads, in their status and deadline at end (problem_states),
// counted like the ledger's totals and under the same scope (scope and
// scopeArgs are scopeOf's condition on p.id). Units come in the order the
// units table lists them, and only those that lead a problem; problems
// without a lead unit (not yet assigned) count in the totals only.
//
// The lead unit is the problem's current one: problem_states does not keep
// it, so a problem handed to another unit moves its past lines there too.
func (tx *Tx) reportLedgerByUnit(ctx context.Context, r *ducha.DailyReport, end, scope string, scopeArgs []any) error {
	closed := string(ducha.StatusClosed)
	args := append([]any{closed, string(ducha.StatusInProgress), string(ducha.StatusPendingVerification),
		string(r.AsOf), closed, end, end}, scopeArgs...)
	rows, err := tx.query(ctx, `SELECT u.name, count(*),
		COALESCE(sum(CASE WHEN s.status = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.status = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.status = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.deadline < ? AND s.status <> ? THEN 1 ELSE 0 END), 0)
		FROM problem_states s JOIN problems p ON p.id = s.problem_id JOIN units u ON u.id = p.lead_unit_id
		WHERE s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?)`+scope+`
		GROUP BY u.id, u.name ORDER BY u.id`, args...)
	if err != nil {
		return fmt.Errorf("report ledger by unit: %w", err)
	}
	defer rows.Close()
	r.Ledger.ByUnit = []ducha.ReportLedgerUnit{}
	for rows.Next() {
		var l ducha.ReportLedgerUnit
		if err := rows.Scan(&l.Unit, &l.Total, &l.Closed, &l.InProgress, &l.PendingVerification, &l.Overdue); err != nil {
			return err
		}
		r.Ledger.ByUnit = append(r.Ledger.ByUnit, l)
	}
	return rows.Err()
}
