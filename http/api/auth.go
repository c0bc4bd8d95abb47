package api

import (
	"net/http"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleAPILogin(w http.ResponseWriter, r *http.Request) error {
	var req web.LoginRequest
	if err := web.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.Login(w, r, req.Username, req.Password)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, u)
	return nil
}

func (s *handler) handleAPILogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.Logout(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handler) handleAPIMe(w http.ResponseWriter, r *http.Request) error {
	web.WriteJSON(w, http.StatusOK, ducha.UserFromContext(r.Context()))
	return nil
}

// handleMyTokens lists the caller's tokens, without their secrets.
func (s *handler) handleMyTokens(w http.ResponseWriter, r *http.Request) error {
	u := ducha.UserFromContext(r.Context())
	tokens, err := s.Users.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(tokens))
	return nil
}

// handleMyTokenCreate makes a token for the caller and answers its secret,
// the only time it is shown. It takes a logged-in session: a token may not
// mint tokens, or revoking a leaked one would not end what it made.
func (s *handler) handleMyTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if web.RequestToken(r.Context()) != 0 {
		return ducha.Errorf(ducha.EFORBIDDEN, "不能用令牌创建令牌，请登录后创建")
	}
	var req web.TokenRequest
	if err := web.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	expires, err := ducha.ParseExpiry(req.Expires, s.Now())
	if err != nil {
		return err
	}
	t := &ducha.Token{UserID: ducha.UserFromContext(r.Context()).ID, Name: req.Name, ExpiresAt: expires}
	if err := s.Users.IssueToken(r.Context(), t); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, t)
	return nil
}

// handleMyTokenRevoke revokes one of the caller's tokens; anyone else's
// answers 404 like a missing one.
func (s *handler) handleMyTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "令牌")
	if err != nil {
		return err
	}
	if err := s.Users.RevokeToken(r.Context(), id, ducha.UserFromContext(r.Context()).ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
