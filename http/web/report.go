package web

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"ducha"
)

// DailyReport computes the report as of the query's date (YYYY-MM-DD);
// without one the store takes today.
func (s *Server) DailyReport(r *http.Request) (*ducha.DailyReport, error) {
	if s.Reports == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "本服务未启用日报")
	}
	raw := strings.TrimSpace(r.URL.Query().Get("date"))
	d, err := ducha.ParseDateISO(raw)
	if err != nil {
		return nil, ducha.FieldError("date", "日期格式应为2026-12-31，收到“%s”", raw)
	}
	return s.DailyReportOn(r.Context(), d)
}

// DailyReportOn computes the report as of day ("" for today), which the
// report page reads from its filter as typed.
func (s *Server) DailyReportOn(ctx context.Context, day ducha.Date) (*ducha.DailyReport, error) {
	if s.Reports == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "本服务未启用日报")
	}
	return s.Reports.DailyReport(ctx, day)
}

// WriteXLSX answers a workbook built in memory as a download, so that a
// failure answers an error instead of a truncated file.
func WriteXLSX(w http.ResponseWriter, name string, buf *bytes.Buffer) {
	h := w.Header()
	h.Set("Content-Type", XLSXType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
}

// QueryBatch reads the required batch query parameter.
func QueryBatch(r *http.Request) (int, error) {
	raw := strings.TrimSpace(r.URL.Query().Get("batch"))
	if raw == "" {
		return 0, ducha.FieldError("batch", "请指定批次（batch）")
	}
	return ParseBatchNumber("batch", raw)
}
