package http_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestHistoryReadsForPeople: a problem's history after an edit, an upload
// and two extension decisions is a timeline that names each field by its
// label and each actor by name and unit, links the file with its size,
// says what each decision decided, and shows no raw key.
func TestHistoryReadsForPeople(t *testing.T) {
	e := newEnv(t)
	own := e.probs["own"]
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + strings.Repeat("x", 3052))
	at := &ducha.Attachment{ProblemID: own.ID, Name: "现场照片.png", Data: png}
	if err := e.db.AddAttachment(ducha.NewContextWithUser(t.Context(), e.users["liaison"]), at); err != nil {
		t.Fatal(err)
	}
	if resp, body := e.api("PATCH", e.expand("/api/v1/problems/{own}"), "coordinator",
		e.expand(`{"address":"永清镇东关村砖厂","version":{v:own}}`)); resp.StatusCode != 200 {
		t.Fatalf("edit: %d %s", resp.StatusCode, body)
	}
	for _, step := range []struct{ action, body string }{
		{"request_extension", `{"deadline":"2027-01-31","reason":"雨季停工","version":{v:own}}`},
		{"decide_extension", `{"approve":false,"reason":"时限不能再延","version":{v:own}}`},
		{"request_extension", `{"deadline":"2027-01-31","reason":"雨季停工","version":{v:own}}`},
		{"decide_extension", `{"approve":true,"version":{v:own}}`},
	} {
		if resp, body := e.api("POST", e.expand("/api/v1/problems/{own}/actions/"+step.action), map[bool]string{
			true: "liaison", false: "coordinator"}[step.action == "request_extension"], e.expand(step.body)); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", step.action, resp.StatusCode, body)
		}
	}
	b := e.browser()
	b.login("coord")
	resp, page := b.get("/problems/" + strconv.FormatInt(own.ID, 10))
	if resp.StatusCode != 200 {
		t.Fatalf("problem page: %d", resp.StatusCode)
	}
	i := strings.Index(page, `<ol class="timeline">`)
	if i < 0 {
		t.Fatalf("no timeline: %s", page)
	}
	hist := page[i:]
	items := regexp.MustCompile(`(?s)<li>\s*<div class="tl-when">.*?</li>\s*(?:<li>\s*<div class="tl-when">|</ol>)`).FindAllString(hist, -1)
	if len(items) < 3 {
		t.Fatalf("timeline has %d entries: %s", len(items), hist)
	}
	link := `<a href="/api/v1/attachments/` + strconv.FormatInt(at.ID, 10) + `" download>现场照片.png</a> <small>3.0 KB</small>`
	for _, want := range []string{
		"liaison_yq（永清镇）", // the uploader and the requester by name and unit
		link,
		"<li><b>地址</b>：永清镇东关村砖厂</li>", // the edit, by the field's label
		`<p class="outcome">不予延期</p>`, "时限不能再延",
		`<p class="outcome">批准延期至2027年1月31日</p>`,
		`<p class="outcome">申请延期至2027年1月31日</p>`,
		"<li><b>整改时限</b>：<del>2026年12月20日</del> → 2027年1月31日</li>",
	} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	for _, raw := range []string{"content_type", "sha256", "SHA-256", "文件类型", "uploaded_by", "problem_id", ">size<", ">address<", ">extension<", "image/png"} {
		if strings.Contains(hist, raw) {
			t.Errorf("history shows the raw %s", raw)
		}
	}
}
