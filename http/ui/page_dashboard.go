package ui

import (
	"bytes"
	_ "embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The dashboards: 驾驶舱 (/dashboard) in the site's layout, and 数据大屏
// (/dashboard/screen), dark and full-screen for a meeting room, which
// refreshes its figures every minute. The figure cards and a table under
// every chart are written here, so both read without JavaScript; charts.js
// draws the charts from GET /api/v1/reports/dashboard.

//go:embed static/dashboard.css
var dashboardCSS []byte

// screenRefresh is how often the screen fetches its figures, in seconds.
const screenRefresh = 60

// dashboardPage is the 驾驶舱 or the 数据大屏.
type dashboardPage struct {
	page
	// Day is the day shown (2026-12-07, as the links carry it), or the
	// filter's text as typed when it is no date.
	Day string
	D   *ducha.Dashboard
	// Figures are the cards: the daily report's numbers of the day.
	Figures []dashboardFigure
	// DataURL is the charts' JSON, for the same day (today's, refreshed,
	// on the screen without a date).
	DataURL string
	// Error is why there are no figures; F puts a wrong date beside the
	// filter's field.
	Error string
	F     formErrors
	// Unit is set for unit roles, whose figures count their unit's cases.
	Unit    string
	Refresh int
}

// dashboardFigure is one figure card; Key names it for the script that
// refreshes it and for the tests.
type dashboardFigure struct {
	Key, Label, Value, Suffix string
}

// dashboardFigures are the cards, in the order offices read them, each
// the daily report's own number (逾期 is the ledger's overdue problems).
func dashboardFigures(p *page, r *ducha.DailyReport) []dashboardFigure {
	c, m := r.Cases, r.Measures
	n := strconv.Itoa
	return []dashboardFigure{
		{"total", p.T("dashboard.f.total"), n(c.Total), p.T("dashboard.u.cases")},
		{"closed", p.T("dashboard.f.closed"), n(c.Closed), p.T("dashboard.u.cases")},
		{"stage_closed", p.T("dashboard.f.stage_closed"), n(c.StageClosed), p.T("dashboard.u.cases")},
		{"open", p.T("dashboard.f.open"), n(c.Open), p.T("dashboard.u.cases")},
		{"closed_rate", p.T("dashboard.f.closed_rate"), ducha.ClosedRate(c), ""},
		{"overdue", p.T("dashboard.f.overdue"), n(r.Ledger.Overdue), p.T("dashboard.u.problems")},
		{"penalty_cases", p.T("dashboard.f.penalty_cases"), n(m.PenaltyCases), p.T("dashboard.u.enterprises")},
		{"fines_yuan", p.T("dashboard.f.fines_yuan"), m.FinesYuan.String(), p.T("dashboard.u.yuan")},
		{"interviewed", p.T("dashboard.f.interviewed"), n(m.Interviewed), p.T("dashboard.u.persons")},
		{"held_accountable", p.T("dashboard.f.held_accountable"), n(m.HeldAccountable), p.T("dashboard.u.persons")},
	}
}

// LedgerOther is what a unit's ledger line holds besides closed, awaiting
// verification and in progress (registered, in public notice).
func (p *dashboardPage) LedgerOther(l ducha.ReportLedgerUnit) int {
	return l.Total - l.Closed - l.PendingVerification - l.InProgress
}

// newDashboardPage computes the dashboard of the query's day for a page.
func (s *handler) newDashboardPage(w http.ResponseWriter, r *http.Request, screen bool) (*dashboardPage, int, error) {
	p := &dashboardPage{page: s.newPage(w, r, "dashboard.title"), Day: strings.TrimSpace(r.URL.Query().Get("date"))}
	if screen {
		p.Title, p.Refresh = p.T("dashboard.screen"), screenRefresh
	}
	day, err := web.QueryDate(r, "date", p.T("dashboard.date"))
	var d *ducha.Dashboard
	if err == nil {
		d, err = s.DashboardOn(r.Context(), day)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error, p.F = ducha.ErrorMessage(err), newFormErrors(p.Lang, err, []string{"date"})
		return p, http.StatusBadRequest, nil
	} else if err != nil {
		return nil, 0, err
	}
	p.D = d
	p.Figures = dashboardFigures(&p.page, d.Report)
	if p.User != nil && p.User.Role.UnitScoped() {
		p.Unit = p.User.UnitName
	}
	p.DataURL = "/api/v1/reports/dashboard"
	if p.Day != "" || !screen {
		// The screen without a date follows the days; otherwise the
		// charts show the day the cards show.
		p.Day = string(d.AsOf)
		p.DataURL += "?" + url.Values{"date": {p.Day}}.Encode()
	}
	return p, http.StatusOK, nil
}

func (s *handler) handleDashboardPage(w http.ResponseWriter, r *http.Request) error {
	p, status, err := s.newDashboardPage(w, r, false)
	if err != nil {
		return err
	}
	return s.render(w, status, "dashboard", p)
}

// handleDashboardScreen renders the screen as a document of its own,
// without the site's header.
func (s *handler) handleDashboardScreen(w http.ResponseWriter, r *http.Request) error {
	p, status, err := s.newDashboardPage(w, r, true)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.pages["dashboard"].ExecuteTemplate(&buf, "screen", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

func (s *handler) handleDashboardCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(dashboardCSS)
	return nil
}
