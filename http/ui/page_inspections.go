package ui

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The responsibility list and self-inspection pages (自查自纠): a unit's
// list with the coordinator's upload form, the inspections with the
// button that starts one, one inspection with a form per duty (each saves
// without JavaScript) and the submit button, and the county view. The
// store scopes every read to the user's unit, so another unit's
// inspection is as missing as a missing one.

// dutiesPage is a unit's responsibility list and, for the coordinator,
// the upload form and what the last upload did.
type dutiesPage struct {
	page
	Units     []*ducha.Unit // the unit filter, for the roles that read every unit
	UnitID    int64
	Items     []*ducha.Duty
	Total     int
	CanImport bool
	Result    *ducha.DutyImportResult
	Error     string
	ErrorRow  int
}

func (s *handler) handleDutiesPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newDutiesPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "duties", p)
}

func (s *handler) newDutiesPage(w http.ResponseWriter, r *http.Request) (*dutiesPage, error) {
	if s.Duties == nil {
		return nil, web.ErrNoDuties
	}
	u := web.RequestUser(r)
	p := &dutiesPage{page: s.newPage(w, r, "duties.title"), CanImport: ducha.Can(u, ducha.PermRegister)}
	if !u.Role.UnitScoped() {
		units, err := s.Units.FindUnits(r.Context())
		if err != nil {
			return nil, err
		}
		p.Units = units
		if ref := strings.TrimSpace(r.URL.Query().Get("unit")); ref != "" {
			if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
				p.UnitID = id
			}
		}
	}
	items, total, err := s.Duties.FindDuties(r.Context(), ducha.DutyFilter{UnitID: p.UnitID})
	if err != nil {
		return nil, err
	}
	p.Items, p.Total = items, total
	return p, nil
}

// handleDutiesUpload imports a responsibility list from the page's form
// and shows the list with what the import did, or the refusal with its row.
func (s *handler) handleDutiesUpload(w http.ResponseWriter, r *http.Request) error {
	res, err := s.ImportDuties(w, r)
	if err != nil && ducha.ErrorCode(err) != ducha.EINVALID {
		return err
	}
	p, perr := s.newDutiesPage(w, r)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.Error = ducha.ErrorMessage(err)
		if e, ok := err.(*ducha.Error); ok {
			p.ErrorRow = e.Row
		}
		return s.render(w, http.StatusBadRequest, "duties", p)
	}
	p.Result = &res
	return s.render(w, http.StatusOK, "duties", p)
}

// inspectionsPage lists inspections and offers to start one: a unit's
// own, or for the coordinator any unit's.
type inspectionsPage struct {
	page
	Items []*ducha.Inspection
	Total int
	// CanStart shows the start button; Units, for the coordinator, the
	// units to choose from.
	CanStart bool
	Units    []*ducha.Unit
	Error    string
}

// InspectionStatusLabel names an inspection status.
func (p *page) InspectionStatusLabel(st ducha.InspectionStatus) string {
	return p.labelOr("inspection.status."+string(st), st.Label())
}

func (s *handler) handleInspectionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspections(w, r, nil)
}

func (s *handler) renderInspections(w http.ResponseWriter, r *http.Request, failed error) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	u := web.RequestUser(r)
	p := inspectionsPage{page: s.newPage(w, r, "inspections.title")}
	switch {
	case ducha.Can(u, ducha.PermRegister):
		units, err := s.Units.FindUnits(r.Context())
		if err != nil {
			return err
		}
		p.CanStart, p.Units = true, units
	case u.Role.UnitScoped() && ducha.Can(u, ducha.PermWork):
		p.CanStart = true
	}
	items, total, err := s.Duties.FindInspections(r.Context(), ducha.InspectionFilter{})
	if err != nil {
		return err
	}
	p.Items, p.Total = items, total
	status := http.StatusOK
	if failed != nil {
		p.Error, status = ducha.ErrorMessage(failed), web.ErrorStatus(ducha.ErrorCode(failed))
	}
	return s.render(w, status, "inspections", &p)
}

// handleInspectionStartSubmit starts (or goes on with the open)
// inspection and shows it.
func (s *handler) handleInspectionStartSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, created, err := s.StartInspection(r.Context(), web.FormValue(r, "unit"))
	if formError(err) {
		return s.renderInspections(w, r, err)
	} else if err != nil {
		return err
	}
	if created {
		s.setFlash(w, r, flashDone, "inspection_start")
	}
	http.Redirect(w, r, inspectionPath(in.ID), http.StatusSeeOther)
	return nil
}

func inspectionPath(id int64) string { return "/inspections/" + strconv.FormatInt(id, 10) }

// inspectionPage shows one inspection: a row per duty with its form while
// it is open, and after submit the problems it made.
type inspectionPage struct {
	page
	In    *ducha.Inspection
	Rows  []*inspectionRow
	Modes []string
	// CanAct shows the forms: the unit's own users and the coordinator,
	// while the inspection is open.
	CanAct  bool
	Error   string
	History []historyRow
}

