package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ducha"
)

// Self-inspections (自查自纠). A unit starts one, marks each duty of its
// list complied or not, and submits: in that one transaction every duty
// found wanting becomes a problem through createProblem (code, counters,
// search, state history, event and outbox as any registered problem), the
// item keeps the problem's id, and the inspection is submitted. A failure
// anywhere leaves no problem and the inspection open. Each start, mark and
// submit appends its event. Unit-scoped users see their own unit's
// inspections only; another unit's answers not found like a missing one.

const inspectionColumns = `i.id, i.unit_id, u.name, i.campaign_id, i.status, COALESCE(sb.username, ''), i.started_at,
	COALESCE(fb.username, ''), i.submitted_at, i.version,
	CASE WHEN i.status = 'open' THEN (SELECT count(*) FROM duties d WHERE d.unit_id = i.unit_id)
		ELSE (SELECT count(*) FROM inspection_items x WHERE x.inspection_id = i.id) END,
	(SELECT count(*) FROM inspection_items x WHERE x.inspection_id = i.id),
	(SELECT count(*) FROM inspection_items x WHERE x.inspection_id = i.id AND x.complied = 0)`

const inspectionFrom = ` FROM inspections i JOIN units u ON u.id = i.unit_id
	LEFT JOIN users sb ON sb.id = i.started_by LEFT JOIN users fb ON fb.id = i.submitted_by`

func scanInspection(row interface{ Scan(...any) error }) (*ducha.Inspection, error) {
	var in ducha.Inspection
	var campaign sql.NullInt64
	var started string
	var submitted sql.NullString
	err := row.Scan(&in.ID, &in.UnitID, &in.Unit, &campaign, &in.Status, &in.StartedBy, &started,
		&in.SubmittedBy, &submitted, &in.Version, &in.Duties, &in.Marked, &in.Wanting)
	if err != nil {
		return nil, err
	}
	if in.StartedBy == "" {
		in.StartedBy = ducha.SystemUser.Username
	}
	if submitted.Valid && in.SubmittedBy == "" {
		in.SubmittedBy = ducha.SystemUser.Username
	}
	in.CampaignID, in.StartedAt, in.SubmittedAt = campaign.Int64, ducha.ParseTime(started), timePtr(submitted)
	in.Problems = []*ducha.InspectionProblem{}
	return &in, nil
}

// inspectionScope keeps unit-scoped users to their own unit's
// inspections, in a query over inspections i.
func inspectionScope(u *ducha.User) (string, []any) { return unitColumnScope(u, "i.unit_id") }

