package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"ducha"
)

// The document request list (调阅清单). Requests are unit-scoped like
// problems: a unit's liaison and head see their own unit's items; another
// unit's item is not found, exactly like a missing one. The coordinator
// adds them, checks what the units supply and hands it over.

const requestColumns = `r.id, r.no, r.item, r.unit_id, un.name, r.due, r.status,
	COALESCE(r.file_name, ''), COALESCE(r.content_type, ''), COALESCE(r.size, 0), COALESCE(r.sha256, ''),
	r.supply_note, COALESCE(sb.username, ''), r.supplied_at, r.authentic, r.consistent, r.check_note,
	COALESCE(cb.username, ''), r.checked_at, r.return_reason, r.handed_to, r.hand_note,
	COALESCE(hb.username, ''), r.handed_at, COALESCE(rb.username, ''), r.created_at, r.version`

const requestFrom = ` FROM doc_requests r JOIN units un ON un.id = r.unit_id
	LEFT JOIN users sb ON sb.id = r.supplied_by LEFT JOIN users cb ON cb.id = r.checked_by
	LEFT JOIN users hb ON hb.id = r.handed_by LEFT JOIN users rb ON rb.id = r.created_by`

func scanRequest(row interface{ Scan(...any) error }, extra ...any) (*ducha.DocRequest, error) {
	var r ducha.DocRequest
	var f ducha.FileInfo
	var suppliedAt, checkedAt, handedAt sql.NullString
	var createdAt string
	var authentic, consistent int
	dest := []any{&r.ID, &r.No, &r.Item, &r.UnitID, &r.Unit, &r.Due, &r.Status,
		&f.Name, &f.ContentType, &f.Size, &f.SHA256,
		&r.SupplyNote, &r.SuppliedBy, &suppliedAt, &authentic, &consistent, &r.CheckNote,
		&r.CheckedBy, &checkedAt, &r.ReturnReason, &r.HandedTo, &r.HandNote,
		&r.HandedBy, &handedAt, &r.CreatedBy, &createdAt, &r.Version}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if f.SHA256 != "" {
		r.File = &f
	}
	r.Authentic, r.Consistent = authentic != 0, consistent != 0
	r.SuppliedAt, r.CheckedAt, r.HandedAt = timePtr(suppliedAt), timePtr(checkedAt), timePtr(handedAt)
	r.CreatedAt = ducha.ParseTime(createdAt)
	return &r, nil
}

// requestScope keeps unit-scoped users to their own unit's requests.
func requestScope(u *ducha.User) (string, []any) { return unitColumnScope(u, "r.unit_id") }

// findRequest loads one request the user may see, its bytes into data
// when data is not nil.
func (tx *Tx) findRequest(ctx context.Context, id int64, data *[]byte) (*ducha.DocRequest, error) {
	scope, args := requestScope(tx.user)
	cols := requestColumns
	var extra []any
	if data != nil {
		cols += `, r.data`
		extra = append(extra, data)
	}
	r, err := scanRequest(tx.queryRow(ctx, `SELECT `+cols+requestFrom+` WHERE r.id = ?`+scope, append([]any{id}, args...)...), extra...)
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("调阅事项")
	} else if err != nil {
		return nil, fmt.Errorf("find request %d: %w", id, err)
	}
	r.Derive(tx.today(), tx.db.YellowDays())
	return r, nil
}

// AddDocRequests adds requests to the list, all or none. A request without
// a number takes the next one of the list; a number already taken is
// refused, naming the item.
func (db *DB) AddDocRequests(ctx context.Context, rs []*ducha.DocRequest) error {
	u, err := ducha.Require(ctx, ducha.PermRegister)
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return ducha.FieldError("items", "请至少填写一项调阅事项")
	}
	if len(rs) > ducha.MaxPerPage {
		return ducha.FieldError("items", "一次最多添加%d项", ducha.MaxPerPage)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The chain's head first: writers of the list wait for each other
	// there, so two coordinators adding at once take numbers in turn
	// (PostgreSQL; SQLite has one writer anyway).
	if err := tx.loadChain(ctx); err != nil {
		return err
	}
	today := tx.today()
	var next int
	if err := tx.queryRow(ctx, `SELECT COALESCE(max(no), 0) FROM doc_requests`).Scan(&next); err != nil {
		return fmt.Errorf("request numbers: %w", err)
	}
	seen := map[int]bool{}
	for i, r := range rs {
		if err := tx.addRequest(ctx, r, u, today, &next, seen); err != nil {
			if len(rs) > 1 {
				return itemError(i+1, err)
			}
			return err
		}
	}
	return tx.commit(ctx)
}

