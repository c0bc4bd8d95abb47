package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"ducha"
)

// ImportBatch stores a numbered batch of plain rows (no window, no
// results): ImportCaseBatch.
func (db *DB) ImportBatch(ctx context.Context, number int, date ducha.Date, fileName string, rows []ducha.BatchRow) (*ducha.BatchResult, error) {
	return db.ImportCaseBatch(ctx, &ducha.BatchImport{Number: number, Date: date, FileName: fileName, Rows: rows})
}

// ImportCaseBatch stores a numbered batch of cases, all or nothing.
//
//   - A row whose acceptance number is already known, from an earlier
//     batch or an earlier row of this one, is logged as a duplicate of that
//     case (batch_duplicates) and not counted again.
//   - A row marked 重复件 (BatchRow.LinkKind) with a number of its own is
//     kept as its own case with duplicate_of set to the first case, and
//     counted among the duplicates, not the cases; a 补充办理件 is a case
//     of its own with supplement_of set. A mark whose number is not found
//     leaves a plain case and a note.
//   - A table brought in with results (AsKept) needs the verify permission;
//     its cases are known from the batch's date and stand in the state their
//     results say from the result date (see applyResults).
//
// The same batch imported again with the same cases changes nothing
// (Unchanged) unless ConfirmMeasures stores the proposals of cases that
// have no measures yet; with other cases it is refused.
func (db *DB) ImportCaseBatch(ctx context.Context, in *ducha.BatchImport) (*ducha.BatchResult, error) {
	u, err := ducha.Require(ctx, ducha.PermRegister)
	if err != nil {
		return nil, err
	}
	if in.AsKept {
		if _, err := ducha.Require(ctx, ducha.PermVerify); err != nil {
			return nil, err
		}
	}
	if in.Number <= 0 {
		return nil, ducha.FieldError("batch", "批次号必须是正整数")
	}
	if in.Date == "" {
		return nil, ducha.FieldError("date", "缺少交办日期")
	}
	if !in.Date.Valid() {
		return nil, ducha.FieldError("date", "交办日期“%s”无效，应写作2026-12-09", in.Date)
	}
	if len(in.Rows) == 0 {
		return nil, ducha.Errorf(ducha.EINVALID, "文件中没有交办件")
	}
	if (in.WindowFrom == nil) != (in.WindowTo == nil) || in.WindowFrom != nil && !in.WindowTo.After(*in.WindowFrom) {
		return nil, ducha.FieldError("window", "批次的受理时段无效：结束时间须晚于开始时间")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := checkKeptDates(in, ducha.Today(tx.now)); err != nil {
		return nil, err
	}
	var campaignID sql.NullInt64
	camp, err := tx.currentCampaign(ctx)
	if err == nil {
		campaignID = sql.NullInt64{Int64: camp.ID, Valid: true}
	} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
		return nil, err
	}
	imp := &batchImport{tx: tx, in: in, campaign: camp, res: newBatchResult()}
	if same, err := tx.sameBatch(ctx, campaignID, in.Number, in.Rows); err != nil {
		return nil, err
	} else if same != nil {
		imp.b, imp.res.Batch, imp.res.Unchanged = same, same, true
		if in.ConfirmMeasures {
			if err := imp.confirmAgain(ctx); err != nil {
				return nil, err
			}
		}
		if imp.res.Unchanged {
			return imp.res, nil
		}
		return imp.res, tx.commit(ctx)
	}
	b := &ducha.Batch{Number: in.Number, Date: in.Date, FileName: in.FileName, ImportedBy: u.Username, ImportedAt: tx.now,
		CampaignID: campaignID.Int64, AsKept: in.AsKept, WindowFrom: localTime(in.WindowFrom), WindowTo: localTime(in.WindowTo)}
	imp.b, imp.res.Batch = b, b
	imp.known = tx.now
	if in.AsKept {
		imp.known = dayStart(in.Date)
	}
	b.ID, err = tx.insert(ctx, `INSERT INTO batches (campaign_id, number, date, file_name, imported_by, imported_at,
		window_from, window_to, as_kept, known_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		campaignID, in.Number, string(in.Date), in.FileName, u.Username, ducha.FormatTime(tx.now),
		nullTime(in.WindowFrom), nullTime(in.WindowTo), boolInt(in.AsKept), ducha.FormatTime(imp.known))
	if isUniqueViolation(err) {
		return nil, ducha.FieldError("batch", "第%d批已经导入过，且内容与本文件不同；如需更正请联系管理员", in.Number)
	} else if err != nil {
		return nil, fmt.Errorf("insert batch: %w", err)
	}
	if err := imp.rows(ctx); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE batches SET total = ?, phone = ?, letter = ?, wechat = ?, online = ?, visit = ?,
		other_channel = ?, key_count = ?, duplicates = ? WHERE id = ?`,
		b.Total, b.Phone, b.Letter, b.WeChat, b.Online, b.Visit, b.Other, b.Key, b.Duplicates, b.ID); err != nil {
		return nil, err
	}
	_, after := ducha.Diff(nil, b)
	if err := tx.appendEvent(ctx, "batch", b.ID, "import", in.FileName, nil, after); err != nil {
		return nil, err
	}
	return imp.res, tx.commit(ctx)
}

