package ui

import (
	"net/http"
	"slices"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// newProblemPage is the register form.
type newProblemPage struct {
	page
	In         web.ProblemInput
	F          formErrors
	Units      []*ducha.Unit
	Sources    []string
	Modes      []string
	Industries []string
	Types      []string
}

// Err is the message for one field.
func (p *newProblemPage) Err(field string) string { return p.F.Err(field) }

// newProblemFields are the register form's fields in the order it shows
// them, for the error summary.
var newProblemFields = []string{"source", "description", "area", "address", "subject", "subject_credit_code",
	"types", "type_detail", "industry", "mode", "lead_unit", "coop_units", "leader", "person", "measures",
	"target", "deadline", "note"}

// HasType reports whether the input names a pollution type.
func (p *newProblemPage) HasType(t string) bool { return slices.Contains(p.In.Types, t) }

// IsLead reports whether the input names u as the lead unit.
func (p *newProblemPage) IsLead(u *ducha.Unit) bool { return refersTo(p.In.LeadUnit, u) }

// IsCoop reports whether the input names u as a cooperating unit.
func (p *newProblemPage) IsCoop(u *ducha.Unit) bool {
	return slices.ContainsFunc(p.In.CoopUnits, func(r ducha.UnitRef) bool { return refersTo(r, u) })
}

func refersTo(r ducha.UnitRef, u *ducha.Unit) bool {
	return r != "" && (string(r) == strconv.FormatInt(u.ID, 10) || string(r) == u.Name)
}

func (s *handler) newProblemPage(w http.ResponseWriter, r *http.Request, in web.ProblemInput) (*newProblemPage, error) {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return nil, err
	}
	return &newProblemPage{
		page: s.newPage(w, r, "new.title"), In: in, Units: units,
		Sources: ducha.ProblemSources, Modes: ducha.ProblemModes,
		Industries: ducha.Industries, Types: ducha.PollutionTypes,
	}, nil
}

func (s *handler) handleProblemNewPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newProblemPage(w, r, web.ProblemInput{Source: "自查发现", Mode: ducha.ModeTimeBound})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "problem_new", p)
}

// handleProblemNewSubmit registers a problem from the form; a validation
// error shows the form again with the input kept.
func (s *handler) handleProblemNewSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := web.ProblemInput{
		Source: web.FormValue(r, "source"), Description: web.FormValue(r, "description"),
		Area: web.FormValue(r, "area"), Address: web.FormValue(r, "address"), Subject: web.FormValue(r, "subject"),
		SubjectCreditCode: web.FormValue(r, "subject_credit_code"), Types: web.FormList(r, "types"),
		TypeDetail: web.FormValue(r, "type_detail"), Industry: web.FormValue(r, "industry"), Mode: web.FormValue(r, "mode"),
		LeadUnit: ducha.UnitRef(web.FormValue(r, "lead_unit")), CoopUnits: web.UnitRefs(web.FormList(r, "coop_units")),
		Leader: web.FormValue(r, "leader"), Person: web.FormValue(r, "person"), Measures: web.FormValue(r, "measures"),
		Target: web.FormValue(r, "target"), Note: web.FormValue(r, "note"),
		ConfirmPastDeadline: web.FormValue(r, "confirm_past_deadline") != "",
	}
	// Every wrong field is named at once: the date as read here, the units
	// and the domain's checks in createProblem.
	var fe web.FormValidation
	fe.Date(r.PostForm.Get("deadline"), "deadline", web.RequestLang(r).T("field.deadline"), &in.Deadline)
	created, err := s.CreateProblem(r.Context(), in, &fe)
	if err == nil {
		s.setFlash(w, r, s.planRegistered(r, created, in), "")
		http.Redirect(w, r, "/problems/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
		return nil
	}
	if fe.Has("deadline") {
		in.Deadline = ducha.Date(web.FormValue(r, "deadline")) // shown back as typed
	}
	code := ducha.ErrorCode(err)
	if code != ducha.EINVALID && code != ducha.ECONFLICT {
		return err
	}
	p, perr := s.newProblemPage(w, r, in)
	if perr != nil {
		return perr
	}
	p.F = newFormErrors(p.Lang, err, newProblemFields)
	return s.render(w, web.FormStatus(err), "problem_new", p)
}

// planFilled reports whether the register form holds a whole plan: the
// unit that leads, the person who answers for it, the measures and a
// deadline, which long-term problems need not have.
func planFilled(in web.ProblemInput) bool {
	return in.LeadUnit != "" && in.Person != "" && in.Measures != "" &&
		(in.Deadline.Valid() || in.Mode == ducha.ModeLongTerm)
}

// planRegistered hands a just-registered problem over at once when its
// form held a whole plan, so that it lands in progress; otherwise it stays
// registered, waiting for its plan. It returns the flash to show. The two
// steps are two store calls: a refused plan leaves the problem registered,
// and the flash says to set the plan on its page.
func (s *handler) planRegistered(r *http.Request, p *ducha.Problem, in web.ProblemInput) string {
	if !planFilled(in) {
		return flashCreated
	}
	_, err := s.Problems.ActOnProblem(r.Context(), p.ID, ducha.ProblemAction{
		Action: ducha.ActPlan, Version: p.Version, LeadUnit: in.LeadUnit,
		Leader: in.Leader, Person: in.Person, Measures: in.Measures, Target: in.Target,
		Mode: in.Mode, Deadline: in.Deadline, ConfirmPastDeadline: in.ConfirmPastDeadline,
	})
	if err != nil {
		if ducha.Fault(err) {
			s.Logger.Error("http: plan on registration", "problem", p.ID, "err", err)
		}
		return flashUnplanned
	}
	return flashPlanned
}
