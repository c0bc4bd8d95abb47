package ui

import (
	"bytes"
	"net/http"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// maxCaseExport bounds one export of the case list: far more than a
// county's inspection round brings (a few thousand cases).
const maxCaseExport = 50_000

// handleCasesExport answers exactly what the list shows for the same
// query, every page of it, in the list's order, as xlsx. The store scopes
// it like the list. The complaint text is masked as the disclosure masks
// it unless the user handles complaints (registers and assigns them).
func (s *handler) handleCasesExport(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	ctx := r.Context()
	q := web.ReadCaseQuery(r.URL.Query())
	q.Page, q.PerPage = "", ""
	f, _, _, err := s.CaseFilter(ctx, q)
	if err != nil {
		return err
	}
	all, err := exportAll(exportBound{maxCaseExport, "交办件", "件"}, func(offset, limit int) ([]*ducha.Case, int, error) {
		f.Offset, f.Limit = offset, limit
		return s.Cases.FindCases(ctx, f)
	})
	if err != nil {
		return err
	}
	// The filter line names the unit and the status as people do.
	if st, ok := web.ParseCaseStatus(q.Status); ok {
		q.Status = st.Label()
	}
	if f.UnitID != 0 {
		if u, err := s.Units.FindUnitByID(ctx, f.UnitID); err == nil {
			q.Unit = u.Name
		}
	}
	l := sheets.CaseList{Title: "信访交办件", Left: caseFilterText(q), Cases: all,
		Mask: !ducha.Can(web.RequestUser(r), ducha.PermRegister)}
	var buf bytes.Buffer
	if err := sheets.WriteCaseList(&buf, l); err != nil {
		return err
	}
	web.WriteXLSX(w, "信访交办件.xlsx", &buf)
	return nil
}

// caseFilterText says in words what a list was filtered by, for the
// export's second row.
func caseFilterText(q web.CaseQuery) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+v)
		}
	}
	add("批次：", q.Batch)
	add("状态：", q.Status)
	add("承办单位：", q.Unit)
	add("行政区域：", q.Area)
	add("来源：", q.Channel)
	add("污染类型：", q.Type)
	add("是否属实：", q.Verdict)
	add("重点：", q.Key)
	add("公开：", q.Published)
	add("关键词：", q.Q)
	return filterLine(parts)
}
