package api

import (
	"net/http"

	"ducha/http/web"
)

// handleAPIPassword changes the caller's own password.
func (s *handler) handleAPIPassword(w http.ResponseWriter, r *http.Request) error {
	var req web.PasswordRequest
	if err := web.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.ChangePassword(w, r, req.CurrentPassword, req.NewPassword, req.RevokeTokens == nil || *req.RevokeTokens)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, u)
	return nil
}
