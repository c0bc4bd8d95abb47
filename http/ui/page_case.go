package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"ducha"
	"ducha/http/web"
)

// casePage shows one complaint case: every field, each unit's part with
// its sign-for, the measures, the action forms the user may use and the
// history.
type casePage struct {
	page
	C       *ducha.Case
	Overdue bool
	Actions []*caseForm
	History []historyRow
	Error   string
	// CanArchive shows the link to the case's 一案一档 download.
	CanArchive bool
	// Problems are the linked problems the user may see; OpenProblem is
	// the 转入问题台账 form, nil when the user may not use it.
	Problems    []*ducha.Problem
	OpenProblem *openProblemForm
}

// caseState is what a failed or re-rendered form post hands back to the
// detail page.
type caseState struct {
	action   string
	in       caseInput
	err      error
	proposed bool   // the submit form was re-rendered with proposed measures
	notice   string // a message for the open form that is not an error
	missing  []missingMeasure
	// problemIn is the 转入问题台账 form as posted, when that post was refused.
	problemIn *openProblemInput
}

// UnitOf names the unit of a measure from the case's parts.
func (p *casePage) UnitOf(id int64) string {
	for _, part := range p.C.Parts {
		if part.UnitID == id {
			return part.Unit
		}
	}
	return ""
}

// Fine writes a fine in yuan, or nothing when there is none.
func (p *casePage) Fine(m ducha.Money) string {
	if m == 0 {
		return ""
	}
	return m.String()
}

func (s *handler) handleCasePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	return s.renderCase(w, r, c, caseState{})
}

// renderCase shows the case; a failed post opens its form again with the
// user's input and the messages.
func (s *handler) renderCase(w http.ResponseWriter, r *http.Request, c *ducha.Case, st caseState) error {
	ctx := r.Context()
	events, err := s.Cases.FindCaseEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	d := casePage{page: s.newPage(w, r, "case.title"), C: c, Overdue: caseOverdue(c, s.Today()),
		CanArchive: ducha.Can(ducha.UserFromContext(ctx), ducha.PermExport)}
	d.Title = c.AcceptanceNo + " · " + d.Title
	if d.Actions, err = s.caseForms(r, c); err != nil {
		return err
	}
	d.History = caseHistory(&d.page, events)
	s.nameActors(ctx, &d.page, d.History)
	if d.Problems, err = s.linkedProblems(ctx, c); err != nil {
		return err
	}
	if d.OpenProblem, err = s.openProblemFormFor(r, c); err != nil {
		return err
	}
	status := http.StatusOK
	if st.problemIn != nil {
		status = web.ErrorStatus(ducha.ErrorCode(st.err))
		msg, fields := web.FieldErrors(st.err)
		if f := d.OpenProblem; f != nil {
			f.Open, f.Error, f.Errors, f.In = true, msg, fields, *st.problemIn
		} else {
			d.Error = msg
		}
	}
	if st.action == "" {
		// The next step a click away: signing for a hand-over (one
		// button) is shown open.
		if i := slices.IndexFunc(d.Actions, func(f *caseForm) bool { return f.Action == ducha.CaseActSign }); i >= 0 {
			d.Actions[i].Open = true
		}
	}
	if st.action != "" {
		i := slices.IndexFunc(d.Actions, func(f *caseForm) bool { return f.Action == st.action })
		if st.err != nil {
			status = web.FormStatus(st.err)
		}
		if i < 0 {
			d.Error = ducha.ErrorMessage(st.err) // the case moved on; the form is gone
		} else {
			f := d.Actions[i]
			f.Open, f.In, f.Proposed, f.Notice, f.Missing = true, st.in, st.proposed, st.notice, st.missing
			f.F = newFormErrors(d.Lang, st.err, caseFields)
			f.F.Prefix = f.Action + "-"
			f.padRows()
		}
	}
	return s.render(w, status, "case", &d)
}

