package ducha

import (
	"context"
	"crypto/rand"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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

// roleLabels are the roles' Chinese names, as SPEC section 1 writes them.
var roleLabels = map[Role]string{
	RoleAdmin:       "系统管理员",
	RoleCoordinator: "协调联络组办公室",
	RoleUnitLiaison: "单位联络员",
	RoleUnitHead:    "单位主要负责人",
	RoleDiscipline:  "纪检监察",
	RoleLeader:      "县领导",
}

// Label is the role's Chinese name; an unknown role is named as written.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// ParseRole reads a role as scripts and forms write it (admin,
// unit_liaison…); a wrong one is refused with the list of roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", FieldError("role", "角色“%s”无效，应为 %s", s, roleChoices())
	}
	return r, nil
}

// roleChoices lists the roles with their Chinese names, for the message
// that refuses a wrong one: admin（系统管理员）、coordinator（…）….
func roleChoices() string {
	parts := make([]string, len(Roles))
	for i, r := range Roles {
		parts[i] = string(r) + "（" + r.Label() + "）"
	}
	return strings.Join(parts, "、")
}

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
// Every wrong field is named at once.
func (u *User) Validate() error {
	var fe FieldErrors
	fe.Merge(checkLengths(nameField("username", "用户名", u.Username), nameField("display_name", "姓名", u.DisplayName)))
	if u.Username == "" {
		fe.Add("username", "用户名不能为空")
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		fe.Merge(err)
	} else if u.Role.UnitScoped() && u.UnitID == 0 {
		fe.Add("unit", "单位联络员和单位主要负责人必须属于一个单位")
	}
	return fe.Err()
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
	// PermOversee reads every unit's numbers side by side (the discipline
	// ranking): the roles that read everything, never a unit's own.
	PermOversee Permission = "oversee"
)

var rolePerms = map[Role][]Permission{
	RoleAdmin:       {PermRead, PermRegister, PermWork, PermVerify, PermExport, PermManage, PermAudit, PermAccountability, PermOversee},
	RoleCoordinator: {PermRead, PermRegister, PermWork, PermVerify, PermExport, PermOversee},
	RoleUnitLiaison: {PermRead, PermWork, PermExport},
	RoleUnitHead:    {PermRead, PermWork, PermExport},
	RoleDiscipline:  {PermRead, PermExport, PermAccountability, PermOversee},
	RoleLeader:      {PermRead, PermExport, PermOversee},
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

// Token is an API token for scripts. The secret is shown once at creation;
// the store keeps its hash. A token works until it expires or is revoked,
// and never for a disabled user.
type Token struct {
	ID       int64  `json:"id"`
	UserID   int64  `json:"user_id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name"`
	Secret   string `json:"token,omitempty"`
	// CreatedAt is when it was made; LastUsedAt is stamped at most once an
	// hour (see store), so it is coarse.
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// maxTokenName bounds a token's name, in characters.
const maxTokenName = 100

// Validate checks a token before it is stored, as of now.
func (t *Token) Validate(now time.Time) error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return FieldError("name", "请填写令牌用途")
	case utf8.RuneCountInString(t.Name) > maxTokenName:
		return FieldError("name", "令牌用途不能超过%d个字", maxTokenName)
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return FieldError("expires", "到期时间必须晚于现在")
	}
	return nil
}

// Status is "active", "expired" or "revoked" as of now.
func (t *Token) Status(now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}

// ParseExpiry reads when a new token expires: "" for never, a number of
// days ("90d"), a duration ("12h") or a date ("2027-01-01": the token stops
// working at the start of that day, county time).
func ParseExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := FieldError("expires", "到期时间应写作天数（90d）或日期（2027-01-01），收到“%s”", s)
	var t time.Time
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > 3650 {
			return nil, bad
		}
		t = now.AddDate(0, 0, days)
	} else if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return nil, bad
		}
		t = now.Add(d)
	} else if day, err := time.ParseInLocation("2006-01-02", s, Location); err == nil {
		t = day
	} else {
		return nil, bad
	}
	t = t.UTC()
	return &t, nil
}

// PasswordChange says what a new password leaves working; the zero value
// ends every session and every token of the user.
type PasswordChange struct {
	// KeepToken is the token the change was made with, which stays.
	KeepToken int64
	// KeepTokens leaves all the user's tokens working.
	KeepTokens bool
}

// UserFilter selects users for a list; zero fields select every user. A
// unit-scoped caller sees only the users of their own unit, whatever the
// filter says.
type UserFilter struct {
	UnitID   int64
	Role     Role
	Q        string // part of the username or the display name
	Disabled *bool
	Offset   int
	Limit    int // 0: all
}

// UserUpdate is an administrator's change to an account. Nil fields are
// left as they are. Passwords change through SetPassword and
// ResetPassword, never here.
type UserUpdate struct {
	Version     int     `json:"version"`
	Role        *Role   `json:"role"`
	DisplayName *string `json:"display_name"`
	// Unit names the user's unit by id or exact name; "" takes the user
	// out of any unit (only roles that are not unit-scoped may be).
	Unit     *UnitRef `json:"unit"`
	Disabled *bool    `json:"disabled"`
}

