package store

import (
	"context"
	"fmt"

	"ducha"
)

// reportHeldAccountable counts the persons held accountable at end: the
// held_accountable measures in force, per case (measuresInForce and its
// args are reportMeasures' condition on measures m), and the
// accountability records in force then and dated by the report's day,
// each person once (ducha.CountHeldAccountable, docs/decisions/007).
// A unit-scoped user counts the records they may see, and of their cases
// only those of the unit.
func (tx *Tx) reportHeldAccountable(ctx context.Context, r *ducha.DailyReport, u *ducha.User, end, measuresInForce string, args []any) error {
	rows, err := tx.query(ctx, `SELECT m.case_id, COALESCE(sum(m.persons), 0) FROM measures m
		WHERE m.kind = ? AND `+measuresInForce+` GROUP BY m.case_id`, append([]any{ducha.MeasureHeldAccountable}, args...)...)
	if err != nil {
		return fmt.Errorf("report held accountable: %w", err)
	}
	measures := map[int64]int{}
	for rows.Next() {
		var c int64
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return err
		}
		measures[c] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	records, err := tx.accountableAt(ctx, u, end, r.AsOf)
	if err != nil {
		return err
	}
	r.Measures.HeldAccountable = ducha.CountHeldAccountable(measures, records)
	return nil
}

// accountableAt returns the accountability records in force at end and
// dated by day, as the user may see them.
func (tx *Tx) accountableAt(ctx context.Context, u *ducha.User, end string, day ducha.Date) ([]ducha.AccountablePerson, error) {
	scope, scopeArgs := accountabilityStateScope(u)
	rows, err := tx.query(ctx, `SELECT s.person, s.unit_id, s.cases FROM accountability_states s
		WHERE s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?) AND s.date <= ?`+scope,
		append([]any{end, end, string(day)}, scopeArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("report accountability: %w", err)
	}
	var out []ducha.AccountablePerson
	linked := false
	for rows.Next() {
		var p ducha.AccountablePerson
		var cases string
		if err := rows.Scan(&p.Person, &p.UnitID, &cases); err != nil {
			rows.Close()
			return nil, err
		}
		p.Cases = splitIDs(cases)
		linked = linked || len(p.Cases) > 0
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !linked || !u.Role.UnitScoped() {
		return out, nil
	}
	// The unit's cases: a case of another unit is not the user's to count.
	own := map[int64]bool{}
	crows, err := tx.query(ctx, `SELECT case_id FROM case_units WHERE unit_id = ?`, u.UnitID)
	if err != nil {
		return nil, fmt.Errorf("report accountability: %w", err)
	}
	for crows.Next() {
		var id int64
		if err := crows.Scan(&id); err != nil {
			crows.Close()
			return nil, err
		}
		own[id] = true
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		var kept []int64
		for _, c := range out[i].Cases {
			if own[c] {
				kept = append(kept, c)
			}
		}
		out[i].Cases = kept
	}
	return out, nil
}

// accountabilityStateScope is accountabilityScope over accountability_states
// s: the state's unit, or a linked problem or case of the user's unit.
func accountabilityStateScope(u *ducha.User) (string, []any) {
	if u == nil {
		return " AND 1 = 0", nil
	}
	if !u.Role.UnitScoped() {
		return "", nil
	}
	return ` AND (s.unit_id = ?
		OR EXISTS (SELECT 1 FROM accountability_problems ap JOIN problem_units pu ON pu.problem_id = ap.problem_id
			WHERE ap.accountability_id = s.accountability_id AND pu.unit_id = ?)
		OR EXISTS (SELECT 1 FROM accountability_cases ac JOIN case_units cu ON cu.case_id = ac.case_id
			WHERE ac.accountability_id = s.accountability_id AND cu.unit_id = ?))`, []any{u.UnitID, u.UnitID, u.UnitID}
}
