package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"ducha"
)

const userColumns = `u.id, u.username, u.display_name, u.role, u.unit_id, COALESCE(un.name, ''), u.disabled, u.must_change_password, u.created_at, u.version`
const userFrom = ` FROM users u LEFT JOIN units un ON un.id = u.unit_id`

func scanUser(row interface{ Scan(...any) error }) (*ducha.User, error) {
	var u ducha.User
	var unit sql.NullInt64
	var disabled, mustChange int
	var created string
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &unit, &u.UnitName, &disabled, &mustChange, &created, &u.Version); err != nil {
		return nil, err
	}
	u.UnitID, u.Disabled, u.MustChangePassword, u.CreatedAt = unit.Int64, disabled != 0, mustChange != 0, ducha.ParseTime(created)
	return &u, nil
}

// CreateUser stores u with its password hashed with argon2id. Admins only.
func (db *DB) CreateUser(ctx context.Context, u *ducha.User, password string) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	u.Username = strings.TrimSpace(u.Username)
	if len(password) < 8 {
		return ducha.FieldError("password", "密码至少8位")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if u.UnitID == 0 && u.UnitName != "" {
		unit, err := tx.resolveUnit(ctx, "unit", ducha.UnitRef(u.UnitName))
		if err != nil {
			return err
		}
		u.UnitID = unit.ID
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	u.CreatedAt, u.Version = tx.now, 1
	id, err := tx.insert(ctx, `INSERT INTO users (username, display_name, role, unit_id, password_hash, disabled, must_change_password, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, u.Username, u.DisplayName, string(u.Role),
		sql.NullInt64{Int64: u.UnitID, Valid: u.UnitID != 0}, hash, boolInt(u.Disabled), boolInt(u.MustChangePassword), ducha.FormatTime(tx.now))
	if isUniqueViolation(err) {
		return ducha.FieldError("username", "用户名“%s”已存在", u.Username)
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.ID = id
	_, after := ducha.Diff(nil, u)
	if err := tx.appendEvent(ctx, "user", u.ID, "create", "", nil, after); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// FindUserByID returns a user. Anyone logged in may look users up (names
// appear in histories); admins manage them.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*ducha.User, error) {
	return db.findUser(ctx, `u.id = ?`, id)
}

// FindUserByUsername returns a user by name.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*ducha.User, error) {
	return db.findUser(ctx, `u.username = ?`, username)
}

func (db *DB) findUser(ctx context.Context, cond string, arg any) (*ducha.User, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	u, err := scanUser(db.queryRow(ctx, (`SELECT ` + userColumns + userFrom + ` WHERE ` + cond), arg))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("用户")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUsers lists the users f selects, oldest first, and counts all of
// them. Anyone logged in may (names appear in histories), but a unit
// liaison or unit head sees only the users of their own unit.
func (db *DB) FindUsers(ctx context.Context, f ducha.UserFilter) ([]*ducha.User, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	cond, args := userWhere(u, f)
	page := `SELECT ` + userColumns + userFrom + cond + ` ORDER BY u.id`
	pageArgs := args
	if f.Limit > 0 {
		page += ` LIMIT ? OFFSET ?`
		pageArgs = append(append([]any{}, args...), f.Limit, max(f.Offset, 0))
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM users u`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	rows, err := tx.query(ctx, page, pageArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	out := []*ducha.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find users: %w", err)
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// userWhere is the WHERE clause of a user list: the caller's unit scope
// first, then the filter.
func userWhere(u *ducha.User, f ducha.UserFilter) (string, []any) {
	cond, args := ` WHERE 1 = 1`, []any{}
	if u.Role.UnitScoped() {
		cond, args = cond+` AND u.unit_id = ?`, append(args, u.UnitID)
	}
	if f.UnitID != 0 {
		cond, args = cond+` AND u.unit_id = ?`, append(args, f.UnitID)
	}
	if f.Role != "" {
		cond, args = cond+` AND u.role = ?`, append(args, string(f.Role))
	}
	if f.Disabled != nil {
		cond, args = cond+` AND u.disabled = ?`, append(args, boolInt(*f.Disabled))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// The engine lowers both sides: SQLite's lower() changes ASCII
		// only, and a search lowered in Go missed a full-width name.
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		cond += ` AND (lower(u.username) LIKE lower(CAST(? AS TEXT)) ESCAPE '\' OR lower(u.display_name) LIKE lower(CAST(? AS TEXT)) ESCAPE '\')`
		args = append(args, like, like)
	}
	return cond, args
}

// UpdateUser changes an account's role, unit, name or state. Admins only.
// The version must be the one the admin saw. Disabling ends the user's
// sessions and revokes their tokens in the same transaction; nobody may
// disable or demote the last enabled administrator, who would leave the
// county without anyone to manage accounts but the command line.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd ducha.UserUpdate) (*ducha.User, error) {
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
	// One statement locks the user and every enabled admin, in id order,
	// so two admins disabling each other cannot both see the other stay.
	admins, found, err := tx.lockUserAndAdmins(ctx, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ducha.NotFound("用户")
	}
	before, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if before.Version != upd.Version {
		return nil, ducha.Conflict()
	}
	after := *before
	upd.Apply(&after)
	if upd.Unit != nil {
		if strings.TrimSpace(string(*upd.Unit)) == "" {
			after.UnitID, after.UnitName = 0, ""
		} else {
			unit, err := tx.resolveUnit(ctx, "unit", *upd.Unit)
			if err != nil {
				return nil, err
			}
			after.UnitID, after.UnitName = unit.ID, unit.Name
		}
	}
	if err := after.Validate(); err != nil {
		return nil, err
	}
	old, changed := ducha.Diff(before, &after)
	if old == nil && changed == nil {
		return before, nil
	}
	if before.Role == ducha.RoleAdmin && !before.Disabled && (after.Role != ducha.RoleAdmin || after.Disabled) {
		if others := len(admins) - 1; others < 1 {
			field, what := "role", "改为其他角色"
			if after.Disabled {
				field, what = "disabled", "停用"
			}
			return nil, ducha.FieldError(field, "%s是最后一个启用的系统管理员，不能%s；请先让另一个用户成为系统管理员", before.Username, what)
		}
	}
	res, err := tx.exec(ctx, `UPDATE users SET role = ?, unit_id = ?, display_name = ?, disabled = ?, version = version + 1
		WHERE id = ? AND version = ?`, string(after.Role), sql.NullInt64{Int64: after.UnitID, Valid: after.UnitID != 0},
		after.DisplayName, boolInt(after.Disabled), id, before.Version)
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ducha.Conflict()
	}
	after.Version = before.Version + 1
	action, note := "update", ""
	switch {
	case after.Disabled && !before.Disabled:
		action = "disable"
		revoked, err := tx.endLogins(ctx, id, 0, false)
		if err != nil {
			return nil, err
		}
		if revoked > 0 {
			note = fmt.Sprintf("撤销%d个令牌", revoked)
		}
	case !after.Disabled && before.Disabled:
		action = "enable"
	}
	if err := tx.appendEvent(ctx, "user", id, action, note, old, changed); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &after, nil
}

// lockUserAndAdmins locks user id and every enabled administrator, and
// returns the administrators' ids (id among them when it is one) and
// whether user id exists.
func (tx *Tx) lockUserAndAdmins(ctx context.Context, id int64) (admins []int64, found bool, err error) {
	rows, err := tx.query(ctx, `SELECT id, role, disabled FROM users WHERE id = ? OR (role = ? AND disabled = 0) ORDER BY id`+
		tx.db.dialect.forUpdate(), id, string(ducha.RoleAdmin))
	if err != nil {
		return nil, false, fmt.Errorf("lock users: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var role string
		var disabled int
		if err := rows.Scan(&uid, &role, &disabled); err != nil {
			return nil, false, fmt.Errorf("lock users: %w", err)
		}
		if uid == id {
			found = true
		}
		if ducha.Role(role) == ducha.RoleAdmin && disabled == 0 {
			admins = append(admins, uid)
		}
	}
	return admins, found, rows.Err()
}

// ResetPassword gives a user a new random one-time password and returns
// it; it is never stored or logged in the clear. Admins only. The user
// must change it at the next login; every session ends, and the user's
// tokens answer 403 password_change_required until then (the change
// then revokes them, as ChangePassword does by default).
func (db *DB) ResetPassword(ctx context.Context, id int64) (string, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return "", err
	}
	password, err := ducha.NewOneTimePassword()
	if err != nil {
		return "", fmt.Errorf("reset password: %w", err)
	}
	if err := db.setPassword(ctx, id, password, ducha.PasswordChange{KeepTokens: true}, true, "reset_password"); err != nil {
		return "", err
	}
	return password, nil
}

// Authenticate checks a username and password. A wrong username and a wrong
// password answer alike, and take alike long.
func (db *DB) Authenticate(ctx context.Context, username, password string) (*ducha.User, error) {
	var hash string
	var id int64
	err := db.queryRow(ctx, (`SELECT id, password_hash FROM users WHERE username = ? AND disabled = 0`),
		strings.TrimSpace(username)).Scan(&id, &hash)
	if err == sql.ErrNoRows {
		checkPassword(dummyHash, password)
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if !checkPassword(hash, password) {
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")
	}
	return scanUser(db.queryRow(ctx, (`SELECT ` + userColumns + userFrom + ` WHERE u.id = ?`), id))
}

// SetPassword replaces a user's password and ends all the user's sessions;
// tokens stay. It is an administrator's reset (or a first password): the
// user must then change the password before anything else, and until then
// every token answers 403 too; the change then revokes them by default.
func (db *DB) SetPassword(ctx context.Context, userID int64, password string) error {
	return db.ChangePassword(ctx, userID, password, ducha.PasswordChange{KeepTokens: true})
}

// ChangePassword replaces a user's password: the user themself or an admin.
// Every session of the user ends (the caller gives the browser that asked a
// fresh one); the user's tokens are revoked but the one keep names, unless
// keep.KeepTokens.
func (db *DB) ChangePassword(ctx context.Context, userID int64, password string, keep ducha.PasswordChange) error {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return err
	}
	// A password set by someone else must be changed by its user at the
	// next login; one the user chose themself need not.
	return db.setPassword(ctx, userID, password, keep, u.ID != userID, "set_password")
}

// setPassword stores a new password for userID, marks whether it must be
// changed at the next login, ends the user's sessions and the tokens keep
// does not keep, and appends the event action (which never holds the
// password). The user themself or an admin.
func (db *DB) setPassword(ctx context.Context, userID int64, password string, keep ducha.PasswordChange, mustChange bool, action string) error {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return err
	}
	if u.ID != userID && !ducha.Can(u, ducha.PermManage) {
		return ducha.Forbidden()
	}
	if len(password) < 8 {
		return ducha.FieldError("password", "密码至少8位")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, version = version + 1 WHERE id = ?`,
		hash, boolInt(mustChange), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ducha.NotFound("用户")
	}
	// Old sessions, and tokens unless kept, end with the old password.
	revoked, err := tx.endLogins(ctx, userID, keep.KeepToken, keep.KeepTokens)
	if err != nil {
		return err
	}
	note := ""
	if revoked > 0 {
		note = fmt.Sprintf("撤销%d个令牌", revoked)
	}
	if err := tx.appendEvent(ctx, "user", userID, action, note, nil, nil); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// CreateSession starts a browser session for a user who has just logged in.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, *ducha.Session, error) {
	secret, hash, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	csrf, _, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	now := db.opts.Now().UTC()
	s := &ducha.Session{UserID: userID, CSRF: csrf, ExpiresAt: now.Add(ttl)}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	// Expired sessions are swept here, on a write path, never on reads.
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, ducha.FormatTime(now)); err != nil {
		return "", nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hash, userID, csrf, ducha.FormatTime(now), ducha.FormatTime(s.ExpiresAt)); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return secret, s, tx.commit(ctx)
}

// FindSession resolves a session cookie. It only reads.
func (db *DB) FindSession(ctx context.Context, token string) (*ducha.User, *ducha.Session, error) {
	var s ducha.Session
	var expires string
	row := db.queryRow(ctx, (`SELECT ` + userColumns + `, s.csrf, s.expires_at` + userFrom +
		` JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND u.disabled = 0`), hashSecret(token))
	var u ducha.User
	var unit sql.NullInt64
	var disabled, mustChange int
	var created string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &unit, &u.UnitName, &disabled, &mustChange, &created, &u.Version, &s.CSRF, &expires)
	if err == sql.ErrNoRows {
		return nil, nil, ducha.Errorf(ducha.EUNAUTHORIZED, "登录已失效，请重新登录")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	u.UnitID, u.Disabled, u.MustChangePassword, u.CreatedAt = unit.Int64, disabled != 0, mustChange != 0, ducha.ParseTime(created)
	s.UserID, s.ExpiresAt = u.ID, ducha.ParseTime(expires)
	if !s.ExpiresAt.After(db.opts.Now()) {
		return nil, nil, ducha.Errorf(ducha.EUNAUTHORIZED, "登录已失效，请重新登录")
	}
	return &u, &s, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return tx.commit(ctx)
}