// linkedProblems reads the problems opened for c that the user may see;
// a unit's user does not see another unit's problem, here as anywhere.
func (s *handler) linkedProblems(ctx context.Context, c *ducha.Case) ([]*ducha.Problem, error) {
	var out []*ducha.Problem
	for _, id := range c.ProblemIDs {
		p, err := s.Problems.FindProblemByID(ctx, id)
		if ducha.ErrorCode(err) == ducha.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// caseHiddenFields are event fields that mean nothing to a reader.
var caseHiddenFields = []string{"id", "campaign_id", "original", "created_at", "updated_at"}

// caseFieldOrder is the order the history lists changed fields in.
var caseFieldOrder = []string{"acceptance_no", "batch", "forwarded_date", "channel", "key", "text", "area", "types",
	"type_detail", "status", "units", "parts", "deadline", "findings", "verdict", "handling", "accountability",
	"measures", "return_reason", "published", "problem_ids"}

// CaseActionLabel names a case action or event. Case actions are
// catalogued as action.case_NAME, which is also what the flash after an
// action names; events such as import keep their common label.
func (p *page) CaseActionLabel(action string) string {
	return p.labelOr("action.case_"+action, p.ActionLabel(action))
}

// CaseFieldLabel names a case field; unknown fields keep their key.
func (p *page) CaseFieldLabel(key string) string {
	return p.labelOr("case.field."+key, key)
}

// caseValueText writes one JSON value of a case event for people.
func caseValueText(p *page, key string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch key {
	case "status":
		return p.CaseStatusLabel(ducha.CaseStatus(jsonText(raw)))
	case "verdict":
		return p.VerdictLabel(jsonText(raw))
	case "channel":
		return p.ChannelLabel(jsonText(raw))
	case "parts":
		var parts []ducha.CaseUnit
		if json.Unmarshal(raw, &parts) == nil {
			out := make([]string, len(parts))
			for i, part := range parts {
				out[i] = partText(p, part)
			}
			return strings.Join(out, "；")
		}
	case "measures":
		var ms []ducha.Measure
		if json.Unmarshal(raw, &ms) == nil {
			out := make([]string, len(ms))
			for i, m := range ms {
				out[i] = measureText(p, m)
			}
			return strings.Join(out, "；")
		}
	}
	return valueText(p, key, raw)
}

// bareParts reports whether no unit of an event's parts has signed or
// submitted yet: then the parts say no more than the units beside them.
func bareParts(raw json.RawMessage) bool {
	var parts []ducha.CaseUnit
	if len(raw) > 0 && json.Unmarshal(raw, &parts) != nil {
		return false
	}
	for _, p := range parts {
		if p.SignedAt != nil || p.SubmittedAt != nil || p.Verdict != "" {
			return false
		}
	}
	return true
}

// partText writes a unit's part in one line: who, signed, submitted.
func partText(p *page, part ducha.CaseUnit) string {
	var notes []string
	if part.SignedAt != nil {
		notes = append(notes, p.T("case.part.signed", p.DateTime(*part.SignedAt), part.SignedBy))
	}
	if part.SubmittedAt != nil {
		notes = append(notes, p.T("case.part.submitted", p.DateTime(*part.SubmittedAt)))
	}
	if part.Verdict != "" {
		notes = append(notes, p.VerdictLabel(part.Verdict))
	}
	if len(notes) == 0 {
		return part.Unit
	}
	return part.Unit + "（" + strings.Join(notes, "，") + "）"
}

// measureText writes a measure in one line: 立案处罚 某公司 罚款12500.00元.
func measureText(p *page, m ducha.Measure) string {
	parts := []string{p.MeasureLabel(m.Kind)}
	if m.Enterprise != "" {
		parts = append(parts, m.Enterprise)
	}
	if m.Persons > 0 {
		parts = append(parts, p.T("case.persons_n", m.Persons))
	}
	if m.FineYuan > 0 {
		parts = append(parts, p.T("case.fine_n", m.FineYuan.String()))
	}
	return strings.Join(parts, " ")
}

// DefaultDeadlineHint explains what an empty deadline means.
func (f *caseForm) DefaultDeadlineHint(p *casePage) string {
	if !f.DefaultDeadline.Valid() {
		return p.T("case.deadline_default_plain")
	}
	return p.T("case.deadline_default", f.CaseDays, p.Date(f.DefaultDeadline))
}
