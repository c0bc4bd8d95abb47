package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// caseForm is one case action's form on the detail page.
type caseForm struct {
	Action string
	Open   bool // shown unfolded, after a failed or re-rendered post
	F      formErrors
	Notice string
	In     caseInput

	// Assign: the units to choose from and the deadline an empty field gets.
	Units           []*ducha.Unit
	DefaultDeadline ducha.Date
	CaseDays        int
	// Submit: the parts the coordinator may answer for (signed ones);
	// empty for a unit's own user, who answers for their unit.
	Parts []ducha.CaseUnit
	// Proposed is set when the measure rows were filled from the handling
	// text, for the user to confirm.
	Proposed bool
	// Accept: the statuses the case may be accepted as.
	Statuses []ducha.CaseStatus
	// Missing lists what the handling text reports and the measures leave
	// out, after a submit refused for it; each may be confirmed as not
	// counted.
	Missing []missingMeasure
}

// caseInput is what the user typed into a case action form, kept as typed.
type caseInput struct {
	Units          []string
	Deadline       string
	Unit           string
	Findings       string
	Verdict        string
	Handling       string
	Accountability string
	Measures       []measureRow
	Status         string
	Reason         string
	// Uncounted are the reported measures the user confirmed not to count.
	Uncounted []string
}

// measureRow is one row of the submit form's measure table.
type measureRow struct {
	Kind, Enterprise, Persons, Fine string
	// Evidence quotes the handling text a proposed row was read from.
	Evidence string
}

// Err is the message for one field.
func (f *caseForm) Err(field string) string { return f.F.Err(field) }

// caseFields are the case forms' fields in the order they show them, for
// the error summary.
var caseFields = []string{"units", "deadline", "unit", "findings", "verdict", "handling", "accountability",
	"measures", "status", "reason", "version"}

// UnitChosen reports whether the assign form names unit u.
func (f *caseForm) UnitChosen(u *ducha.Unit) bool {
	return slices.ContainsFunc(f.In.Units, func(s string) bool { return refersTo(ducha.UnitRef(s), u) })
}

// MeasureKinds lists the measure kinds in report order.
func (f *caseForm) MeasureKinds() []string { return ducha.MeasureKinds }

// Verdicts lists the verdicts.
func (f *caseForm) Verdicts() []string { return ducha.Verdicts }

// minMeasureRows is how many measure rows the submit form offers at least;
// two more than the filled ones are always there.
const minMeasureRows = 3

// padRows leaves room for more measures below the filled rows.
func (f *caseForm) padRows() {
	if f.Action != ducha.CaseActSubmit {
		return
	}
	n := max(minMeasureRows, len(f.In.Measures)+2)
	for len(f.In.Measures) < n {
		f.In.Measures = append(f.In.Measures, measureRow{})
	}
}

