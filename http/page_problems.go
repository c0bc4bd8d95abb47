package http

import (
	"net/http"
	"net/url"
	"strconv"

	"ducha"
)

// problemsPage is the ledger list with its filter form.
type problemsPage struct {
	page
	Query      problemQuery
	Units      []*ducha.Unit
	Statuses   []ducha.ProblemStatus
	Types      []string
	Warnings   []ducha.Warning
	Items      []*ducha.Problem
	Total      int
	PageNo     int
	Pages      int
	PrevURL    string
	NextURL    string
	YellowDays int
	Error      string
}

// UnitSelected reports whether the filter names unit u, by id or name.
func (p *problemsPage) UnitSelected(u *ducha.Unit) bool {
	return p.Query.Unit != "" && (p.Query.Unit == strconv.FormatInt(u.ID, 10) || p.Query.Unit == u.Name)
}

// StatusSelected reports whether the filter names status st.
func (p *problemsPage) StatusSelected(st ducha.ProblemStatus) bool {
	got, ok := ducha.ParseProblemStatus(p.Query.Status)
	return p.Query.Status != "" && ok && got == st
}

func (s *Server) handleProblemsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := problemsPage{
		page:     s.newPage(w, r, "problems.title"),
		Query:    readProblemQuery(r.URL.Query()),
		Statuses: ducha.ProblemStatuses, Types: ducha.PollutionTypes,
		Warnings:   []ducha.Warning{ducha.WarningYellow, ducha.WarningRed, ducha.WarningNone},
		YellowDays: s.YellowDays,
	}
	// The form's units and the list come from the list cache, so that a
	// page seen before reads nothing but the data version (listcache.go).
	version, err := s.listVersion(ctx)
	if err != nil {
		return err
	}
	if p.Units, err = s.formUnits(ctx, version); err != nil {
		return err
	}
	l, err := s.problemList(ctx, version, p.Query)
	if ducha.ErrorCode(err) == ducha.EINVALID {
		// A bad filter shows the form with the message and an empty list.
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "problems", &p)
	} else if err != nil {
		return err
	}
	pageNo := l.page
	p.Items, p.Total, p.PageNo = l.items, l.total, pageNo
	p.Pages = max(1, (l.total+l.perPage-1)/l.perPage)
	if pageNo > 1 {
		p.PrevURL = pageURL(r.URL.Query(), pageNo-1)
	}
	if pageNo < p.Pages {
		p.NextURL = pageURL(r.URL.Query(), pageNo+1)
	}
	return s.render(w, http.StatusOK, "problems", &p)
}

// pageURL is the ledger with the same filters on another page.
func pageURL(q url.Values, n int) string {
	q = nonEmpty(q)
	q.Set("page", strconv.Itoa(n))
	return "/problems?" + q.Encode()
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
