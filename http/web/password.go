package web

import (
	"context"
	"errors"
	"net/http"
	"unicode/utf8"

	"ducha"
)

// PasswordPath is the page where users change their own password; users
// who must change theirs are sent there from every other page.
const PasswordPath = "/account/password"

// MinPasswordLen is the shortest password the forms accept, in characters;
// the store keeps its own minimum.
const MinPasswordLen = 8

// passwordRequest is the body of POST /api/v1/me/password. RevokeTokens
// defaults to true: a new password usually means the old one leaked.
type PasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
	RevokeTokens    *bool  `json:"revoke_tokens"`
}

// NewPasswordErrors checks a new password against the current one before
// anything is looked up; it returns message ids of the catalogue by field.
func NewPasswordErrors(current, next string) map[string]string {
	fields := map[string]string{}
	if current == "" {
		fields["current_password"] = "password.current_missing"
	}
	switch {
	case utf8.RuneCountInString(next) < MinPasswordLen:
		fields["new_password"] = "password.too_short"
	case next == current:
		fields["new_password"] = "password.same"
	}
	return fields
}

// passwordFieldOrder is the order of the password form's fields, which
// picks the message shown at the top.
var passwordFieldOrder = []string{"current_password", "new_password", "new_password2"}

// InvalidFields is an invalid-input error with the messages that ids name by
// field, in l; nil when there are none. Its message is the first field's.
func InvalidFields(l Lang, ids map[string]string) error {
	if len(ids) == 0 {
		return nil
	}
	e := &ducha.Error{Code: ducha.EINVALID, Fields: map[string]string{}}
	for k, id := range ids {
		if id == "password.too_short" {
			e.Fields[k] = l.T(id, MinPasswordLen)
		} else {
			e.Fields[k] = l.T(id)
		}
	}
	for _, k := range passwordFieldOrder {
		if msg, ok := e.Fields[k]; ok {
			e.Message = msg
			break
		}
	}
	return e
}

// ChangePassword replaces the acting user's password after checking the
// current one. The check is throttled like a login (the same keys), so a
// left-open session cannot be used to guess it. The store ends every
// session of the user, and revokes the user's tokens when revokeTokens
// (all but the token the change came with); a browser that came with a
// session cookie gets a fresh one, so it stays logged in. It returns the
// user as stored now.
func (s *Server) ChangePassword(w http.ResponseWriter, r *http.Request, current, next string, revokeTokens bool) (*ducha.User, error) {
	ctx := r.Context()
	u := ducha.UserFromContext(ctx)
	if u == nil {
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "请先登录")
	}
	if err := InvalidFields(LangZH, NewPasswordErrors(current, next)); err != nil {
		return nil, err
	}
	keys := s.limiter.loginKeys(u.Username, s.clientAddr(r))
	keep := ducha.PasswordChange{KeepToken: RequestToken(ctx), KeepTokens: !revokeTokens}
	// The new password is hashed in the same slot as the current one.
	err := s.checkPassword(w, r, keys, []string{keys[0].Name}, func(ctx context.Context) error {
		if _, err := s.Users.Authenticate(ctx, u.Username, current); err != nil {
			return err
		}
		return s.Users.ChangePassword(ctx, u.ID, next, keep)
	})
	var th *Throttled
	switch {
	case errors.As(err, &th):
		return nil, th.as("password.too_many")
	case ducha.ErrorCode(err) == ducha.EUNAUTHORIZED:
		s.Logger.Warn("security: wrong current password", "username", u.Username, "addr", s.clientAddr(r).String())
		return nil, ducha.FieldError("current_password", "%s", LangZH.T("password.wrong"))
	case err != nil:
		if msg, ok := FieldMessage(err, "password"); ok {
			return nil, ducha.FieldError("new_password", "%s", msg)
		}
		return nil, err
	}
	changed, err := s.Users.FindUserByID(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && bearerToken(r) == "" {
		if err := s.startSession(w, r, changed); err != nil {
			return nil, err
		}
	}
	return changed, nil
}

// FieldMessage is the message an invalid-input error gives for field.
func FieldMessage(err error, field string) (string, bool) {
	if ducha.ErrorCode(err) != ducha.EINVALID {
		return "", false
	}
	_, fields := FieldErrors(err)
	msg, ok := fields[field]
	return msg, ok
}