// inspectionRow is one duty's row: the item as stored, or as typed after
// a refused save with its messages.
type inspectionRow struct {
	Item     *ducha.InspectionItem
	Complied string // "yes", "no" or "" (not marked)
	Finding  string
	Mode     string
	Deadline string
	Error    string
	Errors   map[string]string
}

// Err is the message for one field of the row's form.
func (r *inspectionRow) Err(field string) string { return r.Errors[field] }

// inspectionState is what a refused save hands back to the page.
type inspectionState struct {
	duty int64
	row  inspectionRow
	err  error
}

func (s *handler) handleInspectionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "自查")
	if err != nil {
		return err
	}
	return s.renderInspection(w, r, id, inspectionState{})
}

func (s *handler) renderInspection(w http.ResponseWriter, r *http.Request, id int64, st inspectionState) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	in, err := s.Duties.FindInspectionByID(r.Context(), id)
	if err != nil {
		return err
	}
	u := web.RequestUser(r)
	p := inspectionPage{page: s.newPage(w, r, "inspection.title"), In: in, Modes: ducha.ProblemModes,
		CanAct: in.Status == ducha.InspectionOpen && ducha.CheckInspector(u, in.UnitID) == nil}
	p.Title = in.Unit + " · " + p.Title
	for _, it := range in.Items {
		row := &inspectionRow{Item: it, Finding: it.Finding, Mode: it.Mode, Deadline: string(it.Deadline)}
		if it.Marked {
			row.Complied = map[bool]string{true: "yes", false: "no"}[it.Complied]
		}
		if st.err != nil && st.duty == it.Duty.ID {
			typed := st.row
			typed.Item = it
			typed.Error, typed.Errors = web.FieldErrors(st.err)
			row = &typed
		}
		p.Rows = append(p.Rows, row)
	}
	status := http.StatusOK
	if st.err != nil {
		status = web.ErrorStatus(ducha.ErrorCode(st.err))
		if st.duty == 0 {
			p.Error, _ = web.FieldErrors(st.err)
		}
	}
	events, err := s.Duties.FindInspectionEvents(r.Context(), id)
	if err != nil {
		return err
	}
	p.History = inspectionHistory(&p.page, events)
	s.nameActors(r.Context(), &p.page, p.History)
	return s.render(w, status, "inspection", &p)
}

// handleInspectionItemSubmit saves one duty's row: back to the
// inspection at that row, or the page again with the row's messages.
func (s *handler) handleInspectionItemSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	id, err := web.PathID(r, "自查")
	if err != nil {
		return err
	}
	duty, err := strconv.ParseInt(r.PathValue("duty"), 10, 64)
	if err != nil || duty <= 0 {
		return ducha.NotFound("职责事项")
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	row := inspectionRow{Complied: web.FormValue(r, "complied"), Finding: web.FormValue(r, "finding"), Mode: web.FormValue(r, "mode"),
		Deadline: web.FormValue(r, "deadline")}
	m := ducha.InspectionMark{Complied: row.Complied == "yes", Finding: row.Finding, Mode: row.Mode}
	if row.Complied != "yes" && row.Complied != "no" {
		err = ducha.FieldError("complied", "请选择该职责是否履行到位")
	}
	if err == nil {
		m.Deadline, err = web.DateField("deadline", web.RequestLang(r).T("inspection.field.deadline"), row.Deadline)
	}
	if err == nil {
		m.Version, err = formVersion(r)
	}
	if err == nil {
		_, err = s.Duties.MarkInspectionItem(r.Context(), id, duty, m)
	}
	if formError(err) {
		return s.renderInspection(w, r, id, inspectionState{duty: duty, row: row, err: err})
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "inspection_mark")
	http.Redirect(w, r, inspectionPath(id)+"#duty-"+strconv.FormatInt(duty, 10), http.StatusSeeOther)
	return nil
}

// handleInspectionSubmitPage submits the inspection from its button.
func (s *handler) handleInspectionSubmitPage(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	id, err := web.PathID(r, "自查")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	v, err := formVersion(r)
	if err == nil {
		_, err = s.Duties.SubmitInspection(r.Context(), id, v)
	}
	if formError(err) {
		return s.renderInspection(w, r, id, inspectionState{err: err})
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "inspection_submit")
	http.Redirect(w, r, inspectionPath(id), http.StatusSeeOther)
	return nil
}

// inspectionReportPage is the county view.
type inspectionReportPage struct {
	page
	S *ducha.InspectionSummary
}

func (s *handler) handleInspectionReportPage(w http.ResponseWriter, r *http.Request) error {
	if s.Duties == nil {
		return web.ErrNoDuties
	}
	sum, err := s.Duties.InspectionSummary(r.Context())
	if err != nil {
		return err
	}
	p := inspectionReportPage{page: s.newPage(w, r, "inspections.report.title"), S: sum}
	return s.render(w, http.StatusOK, "inspection_report", &p)
}
