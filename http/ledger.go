package http

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"ducha"
)

// maxLedgerUpload bounds a ledger file upload.
const maxLedgerUpload = 64 << 20

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// handleLedgerExport answers the ledger as an xlsx download. The file is
// built in memory first, so a failure answers an error instead of a
// truncated workbook.
func (s *Server) handleLedgerExport(w http.ResponseWriter, r *http.Request) error {
	if s.ExportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导出")
	}
	var buf bytes.Buffer
	if err := s.ExportLedger(r.Context(), &buf); err != nil {
		return err
	}
	name := "问题台账-" + string(s.today()) + ".xlsx"
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// handleLedgerImport reads a ledger file from the multipart field "file";
// the import stores all rows or none.
func (s *Server) handleLedgerImport(w http.ResponseWriter, r *http.Request) error {
	if s.ImportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导入")
	}
	name, data, err := readUpload(w, r, maxLedgerUpload)
	if err != nil {
		return err
	}
	res, err := s.ImportLedger(r.Context(), bytes.NewReader(data), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
