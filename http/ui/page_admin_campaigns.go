package ui

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// adminCampaignsPage lists the inspection rounds, newest first, with a
// form to edit each. New rounds are added with `ducha campaign add`.
type adminCampaignsPage struct {
	page
	Campaigns []*ducha.Campaign
	Phases    []ducha.Phase
	Error     string
	Done      adminDone
	DoneItem  *ducha.Campaign
	// Edit is a refused edit form, as typed, with its messages; Rules a
	// refused rules form.
	Edit  *campaignEdit
	Rules *rulesForm
}

// campaignEdit is a campaign's edit form: as stored, or as typed after a
// refused post. Its days read 2026年12月7日 (the template writes Start
// and End with DateValue), its lists of days 2027年1月1日、2027年1月2日.
type campaignEdit struct {
	CampaignID                              int64
	Name, Team, Start, End, CaseDays, Phase string
	Holidays, Workdays                      string
	WorkingDays, Open                       bool
	Errors                                  map[string]string
}

// Err is the message for one field.
func (f *campaignEdit) Err(field string) string { return f.Errors[field] }

// campaignEditOf is the edit form of a stored campaign.
func campaignEditOf(p *page, c *ducha.Campaign) *campaignEdit {
	return &campaignEdit{CampaignID: c.ID, Name: c.Name, Team: c.Team, Start: string(c.Start), End: string(c.End),
		CaseDays: strconv.Itoa(c.CaseDays), Phase: string(c.Phase), WorkingDays: c.WorkingDays,
		Holidays: dayListText(p, c.Holidays), Workdays: dayListText(p, c.Workdays)}
}

// EditOf is campaign c's edit form: as typed after a refused post, else
// as stored.
func (p *adminCampaignsPage) EditOf(c *ducha.Campaign) *campaignEdit {
	if p.Edit != nil && p.Edit.CampaignID == c.ID {
		return p.Edit
	}
	return campaignEditOf(&p.page, c)
}

// daySeparators split a list of days as ducha.ParseDates does.
func daySeparators(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == '，' || r == '\n' }

// dayListText writes a stored list of days (2027-01-01,2027-01-02) as
// the form shows it: 2027年1月1日、2027年1月2日.
func dayListText(p *page, list string) string {
	days := strings.FieldsFunc(list, daySeparators)
	for i, d := range days {
		days[i] = p.Date(ducha.Date(d))
	}
	return strings.Join(days, "、")
}

// dayList reads a typed list of days, each as offices type it, into the
// stored form (2027-01-01,2027-01-02); a wrong day is the field's error.
func dayList(fe *web.FormValidation, field, label, typed string) string {
	var days []string
	for _, raw := range strings.FieldsFunc(typed, daySeparators) {
		d, err := web.DateField(field, label, raw)
		if err != nil {
			fe.Merge(err)
			return ""
		}
		days = append(days, string(d))
	}
	return strings.Join(days, ",")
}

// rulesForm is a campaign's supervision rules form (督办规则), as typed.
type rulesForm struct {
	CampaignID                                                                   int64
	YellowDays, SupervisionAfterDays, ListedAfterDays, AnswerDays, PublicityDays string
	ReminderOnRed, WorkingDays, PublicityWorkingDays, HeadSignoff                bool
	ClosureLevels, QuietHours                                                    string
	PublicityOffice, PublicityPhone, ProgressPeriodMonths                        string
	Open                                                                         bool
	Errors                                                                       map[string]string
}

// PeriodChoices are the reporting periods the rules allow, in months.
func (f *rulesForm) PeriodChoices() []string { return []string{"1", "2", "3", "6", "12"} }

// Err is the message for one field.
func (f *rulesForm) Err(field string) string { return f.Errors[field] }

