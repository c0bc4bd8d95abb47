package ui

import (
	"net/url"

	"ducha/http/web"
)

// listSort is a list page's order as its URL names it (sort=, order=), for
// the column headers that sort it with a click: the header of the column
// in force says so (aria-sort, an arrow) and links to the other direction.
type listSort struct {
	path  string
	query url.Values
	Key   string // "" for the list's own order
	Desc  bool
}

// readListSort reads sort= and order= for a list at path that sorts by
// keys; anything else is a field error, and no text of the URL reaches SQL.
func readListSort(path string, q url.Values, keys []string) (listSort, error) {
	key, desc, err := web.ReadSort(q, keys)
	return listSort{path: path, query: q, Key: key, Desc: desc}, err
}

// Aria is the aria-sort of key's header: ascending, descending, or "".
func (s listSort) Aria(key string) string {
	switch {
	case s.Key != key:
		return ""
	case s.Desc:
		return "descending"
	}
	return "ascending"
}

// Arrow is the arrow key's header shows when the list is sorted by it.
func (s listSort) Arrow(key string) string {
	switch s.Aria(key) {
	case "ascending":
		return "▲"
	case "descending":
		return "▼"
	}
	return ""
}

// URL is the list with the same query sorted by key: the other way round
// when it already is, ascending else; back to its first page.
func (s listSort) URL(key string) string {
	q := cloneQuery(s.query)
	q.Del("page")
	q.Set("sort", key)
	q.Set("order", "asc")
	if s.Aria(key) == "ascending" {
		q.Set("order", "desc")
	}
	for k, v := range q {
		if len(v) == 0 || v[0] == "" {
			q.Del(k)
		}
	}
	return s.path + "?" + q.Encode()
}

// sortHeader is what a header that sorts shows: its label, where a click
// goes, and whether the list is sorted by it.
type sortHeader struct {
	Label, URL, Aria, Arrow string
}

// header is the sortHeader of key, labelled by the message label.
func (s listSort) header(l web.Lang, key, label string) sortHeader {
	return sortHeader{Label: l.T(label), URL: s.URL(key), Aria: s.Aria(key), Arrow: s.Arrow(key)}
}
