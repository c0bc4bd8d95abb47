package api

import (
	"net/http"

	"ducha/http/web"
)

// handleDashboardJSON answers the charts' data: the daily report of the
// day (the same numbers GET /api/v1/reports/daily answers), the cases by
// responsible unit and the running trend.
func (s *handler) handleDashboardJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Dashboard(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}
