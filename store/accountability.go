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

// Accountability records (问责). Discipline (and the administrator)
// writes them; everyone reads them within their scope. Each change writes
// the record, its links, its counted state (accountability_states, for
// the reports as of a past day) and its event in one transaction.

const accountabilityColumns = `a.id, a.person, a.post, a.unit_id, u.name, a.form, a.reason, a.decided_by, a.date,
	a.version, COALESCE(cb.username, ''), a.created_at, a.updated_at`

const accountabilityFrom = ` FROM accountability a JOIN units u ON u.id = a.unit_id LEFT JOIN users cb ON cb.id = a.created_by`

func scanAccountability(row interface{ Scan(...any) error }) (*ducha.Accountability, error) {
	var a ducha.Accountability
	var created, updated string
	err := row.Scan(&a.ID, &a.Person, &a.Post, &a.UnitID, &a.Unit, &a.Form, &a.Reason, &a.DecidedBy, &a.Date,
		&a.Version, &a.CreatedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	if a.CreatedBy == "" {
		a.CreatedBy = ducha.SystemUser.Username
	}
	a.CreatedAt, a.UpdatedAt = ducha.ParseTime(created), ducha.ParseTime(updated)
	a.Problems, a.Cases = []int64{}, []int64{}
	return &a, nil
}

// accountabilityScope keeps unit-scoped users to the records of their
// unit's people and those that link a problem or a case of their unit, in
// a query over accountability a.
func accountabilityScope(u *ducha.User) (string, []any) {
	if u == nil {
		return " AND 1 = 0", nil
	}
	if !u.Role.UnitScoped() {
		return "", nil
	}
	return ` AND (a.unit_id = ?
		OR EXISTS (SELECT 1 FROM accountability_problems ap JOIN problem_units pu ON pu.problem_id = ap.problem_id
			WHERE ap.accountability_id = a.id AND pu.unit_id = ?)
		OR EXISTS (SELECT 1 FROM accountability_cases ac JOIN case_units cu ON cu.case_id = ac.case_id
			WHERE ac.accountability_id = a.id AND cu.unit_id = ?))`, []any{u.UnitID, u.UnitID, u.UnitID}
}

// findAccountability loads one record the user may see, with its links;
// one of another unit is not found, exactly like a missing one.
func (tx *Tx) findAccountability(ctx context.Context, id int64) (*ducha.Accountability, error) {
	scope, args := accountabilityScope(tx.user)
	a, err := scanAccountability(tx.queryRow(ctx, `SELECT `+accountabilityColumns+accountabilityFrom+` WHERE a.id = ?`+scope,
		append([]any{id}, args...)...))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("问责记录")
	} else if err != nil {
		return nil, fmt.Errorf("find accountability %d: %w", id, err)
	}
	if err := tx.attachAccountabilityLinks(ctx, []*ducha.Accountability{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// attachAccountabilityLinks fills in the linked problems and cases.
func (tx *Tx) attachAccountabilityLinks(ctx context.Context, as []*ducha.Accountability) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*ducha.Accountability, len(as))
	args := make([]any, len(as))
	for i, a := range as {
		byID[a.ID], args[i] = a, a.ID
	}
	in := placeholders(len(as))
	for _, l := range []struct {
		table, column string
		into          func(a *ducha.Accountability) *[]int64
	}{
		{"accountability_problems", "problem_id", func(a *ducha.Accountability) *[]int64 { return &a.Problems }},
		{"accountability_cases", "case_id", func(a *ducha.Accountability) *[]int64 { return &a.Cases }},
	} {
		rows, err := tx.query(ctx, `SELECT accountability_id, `+l.column+` FROM `+l.table+
			` WHERE accountability_id IN (`+in+`) ORDER BY accountability_id, `+l.column, args...)
		if err != nil {
			return fmt.Errorf("accountability links: %w", err)
		}
		for rows.Next() {
			var id, item int64
			if err := rows.Scan(&id, &item); err != nil {
				rows.Close()
				return err
			}
			p := l.into(byID[id])
			*p = append(*p, item)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// FindAccountabilityByID returns one record.
func (db *DB) FindAccountabilityByID(ctx context.Context, id int64) (*ducha.Accountability, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findAccountability(ctx, id)
}

// FindAccountabilityEvents returns a record's history to whoever may read it.
func (db *DB) FindAccountabilityEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findAccountability(ctx, id); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "accountability", id)
}

// FindAccountability returns a page of the records the user may see,
// latest decision first, and the count of all that match.
func (db *DB) FindAccountability(ctx context.Context, f ducha.AccountabilityFilter) ([]*ducha.Accountability, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	var w strings.Builder
	w.WriteString(" WHERE 1 = 1")
	scope, args := accountabilityScope(u)
	w.WriteString(scope)
	if f.UnitID != 0 {
		w.WriteString(" AND a.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.ProblemID != 0 {
		w.WriteString(" AND EXISTS (SELECT 1 FROM accountability_problems x WHERE x.accountability_id = a.id AND x.problem_id = ?)")
		args = append(args, f.ProblemID)
	}
	if f.CaseID != 0 {
		w.WriteString(" AND EXISTS (SELECT 1 FROM accountability_cases x WHERE x.accountability_id = a.id AND x.case_id = ?)")
		args = append(args, f.CaseID)
	}
	where := w.String()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM accountability a`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count accountability: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT `+accountabilityColumns+accountabilityFrom+where+
		` ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find accountability: %w", err)
	}
	out := []*ducha.Accountability{}
	for rows.Next() {
		a, err := scanAccountability(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("find accountability: %w", err)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := tx.attachAccountabilityLinks(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateAccountability stores a new record with its links, its state and
// its event.
func (db *DB) CreateAccountability(ctx context.Context, in *ducha.AccountabilityInput) (*ducha.Accountability, error) {
	if _, err := ducha.Require(ctx, ducha.PermAccountability); err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a := in.Record()
	if strings.TrimSpace(string(in.Unit)) != "" {
		unit, err := tx.resolveUnit(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		a.UnitID, a.Unit = unit.ID, unit.Name
	}
	if err := tx.checkAccountability(ctx, a); err != nil {
		return nil, err
	}
	a.Version, a.CreatedAt, a.UpdatedAt = 1, tx.now, tx.now
	a.CreatedBy = tx.user.Username
	a.ID, err = tx.insert(ctx, `INSERT INTO accountability (person, post, unit_id, form, reason, decided_by, date, version,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
		a.Person, a.Post, a.UnitID, string(a.Form), a.Reason, a.DecidedBy, string(a.Date), userID(tx.user),
		ducha.FormatTime(tx.now), ducha.FormatTime(tx.now))
	if err != nil {
		return nil, fmt.Errorf("insert accountability: %w", err)
	}
	if err := tx.writeAccountabilityLinks(ctx, a, false); err != nil {
		return nil, err
	}
	if err := tx.addAccountabilityState(ctx, a, false); err != nil {
		return nil, err
	}
	_, after := ducha.Diff(nil, a)
	if err := tx.appendEvent(ctx, "accountability", a.ID, "create", a.Form.Label(), nil, after); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAccountability changes a record whose version is still upd.Version.
func (db *DB) UpdateAccountability(ctx context.Context, id int64, upd ducha.AccountabilityUpdate) (*ducha.Accountability, error) {
	if _, err := ducha.Require(ctx, ducha.PermAccountability); err != nil {
		return nil, err
	}
	if upd.Version <= 0 {
		return nil, ducha.FieldError("version", "请提供版本号（请求体version或If-Match请求头）")
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findAccountability(ctx, id)
	if err != nil {
		return nil, err
	}
	if before.Version != upd.Version {
		return nil, ducha.Conflict()
	}
	a := *before
	upd.Apply(&a)
	if upd.Unit != nil {
		a.UnitID, a.Unit = 0, ""
		if strings.TrimSpace(string(*upd.Unit)) != "" {
			unit, err := tx.resolveUnit(ctx, "unit", *upd.Unit)
			if err != nil {
				return nil, err
			}
			a.UnitID, a.Unit = unit.ID, unit.Name
		}
	}
	if err := tx.checkAccountability(ctx, &a); err != nil {
		return nil, err
	}
	a.Version, a.UpdatedAt = before.Version+1, tx.now
	res, err := tx.exec(ctx, `UPDATE accountability SET person = ?, post = ?, unit_id = ?, form = ?, reason = ?,
		decided_by = ?, date = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		a.Person, a.Post, a.UnitID, string(a.Form), a.Reason, a.DecidedBy, string(a.Date), a.Version,
		ducha.FormatTime(tx.now), a.ID, before.Version)
	if err != nil {
		return nil, fmt.Errorf("update accountability %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ducha.Conflict()
	}
	if !slices.Equal(before.Problems, a.Problems) || !slices.Equal(before.Cases, a.Cases) {
		if err := tx.writeAccountabilityLinks(ctx, &a, true); err != nil {
			return nil, err
		}
	}
	if before.Person != a.Person || before.UnitID != a.UnitID || before.Date != a.Date || !slices.Equal(before.Cases, a.Cases) {
		if err := tx.addAccountabilityState(ctx, &a, true); err != nil {
			return nil, err
		}
	}
	b, after := ducha.Diff(before, &a)
	if err := tx.appendEvent(ctx, "accountability", a.ID, "update", "", b, after); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &a, nil
}

// checkAccountability validates a record and checks that every problem
// and case it links exists, naming the first missing one.
func (tx *Tx) checkAccountability(ctx context.Context, a *ducha.Accountability) error {
	if err := a.Validate(tx.today()); err != nil {
		return err
	}
	for _, l := range []struct {
		field, table, noun string
		ids                []int64
	}{{"problems", "problems", "问题", a.Problems}, {"cases", "cases", "交办件", a.Cases}} {
		if len(l.ids) == 0 {
			continue
		}
		if len(l.ids) > ducha.MaxPerPage {
			return ducha.FieldError(l.field, "一条问责记录最多关联%d个%s", ducha.MaxPerPage, l.noun)
		}
		args := make([]any, len(l.ids))
		for i, id := range l.ids {
			args[i] = id
		}
		rows, err := tx.query(ctx, `SELECT id FROM `+l.table+` WHERE id IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return fmt.Errorf("accountability %s: %w", l.field, err)
		}
		found := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			found[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range l.ids {
			if !found[id] {
				return ducha.FieldError(l.field, "关联的%s%d不存在", l.noun, id)
			}
		}
	}
	return nil
}

// writeAccountabilityLinks writes a record's links, replacing the old ones.
func (tx *Tx) writeAccountabilityLinks(ctx context.Context, a *ducha.Accountability, replace bool) error {
	for _, l := range []struct {
		table, column string
		ids           []int64
	}{{"accountability_problems", "problem_id", a.Problems}, {"accountability_cases", "case_id", a.Cases}} {
		if replace {
			if _, err := tx.exec(ctx, `DELETE FROM `+l.table+` WHERE accountability_id = ?`, a.ID); err != nil {
				return fmt.Errorf("accountability links: %w", err)
			}
		}
		for _, id := range l.ids {
			if _, err := tx.exec(ctx, `INSERT INTO `+l.table+` (accountability_id, `+l.column+`) VALUES (?, ?)`, a.ID, id); err != nil {
				return fmt.Errorf("accountability links: %w", err)
			}
		}
	}
	return nil
}

// addAccountabilityState records what the reports count of a record from
// now on, closing the state before it.
func (tx *Tx) addAccountabilityState(ctx context.Context, a *ducha.Accountability, closePrevious bool) error {
	now := ducha.FormatTime(tx.now)
	if closePrevious {
		if _, err := tx.exec(ctx, `UPDATE accountability_states SET valid_to = ? WHERE accountability_id = ? AND valid_to IS NULL`, now, a.ID); err != nil {
			return fmt.Errorf("accountability state: %w", err)
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO accountability_states (accountability_id, valid_from, person, unit_id, date, cases)
		VALUES (?, ?, ?, ?, ?, ?)`, a.ID, now, a.Person, a.UnitID, string(a.Date), joinIDs(a.Cases)); err != nil {
		return fmt.Errorf("accountability state: %w", err)
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
