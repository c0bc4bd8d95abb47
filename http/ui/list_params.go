package ui

import (
	"net/url"
	"slices"
	"strings"
)

// The parameters the case list and the ledger read. Their links (sort,
// pager, select all, export) repeat the query they were shown for; an
// unknown parameter repeated in each of them turned a 1 MB URL into a
// page of 15 MB, so the links carry only these.
var (
	caseListParams = []string{"batch", "status", "unit", "area", "type", "verdict", "published", "q",
		"channel", "key", "sort", "order", "page", "per_page", "cols", "select"}
	ledgerListParams = []string{"status", "unit", "area", "type", "overdue", "warning", "q", "schedule",
		"sort", "order", "page", "per_page", "after", "exact", "cols"}
)

// noticeListParams are the parameters the notice list and its export
// read, kept to them for the same reason.
var noticeListParams = []string{"status", "kind", "unit", "overdue", "q", "sort", "order", "page", "per_page", "cols"}

// listParams keeps of v the parameters named in known: the first value of
// each, and cols as the known columns it names (colKeys), each once.
func listParams(v url.Values, known, colKeys []string) url.Values {
	out := url.Values{}
	for _, k := range known {
		vs := v[k]
		if len(vs) == 0 {
			continue
		}
		if k != "cols" {
			out.Set(k, vs[0])
			continue
		}
		names := readNames(vs)
		for _, c := range colKeys {
			if slices.Contains(names, c) {
				out.Add("cols", c)
			}
		}
	}
	return out
}

// readNames splits cols= values (repeated, or comma-separated).
func readNames(vs []string) []string {
	var names []string
	for _, v := range vs {
		for _, n := range strings.Split(v, ",") {
			names = append(names, strings.TrimSpace(n))
		}
	}
	return names
}

// ledgerColumnKeys are the names of the ledger's columns in cols=.
func ledgerColumnKeys() []string {
	keys := make([]string, len(ledgerColumns))
	for i, c := range ledgerColumns {
		keys[i] = c.Key
	}
	return keys
}

// The parameters the enterprise list and the document list read, for the
// same reason. limit= is the enterprise list's page size of old links.
var (
	enterpriseListParams = []string{"q", "industry", "repeat", "fined", "sort", "order", "page", "per_page", "limit", "cols"}
	documentListParams   = []string{"q", "kind", "sort", "order", "page", "per_page", "cols"}
)

// listColumn is a column a list lets the user show or hide.
type listColumn struct{ Key, Label string }

// shownColumns reads cols= (repeated, or comma-separated) as the columns
// of keys it names; none is every column, as is a choice of no known one.
func shownColumns(v url.Values, keys []string) map[string]bool {
	cols := map[string]bool{}
	for _, n := range readNames(v["cols"]) {
		if slices.Contains(keys, n) {
			cols[n] = true
		}
	}
	if len(cols) == 0 {
		for _, k := range keys {
			cols[k] = true
		}
	}
	return cols
}
