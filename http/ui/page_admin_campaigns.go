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
	// Rules is a refused rules form, as typed, with its messages.
	Rules *rulesForm
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

// campaignForm reads the edit form into an update of every field it shows.
func campaignForm(r *http.Request) (ducha.CampaignUpdate, error) {
	var upd ducha.CampaignUpdate
	var err error
	if upd.Version, err = formVersion(r); err != nil {
		return upd, err
	}
	start, err := web.FormDate(r, "start")
	if err != nil {
		return upd, err
	}
	end, err := web.FormDate(r, "end")
	if err != nil {
		return upd, err
	}
	days, err := formInt(r, "case_days", "办理时限天数")
	if err != nil {
		return upd, err
	}
	name, team, holidays, workdays := web.FormValue(r, "name"), web.FormValue(r, "team"), web.FormValue(r, "holidays"), web.FormValue(r, "workdays")
	phase, working := ducha.Phase(web.FormValue(r, "phase")), formBool(r, "working_days")
	upd.Name, upd.Team, upd.Start, upd.End, upd.CaseDays = &name, &team, &start, &end, &days
	upd.Phase, upd.WorkingDays, upd.Holidays, upd.Workdays = &phase, &working, &holidays, &workdays
	return upd, nil
}

func (s *handler) handleAdminCampaignUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督察轮次")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	upd, err := campaignForm(r)
	if err == nil {
		_, err = s.Campaigns.UpdateCampaign(r.Context(), id, upd)
	}
	if formError(err) {
		p, perr := s.adminCampaignsPage(w, r)
		if perr != nil {
			return perr
		}
		for _, c := range p.Campaigns {
			if c.ID == id {
				err = ducha.Errorf(ducha.ErrorCode(err), "%s：%s", c.Name, ducha.ErrorMessage(err))
			}
		}
		p.Error = ducha.ErrorMessage(err)
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
