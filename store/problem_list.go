package store

import (
	"context"
	"fmt"
	"strings"

	"ducha"
	"ducha/text"
)

// problemWhere builds the WHERE clause of a problem filter, the user's unit
// scope always included.
func (tx *Tx) problemWhere(f ducha.ProblemFilter) (string, []any) {
	var w strings.Builder
	var args []any
	w.WriteString(" WHERE 1 = 1")
	cond, scopeArgs := tx.scope()
	w.WriteString(cond)
	args = append(args, scopeArgs...)
	today := f.Today
	if !today.Valid() {
		today = tx.today()
	}
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
		args = append(args, string(today), string(today.AddDays(tx.db.opts.YellowDays)))
	case ducha.WarningNone:
		w.WriteString(" AND (p.deadline IS NULL OR p.deadline > ? OR p.status = 'closed')")
		args = append(args, string(today.AddDays(tx.db.opts.YellowDays)))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if toks := text.QueryTokens(q); len(toks) > 0 {
			cond, a := tx.db.dialect.searchClause(toks)
			w.WriteString(" AND " + cond)
			args = append(args, a...)
		}
	}
	return w.String(), args
}

// FindProblems returns one page of the problems the user may see, newest
// first, and how many match in all.
func (db *DB) FindProblems(ctx context.Context, f ducha.ProblemFilter) ([]*ducha.Problem, int, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
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
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args := tx.problemWhere(f)
	var total int
	if !f.SkipCount {
		version, err := tx.dataVersion(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count problems: %w", err)
		}
		key := countKey(version, where, args)
		if n, ok := db.counts.get(key); ok {
			total = n
		} else {
			if err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT count(*) FROM problems p`+where), args...).Scan(&total); err != nil {
				return nil, 0, fmt.Errorf("count problems: %w", err)
			}
			db.counts.put(key, total)
		}
	}
	order := " ORDER BY p.id DESC"
	if f.Ascending {
		order = " ORDER BY p.id"
	}
	rows, err := tx.query(ctx, `SELECT `+problemColumns+problemFrom+where+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
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
	where, args := tx.problemWhere(f)
	rows, err := tx.query(ctx, `SELECT p.status, count(*) FROM problems p`+where+` GROUP BY p.status`, args...)
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
	today := f.TodayOr(tx.today())
	err = tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT count(*) FROM problems p`+where+` AND p.deadline < ? AND p.status <> 'closed'`),
		append(args, string(today))...).Scan(&st.Overdue)
	if err != nil {
		return st, fmt.Errorf("count overdue: %w", err)
	}
	return st, nil
}
