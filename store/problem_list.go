package store

import (
	"context"
	"fmt"
	"strings"

	"ducha"
	"ducha/text"
)

// problemQuery is a problem filter turned into SQL: what to select from,
// the conditions, their arguments and the order of a page, and the count of
// all matches (which may take another shape than the page: counting wants
// narrow indexes, a page wants the search to drive it in order).
type problemQuery struct {
	from      string
	where     string
	args      []any
	order     string
	count     string // the statement that counts all matches
	countArgs []any
}

// problemQuery builds the SQL of a problem filter, the user's unit scope
// always included.
func (db *DB) problemQuery(u *ducha.User, today ducha.Date, f ducha.ProblemFilter) problemQuery {
	var w strings.Builder
	var args []any
	q := problemQuery{from: ` FROM problems p`, order: ` ORDER BY p.id DESC`}
	if f.Ascending {
		q.order = ` ORDER BY p.id`
	}
	w.WriteString(" WHERE 1 = 1")
	cond, scopeArgs := scopeOf(u)
	w.WriteString(cond)
	args = append(args, scopeArgs...)
	today = f.TodayOr(today)
	if f.ID != 0 {
		w.WriteString(" AND p.id = ?")
		args = append(args, f.ID)
	}
	if f.AfterID != 0 {
		w.WriteString(" AND p.id > ?")
		args = append(args, f.AfterID)
	}
	if f.Status != "" {
		w.WriteString(" AND p.status = ?")
		args = append(args, string(f.Status))
	}
	if f.UnitID != 0 {
		w.WriteString(" AND p.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)")
		args = append(args, f.UnitID)
	}
	if f.Area != "" {
		w.WriteString(" AND p.area = ?")
		args = append(args, f.Area)
	}
	if f.Type != "" {
		w.WriteString(" AND p.id IN (SELECT problem_id FROM problem_types WHERE type = ?)")
		args = append(args, f.Type)
	}
	if f.Source != "" {
		w.WriteString(" AND p.source = ?")
		args = append(args, f.Source)
	}
	if f.CampaignID != 0 {
		w.WriteString(" AND p.campaign_id = ?")
		args = append(args, f.CampaignID)
	}
	if f.Overdue != nil {
		if *f.Overdue {
			w.WriteString(" AND p.deadline < ? AND p.status <> 'closed'")
		} else {
			w.WriteString(" AND NOT (p.deadline IS NOT NULL AND p.deadline < ? AND p.status <> 'closed')")
		}
		args = append(args, string(today))
	}
	switch f.Warning {
	case ducha.WarningRed:
		w.WriteString(" AND p.deadline < ? AND p.status <> 'closed'")
		args = append(args, string(today))
	case ducha.WarningYellow:
		w.WriteString(" AND p.deadline >= ? AND p.deadline <= ? AND p.status <> 'closed'")
		args = append(args, string(today), string(today.AddDays(db.opts.YellowDays)))
	case ducha.WarningNone:
		w.WriteString(" AND (p.deadline IS NULL OR p.deadline > ? OR p.status = 'closed')")
		args = append(args, string(today.AddDays(db.opts.YellowDays)))
	}
	filtered := len(args) > 0
	q.count, q.countArgs = `SELECT count(*) FROM problems p`+w.String(), args
	if toks := text.QueryTokens(f.Q); len(toks) > 0 {
		s := db.dialect.search(problemSearch, toks)
		q.count += " AND " + s.countCond
		q.countArgs = append(append([]any{}, args...), s.args...)
		if !filtered {
			q.count, q.countArgs = s.countAll, s.args
		}
		q.from += s.join
		w.WriteString(" AND " + s.cond)
		args = append(args, s.args...)
		if s.order != "" && !f.Ascending {
			q.order = s.order
		}
	}
	q.where, q.args = w.String(), args
	return q
}

