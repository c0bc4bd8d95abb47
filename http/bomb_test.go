package http_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/excel"
	"ducha/excel/exceltest"
	dhttp "ducha/http"
	"ducha/sheets"
)

// newImportEnv is newEnv with a server that imports ledgers (through
// sheets, as ducha serve wires it) and case batches, waiting wait for the
// import slot.
func newImportEnv(t *testing.T, wait time.Duration, importLedger func(ctx context.Context, r io.Reader, name string) (ducha.ImportResult, error)) *env {
	t.Helper()
	e := newEnv(t)
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = e.db, e.db, e.db, e.db, e.db, e.db
	s.Cases, s.Reports = e.db, e.db
	s.Now, s.Logger = e.clock.Now, e.srv.Logger
	s.ImportWait = wait
	s.ImportLedger = importLedger
	if importLedger == nil {
		s.ImportLedger = func(ctx context.Context, r io.Reader, name string) (ducha.ImportResult, error) {
			rows, err := sheets.ReadLedger(r, name, s.ImportLimits)
			if err != nil {
				return ducha.ImportResult{}, err
			}
			return e.db.ImportLedger(ctx, rows)
		}
	}
	e.srv = s
	e.ts = httptest.NewServer(s.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// postFile streams a multipart upload of data (with the extra fields) to
// path as role, so that a large bomb is not copied on the client's side.
func (e *env) postFile(role, path, name string, data []byte, fields ...string) (*http.Response, string) {
	e.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for i := 0; i+1 < len(fields); i += 2 {
			mw.WriteField(fields[i], fields[i+1])
		}
		fw, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = fw.Write(data)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", e.ts.URL+path, pr)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	pr.Close()
	return resp, string(body)
}

// storeState counts what an import could change.
func (e *env) storeState() string {
	e.t.Helper()
	_, problems, err := e.db.FindProblems(system, ducha.ProblemFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	_, cases, err := e.db.FindCases(system, ducha.CaseFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	batches, err := e.db.FindBatches(system)
	if err != nil {
		e.t.Fatal(err)
	}
	return fmt.Sprintf("%d problems, %d cases, %d batches, version %d", problems, cases, len(batches), e.dataVersion())
}

// TestImportBombs posts every bomb to both import routes: each answers 400
// with the limit's message, the store is unchanged, the server answers the
// next request, and the heap stayed small.
func TestImportBombs(t *testing.T) {
	e := newImportEnv(t, 0, nil)
	routes := []struct {
		path   string
		header []string
		fields []string
	}{
		{"/api/v1/imports/ledger", []string{"序号", "问题描述", "责任单位"}, nil},
		{"/api/v1/batches", []string{"序号", "受理编号", "交办问题基本情况"}, []string{"batch", "1", "date", "2026-12-08"}},
	}
	before := e.storeState()
	for _, rt := range routes {
		for _, b := range exceltest.Bombs(rt.header...) {
			t.Run(rt.path+" "+b.Name, func(t *testing.T) {
				want := b.Want
				if int64(len(b.Data)) > excel.DefaultLimits.MaxFileBytes {
					want = "文件超过64MB上限" // the upload's own bound comes first
				}
				if rt.path == "/api/v1/batches" {
					// A case batch's text has a lower bound of its own.
					want = strings.Replace(want, "30000000", strconv.Itoa(sheets.CaseMaxTotalChars), 1)
				}
				var resp *http.Response
				var body string
				start := time.Now()
				var alloc uint64
				peak := exceltest.PeakHeap(func() {
					alloc = exceltest.Alloc(func() { resp, body = e.postFile("coordinator", rt.path, b.File, b.Data, rt.fields...) })
				})
				t.Logf("%v, peak heap +%.1f MB, %.1f MB allocated: %d %.200s", time.Since(start).Round(time.Millisecond),
					float64(peak)/(1<<20), float64(alloc)/(1<<20), resp.StatusCode, body)
				if resp.StatusCode != 400 || !strings.Contains(body, `"code":"invalid"`) || !strings.Contains(body, want) ||
					!strings.Contains(body, `"fields":{"file"`) {
					t.Errorf("want 400 saying %q, got %d %s", want, resp.StatusCode, body)
				}
				// The server's share of the heap: the 80 MB csv is read up to
				// its 65 MB bound before it is refused.
				if peak > 200<<20 || alloc > 512<<20 {
					t.Errorf("heap grew by %d MB and %d MB were allocated", peak>>20, alloc>>20)
				}
				if resp, body := e.api("GET", "/api/v1/me", "coordinator", ""); resp.StatusCode != 200 || !strings.Contains(body, `"username":"coord"`) {
					t.Fatalf("after the bomb: GET /api/v1/me %d %s", resp.StatusCode, body)
				}
			})
		}
	}
	if after := e.storeState(); after != before {
		t.Errorf("store changed: %s → %s", before, after)
	}
	// The same routes still import a good file.
	good := "序号,受理编号,交办问题基本情况,行政区域\n1,D3SX202612080001,永清镇某砖厂夜间生产噪声扰民,永清镇\n"
	if resp, body := e.postFile("coordinator", "/api/v1/batches", "第1批.csv", []byte(good), "date", "2026-12-08"); resp.StatusCode != 201 || !strings.Contains(body, `"created":1`) {
		t.Fatalf("good batch after the bombs: %d %s", resp.StatusCode, body)
	}
}

// TestImportLimitsConfigured: the server's ImportLimits reach the batch
// import and bound the upload.
func TestImportLimitsConfigured(t *testing.T) {
	e := newImportEnv(t, 0, nil)
	e.srv.ImportLimits = excel.Limits{MaxRows: 1, MaxFileBytes: 1 << 20}
	two := "序号,受理编号,交办问题基本情况\n1,D3SX202612080001,噪声扰民\n2,D3SX202612080002,废水直排\n"
	resp, body := e.postFile("coordinator", "/api/v1/batches", "第1批.csv", []byte(two), "date", "2026-12-08")
	if resp.StatusCode != 400 || !strings.Contains(body, "表格超过 1 行数据的上限") || !strings.Contains(body, "--max-rows") {
		t.Errorf("rows past the configured limit: %d %s", resp.StatusCode, body)
	}
	resp, body = e.postFile("coordinator", "/api/v1/imports/ledger", "ledger.csv", make([]byte, 1<<20+1))
	if resp.StatusCode != 400 || !strings.Contains(body, "文件超过1MB上限") {
		t.Errorf("file past the configured limit: %d %s", resp.StatusCode, body)
	}
}

// TestOneImportAtATime: while an import runs, another one waits for it
// and, past ImportWait, is answered 429 without being imported (its upload
// is received first, so that a slow client holds no slot:
// TestSlowUploadHoldsNoImportSlot).
func TestOneImportAtATime(t *testing.T) {
	inside, release := make(chan struct{}), make(chan struct{})
	calls := 0
	e := newImportEnv(t, 100*time.Millisecond, func(ctx context.Context, r io.Reader, name string) (ducha.ImportResult, error) {
		calls++
		if calls == 1 {
			close(inside)
			<-release
		}
		return ducha.ImportResult{Created: 1}, nil
	})
	done := make(chan string)
	go func() {
		resp, body := e.postFile("coordinator", "/api/v1/imports/ledger", "a.csv", []byte("x"))
		done <- fmt.Sprintf("%d %s", resp.StatusCode, body)
	}()
	<-inside
	for _, path := range []string{"/api/v1/imports/ledger", "/api/v1/batches"} {
		resp, body := e.postFile("coordinator", path, "b.csv", []byte("x"))
		if resp.StatusCode != 429 || !strings.Contains(body, "另一个导入正在进行，请稍后再试") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s during an import: %d %v %s", path, resp.StatusCode, resp.Header, body)
		}
	}
	close(release)
	if got := <-done; !strings.HasPrefix(got, "200 ") {
		t.Errorf("the first import: %s", got)
	}
	if resp, body := e.postFile("coordinator", "/api/v1/imports/ledger", "c.csv", []byte("x")); resp.StatusCode != 200 {
		t.Errorf("after the first import: %d %s", resp.StatusCode, body)
	}
	if calls != 2 {
		t.Errorf("%d imports ran, want 2", calls)
	}
}

// TestUploadTooLargeSaysTheLimit: an attachment over 20 MB is refused
// naming 20 MB, not the request's bound with its slack.
func TestUploadTooLargeSaysTheLimit(t *testing.T) {
	e := newEnv(t)
	for _, size := range []int{ducha.MaxAttachmentSize + 1, ducha.MaxAttachmentSize + 3<<20} {
		resp, body := e.postFile("liaison", e.expand("/api/v1/problems/{own}/attachments"), "big.png", make([]byte, size))
		if resp.StatusCode != 400 || !strings.Contains(body, "文件超过20MB上限") {
			t.Errorf("%d bytes: %d %s", size, resp.StatusCode, body)
		}
	}
}

// TestBatchPageBomb: the upload form refuses a bomb on the page itself,
// next to the file field, and imports nothing.
func TestBatchPageBomb(t *testing.T) {
	e := newImportEnv(t, 0, nil)
	before := e.storeState()
	b := e.browser()
	b.login("coord")
	for _, bomb := range exceltest.Bombs("序号", "受理编号", "交办问题基本情况")[:2] {
		body, ct := batchBody(t, bomb.File, bomb.Data, "1", "2026-12-08")
		resp, page := b.upload("/batches", body, ct)
		if resp.StatusCode != 400 || !strings.Contains(page, `<span class="field-error">`+bomb.Want) {
			t.Errorf("%s: %d, page lacks %q", bomb.Name, resp.StatusCode, bomb.Want)
		}
	}
	if after := e.storeState(); after != before {
		t.Errorf("store changed: %s → %s", before, after)
	}
}
