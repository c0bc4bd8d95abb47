package api

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	name, data, release, err := s.ReceiveAttachment(w, r, id)
	if err != nil {
		return err
	}
	a, err := s.AddAttachment(r.Context(), id, name, data)
	release()
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/attachments/"+strconv.FormatInt(a.ID, 10))
	web.WriteJSON(w, http.StatusCreated, a)
	return nil
}

// handleAttachmentGet serves the stored bytes as a download, never inline,
// with the type the domain sniffed at upload.
func (s *handler) handleAttachmentGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "附件")
	if err != nil {
		return err
	}
	a, err := s.Attachments.FindAttachment(r.Context(), id)
	if err != nil {
		return err
	}
	serveFile(w, ducha.FileInfo{Name: a.Name, ContentType: a.ContentType}, a.Data)
	return nil
}
