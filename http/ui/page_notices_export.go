package ui

import (
	"bytes"
	"net/http"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// maxNoticeExport bounds one export of the notice list: far more than a
// county issues in a round (the rules issue at most three per item).
const maxNoticeExport = 50_000

// handleNoticesExport answers exactly what the list shows for the same
// query, every page of it, in the list's order, as xlsx. The store scopes
// it like the list.
func (s *handler) handleNoticesExport(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	ctx := r.Context()
	v := listParams(r.URL.Query(), noticeListParams, noticeColumnKeys)
	sort, err := readListSort("/notices", v, ducha.NoticeSorts)
	if err != nil {
		return err
	}
	q := readNoticeQuery(v)
	q.Page, q.PerPage = "", ""
	f, _, _, err := s.noticeFilter(ctx, q, sort)
	if err != nil {
		return err
	}
	all, err := exportAll(exportBound{maxNoticeExport, "督办单", "张"}, func(offset, limit int) ([]*ducha.Notice, int, error) {
		f.Offset, f.Limit = offset, limit
		return s.Notices.FindNotices(ctx, f)
	})
	if err != nil {
		return err
	}
	// The filter line names the unit, the kind and the status as people do.
	if f.UnitID != 0 {
		if u, err := s.Units.FindUnitByID(ctx, f.UnitID); err == nil {
			q.Unit = u.Name
		}
	}
	l := sheets.NoticeList{Title: "督办单", Left: noticeFilterText(q, f), Notices: all, Today: s.Today()}
	var buf bytes.Buffer
	if err := sheets.WriteNoticeList(&buf, l); err != nil {
		return err
	}
	web.WriteXLSX(w, "督办单.xlsx", &buf)
	return nil
}

// noticeFilterText says in words what a notice list was filtered by, for
// the export's second row: q as the URL wrote it (the unit by name), f as
// it was read.
func noticeFilterText(q noticeQuery, f ducha.NoticeFilter) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+v)
		}
	}
	if f.Status != "" {
		add("状态：", f.Status.Label())
	}
	if f.Kind != "" {
		add("督办类型：", f.Kind.Label())
	}
	add("督办单位：", q.Unit)
	if f.Overdue != nil {
		add("逾期未答复：", map[bool]string{true: "是", false: "否"}[*f.Overdue])
	}
	add("关键词：", q.Q)
	return filterLine(parts)
}
