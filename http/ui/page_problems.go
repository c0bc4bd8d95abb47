package ui

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// problemsPage is the ledger list with its filter form.
type problemsPage struct {
	page
	Query web.ProblemQuery
	query url.Values // as the URL wrote it, for the links that keep it
	Units []*ducha.Unit
	Areas []string // the areas the reader's problems name
	// Columns are the columns shown (cols=), Custom when the URL chose them.
	Columns []ledgerColumn
	Custom  bool
	// ExportURL downloads exactly what is filtered, in its order.
	ExportURL string
	// CanBulk offers the selection and the bulk notice form (批量催办).
	CanBulk  bool
	Statuses []ducha.ProblemStatus
	Types    []string
	Warnings []ducha.Warning
	Items    []*ducha.Problem
	Total    int
	// TotalCapped: a search stopped counting, and the page says "more
	// than CountCap" (ducha.SearchCountCap as written, "1,000") with a
	// link to the exact count (ExactURL).
	TotalCapped bool
	CountCap    string
	ExactURL    string
	// PageNo is 0 on a page reached by key (after), whose number is not
	// known; Pages is 0 when the total is not known.
	PageNo     int
	Pages      int
	PageLinks  []pageLink // a few numbered pages about this one
	FirstURL   string     // on a page reached by key
	PrevURL    string
	NextURL    string // by key: after the last problem shown
	YellowDays int
	Error      string
	// Form and Rows are the filter form and the table's rows, rendered
	// once per cached page and language (fragment); empty, the template
	// renders them itself.
	Form, Rows template.HTML
}

// pageLink is one numbered page of the pager.
type pageLink struct {
	N       int
	URL     string
	Current bool
}

// pageLinkSpan is how many numbered pages the pager shows either side of
// the current one.
const pageLinkSpan = 2

// UnitSelected reports whether the filter names unit u, by id or name.
func (p *problemsPage) UnitSelected(u *ducha.Unit) bool {
	return p.Query.Unit != "" && (p.Query.Unit == strconv.FormatInt(u.ID, 10) || p.Query.Unit == u.Name)
}

// StatusSelected reports whether the filter names status st.
func (p *problemsPage) StatusSelected(st ducha.ProblemStatus) bool {
	got, ok := ducha.ParseProblemStatus(p.Query.Status)
	return p.Query.Status != "" && ok && got == st
}

func (s *handler) handleProblemsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := problemsPage{
		page:     s.newPage(w, r, "problems.title"),
		Query:    web.ReadProblemQuery(r.URL.Query()),
		query:    listParams(r.URL.Query(), ledgerListParams, ledgerColumnKeys()),
		Statuses: ducha.ProblemStatuses, Types: ducha.PollutionTypes,
		Warnings:   []ducha.Warning{ducha.WarningYellow, ducha.WarningRed, ducha.WarningNone},
		YellowDays: s.CurrentYellowDays(),
	}
	// The form's units and the list come from the list cache, so that a
	// page seen before reads nothing but the data version (listcache.go).
	version, err := s.ListVersion(ctx)
	if err != nil {
		return err
	}
	if p.Units, err = s.FormUnits(ctx, version); err != nil {
		return err
	}
	if p.Areas, err = s.FormAreas(ctx, version); err != nil {
		return err
	}
	p.Columns, p.Custom = chosenColumns(p.query)
	p.ExportURL = ledgerExportURL(p.query)
	p.CanBulk = s.Notices != nil && ducha.Can(p.User, ducha.PermRegister)
	l, err := s.ProblemList(ctx, version, p.Query)
	if ducha.ErrorCode(err) == ducha.EINVALID {
		// A bad filter shows the form with the message and an empty list.
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "problems", &p)
	} else if err != nil {
		return err
	}
	query := p.query
	p.Items, p.Total, p.PageNo = l.Items, l.Total, l.Page
	if l.TotalExact {
		p.Pages = max(1, (l.Total+l.PerPage-1)/l.PerPage)
	} else {
		p.TotalCapped, p.CountCap = true, thousands(ducha.SearchCountCap)
		p.ExactURL = problemsURL(query, "exact", "1")
	}
	// Forward by key, so that paging on costs what the first page does;
	// back and to a numbered page by number.
	if l.Next != 0 {
		p.NextURL = problemsURL(query, "page", "", "after", strconv.FormatInt(l.Next, 10))
	} else if l.More && l.Page > 0 { // sorted: by number
		p.NextURL = pageURL(query, l.Page+1)
	}
	if l.Page == 0 {
		p.FirstURL = problemsURL(query, "after", "")
	} else if l.Page > 1 {
		p.PrevURL = pageURL(query, l.Page-1)
	}
	if l.Page > 0 && p.Pages > 1 {
		for n := max(1, l.Page-pageLinkSpan); n <= min(p.Pages, l.Page+pageLinkSpan); n++ {
			p.PageLinks = append(p.PageLinks, pageLink{N: n, URL: pageURL(query, n), Current: n == l.Page})
		}
	}
	if p.Form, err = s.fragment(l, &p, "problem_form"); err != nil {
		return err
	}
	if p.Rows, err = cachedPart(l, &p, "problem_rows", func() ([]byte, error) { return p.rowsHTML(), nil }); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "problems", &p)
}

// Fragment renders a part of the ledger page that is the same for every
// reader of a cached page (its rows, its filter form with the units) once
// per language: rendering 50 rows was a quarter of the server's work when
// most pages came from the cache, the form a fifth.
func (s *handler) fragment(l *web.ListPage, p *problemsPage, name string) (template.HTML, error) {
	// The columns and the selection boxes shown are the reader's choice
	// and role, not the page's.
	return cachedPart(l, p, name, func() ([]byte, error) {
		var buf bytes.Buffer
		if err := s.pages["problems"].ExecuteTemplate(&buf, name, p); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil // html/template escaped it
	})
}

// cachedPart is the part name of a cached ledger page as render writes
// it, once per page, language, columns and role, and compresses it once
// (web.Part); the page's template writes the mark it returns.
func cachedPart(l *web.ListPage, p *problemsPage, name string, render func() ([]byte, error)) (template.HTML, error) {
	key := name + "\x00" + string(p.Lang) + "\x00" + columnsKey(p.Columns) + "\x00" + strconv.FormatBool(p.CanBulk)
	part, err := l.Fragment(key, render)
	if err != nil {
		return "", err
	}
	return p.splice(part), nil
}

// pageURL is the ledger with the same filters on page n.
func pageURL(q url.Values, n int) string {
	return problemsURL(q, "after", "", "page", strconv.Itoa(n))
}

// problemsURL is the ledger with the same filters and the parameters of kv
// (name, value, ...) set; an empty value removes its parameter.
func problemsURL(q url.Values, kv ...string) string {
	q = nonEmpty(q)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return "/problems"
	}
	return "/problems?" + q.Encode()
}

// thousands writes n with a comma between thousands, as 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// nonEmpty copies the query without its empty parameters.
func nonEmpty(q url.Values) url.Values {
	c := make(url.Values, len(q))
	for k, v := range q {
		if len(v) > 0 && v[0] != "" {
			c[k] = v
		}
	}
	return c
}
