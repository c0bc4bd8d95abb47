package store

import (
	"cmp"
	"context"
	"fmt"

	"ducha"
)

// FindClosureNotices lists the problems now in public notice (公示中),
// the newest notice first, for the public 销号公示 page: anyone may read
// them, logged in or not, so it reads only problems in notice and gives
// only what the notice prints.
func (db *DB) FindClosureNotices(ctx context.Context) ([]*ducha.ClosureNotice, error) {
	return db.closureNotices(ctx, 0)
}

// FindClosureNotice is one problem's notice; a problem not in notice is
// not found, exactly like a missing one.
func (db *DB) FindClosureNotice(ctx context.Context, id int64) (*ducha.ClosureNotice, error) {
	ns, err := db.closureNotices(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, ducha.NotFound("公示")
	}
	return ns[0], nil
}

func (db *DB) closureNotices(ctx context.Context, id int64) ([]*ducha.ClosureNotice, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cond, args := ``, []any{}
	if id != 0 {
		cond, args = ` AND p.id = ?`, []any{id}
	}
	rows, err := tx.query(ctx, `SELECT `+problemColumns+` FROM problems p`+db.dialect.indexedBy("problems_publicity")+problemJoin+
		` WHERE p.status = 'publicity'`+cond+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("closure notices: %w", err)
	}
	var ps []*ducha.Problem
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rules, err := tx.campaignRules(ctx)
	if err != nil {
		return nil, err
	}
	out := []*ducha.ClosureNotice{}
	for _, p := range ps {
		pb := p.Closure.Publicity
		if pb == nil {
			continue
		}
		r := rules.of(p.CampaignID).rules
		n := &ducha.ClosureNotice{ProblemID: p.ID, Code: p.Code, Description: p.Description, Area: p.Area,
			LeadUnit: p.LeadUnit, Target: p.Target, Measures: p.Measures, Done: p.ClosureText,
			Publicity: *pb, Office: cmp.Or(r.PublicityOffice, ducha.DefaultPublicityOffice), Phone: r.PublicityPhone}
		for _, l := range p.Closure.Levels {
			n.Levels = append(n.Levels, ducha.LevelSignoff{Level: l.Level, At: l.At, Opinion: l.Opinion})
		}
		n.Publicity.Objections = nil // recorded objections are internal
		out = append(out, n)
	}
	// The newest notice first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