func newBatchResult() *ducha.BatchResult {
	return &ducha.BatchResult{Duplicates: []ducha.BatchDuplicate{}, Supplements: []ducha.BatchSupplement{},
		Proposals: []ducha.BatchProposal{}, Notes: []ducha.BatchNote{}}
}

// checkKeptDates refuses results dated after today or before the batch
// was forwarded: a table can only say what already stood.
func checkKeptDates(in *ducha.BatchImport, today ducha.Date) error {
	if !in.AsKept {
		return nil
	}
	if in.Date > today {
		return ducha.FieldError("date", "带办理结果的批次，交办日期（%s）不能晚于今天", in.Date)
	}
	if in.ResultsAsOf.Valid() && (in.ResultsAsOf > today || in.ResultsAsOf < in.Date) {
		return ducha.FieldError("date", "办理结果的截至日期%s应在交办日期%s与今天之间", in.ResultsAsOf, in.Date)
	}
	for _, r := range in.Rows {
		if r.Results == nil || !r.Results.Date.Valid() {
			continue
		}
		fwd := in.Date
		if r.Case.ForwardedDate.Valid() {
			fwd = r.Case.ForwardedDate
		}
		if d := r.Results.Date; d > today || d < fwd {
			return &ducha.Error{Code: ducha.EINVALID, Row: r.Row, Message: fmt.Sprintf("办结时间%s应在交办日期%s与今天之间", d, fwd),
				Fields: map[string]string{"result_date": "办结时间无效"}}
		}
	}
	return nil
}

// dayStart is the first instant of d in the county's time zone.
func dayStart(d ducha.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ducha.Location)
}

// localTime is t in the county's time zone, nil for nil.
func localTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(ducha.Location)
	return &l
}

// batchImport is one batch being written.
type batchImport struct {
	tx       *Tx
	in       *ducha.BatchImport
	campaign *ducha.Campaign // nil without one
	b        *ducha.Batch
	res      *ducha.BatchResult
	known    time.Time // when the batch's cases became known

	// byKey are the cases of this file written so far, by acceptance key.
	byKey map[string]linkTarget
}

// linkTarget is a case a row may repeat or add to.
type linkTarget struct {
	id    int64
	no    string
	batch int
	first int64 // the first case, when the target is itself a duplicate
}

// rows writes every row in file order; a row marked as the repeat of a
// later row waits until that row is written (rows that name each other are
// written in file order, the first as a plain case).
func (imp *batchImport) rows(ctx context.Context) error {
	imp.byKey = map[string]linkTarget{}
	ahead := map[string]int{} // rows not written yet, by acceptance key
	for _, r := range imp.in.Rows {
		ahead[ducha.AcceptanceKey(strings.TrimSpace(r.Case.AcceptanceNo))]++
	}
	write := func(r ducha.BatchRow) error {
		ahead[ducha.AcceptanceKey(strings.TrimSpace(r.Case.AcceptanceNo))]--
		return imp.row(ctx, r)
	}
	var waiting []ducha.BatchRow
	for _, r := range imp.in.Rows {
		if imp.waits(r, ahead) {
			waiting = append(waiting, r)
			continue
		}
		if err := write(r); err != nil {
			return err
		}
	}
	for len(waiting) > 0 {
		var still []ducha.BatchRow
		for _, r := range waiting {
			if imp.waits(r, ahead) {
				still = append(still, r)
			} else if err := write(r); err != nil {
				return err
			}
		}
		if len(still) == len(waiting) { // they name each other: the first goes as it is
			if err := write(still[0]); err != nil {
				return err
			}
			still = still[1:]
		}
		waiting = still
	}
	return nil
}

