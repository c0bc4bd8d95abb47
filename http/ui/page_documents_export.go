package ui

import (
	"bytes"
	"net/http"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// maxDocumentExport bounds one export of the document list: a county's
// work papers of a round are some hundreds.
const maxDocumentExport = 10_000

// handleDocumentsExport answers the list of documents the list shows for
// the same query, every page of it, in the list's order, as xlsx: what
// each document is, not its text or its file. It reads the pages through
// the list's own store call, so it sees what the list sees.
func (s *handler) handleDocumentsExport(w http.ResponseWriter, r *http.Request) error {
	if s.Documents == nil {
		return web.ErrNoDocuments
	}
	ctx := r.Context()
	v := listParams(r.URL.Query(), documentListParams, documentColumnKeys)
	v.Del("page")
	v.Del("per_page")
	f, _, err := documentFilter(v)
	if err != nil {
		return err
	}
	all, err := exportAll(exportBound{maxDocumentExport, "文件", "份"}, func(offset, limit int) ([]*ducha.Document, int, error) {
		f.Offset, f.Limit = offset, limit
		return s.Documents.FindDocuments(ctx, f)
	})
	if err != nil {
		return err
	}
	l := sheets.DocumentList{Title: "文件库", Left: documentFilterText(f), Documents: all}
	var buf bytes.Buffer
	if err := sheets.WriteDocumentList(&buf, l); err != nil {
		return err
	}
	web.WriteXLSX(w, "文件库.xlsx", &buf)
	return nil
}

// documentFilterText says in words what the list was filtered by, for the
// export's second row.
func documentFilterText(f ducha.DocumentFilter) string {
	var parts []string
	if f.Kind != "" {
		parts = append(parts, "文件类型："+f.Kind.Label())
	}
	if f.Q != "" {
		parts = append(parts, "检索：“"+f.Q+"”")
	}
	return filterLine(parts)
}
