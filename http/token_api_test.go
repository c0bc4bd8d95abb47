package http_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
)

// sessionAPI sends a JSON request with the browser's session cookie, as a
// same-origin page script would.
func (b *browser) sessionAPI(method, path, body string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest(method, b.e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// tokenID is the id of the seeded token of a role key.
func (e *env) tokenID(key string) int64 {
	e.t.Helper()
	list, err := e.db.FindTokens(system, e.users[key].ID)
	if err != nil || len(list) == 0 {
		e.t.Fatalf("tokens of %s: %v", key, err)
	}
	return list[0].ID
}

// The token routes for every role, by token and by session: each sees
// and revokes only its own tokens, and makes tokens only from a session.
func TestTokenScenarios(t *testing.T) {
	e := newEnv(t)
	type row struct {
		role, via, method, path, body string
		status                        int
		want, absent                  []string
	}
	var table []row
	for _, key := range everyRole {
		other := "liaison_b"
		if key == "liaison_b" {
			other = "admin"
		}
		own, theirs := strconv.FormatInt(e.tokenID(key), 10), strconv.FormatInt(e.tokenID(other), 10)
		name := e.users[key].Username
		table = append(table,
			row{key, "token", "GET", "/api/v1/me/tokens", "", 200,
				[]string{`"total":1`, `"name":"test"`, `"username":"` + name + `"`, `"last_used_at":`, `"revoked_at":null`},
				[]string{`"token":`, "token_hash", e.users[other].Username}},
			row{key, "token", "POST", "/api/v1/me/tokens", `{"name":"脚本"}`, 403, []string{`"code":"forbidden"`, "不能用令牌创建令牌"}, nil},
			row{key, "token", "DELETE", "/api/v1/me/tokens/" + theirs, "", 404, []string{`"code":"not_found"`, "令牌不存在"}, nil},
			row{key, "token", "DELETE", "/api/v1/me/tokens/999999", "", 404, []string{"令牌不存在"}, nil},
			row{key, "session", "GET", "/api/v1/me/tokens", "", 200, []string{`"total":1`, `"id":` + own}, []string{`"token":`}},
			row{key, "session", "POST", "/api/v1/me/tokens", `{"name":"部署脚本","expires":"90d"}`, 201,
				[]string{`"token":"`, `"name":"部署脚本"`, `"expires_at":"2027-03-10T02:00:00Z"`, `"user_id":` + strconv.FormatInt(e.users[key].ID, 10)}, nil},
			row{key, "session", "POST", "/api/v1/me/tokens", `{"name":""}`, 400, []string{`"fields":{"name"`}, nil},
			row{key, "session", "POST", "/api/v1/me/tokens", `{"name":"x","expires":"明年"}`, 400, []string{`"fields":{"expires"`}, nil},
			row{key, "session", "DELETE", "/api/v1/me/tokens/" + theirs, "", 404, []string{`"code":"not_found"`}, nil},
			row{key, "session", "GET", "/api/v1/me/tokens", "", 200, []string{`"total":2`, `"name":"部署脚本"`}, nil},
		)
	}
	for _, c := range [][2]string{{"GET", "/api/v1/me/tokens"}, {"POST", "/api/v1/me/tokens"}, {"DELETE", "/api/v1/me/tokens/1"}} {
		table = append(table, row{"", "token", c[0], c[1], `{"name":"x"}`, 401, []string{`"code":"unauthorized"`}, nil})
	}
	sessions := map[string]*browser{}
	for i, r := range table {
		var resp *http.Response
		var got string
		if r.via == "session" {
			b := sessions[r.role]
			if b == nil {
				b = e.browser()
				b.login(e.users[r.role].Username)
				sessions[r.role] = b
			}
			resp, got = b.sessionAPI(r.method, r.path, r.body)
		} else {
			resp, got = e.api(r.method, r.path, r.role, r.body)
		}
		name := strconv.Itoa(i) + " " + r.role + " by " + r.via + " " + r.method + " " + r.path
		if resp.StatusCode != r.status {
			t.Errorf("%s: %d, want %d: %s", name, resp.StatusCode, r.status, got)
			continue
		}
		for _, w := range r.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: body lacks %s: %s", name, w, got)
			}
		}
		for _, a := range r.absent {
			if strings.Contains(got, a) {
				t.Errorf("%s: body has %s: %s", name, a, got)
			}
		}
	}
	// Nothing of anyone's was revoked by another.
	for _, key := range everyRole {
		if resp, _ := e.api("GET", "/api/v1/me", key, ""); resp.StatusCode != 200 {
			t.Errorf("%s's token after the others' tries: %d", key, resp.StatusCode)
		}
	}
}

