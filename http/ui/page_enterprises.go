package ui

import (
	"net/http"
	"strings"

	"ducha"
	"ducha/http/web"
)

// repeatOffender is how many cases make an enterprise a repeat offender
// (多次被举报).
const repeatOffender = ducha.RepeatCases

// enterprisesPage is the enterprise list: those with the most cases first,
// filters as dropdowns, sorting by column, a page size with a pager, a
// choice of columns and the export of what is filtered.
type enterprisesPage struct {
	page
	Q     string
	Items []*ducha.Enterprise
	Total int
	listPager
	PerPage int
	Error   string
	// The filter as the URL gave it, and the order.
	Industry, RepeatOnly, FinedOnly string
	Industries                      []string
	Sort                            listSort
	// Cols are the chosen columns; Optional the columns one may choose.
	Cols      map[string]bool
	Optional  []listColumn
	ExportURL string
}

// enterpriseColumnKeys are the list's columns in order; the name is always
// shown, the others are the user's choice (cols=).
var enterpriseColumnKeys = []string{"name", "credit_code", "industry", "address", "cases", "measures", "fines", "problems"}

// Repeat reports whether an enterprise was complained about repeatedly.
func (p *page) Repeat(e *ducha.Enterprise) bool { return e.Cases >= repeatOffender }

// Show reports whether the column is shown.
func (p *enterprisesPage) Show(key string) bool { return key == "name" || p.Cols[key] }

// ColSpan is how many columns a row of the table has.
func (p *enterprisesPage) ColSpan() int {
	n := 0
	for _, k := range enterpriseColumnKeys {
		if p.Show(k) {
			n++
		}
	}
	return n
}

// PerPageChoices are the page sizes the enterprise list offers.
func (p *enterprisesPage) PerPageChoices() []int { return perPageChoices }

func (s *handler) handleEnterprisesPage(w http.ResponseWriter, r *http.Request) error {
	if s.Enterprises == nil {
		return web.ErrNoEnterprises
	}
	v := listParams(r.URL.Query(), enterpriseListParams, enterpriseColumnKeys)
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	p := enterprisesPage{page: s.newPage(w, r, "enterprises.title"), Q: g("q"),
		Industry: g("industry"), RepeatOnly: g("repeat"), FinedOnly: g("fined"), Industries: ducha.Industries,
		Cols: shownColumns(v, enterpriseColumnKeys), PerPage: web.DefaultPerPage, listPager: listPager{PageNo: 1, Pages: 1}}
	for _, k := range enterpriseColumnKeys[1:] {
		p.Optional = append(p.Optional, listColumn{Key: k, Label: p.T("enterprise." + k)})
	}
	f, pageNo, err := web.ReadEnterpriseFilter(v)
	p.Sort, _ = readListSort("/enterprises", v, ducha.EnterpriseSorts)
	if err == nil {
		p.PerPage = f.Limit
		p.Items, p.Total, err = s.Enterprises.FilterEnterprises(r.Context(), f)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "enterprises", &p)
	} else if err != nil {
		return err
	}
	list := cloneQuery(v)
	list.Del("page")
	if ducha.Can(p.User, ducha.PermExport) {
		p.ExportURL = "/enterprises/export.xlsx?" + list.Encode()
	}
	p.listPager = newListPager(p.Total, pageNo, p.PerPage, func(n int) string { return listPageURL("/enterprises", v, n) })
	return s.render(w, http.StatusOK, "enterprises", &p)
}

// enterprisePage is one enterprise with the cases, measures and problems
// against it that the user may see.
type enterprisePage struct {
	page
	E        *ducha.Enterprise
	Cases    []*ducha.Case
	Measures []ducha.Measure
	Problems []*ducha.Problem
	byID     map[int64]*ducha.Case
}

// CaseOf is the case a measure was taken in.
func (p *enterprisePage) CaseOf(m ducha.Measure) *ducha.Case { return p.byID[m.CaseID] }

// UnitOf names the unit that took a measure, from its case's parts.
func (p *enterprisePage) UnitOf(m ducha.Measure) string {
	if c := p.byID[m.CaseID]; c != nil {
		for _, part := range c.Parts {
			if part.UnitID == m.UnitID {
				return part.Unit
			}
		}
	}
	return ""
}

// Fine writes a fine in yuan, or nothing when there is none.
func (p *enterprisePage) Fine(m ducha.Money) string {
	if m == 0 {
		return ""
	}
	return m.String()
}

func (s *handler) handleEnterprisePage(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.FindEnterpriseRecord(r)
	if err != nil {
		return err
	}
	p := enterprisePage{page: s.newPage(w, r, "enterprise.title"), E: rec.Enterprise,
		Cases: rec.Cases, Measures: rec.Measures, Problems: rec.Problems, byID: map[int64]*ducha.Case{}}
	p.Title = rec.Enterprise.Name + " · " + p.Title
	for _, c := range rec.Cases {
		p.byID[c.ID] = c
	}
	return s.render(w, http.StatusOK, "enterprise", &p)
}

// SortHeader is the header of the column key, labelled by label.
func (p *enterprisesPage) SortHeader(key, label string) sortHeader {
	return p.Sort.header(p.Lang, key, label)
}
