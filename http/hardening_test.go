package http_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ducha"
	"ducha/excel/exceltest"
	dhttp "ducha/http"
)

// serve runs one request through the server's handler, as role (by Bearer
// token; "" for nobody).
func (e *env) serve(method, path, role string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// uploadBody is a multipart body with the field "file" (and the extra
// fields), and its content type.
func uploadBody(t *testing.T, name string, data []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// countingBody is a request body of size bytes (a multipart envelope
// around x's) that counts what the server read of it.
type countingBody struct {
	r    io.Reader
	read atomic.Int64
}

func newCountingBody(t *testing.T, size int) (*countingBody, string) {
	data, ct := uploadBody(t, "photo.png", bytes.Repeat([]byte("x"), size))
	return &countingBody{r: bytes.NewReader(data)}, ct
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

// stallingBody sends head, then holds the body open until released: a
// client sending its upload a byte at a time. waiting is closed when the
// server has read head and asks for more.
type stallingBody struct {
	head    *bytes.Reader
	waiting chan struct{}
	release chan struct{}
	once    sync.Once
}

func newStallingBody(head []byte) *stallingBody {
	return &stallingBody{head: bytes.NewReader(head), waiting: make(chan struct{}), release: make(chan struct{})}
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if b.head.Len() > 0 {
		return b.head.Read(p)
	}
	b.once.Do(func() { close(b.waiting) })
	<-b.release
	return 0, io.ErrUnexpectedEOF // the client gave up
}

// A login form of 1 MB is refused with its bound, having read no more than
// the bound: the heap does not grow by the body's size.
func TestLoginFormBounded(t *testing.T) {
	e := newEnv(t)
	body := "username=coord&password=" + strings.Repeat("x", 1<<20) + "&next=/problems"
	var rec *httptest.ResponseRecorder
	alloc := exceltest.Alloc(func() {
		rec = e.serve("POST", "/login", "", strings.NewReader(body), "Content-Type", "application/x-www-form-urlencoded")
	})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "表单超过64KB上限") {
		t.Errorf("a 1 MB login form: %d %s", rec.Code, rec.Body)
	}
	t.Logf("a refused 1 MB login form: %d KB allocated", alloc>>10)
	// Unbounded, ParseForm read it all: 23 MB allocated.
	if alloc >= uint64(len(body)) {
		t.Errorf("a refused 1 MB login form allocated %d KB: it was read", alloc>>10)
	}
	// A login form of ordinary size still logs in.
	rec = e.serve("POST", "/login", "", strings.NewReader("username=coord&password="+password+"&next=/problems"),
		"Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != 303 || rec.Header().Get("Location") != "/problems" {
		t.Errorf("an ordinary login form: %d %s", rec.Code, rec.Body)
	}
}

// While one client holds its upload body open, the import slot is free:
// ledger, batch and unit imports by others succeed at once.
func TestSlowUploadHoldsNoImportSlot(t *testing.T) {
	e := newImportEnv(t, 200*time.Millisecond, func(ctx context.Context, r io.Reader, name string) (ducha.ImportResult, error) {
		return ducha.ImportResult{Created: 1}, nil
	})
	e.srv.ImportUnits = func(ctx context.Context, r io.Reader, name string) (int, int, error) { return 1, 0, nil }
	full, ct := uploadBody(t, "slow.csv", bytes.Repeat([]byte("x"), 64<<10))
	slow := newStallingBody(full[:len(full)/2])
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		done <- e.serve("POST", "/api/v1/imports/ledger", "coordinator", slow, "Content-Type", ct)
	}()
	<-slow.waiting
	ledger, lct := uploadBody(t, "a.csv", []byte("x"))
	if rec := e.serve("POST", "/api/v1/imports/ledger", "coordinator", bytes.NewReader(ledger), "Content-Type", lct); rec.Code != 200 {
		t.Errorf("a ledger import beside a slow upload: %d %s", rec.Code, rec.Body)
	}
	batch, bct := uploadBody(t, "第1批.csv", []byte("序号,受理编号,交办问题基本情况,行政区域\n1,D3SX202612080001,永清镇某砖厂夜间生产噪声扰民,永清镇\n"), "date", "2026-12-08")
	if rec := e.serve("POST", "/api/v1/batches", "coordinator", bytes.NewReader(batch), "Content-Type", bct); rec.Code != 201 {
		t.Errorf("a batch import beside a slow upload: %d %s", rec.Code, rec.Body)
	}
	units, uct := uploadBody(t, "units.csv", []byte("x"))
	if rec := e.serve("POST", "/admin/units/import", "admin", bytes.NewReader(units), "Content-Type", uct); rec.Code != 200 {
		t.Errorf("a unit import beside a slow upload: %d %.300s", rec.Code, rec.Body)
	}
	close(slow.release)
	if rec := <-done; rec.Code != 400 {
		t.Errorf("the upload that gave up: %d %s", rec.Code, rec.Body)
	}
}

// A client still sending its upload when uploadTimeout has passed is cut
// off: the server answers and closes, rather than wait for it.
func TestSlowUploadCutOff(t *testing.T) {
	defer dhttp.SetUploadTimeout(300 * time.Millisecond)()
	e := newImportEnv(t, 0, func(ctx context.Context, r io.Reader, name string) (ducha.ImportResult, error) {
		return ducha.ImportResult{Created: 1}, nil
	})
	full, ct := uploadBody(t, "slow.csv", bytes.Repeat([]byte("x"), 64<<10))
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/imports/ledger HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		e.tokens["coordinator"], ct, len(full))
	conn.Write(full[:1000]) // and nothing more
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "仍未完成") {
		t.Errorf("a stalled upload: %d %s", resp.StatusCode, body)
	}
}

