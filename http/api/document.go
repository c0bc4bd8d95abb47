package api

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleDocumentList(w http.ResponseWriter, r *http.Request) error {
	if s.Documents == nil {
		return web.ErrNoDocuments
	}
	v := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	page, perPage, err := web.ReadPaging(g("page"), g("per_page"))
	if err != nil {
		return err
	}
	if err := web.CheckSearch(g("q")); err != nil {
		return err
	}
	f := ducha.DocumentFilter{Q: g("q"), Kind: ducha.DocumentKind(g("kind")), Offset: (page - 1) * perPage, Limit: perPage}
	items, total, err := s.Documents.FindDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Document]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) handleDocumentGet(w http.ResponseWriter, r *http.Request) error {
	d, err := s.FindDocument(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, d.Version, d)
	return nil
}

func (s *handler) handleDocumentOriginal(w http.ResponseWriter, r *http.Request) error {
	if s.Documents == nil {
		return web.ErrNoDocuments
	}
	id, err := web.PathID(r, "文件")
	if err != nil {
		return err
	}
	d, err := s.Documents.FindDocumentOriginal(r.Context(), id)
	if err != nil {
		return err
	}
	serveFile(w, d.Original, d.Data)
	return nil
}

// serveFile writes stored bytes as a download, never rendered inline (an
// HTML original is a file to save, not a page of this site), with a name
// every browser reads and the type it was stored with.
func serveFile(w http.ResponseWriter, f ducha.FileInfo, data []byte) {
	h := w.Header()
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	cd := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if cd == "" { // a name mime cannot encode
		cd = "attachment"
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

func (s *handler) handleDocumentUpload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.UploadDocument(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10))
	d.Text = "" // the answer says what was stored; the text is at its URL
	web.WriteVersioned(w, http.StatusCreated, d.Version, d)
	return nil
}
