package ui

import (
	"errors"
	"net/http"

	"ducha"
	"ducha/http/web"
)

// passwordPage is the form that changes the user's own password. The
// passwords typed are never echoed back.
type passwordPage struct {
	page
	Error  string
	Errors map[string]string
	// RevokeTokens is the state of the "revoke my API tokens too" box:
	// ticked unless the user untied it.
	RevokeTokens bool
}

// Err is the message for one field.
func (p *passwordPage) Err(field string) string { return p.Errors[field] }

// MinLen is the shortest password the form accepts.
func (p *passwordPage) MinLen() int { return web.MinPasswordLen }

// MustChange reports whether the user still holds a password someone else
// chose, which the page explains.
func (p *passwordPage) MustChange() bool { return p.User != nil && p.User.MustChangePassword }

func (s *handler) handlePasswordPage(w http.ResponseWriter, r *http.Request) error {
	p := passwordPage{page: s.newPage(w, r, "password.title"), RevokeTokens: true}
	return s.render(w, http.StatusOK, "password", &p)
}

// revokeTokensField reads the form's box. An unticked box sends nothing, so
// the form also sends tokens_asked; a post without it (another client)
// gets the default, which is to revoke.
func revokeTokensField(r *http.Request) bool {
	return r.PostForm.Get("tokens_asked") == "" || r.PostForm.Get("revoke_tokens") != ""
}

// handlePasswordSubmit changes the password from the form. The store ends
// the user's sessions, and changePassword opens a fresh one, so the user
// goes on to the ledger still logged in; a refused form shows again with
// the messages next to the fields.
func (s *handler) handlePasswordSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	// Passwords are taken as typed: spaces may be part of them.
	current, next, again := r.PostForm.Get("current_password"), r.PostForm.Get("new_password"), r.PostForm.Get("new_password2")
	l := web.RequestLang(r)
	ids := web.NewPasswordErrors(current, next)
	if _, bad := ids["new_password"]; !bad && again != next {
		ids["new_password2"] = "password.mismatch"
	}
	revoke := revokeTokensField(r)
	err := web.InvalidFields(l, ids)
	if err == nil {
		if _, err = s.ChangePassword(w, r, current, next, revoke); err == nil {
			s.setFlash(w, r, flashPassword, "")
			http.Redirect(w, r, web.LandingPath, http.StatusSeeOther)
			return nil
		}
		// ChangePassword speaks Chinese, as the API does; the form speaks
		// the page's language.
		var th *web.Throttled
		if _, wrong := web.FieldMessage(err, "current_password"); wrong {
			err = web.InvalidFields(l, map[string]string{"current_password": "password.wrong"})
		} else if errors.As(err, &th) {
			err = ducha.Errorf(web.ETOOMANY, "%s", th.MessageIn(l, "password.too_many"))
		}
	}
	code := ducha.ErrorCode(err)
	if code != ducha.EINVALID && code != web.ETOOMANY {
		return err
	}
	p := passwordPage{page: s.newPage(w, r, "password.title"), RevokeTokens: revoke}
	p.Error, p.Errors = web.FieldErrors(err)
	return s.render(w, web.ErrorStatus(code), "password", &p)
}
