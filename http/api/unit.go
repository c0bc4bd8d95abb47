package api

import (
	"net/http"

	"ducha/http/web"
)

func (s *handler) handleUnitList(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(units))
	return nil
}
