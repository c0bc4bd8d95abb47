package ui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The ledger table's columns, sorting, page sizes and export link: what
// the table shows is chosen in the URL (cols=, sort=, order=, per_page=),
// so that a saved view is a link and the page works without script.

// ledgerColumn is one column the ledger table may show.
type ledgerColumn struct {
	Key   string // its name in cols=
	Label string // its header's message id
	// Sort is the store's sort key for it (ducha.ProblemSorts), "" when
	// the column holds lists, which do not sort.
	Sort string
	// Default columns show when the URL chooses none; Fixed always shows
	// (it links to the problem) and is not offered for choice.
	Default, Fixed bool
}

// ledgerColumns are the columns in the order the table shows them.
var ledgerColumns = []ledgerColumn{
	{Key: "code", Label: "field.code", Sort: ducha.SortCode, Default: true, Fixed: true},
	{Key: "description", Label: "field.description", Sort: ducha.SortDesc, Default: true},
	{Key: "area", Label: "field.area", Sort: ducha.SortArea, Default: true},
	{Key: "source", Label: "field.source", Sort: ducha.SortSource},
	{Key: "types", Label: "field.types"},
	{Key: "lead_unit", Label: "field.lead_unit", Sort: ducha.SortLeadUnit, Default: true},
	{Key: "coop_units", Label: "field.coop_units"},
	{Key: "person", Label: "field.person", Sort: ducha.SortPerson},
	{Key: "mode", Label: "field.mode", Sort: ducha.SortMode},
	{Key: "deadline", Label: "field.deadline", Sort: ducha.SortDeadline, Default: true},
	{Key: "progress", Label: "field.progress", Sort: ducha.SortPercent},
	{Key: "status", Label: "field.status", Sort: ducha.SortStatus, Default: true},
	{Key: "warning", Label: "field.warning", Sort: ducha.SortWarning, Default: true},
}

// perPageChoices are the page sizes the table offers.
var perPageChoices = []int{20, 50, 100, 200}

// chosenColumns reads cols= (repeated, as the form's checkboxes send it,
// or comma-separated, as a link may write it): the columns named, in the
// table's order, with the fixed ones; none named or none known, the
// default ones. Unknown names are left out; custom is false when the
// choice is the default one.
func chosenColumns(v url.Values) (cols []ledgerColumn, custom bool) {
	var names []string
	for _, c := range v["cols"] {
		names = append(names, strings.Split(c, ",")...)
	}
	for _, c := range ledgerColumns {
		if !c.Fixed && slices.Contains(names, c.Key) {
			custom = true
		}
	}
	same := true // the default columns, as the form sends them unchanged
	for _, c := range ledgerColumns {
		if c.Fixed || (custom && slices.Contains(names, c.Key)) || (!custom && c.Default) {
			cols = append(cols, c)
		}
		if !c.Fixed && c.Default != slices.Contains(names, c.Key) {
			same = false
		}
	}
	return cols, custom && !same
}

// columnsKey names a choice of columns, for the cached fragments.
func columnsKey(cols []ledgerColumn) string {
	keys := make([]string, len(cols))
	for i, c := range cols {
		keys[i] = c.Key
	}
	return strings.Join(keys, ",")
}

// Shows reports whether the table shows the column named key.
func (p *problemsPage) Shows(key string) bool {
	return slices.ContainsFunc(p.Columns, func(c ledgerColumn) bool { return c.Key == key })
}

// Choosable are the columns the column chooser offers.
func (p *problemsPage) Choosable() []ledgerColumn {
	var out []ledgerColumn
	for _, c := range ledgerColumns {
		if !c.Fixed {
			out = append(out, c)
		}
	}
	return out
}

// PerPageChoices are the page sizes offered, with the current one.
func (p *problemsPage) PerPageChoices() []int { return perPageChoices }

// PerPageSelected reports whether n is the page size in force.
func (p *problemsPage) PerPageSelected(n int) bool {
	if p.Query.PerPage == "" {
		return n == web.DefaultPerPage
	}
	return p.Query.PerPage == strconv.Itoa(n)
}

// AriaSort is the aria-sort of a column's header: ascending, descending,
// or "" when the list is not sorted by it.
func (p *problemsPage) AriaSort(c ledgerColumn) string {
	if c.Sort == "" || p.Query.Sort != c.Sort {
		return ""
	}
	if p.Query.Order == "desc" {
		return "descending"
	}
	return "ascending"
}

// SortArrow is the arrow a sorted column's header shows.
func (p *problemsPage) SortArrow(c ledgerColumn) string {
	switch p.AriaSort(c) {
	case "ascending":
		return "▲"
	case "descending":
		return "▼"
	}
	return ""
}

// SortURL is the list with the same filters and columns sorted by c: the
// other way round when it already is, ascending else; back to page one.
func (p *problemsPage) SortURL(c ledgerColumn) string {
	order := "asc"
	if p.AriaSort(c) == "ascending" {
		order = "desc"
	}
	return problemsURL(p.query, "page", "", "after", "", "sort", c.Sort, "order", order)
}

// SortHint is the header link's title: what a click does.
func (p *problemsPage) SortHint(c ledgerColumn) string {
	if p.AriaSort(c) == "ascending" {
		return p.T("ledger.sort_desc", p.T(c.Label))
	}
	return p.T("ledger.sort_asc", p.T(c.Label))
}

// exportParams are the query parameters the export takes from the list:
// its filter and order, not its page.
var exportParams = []string{"status", "unit", "area", "type", "overdue", "warning", "q", "schedule", "sort", "order"}

// ledgerExportURL is the export of exactly what the list q filters, in its
// order.
func ledgerExportURL(q url.Values) string {
	v := url.Values{}
	for _, k := range exportParams {
		if s := strings.TrimSpace(q.Get(k)); s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return "/api/v1/exports/ledger.xlsx"
	}
	return "/api/v1/exports/ledger.xlsx?" + v.Encode()
}

// Filtered reports whether the list is narrowed by any filter.
func (p *problemsPage) Filtered() bool {
	q := p.Query
	return q.Status != "" || q.Unit != "" || q.Area != "" || q.Type != "" || q.Overdue != "" ||
		q.Warning != "" || q.Q != "" || q.Schedule != ""
}

// Span is how many columns the table has, for its empty row.
func (p *problemsPage) Span() int { return len(p.Columns) }

// AreaChoices are the areas the area filter offers: those in use, and the
// one the URL names even when no problem names it any more, so that a
// saved view still shows what it filters.
func (p *problemsPage) AreaChoices() []string {
	if a := p.Query.Area; a != "" && !slices.Contains(p.Areas, a) {
		return append([]string{a}, p.Areas...)
	}
	return p.Areas
}

// NoticeKinds are the notices the bulk form may issue.
func (p *problemsPage) NoticeKinds() []ducha.NoticeKind { return ducha.NoticeKinds }

// ClearURL is the list without its filters, keeping its columns, page size
// and order: the view stays, the narrowing goes.
func (p *problemsPage) ClearURL() string {
	v := url.Values{}
	if p.Custom {
		for _, c := range p.Columns {
			if !c.Fixed {
				v.Add("cols", c.Key)
			}
		}
	}
	for _, k := range []string{"per_page", "sort", "order"} {
		// The form always sends its page size: the default one is no view.
		if s := strings.TrimSpace(p.query.Get(k)); s != "" && (k != "per_page" || s != strconv.Itoa(web.DefaultPerPage)) {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return "/problems"
	}
	return "/problems?" + v.Encode()
}
