package web

// The public pages and their JSON (the disclosure table, the notices
// before 销号) read the same masked rows.

import (
	"net/http"

	"ducha"
	"ducha/sheets"
	"ducha/text"
)

// Disclosure is the public JSON of a batch's disclosure table.
type Disclosure struct {
	Batch int        `json:"batch"`
	Date  ducha.Date `json:"date"`
	List[sheets.DisclosureRow]
}

// PublicDisclosure reads the published cases of a batch, masked.
func (s *Server) PublicDisclosure(r *http.Request, batch int) (*Disclosure, error) {
	if s.Cases == nil {
		return nil, ErrNoCases
	}
	cases, err := s.Cases.FindPublishedCases(r.Context(), batch)
	if err != nil {
		return nil, err
	}
	// The store gives them in import order, the order of the batch file.
	return &Disclosure{Batch: batch, Date: sheets.ForwardedDate(cases), List: WholeList(sheets.Disclosure(cases))}, nil
}

// PublicNotice masks a notice's texts for the public.
func PublicNotice(n *ducha.ClosureNotice) *ducha.ClosureNotice {
	m := *n
	m.Description, m.Target, m.Measures, m.Done = text.Mask(n.Description), text.Mask(n.Target), text.Mask(n.Measures), text.Mask(n.Done)
	m.Levels = append([]ducha.LevelSignoff(nil), n.Levels...)
	for i := range m.Levels {
		m.Levels[i].Opinion = text.Mask(m.Levels[i].Opinion)
	}
	return &m
}
