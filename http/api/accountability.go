package api

import (
	"bytes"
	"net/http"
	"strings"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

func (s *handler) handleAccountabilityList(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	q, err := s.readItemQuery(r)
	if err != nil {
		return err
	}
	f := ducha.AccountabilityFilter{UnitID: q.unit, ProblemID: q.problem, CaseID: q.cse, Offset: q.offset, Limit: q.limit}
	page, perPage := q.page, q.perPage
	items, total, err := s.Accountability.FindAccountability(r.Context(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Accountability]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) findAccountability(r *http.Request) (*ducha.Accountability, error) {
	if s.Accountability == nil {
		return nil, web.ErrNoAccountability
	}
	id, err := web.PathID(r, "问责记录")
	if err != nil {
		return nil, err
	}
	return s.Accountability.FindAccountabilityByID(r.Context(), id)
}

func (s *handler) handleAccountabilityGet(w http.ResponseWriter, r *http.Request) error {
	a, err := s.findAccountability(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, a.Version, a)
	return nil
}

func (s *handler) handleAccountabilityEvents(w http.ResponseWriter, r *http.Request) error {
	a, err := s.findAccountability(r)
	if err != nil {
		return err
	}
	events, err := s.Accountability.FindAccountabilityEvents(r.Context(), a.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}

// accountabilityRequest is the body of POST and PATCH: every field a
// record has, the date as written so that a wrong one is named.
type accountabilityRequest struct {
	Version   int            `json:"version"`
	Person    *string        `json:"person"`
	Post      *string        `json:"post"`
	Unit      *ducha.UnitRef `json:"unit"`
	Form      *string        `json:"form"`
	Reason    *string        `json:"reason"`
	DecidedBy *string        `json:"decided_by"`
	Date      *string        `json:"date"`
	Problems  *[]int64       `json:"problems"`
	Cases     *[]int64       `json:"cases"`
}

// update reads the request as a change; the date is checked here.
func (in *accountabilityRequest) update() (ducha.AccountabilityUpdate, error) {
	upd := ducha.AccountabilityUpdate{Version: in.Version, Person: in.Person, Post: in.Post, Unit: in.Unit, Form: in.Form,
		Reason: in.Reason, DecidedBy: in.DecidedBy, Problems: in.Problems, Cases: in.Cases}
	if in.Date != nil {
		d, err := ducha.ParseReportDate("date", "问责决定日期", *in.Date)
		if err != nil {
			return upd, err
		}
		upd.Date = &d
	}
	return upd, nil
}

func (s *handler) handleAccountabilityCreate(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	var in accountabilityRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	upd, err := in.update()
	if err != nil {
		return err
	}
	a, err := s.Accountability.CreateAccountability(r.Context(), upd.Input())
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusCreated, a.Version, a)
	return nil
}

func (s *handler) handleAccountabilityPatch(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	id, err := web.PathID(r, "问责记录")
	if err != nil {
		return err
	}
	var in accountabilityRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Version, err = web.Version(r, in.Version, true); err != nil {
		return err
	}
	upd, err := in.update()
	if err != nil {
		return err
	}
	a, err := s.Accountability.UpdateAccountability(r.Context(), id, upd)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, a.Version, a)
	return nil
}

func (s *handler) handleDisciplineReport(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	from, to, err := web.DisciplinePeriod(r)
	if err != nil {
		return err
	}
	rep, err := s.Accountability.DisciplineReport(r.Context(), from, to)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rep)
	return nil
}

// handleReferralExport answers one unit's referral pack: the store streams
// the rows into the workbook's sheets; the finished file is answered whole,
// so that a failure answers an error, not a truncated file.
func (s *handler) handleReferralExport(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	ref := strings.TrimSpace(r.URL.Query().Get("unit"))
	if ref == "" {
		return ducha.FieldError("unit", "请指定单位（unit=单位编号或名称）")
	}
	pack, err := sheets.NewReferral(s.Now())
	if err != nil {
		return err
	}
	defer pack.Close()
	unit, err := s.Accountability.ReferralPack(r.Context(), ducha.UnitRef(ref), pack)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pack.Finish(&buf); err != nil {
		return err
	}
	web.WriteXLSX(w, unit.Name+"移交材料-"+string(s.Today())+".xlsx", &buf)
	return nil
}
