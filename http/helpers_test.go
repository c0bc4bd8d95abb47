package http_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ducha"
	dhttp "ducha/http"
	"ducha/store"
)

// password is every seeded user's password.
const password = "county-pass-2026"

// clock is a settable clock shared by the store and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a real store on a SQLite file behind a real server.
type env struct {
	t      *testing.T
	db     *store.DB
	srv    *dhttp.Server
	ts     *httptest.Server
	clock  *clock
	units  map[string]*ducha.Unit    // by name
	users  map[string]*ducha.User    // by role key
	tokens map[string]string         // by role key
	probs  map[string]*ducha.Problem // own, other, pending, coop, registered
}

// Role keys: one user per role; liaison and head belong to 永清镇 (unit A),
// liaison_b to 林城镇 (unit B).
var roleUsers = []struct {
	key, username string
	role          ducha.Role
	unit          string
}{
	{"admin", "admin", ducha.RoleAdmin, ""},
	{"coordinator", "coord", ducha.RoleCoordinator, ""},
	{"liaison", "liaison_yq", ducha.RoleUnitLiaison, "永清镇"},
	{"head", "head_yq", ducha.RoleUnitHead, "永清镇"},
	{"discipline", "jijian", ducha.RoleDiscipline, ""},
	{"leader", "leader", ducha.RoleLeader, ""},
	{"liaison_b", "liaison_lc", ducha.RoleUnitLiaison, "林城镇"},
}

var system = ducha.NewContextWithUser(context.Background(), ducha.SystemUser)

type testLog struct{ t *testing.T }

