package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// The 销号公示 (SPEC section 4, "Notices and referrals") needs no login:
// the list of the problems now in public notice, one page per notice in
// the usual form, printable on A4, and its text for the county website.
// It reads through ducha.ClosureNoticeService only, which gives nothing
// of a problem not in notice and nothing internal of one that is; the
// texts are masked as the disclosure table's are.

// closureListPage lists the notices now open.
type closureListPage struct {
	page
	Notices []*ducha.ClosureNotice
}

// closureNoticePage is one notice.
type closureNoticePage struct {
	page
	Notice *ducha.ClosureNotice
}

func (s *handler) handleClosureNoticesPage(w http.ResponseWriter, r *http.Request) error {
	if s.Publicity == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
	}
	ns, err := s.Publicity.FindClosureNotices(r.Context())
	if err != nil {
		return err
	}
	p := closureListPage{page: s.newPage(w, r, "publicity.title")}
	for _, n := range ns {
		p.Notices = append(p.Notices, web.PublicNotice(n))
	}
	return s.render(w, http.StatusOK, "public_closure_list", &p)
}

// closureNotice reads the notice the path names.
func (s *handler) closureNotice(r *http.Request) (*ducha.ClosureNotice, error) {
	if s.Publicity == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, ducha.NotFound("公示")
	}
	n, err := s.Publicity.FindClosureNotice(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return web.PublicNotice(n), nil
}

func (s *handler) handleClosureNoticePage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.closureNotice(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "public_closure", &closureNoticePage{page: s.newPage(w, r, "publicity.title"), Notice: n})
}

// handleClosureNoticeText is the notice as plain text, for the county
// website's editor to paste.
func (s *handler) handleClosureNoticeText(w http.ResponseWriter, r *http.Request) error {
	n, err := s.closureNotice(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(n.Text()))
	return nil
}

// publicityCSS prints a notice on one A4 sheet. Served, not inline: the
// pages' Content-Security-Policy allows no inline styles.
const publicityCSS = `/* ducha: a 销号公示 printed on one A4 sheet. */
.publicity-doc h1 { text-align: center; font-size: 1.4em; }
.publicity-doc table.form { width: 100%; border-collapse: collapse; }
.publicity-doc table.form th { width: 8em; text-align: left; vertical-align: top; background: #f4f4f4; }
.publicity-doc table.form th, .publicity-doc table.form td { border: 1px solid #999; padding: .4em .6em; }
.publicity-doc .pre { white-space: pre-wrap; }
.publicity-list li { margin: .4em 0; }
@media print {
  @page { size: A4 portrait; margin: 18mm 16mm; }
  header.top, nav, form, .noprint, .flash { display: none !important; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .publicity-doc { page-break-inside: avoid; }
}
`

func (s *handler) handlePublicityCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(publicityCSS))
	return nil
}
