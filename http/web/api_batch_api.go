package web

import (
	"net/http"
)

// handleBatchImport answers 201 with what the import did, or 200 when the
// same batch was imported before and nothing changed.
func (s *Server) handleBatchImport(w http.ResponseWriter, r *http.Request) error {
	res, _, err := s.ImportBatch(w, r)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	WriteJSON(w, status, res)
	return nil
}

func (s *Server) handleBatchList(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return ErrNoCases
	}
	batches, err := s.Cases.FindBatches(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WholeList(batches))
	return nil
}
