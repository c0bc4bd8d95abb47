package api

import (
	"net/http"

	"ducha/http/web"
)

// handleBatchImport answers 201 with what the import did, or 200 when the
// same batch was imported before and nothing changed.
func (s *handler) handleBatchImport(w http.ResponseWriter, r *http.Request) error {
	res, _, err := s.ImportBatch(w, r)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	web.WriteJSON(w, status, res)
	return nil
}

func (s *handler) handleBatchList(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	batches, err := s.Cases.FindBatches(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(batches))
	return nil
}
