package ui

import (
	"bytes"
	"net/http"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// maxEnterpriseExport bounds one export of the enterprise list: a county
// has some thousands of enterprises with cases or problems against them.
// Each page of the export counts every enterprise the filter selects, so
// the bound also bounds the work.
const maxEnterpriseExport = 10_000

// handleEnterprisesExport answers exactly what the list shows for the same
// query, every page of it, in the list's order, as xlsx. It reads the
// pages through the list's own store call, which scopes it like the list:
// a liaison's export holds the enterprises of its own unit's work, with
// its own unit's counts.
func (s *handler) handleEnterprisesExport(w http.ResponseWriter, r *http.Request) error {
	if s.Enterprises == nil {
		return web.ErrNoEnterprises
	}
	ctx := r.Context()
	v := listParams(r.URL.Query(), enterpriseListParams, enterpriseColumnKeys)
	v.Del("page")
	v.Del("per_page")
	v.Del("limit")
	f, _, err := web.ReadEnterpriseFilter(v)
	if err != nil {
		return err
	}
	all, err := exportAll(exportBound{maxEnterpriseExport, "企业", "家"}, func(offset, limit int) ([]*ducha.Enterprise, int, error) {
		f.Offset, f.Limit = offset, limit
		return s.Enterprises.FilterEnterprises(ctx, f)
	})
	if err != nil {
		return err
	}
	l := sheets.EnterpriseList{Title: "企业档案", Left: enterpriseFilterText(f), Enterprises: all}
	var buf bytes.Buffer
	if err := sheets.WriteEnterpriseList(&buf, l); err != nil {
		return err
	}
	web.WriteXLSX(w, "企业档案.xlsx", &buf)
	return nil
}

// enterpriseFilterText says in words what the list was filtered by, for
// the export's second row.
func enterpriseFilterText(f ducha.EnterpriseFilter) string {
	var parts []string
	if f.Q != "" {
		parts = append(parts, "名称含“"+f.Q+"”")
	}
	if f.Industry != "" {
		parts = append(parts, "行业："+f.Industry)
	}
	if f.Repeat {
		parts = append(parts, "多次被举报")
	}
	if f.Fined {
		parts = append(parts, "有罚款")
	}
	return filterLine(parts)
}
