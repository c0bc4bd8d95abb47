package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"ducha"
	"ducha/sheets"
)

// Responsibility lists (责任清单) and self-inspections (自查自纠): the lists
// and their import, starting an inspection, marking each duty, submitting
// it (each finding becomes a problem) and the county view. The store
// scopes every read to the caller's unit; another unit's inspection
// answers 404 exactly like a missing one.

// ErrNoDuties answers the routes of a server built without them.
var ErrNoDuties = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用责任清单与自查")

// ImportDuties reads a responsibility list upload (multipart field
// "file") and stores it, all rows or none, as ducha import duties does.
func (s *Server) ImportDuties(w http.ResponseWriter, r *http.Request) (ducha.DutyImportResult, error) {
	if s.Duties == nil {
		return ducha.DutyImportResult{}, ErrNoDuties
	}
	// The permission first: a unit's upload is refused before it is read.
	if _, err := ducha.Require(r.Context(), ducha.PermRegister); err != nil {
		return ducha.DutyImportResult{}, err
	}
	up, err := ReceiveUpload(w, r, s.ImportFileLimit())
	if err != nil {
		return ducha.DutyImportResult{}, err
	}
	name, data, release, err := s.ImportUpload(w, r, up)
	if err != nil {
		return ducha.DutyImportResult{}, err
	}
	defer release()
	rows, err := sheets.ReadDuties(bytes.NewReader(data), name, s.ImportLimits.WithDone(r.Context().Done()))
	if err != nil {
		return ducha.DutyImportResult{}, err
	}
	return s.Duties.ImportDuties(r.Context(), rows)
}

// StartInspection starts (or finds the open) inspection of the unit the
// reference names, "" for the caller's own.
func (s *Server) StartInspection(ctx context.Context, ref string) (*ducha.Inspection, bool, error) {
	if s.Duties == nil {
		return nil, false, ErrNoDuties
	}
	var unit int64
	if ref = strings.TrimSpace(ref); ref != "" {
		u, err := s.ResolveUnit(ctx, "unit", ref)
		if err != nil {
			return nil, false, err
		}
		unit = u.ID
	}
	return s.Duties.StartInspection(ctx, unit)
}
