package api

import (
	"net/http"

	"ducha"
	"ducha/http/web"
)

// handleEnterpriseList lists a page of enterprises, those with the most
// cases first, with the count of all the filter matches: the enterprise
// list page's query (web.ReadEnterpriseFilter), limit= naming the page
// size as it did before pages.
func (s *handler) handleEnterpriseList(w http.ResponseWriter, r *http.Request) error {
	if s.Enterprises == nil {
		return web.ErrNoEnterprises
	}
	f, page, err := web.ReadEnterpriseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := s.Enterprises.FilterEnterprises(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*ducha.Enterprise{}
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Enterprise]{Items: items, Total: total, Page: page, PerPage: f.Limit})
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
