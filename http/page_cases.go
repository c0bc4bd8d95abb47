package http

import (
	_ "embed"
	"net/http"
	"net/url"
	"strconv"

	"ducha"
)

//go:embed static/case.css
var caseCSS []byte

// handleCaseCSS serves the styles of the case, batch, report and
// disclosure pages, print styles included.
func (s *Server) handleCaseCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(caseCSS)
	return nil
}

// casesPage is the list of complaint cases with its filter form.
type casesPage struct {
	page
	Query    caseQuery
	Batches  []int
	Units    []*ducha.Unit
	Statuses []ducha.CaseStatus
	Types    []string
	Verdicts []string
	Items    []*ducha.Case
	Total    int
	PageNo   int
	Pages    int
	PrevURL  string
	NextURL  string
	Today    ducha.Date
	Error    string
}

// UnitSelected reports whether the filter names unit u, by id or name.
func (p *casesPage) UnitSelected(u *ducha.Unit) bool {
	return p.Query.Unit != "" && (p.Query.Unit == strconv.FormatInt(u.ID, 10) || p.Query.Unit == u.Name)
}

// StatusSelected reports whether the filter names status st.
func (p *casesPage) StatusSelected(st ducha.CaseStatus) bool {
	got, ok := parseCaseStatus(p.Query.Status)
	return ok && got == st
}

// BatchSelected reports whether the filter names batch n.
func (p *casesPage) BatchSelected(n int) bool {
	got, err := parseBatchNumber("batch", p.Query.Batch)
	return p.Query.Batch != "" && err == nil && got == n
}

// Overdue reports whether a case is past its deadline and not yet handled.
func (p *casesPage) Overdue(c *ducha.Case) bool { return caseOverdue(c, p.Today) }

// caseOverdue is derived, never stored: the deadline has passed and the
// case is neither stage-closed nor closed.
func caseOverdue(c *ducha.Case, today ducha.Date) bool {
	return c.Deadline.Valid() && c.Deadline < today && c.Status != ducha.CaseStageClosed && c.Status != ducha.CaseClosed
}

// CaseStatusLabel names a case status.
func (p *page) CaseStatusLabel(st ducha.CaseStatus) string { return p.T("case.status." + string(st)) }

// MeasureLabel names a measure kind.
func (p *page) MeasureLabel(kind string) string {
	if p.Lang.has("case.measure." + kind) {
		return p.T("case.measure." + kind)
	}
	return ducha.MeasureLabel(kind)
}

// VerdictLabel names a verdict; the stored words are Chinese.
func (p *page) VerdictLabel(v string) string {
	switch v {
	case ducha.VerdictTrue:
		return p.T("case.verdict.true")
	case ducha.VerdictBasically:
		return p.T("case.verdict.basically")
	case ducha.VerdictPartly:
		return p.T("case.verdict.partly")
	case ducha.VerdictFalse:
		return p.T("case.verdict.false")
	}
	return v
}

// channelKeys are the catalogue keys of the channels.
var channelKeys = map[string]string{
	ducha.ChannelPhone: "phone", ducha.ChannelLetter: "letter", ducha.ChannelWeChat: "wechat",
	ducha.ChannelOnline: "online", ducha.ChannelVisit: "visit", ducha.ChannelOther: "other",
}

// ChannelLabel names a channel (来电/来信/微信/网络/来访/其他).
func (p *page) ChannelLabel(ch string) string {
	if k, ok := channelKeys[ch]; ok {
		return p.T("case.channel." + k)
	}
	return ch
}

// YesNo writes a flag.
func (p *page) YesNo(b bool) string {
	if b {
		return p.T("filter.yes")
	}
	return p.T("filter.no")
}

// batchNumbers lists the batch numbers there are, newest first, once each.
func (s *Server) batchNumbers(r *http.Request) ([]int, error) {
	batches, err := s.Cases.FindBatches(r.Context())
	if err != nil {
		return nil, err
	}
	var out []int
	seen := map[int]bool{}
	for _, b := range batches {
		if !seen[b.Number] {
			seen[b.Number] = true
			out = append(out, b.Number)
		}
	}
	return out, nil
}

func (s *Server) handleCasesPage(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return errNoCases
	}
	ctx := r.Context()
	p := casesPage{
		page:     s.newPage(w, r, "cases.title"),
		Query:    readCaseQuery(r.URL.Query()),
		Statuses: ducha.CaseStatuses, Types: ducha.PollutionTypes, Verdicts: ducha.Verdicts,
		Today: s.today(),
	}
	var err error
	if p.Batches, err = s.batchNumbers(r); err != nil {
		return err
	}
	if p.Units, err = s.Units.FindUnits(ctx); err != nil {
		return err
	}
	f, pageNo, perPage, err := s.caseFilter(ctx, p.Query)
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "cases", &p)
	} else if err != nil {
		return err
	}
	items, total, err := s.Cases.FindCases(ctx, f)
	if err != nil {
		return err
	}
	p.Items, p.Total, p.PageNo = items, total, pageNo
	p.Pages = max(1, (total+perPage-1)/perPage)
	if pageNo > 1 {
		p.PrevURL = casesPageURL(r.URL.Query(), pageNo-1)
	}
	if pageNo < p.Pages {
		p.NextURL = casesPageURL(r.URL.Query(), pageNo+1)
	}
	return s.render(w, http.StatusOK, "cases", &p)
}

// casesPageURL is the case list with the same filters on another page.
func casesPageURL(q url.Values, n int) string {
	q = nonEmpty(q)
	q.Set("page", strconv.Itoa(n))
	return "/cases?" + q.Encode()
}
