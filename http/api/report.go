package api

import (
	"bytes"
	"fmt"
	"net/http"

	"ducha/http/web"
	"ducha/sheets"
)

func (s *handler) handleDailyReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.DailyReport(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (s *handler) handleDailyReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.DailyReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheets.WriteDailyReport(&buf, rep); err != nil {
		return err
	}
	web.WriteXLSX(w, "日报-"+string(rep.AsOf)+".xlsx", &buf)
	return nil
}

// handleDisclosureExport answers the disclosure table (公开情况一览表) of
// a batch as xlsx: its published cases, personal data masked.
func (s *handler) handleDisclosureExport(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	batch, err := web.QueryBatch(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := sheets.ExportDisclosure(r.Context(), s.Cases, &buf, batch); err != nil {
		return err
	}
	web.WriteXLSX(w, fmt.Sprintf("第%d批公开情况一览表.xlsx", batch), &buf)
	return nil
}
