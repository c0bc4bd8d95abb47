package ui

import (
	"net/http"
	"strings"

	"ducha"
	"ducha/http/web"
)

// adminUsersPage lists the accounts with a unit and role filter, offers
// the form that adds one, and per account the forms that change its role,
// unit and name, disable or enable it, and reset its password. A one-time
// password is shown on the answer to the post that made it, and never again.
type adminUsersPage struct {
	page
	Query  userQuery
	Users  []*ducha.User
	Total  int
	Units  []*ducha.Unit
	Roles  []ducha.Role
	In     userForm
	Error  string
	Errors map[string]string
	// F is the add form's messages, shown in its summary and beside its
	// fields.
	F formErrors
	// Done says what the last post did (after its redirect).
	Done     adminDone
	DoneUser *ducha.User
	// OneTime is the password a post just made, with its user.
	OneTime *oneTimeNote
}

// userQuery is the list's filter as the URL writes it.
type userQuery struct{ Unit, Role, Q string }

// userForm is the add form as typed; the password is never echoed.
type userForm struct{ Username, DisplayName, Role, Unit string }

// oneTimeNote is a password to hand to its user, shown once.
type oneTimeNote struct {
	User     *ducha.User
	Password string
	Created  bool // the account was just made (else: its password was reset)
}

// Err is the message for one field of the add form.
func (p *adminUsersPage) Err(field string) string {
	if m := p.F.Err(field); m != "" {
		return m
	}
	return p.Errors[field]
}

// RoleName names a role in the page's language.
func (p *adminUsersPage) RoleName(r ducha.Role) string { return p.T("role." + string(r)) }

// FilterUnit reports whether the filter names unit u.
func (p *adminUsersPage) FilterUnit(u *ducha.Unit) bool {
	return refersTo(ducha.UnitRef(p.Query.Unit), u)
}

// FormUnit reports whether the add form names unit u.
func (p *adminUsersPage) FormUnit(u *ducha.Unit) bool { return refersTo(ducha.UnitRef(p.In.Unit), u) }

// Full reports whether the list stopped at its limit.
func (p *adminUsersPage) Full() bool { return p.Total > len(p.Users) }

// DoneText is the message of the last post, or "".
func (p *adminUsersPage) DoneText() string {
	if p.DoneUser == nil {
		return ""
	}
	return p.T("admin.users.done."+p.Done.Kind, p.DoneUser.Username)
}

// adminUsersPage reads the list for q; a bad filter shows its message and
// no users.
func (s *handler) adminUsersPage(w http.ResponseWriter, r *http.Request, q userQuery) (*adminUsersPage, error) {
	ctx := r.Context()
	p := &adminUsersPage{page: s.newPage(w, r, "admin.users.title"), Query: q, Roles: ducha.Roles, In: userForm{Role: string(ducha.RoleUnitLiaison)}}
	units, err := s.Units.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	p.Units = units
	f, err := s.UserFilter(ctx, map[string][]string{"unit": {q.Unit}, "role": {q.Role}, "q": {q.Q}})
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error, p.Errors = web.FieldErrors(err)
		return p, nil
	} else if err != nil {
		return nil, err
	}
	f.Limit = ducha.MaxPerPage
	if p.Users, p.Total, err = s.Users.FindUsers(ctx, f); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *handler) handleAdminUsersPage(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := userQuery{Unit: strings.TrimSpace(v.Get("unit")), Role: strings.TrimSpace(v.Get("role")), Q: strings.TrimSpace(v.Get("q"))}
	p, err := s.adminUsersPage(w, r, q)
	if err != nil {
		return err
	}
	if p.Error != "" {
		return s.render(w, http.StatusBadRequest, "admin_users", p)
	}
	if p.Done = readAdminDone(r, "created", "saved", "disabled", "enabled"); p.Done.ID != 0 {
		for _, u := range p.Users {
			if u.ID == p.Done.ID {
				p.DoneUser = u
			}
		}
	}
	return s.render(w, http.StatusOK, "admin_users", p)
}

