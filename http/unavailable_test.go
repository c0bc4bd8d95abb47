package http_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
	"ducha/internal/pgtest"
	"ducha/store"
)

// TestDatabaseOutage: while PostgreSQL is down every request that needs it
// answers 503 with a Chinese message (JSON under /api/, a page elsewhere),
// a logged-in user is not logged out by it, and once the database is back
// the same session works again.
func TestDatabaseOutage(t *testing.T) {
	cluster := pgtest.Private(t)
	dsn, err := cluster.CreateDB("outage")
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateUser(system, &ducha.User{Username: "coord", Role: ducha.RoleCoordinator}, password); err != nil {
		t.Fatal(err)
	}
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = db, db, db, db, db, db
	s.Logger = slog.New(slog.NewTextHandler(testLog{t}, nil))
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := do("POST", "/api/v1/login", `{"username":"coord","password":"`+password+`"}`); resp.StatusCode != 200 {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	if err := cluster.Halt(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/me", ""},
		{"GET", "/api/v1/problems", ""},
		{"POST", "/api/v1/problems", `{"description":"扬尘","version":0}`},
		{"POST", "/api/v1/login", `{"username":"coord","password":"` + password + `"}`},
		{"GET", "/problems", ""},
	} {
		resp, body := do(c.method, c.path, c.body)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "数据库暂时无法连接") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d %q", c.method, c.path, resp.StatusCode, body)
		}
	}
	if err := cluster.Resume(); err != nil {
		t.Fatal(err)
	}
	if resp, body := do("GET", "/api/v1/me", ""); resp.StatusCode != 200 || !strings.Contains(body, `"coord"`) {
		t.Fatalf("after the outage the session should still work: %d %s", resp.StatusCode, body)
	}
}