// An upload to another unit's problem answers 404 before a byte of its
// body is read, on the API and on the page; the own unit's problem reads
// every byte.
func TestAttachmentScopeBeforeBody(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/problems/{other}/attachments", "/problems/{other}/attachments"} {
		body, ct := newCountingBody(t, ducha.MaxAttachmentSize-1<<10)
		rec := e.serve("POST", e.expand(path), "liaison", body, "Content-Type", ct)
		if rec.Code != 404 || body.read.Load() != 0 {
			t.Errorf("%s, another unit's problem: %d, %d bytes of the body read; want 404 and none", path, rec.Code, body.read.Load())
		}
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	data, ct := uploadBody(t, "photo.png", png)
	body := &countingBody{r: bytes.NewReader(data)}
	if rec := e.serve("POST", e.expand("/api/v1/problems/{own}/attachments"), "liaison", body, "Content-Type", ct); rec.Code != 201 || body.read.Load() != int64(len(data)) {
		t.Errorf("own unit's problem: %d, %d of %d bytes read: %s", rec.Code, body.read.Load(), len(data), rec.Body)
	}
}

// blockingAttachments holds every AddAttachment until released.
type blockingAttachments struct {
	ducha.AttachmentService
	inside  chan struct{}
	release chan struct{}
}

func (b *blockingAttachments) AddAttachment(ctx context.Context, a *ducha.Attachment) error {
	b.inside <- struct{}{}
	<-b.release
	return b.AttachmentService.AddAttachment(ctx, a)
}

// Attachment uploads are bounded per server: while MaxAttachmentUploads
// are being stored, another waits briefly and answers 429.
func TestAttachmentUploadSlots(t *testing.T) {
	defer dhttp.SetAttachmentWait(50 * time.Millisecond)()
	att := &blockingAttachments{inside: make(chan struct{}), release: make(chan struct{})}
	e := newEnvWith(t, func(s *dhttp.Server) {
		att.AttachmentService = s.Attachments
		s.Attachments = att
	})
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	upload := func() *httptest.ResponseRecorder {
		data, ct := uploadBody(t, "photo.png", png)
		return e.serve("POST", e.expand("/api/v1/problems/{own}/attachments"), "liaison", bytes.NewReader(data), "Content-Type", ct)
	}
	codes := make(chan int, dhttp.MaxAttachmentUploads)
	for range dhttp.MaxAttachmentUploads {
		go func() { codes <- upload().Code }()
		<-att.inside
	}
	extra := make(chan *httptest.ResponseRecorder, 1)
	go func() { extra <- upload() }()
	select {
	case rec := <-extra:
		if rec.Code != 429 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "上传附件的人太多") {
			t.Errorf("an upload while every slot is taken: %d %v %s", rec.Code, rec.Header(), rec.Body)
		}
	case <-att.inside:
		t.Errorf("an upload was being stored beside the %d that hold every slot", dhttp.MaxAttachmentUploads)
		close(att.release)
		<-extra
		return
	case <-time.After(10 * time.Second):
		t.Fatal("no answer to an upload while every slot is taken")
	}
	close(att.release)
	for range dhttp.MaxAttachmentUploads {
		if code := <-codes; code != 201 {
			t.Errorf("an upload holding a slot: %d", code)
		}
	}
	go func() { <-att.inside }()
	if rec := upload(); rec.Code != 201 {
		t.Errorf("after the slots freed: %d %s", rec.Code, rec.Body)
	}
}

