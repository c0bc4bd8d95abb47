package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
)

// ErrNoEnterprises answers the enterprise routes of a server built
// without them.
var ErrNoEnterprises = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用企业档案")

// ReadLimit reads the limit of an enterprise search: how many to list,
// def when absent, at most MaxPerPage.
func ReadLimit(v string, def int) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, ducha.FieldError("limit", "limit应为正整数")
	}
	return min(n, ducha.MaxPerPage), nil
}

// FindEnterpriseRecord reads the record the path's {id} names, as far as
// the user may see it.
func (s *Server) FindEnterpriseRecord(r *http.Request) (*ducha.EnterpriseRecord, error) {
	if s.Enterprises == nil {
		return nil, ErrNoEnterprises
	}
	id, err := PathID(r, "企业")
	if err != nil {
		return nil, err
	}
	return s.Enterprises.FindEnterpriseRecord(r.Context(), id)
}

// ReadEnterpriseFilter reads an enterprise list's query into a store
// filter for one page, and the page's number: q, industry, repeat=1,
// fined=1, sort and order, page and per_page. An old link's limit= is the
// page size when per_page= is not given, and is rewritten into v as
// per_page, so that the list's links carry the one name.
func ReadEnterpriseFilter(v url.Values) (ducha.EnterpriseFilter, int, error) {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	sort, desc, err := ReadSort(v, ducha.EnterpriseSorts)
	if err != nil {
		return ducha.EnterpriseFilter{}, 0, err
	}
	if limit := g("limit"); limit != "" {
		n, err := ReadLimit(limit, DefaultPerPage)
		if err != nil {
			return ducha.EnterpriseFilter{}, 0, err
		}
		v.Del("limit")
		if g("per_page") == "" {
			v.Set("per_page", strconv.Itoa(n))
		}
	}
	pageNo, perPage, err := ReadPaging(g("page"), g("per_page"))
	if err != nil {
		return ducha.EnterpriseFilter{}, 0, err
	}
	if err := CheckSearch(g("q")); err != nil {
		return ducha.EnterpriseFilter{}, 0, err
	}
	return ducha.EnterpriseFilter{Q: g("q"), Industry: g("industry"), Repeat: g("repeat") == "1", Fined: g("fined") == "1",
		Sort: sort, Desc: desc, Offset: (pageNo - 1) * perPage, Limit: perPage}, pageNo, nil
}

// ReadSort reads a list's sort= (one of keys, or none) and order= (asc,
// the default, or desc).
func ReadSort(v url.Values, keys []string) (key string, desc bool, err error) {
	key = strings.TrimSpace(v.Get("sort"))
	if key != "" && !slices.Contains(keys, key) {
		return "", false, ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", key, strings.Join(keys, "、"))
	}
	switch o := strings.TrimSpace(v.Get("order")); o {
	case "", "asc":
	case "desc":
		desc = true
	default:
		return "", false, ducha.FieldError("order", "排序方向（order）应为asc或desc")
	}
	return key, desc, nil
}