// waits reports whether the row's mark names a row of this file that is
// not written yet, and none that is.
func (imp *batchImport) waits(r ducha.BatchRow, ahead map[string]int) bool {
	if r.LinkKind == "" {
		return false
	}
	own := ducha.AcceptanceKey(strings.TrimSpace(r.Case.AcceptanceNo))
	later := false
	for _, ref := range r.LinkRefs {
		k := ducha.AcceptanceKey(strings.TrimSpace(ref))
		if k == own {
			continue
		}
		if _, done := imp.byKey[k]; done {
			return false
		}
		later = later || ahead[k] > 0
	}
	return later
}

// row writes one row: a logged repeat of a known number, or a new case
// with its link, its results and its proposed measures.
func (imp *batchImport) row(ctx context.Context, r ducha.BatchRow) error {
	tx, b, c := imp.tx, imp.b, r.Case
	c.AcceptanceNo = strings.TrimSpace(c.AcceptanceNo)
	key := ducha.AcceptanceKey(c.AcceptanceNo)
	if first, known, err := imp.find(ctx, key); err != nil {
		return err
	} else if known {
		if _, err := tx.exec(ctx, `INSERT INTO batch_duplicates (batch_id, acceptance_no, case_id, row_number) VALUES (?, ?, ?, ?)`,
			b.ID, c.AcceptanceNo, first.id, r.Row); err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		imp.res.Duplicates = append(imp.res.Duplicates, ducha.BatchDuplicate{AcceptanceNo: c.AcceptanceNo, Row: r.Row,
			CaseID: first.id, FirstBatch: first.batch, FirstNo: first.no})
		b.Duplicates++
		return nil
	}
	c.Batch, c.CampaignID = b.Number, b.CampaignID
	if !c.ForwardedDate.Valid() {
		c.ForwardedDate = b.Date
	}
	c.DuplicateOf, c.SupplementOf = nil, nil
	var to linkTarget
	if r.LinkKind != "" {
		var found bool
		var err error
		if to, found, err = imp.resolve(ctx, r, key); err != nil {
			return err
		}
		switch {
		case !found:
			what := "重复件"
			if r.LinkKind == ducha.LinkSupplement {
				what = "补充办理件"
			}
			imp.note(r.Row, "标注为%s（“%s”），但未找到所指的受理编号，已作为新件导入", what, r.LinkNote)
		case r.LinkKind == ducha.LinkDuplicate:
			if to.first != 0 { // a repeat of a repeat: linked to the first case
				if to, err = imp.byID(ctx, to.first); err != nil {
					return err
				}
			}
			c.DuplicateOf = &to.id
		default:
			c.SupplementOf = &to.id
		}
	}
	known := imp.known
	if imp.in.AsKept && c.ForwardedDate.Valid() {
		known = dayStart(c.ForwardedDate)
	}
	// The verdict stands from the results' date, not from the hand-over.
	verdict := c.Verdict
	if r.Results != nil {
		c.Verdict = ""
	}
	if err := tx.createCase(ctx, c, b.ID, known); err != nil {
		return rowErr(err, r.Row)
	}
	imp.byKey[key] = linkTarget{id: c.ID, no: c.AcceptanceNo, batch: c.Batch, first: derefID(c.DuplicateOf)}
	note := ""
	at := imp.resultTime(r, known)
	if r.Results != nil {
		c.Verdict = verdict
		notes, err := tx.applyResults(ctx, c, r.Results, imp.campaign, at)
		if err != nil {
			return rowErr(err, r.Row)
		}
		for _, n := range notes {
			imp.note(r.Row, "%s", n)
		}
		// Its units' initials are among its search tokens: the tokens
		// createCase queued are queued again with them.
		if len(c.Units) > 0 {
			tx.queueSearch(caseSearch, c.ID, caseTokens(c), false)
		}
		note = fmt.Sprintf("按第%d批带办理结果的台账导入（截至%s）", b.Number, ducha.DateOf(at.In(ducha.Location)))
	}
	if err := imp.proposals(ctx, r, c, at); err != nil {
		return rowErr(err, r.Row)
	}
	_, after := ducha.Diff(nil, c)
	if err := tx.appendEvent(ctx, "case", c.ID, "import", note, nil, after); err != nil {
		return err
	}
	switch {
	case c.DuplicateOf != nil:
		imp.res.Duplicates = append(imp.res.Duplicates, ducha.BatchDuplicate{AcceptanceNo: c.AcceptanceNo, Row: r.Row,
			CaseID: *c.DuplicateOf, FirstBatch: to.batch, FirstNo: to.no, OwnCaseID: c.ID})
		b.Duplicates++
		return nil
	case c.SupplementOf != nil:
		imp.res.Supplements = append(imp.res.Supplements, ducha.BatchSupplement{AcceptanceNo: c.AcceptanceNo, Row: r.Row,
			CaseID: c.ID, ToCaseID: to.id, ToNo: to.no})
	}
	b.Total++
	b.CountChannel(c.Channel)
	if c.Key {
		b.Key++
	}
	imp.res.Created++
	return nil
}

