package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
	"ducha/text"
)

// The 销号公示 (SPEC section 4, "Notices and referrals") needs no login:
// the list of the problems now in public notice, one page per notice in
// the usual form, printable on A4, and its text for the county website.
// It reads through ducha.ClosureNoticeService only, which gives nothing
// of a problem not in notice and nothing internal of one that is; the
// texts are masked as the disclosure table's are.

// publicNotice masks a notice's texts for the public.
func publicNotice(n *ducha.ClosureNotice) *ducha.ClosureNotice {
	m := *n
	m.Description, m.Target, m.Measures, m.Done = text.Mask(n.Description), text.Mask(n.Target), text.Mask(n.Measures), text.Mask(n.Done)
	m.Levels = append([]ducha.LevelSignoff(nil), n.Levels...)
	for i := range m.Levels {
		m.Levels[i].Opinion = text.Mask(m.Levels[i].Opinion)
	}
	return &m
}

// closureListPage lists the notices now open.
type closureListPage struct {
	page
	Notices []*ducha.ClosureNotice
}

// closureNoticePage is one notice.
type closureNoticePage struct {
	page
	Notice *ducha.ClosureNotice
}

func (s *handler) handleClosureNoticesPage(w http.ResponseWriter, r *http.Request) error {
	if s.Publicity == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
	}
	ns, err := s.Publicity.FindClosureNotices(r.Context())
	if err != nil {
		return err
	}
	p := closureListPage{page: s.newPage(w, r, "publicity.title")}
	for _, n := range ns {
		p.Notices = append(p.Notices, publicNotice(n))
	}
	return s.render(w, http.StatusOK, "public_closure_list", &p)
}

// closureNotice reads the notice the path names.
func (s *handler) closureNotice(r *http.Request) (*ducha.ClosureNotice, error) {
	if s.Publicity == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, ducha.NotFound("公示")
	}
	n, err := s.Publicity.FindClosureNotice(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return publicNotice(n), nil
}

func (s *handler) handleClosureNoticePage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.closureNotice(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "public_closure", &closureNoticePage{page: s.newPage(w, r, "publicity.title"), Notice: n})
}

// handleClosureNoticeText is the notice as plain text, for the county
// website's editor to paste.
func (s *handler) handleClosureNoticeText(w http.ResponseWriter, r *http.Request) error {
	n, err := s.closureNotice(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(n.Text()))
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
		n = publicNotice(n)
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

// publicityCSS prints a notice on one A4 sheet. Served, not inline: the
// pages' Content-Security-Policy allows no inline styles.
const publicityCSS = `/* ducha: a 销号公示 printed on one A4 sheet. */
.publicity-doc h1 { text-align: center; font-size: 1.4em; }
.publicity-doc table.form { width: 100%; border-collapse: collapse; }
.publicity-doc table.form th { width: 8em; text-align: left; vertical-align: top; background: #f4f4f4; }
.publicity-doc table.form th, .publicity-doc table.form td { border: 1px solid #999; padding: .4em .6em; }
.publicity-doc .pre { white-space: pre-wrap; }
.publicity-list li { margin: .4em 0; }
@media print {
  @page { size: A4 portrait; margin: 18mm 16mm; }
  header.top, nav, form, .noprint, .flash { display: none !important; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .publicity-doc { page-break-inside: avoid; }
}
`

func (s *handler) handlePublicityCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(publicityCSS))
	return nil
}
