package http

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"ducha"
)

// maxUploadBody bounds an uploaded attachment.
const maxUploadBody = ducha.MaxAttachmentSize

// uploadSlack is the room an upload request has beyond its file, for the
// multipart envelope and the other form fields.
const uploadSlack = 1 << 20

// uploadMemory is how much of an upload is held in memory while the body
// is parsed; the rest of a larger file waits in a temporary file (removed
// with the request), so that a body near its bound is not held twice.
const uploadMemory = 4 << 20

// readUpload reads the multipart field "file" of a body bounded by limit
// plus uploadSlack; a file over limit is refused with limit in the message.
func readUpload(w http.ResponseWriter, r *http.Request, limit int64) (name string, data []byte, err error) {
	tooBig := ducha.FieldError("file", "文件超过%dMB上限", limit>>20)
	r.Body = http.MaxBytesReader(w, r.Body, limit+uploadSlack)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, tooBig
		}
		return "", nil, ducha.FieldError("file", "请以multipart/form-data上传文件（字段名file）")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, ducha.FieldError("file", "请选择要上传的文件")
	}
	defer f.Close()
	if hdr.Size > limit {
		return "", nil, tooBig
	}
	data = make([]byte, hdr.Size)
	if _, err := io.ReadFull(f, data); err != nil {
		return "", nil, ducha.FieldError("file", "文件读取失败")
	}
	return hdr.Filename, data, nil
}

// addAttachment stores an uploaded file as evidence of problem id; the
// domain decides its type from its bytes.
func (s *Server) addAttachment(ctx context.Context, problemID int64, name string, data []byte) (*ducha.Attachment, error) {
	a := &ducha.Attachment{ProblemID: problemID, Name: name, Data: data, Size: int64(len(data))}
	if u := ducha.UserFromContext(ctx); u != nil {
		a.UploadedBy = u.Username
	}
	if err := s.Attachments.AddAttachment(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Server) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "问题")
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r, maxUploadBody)
	if err != nil {
		return err
	}
	a, err := s.addAttachment(r.Context(), id, name, data)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/attachments/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, a)
	return nil
}

// handleAttachmentGet serves the stored bytes as a download, never inline,
// with the type the domain sniffed at upload.
func (s *Server) handleAttachmentGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "附件")
	if err != nil {
		return err
	}
	a, err := s.Attachments.FindAttachment(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	cd := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if cd == "" { // a name mime cannot encode
		cd = "attachment"
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.Data)
	return nil
}

// handleAttachmentUploadPage is the detail page's upload form.
func (s *Server) handleAttachmentUploadPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "问题")
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r, maxUploadBody)
	if err == nil {
		_, err = s.addAttachment(r.Context(), id, name, data)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		return s.renderDetail(w, r, id, detailState{uploadErr: ducha.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashUploaded, "")
	http.Redirect(w, r, "/problems/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
