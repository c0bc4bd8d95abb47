package ui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"ducha"
	"ducha/http/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// parsePages parses each page template together with the layout.
func parsePages() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		pages[name] = template.Must(template.New(name).ParseFS(templateFS, "templates/layout.html", n))
	}
	return pages
}

// page is what every page shows around its content. Page structs embed it;
// templates reach the catalogue through T.
type page struct {
	Lang  web.Lang
	Title string
	User  *ducha.User
	Flash string
	Path  string // this page's path and query, for the language switch
	// CanExport is set when the user may export and the server can.
	CanExport bool
	// InboxCount is how many to-dos the user has (the header's 待办);
	// HasInbox, HasNotices and HasOutbox say which of those services the
	// server runs, so the header links only to pages that exist.
	InboxCount int
	HasInbox   bool
	HasNotices bool
	HasOutbox  bool
	// HasDocuments says the server keeps documents and the request list.
	HasDocuments bool
	// HasDuties says the server keeps responsibility lists and
	// self-inspections (自查自纠).
	HasDuties bool

	// parts are the shared pieces the page's template marks (splice).
	parts []*web.Part
}

// splice is what the template writes where part goes: a mark render
// replaces with the part, compressed once for every answer that shows it.
func (p *page) splice(part *web.Part) template.HTML {
	p.parts = append(p.parts, part)
	return template.HTML(web.PartMark(len(p.parts) - 1))
}

// splicedParts are the parts the page marks.
func (p *page) splicedParts() []*web.Part { return p.parts }

// newPage starts a page for the request's user and language.
func (s *handler) newPage(w http.ResponseWriter, r *http.Request, titleID string) page {
	l := web.RequestLang(r)
	u := ducha.UserFromContext(r.Context())
	p := page{
		Lang:       l,
		Title:      l.T(titleID),
		User:       u,
		Flash:      s.takeFlash(w, r, l),
		Path:       r.URL.RequestURI(),
		CanExport:  s.ExportLedger != nil && ducha.Can(u, ducha.PermExport),
		HasInbox:   s.Inbox != nil,
		HasNotices: s.Notices != nil,
		HasOutbox:  s.Outbox != nil,
		HasDuties:  s.Duties != nil,
	}
	p.HasDocuments = s.Documents != nil && s.Requests != nil
	// The header's count is a courtesy: a failure to count leaves it at 0
	// rather than failing the page it sits on.
	if s.Inbox != nil && u != nil && !u.MustChangePassword {
		if in, err := s.Inbox.Inbox(r.Context(), true); err == nil {
			p.InboxCount = in.Total
		}
	}
	return p
}

// T translates a message id.
func (p *page) T(id string, args ...any) string { return p.Lang.T(id, args...) }

// HTMLLang is the lang attribute of the document.
func (p *page) HTMLLang() string {
	if p.Lang == web.LangEN {
		return "en"
	}
	return "zh-CN"
}

// OtherLang is the language the switch offers.
func (p *page) OtherLang() string {
	if p.Lang == web.LangEN {
		return string(web.LangZH)
	}
	return string(web.LangEN)
}

// Can reports whether the user holds a permission.
func (p *page) Can(perm string) bool { return ducha.Can(p.User, ducha.Permission(perm)) }

// RoleLabel names the user's role.
func (p *page) RoleLabel() string {
	if p.User == nil {
		return ""
	}
	return p.T("role." + string(p.User.Role))
}

// UserName is how the header names the user: the display name, else the
// login name.
func (p *page) UserName() string {
	if p.User == nil {
		return ""
	}
	if n := strings.TrimSpace(p.User.DisplayName); n != "" {
		return n
	}
	return p.User.Username
}

// MustChangePassword reports whether the user has yet to replace a
// password someone else chose; the header then offers nothing but that.
func (p *page) MustChangePassword() bool { return p.User != nil && p.User.MustChangePassword }

// StatusLabel names a problem status.
func (p *page) StatusLabel(st ducha.ProblemStatus) string { return p.T("status." + string(st)) }

// WarningLabel names a deadline warning.
func (p *page) WarningLabel(w ducha.Warning) string { return p.T("warning." + string(w)) }

// ActionLabel names a workflow action or event; actions the catalogue does
// not know keep the domain's label.
func (p *page) ActionLabel(action string) string {
	return p.labelOr("action."+action, ducha.ActionLabel(action))
}

// labelOr is the catalogue's message id, or fallback (the domain's own
// Chinese label) for a value the catalogue does not name.
func (p *page) labelOr(id, fallback string) string {
	if p.Lang.Has(id) {
		return p.T(id)
	}
	return fallback
}

// Join writes a list the way Chinese ledgers do.
func (p *page) Join(list []string) string { return strings.Join(list, "、") }

// Time writes an instant in the county's time zone as 2026-12-07 14:05,
// the form the 一案一档 sheet keeps; pages write DateTime.
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ducha.Location).Format("2006-01-02 15:04")
}

// DateTime writes an instant as the county reads it, in its time zone:
// 2026年12月7日 14:05.
func (p *page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(ducha.Location)
	return chineseDay(t) + " " + t.Format("15:04")
}

// render executes a page into a buffer first, so that a template error
// answers 500 rather than half a page.
func (s *handler) render(w http.ResponseWriter, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return ducha.Errorf(ducha.EINTERNAL, "no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if sp, ok := data.(interface{ splicedParts() []*web.Part }); ok && len(sp.splicedParts()) > 0 {
		// The status is sent: a failure here is the connection's or a
		// template's mark, which the tests catch.
		if err := web.WriteParts(w, buf.Bytes(), sp.splicedParts()); err != nil {
			s.Logger.Error("http: page parts", "page", name, "err", err)
		}
		return nil
	}
	_, _ = buf.WriteTo(w)
	return nil
}

// errorPage shows an error that has no better place.
type errorPage struct {
	page
	Status  int
	Code    string
	Message string
}

func (s *handler) renderError(w http.ResponseWriter, r *http.Request, status int, d web.ErrorDetail) {
	p := errorPage{page: s.newPage(w, r, "error."+d.Code), Status: status, Code: d.Code, Message: d.Message}
	if d.Code == ducha.EINTERNAL {
		p.Message = p.T("error.internal.text")
	}
	if err := s.render(w, status, "error", &p); err != nil {
		s.Logger.Error("http: error page", "err", err)
		http.Error(w, p.Title, status)
	}
}

func (s *handler) handleCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(styleCSS)
	return nil
}

// Excerpt is the first n characters of s on one line, with … when cut:
// a list shows the start of a long text and its page the whole.
func (p *page) Excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