// caseForms lists the forms the user may use on c. It mirrors the
// permission and state rules of ducha.ApplyCaseAction so that no form is
// offered that would surely be refused; the store still decides.
func (s *handler) caseForms(r *http.Request, c *ducha.Case) ([]*caseForm, error) {
	u := ducha.UserFromContext(r.Context())
	if u == nil {
		return nil, nil
	}
	verify := ducha.Can(u, ducha.PermVerify)
	var own *ducha.CaseUnit
	if u.Role.UnitScoped() && ducha.Can(u, ducha.PermWork) {
		for i := range c.Parts {
			if c.Parts[i].UnitID == u.UnitID {
				own = &c.Parts[i]
			}
		}
	}
	var signed []ducha.CaseUnit
	for _, p := range c.Parts {
		if p.SignedAt != nil {
			signed = append(signed, p)
		}
	}
	st := c.Status
	var forms []*caseForm
	for _, a := range ducha.CaseActions {
		f := &caseForm{Action: a, F: formErrors{Prefix: a + "-"}}
		ok := false
		switch a {
		case ducha.CaseActAssign:
			ok = ducha.Can(u, ducha.PermRegister) && (st == ducha.CaseReceived || st == ducha.CaseAssigned)
			if ok {
				if err := s.assignForm(r, c, f); err != nil {
					return nil, err
				}
			}
		case ducha.CaseActSign:
			ok = own != nil && own.SignedAt == nil && (st == ducha.CaseAssigned || st == ducha.CaseInvestigating)
		case ducha.CaseActSignoff:
			ok = own != nil && u.Role == ducha.RoleUnitHead && own.AwaitingSignoff && st == ducha.CaseInvestigating
		case ducha.CaseActSubmit:
			switch {
			case st != ducha.CaseInvestigating:
			case own != nil:
				ok = own.SignedAt != nil
				f.In = partInput(c, *own)
			case verify && !u.Role.UnitScoped():
				ok, f.Parts = len(signed) > 0, signed
				if len(signed) == 1 {
					f.In = partInput(c, signed[0])
				}
			}
			f.padRows()
		case ducha.CaseActAccept:
			switch {
			case !verify:
			case st == ducha.CaseSubmitted:
				ok, f.Statuses = true, []ducha.CaseStatus{ducha.CaseStageClosed, ducha.CaseClosed}
			case st == ducha.CaseStageClosed:
				ok, f.Statuses = true, []ducha.CaseStatus{ducha.CaseClosed}
			}
			if ok {
				f.In.Status = string(f.Statuses[len(f.Statuses)-1])
			}
		case ducha.CaseActReturn:
			// The coordinator returns a submitted case; a unit head, the
			// answer waiting for its sign-off.
			ok = verify && st == ducha.CaseSubmitted ||
				own != nil && u.Role == ducha.RoleUnitHead && own.AwaitingSignoff && st == ducha.CaseInvestigating
		case ducha.CaseActPublish:
			ok = verify && (st == ducha.CaseStageClosed || st == ducha.CaseClosed) && !c.Published
		}
		if ok {
			forms = append(forms, f)
		}
	}
	return forms, nil
}

// assignForm fills the assign form: the units, those already chosen, and
// the deadline an empty field gets (forwarded date + the campaign's days).
func (s *handler) assignForm(r *http.Request, c *ducha.Case, f *caseForm) error {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return err
	}
	f.Units = units
	for _, p := range c.Parts {
		f.In.Units = append(f.In.Units, strconv.FormatInt(p.UnitID, 10))
	}
	// A case not yet handed over is suggested to the township of its area.
	if len(c.Parts) == 0 {
		for _, u := range units {
			if u.Name == c.Area {
				f.In.Units = []string{strconv.FormatInt(u.ID, 10)}
			}
		}
	}
	if c.Status == ducha.CaseAssigned {
		f.In.Deadline = string(c.Deadline)
	}
	f.CaseDays = 10
	if s.Campaigns != nil {
		if camp, err := s.Campaigns.CurrentCampaign(r.Context()); err == nil {
			f.CaseDays = camp.CaseDays
		} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
			return err
		}
	}
	f.DefaultDeadline = c.ForwardedDate.AddDays(f.CaseDays)
	return nil
}

// partInput fills the submit form with what a unit answered before, so
// that a unit resubmitting (after a return) starts from its last answer.
func partInput(c *ducha.Case, part ducha.CaseUnit) caseInput {
	in := caseInput{
		Unit: strconv.FormatInt(part.UnitID, 10), Findings: part.Findings, Verdict: part.Verdict,
		Handling: part.Handling, Accountability: part.Accountable,
	}
	for _, m := range c.Measures {
		if m.UnitID != part.UnitID {
			continue
		}
		row := measureRow{Kind: m.Kind, Enterprise: m.Enterprise}
		if m.Persons > 0 {
			row.Persons = strconv.Itoa(m.Persons)
		}
		if m.FineYuan > 0 {
			row.Fine = m.FineYuan.String()
		}
		in.Measures = append(in.Measures, row)
	}
	return in
}