// Empty reports whether the update changes nothing.
func (upd *UserUpdate) Empty() bool {
	return upd.Role == nil && upd.DisplayName == nil && upd.Unit == nil && upd.Disabled == nil
}

// Apply copies the set fields of upd onto u, but the unit: the store
// resolves the reference and sets UnitID and UnitName.
func (upd *UserUpdate) Apply(u *User) {
	if upd.Role != nil {
		u.Role = Role(strings.TrimSpace(string(*upd.Role)))
	}
	if upd.DisplayName != nil {
		u.DisplayName = strings.TrimSpace(*upd.DisplayName)
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
}

// oneTimeAlphabet is what one-time passwords are made of: letters and
// digits without the look-alikes 0/O, 1/l/I, so that a password read out
// over the phone or copied from paper arrives as it was.
const oneTimeAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// OneTimePasswordLen is the length of a generated one-time password.
const OneTimePasswordLen = 12

// NewOneTimePassword returns a random password for someone else to
// change at first login (about 70 bits).
func NewOneTimePassword() (string, error) {
	b := make([]byte, OneTimePasswordLen)
	size := big.NewInt(int64(len(oneTimeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, size)
		if err != nil {
			return "", err
		}
		b[i] = oneTimeAlphabet[n.Int64()]
	}
	return string(b), nil
}

// UserService manages accounts, sessions and tokens.
type UserService interface {
	// CreateUser stores u with the password hashed (argon2id).
	CreateUser(ctx context.Context, u *User, password string) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// FindUsers lists users, oldest first, with the count of all that
	// match; unit-scoped callers see their own unit's users only.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// UpdateUser changes an account (administrators only); disabling it
	// ends its sessions and revokes its tokens.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// ResetPassword gives the user a new random password, which they must
	// change at the next login, and returns it (the only time it is seen).
	ResetPassword(ctx context.Context, id int64) (string, error)
	// Authenticate checks a password; a wrong user or password answers the
	// same, and costs the same.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// SetPassword is ChangePassword keeping the tokens (an administrator's
	// reset: the tokens are refused until the user changes the password).
	SetPassword(ctx context.Context, userID int64, password string) error
	// ChangePassword replaces a password, ends the user's sessions and,
	// unless keep says otherwise, the user's tokens.
	ChangePassword(ctx context.Context, userID int64, password string, keep PasswordChange) error

	// CreateToken makes a token that does not expire.
	CreateToken(ctx context.Context, userID int64, name string) (*Token, error)
	// IssueToken stores t (UserID, Name, ExpiresAt) and fills in its ID,
	// Secret and CreatedAt.
	IssueToken(ctx context.Context, t *Token) error
	// FindTokens lists a user's tokens, or everyone's for userID 0
	// (administrators only). Secrets are never returned.
	FindTokens(ctx context.Context, userID int64) ([]*Token, error)
	// RevokeToken ends token id of the user userID (any user's for 0,
	// administrators only); another user's token is not found.
	RevokeToken(ctx context.Context, id, userID int64) error
	// FindUserByToken resolves a Bearer token. It never writes.
	FindUserByToken(ctx context.Context, secret string) (*User, error)
	// FindToken resolves a Bearer token to its user and itself. It never
	// writes; callers stamp the last use with TouchToken, off the request.
	FindToken(ctx context.Context, secret string) (*User, *Token, error)
	// TouchToken stamps a token's last use, coarsely (at most hourly).
	TouchToken(ctx context.Context, id int64, at time.Time) error

	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token string, s *Session, err error)
	// FindSession resolves a session cookie to its user. It never writes.
	FindSession(ctx context.Context, token string) (*User, *Session, error)
	DeleteSession(ctx context.Context, token string) error
}

// ThrottleKey is one thing login attempts are counted against (an account,
// a client address, or the pair), with its allowance.
type ThrottleKey struct {
	Name string
	// Limit attempts per Window, counted from the first.
	Limit  int
	Window time.Duration
	// Trickle, when set on the account key, lets an address that has not
	// failed against the account in the window through once per Trickle
	// after the limit is spent (each such address has a slot of its own;
	// docs/decisions/004), instead of none until the window ends.
	Trickle time.Duration
}

// LoginReservation is what ReserveLogin answers: either every key granted
// one attempt, or none did and RetryAfter says when one frees.
type LoginReservation struct {
	Granted    bool
	RetryAfter time.Duration
	// Keys are the granted keys with their count after this attempt.
	Keys []ReservedKey
}

// ReservedKey is one key of a granted reservation.
type ReservedKey struct {
	Name      string
	Count     int
	WindowEnd time.Time
}

// LoginThrottle keeps the counters of login attempts where every instance
// of the server sees them. An attempt is reserved before the password is
// hashed, so concurrent guesses cannot overrun a limit.
type LoginThrottle interface {
	// ReserveLogin takes one attempt from every key, all or none, as of now.
	ReserveLogin(ctx context.Context, now time.Time, keys []ThrottleKey) (*LoginReservation, error)
	// ReleaseLogin gives the reservation's attempts back (the password was
	// right, or never checked) and forgets the keys named in forget.
	ReleaseLogin(ctx context.Context, r *LoginReservation, forget ...string) error
}
