package sheets

import (
	"context"
	"io"

	"ducha"
)

// LedgerTitle and LedgerOrg head an exported ledger unless told otherwise.
const (
	LedgerTitle = "中央生态环境保护督察问题整改台账"
	LedgerOrg   = "县保障中央环境保护督察协调联络组办公室"
)

// ExportLedger writes every problem the user in ctx may read, oldest first,
// as a ledger file. The store's unit scoping applies: a liaison exports
// only their unit's problems.
func ExportLedger(ctx context.Context, problems ducha.ProblemService, w io.Writer, title, org string, asOf ducha.Date) error {
	return ExportProblems(ctx, problems, ducha.ProblemFilter{}, w, title, org, asOf)
}

// ExportProblems writes the problems of filter f the user in ctx may read
// as a ledger file: all of them, whatever f's page, in f's order (Sort),
// else oldest first. The store's unit scoping applies.
func ExportProblems(ctx context.Context, problems ducha.ProblemService, f ducha.ProblemFilter, w io.Writer, title, org string, asOf ducha.Date) error {
	var all []*ducha.Problem
	sort, desc := f.Sort, f.Desc
	// Walked by key, oldest first, then put in the list's order: a sorted
	// list pages by offset, which costs more the deeper the page.
	f.Sort, f.Desc, f.Offset, f.BeforeID = "", false, 0, 0
	f.Ascending, f.SkipCount, f.Limit, f.AfterID = true, true, ducha.MaxPerPage, 0
	for {
		ps, _, err := problems.FindProblems(ctx, f)
		if err != nil {
			return err
		}
		all = append(all, ps...)
		if len(ps) < f.Limit {
			break
		}
		f.AfterID = ps[len(ps)-1].ID
	}
	ducha.SortProblems(all, sort, desc)
	return WriteLedger(w, title, org, asOf, all)
}
