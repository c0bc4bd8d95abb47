package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// The public disclosure (公开情况一览表, SPEC section 4) needs no login. It
// reads through FindPublishedCases only, which returns nothing the
// coordinator has not published, and every text goes through
// sheets.Disclosure, which masks complainants' names, phone numbers and
// ID numbers.

// disclosurePage is the public page of one batch's disclosure table, with
// a chooser for the batch.
type disclosurePage struct {
	page
	Batch      int
	BatchInput string
	// Day is the batch's forwarded date (page.Date writes it).
	Day  ducha.Date
	Rows []sheets.DisclosureRow
	// Batches are the batch numbers there are, for a logged-in reader;
	// a visitor gets the neighbouring batches only, as which batches
	// exist is not itself published.
	Batches    []int
	Prev, Next int
	// Published are the batches with a published case, the newest first:
	// the landing page lists them for everyone.
	Published []ducha.PublishedBatch
	Error     string
	// ExportURL is the xlsx of the same table, for users who may export.
	ExportURL string
}

func (s *handler) handleDisclosurePage(w http.ResponseWriter, r *http.Request) error {
	p := disclosurePage{page: s.newPage(w, r, "disclosure.title"), BatchInput: r.URL.Query().Get("batch")}
	if ducha.Can(p.User, ducha.PermRead) && s.Cases != nil {
		batches, err := s.Cases.FindBatches(r.Context())
		if err != nil {
			return err
		}
		seen := map[int]bool{}
		for _, b := range batches {
			if !seen[b.Number] {
				seen[b.Number] = true
				p.Batches = append(p.Batches, b.Number)
			}
		}
	}
	if p.BatchInput == "" {
		if s.Cases != nil {
			pub, err := s.Cases.FindPublishedBatches(r.Context())
			if err != nil {
				return err
			}
			p.Published = pub
		}
		return s.render(w, http.StatusOK, "disclosure", &p)
	}
	batch, err := web.QueryBatch(r)
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "disclosure", &p)
	} else if err != nil {
		return err
	}
	d, err := s.PublicDisclosure(r, batch)
	if err != nil {
		return err
	}
	p.Batch, p.BatchInput, p.Day, p.Rows = batch, strconv.Itoa(batch), d.Date, d.Items
	p.Title = p.T("disclosure.heading", batch)
	if batch > 1 {
		p.Prev = batch - 1
	}
	p.Next = batch + 1
	if ducha.Can(p.User, ducha.PermExport) {
		p.ExportURL = "/api/v1/exports/disclosure.xlsx?batch=" + strconv.Itoa(batch)
	}
	return s.render(w, http.StatusOK, "disclosure", &p)
}
