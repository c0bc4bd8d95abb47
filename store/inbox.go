package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"ducha"
)

// The inbox (待办). A unit's people (liaison and head) see their unit's
// notices to sign for and answer, its overdue and due-soon problems and
// cases, what was returned to it and the hand-overs it has not signed
// for. The coordinator (and an administrator) sees the answers to review,
// the rectifications to verify, the extensions to decide, the hand-overs
// no unit has signed for yet and the answered notices to close. Each kind
// lists its newest ducha.InboxPerKind and counts all of them, in one read
// snapshot. The problem counts come from the ledger's counters where they
// can (tally.go), the lists from indexes: a few indexed queries per kind,
// however large the ledger.
//
// Where the campaign asks for it (rules.head_signoff), a liaison's case
// answer and closure application wait for the unit head: the head sees
// them as to_signoff, and the coordinator sees neither until signed off.

// inboxQuery is one kind of to-do: its rows (id, title parts, due, at) in
// newest-first order, and its count.
type inboxQuery struct {
	kind  string
	item  string // ducha.ItemProblem, ducha.ItemCase or "notice"
	from  string // FROM … WHERE … (no ORDER BY)
	order string // the newest first
	args  []any
	note  string // what the item says beside its title (a return's reason), SQL; "" for nothing
}

// Inbox returns the caller's to-dos.
func (db *DB) Inbox(ctx context.Context, countOnly bool) (*ducha.Inbox, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	today := tx.today()
	soon := today.AddDays(db.YellowDays())
	out := &ducha.Inbox{Items: []ducha.InboxItem{}, Counts: map[string]int{}}
	var queries []inboxQuery
	openCase := `c.status IN ('assigned', 'investigating')`
	switch {
	case u.Role.UnitScoped():
		unit := u.UnitID
		unitCase := ` FROM cases c JOIN case_units cu ON cu.case_id = c.id AND cu.unit_id = ? WHERE `
		queries = []inboxQuery{
			{kind: ducha.InboxNotice, item: "notice", from: ` FROM notices n WHERE n.unit_id = ? AND n.status IN ('issued', 'signed')`,
				order: `n.id DESC`, args: []any{unit}},
			{kind: ducha.InboxReturned, item: ducha.ItemProblem, from: ` FROM problems p` + db.dialect.indexedBy("problems_returned") +
				` WHERE p.return_reason <> '' AND p.status = 'in_progress' AND EXISTS (SELECT 1 FROM problem_units pu WHERE pu.problem_id = p.id AND pu.unit_id = ?)`,
				order: `p.id DESC`, args: []any{unit}, note: `p.return_reason`},
			{kind: ducha.InboxReturned, item: ducha.ItemCase, from: unitCase + `c.status = 'investigating' AND (c.return_reason <> '' OR cu.return_reason <> '')`,
				order: `c.id DESC`, args: []any{unit}, note: `CASE WHEN cu.return_reason <> '' THEN cu.return_reason ELSE c.return_reason END`},
			{kind: ducha.InboxToSign, item: ducha.ItemCase, from: unitCase + openCase + ` AND cu.signed_at IS NULL`,
				order: `c.id DESC`, args: []any{unit}},
			{kind: ducha.InboxOverdue, item: ducha.ItemCase, from: unitCase + openCase + ` AND c.deadline < ?`,
				order: `c.id DESC`, args: []any{unit, string(today)}},
			{kind: ducha.InboxDueSoon, item: ducha.ItemCase, from: unitCase + openCase + ` AND c.deadline >= ? AND c.deadline <= ?`,
				order: `c.id DESC`, args: []any{unit, string(today), string(soon)}},
		}
		if u.Role == ducha.RoleUnitHead {
			queries = append(queries,
				inboxQuery{kind: ducha.InboxToSignoff, item: ducha.ItemProblem, from: ` FROM problems p` + db.dialect.indexedBy("problems_signoff") +
					` WHERE p.awaiting_signoff = 1 AND p.lead_unit_id = ?`, order: `p.id DESC`, args: []any{unit}},
				inboxQuery{kind: ducha.InboxToSignoff, item: ducha.ItemCase, from: unitCase + `cu.awaiting_signoff = 1`,
					order: `c.id DESC`, args: []any{unit}})
		}
		for _, w := range []ducha.Warning{ducha.WarningRed, ducha.WarningYellow} {
			kind := ducha.InboxOverdue
			if w == ducha.WarningYellow {
				kind = ducha.InboxDueSoon
			}
			if err := tx.inboxProblems(ctx, out, kind, ducha.ProblemFilter{UnitID: unit, Warning: w}, countOnly); err != nil {
				return nil, err
			}
		}
	case ducha.Can(u, ducha.PermVerify):
		queries = []inboxQuery{
			{kind: ducha.InboxNotice, item: "notice", from: ` FROM notices n WHERE n.status = 'answered'`, order: `n.id DESC`},
			{kind: ducha.InboxToReview, item: ducha.ItemCase, from: ` FROM cases c WHERE c.status = 'submitted'`, order: `c.id DESC`},
			{kind: ducha.InboxExtension, item: ducha.ItemProblem, from: ` FROM problems p` + db.dialect.indexedBy("problems_extension") + ` WHERE p.extension IS NOT NULL`, order: `p.id DESC`},
			{kind: ducha.InboxToSign, item: ducha.ItemCase, from: ` FROM cases c WHERE c.status = 'assigned' AND EXISTS
				(SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.signed_at IS NULL)`, order: `c.id DESC`},
		}
		// To verify: what is pending less what waits for a head's sign-off,
		// counted from the counters and the small sign-off index.
		st := ducha.StatusPendingVerification
		if err := tx.inboxProblems(ctx, out, ducha.InboxToVerify, ducha.ProblemFilter{Status: st}, true); err != nil {
			return nil, err
		}
		var waiting int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM problems p`+db.dialect.indexedBy("problems_signoff")+
			` WHERE p.awaiting_signoff = 1 AND p.status = 'pending_verification'`).Scan(&waiting); err != nil {
			return nil, fmt.Errorf("inbox to_verify: %w", err)
		}
		out.Counts[ducha.InboxToVerify] -= waiting
		if !countOnly && out.Counts[ducha.InboxToVerify] > 0 {
			// The newest, along the ledger's own path for the status.
			if err := tx.inboxProblemRows(ctx, out, ducha.InboxToVerify, ducha.ProblemFilter{Status: st, NotAwaiting: true}); err != nil {
				return nil, err
			}
		}
	}
	queries = append(queries, requestInbox(u, today, soon)...)
	for _, q := range queries {
		if err := tx.inboxQuery(ctx, out, q, countOnly); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out.Items, func(a, b ducha.InboxItem) int { return b.At.Compare(a.At) })
	for _, n := range out.Counts {
		out.Total += n
	}
	return out, nil
}

// inboxProblems adds the problems of a ledger filter, counted as the
// ledger counts them (its counters, when they are up to date).
func (tx *Tx) inboxProblems(ctx context.Context, out *ducha.Inbox, kind string, f ducha.ProblemFilter, countOnly bool) error {
	f.Limit = ducha.InboxPerKind
	today := tx.today()
	q := tx.db.problemQuery(tx.user, today, f)
	n, err := tx.count(ctx, q, f)
	if err != nil {
		return fmt.Errorf("inbox %s: %w", kind, err)
	}
	out.Counts[kind] += n
	if countOnly || n == 0 {
		return nil
	}
	return tx.inboxProblemRows(ctx, out, kind, f)
}

// inboxProblemRows adds the newest problems of a ledger filter.
func (tx *Tx) inboxProblemRows(ctx context.Context, out *ducha.Inbox, kind string, f ducha.ProblemFilter) error {
	f.Limit = ducha.InboxPerKind
	q := tx.db.problemQuery(tx.user, tx.today(), f)
	rows, err := tx.query(ctx, `SELECT p.id, p.code, p.description, COALESCE(p.deadline, ''), p.updated_at, '' FROM problems p
		WHERE p.id IN (SELECT `+q.key+q.from+q.where+q.order+` LIMIT ?) ORDER BY p.id DESC`, append(q.args, ducha.InboxPerKind)...)
	if err != nil {
		return fmt.Errorf("inbox %s: %w", kind, err)
	}
	defer rows.Close()
	return scanInbox(rows, out, kind, ducha.ItemProblem)
}

// inboxQuery adds one kind of to-do.
func (tx *Tx) inboxQuery(ctx context.Context, out *ducha.Inbox, q inboxQuery, countOnly bool) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*)`+q.from, q.args...).Scan(&n); err != nil {
		return fmt.Errorf("inbox %s: %w", q.kind, err)
	}
	out.Counts[q.kind] += n
	if countOnly || n == 0 {
		return nil
	}
	return tx.inboxList(ctx, out, q)
}