// rulesFormOf is the form of stored rules.
func rulesFormOf(c *ducha.Campaign) *rulesForm {
	r := c.Rules
	it := strconv.Itoa
	return &rulesForm{CampaignID: c.ID, YellowDays: it(r.YellowDays), SupervisionAfterDays: it(r.SupervisionAfterDays),
		ListedAfterDays: it(r.ListedAfterDays), AnswerDays: it(r.AnswerDays), PublicityDays: it(r.PublicityDays),
		ReminderOnRed: r.ReminderOnRed, WorkingDays: r.WorkingDays, PublicityWorkingDays: r.PublicityWorkingDays,
		HeadSignoff: r.HeadSignoff, ClosureLevels: strings.Join(r.ClosureLevels, "、"), QuietHours: r.QuietHours,
		PublicityOffice: r.PublicityOffice, PublicityPhone: r.PublicityPhone, ProgressPeriodMonths: it(r.ProgressPeriodMonths)}
}

// RulesOf is campaign c's rules form: as typed after a refused post,
// else as stored.
func (p *adminCampaignsPage) RulesOf(c *ducha.Campaign) *rulesForm {
	if p.Rules != nil && p.Rules.CampaignID == c.ID {
		return p.Rules
	}
	return rulesFormOf(c)
}

// DoneText is the message of the last post, or "".
func (p *adminCampaignsPage) DoneText() string {
	if p.DoneItem == nil {
		return ""
	}
	return p.T("admin.campaigns.done."+p.Done.Kind, p.DoneItem.Name)
}

func (s *handler) adminCampaignsPage(w http.ResponseWriter, r *http.Request) (*adminCampaignsPage, error) {
	cs, err := s.Campaigns.FindCampaigns(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminCampaignsPage{page: s.newPage(w, r, "admin.campaigns.title"), Campaigns: cs, Phases: ducha.Phases}, nil
}

func (s *handler) handleAdminCampaignsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminCampaignsPage(w, r)
	if err != nil {
		return err
	}
	if p.Done = readAdminDone(r, "saved", "rules"); p.Done.ID != 0 {
		for _, c := range p.Campaigns {
			if c.ID == p.Done.ID {
				p.DoneItem = c
			}
		}
	}
	return s.render(w, http.StatusOK, "admin_campaigns", p)
}

// readCampaignForm reads the edit form: the input to show again, and an
// update of every field it shows. Every wrong field is noted at once.
func readCampaignForm(r *http.Request, id int64) (*campaignEdit, ducha.CampaignUpdate, error) {
	l := web.RequestLang(r)
	f := &campaignEdit{CampaignID: id, Name: web.FormValue(r, "name"), Team: web.FormValue(r, "team"),
		Start: web.FormValue(r, "start"), End: web.FormValue(r, "end"), CaseDays: web.FormValue(r, "case_days"),
		Phase: web.FormValue(r, "phase"), WorkingDays: formBool(r, "working_days"),
		Holidays: web.FormValue(r, "holidays"), Workdays: web.FormValue(r, "workdays")}
	var upd ducha.CampaignUpdate
	var err error
	if upd.Version, err = formVersion(r); err != nil {
		return f, upd, err
	}
	var fe web.FormValidation
	var start, end ducha.Date
	fe.Date(f.Start, "start", l.T("admin.campaign.start"), &start)
	fe.Date(f.End, "end", l.T("admin.campaign.end"), &end)
	days, err := formInt(r, "case_days", "办理时限天数")
	fe.Merge(err)
	holidays := dayList(&fe, "holidays", l.T("admin.campaign.holidays"), f.Holidays)
	workdays := dayList(&fe, "workdays", l.T("admin.campaign.workdays"), f.Workdays)
	phase := ducha.Phase(f.Phase)
	upd.Name, upd.Team, upd.Start, upd.End, upd.CaseDays = &f.Name, &f.Team, &start, &end, &days
	upd.Phase, upd.WorkingDays, upd.Holidays, upd.Workdays = &phase, &f.WorkingDays, &holidays, &workdays
	return f, upd, fe.Err()
}

