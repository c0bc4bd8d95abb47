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

// FindUsers lists every user. Admins only.
func (db *DB) FindUsers(ctx context.Context) ([]*ducha.User, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+userColumns+userFrom+` ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*ducha.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
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

// SetPassword replaces a user's password: the user themself or an admin.
func (db *DB) SetPassword(ctx context.Context, userID int64, password string) error {
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
	// A password set by someone else must be changed by its user at the
	// next login; one the user chose themself need not.
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, version = version + 1 WHERE id = ?`,
		hash, boolInt(u.ID != userID), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ducha.NotFound("用户")
	}
	// Old sessions end with the old password.
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	if err := tx.appendEvent(ctx, "user", userID, "set_password", "", nil, nil); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// CreateToken makes an API token for a user; the secret is returned once.
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (*ducha.Token, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	if u.ID != userID && !ducha.Can(u, ducha.PermManage) {
		return nil, ducha.Forbidden()
	}
	secret, hash, err := newSecret()
	if err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t := &ducha.Token{UserID: userID, Name: name, Secret: secret, CreatedAt: tx.now}
	t.ID, err = tx.insert(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		userID, name, hash, ducha.FormatTime(tx.now))
	if err != nil {
		return nil, fmt.Errorf("create token: %w", err)
	}
	if err := tx.appendEvent(ctx, "user", userID, "create_token", name, nil, nil); err != nil {
		return nil, err
	}
	return t, tx.commit(ctx)
}

// FindUserByToken resolves a Bearer token. It only reads.
func (db *DB) FindUserByToken(ctx context.Context, secret string) (*ducha.User, error) {
	u, err := scanUser(db.queryRow(ctx, (`SELECT ` + userColumns + userFrom +
		` JOIN tokens t ON t.user_id = u.id WHERE t.token_hash = ? AND u.disabled = 0`), hashSecret(secret)))
	if err == sql.ErrNoRows {
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "令牌无效")
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	return u, nil
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
	tx, err := db.beginWrite(ctx)
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
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return tx.commit(ctx)
}
