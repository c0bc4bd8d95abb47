package web

import "net/http"

func (s *Server) handleUnitList(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WholeList(units))
	return nil
}
