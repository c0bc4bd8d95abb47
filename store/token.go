package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ducha"
)

// errBadToken answers every token that does not work: unknown, expired,
// revoked, or of a disabled user, alike.
var errBadToken = ducha.Errorf(ducha.EUNAUTHORIZED, "令牌无效或已被撤销")

// TokenStampEvery is how coarse a token's last use is: it is written at
// most once in this time, so that a script calling every second does not
// write every second.
const TokenStampEvery = time.Hour

const tokenColumns = `t.id, t.user_id, u.username, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*ducha.Token, error) {
	var t ducha.Token
	var created string
	var used, expires, revoked sql.NullString
	if err := row.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &created, &used, &expires, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt = ducha.ParseTime(created)
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = timePtr(used), timePtr(expires), timePtr(revoked)
	return &t, nil
}

// mayManageTokens lets users handle their own tokens and administrators
// anyone's; userID 0 means every user's.
func mayManageTokens(ctx context.Context, userID int64) error {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return err
	}
	if (userID == 0 || u.ID != userID) && !ducha.Can(u, ducha.PermManage) {
		return ducha.Forbidden()
	}
	return nil
}

// MaxLiveTokens is how many tokens a user may hold that are neither
// revoked nor expired; the next is refused until one is revoked.
const MaxLiveTokens = 50

// CreateToken makes a token that does not expire; the secret is returned once.
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (*ducha.Token, error) {
	t := &ducha.Token{UserID: userID, Name: name}
	if err := db.IssueToken(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// IssueToken stores a new token for t.UserID, named t.Name, expiring at
// t.ExpiresAt (never when nil), and fills in its id, secret and creation
// time. Users make their own; administrators anyone's. A user holds at most
// MaxLiveTokens live tokens; the count is taken with the user's row locked,
// so concurrent requests cannot pass it together.
func (db *DB) IssueToken(ctx context.Context, t *ducha.Token) error {
	if err := mayManageTokens(ctx, t.UserID); err != nil {
		return err
	}
	if err := t.Validate(db.opts.Now()); err != nil {
		return err
	}
	secret, hash, err := newSecret()
	if err != nil {
		return err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.queryRow(ctx, `SELECT username FROM users WHERE id = ?`+tx.db.dialect.forUpdate(), t.UserID).Scan(&t.Username); err == sql.ErrNoRows {
		return ducha.NotFound("用户")
	} else if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	var live int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM tokens WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
		t.UserID, ducha.FormatTime(tx.now)).Scan(&live); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if live >= MaxLiveTokens {
		return ducha.Errorf(ducha.ECONFLICT, "每个用户最多有%d个有效令牌，已达上限；请先撤销不再使用的令牌", MaxLiveTokens)
	}
	t.Secret, t.CreatedAt = secret, tx.now
	t.ID, err = tx.insert(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.UserID, t.Name, hash, ducha.FormatTime(tx.now), nullTime(t.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if err := tx.appendEvent(ctx, "user", t.UserID, "create_token", t.Name, nil, nil); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// FindTokens lists a user's tokens, revoked and expired ones too, oldest
// first; userID 0 lists everyone's (administrators only). Secrets are
// never kept, so never returned.
func (db *DB) FindTokens(ctx context.Context, userID int64) ([]*ducha.Token, error) {
	if err := mayManageTokens(ctx, userID); err != nil {
		return nil, err
	}
	q := `SELECT ` + tokenColumns + ` FROM tokens t JOIN users u ON u.id = t.user_id`
	var args []any
	if userID != 0 {
		q += ` WHERE t.user_id = ?`
		args = append(args, userID)
	}
	rows, err := db.reader.QueryContext(ctx, db.dialect.rebind(q+` ORDER BY t.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("find tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends token id of user userID (of any user when userID is 0,
// administrators only). Another user's token is not found, exactly like a
// missing one; revoking a revoked token again changes nothing.
func (db *DB) RevokeToken(ctx context.Context, id, userID int64) error {
	if err := mayManageTokens(ctx, userID); err != nil {
		return err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cond, args := `id = ?`, []any{id}
	if userID != 0 {
		cond, args = cond+` AND user_id = ?`, append(args, userID)
	}
	var owner int64
	var name string
	var revoked sql.NullString
	err = tx.queryRow(ctx, `SELECT user_id, name, revoked_at FROM tokens WHERE `+cond+tx.db.dialect.forUpdate(), args...).Scan(&owner, &name, &revoked)
	if err == sql.ErrNoRows {
		return ducha.NotFound("令牌")
	} else if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if revoked.Valid {
		// Revoked already, perhaps by a write before this one in its
		// group (decisions/014): "done" holds only once that is committed.
		return tx.commit(ctx)
	}
	if _, err := tx.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ?`, ducha.FormatTime(tx.now), id); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if err := tx.appendEvent(ctx, "user", owner, "revoke_token", name, nil, nil); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// FindUserByToken resolves a Bearer token. It only reads.
func (db *DB) FindUserByToken(ctx context.Context, secret string) (*ducha.User, error) {
	u, _, err := db.FindToken(ctx, secret)
	return u, err
}

// FindToken resolves a Bearer token to its user and itself. It only
// reads: the caller stamps the last use with TouchToken, off the request.
func (db *DB) FindToken(ctx context.Context, secret string) (*ducha.User, *ducha.Token, error) {
	row := db.queryRow(ctx, `SELECT `+userColumns+`, t.id, t.name, t.created_at, t.last_used_at, t.expires_at`+userFrom+
		` JOIN tokens t ON t.user_id = u.id WHERE t.token_hash = ? AND u.disabled = 0 AND t.revoked_at IS NULL
		AND (t.expires_at IS NULL OR t.expires_at > ?)`, hashSecret(secret), ducha.FormatTime(db.opts.Now()))
	var u ducha.User
	var t ducha.Token
	var unit sql.NullInt64
	var disabled, mustChange int
	var created, tokenCreated string
	var used, expires sql.NullString
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &unit, &u.UnitName, &disabled, &mustChange, &created, &u.Version,
		&t.ID, &t.Name, &tokenCreated, &used, &expires)
	if err == sql.ErrNoRows {
		return nil, nil, errBadToken
	} else if err != nil {
		return nil, nil, fmt.Errorf("find token: %w", err)
	}
	u.UnitID, u.Disabled, u.MustChangePassword, u.CreatedAt = unit.Int64, disabled != 0, mustChange != 0, ducha.ParseTime(created)
	t.UserID, t.Username, t.CreatedAt = u.ID, u.Username, ducha.ParseTime(tokenCreated)
	t.LastUsedAt, t.ExpiresAt = timePtr(used), timePtr(expires)
	return &u, &t, nil
}

// TouchToken stamps a token's last use at at, unless it was stamped less
// than TokenStampEvery before. It is bookkeeping, not an act of the user:
// no event, one statement.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.writer.ExecContext(ctx, db.dialect.rebind(`UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`),
		ducha.FormatTime(at), id, ducha.FormatTime(at.Add(-TokenStampEvery)))
	if err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}

// endLogins ends a user's sessions and, unless keepTokens, revokes the
// user's tokens but keepToken (0: none kept). A new password calls it; so
// must anything that disables an account (with keepTokens false), though
// sessions and tokens of a disabled user stop working at once anyway
// (FindSession and FindToken look for enabled users only).
func (tx *Tx) endLogins(ctx context.Context, userID, keepToken int64, keepTokens bool) (revoked int64, err error) {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	if keepTokens {
		return 0, nil
	}
	res, err := tx.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
		ducha.FormatTime(tx.now), userID, keepToken)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	return res.RowsAffected()
}