func (w testLog) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with a last say over the server before it is built.
func newEnvWith(t *testing.T, configure func(s *dhttp.Server)) *env {
	t.Helper()
	start, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-10 10:00", ducha.Location)
	c := &clock{t: start}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ducha.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, clock: c, units: map[string]*ducha.Unit{}, users: map[string]*ducha.User{},
		tokens: map[string]string{}, probs: map[string]*ducha.Problem{}}
	e.seed()

	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments, s.Publicity = db, db, db, db, db, db, db
	s.Now = c.Now
	s.Logger = slog.New(slog.NewTextHandler(testLog{t}, nil))
	// The caller's export: here the codes the acting user may see, one a line.
	s.ExportLedger = func(ctx context.Context, f ducha.ProblemFilter, w io.Writer) error {
		f.Offset, f.Limit = 0, ducha.MaxPerPage
		ps, _, err := db.FindProblems(ctx, f)
		if err != nil {
			return err
		}
		for _, p := range ps {
			fmt.Fprintln(w, p.Code)
		}
		return nil
	}
	if configure != nil {
		configure(s)
	}
	e.srv = s
	e.ts = httptest.NewServer(s.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

func (e *env) seed() {
	t := e.t
	units := []*ducha.Unit{
		{Name: "永清镇", Kind: ducha.UnitTownship},
		{Name: "林城镇", Kind: ducha.UnitTownship},
		{Name: "县生态环境局", Kind: ducha.UnitDepartment, Member: true},
	}
	if _, _, err := e.db.ImportUnits(system, units); err != nil {
		t.Fatalf("seed units: %v", err)
	}
	for _, u := range units {
		e.units[u.Name] = u
	}
	if err := e.db.CreateCampaign(system, &ducha.Campaign{Name: "第三轮中央生态环境保护督察", Start: "2026-12-01", End: "2026-12-31"}); err != nil {
		t.Fatalf("seed campaign: %v", err)
	}
	for _, ru := range roleUsers {
		u := &ducha.User{Username: ru.username, DisplayName: ru.username, Role: ru.role}
		if ru.unit != "" {
			u.UnitID = e.units[ru.unit].ID
		}
		if err := e.db.CreateUser(system, u, password); err != nil {
			t.Fatalf("seed user %s: %v", ru.username, err)
		}
		tok, err := e.db.CreateToken(system, u.ID, "test")
		if err != nil {
			t.Fatalf("token %s: %v", ru.username, err)
		}
		e.users[ru.key], e.tokens[ru.key] = u, tok.Secret
	}
	e.probs["own"] = e.problem("永清镇砖厂扬尘污染", "永清镇", nil, ducha.ActPlan)
	e.probs["other"] = e.problem("林城镇养殖场污水直排", "林城镇", nil, ducha.ActPlan)
	e.probs["pending"] = e.problem("永清镇河道垃圾", "永清镇", nil, ducha.ActPlan, ducha.ActApplyClosure)
	e.probs["coop"] = e.problem("林城镇与永清镇交界处堆放固废", "林城镇", []string{"永清镇"}, ducha.ActPlan)
	e.probs["registered"] = e.problem("县城餐饮油烟扰民", "", nil)
}

// problem registers a problem as the system and runs the actions on it.
func (e *env) problem(desc, lead string, coop []string, actions ...string) *ducha.Problem {
	e.t.Helper()
	p := &ducha.Problem{Source: "自查发现", Description: desc, Area: lead, Types: []string{"大气"}}
	if err := e.db.CreateProblem(system, p); err != nil {
		e.t.Fatalf("create problem: %v", err)
	}
	for _, a := range actions {
		in := ducha.ProblemAction{Action: a, Version: p.Version}
		switch a {
		case ducha.ActPlan:
			in.LeadUnit, in.Person, in.Measures, in.Deadline = ducha.UnitRef(lead), "张三", "清理整治", "2026-12-20"
			in.CoopUnits = []ducha.UnitRef{}
			for _, c := range coop {
				in.CoopUnits = append(in.CoopUnits, ducha.UnitRef(c))
			}
		case ducha.ActApplyClosure:
			in.Text = "已整改完毕"
		}
		var err error
		if p, err = e.db.ActOnProblem(system, p.ID, in); err != nil {
			e.t.Fatalf("%s: %v", a, err)
		}
	}
	return p
}

// current reads a problem afresh as the system.
func (e *env) current(key string) *ducha.Problem {
	e.t.Helper()
	p, err := e.db.FindProblemByID(system, e.probs[key].ID)
	if err != nil {
		e.t.Fatalf("read %s: %v", key, err)
	}
	return p
}

// api sends a request as the role (by Bearer token; "" for nobody).
func (e *env) api(method, path, role, body string, header ...string) (*http.Response, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

// browser is a cookie-keeping client that does not follow redirects, so
// tests see each 303.
type browser struct {
	e      *env
	client *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.e.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.ts.URL+path, nil)
	return b.do(req)
}

// post sends a form as a same-origin browser would.
func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// login logs in through the form and checks the redirect.
func (b *browser) login(username string) { b.e.t.Helper(); b.loginWith(username, password) }

// loginWith logs in through the form with a password of the test's choice.
func (b *browser) loginWith(username, pass string) {
	b.e.t.Helper()
	resp, body := b.post("/login", url.Values{"username": {username}, "password": {pass}, "next": {"/problems"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/problems" {
		b.e.t.Fatalf("login %s: %d %s %s", username, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// cookie is the value of the browser's cookie name, "" when it has none.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.ts.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// hidden returns the value of the hidden version field in the form that
// posts to action.
func hidden(t *testing.T, page, action string) string {
	t.Helper()
	re := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `">\s*<input type="hidden" name="version" value="(\d+)">`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s in page", action)
	}
	return m[1]
}

// runScenarios sends each row of a scenario table as its role and checks the
// status, the fragments the body must hold and must not hold (placeholders
// filled by expand), and the answer's type with checkType.
func runScenarios(t *testing.T, e *env, table []scenario, expand func(string) string,
	checkType func(t *testing.T, name, path string, resp *http.Response, body string)) {
	t.Helper()
	for i, sc := range table {
		path, body := expand(sc.path), expand(sc.body)
		resp, got := e.api(sc.method, path, sc.role, body)
		name := strconv.Itoa(i) + " " + sc.role + " " + sc.method + " " + path + " " + body
		if resp.StatusCode != sc.status {
			t.Errorf("%s: status %d, want %d: %s", name, resp.StatusCode, sc.status, got)
			continue
		}
		for _, w := range sc.want {
			if w = expand(w); !strings.Contains(got, w) {
				t.Errorf("%s: body lacks %s: %s", name, w, got)
			}
		}
		for _, a := range sc.absent {
			if a = expand(a); strings.Contains(got, a) {
				t.Errorf("%s: body has %s: %s", name, a, got)
			}
		}
		checkType(t, name, path, resp, got)
	}
}

const jsonType = "application/json; charset=utf-8"

// alwaysJSON: every answer is JSON.
func alwaysJSON(t *testing.T, name, _ string, resp *http.Response, _ string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != jsonType {
		t.Errorf("%s: content type %q", name, ct)
	}
}

// jsonUnlessXLSX: API answers are JSON except the xlsx downloads (whose
// body here is the test server's stand-in export).
func jsonUnlessXLSX(t *testing.T, name, path string, resp *http.Response, _ string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(path, "/api/") && ct != jsonType && !strings.HasSuffix(path, ".xlsx") {
		t.Errorf("%s: content type %q", name, ct)
	}
}

// xlsxOrJSON: a successful xlsx download is a real workbook; every other
// answer is JSON.
func xlsxOrJSON(t *testing.T, name, path string, resp *http.Response, body string) {
	t.Helper()
	ct := resp.Header.Get("Content-Type")
	if strings.HasSuffix(strings.SplitN(path, "?", 2)[0], ".xlsx") && resp.StatusCode == 200 {
		if ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !strings.HasPrefix(body, "PK") {
			t.Errorf("%s: not an xlsx: %q", name, ct)
		}
	} else if ct != jsonType {
		t.Errorf("%s: content type %q", name, ct)
	}
}

// sheetRows opens an xlsx answer and reads the rows of its first sheet.
func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
