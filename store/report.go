package store

import (
	"context"
	"fmt"
	"slices"
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
	end := dayEnd(asOf)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &ducha.DailyReport{AsOf: asOf, ByArea: []ducha.ReportArea{}, ByType: []ducha.ReportType{}}
	// The states in force at the day's end, of the cases known by then;
	// case_states carries every fact the report needs. For today the
	// states in force are the open ones, which the index gives by area.
	scope, scopeArgs := caseScopeOn(u, "s.case_id")
	inForce := `(s.valid_to IS NULL OR s.valid_to >= ?) AND s.valid_from < ? AND s.known_at < ? AND s.forwarded_date <= ?` + scope
	args := append([]any{end, end, end, string(asOf)}, scopeArgs...)
	if asOf == today {
		inForce = `s.valid_to IS NULL AND s.valid_from < ? AND s.known_at < ? AND s.forwarded_date <= ?` + scope
		args = append([]any{end, end, string(asOf)}, scopeArgs...)
	}
	// Grouped by area, types, channel and the duplicate flag, in the index's
	// order: a duplicate (重复件) counts in Duplicates only, every other
	// case once in each number.
	rows, err := tx.query(ctx, `SELECT s.area, s.types, s.channel, s.is_duplicate, count(*),
		COALESCE(sum(s.key_flag), 0),
		COALESCE(sum(CASE WHEN s.status = 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.status = 'stage_closed' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.verdict = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.verdict = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.verdict = ? THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.verdict = ? THEN 1 ELSE 0 END), 0)
		FROM case_states s WHERE `+inForce+` GROUP BY s.area, s.types, s.channel, s.is_duplicate`,
		append([]any{ducha.VerdictTrue, ducha.VerdictBasically, ducha.VerdictPartly, ducha.VerdictFalse}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("report cases: %w", err)
	}
	c := &r.Cases
	areas := map[string]*ducha.ReportArea{}
	types := map[string]int{}
	for rows.Next() {
		var g ducha.ReportArea
		var list, channel string
		var dup, key, vTrue, vBasically, vPartly, vFalse int
		if err := rows.Scan(&g.Area, &list, &channel, &dup, &g.Total, &key, &g.Closed, &g.StageClosed,
			&vTrue, &vBasically, &vPartly, &vFalse); err != nil {
			rows.Close()
			return nil, err
		}
		if dup != 0 {
			c.Duplicates += g.Total
			continue
		}
		for _, t := range splitTypes(list) {
			types[t] += g.Total
		}
		g.Open = g.Total - g.Closed - g.StageClosed
		a := areas[g.Area]
		if a == nil {
			a = &ducha.ReportArea{Area: g.Area}
			areas[g.Area] = a
		}
		a.Total += g.Total
		a.Closed += g.Closed
		a.StageClosed += g.StageClosed
		a.Open += g.Open
		c.Total += g.Total
		switch channel {
		case ducha.ChannelPhone:
			c.Phone += g.Total
		case ducha.ChannelLetter:
			c.Letter += g.Total
		case ducha.ChannelWeChat:
			c.WeChat += g.Total
		case ducha.ChannelOnline:
			c.Online += g.Total
		case ducha.ChannelVisit:
			c.Visit += g.Total
		default:
			c.Other += g.Total
		}
		c.Key += key
		c.Closed += g.Closed
		c.StageClosed += g.StageClosed
		c.Open += g.Open
		c.Substantiated += vTrue
		c.BasicallySubstantiated += vBasically
		c.PartlySubstantiated += vPartly
		c.Unsubstantiated += vFalse
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, a := range areas {
		r.ByArea = append(r.ByArea, *a)
	}
	sort.SliceStable(r.ByArea, func(i, j int) bool {
		if r.ByArea[i].Total != r.ByArea[j].Total {
			return r.ByArea[i].Total > r.ByArea[j].Total
		}
		return r.ByArea[i].Area < r.ByArea[j].Area
	})
	// Batches: the county's from the batch list (known from the import, or
	// from its date when it was brought in with results); a unit's, those
	// its cases came in.
	batches := `SELECT count(*) FROM batches WHERE known_at < ? AND date <= ? AND total + duplicates > 0`
	bargs := []any{end, string(asOf)}
	if u.Role.UnitScoped() {
		batches, bargs = `SELECT count(DISTINCT s.batch) FROM case_states s WHERE `+inForce, args
	}
	if err := tx.queryRow(ctx, batches, bargs...).Scan(&c.Batches); err != nil {
		return nil, fmt.Errorf("report batches: %w", err)
	}
	// The same number handed over again: logged, counted as a duplicate
	// received, in its batch's time.
	dscope, dargs := caseScopeOn(u, "d.case_id")
	var again int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM batch_duplicates d JOIN batches b ON b.id = d.batch_id
		WHERE b.known_at < ? AND b.date <= ?`+dscope, append([]any{end, string(asOf)}, dargs...)...).Scan(&again); err != nil {
		return nil, fmt.Errorf("report duplicates: %w", err)
	}
	c.Duplicates += again
	for _, t := range ducha.PollutionTypes {
		if n := types[t]; n > 0 {
			r.ByType = append(r.ByType, ducha.ReportType{Type: t, Count: n})
		}
	}

	mscope, mscopeArgs := caseScopeOn(u, "m.case_id")
	if err := tx.reportMeasures(ctx, r, u, end, mscope, mscopeArgs); err != nil {
		return nil, err
	}
	if ok, err := tx.reportLedgerTally(ctx, r, u); err != nil {
		return nil, err
	} else if !ok {
		if err := tx.reportLedger(ctx, r, u, end); err != nil {
			return nil, err
		}
	}
	r.Text = ducha.ReportText(r)
	return r, nil
}

// dayEnd is the first instant after day, as the store writes times.
func dayEnd(day ducha.Date) string {
	d := day.Time()
	return ducha.FormatTime(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, ducha.Location))
}

// reportMeasures counts the measures in force at end: enterprises (each
// once per kind), persons, criminal cases, and the fines to the fen.
func (tx *Tx) reportMeasures(ctx context.Context, r *ducha.DailyReport, u *ducha.User, end, scope string, scopeArgs []any) error {
	// A measure is entered with a case's answer, so it is never known
	// before its case: the cases table need not be read. The index gives
	// measures by kind and enterprise, so counting enterprises streams.
	inForce := `m.created_at < ? AND (m.removed_at IS NULL OR m.removed_at >= ?) AND m.date <= ?` + scope
	args := append([]any{end, end, string(r.AsOf)}, scopeArgs...)
	rows, err := tx.query(ctx, `SELECT m.kind, count(DISTINCT m.enterprise_id), COALESCE(sum(m.persons), 0), COALESCE(sum(m.fine_fen), 0)
		FROM measures m WHERE `+inForce+` GROUP BY m.kind`, args...)
	if err != nil {
		return fmt.Errorf("report measures: %w", err)
	}
	m := &r.Measures
	for rows.Next() {
		var kind string
		var enterprises, persons int
		var fines int64
		if err := rows.Scan(&kind, &enterprises, &persons, &fines); err != nil {
			rows.Close()
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
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Criminal cases count cases, not enterprises.
	err = tx.queryRow(ctx, `SELECT count(DISTINCT m.case_id) FROM measures m WHERE m.kind = ? AND `+inForce,
		append([]any{ducha.MeasureCriminalCase}, args...)...).Scan(&m.CriminalCases)
	if err != nil {
		return fmt.Errorf("report criminal cases: %w", err)
	}
	return tx.reportHeldAccountable(ctx, r, u, end, inForce, args)
}

// reportLedgerTally fills the ledger's lines of today from the counters'
// lead-unit rows (tally.go), a lookup of a few hundred rows: the problems
// as they stand now are those in force at the end of today. A unit's
// reader gets its own problems by lead unit (the rows of tallyUnit|
// tallyLead). ok is false when the counters cannot say — another day,
// counters not yet judged on today — and reportLedger counts the states
// instead. Either way the numbers are the same (TestTallyMatchesTheRows).
func (tx *Tx) reportLedgerTally(ctx context.Context, r *ducha.DailyReport, u *ducha.User) (bool, error) {
	if r.AsOf != tx.today() {
		return false, nil
	}
	day, yellowDays, built, err := tx.tallyDay(ctx)
	if err != nil || !built || day != r.AsOf || yellowDays != tx.db.YellowDays() {
		return false, err
	}
	q, args := `SELECT unit_id, status, bucket, n FROM problem_tally WHERE dims = ? AND n <> 0`, []any{tallyLead}
	behind, behindArgs := ``, []any{string(r.AsOf)}
	if u.Role.UnitScoped() {
		q, args = `SELECT CAST(type AS INTEGER), status, bucket, n FROM problem_tally WHERE dims = ? AND unit_id = ? AND n <> 0`,
			[]any{tallyUnit | tallyLead, u.UnitID}
		behind = ` AND EXISTS (SELECT 1 FROM problem_units su WHERE su.problem_id = problems.id AND su.unit_id = ?)`
		behindArgs = append(behindArgs, u.UnitID)
	}
	names := map[int64]string{}
	rows, err := tx.query(ctx, `SELECT id, name FROM units`)
	if err != nil {
		return false, fmt.Errorf("report ledger: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return false, err
		}
		names[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	rows, err = tx.query(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("report ledger: %w", err)
	}
	defer rows.Close()
	l := &r.Ledger
	lines := map[int64]*ducha.ReportLedgerUnit{}
	var leads []int64
	for rows.Next() {
		var unit int64
		var status, bucket string
		var n int
		if err := rows.Scan(&unit, &status, &bucket, &n); err != nil {
			return false, err
		}
		add := func(total, closed, inProgress, pending, overdue *int) {
			*total += n
			switch ducha.ProblemStatus(status) {
			case ducha.StatusClosed:
				*closed += n
			case ducha.StatusInProgress:
				*inProgress += n
			case ducha.StatusPendingVerification:
				*pending += n
			}
			if bucket == tallyRed {
				*overdue += n
			}
		}
		add(&l.Total, &l.Closed, &l.InProgress, &l.PendingVerification, &l.Overdue)
		if ducha.ProblemStatus(status) == ducha.StatusPublicity {
			l.Publicity += n
		}
		name, named := names[unit]
		if unit == 0 || !named {
			continue // not yet assigned: in the totals only
		}
		line := lines[unit]
		if line == nil {
			line = &ducha.ReportLedgerUnit{Unit: name}
			lines[unit] = line
			leads = append(leads, unit)
		}
		add(&line.Total, &line.Closed, &line.InProgress, &line.PendingVerification, &line.Overdue)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	slices.Sort(leads) // the order the units table lists them
	l.ByUnit = make([]ducha.ReportLedgerUnit, 0, len(leads))
	for _, id := range leads {
		l.ByUnit = append(l.ByUnit, *lines[id])
	}
	// The partial index of the tasks behind schedule; left to itself,
	// SQLite walks every problem in progress instead (seconds at 1,000,000).
	err = tx.queryRow(ctx, `SELECT count(*) FROM problems`+tx.db.dialect.indexedBy("problems_behind")+`
		WHERE status = 'in_progress' AND behind_from IS NOT NULL AND behind_from <= ?`+behind, behindArgs...).Scan(&l.BehindSchedule)
	if err != nil {
		return false, fmt.Errorf("report ledger: %w", err)
	}
	return true, nil
}

// reportLedger counts the problems as they stood at end.
func (tx *Tx) reportLedger(ctx context.Context, r *ducha.DailyReport, u *ducha.User, end string) error {
	scope, args := scopeOf(u)
	if err := tx.reportLedgerByUnit(ctx, r, end, scope, args); err != nil {
		return err
	}
	rows, err := tx.query(ctx, `SELECT s.status, count(*), COALESCE(sum(CASE WHEN s.deadline < ? AND s.status <> 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.behind_from <= ? THEN 1 ELSE 0 END), 0)
		FROM problem_states s JOIN problems p ON p.id = s.problem_id
		WHERE s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to >= ?)`+scope+` GROUP BY s.status`,
		append([]any{string(r.AsOf), string(r.AsOf), end, end}, args...)...)
	if err != nil {
		return fmt.Errorf("report ledger: %w", err)
	}
	defer rows.Close()
	l := &r.Ledger
	for rows.Next() {
		var status string
		var n, overdue, behind int
		if err := rows.Scan(&status, &n, &overdue, &behind); err != nil {
			return err
		}
		l.Total += n
		l.Overdue += overdue
		switch ducha.ProblemStatus(status) {
		case ducha.StatusClosed:
			l.Closed = n
		case ducha.StatusPublicity:
			l.Publicity = n
		case ducha.StatusInProgress:
			l.InProgress = n
			l.BehindSchedule = behind
		case ducha.StatusPendingVerification:
			l.PendingVerification = n
		}
	}
	return rows.Err()
}
