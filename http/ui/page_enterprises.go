package ui

import (
	"net/http"
	"strings"

	"ducha"
	"ducha/http/web"
)

// enterprisesLimit is how many enterprises the list page shows when the
// query names no limit; a search narrows it.
const enterprisesLimit = 100

// repeatOffender is how many cases make an enterprise a repeat offender
// (多次被举报).
const repeatOffender = ducha.RepeatCases

// enterprisesPage is the enterprise search: those with the most cases first.
type enterprisesPage struct {
	page
	Q     string
	Items []*ducha.Enterprise
	Limit int
	Error string
	// The filter as the URL gave it, and the order.
	Industry, RepeatOnly, FinedOnly string
	Industries                      []string
	Sort                            listSort
}

// Repeat reports whether an enterprise was complained about repeatedly.
func (p *page) Repeat(e *ducha.Enterprise) bool { return e.Cases >= repeatOffender }

// Full reports whether the list stopped at its limit, so that more may match.
func (p *enterprisesPage) Full() bool { return len(p.Items) >= p.Limit }

func (s *handler) handleEnterprisesPage(w http.ResponseWriter, r *http.Request) error {
	if s.Enterprises == nil {
		return web.ErrNoEnterprises
	}
	v := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	p := enterprisesPage{page: s.newPage(w, r, "enterprises.title"), Q: g("q"),
		Industry: g("industry"), RepeatOnly: g("repeat"), FinedOnly: g("fined"), Industries: ducha.Industries}
	var err error
	p.Sort, err = readListSort("/enterprises", v, ducha.EnterpriseSorts)
	if err == nil {
		p.Limit, err = web.ReadLimit(g("limit"), enterprisesLimit)
	}
	if err == nil {
		f := ducha.EnterpriseFilter{Q: p.Q, Industry: p.Industry, Repeat: p.RepeatOnly == "1", Fined: p.FinedOnly == "1",
			Sort: p.Sort.Key, Desc: p.Sort.Desc, Limit: p.Limit}
		p.Items, err = s.Enterprises.FilterEnterprises(r.Context(), f)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "enterprises", &p)
	} else if err != nil {
		return err
	}
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