func (tx *Tx) addRequest(ctx context.Context, r *ducha.DocRequest, u *ducha.User, today ducha.Date, next *int, seen map[int]bool) error {
	if r.UnitID == 0 && strings.TrimSpace(r.Unit) != "" {
		unit, err := tx.resolveUnit(ctx, "unit", ducha.UnitRef(r.Unit))
		if err != nil {
			return err
		}
		r.UnitID = unit.ID
	}
	if err := r.ValidateNew(today); err != nil {
		return err
	}
	if err := tx.queryRow(ctx, `SELECT name FROM units WHERE id = ?`, r.UnitID).Scan(&r.Unit); err == sql.ErrNoRows {
		return ducha.FieldError("unit", "单位%d不存在", r.UnitID)
	} else if err != nil {
		return err
	}
	if r.No == 0 {
		*next++
		r.No = *next
	} else {
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM doc_requests WHERE no = ?`, r.No).Scan(&n); err != nil {
			return err
		}
		if n > 0 || seen[r.No] {
			return ducha.FieldError("no", "序号%d已被调阅清单中的另一项使用", r.No)
		}
		*next = max(*next, r.No)
	}
	seen[r.No] = true
	r.Status, r.Version, r.CreatedAt, r.CreatedBy = ducha.RequestRequested, 1, tx.now, u.Username
	r.File, r.Data = nil, nil
	var err error
	r.ID, err = tx.insert(ctx, `INSERT INTO doc_requests (no, item, unit_id, due, status, created_by, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, r.No, r.Item, r.UnitID, string(r.Due), string(r.Status), userID(u), ducha.FormatTime(tx.now))
	if err != nil {
		return fmt.Errorf("add request: %w", err)
	}
	r.Derive(tx.today(), tx.db.YellowDays())
	_, after := ducha.Diff(nil, r)
	return tx.appendEvent(ctx, "request", r.ID, "request", r.Item, nil, after)
}

// FindDocRequests returns a page of the requests the user may see, by
// number, and the count of all that match.
func (db *DB) FindDocRequests(ctx context.Context, f ducha.DocRequestFilter) ([]*ducha.DocRequest, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Status != "" && !slices.Contains(ducha.DocRequestStatuses, f.Status) {
		return nil, 0, ducha.FieldError("status", "调阅事项状态“%s”无效，应为 requested、supplied、checked 或 handed_over", f.Status)
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	var w strings.Builder
	w.WriteString(" WHERE 1 = 1")
	scope, args := requestScope(u)
	w.WriteString(scope)
	if f.Status != "" {
		w.WriteString(" AND r.status = ?")
		args = append(args, string(f.Status))
	}
	if f.UnitID != 0 {
		w.WriteString(" AND r.unit_id = ?")
		args = append(args, f.UnitID)
	}
	where := w.String()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM doc_requests r`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count requests: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT `+requestColumns+requestFrom+where+` ORDER BY r.no LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find requests: %w", err)
	}
	defer rows.Close()
	out := []*ducha.DocRequest{}
	today, yellow := tx.today(), db.YellowDays()
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find requests: %w", err)
		}
		r.Derive(today, yellow)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// FindDocRequestByID returns one request.
func (db *DB) FindDocRequestByID(ctx context.Context, id int64) (*ducha.DocRequest, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findRequest(ctx, id, nil)
}

// FindDocRequestFile returns one request with its supplied file's bytes.
func (db *DB) FindDocRequestFile(ctx context.Context, id int64) (*ducha.DocRequest, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var data []byte
	r, err := tx.findRequest(ctx, id, &data)
	if err != nil {
		return nil, err
	}
	if r.File == nil {
		return nil, ducha.NotFound("该调阅事项的资料")
	}
	r.Data = data
	return r, nil
}

// FindDocRequestEvents returns a request's history to whoever may read it.
func (db *DB) FindDocRequestEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findRequest(ctx, id, nil); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "request", id)
}

// ActOnDocRequest runs one action (ducha.ApplyDocRequestAction) with its
// event. A supplied file's type is sniffed from its bytes and bounded as
// an attachment's is. A hand-over to no one named goes to the current
// campaign's inspection team.
func (db *DB) ActOnDocRequest(ctx context.Context, id int64, a ducha.DocRequestAction) (*ducha.DocRequest, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	if a.Action == ducha.RequestActSupply && len(a.Data) > 0 {
		a.FileName = ducha.AttachmentName(a.FileName)
		ct, err := ducha.SniffAttachment(a.FileName, a.Data)
		if err != nil {
			return nil, err
		}
		a.ContentType = ct
	}
	tx, err := db.beginSizedWrite(ctx, len(a.Data))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findRequest(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	if a.Version != 0 && before.Version != a.Version {
		return nil, ducha.Conflict()
	}
	if a.Action == ducha.RequestActHandOver && strings.TrimSpace(a.To) == "" {
		if c, err := tx.currentCampaign(ctx); err == nil && c != nil && c.Team != "" {
			a.To = c.Team
		}
	}
	r := *before
	if err := ducha.ApplyDocRequestAction(&r, a, u, tx.now); err != nil {
		return nil, err
	}
	r.Version = before.Version + 1
	by := userID(u)
	var q string
	var args []any
	switch a.Action {
	case ducha.RequestActSupply:
		sum := sha256.Sum256(r.Data)
		r.File.SHA256 = hex.EncodeToString(sum[:])
		q = `UPDATE doc_requests SET status = ?, file_name = ?, content_type = ?, size = ?, sha256 = ?, data = ?,
			supply_note = ?, supplied_by = ?, supplied_at = ?, version = ? WHERE id = ? AND version = ?`
		args = []any{string(r.Status), r.File.Name, r.File.ContentType, r.File.Size, r.File.SHA256, r.Data,
			r.SupplyNote, by, nullTime(r.SuppliedAt), r.Version}
	case ducha.RequestActCheck:
		q = `UPDATE doc_requests SET status = ?, authentic = ?, consistent = ?, check_note = ?, return_reason = ?,
			checked_by = ?, checked_at = ?, version = ? WHERE id = ? AND version = ?`
		args = []any{string(r.Status), boolInt(r.Authentic), boolInt(r.Consistent), r.CheckNote, r.ReturnReason,
			by, nullTime(r.CheckedAt), r.Version}
	case ducha.RequestActHandOver:
		q = `UPDATE doc_requests SET status = ?, handed_to = ?, hand_note = ?, handed_by = ?, handed_at = ?, version = ?
			WHERE id = ? AND version = ?`
		args = []any{string(r.Status), r.HandedTo, r.HandNote, by, nullTime(r.HandedAt), r.Version}
	}
	res, err := tx.exec(ctx, q, append(args, r.ID, before.Version)...)
	if err != nil {
		return nil, fmt.Errorf("update request %d: %w", r.ID, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return nil, ducha.Conflict()
	}
	r.Data = nil
	r.Derive(tx.today(), db.YellowDays())
	b, after := ducha.Diff(before, &r)
	note := strings.TrimSpace(a.Note)
	if a.Action == ducha.RequestActCheck && a.Return {
		note = strings.TrimSpace(a.Reason)
	}
	action := a.Action
	if a.Action == ducha.RequestActCheck && a.Return {
		action = "return"
	}
	if err := tx.appendEvent(ctx, "request", r.ID, action, note, b, after); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &r, nil
}

// itemError names the item of a list an error is about: 第2项：….
func itemError(n int, err error) error {
	e, ok := err.(*ducha.Error)
	if !ok {
		return err
	}
	out := &ducha.Error{Code: e.Code, Message: fmt.Sprintf("第%d项：%s", n, e.Message), Fields: map[string]string{}}
	for k, v := range e.Fields {
		out.Fields[k] = fmt.Sprintf("第%d项：%s", n, v)
	}
	return out
}
