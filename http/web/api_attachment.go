package web

import (
	"net/http"
	"strconv"

	"ducha"
)

func (s *Server) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "问题")
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
	WriteJSON(w, http.StatusCreated, a)
	return nil
}

// handleAttachmentGet serves the stored bytes as a download, never inline,
// with the type the domain sniffed at upload.
func (s *Server) handleAttachmentGet(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "附件")
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
