package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"ducha"
)

// FindEnterprises lists enterprises whose name contains q, the ones with
// the most cases first. Counts cover what the user may see: a liaison sees
// only its own unit's cases in them.
func (db *DB) FindEnterprises(ctx context.Context, q string, limit int) ([]*ducha.Enterprise, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > ducha.MaxPerPage {
		limit = ducha.MaxPerPage
	}
	scope, scopeArgs := caseScopeOn(u, "m.case_id")
	pscope, pargs := scopeOf(u)
	// Each of the four counts takes the user's scope; a unit-scoped user
	// sees only the enterprises that come up in its own unit's work.
	var args []any
	for i := 0; i < 3; i++ {
		args = append(args, scopeArgs...)
	}
	args = append(args, pargs...)
	cond := ` WHERE 1 = 1`
	if q = strings.TrimSpace(q); q != "" {
		cond += ` AND e.name LIKE ?`
		args = append(args, "%"+strings.NewReplacer("%", "", "_", "").Replace(q)+"%")
	}
	if u.Role.UnitScoped() {
		cond += ` AND (e.id IN (SELECT m.enterprise_id FROM measures m WHERE m.removed_at IS NULL` + scope + `)
			OR e.name IN (SELECT p.subject FROM problems p WHERE 1 = 1` + pscope + `))`
		args = append(append(args, scopeArgs...), pargs...)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT e.id, e.name, e.credit_code, e.address, e.industry, e.created_at,
		(SELECT count(DISTINCT m.case_id) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL`+scope+`) AS cases,
		(SELECT count(*) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL`+scope+`),
		(SELECT COALESCE(sum(m.fine_fen), 0) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL`+scope+`),
		(SELECT count(*) FROM problems p WHERE p.subject = e.name`+pscope+`)
		FROM enterprises e`+cond+` ORDER BY cases DESC, e.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find enterprises: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Enterprise{}
	for rows.Next() {
		var e ducha.Enterprise
		var created string
		if err := rows.Scan(&e.ID, &e.Name, &e.CreditCode, &e.Address, &e.Industry, &created, &e.Cases, &e.Measures, &e.Fines, &e.Problems); err != nil {
			return nil, err
		}
		e.CreatedAt = ducha.ParseTime(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// FindEnterpriseRecord returns an enterprise with the cases and measures
// against it and the problems whose subject it is, as far as the user may
// see them.
func (db *DB) FindEnterpriseRecord(ctx context.Context, id int64) (*ducha.EnterpriseRecord, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var e ducha.Enterprise
	var created string
	err = tx.queryRow(ctx, `SELECT id, name, credit_code, address, industry, created_at FROM enterprises WHERE id = ?`, id).
		Scan(&e.ID, &e.Name, &e.CreditCode, &e.Address, &e.Industry, &created)
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("企业")
	} else if err != nil {
		return nil, fmt.Errorf("find enterprise: %w", err)
	}
	e.CreatedAt = ducha.ParseTime(created)
	rec := &ducha.EnterpriseRecord{Enterprise: &e, Cases: []*ducha.Case{}, Measures: []ducha.Measure{}, Problems: []*ducha.Problem{}}
	scope, args := caseScopeOf(u)
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id IN
		(SELECT case_id FROM measures WHERE enterprise_id = ? AND removed_at IS NULL)`+scope+` ORDER BY c.id`, append([]any{id}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("enterprise cases: %w", err)
	}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rec.Cases = append(rec.Cases, c)
	}
	rows.Close()
	if err := tx.attachCaseDetails(ctx, rec.Cases, true); err != nil {
		return nil, err
	}
	for _, c := range rec.Cases {
		for _, m := range c.Measures {
			if m.EnterpriseID == id {
				rec.Measures = append(rec.Measures, m)
				e.Fines += m.FineYuan
			}
		}
	}
	e.Cases, e.Measures = len(rec.Cases), len(rec.Measures)
	pscope, pargs := scopeOf(u)
	pcond, qargs := `p.subject = ?`, []any{e.Name}
	if e.CreditCode != "" {
		pcond, qargs = `(p.subject = ? OR p.subject_credit_code = ?)`, append(qargs, e.CreditCode)
	}
	rows, err = tx.query(ctx, `SELECT `+problemColumns+problemFrom+` WHERE `+pcond+pscope+` ORDER BY p.id`, append(qargs, pargs...)...)
	if err != nil {
		return nil, fmt.Errorf("enterprise problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			return nil, err
		}
		p.Derive(tx.today(), db.YellowDays())
		rec.Problems = append(rec.Problems, p)
	}
	e.Problems = len(rec.Problems)
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Another unit's enterprise is not found, like a missing one.
	if u.Role.UnitScoped() && len(rec.Cases) == 0 && len(rec.Problems) == 0 {
		return nil, ducha.NotFound("企业")
	}
	return rec, nil
}

// OpenProblemFromCase registers a ledger problem (source 信访交办) for a
// substantiated case, in one transaction with the link and an event on
// each side.
func (db *DB) OpenProblemFromCase(ctx context.Context, caseID int64, p *ducha.Problem) (*ducha.Problem, error) {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := tx.findCase(ctx, `c.id = ?`, caseID)
	if err != nil {
		return nil, err
	}
	if !ducha.Substantiated(c.Verdict) {
		return nil, ducha.Errorf(ducha.ECONFLICT, "只有经查属实或部分属实的交办件才能转入问题台账")
	}
	p.Source = "信访交办"
	if strings.TrimSpace(p.Description) == "" {
		p.Description = c.Text
	}
	if p.Area == "" {
		p.Area = c.Area
	}
	if len(p.Types) == 0 {
		p.Types, p.TypeDetail = c.Types, c.TypeDetail
	}
	if p.LeadUnit == "" && len(c.Units) > 0 {
		p.LeadUnit = c.Units[0]
	}
	if err := tx.resolveProblemUnits(ctx, p); err != nil {
		return nil, err
	}
	if err := tx.createProblem(ctx, p, "create"); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO case_problems (case_id, problem_id) VALUES (?, ?)`, c.ID, p.ID); err != nil {
		return nil, fmt.Errorf("link case and problem: %w", err)
	}
	if err := tx.appendEvent(ctx, "case", c.ID, "open_problem", p.Code, nil, nil); err != nil {
		return nil, err
	}
	if err := tx.appendEvent(ctx, "problem", p.ID, "link_case", c.AcceptanceNo, nil, nil); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	p.Cases = []string{c.AcceptanceNo}
	p.Derive(tx.today(), db.YellowDays())
	return p, nil
}
