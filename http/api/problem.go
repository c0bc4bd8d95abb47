package api

import (
	"net/http"
	"slices"
	"strconv"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleProblemList(w http.ResponseWriter, r *http.Request) error {
	version, err := s.ListVersion(r.Context())
	if err != nil {
		return err
	}
	l, err := s.ProblemList(r.Context(), version, web.ReadProblemQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	web.WriteCachedJSON(w, l.JSON)
	return nil
}

func (s *handler) handleProblemCreate(w http.ResponseWriter, r *http.Request) error {
	var in web.ProblemInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.CreateProblem(r.Context(), in, &web.FormValidation{})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10))
	web.WriteVersioned(w, http.StatusCreated, p.Version, p)
	return nil
}

func (s *handler) handleProblemGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	p, err := s.Problems.FindProblemByID(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *handler) handleProblemPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	var upd ducha.ProblemUpdate
	if err := web.DecodeJSON(w, r, &upd); err != nil {
		return err
	}
	if upd.Version, err = web.Version(r, upd.Version, true); err != nil {
		return err
	}
	p, err := s.Problems.UpdateProblem(r.Context(), id, upd)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *handler) handleProblemAction(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if !slices.Contains(ducha.ProblemActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	var in ducha.ProblemAction
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Action = action
	if in.Version, err = web.Version(r, in.Version, false); err != nil {
		return err
	}
	p, err := s.Problems.ActOnProblem(r.Context(), id, in)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *handler) handleProblemEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	events, err := s.Problems.FindProblemEvents(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}
