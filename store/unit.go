package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"ducha"
	"ducha/text"
)

const unitColumns = `id, name, kind, division_code, member, head, liaison, phone, version`

func scanUnit(row interface{ Scan(...any) error }) (*ducha.Unit, error) {
	var u ducha.Unit
	var member int
	if err := row.Scan(&u.ID, &u.Name, &u.Kind, &u.DivisionCode, &member, &u.Head, &u.Liaison, &u.Phone, &u.Version); err != nil {
		return nil, err
	}
	u.Member = member != 0
	return &u, nil
}

// FindUnits lists every unit; any logged-in user may (forms need the names).
func (db *DB) FindUnits(ctx context.Context) ([]*ducha.Unit, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+unitColumns+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find units: %w", err)
	}
	defer rows.Close()
	var out []*ducha.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindUnitByID returns one unit.
func (db *DB) FindUnitByID(ctx context.Context, id int64) (*ducha.Unit, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	u, err := scanUnit(db.reader.QueryRowContext(ctx, db.dialect.rebind(`SELECT `+unitColumns+` FROM units WHERE id = ?`), id))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("单位")
	} else if err != nil {
		return nil, fmt.Errorf("find unit: %w", err)
	}
	return u, nil
}

// FindUnitByName returns the unit of that name (as written, or normalized:
// traditional characters and pinyin annotations are accepted).
func (db *DB) FindUnitByName(ctx context.Context, name string) (*ducha.Unit, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.resolveUnit(ctx, "unit", ducha.UnitRef(name))
}

// resolveUnit finds a unit by id (all digits) or by name; field names the
// input in the error.
func (tx *Tx) resolveUnit(ctx context.Context, field string, ref ducha.UnitRef) (*ducha.Unit, error) {
	s := strings.TrimSpace(string(ref))
	if s == "" {
		return nil, ducha.FieldError(field, "单位不能为空")
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		u, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`, id))
		if err == nil {
			return u, nil
		} else if err != sql.ErrNoRows {
			return nil, err
		}
	}
	for _, name := range []string{s, text.Clean(s)} {
		u, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE name = ?`, name))
		if err == nil {
			return u, nil
		} else if err != sql.ErrNoRows {
			return nil, err
		}
	}
	return nil, ducha.FieldError(field, "单位“%s”不存在", s)
}