// A token made through the API works until it expires or is revoked;
// then it answers 401 like an unknown one.
func TestTokenLifecycle(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("liaison_yq")
	var made ducha.Token
	resp, body := b.sessionAPI("POST", "/api/v1/me/tokens", `{"name":"周报","expires":"2026-12-12"}`)
	if resp.StatusCode != 201 || json.Unmarshal([]byte(body), &made) != nil || made.Secret == "" {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	bearer := func(secret string) (int, string) {
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, body := e.send(req)
		return resp.StatusCode, body
	}
	if st, body := bearer(made.Secret); st != 200 || !strings.Contains(body, `"username":"liaison_yq"`) {
		t.Fatalf("new token: %d %s", st, body)
	}
	// The secret is shown once: the list never has it.
	if _, list := b.sessionAPI("GET", "/api/v1/me/tokens", ""); strings.Contains(list, made.Secret) {
		t.Error("the list shows a secret")
	}
	// It stops at the start of 12 December, county time (16:00 UTC the day before).
	e.clock.Add(29*time.Hour + 59*time.Minute) // 2026-12-11 15:59 CST
	if st, _ := bearer(made.Secret); st != 200 {
		t.Errorf("a minute before expiry: %d", st)
	}
	e.clock.Add(10 * time.Hour)
	if st, body := bearer(made.Secret); st != 401 || !strings.Contains(body, "令牌无效或已被撤销") {
		t.Errorf("expired: %d %s", st, body)
	}
	// Revoking: the seeded token revokes itself.
	id := strconv.FormatInt(e.tokenID("liaison"), 10)
	if resp, body := e.api("DELETE", "/api/v1/me/tokens/"+id, "liaison", ""); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api("GET", "/api/v1/me", "liaison", ""); resp.StatusCode != 401 || !strings.Contains(body, "令牌无效或已被撤销") {
		t.Errorf("revoked: %d %s", resp.StatusCode, body)
	}
	b.login("liaison_yq") // the session of two days ago has ended
	if _, list := b.sessionAPI("GET", "/api/v1/me/tokens", ""); !strings.Contains(list, `"revoked_at":"`) || !strings.Contains(list, `"total":2`) {
		t.Errorf("list after revoking: %s", list)
	}
}

// A token's last use is stamped at most once an hour, and not by the
// request: while another connection holds SQLite's write lock, requests
// with a token still answer, and the stamp lands once the lock is gone.
func TestTokenLastUsed(t *testing.T) {
	e := newEnv(t)
	lastUsed := func() *time.Time {
		e.t.Helper()
		e.srv.WaitTokenStamps()
		list, err := e.db.FindTokens(system, e.users["leader"].ID)
		if err != nil {
			t.Fatal(err)
		}
		return list[0].LastUsedAt
	}
	call := func() {
		t.Helper()
		if resp, _ := e.api("GET", "/api/v1/me", "leader", ""); resp.StatusCode != 200 {
			t.Fatalf("call: %d", resp.StatusCode)
		}
	}
	t0 := e.clock.Now()
	for range 3 {
		call()
	}
	if got := lastUsed(); got == nil || !got.Equal(t0) {
		t.Fatalf("after the first calls: %v, want %v", got, t0)
	}
	e.clock.Add(59 * time.Minute)
	call()
	if got := lastUsed(); !got.Equal(t0) {
		t.Errorf("59 minutes on: %v, want still %v", got, t0)
	}
	e.clock.Add(2 * time.Minute)
	call()
	if got := lastUsed(); !got.Equal(t0.Add(61 * time.Minute)) {
		t.Errorf("61 minutes on: %v", got)
	}

	lock, err := sql.Open("sqlite", "file:"+e.db.DSN()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	conn, err := lock.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(2 * time.Hour)
	done := make(chan int, 1)
	go func() {
		resp, _ := e.api("GET", "/api/v1/me", "leader", "")
		done <- resp.StatusCode
	}()
	select {
	case st := <-done:
		if st != 200 {
			t.Errorf("call while the database is locked for writing: %d", st)
		}
	case <-time.After(5 * time.Second):
		t.Error("a request with a token waited for a write")
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(t0.Add(181 * time.Minute)) {
		t.Errorf("stamp after the lock: %v", got)
	}
}

// A new password ends the other sessions and, unless asked not to, the
// tokens; the browser that changed it stays logged in.
func TestPasswordChangeRevokes(t *testing.T) {
	e := newEnv(t)
	works := func(secret string) bool {
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, _ := e.send(req)
		return resp.StatusCode == 200
	}
	extra, err := e.db.CreateToken(system, e.users["coordinator"].ID, "另一个脚本")
	if err != nil {
		t.Fatal(err)
	}
	here, there := e.browser(), e.browser()
	here.login("coord")
	there.login("coord")

	// The API, by session, revoke_tokens left out: all tokens end.
	resp, body := here.sessionAPI("POST", "/api/v1/me/password", `{"current_password":"`+password+`","new_password":"second-pass-1"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}
	if resp, _ := here.get("/api/v1/me"); resp.StatusCode != 200 {
		t.Errorf("the changing browser: %d", resp.StatusCode)
	}
	if resp, _ := there.get("/api/v1/me"); resp.StatusCode != 401 {
		t.Errorf("the other browser: %d", resp.StatusCode)
	}
	if works(e.tokens["coordinator"]) || works(extra.Secret) {
		t.Errorf("tokens after a change: %v %v", works(e.tokens["coordinator"]), works(extra.Secret))
	}

	// revoke_tokens false keeps them.
	kept, _ := e.db.CreateToken(system, e.users["coordinator"].ID, "保留")
	there.loginWith("coord", "second-pass-1")
	resp, body = here.sessionAPI("POST", "/api/v1/me/password", `{"current_password":"second-pass-1","new_password":"third-pass-1","revoke_tokens":false}`)
	if resp.StatusCode != 200 {
		t.Fatalf("change keeping tokens: %d %s", resp.StatusCode, body)
	}
	if !works(kept.Secret) {
		t.Error("revoke_tokens false revoked the token")
	}
	if resp, _ := there.get("/api/v1/me"); resp.StatusCode != 401 {
		t.Errorf("the other browser, tokens kept: %d", resp.StatusCode)
	}

	// By token, default: the calling token stays, the others end.
	other, _ := e.db.CreateToken(system, e.users["coordinator"].ID, "其他")
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/me/password", strings.NewReader(`{"current_password":"third-pass-1","new_password":"fourth-pass-1"}`))
	req.Header.Set("Authorization", "Bearer "+kept.Secret)
	req.Header.Set("Content-Type", "application/json")
	if resp, body := e.send(req); resp.StatusCode != 200 {
		t.Fatalf("change by token: %d %s", resp.StatusCode, body)
	}
	if !works(kept.Secret) || works(other.Secret) {
		t.Errorf("after a change by token: calling %v, other %v", works(kept.Secret), works(other.Secret))
	}
}

// The page asks, ticked by default; unticking keeps the tokens.
func TestPasswordPageTokensBox(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("leader")
	_, page := b.get("/account/password")
	if !strings.Contains(page, `<input type="checkbox" name="revoke_tokens" value="1" checked> 同时撤销我的全部API令牌`) {
		t.Fatalf("no ticked box: %s", mainOf(page))
	}
	form := url.Values{"current_password": {password}, "new_password": {"leader-pass-2"}, "new_password2": {"leader-pass-2"}, "tokens_asked": {"1"}}
	if resp, _ := b.post("/account/password", form); resp.StatusCode != 303 {
		t.Fatalf("change, box unticked: %d", resp.StatusCode)
	}
	if resp, _ := e.api("GET", "/api/v1/me", "leader", ""); resp.StatusCode != 200 {
		t.Errorf("token after a change with the box unticked: %d", resp.StatusCode)
	}
	// A refused form keeps the box as it was sent.
	form = url.Values{"current_password": {"wrong-pass"}, "new_password": {"leader-pass-3"}, "new_password2": {"leader-pass-3"}, "tokens_asked": {"1"}}
	if _, page = b.post("/account/password", form); strings.Contains(page, `value="1" checked>`) {
		t.Error("the refused form ticked the box again")
	}
	form.Set("current_password", "leader-pass-2")
	form.Set("revoke_tokens", "1")
	if resp, _ := b.post("/account/password", form); resp.StatusCode != 303 {
		t.Fatalf("change, box ticked: %d", resp.StatusCode)
	}
	if resp, _ := e.api("GET", "/api/v1/me", "leader", ""); resp.StatusCode != 401 {
		t.Errorf("token after a change with the box ticked: %d", resp.StatusCode)
	}
}
