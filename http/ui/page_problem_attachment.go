package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// handleAttachmentUploadPage is the detail page's upload form.
func (s *handler) handleAttachmentUploadPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	name, data, release, err := s.ReceiveAttachment(w, r, id)
	if err == nil {
		_, err = s.AddAttachment(r.Context(), id, name, data)
		release()
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
