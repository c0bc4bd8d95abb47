package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"ducha"
)

// DailyReport counts cases, measures and the ledger as they stood at the
// end of the day asOf (in the county's time zone): cases known by then,
// each in the state it was in then (case_states), measures in force then,
// problems in their status and deadline then (problem_states). So the
// report for a day computed a week later equals the one computed that
// evening. Unit-scoped users get their unit's numbers only.
func (db *DB) DailyReport(ctx context.Context, asOf ducha.Date) (*ducha.DailyReport, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	today := ducha.Today(db.opts.Now())
	if !asOf.Valid() {
		asOf = today
	}
	if asOf > today {
		return nil, ducha.FieldError("date", "不能查询未来日期（%s）的日报", asOf)
	}
	d := asOf.Time()
	end := ducha.FormatTime(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, ducha.Location))
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &ducha.DailyReport{AsOf: asOf, ByArea: []ducha.ReportArea{}, ByType: []ducha.ReportType{}}
	scope, scopeArgs := caseScopeOf(u)
	known := ` c.created_at < ? AND c.forwarded_date <= ?` + scope
	knownArgs := append([]any{end, string(asOf)}, scopeArgs...)

	if err := tx.queryRow(ctx, `SELECT count(DISTINCT c.batch) FROM cases c WHERE`+known, knownArgs...).Scan(&r.Cases.Batches); err != nil {
		return nil, fmt.Errorf("report batches: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT c.area, c.channel, c.key_flag, s.status, s.verdict, count(*)
		FROM cases c JOIN case_states s ON s.case_id = c.id AND s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?)
		WHERE`+known+` GROUP BY c.area, c.channel, c.key_flag, s.status, s.verdict`, append([]any{end, end}, knownArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	areas := map[string]*ducha.ReportArea{}
	for rows.Next() {
		var area, channel, status, verdict string
		var key, n int
		if err := rows.Scan(&area, &channel, &key, &status, &verdict, &n); err != nil {
			rows.Close()
			return nil, err
		}
		c := &r.Cases
		c.Total += n
		if channel == ducha.ChannelPhone {
			c.Phone += n
		} else {
			c.Letter += n
		}
		if key != 0 {
			c.Key += n
		}
		a := areas[area]
		if a == nil {
			a = &ducha.ReportArea{Area: area}
			areas[area] = a
		}
		a.Total += n
		switch ducha.CaseStatus(status) {
		case ducha.CaseClosed:
			c.Closed += n
			a.Closed += n
		case ducha.CaseStageClosed:
			c.StageClosed += n
			a.StageClosed += n
		default:
			c.Open += n
			a.Open += n
		}
		switch verdict {
		case ducha.VerdictTrue:
			c.Substantiated += n
		case ducha.VerdictPartly:
			c.PartlySubstantiated += n
		case ducha.VerdictFalse:
			c.Unsubstantiated += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, a := range areas {
		r.ByArea = append(r.ByArea, *a)
	}
	sort.Slice(r.ByArea, func(i, j int) bool {
		if r.ByArea[i].Total != r.ByArea[j].Total {
			return r.ByArea[i].Total > r.ByArea[j].Total
		}
		return r.ByArea[i].Area < r.ByArea[j].Area
	})

	rows, err = tx.query(ctx, `SELECT ct.type, count(*) FROM case_types ct JOIN cases c ON c.id = ct.case_id
		WHERE`+known+` GROUP BY ct.type`, knownArgs...)
	if err != nil {
		return nil, fmt.Errorf("report types: %w", err)
	}
	types := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return nil, err
		}
		types[t] = n
	}
	rows.Close()
	for _, t := range ducha.PollutionTypes {
		if n := types[t]; n > 0 {
			r.ByType = append(r.ByType, ducha.ReportType{Type: t, Count: n})
		}
	}

	if err := tx.reportMeasures(ctx, r, end, known, knownArgs); err != nil {
		return nil, err
	}
	if err := tx.reportLedger(ctx, r, u, end); err != nil {
		return nil, err
	}
	r.Text = ducha.ReportText(r)
	return r, nil
}

// reportMeasures counts the measures in force at end: enterprises (each
// once per kind), persons, criminal cases, and the fines to the fen.
func (tx *Tx) reportMeasures(ctx context.Context, r *ducha.DailyReport, end, known string, knownArgs []any) error {
	rows, err := tx.query(ctx, `SELECT m.kind, count(DISTINCT m.enterprise_id), COALESCE(sum(m.persons), 0),
		count(DISTINCT m.case_id), COALESCE(sum(m.fine_fen), 0)
		FROM measures m JOIN cases c ON c.id = m.case_id
		WHERE m.created_at < ? AND (m.removed_at IS NULL OR m.removed_at >= ?) AND m.date <= ? AND`+known+`
		GROUP BY m.kind`, append([]any{end, end, string(r.AsOf)}, knownArgs...)...)
	if err != nil {
		return fmt.Errorf("report measures: %w", err)
	}
	defer rows.Close()
	m := &r.Measures
	for rows.Next() {
		var kind string
		var enterprises, persons, cases int
		var fines int64
		if err := rows.Scan(&kind, &enterprises, &persons, &cases, &fines); err != nil {
			return err
		}
		switch kind {
		case ducha.MeasureOrderedToRectify:
			m.OrderedToRectify = enterprises
		case ducha.MeasurePenaltyCase:
			m.PenaltyCases, m.FinesYuan = enterprises, ducha.Money(fines)
		case ducha.MeasureSuspended:
			m.Suspended = enterprises
		case ducha.MeasureClosedDown:
			m.ClosedDown = enterprises
		case ducha.MeasureListedSupervision:
			m.ListedSupervision = enterprises
		case ducha.MeasureCriminalCase:
			m.CriminalCases = cases
		case ducha.MeasureAdministrativeDetention:
			m.AdministrativeDetention = persons
		case ducha.MeasureCriminalDetention:
			m.CriminalDetention = persons
		case ducha.MeasureInterviewed:
			m.Interviewed = persons
		case ducha.MeasureHeldAccountable:
			m.HeldAccountable = persons
		}
	}
	return rows.Err()
}

// reportLedger counts the problems as they stood at end.
func (tx *Tx) reportLedger(ctx context.Context, r *ducha.DailyReport, u *ducha.User, end string) error {
	scope, args := scopeOf(u)
	rows, err := tx.query(ctx, `SELECT s.status, count(*), COALESCE(sum(CASE WHEN s.deadline < ? AND s.status <> 'closed' THEN 1 ELSE 0 END), 0)
		FROM problem_states s JOIN problems p ON p.id = s.problem_id
		WHERE s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?)`+scope+` GROUP BY s.status`,
		append([]any{string(r.AsOf), end, end}, args...)...)
	if err != nil {
		return fmt.Errorf("report ledger: %w", err)
	}
	defer rows.Close()
	l := &r.Ledger
	for rows.Next() {
		var status string
		var n, overdue int
		if err := rows.Scan(&status, &n, &overdue); err != nil {
			return err
		}
		l.Total += n
		l.Overdue += overdue
		switch ducha.ProblemStatus(status) {
		case ducha.StatusClosed:
			l.Closed = n
		case ducha.StatusInProgress:
			l.InProgress = n
		case ducha.StatusPendingVerification:
			l.PendingVerification = n
		}
	}
	return rows.Err()
}
