package api

import (
	"net/http"

	"ducha"
	"ducha/http/web"
)

// handleDisclosureJSON is the public disclosure table of a batch (公开情况一览表),
// masked; no login.
func (s *handler) handleDisclosureJSON(w http.ResponseWriter, r *http.Request) error {
	batch, err := web.QueryBatch(r)
	if err != nil {
		return err
	}
	d, err := s.PublicDisclosure(r, batch)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}

// handleClosureNoticesJSON is the list as JSON, for the county website.
func (s *handler) handleClosureNoticesJSON(w http.ResponseWriter, r *http.Request) error {
	if s.Publicity == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
	}
	ns, err := s.Publicity.FindClosureNotices(r.Context())
	if err != nil {
		return err
	}
	out := make([]publicNoticeJSON, len(ns))
	for i, n := range ns {
		n = web.PublicNotice(n)
		out[i] = publicNoticeJSON{ID: n.ProblemID, Code: n.Code, Description: n.Description, Area: n.Area,
			LeadUnit: n.LeadUnit, Target: n.Target, Measures: n.Measures, Done: n.Done, Acceptance: n.Acceptance(),
			From: n.Publicity.From, To: n.Publicity.To, Period: n.Period(), Office: n.Office, Phone: n.Phone}
		for _, l := range n.Levels {
			out[i].Levels = append(out[i].Levels, publicLevel{Level: ducha.LevelLabel(l.Level), Date: ducha.Today(l.At), Opinion: l.Opinion})
		}
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(out))
	return nil
}

// publicNoticeJSON is a notice as the public JSON gives it: the form's
// fields, and of each level only its name, day and opinion.
type publicNoticeJSON struct {
	ID          int64         `json:"id"`
	Code        string        `json:"code"`
	Description string        `json:"description"`
	Area        string        `json:"area"`
	LeadUnit    string        `json:"lead_unit"`
	Target      string        `json:"target"`
	Measures    string        `json:"measures"`
	Done        string        `json:"done"`
	Levels      []publicLevel `json:"levels"`
	Acceptance  string        `json:"acceptance"`
	From        ducha.Date    `json:"from"`
	To          ducha.Date    `json:"to"`
	Period      string        `json:"period"`
	Office      string        `json:"office"`
	Phone       string        `json:"phone"`
}

type publicLevel struct {
	Level   string     `json:"level"`
	Date    ducha.Date `json:"date"`
	Opinion string     `json:"opinion,omitempty"`
}
