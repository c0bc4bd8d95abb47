package ui

import (
	_ "embed"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"ducha"
	"ducha/http/web"
)

//go:embed static/case.css
var caseCSS []byte

// handleCaseCSS serves the styles of the case, batch, report and
// disclosure pages, print styles included.
func (s *handler) handleCaseCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(caseCSS)
	return nil
}

// casesPage is the list of complaint cases as a table that replaces the
// spreadsheet: filters fed by the store, sorting by column, a page size,
// a choice of columns, the export of what is filtered and, for the
// coordinator, actions on a selection.
type casesPage struct {
	page
	Query    web.CaseQuery
	Batches  []int
	Units    []*ducha.Unit
	Areas    []string
	Channels []string
	Statuses []ducha.CaseStatus
	Types    []string
	Verdicts []string
	Items    []*ducha.Case
	Total    int
	listPager
	Today ducha.Date
	Error string

	// Columns are the shown columns in order, with their sort links;
	// Cols the chosen optional ones.
	Columns  []caseColumn
	Optional []caseColumn
	Cols     map[string]bool
	PerPage  int
	PerPages []int
	// ListQuery is the list's query as the URL writes it, without the
	// page: the bulk form sends it back so that the result shows the
	// same list.
	ListQuery    string
	ExportURL    string
	SelectAllURL string
	SelectNone   string
	Selected     map[int64]bool
	Bulk         caseBulk
}

// caseColumn is one column of the case list.
type caseColumn struct {
	Key      string
	Label    string
	Sortable bool
	// SortURL is the list sorted by this column, the other way round when
	// it is the sort already; Sort is "ascending", "descending" or "".
	SortURL string
	Sort    string
}

// Arrow marks the column the list is sorted by.
func (c caseColumn) Arrow() string {
	switch c.Sort {
	case "ascending":
		return "▲"
	case "descending":
		return "▼"
	}
	return ""
}

// caseColumnKeys are the list's columns in order; the acceptance number is
// always shown, the others are the user's choice (cols=).
var caseColumnKeys = []string{"acceptance_no", "text", "batch", "forwarded_date", "channel", "key", "area", "types",
	"units", "deadline", "status", "verdict", "published"}

// casePerPages are the page sizes the list offers.
var casePerPages = []int{20, 50, 100, 200}

// Show reports whether the column is shown.
func (p *casesPage) Show(key string) bool { return key == "acceptance_no" || p.Cols[key] }

// ColSpan is how many columns a row of the table has.
func (p *casesPage) ColSpan() int {
	if p.Bulk.Any() {
		return len(p.Columns) + 1
	}
	return len(p.Columns)
}

// ColumnLabel names a column.
func (p *casesPage) ColumnLabel(key string) string { return p.T("case.field." + key) }

// ChannelSelected reports whether the filter names channel ch.
func (p *casesPage) ChannelSelected(ch string) bool { return p.Query.Channel == ch }

// AreaSelected reports whether the filter names area a.
func (p *casesPage) AreaSelected(a string) bool { return p.Query.Area == a }

// IsSelected reports whether case id is ticked in the selection.
func (p *casesPage) IsSelected(id int64) bool { return p.Selected[id] }

// UnitChosen reports whether the bulk form names unit u.
func (p *casesPage) UnitChosen(u *ducha.Unit) bool {
	return slices.ContainsFunc(p.Bulk.Units, func(s string) bool { return refersTo(ducha.UnitRef(s), u) })
}

// NoticeKinds are the kinds a bulk notice may be.
func (p *casesPage) NoticeKinds() []ducha.NoticeKind { return ducha.NoticeKinds }

// columns builds the shown and optional columns with their sort links.
func (p *casesPage) columns(v url.Values) {
	for _, k := range caseColumnKeys {
		c := caseColumn{Key: k, Label: p.ColumnLabel(k), Sortable: slices.Contains(ducha.CaseSorts, k)}
		if c.Sortable {
			q := nonEmpty(v)
			q.Del("page")
			q.Del("select")
			order := "asc"
			if p.Query.Sort == k {
				c.Sort = "ascending"
				if p.Query.Order == "desc" {
					c.Sort = "descending"
				} else {
					order = "desc"
				}
			}
			q.Set("sort", k)
			q.Set("order", order)
			c.SortURL = "/cases?" + q.Encode()
		}
		if k != "acceptance_no" {
			p.Optional = append(p.Optional, c)
		}
		if p.Show(k) {
			p.Columns = append(p.Columns, c)
		}
	}
}

