package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

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
	key       string // the column of the order, which keyset pages compare
	capped    bool   // count stops at ducha.SearchCountCap+1 (a search, not ExactCount)
	pageOrder string // the same order by p.id, for the page's problems
}

// openStatus is the condition that a problem is not closed. PostgreSQL
// is given the open statuses by name, so that its index on (status,
// deadline, id) answers a warning's page from the index alone (yellow and
// in progress: 4.7 → 0.9 ms at 1,000,000 problems); SQLite walks its
// deadline index instead (see problemQuery).
func (db *DB) openStatus() string {
	if db.dialect.name() == "sqlite" {
		return " AND p.status <> 'closed'"
	}
	return openStatusIn
}

// openStatusIn lists every status but closed, as SQL.
var openStatusIn = func() string {
	var b strings.Builder
	b.WriteString(" AND p.status IN (")
	n := 0
	for _, s := range ducha.ProblemStatuses {
		if s == ducha.StatusClosed {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + string(s) + "'")
		n++
	}
	b.WriteString(")")
	return b.String()
}()

// problemQuery builds the SQL of a problem filter, the user's unit scope
// always included.
//
// Every page is walked in the list's order (id descending) along an index
// and stopped at its limit: by a search, the search index; by a unit (the
// filter's or the user's scope) or a type, that index of problem_units or
// problem_types, the problem and the other filters checked for each row; a
// yellow warning, the deadline index (a few days of deadlines, sorted);
// else the problems themselves. A unit or type that does not drive is an
// EXISTS on its primary key, never a list of ids.
func (db *DB) problemQuery(u *ducha.User, today ducha.Date, f ducha.ProblemFilter) problemQuery {
	var w strings.Builder
	var args []any
	q := problemQuery{from: ` FROM problems p`}
	key := "p.id" // the column of the page's order and keys
	today = f.TodayOr(today)
	w.WriteString(" WHERE 1 = 1")

	units := []int64{}
	if u == nil {
		w.WriteString(" AND 1 = 0")
	} else if u.Role.UnitScoped() {
		units = append(units, u.UnitID)
	}
	if f.UnitID != 0 && !slices.Contains(units, f.UnitID) {
		units = append(units, f.UnitID)
	}
	toks := text.QueryTokens(f.Q)
	// SQLite's CROSS JOIN keeps the index that drives as the outer loop.
	join := " JOIN "
	if db.dialect.name() == "sqlite" {
		join = " CROSS JOIN "
	}
	drive := len(toks) == 0 && f.Warning != ducha.WarningYellow && f.ID == 0
	switch {
	case f.Warning == ducha.WarningYellow && len(toks) == 0 && db.dialect.name() == "sqlite":
		// The planner cannot know that a few days of deadlines are few.
		q.from = ` FROM problems p INDEXED BY problems_deadline`
	case drive && len(units) > 0:
		q.from = ` FROM problem_units du` + join + `problems p ON p.id = du.problem_id`
		w.WriteString(" AND du.unit_id = ?")
		args = append(args, units[0])
		units, key = units[1:], "du.problem_id"
	case drive && f.Type != "":
		q.from = ` FROM problem_types dt` + join + `problems p ON p.id = dt.problem_id`
		w.WriteString(" AND dt.type = ?")
		args = append(args, f.Type)
		f.Type, key = "", "dt.problem_id"
	}
	for _, id := range units {
		w.WriteString(" AND EXISTS (SELECT 1 FROM problem_units pu WHERE pu.problem_id = p.id AND pu.unit_id = ?)")
		args = append(args, id)
	}
	if f.Type != "" {
		w.WriteString(" AND EXISTS (SELECT 1 FROM problem_types pt WHERE pt.problem_id = p.id AND pt.type = ?)")
		args = append(args, f.Type)
	}
	if f.ID != 0 {
		w.WriteString(" AND p.id = ?")
		args = append(args, f.ID)
	}
	if f.Status != "" {
		w.WriteString(" AND p.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Area != "" {
		w.WriteString(" AND p.area = ?")
		args = append(args, f.Area)
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
			w.WriteString(" AND p.deadline < ?" + db.openStatus())
		} else {
			w.WriteString(" AND NOT (p.deadline IS NOT NULL AND p.deadline < ? AND p.status <> 'closed')")
		}
		args = append(args, string(today))
	}
	switch f.Warning {
	case ducha.WarningRed:
		w.WriteString(" AND p.deadline < ?" + db.openStatus())
		args = append(args, string(today))
	case ducha.WarningYellow:
		w.WriteString(" AND p.deadline >= ? AND p.deadline <= ?" + db.openStatus())
		args = append(args, string(today), string(today.AddDays(db.YellowDays())))
	case ducha.WarningNone:
		w.WriteString(" AND (p.deadline IS NULL OR p.deadline > ? OR p.status = 'closed')")
		args = append(args, string(today.AddDays(db.YellowDays())))
	}
	if f.NotAwaiting {
		w.WriteString(" AND p.awaiting_signoff = 0")
	}
	if f.Behind {
		// 未达到序时进度 on today: in progress, behind from today or earlier
		// (the partial index problems_behind).
		w.WriteString(" AND p.status = 'in_progress' AND p.behind_from IS NOT NULL AND p.behind_from <= ?")
		args = append(args, string(today))
	}
	filtered := len(args) > 0 || u == nil
	var s searchSQL
	if len(toks) > 0 {
		// A problem's area is among its search tokens: the search for the
		// area's words too walks only problems that name it (the area is
		// still checked), not every match of a common word.
		var also []string
		if f.Area != "" && wordsOnly(f.Area) {
			also = text.QueryTokens(f.Area)
		}
		s = db.dialect.searchAlso(problemSearch, toks, also)
		if s.drive != "" {
			q.from = s.drive // only when nothing else drives: see drive above
		} else {
			q.from += s.join
		}
		w.WriteString(" AND " + s.cond)
		args = append(args, s.args...)
		if s.key != "" {
			key = s.key
		}
	}
	// The count: all matches, whatever the page's key; of a search alone,
	// from its index only. A search's matches are counted up to one more
	// than the cap unless the exact total is asked for ("1,000+"), walking
	// the page's path, so that a common word does not make each page wait.
	q.count, q.countArgs = `SELECT count(*)`+q.from+w.String(), args
	if f.Behind && q.from == ` FROM problems p` && len(toks) == 0 && db.dialect.name() == "sqlite" {
		// The page walks the status index in the list's order; the count
		// is a range of the schedule's own partial index (at 1,000,000
		// problems with 300,000 behind: 0.48 s → 0.03 s).
		q.count = `SELECT count(*) FROM problems p` + db.dialect.indexedBy("problems_behind") + w.String()
	}
	if len(toks) > 0 && !filtered && s.countAll != "" {
		q.count, q.countArgs = s.countAll, s.args
	}
	if q.capped = len(toks) > 0 && !f.ExactCount; q.capped {
		q.count = `SELECT count(*) FROM (SELECT 1` + strings.TrimPrefix(q.count, `SELECT count(*)`) + fmt.Sprintf(` LIMIT %d) t`, ducha.SearchCountCap+1)
	}
	if f.AfterID != 0 {
		w.WriteString(" AND " + key + " > ?")
		args = append(args, f.AfterID)
	}
	if f.BeforeID != 0 {
		w.WriteString(" AND " + key + " < ?")
		args = append(args, f.BeforeID)
	}
	q.key, q.order, q.pageOrder = key, ` ORDER BY `+key+` DESC`, ` ORDER BY p.id DESC`
	if f.Ascending {
		q.order, q.pageOrder = ` ORDER BY `+key, ` ORDER BY p.id`
	}
	q.where, q.args = w.String(), args
	return q
}

