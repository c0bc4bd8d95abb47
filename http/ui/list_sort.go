package ui

import (
	"net/url"
	"slices"
	"strings"

	"ducha"
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
	s := listSort{path: path, query: q, Key: strings.TrimSpace(q.Get("sort"))}
	if s.Key != "" && !slices.Contains(keys, s.Key) {
		return listSort{path: path, query: q}, ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", s.Key, strings.Join(keys, "、"))
	}
	switch o := strings.TrimSpace(q.Get("order")); o {
	case "", "asc":
	case "desc":
		s.Desc = true
	default:
		return listSort{path: path, query: q}, ducha.FieldError("order", "排序方向（order）应为asc或desc")
	}
	return s, nil
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
