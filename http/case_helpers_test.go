package http_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// samples is where the county's sample files are.
const samples = "../../shared/samples"

// newCaseEnv is newEnv with a server that also serves cases and reports,
// and the three sample batches imported through POST /api/v1/batches as
// the coordinator: batch 3 (12 cases, forwarded 2026-12-08, its number
// and date from its title), batch 4 (9 cases, a GB18030 csv without
// title, dated 2026-12-09 by the form) and batch 5 (10 cases, merged area
// cells, forwarded 2026-12-10).
func newCaseEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = e.db, e.db, e.db, e.db, e.db, e.db
	s.Cases, s.Reports = e.db, e.db
	s.Now, s.Logger, s.ExportLedger = e.clock.Now, e.srv.Logger, e.srv.ExportLedger
	e.srv = s
	e.ts = httptest.NewServer(s.Handler())
	t.Cleanup(e.ts.Close)
	for _, f := range []struct {
		name, date string
		created    int
	}{{"cases-batch-03.xlsx", "", 12}, {"cases-batch-04-gb18030.csv", "2026-12-09", 9}, {"cases-batch-05-merged.xlsx", "", 10}} {
		resp, body := e.uploadSample("coordinator", f.name, "", f.date)
		if resp.StatusCode != 201 || !strings.Contains(body, `"created":`+strconv.Itoa(f.created)+`,`) {
			t.Fatalf("import %s: %d %s", f.name, resp.StatusCode, body)
		}
	}
	return e
}

// uploadSample posts a sample file to POST /api/v1/batches.
func (e *env) uploadSample(role, name, batch, date string) (*http.Response, string) {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join(samples, name))
	if err != nil {
		e.t.Fatal(err)
	}
	return e.uploadBatch(role, name, data, batch, date)
}

// uploadBatch posts a batch file with the optional batch and date fields.
func (e *env) uploadBatch(role, name string, data []byte, batch, date string) (*http.Response, string) {
	e.t.Helper()
	body, ct := batchBody(e.t, name, data, batch, date)
	req, err := http.NewRequest("POST", e.ts.URL+"/api/v1/batches", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.send(req)
}

// batchBody builds the multipart body of a batch upload.
func batchBody(t *testing.T, name string, data []byte, batch, date string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if batch != "" {
		mw.WriteField("batch", batch)
	}
	if date != "" {
		mw.WriteField("date", date)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// kase reads a case by acceptance number as the system.
func (e *env) kase(no string) *ducha.Case {
	e.t.Helper()
	c, err := e.db.FindCaseByAcceptanceNo(system, no)
	if err != nil {
		e.t.Fatalf("case %s: %v", no, err)
	}
	return c
}

// act runs a case action through the API as the role, with the case's
// current version in If-Match, and fails the test unless it answers 200.
func (e *env) act(role, no, action, body string) string {
	e.t.Helper()
	v := strconv.Itoa(e.kase(no).Version)
	resp, got := e.api("POST", "/api/v1/cases/"+no+"/actions/"+action, role, body, "If-Match", `"`+v+`"`)
	if resp.StatusCode != 200 {
		e.t.Fatalf("%s %s as %s: %d %s", action, no, role, resp.StatusCode, got)
	}
	return got
}

// walkCase takes a case from received to accepted through the API: the
// coordinator assigns it to 永清镇, its liaison signs and submits the
// answer, the coordinator accepts it as status and publishes it if asked.
func (e *env) walkCase(no, submit string, status ducha.CaseStatus, publish bool) {
	e.t.Helper()
	e.act("coordinator", no, "assign", `{"units":["永清镇"]}`)
	e.act("liaison", no, "sign", `{}`)
	e.act("liaison", no, "submit", submit)
	e.act("coordinator", no, "accept", `{"status":"`+string(status)+`"}`)
	if publish {
		e.act("coordinator", no, "publish", `{}`)
	}
}

// dataVersion is the id of the last event: it moves with every write.
func (e *env) dataVersion() int64 {
	e.t.Helper()
	v, err := e.db.DataVersion(system)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}