func (imp *batchImport) note(row int, format string, args ...any) {
	imp.res.Notes = append(imp.res.Notes, ducha.BatchNote{Row: row, Message: fmt.Sprintf(format, args...)})
}

// rowErr names the row in a validation error.
func rowErr(err error, row int) error {
	var e *ducha.Error
	if errors.As(err, &e) && e.Row == 0 {
		e.Row = row
	}
	return err
}

// find returns the case already known under an acceptance key, from this
// file or the store; known is false when there is none.
func (imp *batchImport) find(ctx context.Context, key string) (t linkTarget, known bool, err error) {
	if t, ok := imp.byKey[key]; ok {
		return t, true, nil
	}
	var first sql.NullInt64
	err = imp.tx.queryRow(ctx, `SELECT id, acceptance_no, batch, duplicate_of FROM cases WHERE acceptance_key = ?`, key).
		Scan(&t.id, &t.no, &t.batch, &first)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	} else if err != nil {
		return t, false, fmt.Errorf("find acceptance number: %w", err)
	}
	t.first = first.Int64
	return t, true, nil
}

// byID returns a case as a link target.
func (imp *batchImport) byID(ctx context.Context, id int64) (linkTarget, error) {
	var t linkTarget
	err := imp.tx.queryRow(ctx, `SELECT id, acceptance_no, batch FROM cases WHERE id = ?`, id).Scan(&t.id, &t.no, &t.batch)
	if err != nil {
		return t, fmt.Errorf("linked case %d: %w", id, err)
	}
	return t, nil
}

// resolve finds the case a row's mark names: the first of its LinkRefs
// that is a known acceptance number other than its own; found is false
// when none is.
func (imp *batchImport) resolve(ctx context.Context, r ducha.BatchRow, own string) (t linkTarget, found bool, err error) {
	for _, ref := range r.LinkRefs {
		k := ducha.AcceptanceKey(strings.TrimSpace(ref))
		if k == "" || k == own {
			continue
		}
		if t, found, err = imp.find(ctx, k); err != nil || found {
			return t, found, err
		}
	}
	return t, false, nil
}

// resultTime is when a row's results stand: its own 办结时间, else the
// table's 截至 date, else the day the case was forwarded; never before the
// case was known.
func (imp *batchImport) resultTime(r ducha.BatchRow, known time.Time) time.Time {
	at := known
	switch {
	case r.Results != nil && r.Results.Date.Valid():
		at = dayStart(r.Results.Date)
	case imp.in.ResultsAsOf.Valid():
		at = dayStart(imp.in.ResultsAsOf)
	}
	if !imp.in.AsKept {
		at = imp.tx.now
	}
	if at.Before(known) {
		at = known
	}
	return at
}

// proposals lists the row's proposed measures and, with ConfirmMeasures,
// stores the complete ones, dated as the case's results.
func (imp *batchImport) proposals(ctx context.Context, r ducha.BatchRow, c *ducha.Case, at time.Time) error {
	if len(r.Proposals) == 0 {
		return nil
	}
	p := ducha.BatchProposal{Row: r.Row, AcceptanceNo: c.AcceptanceNo, CaseID: c.ID, Items: append([]ducha.ProposedMeasure(nil), r.Proposals...)}
	if imp.in.ConfirmMeasures {
		n, err := imp.tx.storeProposals(ctx, c, p.Items, at)
		if err != nil {
			return err
		}
		imp.res.MeasuresStored += n
	}
	imp.res.Proposals = append(imp.res.Proposals, p)
	return nil
}

