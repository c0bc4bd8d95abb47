package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/text"
)

// Supervision notices (督办单). Every transaction that writes notices takes
// the audit chain's head first (loadChain), before it reads or writes a
// notice or a counter: on PostgreSQL the writers of notices then wait for
// each other at one row and in one order, so two passes (or a pass and a
// unit signing for a notice) never deadlock, and what one committed is
// seen by the next one's checks. The unique key on (item_kind, item_id,
// kind) still guarantees "once per item and level" on its own.

const noticeColumns = `n.id, n.no, n.kind, n.item_kind, n.item_id, n.unit_id, u.name, n.text, n.reason,
	n.issued_at, n.issued_by, COALESCE(ib.username, ''), n.issued_on, n.due, n.status,
	n.signed_at, COALESCE(sb.username, ''), n.answer, n.answered_at, COALESCE(ab.username, ''),
	n.closed_at, COALESCE(cb.username, ''), n.close_note, n.version`

// noticeFrom brings in the unit's name and the usernames of the people
// who issued, signed, answered and closed the notice.
const noticeFrom = ` FROM notices n JOIN units u ON u.id = n.unit_id
	LEFT JOIN users ib ON ib.id = n.issued_by LEFT JOIN users sb ON sb.id = n.signed_by
	LEFT JOIN users ab ON ab.id = n.answered_by LEFT JOIN users cb ON cb.id = n.closed_by`

func scanNotice(row interface{ Scan(...any) error }) (*ducha.Notice, error) {
	var n ducha.Notice
	var itemKind, issuedAt, issuer string
	var itemID int64
	var issuedBy sql.NullInt64
	var signedAt, answeredAt, closedAt sql.NullString
	err := row.Scan(&n.ID, &n.No, &n.Kind, &itemKind, &itemID, &n.UnitID, &n.Unit, &n.Text, &n.Reason,
		&issuedAt, &issuedBy, &issuer, &n.IssuedOn, &n.Due, &n.Status,
		&signedAt, &n.SignedBy, &n.Answer, &answeredAt, &n.AnsweredBy,
		&closedAt, &n.ClosedBy, &n.CloseNote, &n.Version)
	if err != nil {
		return nil, err
	}
	if itemKind == ducha.ItemCase {
		n.CaseID = itemID
	} else {
		n.ProblemID = itemID
	}
	n.IssuedAt = ducha.ParseTime(issuedAt)
	n.IssuedBy = ducha.NoticeByRules
	if issuedBy.Valid {
		n.IssuedBy = issuer
	}
	n.SignedAt, n.AnsweredAt, n.ClosedAt = timePtr(signedAt), timePtr(answeredAt), timePtr(closedAt)
	return &n, nil
}

// noticeScope keeps unit-scoped users to their own unit's notices, in a
// query over notices n.
func noticeScope(u *ducha.User) (string, []any) { return unitColumnScope(u, "n.unit_id") }

// findNotice loads one notice the user may see; another unit's notice is
// not found, exactly like a missing one.
func (tx *Tx) findNotice(ctx context.Context, id int64) (*ducha.Notice, error) {
	scope, args := noticeScope(tx.user)
	return tx.findNoticeIn(ctx, id, scope, args)
}

// findNoticeIn loads one notice within a scope ("" for none: what a
// change of its item does to it, whoever made the change).
func (tx *Tx) findNoticeIn(ctx context.Context, id int64, scope string, args []any) (*ducha.Notice, error) {
	n, err := scanNotice(tx.queryRow(ctx, `SELECT `+noticeColumns+noticeFrom+` WHERE n.id = ?`+scope, append([]any{id}, args...)...))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("督办单")
	} else if err != nil {
		return nil, fmt.Errorf("find notice %d: %w", id, err)
	}
	return n, nil
}

// FindNoticeByID returns one notice.
func (db *DB) FindNoticeByID(ctx context.Context, id int64) (*ducha.Notice, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findNotice(ctx, id)
}

// FindNoticeEvents returns a notice's history to whoever may read it.
func (db *DB) FindNoticeEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findNotice(ctx, id); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "notice", id)
}

