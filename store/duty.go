package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"ducha"
	"ducha/text"
)

// Responsibility lists (责任清单). The coordinator imports them from a file,
// all rows or none; a unit's list is unique by the duty's text, so the same
// file imported twice changes nothing. Every duty created or changed
// appends its event in the import's transaction. Unit-scoped users read
// their own unit's list only.

const dutyColumns = `d.id, d.unit_id, u.name, d.no, d.title, d.basis, d.created_at`

const dutyFrom = ` FROM duties d JOIN units u ON u.id = d.unit_id`

func scanDuty(row interface{ Scan(...any) error }) (*ducha.Duty, error) {
	var d ducha.Duty
	var created string
	if err := row.Scan(&d.ID, &d.UnitID, &d.Unit, &d.No, &d.Title, &d.Basis, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = ducha.ParseTime(created)
	return &d, nil
}

// dutyScope keeps unit-scoped users to their own unit's duties, in a query
// over duties d.
func dutyScope(u *ducha.User) (string, []any) { return unitColumnScope(u, "d.unit_id") }

// dutyHeaders name the file's columns in row errors.
var dutyHeaders = map[string]string{"unit": "责任单位", "no": "序号", "title": "职责事项", "basis": "依据"}

// ImportDuties stores the duties of a responsibility list, all or none:
// a row naming an unknown unit, or a duty its unit's list holds twice in
// the file, stops the import with its row number.
func (db *DB) ImportDuties(ctx context.Context, rows []ducha.DutyRow) (ducha.DutyImportResult, error) {
	res := ducha.DutyImportResult{Units: []string{}}
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return res, err
	}
	if len(rows) == 0 {
		return res, ducha.FieldError("file", "文件中没有职责事项")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	units := map[string]*ducha.Unit{}
	type key struct {
		unit  int64
		title string
	}
	seen := map[key]int{}
	touched := map[int64]bool{}
	for _, r := range rows {
		d := r.Duty
		if err := d.Validate(); err != nil {
			return res, rowErr(err, r.Row)
		}
		u, ok := units[r.Unit]
		if !ok {
			if u, err = tx.dutyUnit(ctx, r.Unit); err != nil {
				return res, rowErr(err, r.Row)
			}
			units[r.Unit] = u
		}
		d.UnitID, d.Unit = u.ID, u.Name
		k := key{u.ID, d.Title}
		if first, dup := seen[k]; dup {
			return res, rowErr(ducha.FieldError("title", "“职责事项”列：与第%d行重复（同一单位的职责事项不能重复）", first), r.Row)
		}
		seen[k] = r.Row
		changed, created, err := tx.upsertDuty(ctx, d)
		if err != nil {
			return res, rowErr(err, r.Row)
		}
		switch {
		case created:
			res.Created++
		case changed:
			res.Updated++
		default:
			res.Unchanged++
		}
		if !touched[u.ID] {
			touched[u.ID] = true
			res.Units = append(res.Units, u.Name)
		}
	}
	if err := tx.commit(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// dutyUnit finds a unit by its exact name (as written, or normalized),
// naming the file's column when there is none.
func (tx *Tx) dutyUnit(ctx context.Context, name string) (*ducha.Unit, error) {
	if name == "" {
		return nil, ducha.FieldError("unit", "“%s”列：责任单位不能为空", dutyHeaders["unit"])
	}
	for _, n := range []string{name, text.Clean(name)} {
		u, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE name = ?`, n))
		if err == nil {
			return u, nil
		} else if err != sql.ErrNoRows {
			return nil, fmt.Errorf("unit %q: %w", name, err)
		}
	}
	return nil, ducha.FieldError("unit", "“%s”列：单位“%s”不存在", dutyHeaders["unit"], name)
}

// upsertDuty writes one duty of a list: new, changed (序号 or 依据) or as
// it was; each change with its event.
func (tx *Tx) upsertDuty(ctx context.Context, d *ducha.Duty) (changed, created bool, err error) {
	before, err := scanDuty(tx.queryRow(ctx, `SELECT `+dutyColumns+dutyFrom+` WHERE d.unit_id = ? AND d.title = ?`, d.UnitID, d.Title))
	now := ducha.FormatTime(tx.now)
	switch {
	case err == sql.ErrNoRows:
		d.CreatedAt = tx.now
		d.ID, err = tx.insert(ctx, `INSERT INTO duties (unit_id, no, title, basis, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.UnitID, d.No, d.Title, d.Basis, now, now)
		if err != nil {
			return false, false, fmt.Errorf("insert duty: %w", err)
		}
		_, after := ducha.Diff(nil, d)
		return true, true, tx.appendEvent(ctx, "duty", d.ID, "create", d.Unit, nil, after)
	case err != nil:
		return false, false, fmt.Errorf("find duty: %w", err)
	}
	d.ID, d.CreatedAt = before.ID, before.CreatedAt
	if before.No == d.No && before.Basis == d.Basis {
		return false, false, nil
	}
	if _, err := tx.exec(ctx, `UPDATE duties SET no = ?, basis = ?, updated_at = ? WHERE id = ?`, d.No, d.Basis, now, d.ID); err != nil {
		return false, false, fmt.Errorf("update duty %d: %w", d.ID, err)
	}
	b, after := ducha.Diff(before, d)
	return true, false, tx.appendEvent(ctx, "duty", d.ID, "update", d.Unit, b, after)
}

// FindDuties returns a page of the duties the user may see, each unit's
// list in its file's order, and the count of all that match.
func (db *DB) FindDuties(ctx context.Context, f ducha.DutyFilter) ([]*ducha.Duty, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	where, args := dutyScope(u)
	where = " WHERE 1 = 1" + where
	if f.UnitID != 0 {
		where += " AND d.unit_id = ?"
		args = append(args, f.UnitID)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM duties d`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count duties: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT `+dutyColumns+dutyFrom+where+` ORDER BY d.unit_id, d.id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find duties: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Duty{}
	for rows.Next() {
		d, err := scanDuty(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find duties: %w", err)
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// problemDuty is the duty a self-inspection found a problem under; nil
// for a problem of another source.
func (tx *Tx) problemDuty(ctx context.Context, problemID int64) (*ducha.DutyRef, error) {
	var d ducha.DutyRef
	err := tx.queryRow(ctx, `SELECT d.id, d.no, d.title FROM inspection_items ii JOIN duties d ON d.id = ii.duty_id
		WHERE ii.problem_id = ?`, problemID).Scan(&d.ID, &d.No, &d.Title)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("problem %d duty: %w", problemID, err)
	}
	return &d, nil
}

// dutyLabel names a duty in an event's note.
func dutyLabel(no, title string) string {
	if no == "" {
		return title
	}
	if _, err := strconv.Atoi(no); err == nil {
		return "第" + no + "项 " + title
	}
	return no + " " + title
}