// confirmAgain stores, for a batch imported before, the proposals of its
// cases that have no measures yet: the import answered with proposals,
// and the user confirms them by importing the file again.
func (imp *batchImport) confirmAgain(ctx context.Context) error {
	tx := imp.tx
	var asKept int
	if err := tx.queryRow(ctx, `SELECT as_kept FROM batches WHERE id = ?`, imp.b.ID).Scan(&asKept); err != nil {
		return err
	}
	imp.in.AsKept = asKept != 0
	for _, r := range imp.in.Rows {
		if len(r.Proposals) == 0 {
			continue
		}
		var id int64
		err := tx.queryRow(ctx, `SELECT id FROM cases WHERE acceptance_key = ? AND batch_id = ?`,
			ducha.AcceptanceKey(strings.TrimSpace(r.Case.AcceptanceNo)), imp.b.ID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a repeat of an earlier batch's case: its measures are that case's
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM measures WHERE case_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		before, err := tx.findCase(ctx, `c.id = ?`, id)
		if err != nil {
			return err
		}
		p := ducha.BatchProposal{Row: r.Row, AcceptanceNo: before.AcceptanceNo, CaseID: id, Items: append([]ducha.ProposedMeasure(nil), r.Proposals...)}
		if n == 0 {
			known := imp.known
			if imp.in.AsKept {
				known = dayStart(before.ForwardedDate)
			}
			c := *before
			stored, err := tx.storeProposals(ctx, &c, p.Items, imp.resultTime(r, known))
			if err != nil {
				return rowErr(err, r.Row)
			}
			if stored > 0 {
				imp.res.MeasuresStored += stored
				imp.res.Unchanged = false
				b, a := ducha.Diff(before, &c)
				if err := tx.appendEvent(ctx, "case", id, "confirm_measures", "确认导入时提出的处理措施", b, a); err != nil {
					return err
				}
			}
		}
		imp.res.Proposals = append(imp.res.Proposals, p)
	}
	return nil
}

func nullID(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// sameBatch returns the stored batch when it holds exactly these
// acceptance numbers (as new cases or logged duplicates); nil when the
// batch is not there yet.
func (tx *Tx) sameBatch(ctx context.Context, campaignID sql.NullInt64, number int, rows []ducha.BatchRow) (*ducha.Batch, error) {
	b, err := tx.findBatch(ctx, campaignID, number)
	if err != nil || b == nil {
		return nil, err
	}
	var have []string
	qs := []string{`SELECT acceptance_key FROM cases WHERE batch_id = ?`, `SELECT acceptance_no FROM batch_duplicates WHERE batch_id = ?`}
	for _, q := range qs {
		r, err := tx.query(ctx, q, b.ID)
		if err != nil {
			return nil, err
		}
		for r.Next() {
			var no string
			if err := r.Scan(&no); err != nil {
				r.Close()
				return nil, err
			}
			have = append(have, ducha.AcceptanceKey(no))
		}
		r.Close()
	}
	want := make([]string, len(rows))
	for i, r := range rows {
		want[i] = ducha.AcceptanceKey(strings.TrimSpace(r.Case.AcceptanceNo))
	}
	sort.Strings(have)
	sort.Strings(want)
	if strings.Join(have, "\x00") != strings.Join(want, "\x00") {
		return nil, ducha.FieldError("batch", "第%d批已经导入过（%d件），本文件的交办件与之不同；如需更正请联系管理员", number, len(have))
	}
	return b, nil
}

const batchColumns = `id, campaign_id, number, date, window_from, window_to, file_name, total, phone, letter, wechat, online, visit,
	other_channel, key_count, duplicates, as_kept, imported_by, imported_at`

func scanBatch(row interface{ Scan(...any) error }) (*ducha.Batch, error) {
	var b ducha.Batch
	var camp sql.NullInt64
	var from, to sql.NullString
	var kept int
	var at string
	if err := row.Scan(&b.ID, &camp, &b.Number, &b.Date, &from, &to, &b.FileName, &b.Total, &b.Phone, &b.Letter, &b.WeChat,
		&b.Online, &b.Visit, &b.Other, &b.Key, &b.Duplicates, &kept, &b.ImportedBy, &at); err != nil {
		return nil, err
	}
	b.CampaignID, b.ImportedAt, b.AsKept = camp.Int64, ducha.ParseTime(at), kept != 0
	b.WindowFrom, b.WindowTo = localTime(timePtr(from)), localTime(timePtr(to))
	return &b, nil
}

func (tx *Tx) findBatch(ctx context.Context, campaignID sql.NullInt64, number int) (*ducha.Batch, error) {
	cond, args := ` AND campaign_id IS NULL`, []any{number}
	if campaignID.Valid {
		cond, args = ` AND campaign_id = ?`, append(args, campaignID.Int64)
	}
	b, err := scanBatch(tx.queryRow(ctx, `SELECT `+batchColumns+` FROM batches WHERE number = ?`+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find batch: %w", err)
	}
	return b, nil
}

// createCase inserts a received case as known at known, with its link,
// its types, its first state and its search tokens; the caller appends its
// event.
func (tx *Tx) createCase(ctx context.Context, c *ducha.Case, batchID int64, known time.Time) error {
	if c.AcceptanceNo == "" {
		return ducha.FieldError("acceptance_no", "受理编号不能为空")
	}
	if err := c.ValidateImport(); err != nil {
		return err
	}
	if !slices.Contains(ducha.Channels, c.Channel) {
		return ducha.FieldError("channel", "举报方式“%s”无效，应为%s之一", c.Channel, strings.Join(ducha.Channels, "、"))
	}
	if strings.TrimSpace(c.Text) == "" {
		return ducha.FieldError("text", "交办问题基本情况不能为空")
	}
	c.Status, c.Version, c.CreatedAt, c.UpdatedAt = ducha.CaseReceived, 1, tx.now, tx.now
	if c.Types == nil {
		c.Types = []string{}
	}
	var orig sql.NullString
	if len(c.Original) > 0 {
		b, _ := json.Marshal(c.Original)
		orig = sql.NullString{String: string(b), Valid: true}
	}
	id, err := tx.insert(ctx, `INSERT INTO cases (acceptance_no, acceptance_key, campaign_id, batch, batch_id, forwarded_date, channel,
		key_flag, text, area, types, type_detail, status, findings, verdict, target, handling, accountability, duplicate_of,
		supplement_of, original, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		c.AcceptanceNo, ducha.AcceptanceKey(c.AcceptanceNo), sql.NullInt64{Int64: c.CampaignID, Valid: c.CampaignID != 0}, c.Batch,
		batchID, string(c.ForwardedDate), c.Channel, boolInt(c.Key), c.Text, c.Area, strings.Join(c.Types, ","), c.TypeDetail,
		string(c.Status), c.Findings, c.Verdict, c.Target, c.Handling, c.Accountability, nullID(c.DuplicateOf), nullID(c.SupplementOf),
		orig, ducha.FormatTime(tx.now), ducha.FormatTime(tx.now))
	if isUniqueViolation(err) {
		return ducha.FieldError("acceptance_no", "受理编号“%s”重复", c.AcceptanceNo)
	} else if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	c.ID = id
	for _, t := range c.Types {
		if _, err := tx.exec(ctx, `INSERT INTO case_types (case_id, type) VALUES (?, ?)`, id, t); err != nil {
			return fmt.Errorf("case types: %w", err)
		}
	}
	if err := tx.addCaseStateAt(ctx, c, known, known); err != nil {
		return err
	}
	tx.queueSearch(caseSearch, id, caseTokens(c), false)
	return nil
}

// FindBatches lists the batches of every campaign, newest first. A
// unit-scoped user sees the batches that brought its unit cases, counted
// over those cases only.
func (db *DB) FindBatches(ctx context.Context) ([]*ducha.Batch, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	query := `SELECT ` + batchColumns + ` FROM batches ORDER BY number DESC, id DESC`
	var args []any
	if u.Role.UnitScoped() {
		scope, sargs := caseScopeOf(u)
		counted := func(cond string) string {
			return `COALESCE(sum(CASE WHEN c.duplicate_of IS NULL AND ` + cond + ` THEN 1 ELSE 0 END), 0)`
		}
		ch := func(name string) string { return counted(`c.channel = '` + name + `'`) }
		query = `SELECT b.id, b.campaign_id, b.number, b.date, b.window_from, b.window_to, b.file_name, ` + counted("1 = 1") + `,
			` + ch(ducha.ChannelPhone) + `, ` + ch(ducha.ChannelLetter) + `, ` + ch(ducha.ChannelWeChat) + `,
			` + ch(ducha.ChannelOnline) + `, ` + ch(ducha.ChannelVisit) + `, ` + ch(ducha.ChannelOther) + `,
			` + counted("c.key_flag = 1") + `, COALESCE(sum(CASE WHEN c.duplicate_of IS NULL THEN 0 ELSE 1 END), 0),
			b.as_kept, b.imported_by, b.imported_at
			FROM batches b JOIN cases c ON c.batch_id = b.id WHERE 1 = 1` + scope + `
			GROUP BY b.id, b.campaign_id, b.number, b.date, b.window_from, b.window_to, b.file_name, b.as_kept, b.imported_by, b.imported_at
			ORDER BY b.number DESC, b.id DESC`
		args = sargs
	}
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find batches: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Batch{}
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
