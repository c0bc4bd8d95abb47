package api

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// handleLedgerExport answers the ledger as an xlsx download: the problems
// of the query's filter and order as the ledger page takes them (its page
// and page size aside), every one of them, within the user's scope. The
// file is built in memory first, so a failure answers an error instead of
// a truncated workbook.
func (s *handler) handleLedgerExport(w http.ResponseWriter, r *http.Request) error {
	if s.ExportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导出")
	}
	q := web.ReadProblemQuery(r.URL.Query())
	q.Page, q.PerPage, q.After, q.Exact = "", "", "", ""
	f, _, _, err := s.ProblemFilter(r.Context(), q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.ExportLedger(r.Context(), f, &buf); err != nil {
		return err
	}
	name := "问题台账-" + string(s.Today()) + ".xlsx"
	h := w.Header()
	h.Set("Content-Type", web.XLSXType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// handleLedgerImport reads a ledger file from the multipart field "file";
// the import stores all rows or none.
func (s *handler) handleLedgerImport(w http.ResponseWriter, r *http.Request) error {
	if s.ImportLedger == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用台账导入")
	}
	res, err := s.ImportLedgerUpload(w, r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, res)
	return nil
}
