package http_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// postMultipart sends a multipart form as a same-origin browser would.
func (b *browser) postMultipart(path, name string, data []byte, fields ...string) (*http.Response, string) {
	b.e.t.Helper()
	body, ct := multipartForm(b.e.t, name, data, fields...)
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// The pages: the coordinator uploads the seed from the library's form and
// reads it; a liaison searches it in traditional script, sees no upload
// form; the request list walks one item from the coordinator's form
// through the unit's supply to the check and the hand-over, its due date
// warned in colour and in words.
func TestDocumentPages(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents, e.srv.Requests, e.srv.Inbox = e.db, e.db, e.db
	coord, liaison := e.browser(), e.browser()
	coord.login("coord")
	liaison.login("liaison_yq")

	resp, page := coord.get("/documents")
	if resp.StatusCode != 200 || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `href="/documents">文件库</a>`) ||
		!strings.Contains(page, `href="/requests">调阅清单</a>`) {
		t.Fatalf("documents page: %d %s", resp.StatusCode, page)
	}
	resp, page = coord.postMultipart("/documents", "报告.pdf", []byte("%PDF-1.4"), "kind", "other")
	if resp.StatusCode != 400 || !strings.Contains(page, "不支持文件“报告.pdf”的格式") || !strings.Contains(page, `<details class="action" open`) {
		t.Errorf("refused upload: %d %s", resp.StatusCode, page)
	}
	resp, _ = coord.postMultipart("/documents", "000_8b6ba32736468a24.txt", seedBytes(t), "kind", "minutes", "title", "清水县动员会议报道")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !regexp.MustCompile(`^/documents/\d+$`).MatchString(loc) {
		t.Fatalf("upload: %d %s", resp.StatusCode, loc)
	}
	resp, page = liaison.get(loc)
	if resp.StatusCode != 200 || !strings.Contains(page, "<h1>清水县动员会议报道</h1>") || !strings.Contains(page, "建立健全问题台账和整改台账") ||
		!strings.Contains(page, `href="/api/v1/documents/`) || strings.Contains(page, "臺") || !strings.Contains(page, "会议纪要") {
		t.Errorf("document page: %d %s", resp.StatusCode, page)
	}
	resp, page = liaison.get("/documents?q=" + url.QueryEscape("問題臺賬"))
	if resp.StatusCode != 200 || !strings.Contains(page, "清水县动员会议报道") || strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Errorf("liaison's search: %d %s", resp.StatusCode, page)
	}
	if _, page = liaison.get("/documents?q=" + url.QueryEscape("油烟扰民")); strings.Contains(page, "清水县动员会议报道") {
		t.Errorf("a search that should find nothing found the seed")
	}
	if resp, _ := liaison.postMultipart("/documents", "a.txt", []byte("x")); resp.StatusCode != 403 {
		t.Errorf("liaison uploads: %d", resp.StatusCode)
	}

	// The request list.
	resp, page = coord.post("/requests", url.Values{"item": {"砖厂扬尘整治台账"}, "unit": {"永清镇"}, "due": {"2026-12-01"}})
	if resp.StatusCode != 400 || !strings.Contains(page, "提供期限不能早于今天") {
		t.Errorf("past due: %d", resp.StatusCode)
	}
	if resp, _ = coord.post("/requests", url.Values{"item": {"砖厂扬尘整治台账"}, "unit": {"永清镇"}, "due": {"2026-12-12"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	resp, page = liaison.get("/requests")
	if resp.StatusCode != 200 || !strings.Contains(page, "砖厂扬尘整治台账") || !strings.Contains(page, `class="badge warn-yellow">黄色预警`) ||
		!strings.Contains(page, "/actions/supply") || strings.Contains(page, "/actions/check") || strings.Contains(page, `method="post" action="/requests"`) {
		t.Fatalf("liaison's list: %d %s", resp.StatusCode, page)
	}
	id := regexp.MustCompile(`/requests/(\d+)/actions/supply`).FindStringSubmatch(page)[1]
	if _, page := liaison.get("/inbox"); !strings.Contains(page, "待提供资料") || !strings.Contains(page, `href="/requests#request-`+id+`"`) {
		t.Errorf("liaison's inbox lacks the request: %s", page)
	}
	if resp, page := liaison.postMultipart("/requests/"+id+"/actions/supply", "台账.txt", []byte("台账"), "note", "原件在镇"); resp.StatusCode != 303 {
		t.Fatalf("supply: %d %s", resp.StatusCode, page)
	}
	_, page = coord.get("/requests")
	if !strings.Contains(page, "/actions/check") || !strings.Contains(page, `/api/v1/requests/`+id+`/file">台账.txt`) || !strings.Contains(page, "待审核") {
		t.Errorf("coordinator's list after supply: %s", page)
	}
	if _, page := coord.get("/inbox"); !strings.Contains(page, "资料待审核") {
		t.Errorf("coordinator's inbox lacks the supplied request")
	}
	resp, page = coord.post("/requests/"+id+"/actions/check", url.Values{"authentic": {"1"}})
	if resp.StatusCode != 400 || !strings.Contains(page, "与原件一致") {
		t.Errorf("check without consistent: %d", resp.StatusCode)
	}
	if resp, _ := coord.post("/requests/"+id+"/actions/check", url.Values{"authentic": {"1"}, "consistent": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("check: %d", resp.StatusCode)
	}
	if resp, _ := coord.post("/requests/"+id+"/actions/hand_over", url.Values{"to": {"中央第三生态环境保护督察组"}}); resp.StatusCode != 303 {
		t.Fatalf("hand over: %d", resp.StatusCode)
	}
	_, page = liaison.get("/requests")
	if !strings.Contains(page, "已移交：中央第三生态环境保护督察组") || !strings.Contains(page, "经审核真实、统一") || strings.Contains(page, "/actions/supply") ||
		strings.Contains(page, "warn-yellow") {
		t.Errorf("list after hand-over: %s", page)
	}
	// The due day is typed as offices write it; a wrong one is refused
	// beside its field with what was typed.
	resp, page = coord.post("/requests", url.Values{"item": {"油烟整治台账"}, "unit": {"永清镇"}, "due": {badDay}})
	if resp.StatusCode != 400 {
		t.Errorf("due %s: %d", badDay, resp.StatusCode)
	}
	dateBeside(t, page, "due", badDay, refusedDay("提供期限"))
	if resp, _ = coord.post("/requests", url.Values{"item": {"油烟整治台账"}, "unit": {"永清镇"}, "due": {"2026年12月13日"}}); resp.StatusCode != 303 {
		t.Fatalf("add with a typed day: %d", resp.StatusCode)
	}
	if _, page = coord.get("/requests"); !strings.Contains(page, "2026年12月13日") {
		t.Errorf("the typed due day is not on the list:\n%s", mainOf(page))
	}
	if resp, _ := e.browser().get("/requests"); resp.StatusCode != 303 && resp.StatusCode != 401 {
		t.Errorf("nobody's list: %d", resp.StatusCode)
	}
}

// TestDocumentRoutePermissions pins the permission each document and
// request route declares.
func TestDocumentRoutePermissions(t *testing.T) {
	want := map[string]ducha.Permission{
		"GET /api/v1/documents":                       ducha.PermRead,
		"POST /api/v1/documents":                      ducha.PermRegister,
		"GET /api/v1/documents/{id}":                  ducha.PermRead,
		"GET /api/v1/documents/{id}/original":         ducha.PermRead,
		"GET /api/v1/requests":                        ducha.PermRead,
		"POST /api/v1/requests":                       ducha.PermRegister,
		"GET /api/v1/requests/{id}":                   ducha.PermRead,
		"GET /api/v1/requests/{id}/events":            ducha.PermRead,
		"GET /api/v1/requests/{id}/file":              ducha.PermRead,
		"POST /api/v1/requests/{id}/actions/{action}": ducha.PermWork,
		"GET /documents":                              ducha.PermRead,
		"POST /documents":                             ducha.PermRegister,
		"GET /documents/{id}":                         ducha.PermRead,
		"GET /requests":                               ducha.PermRead,
		"POST /requests":                              ducha.PermRegister,
		"POST /requests/{id}/actions/{action}":        ducha.PermWork,
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
