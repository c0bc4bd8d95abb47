package http_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Every next= that could leave the site is refused: the redirect goes to
// the workbench instead. The targets are the forms browsers are known to
// rewrite into another host.
var redirectCases = []struct {
	next, want string
}{
	{"/cases?batch=3", "/cases?batch=3"},
	{"/problems/7", "/problems/7"},
	{"/problems?q=%E6%89%AC%E5%B0%98&page=2", "/problems?q=%E6%89%AC%E5%B0%98&page=2"},
	{"", "/workbench"},
	{"problems", "/workbench"},
	{"//evil.example", "/workbench"},
	{"///evil.example", "/workbench"},
	{"/\t/evil.example", "/workbench"},
	{"/%09/evil.example", "/workbench"},
	{"/\n/evil.example", "/workbench"},
	{"/\r\n/evil.example", "/workbench"},
	{"/\\evil.example", "/workbench"},
	{"/\\/evil.example", "/workbench"},
	{"\\\\evil.example", "/workbench"},
	{"/%2F/evil.example", "/workbench"},
	{"/%2f%2fevil.example", "/workbench"},
	{"/%5C/evil.example", "/workbench"},
	{"/%5cevil.example", "/workbench"},
	{"https://evil.example/", "/workbench"},
	{"http:/evil.example", "/workbench"},
	{"javascript:alert(1)", "/workbench"},
	{" /problems", "/workbench"},
	{"/\u2028/evil.example", "/workbench"},
	{"/\x7f/evil.example", "/workbench"},
	{"/\x00/evil.example", "/workbench"},
}

func TestRedirectTargets(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, c := range redirectCases {
		resp, _ := b.get("/lang?to=zh&next=" + url.QueryEscape(c.next))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.want {
			t.Errorf("/lang next=%q: %d Location %q, want %q", c.next, resp.StatusCode, resp.Header.Get("Location"), c.want)
		}
		resp, _ = e.browser().get("/login?next=" + url.QueryEscape(c.next))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /login next=%q: %d", c.next, resp.StatusCode)
		}
	}
	// After a login the form's next is followed only when it is on the site.
	for _, c := range redirectCases {
		lb := e.browser()
		resp, body := lb.post("/login", url.Values{"username": {"coord"}, "password": {password}, "next": {c.next}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.want {
			t.Errorf("POST /login next=%q: %d Location %q, want %q %s", c.next, resp.StatusCode, resp.Header.Get("Location"), c.want, body)
		}
	}
}
