package ui

import (
	"errors"
	"net/http"

	"ducha"
	"ducha/http/web"
)

// batchesPage lists the batches and offers the upload form; after an
// upload it shows what the import did, or the row that stopped it.
type batchesPage struct {
	page
	Batches   []*ducha.Batch
	CanImport bool
	// CanPublish offers 公开本批 on each batch (the bulk publish).
	CanPublish bool
	In         web.BatchForm
	Result     *ducha.BatchResult
	Error      string
	ErrorRow   int
	Errors     map[string]string
}

// Err is the message for one upload field.
func (p *batchesPage) Err(field string) string { return p.Errors[field] }

// newBatchesPage reads the batches for the page.
func (s *handler) newBatchesPage(w http.ResponseWriter, r *http.Request) (*batchesPage, error) {
	if s.Cases == nil {
		return nil, web.ErrNoCases
	}
	p := &batchesPage{page: s.newPage(w, r, "batches.title")}
	p.CanImport = ducha.Can(p.User, ducha.PermRegister)
	p.CanPublish = ducha.Can(p.User, ducha.PermVerify)
	batches, err := s.Cases.FindBatches(r.Context())
	if err != nil {
		return nil, err
	}
	p.Batches = batches
	return p, nil
}

func (s *handler) handleBatchesPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newBatchesPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "batches", p)
}

// handleBatchUpload imports the uploaded file and shows the page with the
// result. The answer is the page itself rather than a redirect, as the
// result (the duplicates and their first batches) is more than a flash
// message can carry; reloading it asks to post again, and posting the same
// file again changes nothing.
func (s *handler) handleBatchUpload(w http.ResponseWriter, r *http.Request) error {
	res, in, err := s.ImportBatch(w, r)
	code := ducha.ErrorCode(err)
	if err != nil && code != ducha.EINVALID {
		return err
	}
	p, perr := s.newBatchesPage(w, r)
	if perr != nil {
		return perr
	}
	p.In = in
	if err != nil {
		var e *ducha.Error
		p.Error, p.Errors = web.FieldErrors(err)
		if errors.As(err, &e) {
			p.ErrorRow = e.Row
		}
		return s.render(w, http.StatusBadRequest, "batches", p)
	}
	p.Result = res
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	return s.render(w, status, "batches", p)
}
