package web

import (
	"bytes"
	"net/http"
	"strings"

	"ducha"
	"ducha/sheets"
)

// BatchForm is what the upload form and the multipart API call carry
// besides the file, as typed.
type BatchForm struct {
	Batch, Date string
}

// options reads the batch number and date the user gave for a file that
// does not state them; empty fields leave them to the file.
func (f BatchForm) options() (sheets.CaseFileOptions, error) {
	var opts sheets.CaseFileOptions
	if f.Batch != "" {
		n, err := ParseBatchNumber("batch", f.Batch)
		if err != nil {
			return opts, err
		}
		opts.Batch = n
	}
	d, err := DateField("date", "交办日期", f.Date)
	if err != nil {
		return opts, err
	}
	opts.Date = d
	return opts, nil
}

// ImportBatch reads the multipart fields file, batch and date and imports
// the file as one batch, all or nothing (SPEC section 4), within the
// server's import limits and its one import slot, which it takes once the
// upload is received.
func (s *Server) ImportBatch(w http.ResponseWriter, r *http.Request) (*ducha.BatchResult, BatchForm, error) {
	if s.Cases == nil {
		return nil, BatchForm{}, ErrNoCases
	}
	up, err := ReceiveUpload(w, r, s.ImportFileLimit())
	var form BatchForm
	if mf := r.MultipartForm; mf != nil { // kept even when the file is missing
		field := func(k string) string {
			if v := mf.Value[k]; len(v) > 0 {
				return strings.TrimSpace(v[0])
			}
			return ""
		}
		form = BatchForm{Batch: field("batch"), Date: field("date")}
	}
	if err != nil {
		return nil, form, err
	}
	opts, err := form.options()
	if err != nil {
		up.file.Close()
		return nil, form, err
	}
	name, data, release, err := s.ImportUpload(w, r, up)
	if err != nil {
		return nil, form, err
	}
	defer release()
	// The read stops when the client goes away: a refused file that takes
	// long to parse does not hold the import slot for nobody.
	opts.Limits = s.ImportLimits.WithDone(r.Context().Done())
	res, err := sheets.ImportCases(r.Context(), s.Cases, bytes.NewReader(data), name, opts)
	return res, form, err
}