// UnitSelected reports whether the filter names unit u, by id or name.
func (p *casesPage) UnitSelected(u *ducha.Unit) bool {
	return p.Query.Unit != "" && (p.Query.Unit == strconv.FormatInt(u.ID, 10) || p.Query.Unit == u.Name)
}

// StatusSelected reports whether the filter names status st.
func (p *casesPage) StatusSelected(st ducha.CaseStatus) bool {
	got, ok := web.ParseCaseStatus(p.Query.Status)
	return ok && got == st
}

// BatchSelected reports whether the filter names batch n.
func (p *casesPage) BatchSelected(n int) bool {
	got, err := web.ParseBatchNumber("batch", p.Query.Batch)
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
	return p.labelOr("case.measure."+kind, ducha.MeasureLabel(kind))
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
func (s *handler) batchNumbers(r *http.Request) ([]int, error) {
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

func (s *handler) handleCasesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCases(w, r, r.URL.Query(), http.StatusOK, nil)
}

// renderCases shows the list for query v; bulk, when given, is the bulk
// form's input and result (after a post), shown above the list.
func (s *handler) renderCases(w http.ResponseWriter, r *http.Request, v url.Values, status int, bulk *caseBulk) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	v = listParams(v, caseListParams, caseColumnKeys)
	ctx := r.Context()
	p := casesPage{
		page:     s.newPage(w, r, "cases.title"),
		Query:    web.ReadCaseQuery(v),
		Channels: ducha.Channels, Statuses: ducha.CaseStatuses, Types: ducha.PollutionTypes, Verdicts: ducha.Verdicts,
		Today: s.Today(), Cols: shownColumns(v, caseColumnKeys), PerPages: casePerPages, Selected: map[int64]bool{},
	}
	if bulk != nil {
		p.Bulk = *bulk
		for _, id := range bulk.IDs {
			p.Selected[id] = true
		}
	}
	p.Bulk.CanAssign = ducha.Can(p.User, ducha.PermRegister)
	p.Bulk.CanPublish = ducha.Can(p.User, ducha.PermVerify)
	p.Bulk.CanNotice = ducha.Can(p.User, ducha.PermRegister) && s.Notices != nil
	p.columns(v)
	list := nonEmpty(v)
	list.Del("page")
	list.Del("select")
	p.ListQuery = list.Encode()
	if ducha.Can(p.User, ducha.PermExport) {
		p.ExportURL = "/cases/export.xlsx?" + p.ListQuery
	}
	sel := nonEmpty(v)
	sel.Set("select", "all")
	p.SelectAllURL, p.SelectNone = "/cases?"+sel.Encode(), "/cases?"+list.Encode()
	var err error
	if p.Batches, err = s.batchNumbers(r); err != nil {
		return err
	}
	if p.Units, err = s.Units.FindUnits(ctx); err != nil {
		return err
	}
	if u := p.User; u != nil && u.Role.UnitScoped() {
		// A unit's user sees its own unit's cases only: the other units
		// would filter to nothing.
		p.Units = slices.DeleteFunc(p.Units, func(x *ducha.Unit) bool { return x.ID != u.UnitID })
	}
	if p.Areas, err = s.Cases.FindCaseAreas(ctx); err != nil {
		return err
	}
	f, pageNo, perPage, err := s.CaseFilter(ctx, p.Query)
	p.PerPage = perPage
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
	if v.Get("select") == "all" {
		for _, c := range items {
			p.Selected[c.ID] = true
		}
	}
	p.listPager = newListPager(total, pageNo, perPage, func(n int) string { return casesPageURL(v, n) })
	return s.render(w, status, "cases", &p)
}

// casesPageURL is the case list with the same filters on another page.
func casesPageURL(q url.Values, n int) string {
	q = nonEmpty(q)
	q.Del("select")
	q.Set("page", strconv.Itoa(n))
	return "/cases?" + q.Encode()
}
