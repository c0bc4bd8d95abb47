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
	var all []*ducha.Problem
	f := ducha.ProblemFilter{Ascending: true, SkipCount: true, Limit: ducha.MaxPerPage}
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
	return WriteLedger(w, title, org, asOf, all)
}
