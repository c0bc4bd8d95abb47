package http_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// TestRoutePermissions pins the permission each route declares, so that a
// guard cannot be dropped unnoticed even where the store would catch it.
func TestRoutePermissions(t *testing.T) {
	want := map[string]ducha.Permission{
		"POST /api/v1/login":                          dhttp.PermPublic,
		"POST /api/v1/logout":                         dhttp.PermPublic,
		"GET /api/v1/me":                              ducha.PermRead,
		"POST /api/v1/me/password":                    ducha.PermRead,
		"GET /account/password":                       ducha.PermRead,
		"POST /account/password":                      ducha.PermRead,
		"GET /api/v1/openapi.json":                    dhttp.PermPublic,
		"GET /api/v1/problems":                        ducha.PermRead,
		"POST /api/v1/problems":                       ducha.PermRegister,
		"GET /api/v1/problems/{id}":                   ducha.PermRead,
		"PATCH /api/v1/problems/{id}":                 ducha.PermRegister,
		"POST /api/v1/problems/{id}/actions/{action}": ducha.PermWork,
		"GET /api/v1/problems/{id}/events":            ducha.PermRead,
		"POST /api/v1/problems/{id}/attachments":      ducha.PermWork,
		"GET /api/v1/attachments/{id}":                ducha.PermRead,
		"GET /api/v1/units":                           ducha.PermRead,
		"GET /api/v1/exports/ledger.xlsx":             ducha.PermExport,
		"POST /api/v1/imports/ledger":                 ducha.PermRegister,
		"GET /problems":                               ducha.PermRead,
		"GET /problems/new":                           ducha.PermRegister,
		"POST /problems/new":                          ducha.PermRegister,
		"GET /problems/{id}":                          ducha.PermRead,
		"POST /problems/{id}/actions/{action}":        ducha.PermWork,
		"POST /problems/{id}/attachments":             ducha.PermWork,
		"GET /api/v1/enterprises":                     ducha.PermRead,
		"GET /api/v1/enterprises/{id}":                ducha.PermRead,
		"POST /api/v1/cases/{id}/problems":            ducha.PermRegister,
		"GET /enterprises":                            ducha.PermRead,
		"GET /enterprises/{id}":                       ducha.PermRead,
		"POST /cases/{id}/problems":                   ducha.PermRegister,
		"GET /api/v1/accountability":                  ducha.PermRead,
		"POST /api/v1/accountability":                 ducha.PermAccountability,
		"GET /api/v1/accountability/{id}":             ducha.PermRead,
		"PATCH /api/v1/accountability/{id}":           ducha.PermAccountability,
		"GET /api/v1/accountability/{id}/events":      ducha.PermRead,
		"GET /api/v1/reports/discipline":              ducha.PermOversee,
		"GET /api/v1/exports/referral.xlsx":           ducha.PermAccountability,
	}
	got := map[string]ducha.Permission{}
	for _, r := range dhttp.NewServer().Routes() {
		got[r.Method+" "+r.Path] = r.Permission
	}
	for k, p := range want {
		if g, ok := got[k]; !ok || g != p {
			t.Errorf("%s: permission %q (registered %v), want %q", k, g, ok, p)
		}
	}
}

// TestOpenAPICoversRoutes checks that the served document describes every
// registered /api/v1 route.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newEnv(t)
	resp, body := e.api("GET", "/api/v1/openapi.json", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi: %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("openapi is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	n := 0
	for _, r := range e.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		n++
		if _, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	if n < 15 {
		t.Errorf("only %d API routes registered", n)
	}
	// And the document describes nothing that is not served.
	served := map[string]bool{}
	for _, r := range e.srv.Routes() {
		served[strings.ToLower(r.Method)+" "+r.Path] = true
	}
	for path, ops := range doc.Paths {
		for op := range ops {
			if op != "parameters" && !served[op+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not registered", op, path)
			}
		}
	}
}

func TestOpenOnPortZero(t *testing.T) {
	e := newEnv(t)
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = e.db, e.db, e.db, e.db, e.db, e.db
	s.Addr = "127.0.0.1:0"
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if s.Port() == 0 || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("port %d url %s", s.Port(), s.URL())
	}
	resp, err := http.Get(s.URL() + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "登录") {
		t.Fatalf("login page: %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(s.URL() + "/login"); err == nil {
		t.Fatal("still serving after Close")
	}
}

func TestAttachments(t *testing.T) {
	e := newEnv(t)
	png := []byte{0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
		0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 0x49, 0x44, 0x41, 0x54,
		0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82}
	upload := func(role, key, name string, data []byte) (*http.Response, string) {
		body, ctype := multipartFile(t, name, data)
		req, _ := http.NewRequest("POST", e.ts.URL+e.expand("/api/v1/problems/{"+key+"}/attachments"), strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
		return e.send(req)
	}
	resp, body := upload("liaison", "own", "现场照片.png", png)
	if resp.StatusCode != 201 || !strings.Contains(body, `"content_type":"image/png"`) || !strings.Contains(body, `"uploaded_by":"liaison_yq"`) {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	var a ducha.Attachment
	_ = json.Unmarshal([]byte(body), &a)
	path := "/api/v1/attachments/" + strings.TrimPrefix(resp.Header.Get("Location"), "/api/v1/attachments/")
	resp, got := e.api("GET", path, "head", "")
	if resp.StatusCode != 200 || got != string(png) || resp.Header.Get("Content-Type") != "image/png" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := e.api("GET", path, "liaison_b", ""); resp.StatusCode != 404 {
		t.Errorf("other unit downloads: %d", resp.StatusCode)
	}
	if resp, body := upload("liaison", "other", "x.png", png); resp.StatusCode != 404 {
		t.Errorf("upload to other unit: %d %s", resp.StatusCode, body)
	}
	if resp, _ := upload("leader", "own", "x.png", png); resp.StatusCode != 403 {
		t.Errorf("leader upload: %d", resp.StatusCode)
	}
	if resp, body := upload("liaison", "own", "run.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")); resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("executable: %d %s", resp.StatusCode, body)
	}
	big := make([]byte, ducha.MaxAttachmentSize+2<<20)
	copy(big, png)
	if resp, body := upload("liaison", "own", "big.png", big); resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("too big: %d %s", resp.StatusCode, body)
	}
	// The detail page lists it with a download link.
	b := e.browser()
	b.login("liaison_yq")
	_, page := b.get(e.expand("/problems/{own}"))
	if !strings.Contains(page, `<a href="`+path+`">现场照片.png</a>`) {
		t.Errorf("page lacks the attachment")
	}
}
