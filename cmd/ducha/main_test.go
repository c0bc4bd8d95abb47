package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"ducha/internal/pgtest"
)

func TestMain(m *testing.M) {
	// A test that needs ducha as a process of its own (several instances,
	// SIGKILL) runs this test binary again with DUCHA_TEST_CHILD set to
	// the command line, one argument a line.
	if line := os.Getenv("DUCHA_TEST_CHILD"); line != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, strings.Split(line, "\n"), os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

const samples = "../../../shared/samples"

// ducha runs one command line against db and returns its exit status and output.
func runCLI(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), append(args, "--db", db), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, db, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, db, stdin, args...)
	if code != 0 {
		t.Fatalf("ducha %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestBootOnPort0(t *testing.T) {
	var out bytes.Buffer
	m := &Main{Out: &out}
	if err := m.Open(context.Background(), filepath.Join(t.TempDir(), "ducha.db"), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	pw := regexp.MustCompile(`一次性密码 ([A-Za-z0-9_-]+)`).FindStringSubmatch(out.String())
	if pw == nil {
		t.Fatalf("no first admin password printed: %q", out.String())
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(m.HTTP.URL() + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "登录") {
		t.Fatalf("login page: %d %.200s", resp.StatusCode, body)
	}
	login, _ := json.Marshal(map[string]string{"username": "admin", "password": pw[1]})
	resp, err = client.Post(m.HTTP.URL()+"/api/v1/login", "application/json", bytes.NewReader(login))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	// The one-time password must be changed before anything else.
	resp, err = client.Get(m.HTTP.URL() + "/api/v1/problems")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "password_change_required") {
		t.Fatalf("before changing the one-time password: %d %s", resp.StatusCode, body)
	}
	change, _ := json.Marshal(map[string]string{"current_password": pw[1], "new_password": "county-admin-2026"})
	resp, err = client.Post(m.HTTP.URL()+"/api/v1/me/password", "application/json", bytes.NewReader(change))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("change password: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	login, _ = json.Marshal(map[string]string{"username": "admin", "password": "county-admin-2026"})
	resp, err = client.Post(m.HTTP.URL()+"/api/v1/login", "application/json", bytes.NewReader(login))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login with the new password: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	resp, err = client.Get(m.HTTP.URL() + "/api/v1/problems")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []any `json:"items"`
		Total int   `json:"total"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if resp.StatusCode != 200 || list.Total != 0 || list.Items == nil {
		t.Fatalf("problem list: %d %+v", resp.StatusCode, list)
	}
	// A second start on the same store makes no second admin.
	m.Close()
	out.Reset()
	m2 := &Main{Out: &out}
	if err := m2.Open(context.Background(), m.DB.DSN(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if strings.Contains(out.String(), "一次性密码") {
		t.Fatalf("second start printed a password again")
	}
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	if out := mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv")); !strings.Contains(out, "新增33个") {
		t.Fatalf("unit import: %q", out)
	}
	mustRun(t, db, "", "campaign", "add", "--name", "第三轮中央生态环境保护督察", "--team", "中央第三生态环境保护督察组", "--start", "2026-12-01", "--end", "2026-12-31")
	mustRun(t, db, "s3cret-password\n", "user", "add", "--username", "yq", "--role", "unit_liaison", "--unit", "永清镇", "--password-stdin")
	if code, _, errOut := runCLI(t, db, "s3cret-password\n", "user", "add", "--username", "x", "--role", "unit_liaison", "--password-stdin"); code != 1 || !strings.Contains(errOut, "必须属于一个单位") {
		t.Fatalf("liaison without unit: %d %q", code, errOut)
	}
	token := strings.TrimSpace(mustRun(t, db, "", "token", "create", "--username", "yq"))
	if len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	out := mustRun(t, db, "", "import", "ledger", filepath.Join(samples, "ledger.xlsx"), "--format", "json")
	var res struct{ Created int }
	if json.Unmarshal([]byte(out), &res); res.Created != 20 {
		t.Fatalf("import ledger: %q", out)
	}
	xlsx := filepath.Join(dir, "out.xlsx")
	mustRun(t, db, "", "export", "ledger", "--out", xlsx)
	if st, err := os.Stat(xlsx); err != nil || st.Size() < 5000 {
		t.Fatalf("export: %v", err)
	}
	// The export imports into a fresh store.
	db2 := filepath.Join(dir, "second.db")
	mustRun(t, db2, "", "unit", "import", filepath.Join(samples, "units.csv"))
	if out := mustRun(t, db2, "", "import", "ledger", xlsx); !strings.Contains(out, "新增20条") {
		t.Fatalf("re-import: %q", out)
	}
	// Bad input: exit 1, the row named, nothing changed.
	code, _, errOut := runCLI(t, db2, "", "import", "ledger", filepath.Join(samples, "units.csv"))
	if code != 1 || !strings.Contains(errOut, "问题描述") {
		t.Fatalf("wrong file: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, db, "", "import", "ledger"); code != 1 {
		t.Fatalf("usage error: exit %d", code)
	}
	if code, _, _ := runCLI(t, db, "", "frobnicate"); code != 1 {
		t.Fatalf("unknown command: exit %d", code)
	}

	if out := mustRun(t, db, "", "import", "cases", filepath.Join(samples, "cases-batch-03.xlsx")); !strings.Contains(out, "第3批（2026-12-08）导入完成：新增12件") {
		t.Fatalf("import cases: %q", out)
	}
	// Nothing is published yet: the table has its header and no case.
	disclosure := filepath.Join(dir, "disclosure.xlsx")
	if out := mustRun(t, db, "", "export", "disclosure", "--batch", "3", "--out", disclosure); !strings.Contains(out, "（0件已公开）") {
		t.Fatalf("export disclosure: %q", out)
	}
	if st, err := os.Stat(disclosure); err != nil || st.Size() < 3000 {
		t.Fatalf("disclosure file: %v", err)
	}
	if out := mustRun(t, db, "", "audit", "verify"); !strings.Contains(out, "审计链完整") {
		t.Fatalf("audit verify: %q", out)
	}
	backup := filepath.Join(dir, "backup.gz")
	mustRun(t, db, "", "backup", "--out", backup)
	restored := filepath.Join(dir, "restored.db")
	mustRun(t, restored, "", "restore", backup)
	if out := mustRun(t, restored, "", "audit", "verify", "--format", "json"); !strings.Contains(out, `"ok": true`) {
		t.Fatalf("restored chain: %q", out)
	}
	if code, _, errOut := runCLI(t, restored, "", "restore", backup); code != 1 || !strings.Contains(errOut, "空库") {
		t.Fatalf("restore into non-empty: %d %q", code, errOut)
	}

	// Someone edits an event directly: verify fails and names it.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET note = 'tampered' WHERE id = 40`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errOut = runCLI(t, db, "", "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "事件40") {
		t.Fatalf("tampered chain: exit %d %q", code, errOut)
	}
}
