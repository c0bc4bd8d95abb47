package web

import (
	"context"
	"net/url"
	"strings"

	"ducha"
)

// Administration over the API: accounts, units and campaigns. Reading
// users and campaigns is open to everyone logged in (names appear in
// histories; the store keeps unit roles to their own unit's users);
// changing any of them is the administrator's (routes.go).

// UserFilter reads a user list's query: unit (id or name), role, q and
// disabled; the caller sets the page.
func (s *Server) UserFilter(ctx context.Context, v url.Values) (ducha.UserFilter, error) {
	var f ducha.UserFilter
	f.Q = strings.TrimSpace(v.Get("q"))
	if ref := strings.TrimSpace(v.Get("unit")); ref != "" {
		u, err := s.ResolveUnit(ctx, "unit", ref)
		if err != nil {
			return f, err
		}
		f.UnitID = u.ID
	}
	if r := strings.TrimSpace(v.Get("role")); r != "" {
		role, err := ducha.ParseRole(r)
		if err != nil {
			return f, err
		}
		f.Role = role
	}
	if d := strings.TrimSpace(v.Get("disabled")); d != "" {
		b, err := FlagField("disabled", "是否停用", d)
		if err != nil {
			return f, err
		}
		f.Disabled = &b
	}
	return f, nil
}

// UserInput is the body of POST /api/v1/users and the add-user form.
type UserInput struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Role        string        `json:"role"`
	Unit        ducha.UnitRef `json:"unit"`
	// Password is the first password; without one a one-time password is
	// made. Either way the user must change it at the first login.
	Password *string `json:"password"`
}

// CreateUser adds the account in; oneTime is the password made for it,
// "" when the input gave one.
func (s *Server) CreateUser(ctx context.Context, in UserInput) (u *ducha.User, oneTime string, err error) {
	// Every wrong field is named at once: the role, the unit, the
	// domain's checks and the password's length.
	var fe FormValidation
	role, err := ducha.ParseRole(in.Role)
	if err := fe.MergeFields(err); err != nil {
		return nil, "", err
	}
	u = &ducha.User{Username: strings.TrimSpace(in.Username), DisplayName: strings.TrimSpace(in.DisplayName), Role: role,
		MustChangePassword: true}
	if strings.TrimSpace(string(in.Unit)) != "" {
		unit, err := s.ResolveUnit(ctx, "unit", string(in.Unit))
		if err := fe.MergeFields(err); err != nil {
			return nil, "", err
		}
		if unit != nil {
			u.UnitID, u.UnitName = unit.ID, unit.Name
		}
	}
	if !fe.Has("role") && !fe.Has("unit") {
		fe.Merge(u.Validate())
	} else {
		check := *u
		check.Role, check.UnitID = ducha.RoleAdmin, 0 // their own messages stand
		fe.Merge(check.Validate())
	}
	if in.Password != nil && *in.Password != "" && len(*in.Password) < 8 {
		fe.Add("password", "密码至少8位")
	}
	if err := fe.Err(); err != nil {
		return nil, "", err
	}
	var password string
	if in.Password != nil && *in.Password != "" {
		password = *in.Password
	} else {
		if oneTime, err = ducha.NewOneTimePassword(); err != nil {
			return nil, "", err
		}
		password = oneTime
	}
	if err := s.Users.CreateUser(ctx, u, password); err != nil {
		return nil, "", err
	}
	return u, oneTime, nil
}

// UnitInput is the body of POST /api/v1/units and the add-unit form.
type UnitInput struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	DivisionCode string `json:"division_code"`
	Member       bool   `json:"member"`
	Head         string `json:"head"`
	Liaison      string `json:"liaison"`
	Phone        string `json:"phone"`
}

// unit is the unit to create, its kind read as offices write it.
func (in UnitInput) Unit() *ducha.Unit {
	u := &ducha.Unit{}
	upd := ducha.UnitUpdate{Name: &in.Name, Kind: &in.Kind, DivisionCode: &in.DivisionCode, Member: &in.Member,
		Head: &in.Head, Liaison: &in.Liaison, Phone: &in.Phone}
	upd.Apply(u)
	return u
}
