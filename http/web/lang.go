package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// lang is a page language: "zh" (the default) or "en".
type Lang string

const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// LangCookie holds the language the user picked with /lang.
const LangCookie = "lang"

// catalogue is the one message catalogue: per language, message id to text.
// Texts with verbs (%d, %s) take arguments.
var catalogue = map[Lang]map[string]string{
	LangZH: messagesZH,
	LangEN: messagesEN,
}

// T returns the message id in l, formatted with args. A missing id falls
// back to Chinese, then to the id itself, so a gap shows rather than breaks.
func (l Lang) T(id string, args ...any) string {
	msg, ok := catalogue[l][id]
	if !ok {
		if msg, ok = messagesZH[id]; !ok {
			return id
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// has reports whether the catalogue knows id.
func (l Lang) Has(id string) bool {
	_, ok := catalogue[l][id]
	return ok
}

// RequestLang picks the page language: the lang cookie, else the first of
// zh or en in Accept-Language, else Chinese.
func RequestLang(r *http.Request) Lang {
	if c, err := r.Cookie(LangCookie); err == nil {
		switch Lang(c.Value) {
		case LangZH, LangEN:
			return Lang(c.Value)
		}
	}
	type pref struct {
		tag string
		q   float64
	}
	var prefs []pref
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		prefs = append(prefs, pref{strings.ToLower(strings.TrimSpace(tag)), q})
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	for _, p := range prefs {
		switch {
		case p.q <= 0:
		case p.tag == "zh" || strings.HasPrefix(p.tag, "zh-"):
			return LangZH
		case p.tag == "en" || strings.HasPrefix(p.tag, "en-"):
			return LangEN
		}
	}
	return LangZH
}

// handleLang remembers the chosen language for a year and goes back.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	l := Lang(r.URL.Query().Get("to"))
	if l != LangEN {
		l = LangZH
	}
	http.SetCookie(w, &http.Cookie{
		Name: LangCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureRequest(r),
	})
	http.Redirect(w, r, LocalPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}
