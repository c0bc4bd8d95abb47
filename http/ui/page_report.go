package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// reportPage is the printable daily report (日报): its sentence, its
// numbers, the breakdowns by area and by type and the ledger line.
type reportPage struct {
	page
	// Day is the report's day, or the filter's text as typed when it is
	// no date.
	Day      string
	R        *ducha.DailyReport
	Cases    []reportRow
	Measures []reportRow
	XLSXURL  string
	// F puts a wrong date beside the filter's field, and any other
	// refusal above the report.
	F formErrors
	// Unit is set for unit roles, whose report counts their unit's cases only.
	Unit string
}

// reportRow is one labelled number of the report.
type reportRow struct {
	Label string
	Value string
}

func (s *handler) handleReportPage(w http.ResponseWriter, r *http.Request) error {
	p := reportPage{page: s.newPage(w, r, "report.title"), Day: strings.TrimSpace(r.URL.Query().Get("date"))}
	day, err := web.QueryDate(r, "date", p.T("report.as_of"))
	var rep *ducha.DailyReport
	if err == nil {
		rep, err = s.DailyReportOn(r.Context(), day)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.F = newFormErrors(p.Lang, err, []string{"date"})
		return s.render(w, http.StatusBadRequest, "report", &p)
	} else if err != nil {
		return err
	}
	p.R, p.Day = rep, string(rep.AsOf)
	if p.User != nil && p.User.Role.UnitScoped() {
		p.Unit = p.User.UnitName
	}
	p.Title = p.T("report.heading", p.Date(rep.AsOf))
	p.XLSXURL = "/api/v1/reports/daily.xlsx?" + url.Values{"date": {string(rep.AsOf)}}.Encode()
	n := func(label string, v int) reportRow { return reportRow{p.T(label), strconv.Itoa(v)} }
	c, m := rep.Cases, rep.Measures
	p.Cases = []reportRow{
		n("report.batches", c.Batches), n("report.total", c.Total), n("case.channel.phone", c.Phone),
		n("case.channel.letter", c.Letter), n("case.field.key", c.Key),
		n("case.status.closed", c.Closed), n("case.status.stage_closed", c.StageClosed), n("report.open", c.Open),
		n("case.verdict.true", c.Substantiated), n("case.verdict.partly", c.PartlySubstantiated),
		n("case.verdict.false", c.Unsubstantiated),
	}
	p.Measures = []reportRow{
		n("report.m.ordered_to_rectify", m.OrderedToRectify), n("report.m.penalty_case", m.PenaltyCases),
		{p.T("report.m.fines"), m.FinesYuan.String()},
		n("report.m.criminal_case", m.CriminalCases), n("report.m.administrative_detention", m.AdministrativeDetention),
		n("report.m.criminal_detention", m.CriminalDetention), n("report.m.interviewed", m.Interviewed),
		n("report.m.held_accountable", m.HeldAccountable), n("report.m.suspended", m.Suspended),
		n("report.m.closed_down", m.ClosedDown), n("report.m.listed_supervision", m.ListedSupervision),
	}
	return s.render(w, http.StatusOK, "report", &p)
}