// ImportUnits creates units by name or updates the ones that exist, all in
// one transaction. Admins only.
func (db *DB) ImportUnits(ctx context.Context, units []*ducha.Unit) (created, updated int, err error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return 0, 0, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	for i, u := range units {
		if err := u.Validate(); err != nil {
			if e, ok := err.(*ducha.Error); ok && e.Row == 0 {
				e.Row = i + 2 // the header is line 1
			}
			return 0, 0, err
		}
		old, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE name = ?`, u.Name))
		switch {
		case err == sql.ErrNoRows:
			u.Version = 1
			u.ID, err = tx.insert(ctx, `INSERT INTO units (name, kind, division_code, member, head, liaison, phone, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, u.Name, string(u.Kind), u.DivisionCode, boolInt(u.Member), u.Head, u.Liaison, u.Phone)
			if err != nil {
				return 0, 0, fmt.Errorf("insert unit: %w", err)
			}
			_, after := ducha.Diff(nil, u)
			if err := tx.appendEvent(ctx, "unit", u.ID, "create", "", nil, after); err != nil {
				return 0, 0, err
			}
			created++
		case err != nil:
			return 0, 0, err
		default:
			u.KeepAbsent(old)
			u.ID, u.Version = old.ID, old.Version+1
			before, after := ducha.Diff(old, u)
			if after == nil && before == nil {
				u.Version = old.Version
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE units SET kind = ?, division_code = ?, member = ?, head = ?, liaison = ?, phone = ?,
				version = version + 1 WHERE id = ?`, string(u.Kind), u.DivisionCode, boolInt(u.Member), u.Head, u.Liaison, u.Phone, u.ID); err != nil {
				return 0, 0, fmt.Errorf("update unit: %w", err)
			}
			if err := tx.appendEvent(ctx, "unit", u.ID, "update", "", before, after); err != nil {
				return 0, 0, err
			}
			updated++
		}
	}
	return created, updated, tx.commit(ctx)
}

// CreateUnit adds one unit. Admins only. Names are unique, as the ledger
// and the case files name units by name; the name is normalized as unit
// files are (traditional characters, pinyin notes, full-width letters).
func (db *DB) CreateUnit(ctx context.Context, u *ducha.Unit) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	u.Name = text.Clean(strings.TrimSpace(u.Name))
	if err := u.Validate(); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUnitName(ctx, u.Name, 0); err != nil {
		return err
	}
	u.Version = 1
	u.ID, err = tx.insert(ctx, `INSERT INTO units (name, kind, division_code, member, head, liaison, phone, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, u.Name, string(u.Kind), u.DivisionCode, boolInt(u.Member), u.Head, u.Liaison, u.Phone)
	if isUniqueViolation(err) {
		return unitNameTaken(u.Name)
	} else if err != nil {
		return fmt.Errorf("create unit: %w", err)
	}
	_, after := ducha.Diff(nil, u)
	if err := tx.appendEvent(ctx, "unit", u.ID, "create", "", nil, after); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// UpdateUnit changes a unit. Admins only; the version must be the one the
// admin saw. A new name must not be another unit's. Problems, cases and
// users refer to units by id, so a renamed unit keeps all its items.
func (db *DB) UpdateUnit(ctx context.Context, id int64, upd ducha.UnitUpdate) (*ducha.Unit, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	if upd.Version <= 0 {
		return nil, ducha.FieldError("version", "缺少版本号（version），请刷新后重试")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`+tx.db.dialect.forUpdate(), id))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("单位")
	} else if err != nil {
		return nil, fmt.Errorf("update unit: %w", err)
	}
	if before.Version != upd.Version {
		return nil, ducha.Conflict()
	}
	after := *before
	upd.Apply(&after)
	after.Name = text.Clean(after.Name)
	if err := after.Validate(); err != nil {
		return nil, err
	}
	old, changed := ducha.Diff(before, &after)
	if old == nil && changed == nil {
		return before, nil
	}
	if after.Name != before.Name {
		if err := tx.checkUnitName(ctx, after.Name, id); err != nil {
			return nil, err
		}
	}
	res, err := tx.exec(ctx, `UPDATE units SET name = ?, kind = ?, division_code = ?, member = ?, head = ?, liaison = ?, phone = ?,
		version = version + 1 WHERE id = ? AND version = ?`, after.Name, string(after.Kind), after.DivisionCode, boolInt(after.Member),
		after.Head, after.Liaison, after.Phone, id, before.Version)
	if isUniqueViolation(err) {
		return nil, unitNameTaken(after.Name)
	} else if err != nil {
		return nil, fmt.Errorf("update unit: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ducha.Conflict()
	}
	after.Version = before.Version + 1
	// A case's search tokens hold its units' initials (caseTokens).
	if after.Name != before.Name {
		if err := tx.queueUnitCaseSearch(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := tx.appendEvent(ctx, "unit", id, "update", "", old, changed); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &after, nil
}

// checkUnitName refuses a name another unit than self already has, with
// a message that says so (the unique index would only say "constraint").
func (tx *Tx) checkUnitName(ctx context.Context, name string, self int64) error {
	var other int64
	err := tx.queryRow(ctx, `SELECT id FROM units WHERE name = ? AND id <> ?`, name, self).Scan(&other)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return fmt.Errorf("check unit name: %w", err)
	}
	return unitNameTaken(name)
}

func unitNameTaken(name string) error {
	return ducha.FieldError("name", "单位名称“%s”已被其他单位使用，单位名称不能重复", name)
}
