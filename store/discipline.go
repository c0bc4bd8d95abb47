package store

import (
	"context"
	"fmt"

	"ducha"
)

// DisciplineReport ranks every unit over [from, to] as it stood at the end
// of to, from the history (docs/decisions/007): the problems each leads
// and the items overdue from problem_states and case_states; returned
// submissions and refused extensions from the events of the period;
// notices from their issue, answer and closing times; accountability
// records from accountability_states. What was written after to's end
// counts in none of it, so the ranking of a past period is the same
// whenever it is computed. Unset dates take DisciplinePeriod's defaults.
func (db *DB) DisciplineReport(ctx context.Context, from, to ducha.Date) (*ducha.DisciplineReport, error) {
	if _, err := ducha.Require(ctx, ducha.PermOversee); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var start ducha.Date
	if c, err := tx.currentCampaign(ctx); err == nil {
		start = c.Start
	} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
		return nil, err
	}
	if from, to, err = ducha.DisciplinePeriod(from, to, tx.today(), start); err != nil {
		return nil, err
	}
	begin, end := ducha.FormatTime(dayStart(from)), ducha.FormatTime(dayStart(to.AddDays(1)))

	rows, err := tx.query(ctx, `SELECT id, name FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("discipline units: %w", err)
	}
	var order []int64
	byUnit := map[int64]*ducha.DisciplineRow{}
	for rows.Next() {
		r := &ducha.DisciplineRow{}
		if err := rows.Scan(&r.UnitID, &r.Unit); err != nil {
			rows.Close()
			return nil, err
		}
		order = append(order, r.UnitID)
		byUnit[r.UnitID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	closed, waiting := string(ducha.StatusClosed), string(ducha.StatusPendingVerification)
	caseDone, caseStage, caseWaiting := string(ducha.CaseClosed), string(ducha.CaseStageClosed), string(ducha.CaseSubmitted)
	inForce := `s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?)`
	type count struct {
		query string
		args  []any
		add   func(r *ducha.DisciplineRow, n []int)
	}
	counts := []count{
		// The problems each unit leads (its current lead, as the daily
		// report's ledger by unit), and of them those overdue at to's end
		// that the unit owes: not closed, not handed in for verification.
		{`SELECT p.lead_unit_id, count(*), COALESCE(sum(CASE WHEN s.deadline < ? AND s.status NOT IN (?, ?) THEN 1 ELSE 0 END), 0)
			FROM problem_states s JOIN problems p ON p.id = s.problem_id
			WHERE ` + inForce + ` AND p.lead_unit_id IS NOT NULL GROUP BY p.lead_unit_id`,
			[]any{string(to), closed, waiting, end, end},
			func(r *ducha.DisciplineRow, n []int) { r.Problems += n[0]; r.Overdue += n[1] }},
		// The cases overdue at to's end, for each unit they are assigned to:
		// neither accepted nor handed in for review.
		{`SELECT cu.unit_id, count(*) FROM case_states s JOIN cases c ON c.id = s.case_id JOIN case_units cu ON cu.case_id = s.case_id
			WHERE ` + inForce + ` AND s.known_at < ? AND s.is_duplicate = 0 AND s.status NOT IN (?, ?, ?)
			AND COALESCE(s.deadline, c.deadline) < ? GROUP BY cu.unit_id`,
			[]any{end, end, end, caseDone, caseStage, caseWaiting, string(to)},
			func(r *ducha.DisciplineRow, n []int) { r.Overdue += n[0] }},
		// Submissions returned within the period: a problem's to its lead
		// unit, a case's to each of its units.
		{`SELECT p.lead_unit_id, count(*) FROM events e JOIN problems p ON p.id = e.entity_id
			WHERE e.entity = 'problem' AND e.action = ? AND e.at >= ? AND e.at < ? AND p.lead_unit_id IS NOT NULL
			GROUP BY p.lead_unit_id`,
			[]any{ducha.ActReturn, begin, end},
			func(r *ducha.DisciplineRow, n []int) { r.Returned += n[0] }},
		{`SELECT cu.unit_id, count(*) FROM events e JOIN case_units cu ON cu.case_id = e.entity_id
			WHERE e.entity = 'case' AND e.action = ? AND e.at >= ? AND e.at < ? GROUP BY cu.unit_id`,
			[]any{ducha.CaseActReturn, begin, end},
			func(r *ducha.DisciplineRow, n []int) { r.Returned += n[0] }},
		{`SELECT p.lead_unit_id, count(*) FROM events e JOIN problems p ON p.id = e.entity_id
			WHERE e.entity = 'problem' AND e.action = ? AND e.note LIKE ? AND e.at >= ? AND e.at < ?
			AND p.lead_unit_id IS NOT NULL GROUP BY p.lead_unit_id`,
			[]any{ducha.ActDecideExtension, ducha.ExtensionRefusedNote + "%", begin, end},
			func(r *ducha.DisciplineRow, n []int) { r.RefusedExtensions += n[0] }},
		// Notices issued within the period (and by its end: a pass run
		// later for a day of it is not counted back), and those owed at its
		// end: due by then, neither answered nor closed by then.
		{`SELECT unit_id, count(*), 0 FROM notices WHERE issued_on >= ? AND issued_on <= ? AND issued_at < ? GROUP BY unit_id`,
			[]any{string(from), string(to), end},
			func(r *ducha.DisciplineRow, n []int) { r.Notices += n[0] }},
		{`SELECT unit_id, count(*) FROM notices WHERE issued_at < ? AND due <= ?
			AND (answered_at IS NULL OR answered_at >= ?) AND (closed_at IS NULL OR closed_at >= ?) GROUP BY unit_id`,
			[]any{end, string(to), end, end},
			func(r *ducha.DisciplineRow, n []int) { r.NoticesUnanswered += n[0] }},
		// Accountability records of the unit's people dated within the
		// period, as they stood at its end.
		{`SELECT s.unit_id, count(*) FROM accountability_states s WHERE ` + inForce + ` AND s.date >= ? AND s.date <= ?
			GROUP BY s.unit_id`,
			[]any{end, end, string(from), string(to)},
			func(r *ducha.DisciplineRow, n []int) { r.Accountability += n[0] }},
	}
	for _, c := range counts {
		if err := tx.countByUnit(ctx, c.query, c.args, func(unit int64, n []int) {
			if r := byUnit[unit]; r != nil {
				c.add(r, n)
			}
		}); err != nil {
			return nil, err
		}
	}
	out := &ducha.DisciplineReport{From: from, To: to, Items: make([]ducha.DisciplineRow, 0, len(order))}
	for _, id := range order {
		out.Items = append(out.Items, *byUnit[id])
	}
	ducha.RankDiscipline(out.Items)
	return out, nil
}

// countByUnit runs a query whose rows are a unit id and counts, and hands
// each row to fn.
func (tx *Tx) countByUnit(ctx context.Context, query string, args []any, fn func(unit int64, n []int)) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("discipline report: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	n := make([]int, len(cols)-1)
	dest := make([]any, len(cols))
	var unit int64
	dest[0] = &unit
	for i := range n {
		dest[i+1] = &n[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn(unit, n)
	}
	return rows.Err()
}
