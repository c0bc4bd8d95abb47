package api

import (
	"net/http"

	"ducha"
	"ducha/http/web"
)

// handleEnterpriseList searches enterprises by name, those with the most
// cases first. The store does not count beyond the limit, so total is the
// number listed: one page, as long as the limit.
func (s *handler) handleEnterpriseList(w http.ResponseWriter, r *http.Request) error {
	if s.Enterprises == nil {
		return web.ErrNoEnterprises
	}
	limit, err := web.ReadLimit(r.URL.Query().Get("limit"), web.DefaultPerPage)
	if err != nil {
		return err
	}
	if err := web.CheckSearch(r.URL.Query().Get("q")); err != nil {
		return err
	}
	items, err := s.Enterprises.FindEnterprises(r.Context(), r.URL.Query().Get("q"), limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*ducha.Enterprise{}
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Enterprise]{Items: items, Total: len(items), Page: 1, PerPage: limit})
	return nil
}

func (s *handler) handleEnterpriseGet(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.FindEnterpriseRecord(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rec)
	return nil
}
