package ui

import (
	"bytes"
	"net/http"
	"strings"

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
	f.Offset, f.Limit = 0, ducha.MaxPerPage
	var all []*ducha.Document
	for {
		ds, total, err := s.Documents.FindDocuments(ctx, f)
		if err != nil {
			return err
		}
		if total > maxDocumentExport {
			return ducha.Errorf(ducha.EINVALID, "符合条件的文件有%d份，超过一次导出%d份的上限，请缩小筛选范围", total, maxDocumentExport)
		}
		all = append(all, ds...)
		f.Offset += len(ds)
		if len(ds) == 0 || f.Offset >= total {
			break
		}
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
	if len(parts) == 0 {
		return "筛选：全部"
	}
	return "筛选：" + strings.Join(parts, " · ")
}