// inboxList adds the newest of one kind of to-do.
func (tx *Tx) inboxList(ctx context.Context, out *ducha.Inbox, q inboxQuery) error {
	var cols string
	switch q.item {
	case ducha.ItemProblem:
		cols = `p.id, p.code, p.description, COALESCE(p.deadline, ''), p.updated_at`
	case ducha.ItemCase:
		cols = `c.id, c.acceptance_no, c.text, COALESCE(c.deadline, ''), c.updated_at`
	case inboxRequest:
		cols = `r.id, r.no, r.item, r.due, CASE WHEN r.status = 'supplied' THEN r.supplied_at ELSE COALESCE(r.checked_at, r.created_at) END`
	default:
		cols = `n.id, n.no, n.text, n.due, n.issued_at`
	}
	note := cmp.Or(q.note, `''`)
	rows, err := tx.query(ctx, `SELECT `+cols+`, `+note+q.from+` ORDER BY `+q.order+` LIMIT ?`, append(q.args, ducha.InboxPerKind)...)
	if err != nil {
		return fmt.Errorf("inbox %s: %w", q.kind, err)
	}
	defer rows.Close()
	return scanInbox(rows, out, q.kind, q.item)
}

func scanInbox(rows *sql.Rows, out *ducha.Inbox, kind, item string) error {
	for rows.Next() {
		var id int64
		var code, text, due, at, note string
		if err := rows.Scan(&id, &code, &text, &due, &at, &note); err != nil {
			return fmt.Errorf("inbox %s: %w", kind, err)
		}
		it := ducha.InboxItem{Kind: kind, Due: ducha.Date(due), At: ducha.ParseTime(at), Note: note}
		switch item {
		case ducha.ItemProblem:
			it.ProblemID, it.Title = id, itemTitle(code, text)
		case ducha.ItemCase:
			it.CaseID, it.Title = id, itemTitle(code, text)
		case inboxRequest:
			it.RequestID, it.Title = id, itemTitle("调阅清单第"+code+"项", text)
		default:
			it.NoticeID, it.Title = id, cmp.Or(code, text)
		}
		out.Items = append(out.Items, it)
	}
	return rows.Err()
}

