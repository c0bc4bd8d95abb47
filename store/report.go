package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
	// One pass over the states in force at the day's end, of the cases
	// known by then; case_states carries every fact the report needs.
	scope, scopeArgs := caseStateScopeOf(u)
	rows, err := tx.query(ctx, `SELECT s.batch, s.area, s.channel, s.key_flag, s.status, s.verdict, s.types, count(*)
		FROM case_states s
		WHERE (s.valid_to IS NULL OR s.valid_to >= ?) AND s.valid_from < ? AND s.known_at < ? AND s.forwarded_date <= ?`+scope+`
		GROUP BY s.batch, s.area, s.channel, s.key_flag, s.status, s.verdict, s.types`,
		append([]any{end, end, end, string(asOf)}, scopeArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	areas := map[string]*ducha.ReportArea{}
	batches := map[int]bool{}
	types := map[string]int{}
	for rows.Next() {
		var batch, key, n int
		var area, channel, status, verdict, typeList string
		if err := rows.Scan(&batch, &area, &channel, &key, &status, &verdict, &typeList, &n); err != nil {
			rows.Close()
			return nil, err
		}
		batches[batch] = true
		for _, t := range splitTypes(typeList) {
			types[t] += n
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
	r.Cases.Batches = len(batches)
	for _, a := range areas {
		r.ByArea = append(r.ByArea, *a)
	}
	sort.Slice(r.ByArea, func(i, j int) bool {
		if r.ByArea[i].Total != r.ByArea[j].Total {
			return r.ByArea[i].Total > r.ByArea[j].Total
		}
		return r.ByArea[i].Area < r.ByArea[j].Area
	})
	for _, t := range ducha.PollutionTypes {
		if n := types[t]; n > 0 {
			r.ByType = append(r.ByType, ducha.ReportType{Type: t, Count: n})
		}
	}

	mscope, mscopeArgs := caseScopeOf(u)
	if err := tx.reportMeasures(ctx, r, end, strings.Replace(mscope, "c.id", "m.case_id", 1), mscopeArgs); err != nil {
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
func (tx *Tx) reportMeasures(ctx context.Context, r *ducha.DailyReport, end, scope string, scopeArgs []any) error {
	// A measure is entered with a case's answer, so it is never known
	// before its case: the cases table need not be read.
	rows, err := tx.query(ctx, `SELECT m.kind, count(DISTINCT m.enterprise_id), COALESCE(sum(m.persons), 0),
		count(DISTINCT m.case_id), COALESCE(sum(m.fine_fen), 0)
		FROM measures m
		WHERE m.created_at < ? AND (m.removed_at IS NULL OR m.removed_at >= ?) AND m.date <= ?`+scope+`
		GROUP BY m.kind`, append([]any{end, end, string(r.AsOf)}, scopeArgs...)...)
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
