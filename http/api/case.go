package api

import (
	"net/http"
	"slices"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleCaseList(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	ctx := r.Context()
	f, page, perPage, err := s.CaseFilter(ctx, web.ReadCaseQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	items, total, err := s.Cases.FindCases(ctx, f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*ducha.Case{}
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Case]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) handleCaseGet(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, c.Version, c)
	return nil
}

// cleanMeasures drops what a client may not set on a submitted measure:
// the store numbers measures and ties them to the case and the unit.
func cleanMeasures(ms []ducha.Measure) {
	for i := range ms {
		ms[i].ID, ms[i].CaseID, ms[i].UnitID = 0, 0, 0
	}
}

func (s *handler) handleCaseAction(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(ducha.CaseActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	var in ducha.CaseAction
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Action = action
	var err error
	if in.Version, err = web.Version(r, in.Version, false); err != nil {
		return err
	}
	cleanMeasures(in.Measures)
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	if c, err = s.Cases.ActOnCase(r.Context(), c.ID, in); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, c.Version, c)
	return nil
}

func (s *handler) handleCaseEvents(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	events, err := s.Cases.FindCaseEvents(r.Context(), c.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}

// proposalInput is the body of a proposals request; without handling the
// case's own handling text is read.
type proposalInput struct {
	Handling *string `json:"handling"`
}

// handleCaseProposals proposes the measures a handling text reports, for
// the user to confirm before submitting; it stores nothing.
func (s *handler) handleCaseProposals(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	var in proposalInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	handling := c.Handling
	if in.Handling != nil {
		handling = *in.Handling
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(web.ProposeMeasures(handling)))
	return nil
}
