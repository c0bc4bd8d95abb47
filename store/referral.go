package store

import (
	"context"
	"fmt"
	"strconv"

	"ducha"
)

// ReferralPack streams one unit's referral pack (移交材料) to w in one read
// snapshot: the problems the unit leads or cooperates on, the cases
// assigned to it, the notices issued to it, the accountability records of
// its people or linking its items, then the history of each of them, in
// that order. Rows go to w as they are read; what is kept meanwhile is
// each item's code (to name it in the history) and the records, which
// are few.
func (db *DB) ReferralPack(ctx context.Context, ref ducha.UnitRef, w ducha.ReferralWriter) (*ducha.Unit, error) {
	if _, err := ducha.Require(ctx, ducha.PermAccountability); err != nil {
		return nil, err
	}
	if _, err := ducha.Require(ctx, ducha.PermExport); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	unit, err := tx.resolveUnit(ctx, "unit", ref)
	if err != nil {
		return nil, err
	}
	if err := w.Start(unit); err != nil {
		return nil, err
	}
	labels := map[string]map[int64]string{ducha.ItemProblem: {}, ducha.ItemCase: {}, "notice": {}, "accountability": {}}
	var order = map[string][]int64{}
	seen := func(kind string, id int64, label string) {
		labels[kind][id] = label
		order[kind] = append(order[kind], id)
	}

	const unitProblems = `SELECT problem_id FROM problem_units WHERE unit_id = ?`
	const unitCases = `SELECT case_id FROM case_units WHERE unit_id = ?`
	err = tx.each(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.id IN (`+unitProblems+`) ORDER BY p.id`, []any{unit.ID},
		func(row interface{ Scan(...any) error }) error {
			p, err := scanProblem(row)
			if err != nil {
				return err
			}
			seen(ducha.ItemProblem, p.ID, p.Code)
			return w.Problem(p)
		})
	if err != nil {
		return nil, fmt.Errorf("referral problems: %w", err)
	}

	// Each case's units, by name in their order, read first: pgx cannot
	// run a query while another's rows are open.
	units := map[int64][]string{}
	err = tx.each(ctx, `SELECT cu.case_id, u.name FROM case_units cu JOIN units u ON u.id = cu.unit_id
		WHERE cu.case_id IN (`+unitCases+`) ORDER BY cu.case_id, cu.pos`, []any{unit.ID},
		func(row interface{ Scan(...any) error }) error {
			var id int64
			var name string
			if err := row.Scan(&id, &name); err != nil {
				return err
			}
			units[id] = append(units[id], name)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("referral case units: %w", err)
	}
	err = tx.each(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id IN (`+unitCases+`) ORDER BY c.id`, []any{unit.ID},
		func(row interface{ Scan(...any) error }) error {
			c, err := scanCase(row)
			if err != nil {
				return err
			}
			c.Units = units[c.ID]
			seen(ducha.ItemCase, c.ID, c.AcceptanceNo)
			return w.Case(c)
		})
	if err != nil {
		return nil, fmt.Errorf("referral cases: %w", err)
	}

	err = tx.each(ctx, `SELECT `+noticeColumns+noticeFrom+` WHERE n.unit_id = ? ORDER BY n.id`, []any{unit.ID},
		func(row interface{ Scan(...any) error }) error {
			n, err := scanNotice(row)
			if err != nil {
				return err
			}
			seen("notice", n.ID, n.No)
			return w.Notice(n)
		})
	if err != nil {
		return nil, fmt.Errorf("referral notices: %w", err)
	}

	scope, args := accountabilityScope(&ducha.User{Role: ducha.RoleUnitLiaison, UnitID: unit.ID})
	var records []*ducha.Accountability
	err = tx.each(ctx, `SELECT `+accountabilityColumns+accountabilityFrom+` WHERE 1 = 1`+scope+` ORDER BY a.date, a.id`, args,
		func(row interface{ Scan(...any) error }) error {
			a, err := scanAccountability(row)
			if err == nil {
				records = append(records, a)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("referral accountability: %w", err)
	}
	if err := tx.attachAccountabilityLinks(ctx, records); err != nil {
		return nil, err
	}
	for _, a := range records {
		seen("accountability", a.ID, a.Person+" "+string(a.Date))
		if err := w.Accountability(a); err != nil {
			return nil, err
		}
	}

	// The history, item by item in the order above.
	for _, kind := range []string{ducha.ItemProblem, ducha.ItemCase, "notice", "accountability"} {
		if err := tx.referralEvents(ctx, kind, order[kind], labels[kind], w); err != nil {
			return nil, err
		}
	}
	return unit, nil
}

// referralEvents writes the events of the items ids of one kind, in
// chunks that keep the statements' argument lists short.
func (tx *Tx) referralEvents(ctx context.Context, kind string, ids []int64, labels map[int64]string, w ducha.ReferralWriter) error {
	const chunk = 500
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		args := []any{kind}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		ids = ids[n:]
		rows, err := tx.query(ctx, `SELECT `+eventColumns+` FROM events WHERE entity = ? AND entity_id IN (`+
			placeholders(n)+`) ORDER BY entity_id, id`, args...)
		if err != nil {
			return fmt.Errorf("referral events: %w", err)
		}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return err
			}
			label := labels[e.EntityID]
			if label == "" {
				label = strconv.FormatInt(e.EntityID, 10)
			}
			if err := w.Event(kind, label, e); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// each runs a query and hands each row to fn, stopping at its first error.
func (tx *Tx) each(ctx context.Context, query string, args []any, fn func(row interface{ Scan(...any) error }) error) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
