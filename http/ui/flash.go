package ui

import (
	"net/http"
	"strings"

	"ducha/http/web"
)

// flashCookie carries a one-time message across the redirect after a
// successful form post. It holds a message kind and an argument, never
// free text, so nobody can make the page say something else.
const flashCookie = "ducha_flash"

// Flash kinds.
const (
	flashDone      = "done"      // an action succeeded; arg is the action
	flashCreated   = "created"   // a problem was registered
	flashUploaded  = "uploaded"  // an attachment was stored
	flashPlanned   = "planned"   // a problem was registered and handed over at once
	flashUnplanned = "unplanned" // a problem was registered but its plan was refused
	flashPassword  = "password"  // the user changed their password
	flashFromCase  = "from_case" // a case was turned into a ledger problem
)

func (s *handler) setFlash(w http.ResponseWriter, r *http.Request, kind, arg string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: kind + ":" + arg, Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureRequest(r),
	})
}

// takeFlash returns the pending message in l and clears it.
func (s *handler) takeFlash(w http.ResponseWriter, r *http.Request, l web.Lang) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureRequest(r)})
	kind, arg, _ := strings.Cut(c.Value, ":")
	p := page{Lang: l}
	switch kind {
	case flashDone:
		return l.T("flash.done", p.ActionLabel(arg))
	case flashCreated:
		return l.T("flash.created")
	case flashUploaded:
		return l.T("flash.uploaded")
	case flashPlanned:
		return l.T("flash.planned")
	case flashUnplanned:
		return l.T("flash.unplanned")
	case flashPassword:
		return l.T("flash.password")
	case flashFromCase:
		return l.T("flash.from_case")
	}
	return ""
}
