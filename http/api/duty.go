package api

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// dutyQuery reads ?unit=&page=&per_page=, naming the field that is wrong.
func (s *handler) dutyQuery(r *http.Request) (unit int64, page, perPage int, err error) {
	v := r.URL.Query()
	if ref := strings.TrimSpace(v.Get("unit")); ref != "" {
		u, err := s.ResolveUnit(r.Context(), "unit", ref)
		if err != nil {
			return 0, 0, 0, err
		}
		unit = u.ID
	}
	page, perPage, err = web.ReadPaging(strings.TrimSpace(v.Get("page")), strings.TrimSpace(v.Get("per_page")))
	return unit, page, perPage, err
}

func (s *handler) handleDutyList(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	unit, page, perPage, err := s.dutyQuery(r)
	if err != nil {
		return err
	}
	items, total, err := s.Duties.FindDuties(r.Context(), ducha.DutyFilter{UnitID: unit, Offset: (page - 1) * perPage, Limit: perPage})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Duty]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) handleDutyImport(w http.ResponseWriter, r *http.Request) error {
	res, err := s.ImportDuties(w, r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, res)
	return nil
}

// inspectionRequest is the body of POST /api/v1/inspections: the unit by
// id or exact name; a unit's own users may leave it out.
type inspectionRequest struct {
	Unit ducha.UnitRef `json:"unit"`
}

func (s *handler) handleInspectionStart(w http.ResponseWriter, r *http.Request) error {
	var in inspectionRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	insp, created, err := s.StartInspection(r.Context(), string(in.Unit))
	if err != nil {
		return err
	}
	status := http.StatusOK // the open one, started before
	if created {
		status = http.StatusCreated
	}
	web.WriteVersioned(w, status, insp.Version, insp)
	return nil
}

func (s *handler) handleInspectionList(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	unit, page, perPage, err := s.dutyQuery(r)
	if err != nil {
		return err
	}
	// The store refuses a status it does not know, naming the field.
	f := ducha.InspectionFilter{UnitID: unit, Status: ducha.InspectionStatus(strings.TrimSpace(r.URL.Query().Get("status"))),
		Offset: (page - 1) * perPage, Limit: perPage}
	items, total, err := s.Duties.FindInspections(r.Context(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Inspection]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) findInspection(r *http.Request) (*ducha.Inspection, error) {
	if s.Duties == nil {
		return nil, web.ErrNoDuties
	}
	id, err := web.PathID(r, "自查")
	if err != nil {
		return nil, err
	}
	return s.Duties.FindInspectionByID(r.Context(), id)
}

func (s *handler) handleInspectionGet(w http.ResponseWriter, r *http.Request) error {
	insp, err := s.findInspection(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, insp.Version, insp)
	return nil
}

// inspectionItemRequest is the body of POST …/items/{duty}: complied is
// required; a duty found wanting carries its finding, mode and (限时整改)
// deadline; the version is optional.
type inspectionItemRequest struct {
	Complied *bool  `json:"complied"`
	Finding  string `json:"finding"`
	Mode     string `json:"mode"`
	Deadline string `json:"deadline"`
	Version  int    `json:"version"`
}

// mark checks an item request and turns it into a mark, naming the field
// that is wrong.
func (in inspectionItemRequest) mark() (ducha.InspectionMark, error) {
	if in.Complied == nil {
		return ducha.InspectionMark{}, ducha.FieldError("complied", "请说明该职责是否履行到位（complied：true 或 false）")
	}
	deadline, err := ducha.ParseDateISO(strings.TrimSpace(in.Deadline))
	if err != nil {
		return ducha.InspectionMark{}, ducha.FieldError("deadline", "整改时限格式应为 YYYY-MM-DD")
	}
	return ducha.InspectionMark{Complied: *in.Complied, Finding: in.Finding, Mode: in.Mode, Deadline: deadline}, nil
}

func (s *handler) handleInspectionItem(w http.ResponseWriter, r *http.Request) error {
	var in inspectionItemRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	insp, err := s.findInspection(r)
	if err != nil {
		return err
	}
	duty, err := strconv.ParseInt(r.PathValue("duty"), 10, 64)
	if err != nil || duty <= 0 {
		return ducha.NotFound("职责事项")
	}
	m, err := in.mark()
	if err != nil {
		return err
	}
	if m.Version, err = web.Version(r, in.Version, false); err != nil {
		return err
	}
	if insp, err = s.Duties.MarkInspectionItem(r.Context(), insp.ID, duty, m); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, insp.Version, insp)
	return nil
}

// inspectionSubmitRequest is the body of the submit action; the version
// is optional.
type inspectionSubmitRequest struct {
	Version int `json:"version"`
}

func (s *handler) handleInspectionSubmit(w http.ResponseWriter, r *http.Request) error {
	var in inspectionSubmitRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := web.Version(r, in.Version, false)
	if err != nil {
		return err
	}
	insp, err := s.findInspection(r)
	if err != nil {
		return err
	}
	if insp, err = s.Duties.SubmitInspection(r.Context(), insp.ID, v); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, insp.Version, insp)
	return nil
}

func (s *handler) handleInspectionEvents(w http.ResponseWriter, r *http.Request) error {
	insp, err := s.findInspection(r)
	if err != nil {
		return err
	}
	events, err := s.Duties.FindInspectionEvents(r.Context(), insp.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}

func (s *handler) handleInspectionReport(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	sum, err := s.Duties.InspectionSummary(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sum)
	return nil
}