// inboxRequest is the item kind of the document request list's to-dos.
const inboxRequest = "request"

// requestInbox is the document request list's part of the inbox (调阅清单):
// for a unit, its items to supply, and of those the ones due soon or
// overdue; for the coordinator, the supplied items to check. An item's
// time is its creation, or its return (the check that sent it back).
func requestInbox(u *ducha.User, today, soon ducha.Date) []inboxQuery {
	switch {
	case u.Role.UnitScoped():
		open := ` FROM doc_requests r WHERE r.unit_id = ? AND r.status = 'requested'`
		return []inboxQuery{
			{kind: ducha.InboxToSupply, item: inboxRequest, from: open, order: `r.no DESC`, args: []any{u.UnitID}},
			{kind: ducha.InboxOverdue, item: inboxRequest, from: open + ` AND r.due < ?`, order: `r.no DESC`,
				args: []any{u.UnitID, string(today)}},
			{kind: ducha.InboxDueSoon, item: inboxRequest, from: open + ` AND r.due >= ? AND r.due <= ?`, order: `r.no DESC`,
				args: []any{u.UnitID, string(today), string(soon)}},
		}
	case ducha.Can(u, ducha.PermVerify):
		return []inboxQuery{{kind: ducha.InboxToCheck, item: inboxRequest,
			from: ` FROM doc_requests r WHERE r.status = 'supplied'`, order: `r.no DESC`}}
	}
	return nil
}
