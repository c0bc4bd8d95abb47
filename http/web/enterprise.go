package web

import (
	"net/http"
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