// renderUsersAfter shows the list again after a post: with the one-time
// password it made, or with the error that refused it.
func (s *handler) renderUsersAfter(w http.ResponseWriter, r *http.Request, status int, in userForm, err error, oneTime *oneTimeNote) error {
	p, perr := s.adminUsersPage(w, r, userQuery{})
	if perr != nil {
		return perr
	}
	if in != (userForm{}) {
		p.In = in
	}
	if err != nil && in != (userForm{}) && web.IsInvalid(err) {
		// The add form's mistakes are listed at that form.
		p.F = newFormErrors(p.Lang, err, []string{"username", "display_name", "role", "unit", "password"})
		p.F.Prefix = "add-"
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		p.Error, p.Errors = web.FieldErrors(err)
	}
	p.OneTime = oneTime
	return s.render(w, status, "admin_users", p)
}

// handleAdminUserCreate adds an account. Without a password typed, a
// one-time password is made and shown on the answer; either way the user
// must change it at the first login.
func (s *handler) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := userForm{Username: web.FormValue(r, "username"), DisplayName: web.FormValue(r, "display_name"),
		Role: web.FormValue(r, "role"), Unit: web.FormValue(r, "unit")}
	password := r.PostForm.Get("password") // as typed: spaces may be part of it
	u, oneTime, err := s.CreateUser(r.Context(), web.UserInput{Username: in.Username, DisplayName: in.DisplayName,
		Role: in.Role, Unit: ducha.UnitRef(in.Unit), Password: &password})
	if formError(err) {
		return s.renderUsersAfter(w, r, web.ErrorStatus(ducha.ErrorCode(err)), in, err, nil)
	} else if err != nil {
		return err
	}
	if oneTime == "" {
		redirectDone(w, r, "/admin/users", u.ID, "created")
		return nil
	}
	return s.renderUsersAfter(w, r, http.StatusCreated, userForm{}, nil, &oneTimeNote{User: u, Password: oneTime, Created: true})
}

// handleAdminUserUpdate changes an account's name, role and unit.
func (s *handler) handleAdminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "用户")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		name, role, unit := web.FormValue(r, "display_name"), ducha.Role(web.FormValue(r, "role")), ducha.UnitRef(web.FormValue(r, "unit"))
		_, err = s.Users.UpdateUser(r.Context(), id, ducha.UserUpdate{Version: version, DisplayName: &name, Role: &role, Unit: &unit})
	}
	return s.afterUserChange(w, r, id, "saved", err)
}

// handleAdminUserState disables or enables an account; disabling ends its
// sessions and revokes its tokens.
func (s *handler) handleAdminUserState(disabled bool) web.HandlerFunc {
	kind := "enabled"
	if disabled {
		kind = "disabled"
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "用户")
		if err != nil {
			return err
		}
		if err := web.ParseForm(w, r); err != nil {
			return err
		}
		version, err := formVersion(r)
		if err == nil {
			_, err = s.Users.UpdateUser(r.Context(), id, ducha.UserUpdate{Version: version, Disabled: &disabled})
		}
		return s.afterUserChange(w, r, id, kind, err)
	}
}

// afterUserChange redirects after a change to account id, or shows the
// list with the message that refused it.
func (s *handler) afterUserChange(w http.ResponseWriter, r *http.Request, id int64, kind string, err error) error {
	if formError(err) {
		if u, ferr := s.Users.FindUserByID(r.Context(), id); ferr == nil {
			err = ducha.Errorf(ducha.ErrorCode(err), "%s：%s", u.Username, ducha.ErrorMessage(err))
		}
		return s.renderUsersAfter(w, r, web.ErrorStatus(ducha.ErrorCode(err)), userForm{}, err, nil)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/users", id, kind)
	return nil
}

// handleAdminUserReset gives the user a new one-time password and shows
// it, this once.
func (s *handler) handleAdminUserReset(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "用户")
	if err != nil {
		return err
	}
	ctx := r.Context()
	pw, err := s.Users.ResetPassword(ctx, id)
	if err != nil {
		return err
	}
	u, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	return s.renderUsersAfter(w, r, http.StatusOK, userForm{}, nil, &oneTimeNote{User: u, Password: pw})
}
