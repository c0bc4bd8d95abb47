package web

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/sheets"
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
	return s.Reports.DailyReport(r.Context(), d)
}

func (s *Server) handleDailyReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.DailyReport(r)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) handleDailyReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.DailyReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheets.WriteDailyReport(&buf, rep); err != nil {
		return err
	}
	WriteXLSX(w, "日报-"+string(rep.AsOf)+".xlsx", &buf)
	return nil
}

// WriteXLSX answers a workbook built in memory as a download, so that a
// failure answers an error instead of a truncated file.
func WriteXLSX(w http.ResponseWriter, name string, buf *bytes.Buffer) {
	h := w.Header()
	h.Set("Content-Type", xlsxType)
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

// handleDisclosureExport answers the disclosure table (公开情况一览表) of
// a batch as xlsx: its published cases, personal data masked.
func (s *Server) handleDisclosureExport(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return ErrNoCases
	}
	batch, err := QueryBatch(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := sheets.ExportDisclosure(r.Context(), s.Cases, &buf, batch); err != nil {
		return err
	}
	WriteXLSX(w, fmt.Sprintf("第%d批公开情况一览表.xlsx", batch), &buf)
	return nil
}
