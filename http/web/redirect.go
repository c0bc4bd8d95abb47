package web

import (
	"net/url"
	"strings"
)

// LandingPath is where a redirect goes when its requested target is refused.
const LandingPath = "/workbench"

// LocalPath returns p when it is a path on this site, else the landing page,
// so that no link (a login's or the language switch's next=) can send a user
// to another site.
func LocalPath(p string) string {
	if safe, ok := sitePath(p); ok {
		return safe
	}
	return LandingPath
}

// sitePath reports whether p is a path on this site and returns it. Browsers
// are lenient with Location values: they drop tabs and line breaks
// ("/\t/evil.example" becomes "//evil.example"), read a backslash as a slash
// and a leading "//" as another host. So p must be an absolute path with no
// scheme, host or user, no control characters or backslashes anywhere, and
// neither its text nor its decoded path may start with two slashes.
func sitePath(p string) (string, bool) {
	if p == "" || p[0] != '/' || len(p) > 2048 {
		return "", false
	}
	if hasUnsafeRune(p) {
		return "", false
	}
	if strings.HasPrefix(p, "//") {
		return "", false
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	// The decoded path too: "/%2F/evil", "/%5C/evil" or "/%09/evil" decode to
	// a network path in some proxies and clients.
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || hasUnsafeRune(u.Path) {
		return "", false
	}
	return p, true
}

// hasUnsafeRune reports control characters, backslashes and the Unicode line
// separators that browsers strip or rewrite in a Location header.
func hasUnsafeRune(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\\' || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}
