package ui

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The accountability pages: the list, the form that records one, one
// record with its history (and, for discipline, the form that changes
// it), and the discipline ranking with a referral pack per unit.

// accountabilityInput is the record form as typed.
type accountabilityInput struct {
	Person, Post, Unit, Form, Reason, DecidedBy, Date, Problems, Cases string
}

// accountabilityFormPage is the form of a new record, or of a change to
// one (ID and Version set).
type accountabilityFormPage struct {
	page
	ID      int64
	Version int
	In      accountabilityInput
	Units   []*ducha.Unit
	Forms   []ducha.AccountabilityForm
	F       formErrors
}

// Err is the message for one field.
func (p *accountabilityFormPage) Err(field string) string { return p.F.Err(field) }

// accountabilityFields are the record form's fields in the order it shows
// them, for the error summary.
var accountabilityFields = []string{"person", "post", "unit", "form", "decided_by", "date", "reason", "problems", "cases", "version"}

// FormLabel names a form in the page's language.
func (p *page) FormLabel(f ducha.AccountabilityForm) string {
	return p.T("accountability.form." + string(f))
}

// accountabilityListPage lists the records the user may see.
type accountabilityListPage struct {
	page
	Items []*ducha.Accountability
	Total int
}

// accountabilityPage is one record with its history.
type accountabilityPage struct {
	page
	A       *ducha.Accountability
	History []historyRow
	Edit    *accountabilityFormPage // nil unless the user may change it
}

// IDs writes linked ids as the form takes them.
func (p *page) IDs(ids []int64) string { return joinIDs(ids) }

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

func (s *handler) handleAccountabilityPage(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	items, total, err := s.Accountability.FindAccountability(r.Context(), ducha.AccountabilityFilter{})
	if err != nil {
		return err
	}
	p := accountabilityListPage{page: s.newPage(w, r, "accountability.title"), Items: items, Total: total}
	return s.render(w, http.StatusOK, "accountability_list", &p)
}

func (s *handler) accountabilityForm(w http.ResponseWriter, r *http.Request, title string) (*accountabilityFormPage, error) {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return nil, err
	}
	return &accountabilityFormPage{page: s.newPage(w, r, title), Units: units, Forms: ducha.AccountabilityForms,
		In: accountabilityInput{Date: string(s.Today()), DecidedBy: "县纪委监委"}}, nil
}

func (s *handler) handleAccountabilityNewPage(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	p, err := s.accountabilityForm(w, r, "accountability.new")
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "accountability_new", p)
}

// readAccountabilityForm reads the form into a change of every field.
func readAccountabilityForm(r *http.Request, today ducha.Date) (accountabilityInput, ducha.AccountabilityUpdate, error) {
	in := accountabilityInput{Person: web.FormValue(r, "person"), Post: web.FormValue(r, "post"), Unit: web.FormValue(r, "unit"),
		Form: web.FormValue(r, "form"), Reason: web.FormValue(r, "reason"), DecidedBy: web.FormValue(r, "decided_by"),
		Date: web.FormValue(r, "date"), Problems: web.FormValue(r, "problems"), Cases: web.FormValue(r, "cases")}
	unit := ducha.UnitRef(in.Unit)
	upd := ducha.AccountabilityUpdate{Person: &in.Person, Post: &in.Post, Unit: &unit, Form: &in.Form, Reason: &in.Reason,
		DecidedBy: &in.DecidedBy}
	// Every field is read before any is refused, and a form with an
	// unreadable field is checked by the domain too, so that one post
	// names every mistake.
	var fe web.FormValidation
	var d ducha.Date
	fe.Date(in.Date, "date", "问责决定日期", &d)
	if in.Date == "" {
		fe.Add("date", "请填写问责决定日期")
	}
	upd.Date = &d
	for _, l := range []struct {
		field, label, text string
		into               **[]int64
	}{{"problems", "关联问题编号", in.Problems, &upd.Problems}, {"cases", "关联交办件编号", in.Cases, &upd.Cases}} {
		ids := []int64{}
		for _, f := range strings.FieldsFunc(l.text, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil || id <= 0 {
				fe.Add(l.field, "%s“%s”无效，应为数字，以逗号分隔", l.label, f)
				continue
			}
			ids = append(ids, id)
		}
		*l.into = &ids
	}
	if fe.Len() > 0 {
		a := ducha.Accountability{Person: in.Person, Post: in.Post, Form: ducha.AccountabilityForm(in.Form),
			Reason: in.Reason, DecidedBy: in.DecidedBy, Date: d}
		if in.Unit != "" {
			a.UnitID = 1 // named; whether it exists is the store's to say
		}
		if !d.Valid() {
			a.Date = today // its own message stands
		}
		fe.Merge(a.Validate(today))
	}
	return in, upd, fe.Err()
}

