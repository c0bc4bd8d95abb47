package web

import (
	"context"
	"net/http"
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

// DocumentInput is the upload form's fields besides the file.
type DocumentInput struct{ Kind, Title, Date string }

// UploadDocument receives a multipart upload (file, kind, title, date),
// reads its text and stores it. The permission is checked before the body
// is read, and the file is read within one of the upload slots. The date
// is the API's: YYYY-MM-DD, as its schema says.
func (s *Server) UploadDocument(w http.ResponseWriter, r *http.Request) (*ducha.Document, error) {
	return s.uploadDocument(w, r, isoDocumentDate)
}

// UploadDocumentForm is UploadDocument for the page's form, whose date is
// a text input typed as offices type dates (2026年12月7日, 2026-12-07,
// 20261207: ParseFormDate), whatever the browser's locale.
func (s *Server) UploadDocumentForm(w http.ResponseWriter, r *http.Request) (*ducha.Document, error) {
	return s.uploadDocument(w, r, typedDocumentDate)
}

// isoDocumentDate reads the date of an API upload.
func isoDocumentDate(raw string) (ducha.Date, error) {
	d, err := ducha.ParseDateISO(strings.TrimSpace(raw))
	if err != nil {
		return "", ducha.FieldError("date", "文件日期格式应为 YYYY-MM-DD")
	}
	return d, nil
}

// typedDocumentDate reads the date of the page's upload form.
func typedDocumentDate(raw string) (ducha.Date, error) { return DateField("date", "文件日期", raw) }

func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request, readDate func(string) (ducha.Date, error)) (*ducha.Document, error) {
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
	return s.addDocument(r.Context(), up.name, data, in, readDate)
}

// addDocument reads a file's text and stores it as a document.
func (s *Server) addDocument(ctx context.Context, name string, data []byte, in DocumentInput, readDate func(string) (ducha.Date, error)) (*ducha.Document, error) {
	kind, err := ducha.ParseDocumentKind(in.Kind)
	if err != nil {
		return nil, err
	}
	date, err := readDate(in.Date)
	if err != nil {
		return nil, err
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