func (s *handler) handleAdminCampaignUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督察轮次")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f, upd, err := readCampaignForm(r, id)
	if err == nil {
		_, err = s.Campaigns.UpdateCampaign(r.Context(), id, upd)
	}
	if formError(err) {
		p, perr := s.adminCampaignsPage(w, r)
		if perr != nil {
			return perr
		}
		var msg string
		msg, f.Errors = web.FieldErrors(err)
		f.Open, p.Edit = true, f
		p.Error = msg
		for _, c := range p.Campaigns {
			if c.ID == id {
				p.Error = c.Name + "：" + msg
			}
		}
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_campaigns", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/campaigns", id, "saved")
	return nil
}

// readRulesForm reads the rules form: the input to show again, and the
// rules it makes. Every field is sent, so the rules are replaced whole.
func readRulesForm(r *http.Request, id int64) (*rulesForm, ducha.Rules, error) {
	f := &rulesForm{CampaignID: id, YellowDays: web.FormValue(r, "yellow_days"),
		SupervisionAfterDays: web.FormValue(r, "supervision_after_days"), ListedAfterDays: web.FormValue(r, "listed_after_days"),
		AnswerDays: web.FormValue(r, "answer_days"), PublicityDays: web.FormValue(r, "publicity_days"),
		ReminderOnRed: formBool(r, "reminder_on_red"), WorkingDays: formBool(r, "working_days"),
		PublicityWorkingDays: formBool(r, "publicity_working_days"), HeadSignoff: formBool(r, "head_signoff"),
		ClosureLevels: web.FormValue(r, "closure_levels"), QuietHours: web.FormValue(r, "quiet_hours"),
		PublicityOffice: web.FormValue(r, "publicity_office"), PublicityPhone: web.FormValue(r, "publicity_phone"),
		ProgressPeriodMonths: web.FormValue(r, "progress_period_months")}
	rules := ducha.Rules{ReminderOnRed: f.ReminderOnRed, WorkingDays: f.WorkingDays,
		PublicityWorkingDays: f.PublicityWorkingDays, HeadSignoff: f.HeadSignoff,
		ClosureLevels: web.FormList(r, "closure_levels"), QuietHours: f.QuietHours,
		PublicityOffice: f.PublicityOffice, PublicityPhone: f.PublicityPhone, ProgressPeriodMonths: 3}
	if f.ProgressPeriodMonths != "" {
		v, err := formInt(r, "progress_period_months", "序时进度报送周期")
		if err != nil {
			return f, rules, err
		}
		rules.ProgressPeriodMonths = v
	}
	for _, n := range []struct {
		key, label string
		into       *int
	}{
		{"yellow_days", "黄色预警天数", &rules.YellowDays},
		{"supervision_after_days", "逾期转督办天数", &rules.SupervisionAfterDays},
		{"listed_after_days", "逾期转挂牌督办天数", &rules.ListedAfterDays},
		{"answer_days", "督办答复期限天数", &rules.AnswerDays},
		{"publicity_days", "销号公示天数", &rules.PublicityDays},
	} {
		v, err := formInt(r, n.key, n.label)
		if err != nil {
			return f, rules, err
		}
		*n.into = v
	}
	return f, rules, nil
}

// handleAdminCampaignRules replaces a campaign's supervision rules at its
// version. A refused form is shown again as typed, nothing changed.
func (s *handler) handleAdminCampaignRules(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督察轮次")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f, rules, err := readRulesForm(r, id)
	var version int
	if err == nil {
		version, err = formVersion(r)
	}
	if err == nil {
		_, err = s.Campaigns.UpdateCampaign(r.Context(), id, ducha.CampaignUpdate{Version: version, Rules: &rules})
	}
	if formError(err) {
		p, perr := s.adminCampaignsPage(w, r)
		if perr != nil {
			return perr
		}
		var msg string
		msg, f.Errors = web.FieldErrors(err)
		f.Open, p.Rules = true, f
		p.Error = msg
		for _, c := range p.Campaigns {
			if c.ID == id {
				p.Error = c.Name + "：" + p.T("admin.rules.title") + "：" + msg
			}
		}
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_campaigns", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/campaigns", id, "rules")
	return nil
}