func (s *handler) handleAccountabilityNewSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, upd, err := readAccountabilityForm(r, s.Today())
	var a *ducha.Accountability
	if err == nil {
		a, err = s.Accountability.CreateAccountability(r.Context(), upd.Input())
	}
	if formError(err) {
		p, perr := s.accountabilityForm(w, r, "accountability.new")
		if perr != nil {
			return perr
		}
		p.In = in
		p.F = newFormErrors(p.Lang, err, accountabilityFields)
		return s.render(w, web.FormStatus(err), "accountability_new", p)
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "accountability_create")
	http.Redirect(w, r, "/accountability/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
	return nil
}

// accountabilityDetail is one record's page; edit is the change form as
// posted, nil to fill it from the record.
func (s *handler) accountabilityDetail(w http.ResponseWriter, r *http.Request, id int64) (*accountabilityPage, error) {
	if s.Accountability == nil {
		return nil, web.ErrNoAccountability
	}
	ctx := r.Context()
	a, err := s.Accountability.FindAccountabilityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Accountability.FindAccountabilityEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &accountabilityPage{page: s.newPage(w, r, "accountability.detail"), A: a}
	p.Title = a.Person + " · " + p.Title
	p.History = history(&p.page, events)
	s.nameActors(ctx, &p.page, p.History)
	if ducha.Can(p.User, ducha.PermAccountability) {
		f, err := s.accountabilityForm(w, r, "accountability.edit")
		if err != nil {
			return nil, err
		}
		f.ID, f.Version = a.ID, a.Version
		f.In = accountabilityInput{Person: a.Person, Post: a.Post, Unit: strconv.FormatInt(a.UnitID, 10), Form: string(a.Form),
			Reason: a.Reason, DecidedBy: a.DecidedBy, Date: string(a.Date), Problems: joinIDs(a.Problems), Cases: joinIDs(a.Cases)}
		p.Edit = f
	}
	return p, nil
}

func (s *handler) handleAccountabilityDetailPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问责记录")
	if err != nil {
		return err
	}
	p, err := s.accountabilityDetail(w, r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "accountability", p)
}

func (s *handler) handleAccountabilityEditSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问责记录")
	if err != nil {
		return err
	}
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, upd, err := readAccountabilityForm(r, s.Today())
	if err == nil {
		upd.Version, err = formVersion(r)
	}
	if err == nil {
		_, err = s.Accountability.UpdateAccountability(r.Context(), id, upd)
	}
	if formError(err) {
		p, perr := s.accountabilityDetail(w, r, id)
		if perr != nil {
			return perr
		}
		p.Edit.In = in
		p.Edit.F = newFormErrors(p.Lang, err, accountabilityFields)
		return s.render(w, web.FormStatus(err), "accountability", p)
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "accountability_update")
	http.Redirect(w, r, "/accountability/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// disciplinePage is the ranking over a period.
type disciplinePage struct {
	page
	// From and To are the period's days, or the filter's text as typed.
	From, To string
	Report   *ducha.DisciplineReport
	// F puts a wrong date beside its field, and any other refusal above
	// the ranking.
	F formErrors
}

// Rank is the place of the row at index i.
func (p *disciplinePage) Rank(i int) int { return i + 1 }

// CanRefer reports whether the user may take a unit's referral pack.
func (p *disciplinePage) CanRefer() bool {
	return ducha.Can(p.User, ducha.PermAccountability) && ducha.Can(p.User, ducha.PermExport)
}

func (s *handler) handleDisciplinePage(w http.ResponseWriter, r *http.Request) error {
	if s.Accountability == nil {
		return web.ErrNoAccountability
	}
	q := r.URL.Query()
	p := disciplinePage{page: s.newPage(w, r, "discipline.title"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	// Either day may be left out: the store fills in the defaults.
	var fe web.FormValidation
	var from, to ducha.Date
	fe.Date(p.From, "from", p.T("discipline.from"), &from)
	fe.Date(p.To, "to", p.T("discipline.to"), &to)
	err := fe.Err()
	if err == nil {
		p.Report, err = s.Accountability.DisciplineReport(r.Context(), from, to)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.F = newFormErrors(p.Lang, err, []string{"from", "to"})
		return s.render(w, http.StatusBadRequest, "discipline", &p)
	} else if err != nil {
		return err
	}
	p.From, p.To = string(p.Report.From), string(p.Report.To)
	return s.render(w, http.StatusOK, "discipline", &p)
}
