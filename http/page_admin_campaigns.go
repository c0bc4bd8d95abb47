package http

import (
	"net/http"

	"ducha"
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
}

// DoneText is the message of the last post, or "".
func (p *adminCampaignsPage) DoneText() string {
	if p.DoneItem == nil {
		return ""
	}
	return p.T("admin.campaigns.done."+p.Done.Kind, p.DoneItem.Name)
}

func (s *Server) adminCampaignsPage(w http.ResponseWriter, r *http.Request) (*adminCampaignsPage, error) {
	cs, err := s.Campaigns.FindCampaigns(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminCampaignsPage{page: s.newPage(w, r, "admin.campaigns.title"), Campaigns: cs, Phases: ducha.Phases}, nil
}

func (s *Server) handleAdminCampaignsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminCampaignsPage(w, r)
	if err != nil {
		return err
	}
	if p.Done = readAdminDone(r, "saved"); p.Done.ID != 0 {
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
	start, err := formDate(r, "start")
	if err != nil {
		return upd, err
	}
	end, err := formDate(r, "end")
	if err != nil {
		return upd, err
	}
	days, err := formInt(r, "case_days", "办理时限天数")
	if err != nil {
		return upd, err
	}
	name, team, holidays, workdays := formValue(r, "name"), formValue(r, "team"), formValue(r, "holidays"), formValue(r, "workdays")
	phase, working := ducha.Phase(formValue(r, "phase")), formBool(r, "working_days")
	upd.Name, upd.Team, upd.Start, upd.End, upd.CaseDays = &name, &team, &start, &end, &days
	upd.Phase, upd.WorkingDays, upd.Holidays, upd.Workdays = &phase, &working, &holidays, &workdays
	return upd, nil
}

func (s *Server) handleAdminCampaignUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "督察轮次")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
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
		return s.render(w, ErrorStatus(ducha.ErrorCode(err)), "admin_campaigns", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/campaigns", id, "saved")
	return nil
}