// count returns how many problems q matches, from the count cache when the
// data has not changed since it was counted; concurrent identical counts
// are computed once (countCache.do).
func (tx *Tx) count(ctx context.Context, q problemQuery) (int, error) {
	version, err := tx.dataVersion(ctx)
	if err != nil {
		return 0, err
	}
	stmt, args := q.count, q.countArgs
	v, err := tx.db.counts.do(ctx, countKey(version, stmt, args), func() (any, error) {
		var n int
		err := tx.QueryRowContext(ctx, tx.db.dialect.rebind(stmt), args...).Scan(&n)
		return n, err
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// FindProblems returns one page of the problems the user may see, newest
// first, and how many match in all.
func (db *DB) FindProblems(ctx context.Context, f ducha.ProblemFilter) ([]*ducha.Problem, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Warning != "" && f.Warning != ducha.WarningNone && f.Warning != ducha.WarningYellow && f.Warning != ducha.WarningRed {
		return nil, 0, ducha.FieldError("warning", "预警“%s”无效，应为none、yellow或red", f.Warning)
	}
	if f.Status != "" {
		if _, ok := ducha.ParseProblemStatus(string(f.Status)); !ok {
			return nil, 0, ducha.FieldError("status", "状态“%s”无效", f.Status)
		}
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	q := db.problemQuery(u, ducha.Today(db.opts.Now()), f)
	page := `SELECT ` + problemColumns + q.from + problemJoin + q.where + q.order + ` LIMIT ? OFFSET ?`
	db.prepare(ctx, q.count, page, `SELECT last_id FROM audit_head WHERE id = 1`)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if !f.SkipCount {
		if total, err = tx.count(ctx, q); err != nil {
			return nil, 0, fmt.Errorf("count problems: %w", err)
		}
	}
	rows, err := tx.query(ctx, page, append(q.args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find problems: %w", err)
	}
	defer rows.Close()
	ps := []*ducha.Problem{}
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find problems: %w", err)
		}
		p.Derive(f.TodayOr(tx.today()), db.opts.YellowDays)
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find problems: %w", err)
	}
	if err := tx.attachCoopUnits(ctx, ps); err != nil {
		return nil, 0, err
	}
	return ps, total, nil
}

// CountProblems returns the ledger's numbers for the filter: by status and overdue.
func (db *DB) CountProblems(ctx context.Context, f ducha.ProblemFilter) (ducha.ProblemStats, error) {
	var st ducha.ProblemStats
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return st, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	today := f.TodayOr(tx.today())
	q := db.problemQuery(tx.user, today, f)
	version, err := tx.dataVersion(ctx)
	if err != nil {
		return st, fmt.Errorf("count problems: %w", err)
	}
	key := countKey(version, "stats"+q.where+string(today), q.args)
	v, err := db.counts.do(ctx, key, func() (any, error) { return tx.problemStats(ctx, q, today) })
	if err != nil {
		return st, err
	}
	return v.(ducha.ProblemStats), nil
}

// problemStats counts q's problems by status, and the overdue ones.
func (tx *Tx) problemStats(ctx context.Context, q problemQuery, today ducha.Date) (ducha.ProblemStats, error) {
	var st ducha.ProblemStats
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT p.status, count(*)`+q.from+q.where+` GROUP BY p.status`), q.args...)
	if err != nil {
		return st, fmt.Errorf("count problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return st, err
		}
		st.Total += n
		switch ducha.ProblemStatus(s) {
		case ducha.StatusClosed:
			st.Closed = n
		case ducha.StatusInProgress:
			st.InProgress = n
		case ducha.StatusPendingVerification:
			st.PendingVerification = n
		case ducha.StatusRegistered:
			st.Registered = n
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	err = tx.QueryRowContext(ctx, tx.db.dialect.rebind(`SELECT count(*)`+q.from+q.where+` AND p.deadline < ? AND p.status <> 'closed'`),
		append(q.args, string(today))...).Scan(&st.Overdue)
	if err != nil {
		return st, fmt.Errorf("count overdue: %w", err)
	}
	return st, nil
}
