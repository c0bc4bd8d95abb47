package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"time"

	"ducha"
)

// maxUploadBody bounds an uploaded attachment.
const maxUploadBody = ducha.MaxAttachmentSize

// uploadSlack is the room an upload request has beyond its file, for the
// multipart envelope and the other form fields.
const uploadSlack = 1 << 20

// uploadMemory is how much of an upload is held in memory while the body
// is received; the rest of a larger file waits in a temporary file
// (removed with the request). An upload is received before it waits for a
// slot (an import's, or one of the attachment slots), so a slow client holds
// no slot and a crowd of waiting uploads holds little memory.
const uploadMemory = 512 << 10

// uploadTimeout is how long an upload route may take to receive its body
// (a 20 MB attachment at 70 KB/s); a client still sending after it is cut
// off. The server sets only ReadHeaderTimeout, which ends with the headers.
var uploadTimeout = 5 * time.Minute

// upload is a multipart file received in full but not yet read into memory.
type upload struct {
	name string
	file multipart.File
	size int64
}

// ReceiveUpload receives the body of a multipart upload, bounded by limit
// plus uploadSlack and by uploadTimeout, and finds its field "file"; a
// file over limit is refused with limit in the message. Nothing of the file
// is read into memory beyond uploadMemory until bytes is called.
func ReceiveUpload(w http.ResponseWriter, r *http.Request, limit int64) (*upload, error) {
	// Not every ResponseWriter can (a recorder in tests cannot): then there
	// is no deadline but the client's.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	tooBig := ducha.FieldError("file", "文件超过%dMB上限", limit>>20)
	r.Body = http.MaxBytesReader(w, r.Body, limit+uploadSlack)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, tooBig
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, ducha.FieldError("file", "上传超过%d分钟仍未完成，已中断", max(1, int(uploadTimeout/time.Minute)))
		}
		return nil, ducha.FieldError("file", "请以multipart/form-data上传文件（字段名file）")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, ducha.FieldError("file", "请选择要上传的文件")
	}
	if hdr.Size > limit {
		f.Close()
		return nil, tooBig
	}
	return &upload{name: hdr.Filename, file: f, size: hdr.Size}, nil
}

// bytes reads the received file into memory and closes it.
func (u *upload) bytes() ([]byte, error) {
	defer u.file.Close()
	data := make([]byte, u.size)
	if _, err := io.ReadFull(u.file, data); err != nil {
		return nil, ducha.FieldError("file", "文件读取失败")
	}
	return data, nil
}

// maxAttachmentUploads attachment uploads are read into memory and stored
// at once per server (20 MB each at most); another, once received, waits
// up to attachmentWait for one of them, then answers 429.
const maxAttachmentUploads = 4

var attachmentWait = 3 * time.Second

// attachmentSlot takes one of the server's attachment slots; release gives
// it back.
func (s *Server) attachmentSlot(w http.ResponseWriter, r *http.Request) (release func(), err error) {
	slots := s.limiter.uploads
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	default:
	}
	t := time.NewTimer(attachmentWait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-t.C:
	case <-r.Context().Done():
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(int(attachmentWait/time.Second), 1)))
	return nil, &ducha.Error{Code: ETOOMANY, Message: "上传附件的人太多，请稍后再试"}
}

// ReceiveAttachment reads the upload of an attachment to problem id: only
// once the user is known to work on the problem (its unit scope, the rule
// AddAttachment applies again), so that another unit's problem answers 404
// with the body unread; and, once received, within one of the attachment
// slots, which release gives back when the file is stored.
func (s *Server) ReceiveAttachment(w http.ResponseWriter, r *http.Request, id int64) (name string, data []byte, release func(), err error) {
	if _, err := ducha.Require(r.Context(), ducha.PermWork); err != nil {
		return "", nil, nil, err
	}
	if _, err := s.Problems.FindProblemByID(r.Context(), id); err != nil {
		return "", nil, nil, err
	}
	u, err := ReceiveUpload(w, r, maxUploadBody)
	if err != nil {
		return "", nil, nil, err
	}
	release, err = s.attachmentSlot(w, r)
	if err != nil {
		u.file.Close()
		return "", nil, nil, err
	}
	if data, err = u.bytes(); err != nil {
		release()
		return "", nil, nil, err
	}
	return u.name, data, release, nil
}

// AddAttachment stores an uploaded file as evidence of problem id; the
// domain decides its type from its bytes.
func (s *Server) AddAttachment(ctx context.Context, problemID int64, name string, data []byte) (*ducha.Attachment, error) {
	a := &ducha.Attachment{ProblemID: problemID, Name: name, Data: data, Size: int64(len(data))}
	if u := ducha.UserFromContext(ctx); u != nil {
		a.UploadedBy = u.Username
	}
	if err := s.Attachments.AddAttachment(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}