// A problem's types are kept once each, in canonical order: twice the same
// type is not a 500 from the store's unique index.
func TestProblemDuplicateTypes(t *testing.T) {
	e := newEnv(t)
	resp, body := e.api("POST", "/api/v1/problems", "coordinator", `{"description":"重复的污染类型","types":["水","水"]}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"types":["水"]`) {
		t.Fatalf("create with a type twice: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("POST", "/api/v1/problems", "coordinator", `{"description":"重复的污染类型","types":["大气","水","大气"]}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"types":["水","大气"]`) {
		t.Fatalf("create with types out of order and twice: %d %s", resp.StatusCode, body)
	}
	var id int64
	if i := strings.Index(body, `"id":`); i >= 0 {
		id, _ = strconv.ParseInt(strings.TrimRight(strings.SplitN(body[i+5:], ",", 2)[0], "}"), 10, 64)
	}
	p, err := e.db.FindProblemByID(system, id)
	if err != nil {
		t.Fatal(err)
	}
	resp, body = e.api("PATCH", "/api/v1/problems/"+strconv.FormatInt(id, 10), "coordinator",
		fmt.Sprintf(`{"version":%d,"types":["噪声","噪声","水"]}`, p.Version))
	if resp.StatusCode != 200 || !strings.Contains(body, `"types":["水","噪声"]`) {
		t.Fatalf("patch with a type twice: %d %s", resp.StatusCode, body)
	}
}

// A user holds at most store.MaxLiveTokens live tokens; the next answers
// 409 saying why, and revoking one makes room.
func TestTokenCapAPI(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	create := func(i int) (*http.Response, string) {
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/me/tokens", strings.NewReader(fmt.Sprintf(`{"name":"脚本%d"}`, i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return b.do(req)
	}
	// The seeded user already holds one.
	var last string
	for i := range 49 {
		resp, body := create(i)
		if resp.StatusCode != 201 {
			t.Fatalf("token %d: %d %s", i+2, resp.StatusCode, body)
		}
		last = body
	}
	resp, body := create(50)
	if resp.StatusCode != 409 || !strings.Contains(body, "每个用户最多有50个有效令牌") {
		t.Fatalf("the 51st token: %d %s", resp.StatusCode, body)
	}
	i := strings.Index(last, `"id":`)
	id := strings.SplitN(last[i+5:], ",", 2)[0]
	req, _ := http.NewRequest("DELETE", e.ts.URL+"/api/v1/me/tokens/"+id, nil)
	req.Header.Set("Origin", e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, body := b.do(req); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if resp, body := create(51); resp.StatusCode != 201 {
		t.Errorf("after a revocation: %d %s", resp.StatusCode, body)
	}
}

// A JSON body is one value: anything after it but white space is refused.
func TestJSONTrailingData(t *testing.T) {
	e := newEnv(t)
	login := `{"username":"coord","password":"` + password + `"}`
	for _, body := range []string{login + "garbage", login + `{"username":"admin"}`, login + "]"} {
		if resp, got := e.api("POST", "/api/v1/login", "", body); resp.StatusCode != 400 || !strings.Contains(got, "请求体在JSON值之后还有多余的内容") {
			t.Errorf("%q: %d %s", body, resp.StatusCode, got)
		}
	}
	if resp, got := e.api("POST", "/api/v1/login", "", login+"\r\n\t "); resp.StatusCode != 200 {
		t.Errorf("white space after the value: %d %s", resp.StatusCode, got)
	}
}
