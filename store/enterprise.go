package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/text"
)

// FindEnterprises lists enterprises whose name contains q, the ones with
// the most cases first. Counts cover what the user may see: a liaison sees
// only its own unit's cases in them. It counts nothing beyond the page.
func (db *DB) FindEnterprises(ctx context.Context, q string, limit int) ([]*ducha.Enterprise, error) {
	es, _, err := db.filterEnterprises(ctx, ducha.EnterpriseFilter{Q: q, Limit: limit}, false)
	return es, err
}

// FilterEnterprises lists a page of the enterprises of filter f, as
// FindEnterprises, and counts all that match in the same snapshot.
func (db *DB) FilterEnterprises(ctx context.Context, f ducha.EnterpriseFilter) ([]*ducha.Enterprise, int, error) {
	return db.filterEnterprises(ctx, f, true)
}

// enterpriseOrders are the ORDER BY of each enterprise sort key, on the
// list's columns (t): the only SQL a sort adds.
var enterpriseOrders = map[string]string{
	"name": "t.name", "cases": "t.cases", "measures": "t.measures", "fines": "t.fines", "problems": "t.problems",
}

// enterpriseCount is one counted column of the enterprise list: a
// subquery on the enterprise e in the user's scope, and the scope's
// arguments.
type enterpriseCount struct {
	sql  string
	args []any
}

func (db *DB) filterEnterprises(ctx context.Context, f ducha.EnterpriseFilter, count bool) ([]*ducha.Enterprise, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	limit, q := f.Limit, f.Q
	if limit <= 0 || limit > ducha.MaxPerPage {
		limit = ducha.MaxPerPage
	}
	order := ` ORDER BY t.cases DESC, t.id`
	if f.Sort != "" {
		col, ok := enterpriseOrders[f.Sort]
		if !ok {
			return nil, 0, ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", f.Sort, strings.Join(ducha.EnterpriseSorts, "、"))
		}
		if f.Sort == "name" {
			col = db.dialect.bytewise(col)
		}
		dir := " ASC"
		if f.Desc {
			dir = " DESC"
		}
		order = ` ORDER BY ` + col + dir + `, t.id` + dir
	}
	if f.Industry != "" && !slices.Contains(ducha.Industries, f.Industry) {
		return nil, 0, ducha.FieldError("industry", "行业“%s”无效，应为%s之一", f.Industry, strings.Join(ducha.Industries, "、"))
	}
	scope, scopeArgs := caseScopeOn(u, "m.case_id")
	pscope, pargs := rowScopeOf(u) // per enterprise: its few problems, by the subject index
	// Each of the four counts takes the user's scope; a unit-scoped user
	// sees only the enterprises that come up in its own unit's work.
	cases := enterpriseCount{`(SELECT count(DISTINCT m.case_id) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL` + scope + `) AS cases`, scopeArgs}
	measures := enterpriseCount{`(SELECT count(*) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL` + scope + `) AS measures`, scopeArgs}
	fines := enterpriseCount{`(SELECT COALESCE(sum(m.fine_fen), 0) FROM measures m WHERE m.enterprise_id = e.id AND m.removed_at IS NULL` + scope + `) AS fines`, scopeArgs}
	problems := enterpriseCount{`(SELECT count(*) FROM problems p WHERE p.subject = e.name` + pscope + `) AS problems`, pargs}
	cond, condArgs := ` WHERE 1 = 1`, []any{}
	// Names are kept as imports clean them (simplified, half-width): a
	// search typed in traditional characters finds them too.
	if q = text.Clean(strings.TrimSpace(q)); q != "" {
		cond += ` AND e.name LIKE ?`
		condArgs = append(condArgs, "%"+strings.NewReplacer("%", "", "_", "").Replace(q)+"%")
	}
	if f.Industry != "" {
		cond += ` AND e.industry = ?`
		condArgs = append(condArgs, f.Industry)
	}
	if u.Role.UnitScoped() {
		cond += ` AND (e.id IN (SELECT m.enterprise_id FROM measures m WHERE m.removed_at IS NULL` + scope + `)
			OR EXISTS (SELECT 1 FROM problems p WHERE p.subject = e.name` + pscope + `))`
		condArgs = append(append(condArgs, scopeArgs...), pargs...)
	}
	// The counts are columns of a derived table, so that the outer query
	// filters and sorts by them.
	derived := func(cols string, counts ...enterpriseCount) (string, []any) {
		var args []any
		for _, c := range counts {
			cols += `, ` + c.sql
			args = append(args, c.args...)
		}
		return `(SELECT ` + cols + ` FROM enterprises e` + cond + `) t`, append(args, condArgs...)
	}
	outer := ` WHERE 1 = 1`
	if f.Repeat {
		outer += ` AND t.cases >= ` + strconv.Itoa(ducha.RepeatCases)
	}
	if f.Fined {
		outer += ` AND t.fines > 0`
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	total := 0
	if count {
		// The count computes only the counts the outer filter reads: a
		// plain count of the enterprises unless repeat or fined is asked.
		var need []enterpriseCount
		if f.Repeat {
			need = append(need, cases)
		}
		if f.Fined {
			need = append(need, fines)
		}
		from, args := derived(`e.id`, need...)
		if err := tx.queryRow(ctx, `SELECT count(*) FROM `+from+outer, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count enterprises: %w", err)
		}
	}
	from, args := derived(`e.id, e.name, e.credit_code, e.address, e.industry, e.created_at`, cases, measures, fines, problems)
	rows, err := tx.query(ctx, `SELECT t.id, t.name, t.credit_code, t.address, t.industry, t.created_at, t.cases, t.measures, t.fines, t.problems
		FROM `+from+outer+order+` LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find enterprises: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Enterprise{}
	for rows.Next() {
		var e ducha.Enterprise
		var created string
		if err := rows.Scan(&e.ID, &e.Name, &e.CreditCode, &e.Address, &e.Industry, &created, &e.Cases, &e.Measures, &e.Fines, &e.Problems); err != nil {
			return nil, 0, err
		}
		e.CreatedAt = ducha.ParseTime(created)
		out = append(out, &e)
	}
	return out, total, rows.Err()
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
	pscope, pargs := rowScopeOf(u)
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
