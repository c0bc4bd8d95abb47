package ui

import (
	"errors"
	"net/http"

	"ducha"
	"ducha/http/web"
)

// loginPage is the login form.
type loginPage struct {
	page
	Username string
	Next     string
	Error    string
}

func (s *handler) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	next := web.LocalPath(r.URL.Query().Get("next"))
	if ducha.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := loginPage{page: s.newPage(w, r, "login.title"), Next: next}
	return s.render(w, http.StatusOK, "login", &p)
}

// handleLoginSubmit logs in from the form; a failure shows the form again
// with the username kept. The form is bounded (maxLoginForm) before a byte
// is read: anyone may post it.
func (s *handler) handleLoginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseFormMax(w, r, web.MaxLoginForm); err != nil {
		return err
	}
	username, next := r.PostForm.Get("username"), web.LocalPath(r.PostForm.Get("next"))
	_, err := s.Login(w, r, username, r.PostForm.Get("password"))
	if err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	code := ducha.ErrorCode(err)
	if code != web.ETOOMANY && code != ducha.EINVALID && code != ducha.EUNAUTHORIZED {
		return err // internal, or the database is unreachable: the error page
	}
	p := loginPage{page: s.newPage(w, r, "login.title"), Username: username, Next: next}
	var th *web.Throttled
	switch {
	case errors.As(err, &th):
		p.Error = th.MessageIn(p.Lang, "login.too_many")
	case code == ducha.EINVALID:
		p.Error = p.T("login.missing")
	default:
		p.Error = p.T("login.failed")
	}
	return s.render(w, web.ErrorStatus(code), "login", &p)
}

// handleLogout ends the session and shows the login form.
func (s *handler) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.Logout(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