// FindNotices returns a page of the notices the user may see, in the
// filter's order (newest first by default), and the count of all that
// match.
func (db *DB) FindNotices(ctx context.Context, f ducha.NoticeFilter) ([]*ducha.Notice, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Status != "" && !slices.Contains(ducha.NoticeStatuses, f.Status) {
		return nil, 0, ducha.FieldError("status", "督办单状态“%s”无效，应为 issued、signed、answered 或 closed", f.Status)
	}
	if f.Kind != "" && f.Kind.Level() == 0 {
		return nil, 0, ducha.FieldError("kind", "督办类型“%s”无效，应为 reminder、supervision 或 listed", f.Kind)
	}
	order, err := db.noticeOrder(f.Sort, f.Desc)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	var w strings.Builder
	w.WriteString(" WHERE 1 = 1")
	scope, args := noticeScope(u)
	w.WriteString(scope)
	add := func(cond string, arg ...any) {
		w.WriteString(cond)
		args = append(args, arg...)
	}
	if f.Status != "" {
		add(" AND n.status = ?", string(f.Status))
	}
	if f.Kind != "" {
		add(" AND n.kind = ?", string(f.Kind))
	}
	if f.UnitID != 0 {
		add(" AND n.unit_id = ?", f.UnitID)
	}
	if f.ProblemID != 0 {
		add(" AND n.item_kind = ? AND n.item_id = ?", ducha.ItemProblem, f.ProblemID)
	}
	if f.CaseID != 0 {
		add(" AND n.item_kind = ? AND n.item_id = ?", ducha.ItemCase, f.CaseID)
	}
	if f.Overdue != nil {
		// ducha.Notice.Overdue as of the store's today: still owed an
		// answer and due before today.
		overdue := "n.status IN ('issued', 'signed') AND n.due <> '' AND n.due < ?"
		if *f.Overdue {
			add(" AND "+overdue, string(ducha.Today(db.opts.Now())))
		} else {
			add(" AND NOT ("+overdue+")", string(ducha.Today(db.opts.Now())))
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// A LIKE over a table of at most some ten thousand rows a year;
		// lower() on both sides, as SQLite's LIKE ignores the case of
		// Latin letters and PostgreSQL's does not. The engine lowers the
		// search too: SQLite's lower() changes ASCII only, and a search
		// lowered in Go (ＶＯＣｓ to ｖｏｃｓ, Ä to ä) missed the very text
		// it was typed from. A search in traditional characters matches
		// the simplified text the forms and rules write, and the other way
		// round.
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
		like := "%" + esc.Replace(q) + "%"
		simple := "%" + esc.Replace(text.Clean(q)) + "%"
		add(` AND (lower(n.no) LIKE lower(CAST(? AS TEXT)) ESCAPE '\' OR lower(n.text) LIKE lower(CAST(? AS TEXT)) ESCAPE '\'`+
			` OR lower(n.text) LIKE lower(CAST(? AS TEXT)) ESCAPE '\')`, like, like, simple)
	}
	where := w.String()
	page := `SELECT ` + noticeColumns + noticeFrom + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	count := `SELECT count(*) FROM notices n` + where
	db.prepare(ctx, page, count)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notices: %w", err)
	}
	rows, err := tx.query(ctx, page, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find notices: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find notices: %w", err)
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// noticeSortColumns is the SQL each of ducha.NoticeSorts sorts by, most
// significant first. Only these reach the query: a sort is never written
// into SQL from the request. A number (清督办〔2026〕12号) sorts by its
// kind, its year and then its sequence, which within a kind and year is
// the number's length and then its text (12号 after 9号); numbers and
// unit names compare by their bytes on both engines (bytewise); kinds and
// statuses sort in their order, not by their English names.
func (db *DB) noticeSortColumns(sort string) ([]string, bool) {
	const kind = "CASE n.kind WHEN 'reminder' THEN 1 WHEN 'supervision' THEN 2 ELSE 3 END"
	switch sort {
	case "no":
		return []string{kind, "substr(n.issued_on, 1, 4)", "length(n.no)", db.dialect.bytewise("n.no")}, true
	case "kind":
		return []string{kind}, true
	case "unit":
		return []string{db.dialect.bytewise("u.name")}, true
	case "item":
		return []string{"CASE n.item_kind WHEN 'problem' THEN 0 ELSE 1 END", "n.item_id"}, true
	case "issued_on":
		return []string{"n.issued_on"}, true
	case "due":
		return []string{"n.due"}, true
	case "status":
		return []string{"CASE n.status WHEN 'issued' THEN 0 WHEN 'signed' THEN 1 WHEN 'answered' THEN 2 ELSE 3 END"}, true
	}
	return nil, false
}

// noticeOrder is the ORDER BY of a notice list: the columns of the sort
// asked for, ties broken on id, all in the same direction; without one,
// the newest first.
func (db *DB) noticeOrder(sort string, desc bool) (string, error) {
	if sort == "" {
		return "n.id DESC", nil
	}
	cols, ok := db.noticeSortColumns(sort)
	if !ok {
		return "", ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", sort, strings.Join(ducha.NoticeSorts, "、"))
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(c + dir + ", ")
	}
	return b.String() + "n.id" + dir, nil
}

// IssueNotice issues a notice by hand: the coordinator names the kind, the
// problem or the case, the text and optionally the due date (else the
// item's campaign's answer days from today). The unit is the item's. A
// second notice of the same item and kind is refused, whoever issued the
// first.
func (db *DB) IssueNotice(ctx context.Context, n *ducha.Notice) error {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	today := tx.today()
	if err := n.ValidateNew(today); err != nil {
		return err
	}
	if err := tx.loadChain(ctx); err != nil { // the notice writers' lock: see the top of this file
		return err
	}
	kind, id := n.Item()
	w := noticeWording(kind)
	it, found, err := tx.supervisedItem(ctx, kind, id)
	if err != nil {
		return err
	}
	if !found {
		return ducha.FieldError(kind, "%s%d不存在", w.noun, id)
	}
	if it.Closed {
		return ducha.FieldError(kind, "该%s已%s，不能下发督办单", w.noun, w.closed)
	}
	if it.UnitID == 0 {
		return ducha.FieldError(kind, "该%s尚未确定%s，不能下发督办单", w.noun, w.unit)
	}
	have, err := tx.itemNotices(ctx, kind, id)
	if err != nil {
		return err
	}
	if no, ok := have[n.Kind]; ok {
		return ducha.FieldError("kind", "该%s已有督办单（%s），同一级别（%s）不能重复下发", w.noun, no, n.Kind.Label())
	}
	rules, err := tx.campaignRules(ctx)
	if err != nil {
		return err
	}
	if !n.Due.Valid() {
		rs := rules.of(it.campaignID)
		n.Due = rs.rules.AddDays(rs.cal, today, rs.rules.AnswerDays)
	}
	n.ID, n.No, n.UnitID, n.Unit, n.Reason = 0, "", it.UnitID, it.unit, ""
	n.IssuedAt, n.IssuedOn, n.IssuedBy, n.Status, n.Version = tx.now, today, tx.user.Username, ducha.NoticeIssued, 1
	n.SignedAt, n.AnsweredAt, n.ClosedAt, n.Answer, n.CloseNote = nil, nil, nil, "", ""
	n.SignedBy, n.AnsweredBy, n.ClosedBy = "", "", ""
	issuer := userID(tx.user)
	if !issuer.Valid {
		// The system account has no row to point at: its notices read as
		// the rules', which is what the CLI's account issues.
		n.IssuedBy = ducha.NoticeByRules
	}
	inserted, err := tx.insertNotice(ctx, n, issuer)
	if err != nil {
		return err
	}
	if !inserted {
		// Cannot happen under the chain head's lock; the unique key says so
		// if it does, and the whole transaction (its number too) goes.
		return ducha.FieldError("kind", "该%s已有督办单，同一级别（%s）不能重复下发", w.noun, n.Kind.Label())
	}
	return tx.commit(ctx)
}

// ActOnNotice runs one notice action (ducha.ApplyNoticeAction) with its
// event. Version 0 acts on the notice as it is; another version must be
// the notice's.
func (db *DB) ActOnNotice(ctx context.Context, id int64, action string, version int, text string) (*ducha.Notice, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.loadChain(ctx); err != nil { // the notice writers' lock: see the top of this file
		return nil, err
	}
	before, err := tx.findNotice(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && before.Version != version {
		return nil, ducha.Conflict()
	}
	n := *before
	if err := ducha.ApplyNoticeAction(&n, action, text, u, tx.now); err != nil {
		return nil, err
	}
	note := ""
	if action != ducha.NoticeActSign {
		note = strings.TrimSpace(text)
	}
	if err := tx.saveNotice(ctx, before, &n, userID(u), action, note); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &n, nil
}

// saveNotice writes what an action changed of n if its version is still
// before's, and the event. by is who signed, answered or closed it in this
// change (NULL: the pass, or the system account); each is written once.
func (tx *Tx) saveNotice(ctx context.Context, before, n *ducha.Notice, by sql.NullInt64, action, note string) error {
	set := func(was, is *time.Time) sql.NullInt64 {
		if was == nil && is != nil {
			return by
		}
		return sql.NullInt64{}
	}
	n.Version = before.Version + 1
	res, err := tx.exec(ctx, `UPDATE notices SET status = ?, signed_at = ?, signed_by = COALESCE(signed_by, ?),
		answer = ?, answered_at = ?, answered_by = COALESCE(answered_by, ?),
		closed_at = ?, closed_by = COALESCE(closed_by, ?), close_note = ?, version = ?
		WHERE id = ? AND version = ?`,
		string(n.Status), nullTime(n.SignedAt), set(before.SignedAt, n.SignedAt),
		n.Answer, nullTime(n.AnsweredAt), set(before.AnsweredAt, n.AnsweredAt),
		nullTime(n.ClosedAt), set(before.ClosedAt, n.ClosedAt), n.CloseNote, n.Version,
		n.ID, before.Version)
	if err != nil {
		return fmt.Errorf("update notice %d: %w", n.ID, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return ducha.Conflict()
	}
	b, a := ducha.Diff(before, n)
	return tx.appendEvent(ctx, "notice", n.ID, action, note, b, a)
}

// insertNotice numbers n and inserts it with its event, unless the item
// already has a notice of its kind; inserted says which.
//
// Numbers have no gaps: the number is taken from the counter first (the
// counter `notice-<kind>-<year>`, addToCounter), then the
// notice is inserted with ON CONFLICT (item_kind, item_id, kind) DO
// NOTHING. Should that do nothing (a notice issued meanwhile by a writer
// this store's lock does not cover), the number is given back: this
// transaction has held the counter's row since it moved it, so no later
// number can have been taken, and the decrement leaves the counter as it
// was. A placeholder number or a savepoint would cost a statement for
// every notice; this costs one only on a conflict, which the checks made
// under the chain head's lock leave all but impossible.
func (tx *Tx) insertNotice(ctx context.Context, n *ducha.Notice, issuer sql.NullInt64) (bool, error) {
	year, err := strconv.Atoi(string(n.IssuedOn[:4]))
	if err != nil {
		return false, fmt.Errorf("notice year of %q: %w", n.IssuedOn, err)
	}
	counter := "notice-" + string(n.Kind) + "-" + strconv.Itoa(year)
	seq, err := tx.addToCounter(ctx, counter, 1)
	if err != nil {
		return false, fmt.Errorf("notice number: %w", err)
	}
	n.No = ducha.NoticeNo(tx.db.opts.NoticePrefix, n.Kind, year, int(seq))
	kind, item := n.Item()
	err = tx.queryRow(ctx, `INSERT INTO notices (no, kind, item_kind, item_id, unit_id, text, reason, issued_at, issued_by,
		issued_on, due, status, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (item_kind, item_id, kind) DO NOTHING RETURNING id`,
		n.No, string(n.Kind), kind, item, n.UnitID, n.Text, n.Reason, ducha.FormatTime(n.IssuedAt), issuer,
		string(n.IssuedOn), string(n.Due), string(n.Status)).Scan(&n.ID)
	if err == sql.ErrNoRows {
		if _, err := tx.exec(ctx, `UPDATE counters SET value = value - 1 WHERE name = ? AND value = ?`, counter, seq); err != nil {
			return false, fmt.Errorf("notice number: %w", err)
		}
		n.No = ""
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("insert notice: %w", err)
	}
	_, after := ducha.Diff(nil, n)
	if err := tx.appendEvent(ctx, "notice", n.ID, "issue", n.Reason, nil, after); err != nil {
		return false, err
	}
	return true, tx.notifyNotice(ctx, n)
}

// itemNotices returns the numbers of an item's notices by kind.
func (tx *Tx) itemNotices(ctx context.Context, kind string, id int64) (map[ducha.NoticeKind]string, error) {
	rows, err := tx.query(ctx, `SELECT kind, no FROM notices WHERE item_kind = ? AND item_id = ?`, kind, id)
	if err != nil {
		return nil, fmt.Errorf("item notices: %w", err)
	}
	defer rows.Close()
	out := map[ducha.NoticeKind]string{}
	for rows.Next() {
		var k ducha.NoticeKind
		var no string
		if err := rows.Scan(&k, &no); err != nil {
			return nil, err
		}
		out[k] = no
	}
	return out, rows.Err()
}

// userID is u's id as the notices' person columns keep it: NULL for the
// system account, which has no row in users.
func userID(u *ducha.User) sql.NullInt64 {
	if u == nil || u.ID == 0 {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: u.ID, Valid: true}
}

// itemWording is how messages about a notice's item name it.
type itemWording struct {
	noun, closed, unit string
}

func noticeWording(kind string) itemWording {
	if kind == ducha.ItemCase {
		return itemWording{"交办件", "办结", "承办单位"}
	}
	return itemWording{"问题", "销号", "牵头单位"}
}
