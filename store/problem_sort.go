package store

import (
	"slices"
	"strconv"
	"strings"

	"ducha"
)

// problemOrder is the ORDER BY of a sorted ledger page (f.Sort) on problems
// p, with its arguments: the expression of a key from this file's table,
// never text from the request, and the id as the tie-break in the same
// direction. A missing value (no deadline, lead unit or percentage) sorts
// last either way, as ducha.SortProblems does.
func (db *DB) problemOrder(f ducha.ProblemFilter, today ducha.Date) (order string, args []any, err error) {
	if !slices.Contains(ducha.ProblemSorts, f.Sort) {
		return "", nil, ducha.FieldError("sort", "排序列“%s”无效", f.Sort)
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	var expr string
	nullable := false
	switch f.Sort {
	case ducha.SortCode, ducha.SortDesc, ducha.SortArea, ducha.SortSource, ducha.SortMode, ducha.SortPerson:
		expr = db.dialect.bytewise("p." + f.Sort)
	case ducha.SortLeadUnit:
		expr, nullable = db.dialect.bytewise("(SELECT su.name FROM units su WHERE su.id = p.lead_unit_id)"), true
	case ducha.SortDeadline:
		expr, nullable = "p.deadline", true
	case ducha.SortPercent:
		expr, nullable = "p.progress_percent", true
	case ducha.SortStatus:
		expr = statusRank
	case ducha.SortWarning:
		// As Problem.Derive: red when past the deadline, yellow within the
		// yellow days, else none; closed or without a deadline, none.
		expr = "(CASE WHEN p.status = 'closed' OR p.deadline IS NULL THEN 0 WHEN p.deadline < ? THEN 2 WHEN p.deadline <= ? THEN 1 ELSE 0 END)"
		args = []any{string(today), string(today.AddDays(db.YellowDays()))}
	}
	order = " ORDER BY " + expr + dir
	if nullable {
		order += " NULLS LAST"
	}
	return order + ", p.id" + dir, args, nil
}

// statusRank is a status's place in the workflow (ducha.StatusRank), as SQL.
var statusRank = func() string {
	var b strings.Builder
	b.WriteString("(CASE p.status")
	for _, s := range ducha.ProblemStatuses {
		b.WriteString(" WHEN '" + string(s) + "' THEN " + strconv.Itoa(ducha.StatusRank(s)))
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(ducha.ProblemStatuses)) + " END)")
	return b.String()
}()