// count returns how many problems q (of filter f) matches: from the
// counters when they answer f, else from the count cache when the ledger
// has not changed since it was counted; concurrent identical counts are
// computed once (countCache.do).
func (tx *Tx) count(ctx context.Context, q problemQuery, f ducha.ProblemFilter) (int, error) {
	if n, ok, err := tx.tallyCount(ctx, f); err != nil || ok {
		return n, err
	}
	version, err := tx.problemsVersion(ctx)
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
	if f.Offset < 0 || f.Offset > ducha.MaxOffset {
		return nil, 0, ducha.FieldError("page", "页码过大：请用after按上一页最后一个问题翻页")
	}
	q := db.problemQuery(u, ducha.Today(db.opts.Now()), f)
	var orderArgs []any
	if f.Sort != "" {
		// Another order than the list's own: pages by offset, bounded.
		if f.BeforeID != 0 || f.AfterID != 0 {
			return nil, 0, ducha.FieldError("after", "按“%s”排序时不能用after翻页，请用page", f.Sort)
		}
		if f.Offset > ducha.MaxSortOffset {
			return nil, 0, ducha.FieldError("page", "排序后最多可翻到第%d条，请缩小筛选范围或改用默认排序", ducha.MaxSortOffset)
		}
		if q.order, orderArgs, err = db.problemOrder(f, f.TodayOr(ducha.Today(db.opts.Now()))); err != nil {
			return nil, 0, err
		}
		q.pageOrder = q.order
	}
	// The page's ids first, along the index that drives (its rows are
	// narrow, and sorting a few days of deadlines sorts ids, not problems),
	// then their problems.
	page := `SELECT ` + problemColumns + ` FROM problems p` + problemJoin + ` WHERE p.id IN (SELECT ` + q.key + q.from + q.where + q.order +
		` LIMIT ? OFFSET ?)` + q.pageOrder
	db.prepare(ctx, q.count, page, problemsVersionQuery)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if !f.SkipCount {
		if total, err = tx.count(ctx, q, f); err != nil {
			return nil, 0, fmt.Errorf("count problems: %w", err)
		}
		// Nothing to walk for: a rare combination would otherwise walk its
		// driving index to the end to find no row.
		capped := q.capped && total > ducha.SearchCountCap
		if total == 0 || !capped && f.BeforeID == 0 && f.AfterID == 0 && f.Offset >= total {
			return []*ducha.Problem{}, total, nil
		}
	}
	args := append(append(slices.Clip(q.args), orderArgs...), f.Limit, f.Offset)
	rows, err := tx.query(ctx, page, append(args, orderArgs...)...)
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
		p.Derive(f.TodayOr(tx.today()), db.YellowDays())
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
	f.Today = today
	f.BeforeID, f.AfterID = 0, 0 // the numbers of the whole filter, as FindProblems' total
	if st, ok, err := tx.tallyStats(ctx, f); err != nil || ok {
		return st, err
	}
	q := db.problemQuery(tx.user, today, f)
	version, err := tx.problemsVersion(ctx)
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
		case ducha.StatusPublicity:
			st.Publicity = n
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

// wordsOnly reports whether s is letters and digits only: the search index
// keeps every rune of it (FTS5's unicode61 drops symbols, such as the CJK
// radicals of text copied from a PDF, and a phrase of them matches nothing).
func wordsOnly(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

// ProblemAreas lists the areas the problems the user may see name, in
// byte order, for the ledger's area filter. For the whole ledger the area
// index is walked from one area to the next (a seek per area: a DISTINCT
// read all 200,000 entries in 0.2 s); a unit's are those of its problems,
// through problem_units.
func (db *DB) ProblemAreas(ctx context.Context) ([]string, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	stmt, args := `WITH RECURSIVE a(area) AS (SELECT (SELECT min(area) FROM problems WHERE area > '')
		UNION ALL SELECT (SELECT min(p.area) FROM problems p WHERE p.area > a.area) FROM a WHERE a.area IS NOT NULL)
		SELECT area FROM a WHERE area IS NOT NULL`, []any{}
	if u.Role.UnitScoped() {
		stmt = `SELECT DISTINCT p.area FROM problem_units pu JOIN problems p ON p.id = pu.problem_id WHERE pu.unit_id = ? AND p.area <> ''`
		args = append(args, u.UnitID)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// A unit's areas from its counter rows, when they are built (on any
	// day: which areas a unit has does not move with the clock); the
	// join walks every problem of the unit (6 s for 224,000 of them).
	if _, _, built, err := tx.tallyDay(ctx); err != nil {
		return nil, err
	} else if built && u.Role.UnitScoped() {
		stmt = `SELECT DISTINCT area FROM problem_tally WHERE dims = ? AND unit_id = ? AND area <> '' AND n <> 0`
		args = []any{tallyUnit | tallyArea, u.UnitID}
	}
	rows, err := tx.query(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("problem areas: %w", err)
	}
	defer rows.Close()
	areas := []string{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("problem areas: %w", err)
		}
		areas = append(areas, a)
	}
	slices.Sort(areas) // bytewise, whatever the database's locale
	return areas, rows.Err()
}
