package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"ducha"
)

// Dashboard is the daily report as of asOf with what the dashboard's
// charts add: the cases by responsible unit and the running trend, both
// read from case_states as the report reads it, so the trend's last day
// is the report's cases.total, closed and stage_closed, and each earlier
// day that day's report's.
//
// A case's units are its current ones: case_units keeps no history, so a
// case handed to another unit moves its past lines there too (as the
// ledger's line by unit does for problems).
func (db *DB) Dashboard(ctx context.Context, asOf ducha.Date) (*ducha.Dashboard, error) {
	rep, err := db.DailyReport(ctx, asOf)
	if err != nil {
		return nil, err
	}
	u := ducha.UserFromContext(ctx)
	d := &ducha.Dashboard{AsOf: rep.AsOf, At: db.opts.Now().UTC(), Report: rep,
		ByUnit: []ducha.DashboardUnit{}, Trend: []ducha.DashboardDay{}}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.dashboardByUnit(ctx, d, u); err != nil {
		return nil, err
	}
	if err := tx.dashboardTrend(ctx, d, u); err != nil {
		return nil, err
	}
	return d, nil
}

// dashboardByUnit counts the cases in force at the day's end by their
// units; a unit role's answer has its own unit's line only.
func (tx *Tx) dashboardByUnit(ctx context.Context, d *ducha.Dashboard, u *ducha.User) error {
	end := dayEnd(d.AsOf)
	scope, args := "", []any{end, end, end, string(d.AsOf)}
	if u.Role.UnitScoped() {
		scope, args = " AND cu.unit_id = ?", append(args, u.UnitID)
	}
	rows, err := tx.query(ctx, `SELECT un.name, count(*),
		COALESCE(sum(CASE WHEN s.status = 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN s.status = 'stage_closed' THEN 1 ELSE 0 END), 0)
		FROM case_states s JOIN case_units cu ON cu.case_id = s.case_id JOIN units un ON un.id = cu.unit_id
		WHERE (s.valid_to IS NULL OR s.valid_to >= ?) AND s.valid_from < ? AND s.known_at < ? AND s.forwarded_date <= ?
		AND s.is_duplicate = 0`+scope+` GROUP BY un.id, un.name`, args...)
	if err != nil {
		return fmt.Errorf("dashboard by unit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l ducha.DashboardUnit
		if err := rows.Scan(&l.Unit, &l.Total, &l.Closed, &l.StageClosed); err != nil {
			return err
		}
		l.Open = l.Total - l.Closed - l.StageClosed
		d.ByUnit = append(d.ByUnit, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.SliceStable(d.ByUnit, func(i, j int) bool {
		if d.ByUnit[i].Total != d.ByUnit[j].Total {
			return d.ByUnit[i].Total > d.ByUnit[j].Total
		}
		return d.ByUnit[i].Unit < d.ByUnit[j].Unit
	})
	return nil
}

// dashboardTrend reads, in one pass, every state that stood at the end of
// some day of the trend, and counts each on the days it stood: from the
// last of the days it began, its case became known and its case was
// forwarded, to the day before the one its state ended. The bounds are
// compared as the report's SQL compares them (the instants as written),
// so each day counts what that day's report counts.
func (tx *Tx) dashboardTrend(ctx context.Context, d *ducha.Dashboard, u *ducha.User) error {
	scope, scopeArgs := caseScopeOn(u, "s.case_id")
	lastEnd := dayEnd(d.AsOf)
	var first sql.NullString
	if err := tx.queryRow(ctx, `SELECT min(s.forwarded_date) FROM case_states s
		WHERE s.known_at < ? AND s.forwarded_date <= ? AND s.is_duplicate = 0`+scope,
		append([]any{lastEnd, string(d.AsOf)}, scopeArgs...)...).Scan(&first); err != nil {
		return fmt.Errorf("dashboard trend start: %w", err)
	}
	if !first.Valid || first.String == "" {
		return nil
	}
	from := ducha.Date(first.String)
	if earliest := d.AsOf.AddDays(1 - ducha.TrendDays); from < earliest {
		from = earliest
	}
	var days []ducha.Date
	var ends []string
	for day := from; day <= d.AsOf; day = day.AddDays(1) {
		days, ends = append(days, day), append(ends, dayEnd(day))
	}
	// counts[i] holds the changes at day i; a running sum gives each day.
	n := len(days)
	received, closed, stage := make([]int, n+1), make([]int, n+1), make([]int, n+1)
	rows, err := tx.query(ctx, `SELECT s.valid_from, s.valid_to, s.known_at, s.forwarded_date, s.status
		FROM case_states s WHERE (s.valid_to IS NULL OR s.valid_to >= ?) AND s.valid_from < ? AND s.known_at < ?
		AND s.forwarded_date <= ? AND s.is_duplicate = 0`+scope,
		append([]any{ends[0], lastEnd, lastEnd, string(d.AsOf)}, scopeArgs...)...)
	if err != nil {
		return fmt.Errorf("dashboard trend: %w", err)
	}
	defer rows.Close()
	// firstEndAfter is the first day whose end is after the instant t.
	firstEndAfter := func(t string) int { return sort.Search(n, func(i int) bool { return t < ends[i] }) }
	for rows.Next() {
		var validFrom, knownAt, forwarded, status string
		var validTo sql.NullString
		if err := rows.Scan(&validFrom, &validTo, &knownAt, &forwarded, &status); err != nil {
			return err
		}
		lo := max(firstEndAfter(validFrom), firstEndAfter(knownAt),
			sort.Search(n, func(i int) bool { return forwarded <= string(days[i]) }))
		hi := n // the first day the state no longer stands at its end
		if validTo.Valid {
			hi = sort.Search(n, func(i int) bool { return validTo.String < ends[i] })
		}
		if lo >= hi {
			continue
		}
		received[lo]++
		received[hi]--
		switch ducha.CaseStatus(status) {
		case ducha.CaseClosed:
			closed[lo]++
			closed[hi]--
		case ducha.CaseStageClosed:
			stage[lo]++
			stage[hi]--
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var r, c, sc int
	for i, day := range days {
		r, c, sc = r+received[i], c+closed[i], sc+stage[i]
		d.Trend = append(d.Trend, ducha.DashboardDay{Date: day, Received: r, Closed: c, StageClosed: sc})
	}
	return nil
}
