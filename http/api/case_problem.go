package api

import (
	"net/http"
	"strconv"

	"ducha/http/web"
)

// handleCaseProblemCreate opens a ledger problem for a substantiated case.
// The body is that of POST /api/v1/problems, every field optional.
func (s *handler) handleCaseProblemCreate(w http.ResponseWriter, r *http.Request) error {
	var in web.ProblemInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	p, err := s.OpenProblem(r.Context(), c, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10))
	web.WriteVersioned(w, http.StatusCreated, p.Version, p)
	return nil
}
