package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// openProblemForm is the 转入问题台账 form of the case page.
type openProblemForm struct {
	Open   bool // shown unfolded, after a refused post
	Error  string
	Errors map[string]string
	In     openProblemInput
	Units  []*ducha.Unit
}

// openProblemInput is what the form holds, kept as typed.
type openProblemInput struct {
	Subject, Description, LeadUnit string
}

// Err is the message for one field.
func (f *openProblemForm) Err(field string) string { return f.Errors[field] }

// IsLead reports whether the form names u as the lead unit.
func (f *openProblemForm) IsLead(u *ducha.Unit) bool {
	return refersTo(ducha.UnitRef(f.In.LeadUnit), u)
}

// substantiated reports whether a case's verdict lets it become a problem.
func substantiated(c *ducha.Case) bool {
	return ducha.Substantiated(c.Verdict)
}

// openProblemFormFor returns the form when the user may open a problem
// for c, nil otherwise. It is prefilled from the case: the subject from
// the first measure that names an enterprise, the description with the
// complaint, the lead unit with the case's first unit.
func (s *handler) openProblemFormFor(r *http.Request, c *ducha.Case) (*openProblemForm, error) {
	if s.Enterprises == nil || !substantiated(c) || !ducha.Can(ducha.UserFromContext(r.Context()), ducha.PermRegister) {
		return nil, nil
	}
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return nil, err
	}
	f := &openProblemForm{Units: units, In: openProblemInput{Description: c.Text}}
	for _, m := range c.Measures {
		if m.Enterprise != "" {
			f.In.Subject = m.Enterprise
			break
		}
	}
	if len(c.Units) > 0 {
		f.In.LeadUnit = c.Units[0]
	}
	return f, nil
}

// handleCaseProblemSubmit opens a problem from the case page's form and
// goes to the new problem; a refused input shows the case again with the
// form open and the messages.
func (s *handler) handleCaseProblemSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := openProblemInput{Subject: web.FormValue(r, "subject"), Description: web.FormValue(r, "description"), LeadUnit: web.FormValue(r, "lead_unit")}
	p, err := s.OpenProblem(r.Context(), c, web.ProblemInput{Subject: in.Subject, Description: in.Description, LeadUnit: ducha.UnitRef(in.LeadUnit)})
	if err == nil {
		s.setFlash(w, r, flashFromCase, "")
		http.Redirect(w, r, "/problems/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	}
	if code := ducha.ErrorCode(err); code != ducha.EINVALID && code != ducha.ECONFLICT {
		return err
	}
	return s.renderCase(w, r, c, caseState{problemIn: &in, err: err})
}
