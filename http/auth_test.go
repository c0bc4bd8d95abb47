package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLoginSessionLogout(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"liaison_yq","password":"`+password+`"}`))
	resp, body := b.do(req)
	if resp.StatusCode != 200 || !strings.Contains(body, `"username":"liaison_yq"`) || strings.Contains(body, "argon2") || strings.Contains(body, `"password"`) {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "ducha_session" {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Value == "" {
		t.Fatalf("session cookie %+v", c)
	}
	resp, body = b.get("/api/v1/me")
	if resp.StatusCode != 200 || !strings.Contains(body, `"role":"unit_liaison"`) {
		t.Fatalf("me with cookie: %d %s", resp.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", e.ts.URL+"/api/v1/logout", nil)
	if resp, _ = b.do(req); resp.StatusCode != 204 {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	// The old cookie no longer works even if a client kept it.
	req, _ = http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
	req.AddCookie(c)
	if resp, _ = e.send(req); resp.StatusCode != 401 {
		t.Fatalf("me after logout: %d", resp.StatusCode)
	}
	// A page visit without a session goes to the login form.
	resp, _ = e.browser().get("/problems?status=closed")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/problems?status=closed") {
		t.Fatalf("anonymous page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Sessions end after their time.
	b = e.browser()
	b.login("coord")
	e.clock.Add(13 * time.Hour)
	if resp, _ = b.get("/api/v1/me"); resp.StatusCode != 401 {
		t.Fatalf("expired session: %d", resp.StatusCode)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	login := func(user, pass string) (int, string) {
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"`+user+`","password":"`+pass+`"}`))
		resp, body := e.send(req)
		return resp.StatusCode, body
	}
	for i := 0; i < 5; i++ {
		if st, body := login("coord", "wrong"); st != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
			t.Fatalf("failure %d: %d %s", i+1, st, body)
		}
	}
	// Locked: even the right password is refused for the rest of the window.
	st, body := login("coord", password)
	if st != 429 || !strings.Contains(body, `"code":"too_many_requests"`) {
		t.Fatalf("after 5 failures: %d %s", st, body)
	}
	// Other users are not locked by it.
	if st, body := login("leader", password); st != 200 {
		t.Fatalf("other user: %d %s", st, body)
	}
	// The form says so too, in the user's language.
	b := e.browser()
	resp, page := b.post("/login", url.Values{"username": {"coord"}, "password": {password}})
	if resp.StatusCode != 429 || !strings.Contains(page, "登录失败次数过多，请10分钟后再试") || !strings.Contains(page, `value="coord"`) ||
		resp.Header.Get("Retry-After") != "600" {
		t.Fatalf("form when locked: %d %s", resp.StatusCode, page)
	}
	e.clock.Add(11 * time.Minute)
	if st, body := login("coord", password); st != 200 {
		t.Fatalf("after the window: %d %s", st, body)
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	e := newEnv(t)
	// Every test request comes from 127.0.0.1: 20 failures over many
	// usernames lock the address.
	for i := 0; i < 20; i++ {
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"guess`+string(rune('a'+i))+`","password":"x"}`))
		if resp, _ := e.send(req); resp.StatusCode != 401 {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"admin","password":"`+password+`"}`))
	if resp, body := e.send(req); resp.StatusCode != 429 {
		t.Fatalf("address locked: %d %s", resp.StatusCode, body)
	}
}

func TestCrossOriginFormRefused(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("liaison_yq")
	before := e.current("own")
	path := e.expand("/problems/{own}/actions/progress")
	form := url.Values{"version": {e.expand("{v:own}")}, "text": {"跨站伪造的进展"}}
	resp, body := b.post(path, form, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 403 || !strings.Contains(body, "跨站请求已被拒绝") {
		t.Fatalf("cross-site post: %d %s", resp.StatusCode, body)
	}
	// An old browser without Sec-Fetch-Site, Origin elsewhere: refused too.
	resp, _ = b.post(path, form, "Origin", "http://evil.example", "Sec-Fetch-Site", "")
	if resp.StatusCode != 403 {
		t.Fatalf("cross-origin post: %d", resp.StatusCode)
	}
	if p := e.current("own"); p.Version != before.Version || p.Progress != "" {
		t.Fatalf("problem changed: %d %q", p.Version, p.Progress)
	}
	// The same post from the site itself goes through.
	resp, _ = b.post(path, form)
	if resp.StatusCode != 303 {
		t.Fatalf("same-origin post: %d", resp.StatusCode)
	}
	if p := e.current("own"); p.Progress != "跨站伪造的进展" {
		t.Fatalf("same-origin post not applied: %q", p.Progress)
	}
	// The login form is protected as well.
	resp, _ = e.browser().post("/login", url.Values{"username": {"coord"}, "password": {password}}, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 403 {
		t.Fatalf("cross-site login: %d", resp.StatusCode)
	}
}
