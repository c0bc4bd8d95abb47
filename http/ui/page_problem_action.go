package ui

import (
	"net/http"
	"slices"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// actionForm is one workflow action's form on the detail page.
type actionForm struct {
	Action string
	// CanChooseLead is set when the user may hand the problem to another
	// unit: only registrars may.
	CanChooseLead bool
	Open          bool // shown unfolded, after a failed post
	F             formErrors
	In            actionInput
	// Stale is set when the post carried an old version: what the other
	// person changed, beside what this user typed.
	Stale *staleSave
}

// actionInput is what the user typed into an action form, kept as typed.
type actionInput struct {
	LeadUnit  string
	CoopUnits []string
	Leader    string
	Person    string
	Measures  string
	Target    string
	Mode      string
	Deadline  string
	Text      string
	Reason    string
	Percent   string
	Opinion   string
	Level     string
	// Document is the attachment chosen as a level's document.
	Document string
}

// Err is the message for one field.
func (f *actionForm) Err(field string) string { return f.F.Err(field) }

// IsLead reports whether the form names u as lead unit.
func (f *actionForm) IsLead(u *ducha.Unit) bool { return refersTo(ducha.UnitRef(f.In.LeadUnit), u) }

// IsCoop reports whether the form names u as a cooperating unit.
func (f *actionForm) IsCoop(u *ducha.Unit) bool {
	return slices.ContainsFunc(f.In.CoopUnits, func(s string) bool { return refersTo(ducha.UnitRef(s), u) })
}

// actionFields are the action forms' fields in the order they show them,
// for the error summary.
var actionFields = []string{"lead_unit", "coop_units", "leader", "person", "measures", "target", "mode",
	"deadline", "text", "percent", "opinion", "document", "level", "reason", "approve", "version"}

// availableActions lists the forms u may use on p today. It mirrors the
// permission and state rules of ducha.ApplyProblemAction so that no form
// is offered that would surely be refused; the store still decides.
func availableActions(u *ducha.User, p *ducha.Problem, today ducha.Date) []*actionForm {
	if u == nil {
		return nil
	}
	ownLead := !u.Role.UnitScoped() || (u.UnitID != 0 && p.LeadUnitID == u.UnitID)
	ownAny := !u.Role.UnitScoped() || p.InUnit(u.UnitID)
	work, verify, register := ducha.Can(u, ducha.PermWork), ducha.Can(u, ducha.PermVerify), ducha.Can(u, ducha.PermRegister)
	st := p.Status
	ok := map[string]bool{
		ducha.ActPlan: (st == ducha.StatusRegistered || st == ducha.StatusInProgress) &&
			(register || (work && ownLead && p.LeadUnitID != 0)),
		ducha.ActProgress:     (st == ducha.StatusInProgress || st == ducha.StatusPendingVerification) && work && ownAny,
		ducha.ActApplyClosure: st == ducha.StatusInProgress && work && ownLead,
		// Asking for more time is the lead unit's own step; coordinators
		// decide extensions rather than request them.
		ducha.ActRequestExtension: st == ducha.StatusInProgress && work && u.Role.UnitScoped() && u.UnitID != 0 &&
			p.LeadUnitID == u.UnitID && p.Extension == nil && p.Deadline.Valid() && p.Deadline >= today,
		ducha.ActVerify: verify && !p.AwaitingSignoff && (st == ducha.StatusPendingVerification ||
			(st == ducha.StatusInProgress && p.Mode == ducha.ModeImmediate)),
		ducha.ActSignoff: u.Role == ducha.RoleUnitHead && ownLead && p.AwaitingSignoff,
		ducha.ActObject:  verify && st == ducha.StatusPublicity && p.Closure.Publicity.Open(today),
		ducha.ActReturn: st == ducha.StatusPendingVerification &&
			(verify || (u.Role == ducha.RoleUnitHead && ownLead && p.AwaitingSignoff)),
		ducha.ActReopen:          verify && st == ducha.StatusClosed,
		ducha.ActDecideExtension: verify && p.Extension != nil,
	}
	var forms []*actionForm
	for _, a := range ducha.ProblemActions {
		if !ok[a] {
			continue
		}
		f := &actionForm{Action: a, CanChooseLead: register, F: formErrors{Prefix: a + "-"}}
		if a == ducha.ActPlan {
			f.In = actionInput{
				LeadUnit: strconv.FormatInt(p.LeadUnitID, 10), Leader: p.Leader, Person: p.Person,
				Measures: p.Measures, Target: p.Target, Mode: p.Mode, Deadline: string(p.Deadline),
			}
			for _, id := range p.CoopUnitIDs {
				f.In.CoopUnits = append(f.In.CoopUnits, strconv.FormatInt(id, 10))
			}
		}
		forms = append(forms, f)
	}
	return forms
}

// readActionForm reads an action form into the action and keeps the input
// as typed for showing it again.
func readActionForm(r *http.Request, action string) (ducha.ProblemAction, actionInput, error) {
	in := actionInput{
		LeadUnit: web.FormValue(r, "lead_unit"), CoopUnits: web.FormList(r, "coop_units"),
		Leader: web.FormValue(r, "leader"), Person: web.FormValue(r, "person"), Measures: web.FormValue(r, "measures"),
		Target: web.FormValue(r, "target"), Mode: web.FormValue(r, "mode"), Deadline: web.FormValue(r, "deadline"),
		Text: web.FormValue(r, "text"), Reason: web.FormValue(r, "reason"),
		Percent: web.FormValue(r, "percent"), Opinion: web.FormValue(r, "opinion"), Level: web.FormValue(r, "level"),
		Document: web.FormValue(r, "document"),
	}
	a := ducha.ProblemAction{
		Action: action, LeadUnit: ducha.UnitRef(in.LeadUnit),
		Leader: in.Leader, Person: in.Person, Measures: in.Measures, Target: in.Target, Mode: in.Mode,
		Text: in.Text, Reason: in.Reason, ConfirmPastDeadline: web.FormValue(r, "confirm_past_deadline") != "",
	}
	if action == ducha.ActPlan {
		// The form shows the current cooperating units selected, so an
		// empty selection means "none".
		a.CoopUnits = web.UnitRefs(in.CoopUnits)
	}
	switch web.FormValue(r, "approve") {
	case "true":
		a.Approve = new(true)
	case "false":
		a.Approve = new(false)
	}
	a.Opinion, a.Level = in.Opinion, in.Level
	// Every field this form reads is checked before any is refused, so
	// that the page names them all.
	var fe web.FormValidation
	if in.Percent != "" {
		n, err := strconv.Atoi(in.Percent)
		if err != nil {
			fe.Add("percent", "整治进度应为0到100之间的整数")
		} else {
			a.Percent = &n
		}
	}
	if in.Document != "" {
		n, err := strconv.ParseInt(in.Document, 10, 64)
		if err != nil || n < 1 {
			fe.Add("document", "请选择本级验收文件")
		} else {
			a.AttachmentIDs = []int64{n}
		}
	}
	v, err := strconv.Atoi(web.FormValue(r, "version"))
	if err != nil || v <= 0 {
		fe.Add("version", "缺少版本号，请刷新页面后重试")
	}
	a.Version = v
	fe.Date(r.PostForm.Get("deadline"), "deadline", dateLabel(r, action), &a.Deadline)
	return a, in, fe.Err()
}

// dateLabel names the date field of an action form in its messages.
func dateLabel(r *http.Request, action string) string {
	if action == ducha.ActRequestExtension {
		return web.RequestLang(r).T("form.new_deadline")
	}
	return web.RequestLang(r).T("field.deadline")
}

// dryRun adds to err what the domain would refuse besides: a form whose
// own fields are unreadable is tried on a copy of the problem, so that
// the page names the missing person along with the impossible date. The
// copy is thrown away; only the store ever saves.
func (s *handler) dryRun(r *http.Request, id int64, a ducha.ProblemAction, err error) error {
	var fe web.FormValidation
	if !fe.Merge(err) {
		return err
	}
	p, ferr := s.Problems.FindProblemByID(r.Context(), id)
	if ferr != nil {
		return err
	}
	if a.LeadUnit != "" {
		if u, uerr := s.ResolveUnit(r.Context(), "lead_unit", string(a.LeadUnit)); uerr == nil {
			a.LeadUnitID, a.LeadUnitName = u.ID, u.Name
		} else if fe.MergeFields(uerr) != nil {
			return err
		}
	}
	if a.Deadline == "" && fe.Has("deadline") {
		a.Deadline = p.Deadline // the typed one is unreadable; its message stands
	}
	copyP := *p
	fe.Merge(ducha.ApplyProblemAction(&copyP, a, ducha.UserFromContext(r.Context()), s.Now()))
	return fe.Err()
}

// handleProblemActionSubmit runs one action from its form. Success goes
// back to the problem with a message; a refused input shows the page again
// with the form open, the input kept and the message next to the field.
func (s *handler) handleProblemActionSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if !slices.Contains(ducha.ProblemActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	a, in, err := readActionForm(r, action)
	if err != nil {
		err = s.dryRun(r, id, a, err)
	} else {
		if _, err = s.Problems.ActOnProblem(r.Context(), id, a); err == nil {
			s.setFlash(w, r, flashDone, action)
			http.Redirect(w, r, "/problems/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return nil
		}
	}
	if code := ducha.ErrorCode(err); code != ducha.EINVALID && code != ducha.ECONFLICT {
		return err
	}
	return s.renderDetail(w, r, id, detailState{action: action, in: in, err: err, base: a.Version})
}
