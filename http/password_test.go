package http_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ducha"
)

// resetPassword sets a user's password as an admin would, which obliges the
// user to change it at the next login.
func (e *env) resetPassword(key, pass string) {
	e.t.Helper()
	if err := e.db.SetPassword(system, e.users[key].ID, pass); err != nil {
		e.t.Fatalf("reset %s's password: %v", key, err)
	}
	if u, err := e.db.FindUserByID(system, e.users[key].ID); err != nil || !u.MustChangePassword {
		e.t.Fatalf("after the reset %s need not change the password: %v", key, err)
	}
}

// A user with a one-time password is sent to the password form from every
// page, refused by the API, and let go once the password is changed.
func TestPasswordMustChange(t *testing.T) {
	e := newEnv(t)
	const oneTime, chosen = "one-time-pass-1", "my-own-secret-2026"
	e.resetPassword("coordinator", oneTime)
	b := e.browser()
	b.loginWith("coord", oneTime)
	other := e.browser() // a second device, logged in before the change
	other.loginWith("coord", oneTime)

	for _, path := range []string{"/problems", "/problems/new", e.expand("/problems/{own}"), "/", "/no/such/page"} {
		resp, _ := b.get(path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/password" {
			t.Errorf("GET %s: %d to %q, want 303 to /account/password", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	action := e.expand("/problems/{own}/actions/progress")
	resp, _ := b.post(action, url.Values{"version": {e.expand("{v:own}")}, "text": {"不该保存"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/password" {
		t.Errorf("POST %s: %d to %q", action, resp.StatusCode, resp.Header.Get("Location"))
	}
	if p := e.current("own"); p.Progress != "" {
		t.Errorf("a refused post saved progress %q", p.Progress)
	}
	// What stays open: the form, the language switch, the stylesheet.
	resp, page := b.get("/account/password")
	if resp.StatusCode != 200 || !strings.Contains(page, `<p class="notice" role="alert">您正在使用他人设置的一次性密码`) ||
		!strings.Contains(page, `<form method="post" action="/account/password">`) {
		t.Fatalf("password page: %d %s", resp.StatusCode, page)
	}
	if strings.Contains(page, `href="/problems/new"`) || !strings.Contains(page, `<a href="/account/password">修改密码</a>`) {
		t.Errorf("header while the password must change: %s", page)
	}
	if resp, _ = b.get("/lang?to=zh&next=/account/password"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/account/password" {
		t.Errorf("lang: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ = b.get("/static/style.css"); resp.StatusCode != 200 {
		t.Errorf("stylesheet: %d", resp.StatusCode)
	}

	// The API answers 403 password_change_required, by cookie and by token,
	// except for who am I.
	resp, body := b.get("/api/v1/problems")
	if resp.StatusCode != 403 || !strings.Contains(body, `"code":"password_change_required"`) {
		t.Errorf("API by cookie: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("GET", "/api/v1/problems", "coordinator", "")
	if resp.StatusCode != 403 || !strings.Contains(body, `"code":"password_change_required"`) {
		t.Errorf("API by token: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("POST", e.expand("/api/v1/problems/{own}/actions/progress"), "coordinator", e.expand(`{"text":"x","version":{v:own}}`))
	if resp.StatusCode != 403 || !strings.Contains(body, `"code":"password_change_required"`) {
		t.Errorf("API write by token: %d %s", resp.StatusCode, body)
	}
	if resp, body = b.get("/api/v1/me"); resp.StatusCode != 200 || !strings.Contains(body, `"must_change_password":true`) {
		t.Errorf("me: %d %s", resp.StatusCode, body)
	}
	// Other users are not held up.
	if resp, _ = e.api("GET", "/api/v1/problems", "liaison", ""); resp.StatusCode != 200 {
		t.Errorf("another user's API call: %d", resp.StatusCode)
	}

	// Refused forms: the message sits next to its field, nothing changes.
	for _, c := range []struct {
		form        url.Values
		field, want string
	}{
		{url.Values{"current_password": {oneTime}, "new_password": {"short"}, "new_password2": {"short"}}, "new_password", "新密码至少8个字符"},
		{url.Values{"current_password": {oneTime}, "new_password": {chosen}, "new_password2": {chosen + "x"}}, "new_password2", "两次输入的新密码不一致"},
		{url.Values{"current_password": {oneTime}, "new_password": {oneTime}, "new_password2": {oneTime}}, "new_password", "新密码不能与当前密码相同"},
		{url.Values{"current_password": {""}, "new_password": {chosen}, "new_password2": {chosen}}, "current_password", "请输入当前密码"},
		{url.Values{"current_password": {"wrong-password"}, "new_password": {chosen}, "new_password2": {chosen}}, "current_password", "当前密码不正确"},
	} {
		resp, page := b.post("/account/password", c.form)
		re := regexp.MustCompile(`name="` + c.field + `"[^>]*>\s*(<small>[^<]*</small>\s*)?<span class="field-error">` + c.want + `</span>`)
		if resp.StatusCode != 400 || !re.MatchString(page) {
			t.Errorf("%s: %d, want 400 with %q next to %s: %s", c.want, resp.StatusCode, c.want, c.field, mainOf(page))
		}
		if strings.Contains(page, chosen) || strings.Contains(page, `value="`+oneTime) {
			t.Errorf("%s: the page echoes a password", c.want)
		}
	}

	old := b.cookie("ducha_session")
	resp, _ = b.post("/account/password", url.Values{"current_password": {oneTime}, "new_password": {chosen}, "new_password2": {chosen}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/workbench" {
		t.Fatalf("change: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if now := b.cookie("ducha_session"); now == "" || now == old {
		t.Errorf("no fresh session after the change (old %q, now %q)", old, now)
	}
	resp, page = b.get("/problems")
	if resp.StatusCode != 200 || !strings.Contains(page, `<p class="flash" role="status">密码已修改</p>`) || !strings.Contains(page, e.probs["own"].Code) {
		t.Fatalf("ledger after the change: %d %s", resp.StatusCode, page)
	}
	if resp, _ = b.get("/api/v1/problems"); resp.StatusCode != 200 {
		t.Errorf("API after the change: %d", resp.StatusCode)
	}
	// The old session, and the other device's, ended with the old password.
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: "ducha_session", Value: old})
	if resp, _ = e.send(req); resp.StatusCode != 401 {
		t.Errorf("old session after the change: %d", resp.StatusCode)
	}
	if resp, _ = other.get("/problems"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("other device after the change: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	u, err := e.db.Authenticate(system, "coord", chosen)
	if err != nil || u.MustChangePassword {
		t.Fatalf("new password: %v, must change %v", err, u != nil && u.MustChangePassword)
	}
	if _, err := e.db.Authenticate(system, "coord", oneTime); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("the one-time password still works: %v", err)
	}
}

// Anyone may change their own password from the page the header links to,
// in either language.
func TestPasswordPageEnglish(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("liaison_yq")
	_, page := b.get("/problems")
	if !strings.Contains(page, `<a href="/account/password">修改密码</a>`) {
		t.Fatalf("no link to the password page: %s", page)
	}
	b.get("/lang?to=en&next=/account/password")
	resp, page := b.get("/account/password")
	if resp.StatusCode != 200 || !strings.Contains(page, "<h1>Change password</h1>") || strings.Contains(page, `class="notice"`) {
		t.Fatalf("English password page: %d %s", resp.StatusCode, mainOf(page))
	}
	resp, page = b.post("/account/password", url.Values{"current_password": {"nope-nope"}, "new_password": {"abcdefgh1"}, "new_password2": {"abcdefgh1"}})
	if resp.StatusCode != 400 || !strings.Contains(page, "The current password is wrong") {
		t.Errorf("English wrong password: %d %s", resp.StatusCode, mainOf(page))
	}
	resp, _ = b.post("/account/password", url.Values{"current_password": {password}, "new_password": {"abcdefgh1"}, "new_password2": {"abcdefgh1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if _, page = b.get("/problems"); !strings.Contains(page, "Password changed") {
		t.Errorf("no English flash")
	}
	if _, err := e.db.Authenticate(system, "liaison_yq", "abcdefgh1"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestPasswordAPI(t *testing.T) {
	e := newEnv(t)
	const chosen = "another-secret-99"
	for _, c := range []struct {
		body, field string
		status      int
	}{
		{`{"current_password":"wrong-password","new_password":"` + chosen + `"}`, `"fields":{"current_password":"当前密码不正确"}`, 400},
		{`{"current_password":"` + password + `","new_password":"1234567"}`, `"fields":{"new_password":"新密码至少8个字符"}`, 400},
		{`{"current_password":"` + password + `","password":"x"}`, `"fields":{"password"`, 400},
		{`{"new_password":"` + chosen + `"}`, `"current_password":"请输入当前密码"`, 400},
	} {
		resp, body := e.api("POST", "/api/v1/me/password", "liaison", c.body)
		if resp.StatusCode != c.status || !strings.Contains(body, c.field) {
			t.Errorf("%s: %d %s", c.body, resp.StatusCode, body)
		}
	}
	if resp, _ := e.api("POST", "/api/v1/me/password", "", `{"current_password":"x","new_password":"y"}`); resp.StatusCode != 401 {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}

	// By token: the token keeps working, the password is the new one.
	resp, body := e.api("POST", "/api/v1/me/password", "liaison", `{"current_password":"`+password+`","new_password":"`+chosen+`"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"username":"liaison_yq"`) || !strings.Contains(body, `"must_change_password":false`) {
		t.Fatalf("change by token: %d %s", resp.StatusCode, body)
	}
	if resp, _ = e.api("GET", "/api/v1/me", "liaison", ""); resp.StatusCode != 200 {
		t.Errorf("token after the change: %d", resp.StatusCode)
	}
	if _, err := e.db.Authenticate(system, "liaison_yq", chosen); err != nil {
		t.Errorf("new password: %v", err)
	}

	// By session cookie, clearing the one-time flag: the cookie is renewed.
	e.resetPassword("head", "reset-by-admin-1")
	b := e.browser()
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"head_yq","password":"reset-by-admin-1"}`))
	if resp, body = b.do(req); resp.StatusCode != 200 || !strings.Contains(body, `"must_change_password":true`) {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	if resp, body = b.get("/api/v1/units"); resp.StatusCode != 403 || !strings.Contains(body, `"code":"password_change_required"`) {
		t.Errorf("units before the change: %d %s", resp.StatusCode, body)
	}
	old := b.cookie("ducha_session")
	req, _ = http.NewRequest("POST", e.ts.URL+"/api/v1/me/password", strings.NewReader(`{"current_password":"reset-by-admin-1","new_password":"`+chosen+`"}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, body = b.do(req); resp.StatusCode != 200 || !strings.Contains(body, `"must_change_password":false`) {
		t.Fatalf("change by cookie: %d %s", resp.StatusCode, body)
	}
	if now := b.cookie("ducha_session"); now == "" || now == old {
		t.Errorf("session cookie not renewed")
	}
	if resp, body = b.get("/api/v1/units"); resp.StatusCode != 200 || !strings.Contains(body, `"name":"永清镇"`) {
		t.Errorf("units after the change: %d %s", resp.StatusCode, body)
	}
}

// Guessing the current password through a left-open session is throttled
// like logins are.
func TestPasswordThrottle(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		if resp, _ := e.api("POST", "/api/v1/me/password", "leader", `{"current_password":"guess-`+string(rune('a'+i))+`","new_password":"abcdefgh1"}`); resp.StatusCode != 400 {
			t.Fatalf("guess %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := e.api("POST", "/api/v1/me/password", "leader", `{"current_password":"`+password+`","new_password":"abcdefgh1"}`)
	if resp.StatusCode != 429 || !strings.Contains(body, `"code":"too_many_requests"`) || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after five guesses: %d %s", resp.StatusCode, body)
	}
	if _, err := e.db.Authenticate(system, "leader", password); err != nil {
		t.Errorf("the throttled call changed the password: %v", err)
	}
}
