package web

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/doctext"
)

// The documents (文件库): the list and search, one document with its text,
// its original file, and the coordinator's upload. Every logged-in role
// reads documents; the store lets only the coordinator and the
// administrator add one.

// ErrNoDocuments answers the document routes of a server built without them.
var ErrNoDocuments = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用文件库")

func (s *Server) handleDocumentList(w http.ResponseWriter, r *http.Request) error {
	if s.Documents == nil {
		return ErrNoDocuments
	}
	v := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	page, perPage, err := ReadPaging(g("page"), g("per_page"))
	if err != nil {
		return err
	}
	f := ducha.DocumentFilter{Q: g("q"), Kind: ducha.DocumentKind(g("kind")), Offset: (page - 1) * perPage, Limit: perPage}
	items, total, err := s.Documents.FindDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, List[*ducha.Document]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *Server) FindDocument(r *http.Request) (*ducha.Document, error) {
	if s.Documents == nil {
		return nil, ErrNoDocuments
	}
	id, err := PathID(r, "文件")
	if err != nil {
		return nil, err
	}
	return s.Documents.FindDocumentByID(r.Context(), id)
}

func (s *Server) handleDocumentGet(w http.ResponseWriter, r *http.Request) error {
	d, err := s.FindDocument(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, d)
	return nil
}

func (s *Server) handleDocumentOriginal(w http.ResponseWriter, r *http.Request) error {
	if s.Documents == nil {
		return ErrNoDocuments
	}
	id, err := PathID(r, "文件")
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

// DocumentInput is the upload form's fields besides the file.
type DocumentInput struct{ Kind, Title, Date string }

func (s *Server) handleDocumentUpload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.UploadDocument(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10))
	d.Text = "" // the answer says what was stored; the text is at its URL
	writeVersioned(w, http.StatusCreated, d.Version, d)
	return nil
}

// UploadDocument receives a multipart upload (file, kind, title, date),
// reads its text and stores it. The permission is checked before the body
// is read, and the file is read within one of the upload slots.
func (s *Server) UploadDocument(w http.ResponseWriter, r *http.Request) (*ducha.Document, error) {
	if s.Documents == nil {
		return nil, ErrNoDocuments
	}
	if _, err := ducha.Require(r.Context(), ducha.PermRegister); err != nil {
		return nil, err
	}
	up, err := ReceiveUpload(w, r, doctext.DefaultLimits.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	in := DocumentInput{Kind: r.FormValue("kind"), Title: r.FormValue("title"), Date: r.FormValue("date")}
	release, err := s.attachmentSlot(w, r)
	if err != nil {
		up.file.Close()
		return nil, err
	}
	defer release()
	data, err := up.bytes()
	if err != nil {
		return nil, err
	}
	return s.addDocument(r.Context(), up.name, data, in)
}

// addDocument reads a file's text and stores it as a document.
func (s *Server) addDocument(ctx context.Context, name string, data []byte, in DocumentInput) (*ducha.Document, error) {
	kind, err := ducha.ParseDocumentKind(in.Kind)
	if err != nil {
		return nil, err
	}
	date, err := ducha.ParseDateISO(strings.TrimSpace(in.Date))
	if err != nil {
		return nil, ducha.FieldError("date", "文件日期格式应为 YYYY-MM-DD")
	}
	res, err := doctext.Extract(name, data, doctext.Limits{})
	if err != nil {
		return nil, err
	}
	d := &ducha.Document{Kind: kind, Title: in.Title, Date: date, Text: res.Text, Data: data,
		Original: ducha.FileInfo{Name: name, ContentType: res.ContentType}}
	if err := s.Documents.AddDocument(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}
