package web

import (
	"net/http"
	"slices"
	"strconv"

	"ducha"
)

func (s *Server) handleProblemList(w http.ResponseWriter, r *http.Request) error {
	version, err := s.ListVersion(r.Context())
	if err != nil {
		return err
	}
	l, err := s.ProblemList(r.Context(), version, ReadProblemQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	writeCachedJSON(w, l.json)
	return nil
}

func (s *Server) handleProblemCreate(w http.ResponseWriter, r *http.Request) error {
	var in ProblemInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.CreateProblem(r.Context(), in, &FormValidation{})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10))
	writeVersioned(w, http.StatusCreated, p.Version, p)
	return nil
}

func (s *Server) handleProblemGet(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "问题")
	if err != nil {
		return err
	}
	p, err := s.Problems.FindProblemByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) handleProblemPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "问题")
	if err != nil {
		return err
	}
	var upd ducha.ProblemUpdate
	if err := decodeJSON(w, r, &upd); err != nil {
		return err
	}
	if upd.Version, err = version(r, upd.Version, true); err != nil {
		return err
	}
	p, err := s.Problems.UpdateProblem(r.Context(), id, upd)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) handleProblemAction(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "问题")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if !slices.Contains(ducha.ProblemActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	var in ducha.ProblemAction
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Action = action
	if in.Version, err = version(r, in.Version, false); err != nil {
		return err
	}
	p, err := s.Problems.ActOnProblem(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) handleProblemEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "问题")
	if err != nil {
		return err
	}
	events, err := s.Problems.FindProblemEvents(r.Context(), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WholeList(events))
	return nil
}