// readCaseForm reads an action form into the action and keeps the input
// as typed for showing it again.
func readCaseForm(r *http.Request, action string) (ducha.CaseAction, caseInput, error) {
	in := caseInput{
		Units: web.FormList(r, "units"), Deadline: web.FormValue(r, "deadline"), Unit: web.FormValue(r, "unit"),
		Findings: web.FormValue(r, "findings"), Verdict: web.FormValue(r, "verdict"), Handling: web.FormValue(r, "handling"),
		Accountability: web.FormValue(r, "accountability"), Status: web.FormValue(r, "status"), Reason: web.FormValue(r, "reason"),
	}
	kinds, ents, persons, fines := r.PostForm["m_kind"], r.PostForm["m_enterprise"], r.PostForm["m_persons"], r.PostForm["m_fine"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range max(len(kinds), len(ents), len(persons), len(fines)) {
		row := measureRow{Kind: at(kinds, i), Enterprise: at(ents, i), Persons: at(persons, i), Fine: at(fines, i)}
		if row != (measureRow{}) {
			in.Measures = append(in.Measures, row)
		}
	}
	a := ducha.CaseAction{
		Action: action, Units: web.UnitRefs(in.Units), Unit: ducha.UnitRef(in.Unit),
		Findings: in.Findings, Verdict: in.Verdict, Handling: in.Handling, Accountability: in.Accountability,
		Status: ducha.CaseStatus(in.Status), Reason: in.Reason,
	}
	in.Uncounted = r.PostForm["uncounted"]
	var fe web.FormValidation
	v, err := strconv.Atoi(web.FormValue(r, "version"))
	if err != nil || v <= 0 {
		fe.Add("version", "缺少版本号，请刷新页面后重试")
	}
	a.Version = v
	fe.Date(r.PostForm.Get("deadline"), "deadline", web.RequestLang(r).T("case.field.deadline"), &a.Deadline)
	if action == ducha.CaseActSubmit {
		a.Measures, err = measuresOf(in.Measures)
		fe.Merge(err)
	}
	return a, in, fe.Err()
}

// measuresOf turns the measure rows into measures; a row must name its
// kind. Every wrong row is named in the one message of the field.
func measuresOf(rows []measureRow) ([]ducha.Measure, error) {
	out := []ducha.Measure{}
	var bad []string
	for i, row := range rows {
		if row.Kind == "" {
			bad = append(bad, fmt.Sprintf("第%d行处理措施未选择类型", i+1))
			continue
		}
		m := ducha.Measure{Kind: row.Kind, Enterprise: row.Enterprise}
		if row.Persons != "" {
			n, err := strconv.Atoi(row.Persons)
			if err != nil || n < 0 {
				bad = append(bad, fmt.Sprintf("第%d行处理措施的人数“%s”应为正整数", i+1, row.Persons))
			}
			m.Persons = n
		}
		if row.Fine != "" {
			fine, err := ducha.ParseMoney(row.Fine)
			if err != nil {
				bad = append(bad, fmt.Sprintf("第%d行处理措施：%v", i+1, err))
			}
			m.FineYuan = fine
		}
		out = append(out, m)
	}
	if len(bad) > 0 {
		return nil, ducha.FieldError("measures", "%s", strings.Join(bad, "；"))
	}
	return out, nil
}

// withProposals adds the measures the handling text reports to the rows
// the user has filled, one per kind not yet among them.
func withProposals(rows []measureRow, handling string) ([]measureRow, int) {
	added := 0
	for _, p := range web.ProposeMeasures(handling) {
		if slices.ContainsFunc(rows, func(r measureRow) bool { return r.Kind == p.Kind }) {
			continue
		}
		row := measureRow{Kind: p.Kind, Enterprise: p.Enterprise, Evidence: p.Evidence}
		if p.Persons > 0 {
			row.Persons = strconv.Itoa(p.Persons)
		}
		if p.FineYuan > 0 {
			row.Fine = p.FineYuan.String()
		}
		rows = append(rows, row)
		added++
	}
	return rows, added
}

// handleCaseActionSubmit runs one action from its form. Success goes back
// to the case with a message; a refused input shows the page again with
// the form open, the input kept and the message next to the field. The
// submit form's 识别处理措施 button saves nothing: it shows the form again
// with measure rows read from the handling text, for the user to confirm.
func (s *handler) handleCaseActionSubmit(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(ducha.CaseActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	a, in, err := readCaseForm(r, action)
	if action == ducha.CaseActSubmit && web.FormValue(r, "propose") != "" {
		rows, added := withProposals(in.Measures, in.Handling)
		in.Measures = rows
		st := caseState{action: action, in: in, proposed: added > 0}
		if added == 0 {
			st.notice = web.RequestLang(r).T("case.propose_none")
		}
		return s.renderCase(w, r, c, st)
	}
	if action == ducha.CaseActSubmit && (err == nil || web.IsInvalid(err)) {
		// A text that reports a fine the measures leave out is refused
		// with the rest, unless the user confirms not counting it.
		var fe web.FormValidation
		fe.Merge(err)
		missing := missingMeasures(in.Handling, in.Measures, in.Uncounted)
		l := web.RequestLang(r)
		var msgs []string
		for _, m := range missing {
			if !m.Confirmed {
				msgs = append(msgs, l.T("forms.missing_error", m.Evidence, m.Label, m.Label))
			}
		}
		if len(msgs) > 0 && !fe.Has("measures") {
			fe.Add("measures", "%s", strings.Join(msgs, "；"))
		}
		if fe.Len() > 0 {
			err = s.dryRunCase(r, c, a, fe)
			return s.renderCase(w, r, c, caseState{action: action, in: in, err: err, missing: missing})
		}
	}
	if err == nil {
		var done *ducha.Case
		if done, err = s.Cases.ActOnCase(r.Context(), c.ID, a); err == nil {
			s.setFlash(w, r, flashDone, "case_"+action)
			http.Redirect(w, r, "/cases/"+strconv.FormatInt(done.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	if code := ducha.ErrorCode(err); code != ducha.EINVALID && code != ducha.ECONFLICT {
		return err
	}
	return s.renderCase(w, r, c, caseState{action: action, in: in, err: err})
}

// dryRunCase adds to the form's own messages what the domain would refuse
// besides, trying the submission on a copy of the case that is thrown
// away: one post names the missing findings along with the fine.
func (s *handler) dryRunCase(r *http.Request, c *ducha.Case, a ducha.CaseAction, fe web.FormValidation) error {
	if id, err := strconv.ParseInt(string(a.Unit), 10, 64); err == nil {
		a.UnitID = id
	}
	copyC := *c
	fe.Merge(ducha.ApplyCaseAction(&copyC, a, ducha.UserFromContext(r.Context()), s.Now()))
	return fe.Err()
}

// missingMeasure is a measure the handling text reports that the
// submitted measures leave out: a 罚款, a 立案 or a 约谈, which the daily
// report counts.
type missingMeasure struct {
	// Key is what the user ticks to confirm not counting it: the kind, or
	// "fine" for a fine the penalty rows do not carry.
	Key, Label, Evidence string
	Confirmed            bool
}

// reportedKinds are the measures a handling text must not report in vain.
var reportedKinds = []string{ducha.MeasurePenaltyCase, ducha.MeasureCriminalCase, ducha.MeasureInterviewed}

// missingMeasures compares the measures the handling text reports with the
// rows submitted; uncounted are the keys the user confirmed.
func missingMeasures(handling string, rows []measureRow, uncounted []string) []missingMeasure {
	var out []missingMeasure
	has := func(kind string) bool {
		return slices.ContainsFunc(rows, func(r measureRow) bool { return r.Kind == kind })
	}
	fined := slices.ContainsFunc(rows, func(r measureRow) bool {
		m, err := ducha.ParseMoney(r.Fine)
		return r.Kind == ducha.MeasurePenaltyCase && err == nil && m > 0
	})
	for _, p := range web.ProposeMeasures(handling) {
		if !slices.Contains(reportedKinds, p.Kind) {
			continue
		}
		m := missingMeasure{Key: p.Kind, Label: p.Label, Evidence: p.Evidence}
		switch {
		case !has(p.Kind):
		case p.Kind == ducha.MeasurePenaltyCase && p.FineYuan > 0 && !fined:
			m.Key, m.Label = "fine", "罚款"+p.FineYuan.String()+"元"
		default:
			continue
		}
		m.Confirmed = slices.Contains(uncounted, m.Key)
		out = append(out, m)
	}
	return out
}