// findInspection loads one inspection the user may see with its items
// and problems; another unit's is not found, exactly like a missing one.
func (tx *Tx) findInspection(ctx context.Context, id int64) (*ducha.Inspection, error) {
	scope, args := inspectionScope(tx.user)
	in, err := scanInspection(tx.queryRow(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = ?`+scope,
		append([]any{id}, args...)...))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("自查")
	} else if err != nil {
		return nil, fmt.Errorf("find inspection %d: %w", id, err)
	}
	return in, tx.attachInspectionItems(ctx, in)
}

// attachInspectionItems fills in one item per duty: an open inspection
// walks its unit's list as it stands, a submitted one what it submitted.
func (tx *Tx) attachInspectionItems(ctx context.Context, in *ducha.Inspection) error {
	cond := ""
	if in.Status != ducha.InspectionOpen {
		cond = " AND ii.inspection_id IS NOT NULL"
	}
	rows, err := tx.query(ctx, `SELECT d.id, d.no, d.title, d.basis, ii.inspection_id, COALESCE(ii.complied, 0),
		COALESCE(ii.finding, ''), COALESCE(ii.mode, ''), ii.deadline, COALESCE(mb.username, ''), ii.marked_at,
		COALESCE(ii.problem_id, 0), COALESCE(p.code, '')
		FROM duties d LEFT JOIN inspection_items ii ON ii.duty_id = d.id AND ii.inspection_id = ?
		LEFT JOIN users mb ON mb.id = ii.marked_by LEFT JOIN problems p ON p.id = ii.problem_id
		WHERE d.unit_id = ?`+cond+` ORDER BY d.id`, in.ID, in.UnitID)
	if err != nil {
		return fmt.Errorf("inspection items: %w", err)
	}
	defer rows.Close()
	in.Items = []*ducha.InspectionItem{}
	for rows.Next() {
		var it ducha.InspectionItem
		var of sql.NullInt64
		var complied int
		var deadline, markedAt sql.NullString
		if err := rows.Scan(&it.Duty.ID, &it.Duty.No, &it.Duty.Title, &it.Basis, &of, &complied, &it.Finding, &it.Mode,
			&deadline, &it.MarkedBy, &markedAt, &it.ProblemID, &it.ProblemCode); err != nil {
			return fmt.Errorf("inspection items: %w", err)
		}
		it.Marked, it.Complied, it.Deadline, it.MarkedAt = of.Valid, complied != 0, ducha.Date(deadline.String), timePtr(markedAt)
		if it.Marked && it.MarkedBy == "" {
			it.MarkedBy = ducha.SystemUser.Username
		}
		in.Items = append(in.Items, &it)
		if it.ProblemID != 0 {
			in.Problems = append(in.Problems, &ducha.InspectionProblem{ID: it.ProblemID, Code: it.ProblemCode, Duty: it.Duty})
		}
	}
	return rows.Err()
}

// FindInspectionByID returns one inspection with its items and problems.
func (db *DB) FindInspectionByID(ctx context.Context, id int64) (*ducha.Inspection, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findInspection(ctx, id)
}

// FindInspections returns a page of the inspections the user may see,
// newest first, and the count of all that match (without their items).
func (db *DB) FindInspections(ctx context.Context, f ducha.InspectionFilter) ([]*ducha.Inspection, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Status != "" && f.Status != ducha.InspectionOpen && f.Status != ducha.InspectionSubmitted {
		return nil, 0, ducha.FieldError("status", "自查状态“%s”无效，应为 open 或 submitted", f.Status)
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	var w strings.Builder
	w.WriteString(" WHERE 1 = 1")
	scope, args := inspectionScope(u)
	w.WriteString(scope)
	if f.UnitID != 0 {
		w.WriteString(" AND i.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.Status != "" {
		w.WriteString(" AND i.status = ?")
		args = append(args, string(f.Status))
	}
	where := w.String()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM inspections i`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count inspections: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT `+inspectionColumns+inspectionFrom+where+` ORDER BY i.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find inspections: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Inspection{}
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find inspections: %w", err)
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// StartInspection starts a self-inspection of the unit (0: the caller's
// own). A unit with one open already gets that one back (created false):
// starting twice, from two tabs or two people, walks one list once.
func (db *DB) StartInspection(ctx context.Context, unitID int64) (*ducha.Inspection, bool, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, false, err
	}
	if unitID == 0 {
		if !u.Role.UnitScoped() {
			return nil, false, ducha.FieldError("unit", "请指定自查的单位（unit）")
		}
		unitID = u.UnitID
	}
	if err := ducha.CheckInspector(u, unitID); err != nil {
		return nil, false, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	unit, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`, unitID))
	if err == sql.ErrNoRows {
		return nil, false, ducha.FieldError("unit", "单位不存在")
	} else if err != nil {
		return nil, false, fmt.Errorf("start inspection: %w", err)
	}
	var open int64
	err = tx.queryRow(ctx, `SELECT id FROM inspections WHERE unit_id = ? AND status = 'open'`, unitID).Scan(&open)
	if err == nil {
		in, err := tx.findInspection(ctx, open)
		return in, false, err
	} else if err != sql.ErrNoRows {
		return nil, false, fmt.Errorf("start inspection: %w", err)
	}
	var duties int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM duties WHERE unit_id = ?`, unitID).Scan(&duties); err != nil {
		return nil, false, fmt.Errorf("start inspection: %w", err)
	}
	if duties == 0 {
		return nil, false, ducha.FieldError("unit", "“%s”尚无责任清单，请先导入责任清单再开展自查", unit.Name)
	}
	campaign, err := tx.currentCampaignID(ctx)
	if err != nil {
		return nil, false, err
	}
	id, err := tx.insert(ctx, `INSERT INTO inspections (unit_id, campaign_id, status, started_by, started_at, version)
		VALUES (?, ?, 'open', ?, ?, 1)`, unitID, sql.NullInt64{Int64: campaign, Valid: campaign != 0}, userID(tx.user),
		ducha.FormatTime(tx.now))
	if isUniqueViolation(err) {
		return nil, false, ducha.Errorf(ducha.ECONFLICT, "“%s”已有进行中的自查，请刷新后继续", unit.Name)
	} else if err != nil {
		return nil, false, fmt.Errorf("insert inspection: %w", err)
	}
	in, err := tx.findInspection(ctx, id)
	if err != nil {
		return nil, false, err
	}
	_, after := ducha.Diff(nil, inspectionRecord(in))
	if err := tx.appendEvent(ctx, "inspection", id, "start", unit.Name, nil, after); err != nil {
		return nil, false, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, false, err
	}
	return in, true, nil
}

// inspectionRecord is what an inspection's events record of it: the
// inspection without its items (each mark records its own).
func inspectionRecord(in *ducha.Inspection) *ducha.Inspection {
	r := *in
	r.Items, r.Problems = nil, nil
	return &r
}

// lockInspection loads an inspection for a change: within the scope,
// at the version asked for (0: as it is).
func (tx *Tx) lockInspection(ctx context.Context, id int64, version int) (*ducha.Inspection, error) {
	// The chain's head first, as every writer takes it (see notice.go):
	// two marks of one inspection then wait for each other at one row.
	if err := tx.loadChain(ctx); err != nil {
		return nil, err
	}
	in, err := tx.findInspection(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != in.Version {
		return nil, ducha.Conflict()
	}
	return in, nil
}

// bumpInspection moves the inspection to its next version, or answers a
// conflict when someone else moved it first.
func (tx *Tx) bumpInspection(ctx context.Context, in *ducha.Inspection, set string, args ...any) error {
	args = append(args, in.Version+1, in.ID, in.Version)
	res, err := tx.exec(ctx, `UPDATE inspections SET `+set+`version = ? WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("update inspection %d: %w", in.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ducha.Conflict()
	}
	in.Version++
	return nil
}

// MarkInspectionItem records what the unit found for one duty of its list.
func (db *DB) MarkInspectionItem(ctx context.Context, id, dutyID int64, m ducha.InspectionMark) (*ducha.Inspection, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	in, err := tx.lockInspection(ctx, id, m.Version)
	if err != nil {
		return nil, err
	}
	var item *ducha.InspectionItem
	for _, it := range in.Items {
		if it.Duty.ID == dutyID {
			item = it
		}
	}
	if item == nil {
		return nil, ducha.NotFound("职责事项")
	}
	before := *item
	if err := ducha.ApplyInspectionMark(in, item, m, u, tx.now); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO inspection_items (inspection_id, duty_id, complied, finding, mode, deadline, marked_by, marked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (inspection_id, duty_id) DO UPDATE SET complied = excluded.complied, finding = excluded.finding,
			mode = excluded.mode, deadline = excluded.deadline, marked_by = excluded.marked_by, marked_at = excluded.marked_at`,
		in.ID, dutyID, boolInt(item.Complied), item.Finding, item.Mode, nullString(string(item.Deadline)), userID(tx.user),
		ducha.FormatTime(*item.MarkedAt)); err != nil {
		return nil, fmt.Errorf("mark inspection item: %w", err)
	}
	if err := tx.bumpInspection(ctx, in, ""); err != nil {
		return nil, err
	}
	if !before.Marked {
		in.Marked++
	}
	switch {
	case before.Marked && !before.Complied && item.Complied:
		in.Wanting--
	case (!before.Marked || before.Complied) && !item.Complied:
		in.Wanting++
	}
	var prev any
	if before.Marked {
		prev = &before
	}
	b, after := ducha.Diff(prev, item)
	if err := tx.appendEvent(ctx, "inspection", in.ID, "mark", dutyLabel(item.Duty.No, item.Duty.Title), b, after); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return in, nil
}

// SubmitInspection submits an inspection whose every duty is marked and
// makes one problem per duty found wanting, all in one transaction.
func (db *DB) SubmitInspection(ctx context.Context, id int64, version int) (*ducha.Inspection, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	in, err := tx.lockInspection(ctx, id, version)
	if err != nil {
		return nil, err
	}
	before := inspectionRecord(in)
	if err := ducha.ApplyInspectionSubmit(in, u, tx.now); err != nil {
		return nil, err
	}
	unit, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`, in.UnitID))
	if err != nil {
		return nil, fmt.Errorf("submit inspection %d: %w", id, err)
	}
	for _, it := range in.Items {
		if it.Complied {
			continue
		}
		p := ducha.FindingProblem(in, unit, it)
		if err := tx.createProblem(ctx, p, "create"); err != nil {
			return nil, inspectionItemError(it, err)
		}
		if err := tx.notifyProblem(ctx, nil, p, "create"); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `UPDATE inspection_items SET problem_id = ? WHERE inspection_id = ? AND duty_id = ?`,
			p.ID, in.ID, it.Duty.ID); err != nil {
			return nil, fmt.Errorf("link problem %d: %w", p.ID, err)
		}
		it.ProblemID, it.ProblemCode = p.ID, p.Code
		in.Problems = append(in.Problems, &ducha.InspectionProblem{ID: p.ID, Code: p.Code, Duty: it.Duty})
	}
	if err := tx.bumpInspection(ctx, in, "status = ?, submitted_by = ?, submitted_at = ?, ",
		string(in.Status), userID(tx.user), ducha.FormatTime(*in.SubmittedAt)); err != nil {
		return nil, err
	}
	b, after := ducha.Diff(before, inspectionRecord(in))
	note := "发现问题" + strconv.Itoa(len(in.Problems)) + "个"
	if err := tx.appendEvent(ctx, "inspection", in.ID, "submit", note, b, after); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return in, nil
}

// inspectionItemError says which duty's problem could not be made.
func inspectionItemError(it *ducha.InspectionItem, err error) error {
	if e, ok := err.(*ducha.Error); ok {
		e2 := *e
		e2.Message = "职责事项" + dutyLabel(it.Duty.No, it.Duty.Title) + "转为问题时出错：" + e.Message
		return &e2
	}
	return fmt.Errorf("inspection problem for duty %d: %w", it.Duty.ID, err)
}

// FindInspectionEvents returns an inspection's history to whoever may read it.
func (db *DB) FindInspectionEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findInspection(ctx, id); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "inspection", id)
}

// InspectionSummary is the county view: every unit with a list or an
// inspection, whether it has submitted one (how many, the last day), its
// list's size and the duties its latest submitted inspection found
// wanting; and the duties, by their text across units, found wanting in
// the most units, worst first.
func (db *DB) InspectionSummary(ctx context.Context) (*ducha.InspectionSummary, error) {
	if _, err := ducha.Require(ctx, ducha.PermOversee); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT u.id, u.name,
		(SELECT count(*) FROM duties d WHERE d.unit_id = u.id),
		(SELECT count(*) FROM inspections i WHERE i.unit_id = u.id AND i.status = 'submitted'),
		(SELECT max(i.submitted_at) FROM inspections i WHERE i.unit_id = u.id AND i.status = 'submitted'),
		(SELECT count(*) FROM inspections i WHERE i.unit_id = u.id AND i.status = 'open'),
		(SELECT count(*) FROM inspection_items x WHERE x.complied = 0 AND x.inspection_id =
			(SELECT max(i.id) FROM inspections i WHERE i.unit_id = u.id AND i.status = 'submitted'))
		FROM units u
		WHERE EXISTS (SELECT 1 FROM duties d WHERE d.unit_id = u.id) OR EXISTS (SELECT 1 FROM inspections i WHERE i.unit_id = u.id)
		ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("inspection summary: %w", err)
	}
	s := &ducha.InspectionSummary{Units: []*ducha.UnitInspection{}, Duties: []*ducha.DutyWanting{}}
	for rows.Next() {
		var ui ducha.UnitInspection
		var last sql.NullString
		var open int
		if err := rows.Scan(&ui.UnitID, &ui.Unit, &ui.Duties, &ui.Submitted, &last, &open, &ui.Wanting); err != nil {
			rows.Close()
			return nil, fmt.Errorf("inspection summary: %w", err)
		}
		ui.Inspected, ui.Open = ui.Submitted > 0, open > 0
		if last.Valid {
			ui.LastSubmitted = ducha.Today(ducha.ParseTime(last.String))
		}
		s.Units = append(s.Units, &ui)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT d.title, u.name FROM inspection_items x
		JOIN duties d ON d.id = x.duty_id JOIN units u ON u.id = d.unit_id
		WHERE x.complied = 0 AND x.inspection_id IN
			(SELECT max(i.id) FROM inspections i WHERE i.status = 'submitted' GROUP BY i.unit_id)
		ORDER BY d.title, u.id`)
	if err != nil {
		return nil, fmt.Errorf("inspection summary duties: %w", err)
	}
	defer rows.Close()
	byTitle := map[string]*ducha.DutyWanting{}
	for rows.Next() {
		var title, unit string
		if err := rows.Scan(&title, &unit); err != nil {
			return nil, fmt.Errorf("inspection summary duties: %w", err)
		}
		w := byTitle[title]
		if w == nil {
			w = &ducha.DutyWanting{Title: title}
			byTitle[title] = w
			s.Duties = append(s.Duties, w)
		}
		w.Count++
		w.Units = append(w.Units, unit)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortWanting(s.Duties)
	return s, nil
}

// sortWanting orders duties by the units that found them wanting, most
// first, then by their text.
func sortWanting(ds []*ducha.DutyWanting) {
	slices.SortStableFunc(ds, func(a, b *ducha.DutyWanting) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Title, b.Title)
	})
}
