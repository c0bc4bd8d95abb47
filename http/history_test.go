package http_test

import (
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestHistoryReadsForPeople: the history names each field by its label and
// each actor by name and unit; an attachment's record shows no raw keys.
func TestHistoryReadsForPeople(t *testing.T) {
	e := newEnv(t)
	own := e.probs["own"]
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	if err := e.db.AddAttachment(ducha.NewContextWithUser(t.Context(), e.users["liaison"]),
		&ducha.Attachment{ProblemID: own.ID, Name: "现场照片.png", Data: png}); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("coord")
	resp, page := b.get("/problems/" + strconv.FormatInt(own.ID, 10))
	if resp.StatusCode != 200 {
		t.Fatalf("problem page: %d", resp.StatusCode)
	}
	for _, want := range []string{"liaison_yq（永清镇）", "文件类型", "SHA-256 校验值", "现场照片.png", "整改措施"} {
		if !strings.Contains(page, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	for _, raw := range []string{">content_type<", ">sha256<", ">uploaded_by<", ">problem_id<", ">size<"} {
		if strings.Contains(page, raw) {
			t.Errorf("history shows the raw key %s", raw)
		}
	}
}
