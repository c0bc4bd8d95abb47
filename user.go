package ducha

import (
	"context"
	"time"
)

// Role is what a user may do; see SPEC section 1.
type Role string

// The six roles.
const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleUnitLiaison Role = "unit_liaison"
	RoleUnitHead    Role = "unit_head"
	RoleDiscipline  Role = "discipline"
	RoleLeader      Role = "leader"
)

// Roles lists every role in the order forms show them.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleUnitLiaison, RoleUnitHead, RoleDiscipline, RoleLeader}

// Valid reports whether r is one of the six roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// UnitScoped reports whether users of this role see only their own unit's items.
func (r Role) UnitScoped() bool { return r == RoleUnitLiaison || r == RoleUnitHead }

// User is an account. A user belongs to at most one unit; unit-scoped roles
// must have one.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	UnitID      int64  `json:"unit_id,omitempty"`
	UnitName    string `json:"unit,omitempty"`
	Disabled    bool   `json:"disabled"`
	// MustChangePassword is set when someone else chose the password (the
	// first admin's, printed once; one an admin set): pages send the user
	// to change it before anything else.
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	Version            int       `json:"version"`
}

// SystemUser acts for CLI commands run on the server by its operator.
var SystemUser = &User{ID: 0, Username: "system", DisplayName: "系统", Role: RoleAdmin}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	if u.Username == "" {
		return FieldError("username", "用户名不能为空")
	}
	if !u.Role.Valid() {
		return FieldError("role", "角色“%s”无效", u.Role)
	}
	if u.Role.UnitScoped() && u.UnitID == 0 {
		return FieldError("unit", "单位联络员和单位主要负责人必须属于一个单位")
	}
	return nil
}

// Permission names one thing a user may do. Every route and every service
// call declares the permission it needs.
type Permission string

// Permissions.
const (
	PermRead           Permission = "read"           // read items (unit-scoped roles: their unit's only)
	PermRegister       Permission = "register"       // register and edit problems, import ledgers
	PermWork           Permission = "work"           // progress, evidence, closure requests, extension requests
	PermVerify         Permission = "verify"         // verify/close, return, reopen, decide extensions
	PermExport         Permission = "export"         // export ledgers
	PermManage         Permission = "manage"         // users, units, campaigns
	PermAudit          Permission = "audit"          // verify the audit chain, backups
	PermAccountability Permission = "accountability" // accountability records
)

var rolePerms = map[Role][]Permission{
	RoleAdmin:       {PermRead, PermRegister, PermWork, PermVerify, PermExport, PermManage, PermAudit, PermAccountability},
	RoleCoordinator: {PermRead, PermRegister, PermWork, PermVerify, PermExport},
	RoleUnitLiaison: {PermRead, PermWork, PermExport},
	RoleUnitHead:    {PermRead, PermWork, PermExport},
	RoleDiscipline:  {PermRead, PermExport, PermAccountability},
	RoleLeader:      {PermRead, PermExport},
}

// Can reports whether u holds permission p. A nil or disabled user holds none.
func Can(u *User, p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, v := range rolePerms[u.Role] {
		if v == p {
			return true
		}
	}
	return false
}

// Require returns a forbidden error unless the user in ctx holds p, and an
// unauthorized error when there is no user.
func Require(ctx context.Context, p Permission) (*User, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "请先登录")
	}
	if !Can(u, p) {
		return nil, Forbidden()
	}
	return u, nil
}

// Session is a logged-in browser session. The token itself is only in the
// cookie; the store keeps its hash.
type Session struct {
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
}

// Token is an API token for scripts. The secret is shown once at creation.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Secret    string    `json:"token,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// UserService manages accounts, sessions and tokens.
type UserService interface {
	// CreateUser stores u with the password hashed (argon2id).
	CreateUser(ctx context.Context, u *User, password string) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	// Authenticate checks a password; a wrong user or password answers the same.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	SetPassword(ctx context.Context, userID int64, password string) error
	CreateToken(ctx context.Context, userID int64, name string) (*Token, error)
	// FindUserByToken resolves a Bearer token. It never writes.
	FindUserByToken(ctx context.Context, secret string) (*User, error)
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token string, s *Session, err error)
	// FindSession resolves a session cookie to its user. It never writes.
	FindSession(ctx context.Context, token string) (*User, *Session, error)
	DeleteSession(ctx context.Context, token string) error
}
