package http_test

import (
	"archive/zip"
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// multipartForm builds a multipart body with a file (when name is not "")
// and the fields, in order (key, value, key, value…).
func multipartForm(t *testing.T, name string, data []byte, fields ...string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
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

// upload posts a multipart form to path as the role.
func (e *env) upload(path, role, name string, data []byte, fields ...string) (*http.Response, string) {
	e.t.Helper()
	body, ct := multipartForm(e.t, name, data, fields...)
	return e.api("POST", path, role, body, "Content-Type", ct)
}

func seedBytes(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../doctext/testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// docxBomb is a real zip bomb named .docx: 100 MB of spaces in
// word/document.xml, deflated to about 100 KB.
func docxBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 100 {
		w.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

var docID = regexp.MustCompile(`"id":(\d+)`)

// TestDocumentAPIScenarios: every document route × role. Every role reads
// documents (they are not unit-scoped); only the coordinator and the
// administrator upload; the seed is stored simplified without pinyin
// notes, found by its words in either script, its original kept byte for
// byte and served as a download.
func TestDocumentAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents, e.srv.Requests = e.db, e.db
	seed := seedBytes(t)

	for _, role := range []string{"liaison", "head", "discipline", "leader", "liaison_b"} {
		if resp, body := e.upload("/api/v1/documents", role, "seed.txt", seed); resp.StatusCode != 403 || !strings.Contains(body, `"code":"forbidden"`) {
			t.Errorf("%s uploads: %d %s", role, resp.StatusCode, body)
		}
	}
	if resp, _ := e.upload("/api/v1/documents", "", "seed.txt", seed); resp.StatusCode != 401 {
		t.Errorf("nobody uploads: %d", resp.StatusCode)
	}
	resp, body := e.upload("/api/v1/documents", "coordinator", "000_8b6ba32736468a24.txt", seed, "kind", "会议纪要", "date", "2026-12-07")
	if resp.StatusCode != 201 || !strings.Contains(body, `"kind":"minutes"`) || !strings.Contains(body, `"date":"2026-12-07"`) ||
		strings.Contains(body, `"text"`) || !strings.Contains(body, `"title":"12月7日,清水县召开保障中央环保督察工作动员会议`) {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	id := docID.FindStringSubmatch(body)[1]
	resp, body = e.upload("/api/v1/documents", "admin", "plan.html", []byte(`<html><body><h1>工作方案</h1><script>alert(1)</script><p>扬尘治理</p></body></html>`),
		"kind", "work_plan", "title", "清水县保障中央环境保护督察工作方案")
	if resp.StatusCode != 201 {
		t.Fatalf("html upload: %d %s", resp.StatusCode, body)
	}
	htmlID := docID.FindStringSubmatch(body)[1]

	// Refused uploads name the field (the file, by its name) and store nothing.
	for _, c := range []struct {
		name   string
		data   []byte
		fields []string
		want   []string
	}{
		{"报告.pdf", []byte("%PDF-1.4"), nil, []string{`"fields":{"file"`, "报告.pdf", ".pdf"}},
		{"a.txt", []byte("x"), []string{"kind", "bogus"}, []string{`"fields":{"kind"`}},
		{"a.txt", []byte("x"), []string{"date", "2026/12/07"}, []string{`"fields":{"date"`}},
		{"", nil, []string{"kind", "other"}, []string{`"fields":{"file"`}},
		{"bomb.docx", docxBomb(t), nil, []string{`"fields":{"file"`, "bomb.docx", "压缩炸弹"}},
		{"长.txt", []byte("x"), []string{"title", strings.Repeat("长", 201)}, []string{`"fields":{"title"`}},
	} {
		resp, body := e.upload("/api/v1/documents", "coordinator", c.name, c.data, c.fields...)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %s: %s", c.name, w, body)
			}
		}
	}

	ids := map[string]string{"{id}": id, "{html}": htmlID, "{missing}": "999999"}
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	all := append([]string{"liaison_b"}, everyRole...)
	for _, p := range []string{"/api/v1/documents", "/api/v1/documents/{id}", "/api/v1/documents/{id}/original"} {
		add([]string{""}, "GET", p, "", 401, []string{`"code":"unauthorized"`})
	}
	add(all, "GET", "/api/v1/documents", "", 200, []string{`"total":2`, `"page":1`, `"per_page":`, `"original":{"name":"000_8b6ba32736468a24.txt"`}, `"text"`)
	for _, q := range []string{"问题台账", "立行立改", "問題臺賬", "自查自糾", "县委书记"} {
		add([]string{"liaison", "coordinator"}, "GET", "/api/v1/documents?q="+q, "", 200, []string{`"total":1`, `"id":{id}`})
	}
	add([]string{"leader"}, "GET", "/api/v1/documents?q=扬尘", "", 200, []string{`"total":1`, `"id":{html}`})
	add([]string{"leader"}, "GET", "/api/v1/documents?q=油烟扰民", "", 200, []string{`"total":0`})
	add([]string{"head"}, "GET", "/api/v1/documents?kind=work_plan", "", 200, []string{`"total":1`, `"id":{html}`})
	add([]string{"head"}, "GET", "/api/v1/documents?kind=会议纪要", "", 200, []string{`"total":1`, `"id":{id}`})
	add([]string{"head"}, "GET", "/api/v1/documents?kind=bogus", "", 400, []string{`"fields":{"kind"`})
	add([]string{"head"}, "GET", "/api/v1/documents?per_page=1&page=2", "", 200, []string{`"total":2`, `"id":{id}`, `"page":2`}, `"id":{html}`)
	add(all, "GET", "/api/v1/documents/{id}", "", 200, []string{`"text":"12月7日,清水县召开`, "问题台账和整改台账", "立行立改", `"sha256":"`,
		`"content_type":"text/plain; charset=utf-8"`}, "縣", "(tái)", "臺賬")
	add(all, "GET", "/api/v1/documents/{missing}", "", 404, []string{`"code":"not_found"`})
	add([]string{"liaison"}, "GET", "/api/v1/documents/x", "", 404, []string{`"code":"not_found"`})
	runScenarios(t, e, table, expand, func(t *testing.T, name, path string, resp *http.Response, body string) {
		if !strings.HasSuffix(path, "/original") {
			alwaysJSON(t, name, path, resp, body)
		}
	})

	// The original, byte for byte, as a download, whoever reads it.
	for _, role := range []string{"liaison_b", "leader"} {
		resp, body := e.api("GET", "/api/v1/documents/"+id+"/original", role, "")
		if resp.StatusCode != 200 || body != string(seed) || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Content-Length") != strconv.Itoa(len(seed)) {
			t.Errorf("%s original: %d %v", role, resp.StatusCode, resp.Header)
		}
	}
	// An HTML original is a file to save, never a page of this site.
	resp, body = e.api("GET", "/api/v1/documents/"+htmlID+"/original", "liaison", "")
	if resp.StatusCode != 200 || !strings.Contains(body, "<script>") || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("html original: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := e.api("GET", "/api/v1/documents/999999/original", "liaison", ""); resp.StatusCode != 404 {
		t.Errorf("missing original: %d", resp.StatusCode)
	}
}
