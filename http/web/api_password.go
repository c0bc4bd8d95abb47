package web

import (
	"net/http"
)

// handleAPIPassword changes the caller's own password.
func (s *Server) handleAPIPassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.ChangePassword(w, r, req.CurrentPassword, req.NewPassword, req.RevokeTokens == nil || *req.RevokeTokens)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, u)
	return nil
}
