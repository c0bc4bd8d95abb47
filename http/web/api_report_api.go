package web

import (
	"bytes"
	"fmt"
	"net/http"

	"ducha/sheets"
)

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
