package http_test

import (
	"fmt"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
	"ducha/store"
)

// A write that moves no problem into, out of or within a list keeps the
// cached pages that do not show the problem: a note or a progress report on
// a problem of another page, written through the API or by another
// instance (straight to the store). A write to a problem the page shows,
// a change of status, a new problem and a unit rename each read it afresh.
func TestListCacheKeepsPagesWritesLeaveAlone(t *testing.T) {
	var probs *countingProblems
	e := newEnvWith(t, func(s *dhttp.Server) {
		probs = &countingProblems{ProblemService: s.Problems}
		s.Problems = probs
	})
	older := e.problem("永清镇旧砖厂扬尘", "永清镇", nil, "plan")
	newer := e.problem("永清镇新砖厂扬尘", "永清镇", nil, "plan")
	const list = "/api/v1/problems?area=%E6%B0%B8%E6%B8%85%E9%95%87&per_page=1"
	get := func(wantReads int64, want string) string {
		t.Helper()
		resp, body := e.api("GET", list, "coordinator", "")
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Fatalf("list: %d, want %q in\n%s", resp.StatusCode, want, body)
		}
		if n := probs.finds.Load(); n != wantReads {
			t.Fatalf("the store was read %d times, want %d", n, wantReads)
		}
		return body
	}
	note := func(via string, p *ducha.Problem, text string) {
		t.Helper()
		cur, err := e.db.FindProblemByID(system, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if via == "store" {
			if _, err := e.db.UpdateProblem(system, p.ID, ducha.ProblemUpdate{Version: cur.Version, Note: &text}); err != nil {
				t.Fatal(err)
			}
			return
		}
		resp, body := e.api("PATCH", fmt.Sprintf("/api/v1/problems/%d", p.ID), "coordinator",
			fmt.Sprintf(`{"version":%d,"note":%q}`, cur.Version, text))
		if resp.StatusCode != 200 {
			t.Fatalf("PATCH: %d %s", resp.StatusCode, body)
		}
	}
	first := get(1, newer.Description)

	// A note on the problem of page 2, through the API, then by "another
	// instance": page 1 is kept, byte for byte.
	note("api", older, "已约谈企业负责人")
	if again := get(1, newer.Description); again != first {
		t.Fatalf("a kept page changed:\n%s\n%s", first, again)
	}
	note("store", older, "已复查")
	get(1, newer.Description)
	// A progress report on it too.
	cur, _ := e.db.FindProblemByID(system, older.ID)
	if _, err := e.db.ActOnProblem(system, older.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: cur.Version, Text: "已完成一半"}); err != nil {
		t.Fatal(err)
	}
	get(1, newer.Description)
	// A file attached to it.
	if err := e.db.AddAttachment(system, &ducha.Attachment{ProblemID: older.ID, Name: "现场照片.jpg",
		ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 jpeg")}); err != nil {
		t.Fatal(err)
	}
	get(1, newer.Description)

	// A note on the problem the page shows: read afresh, and it shows.
	note("store", newer, "群众回访满意")
	get(2, "群众回访满意")
	// The other problem's status changes: the list may move.
	cur, _ = e.db.FindProblemByID(system, older.ID)
	if _, err := e.db.ActOnProblem(system, older.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: cur.Version, Text: "已整改完毕"}); err != nil {
		t.Fatal(err)
	}
	get(3, newer.Description)
	// A new problem: first on page 1.
	newest := e.problem("永清镇第三处扬尘", "永清镇", nil)
	get(4, newest.Description)
	// A unit renamed: its name is on the pages.
	u := e.units["永清镇"]
	cur2, err := e.db.FindUnitByID(system, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	name := "永清镇人民政府"
	if _, err := e.db.UpdateUnit(system, u.ID, ducha.UnitUpdate{Version: cur2.Version, Name: &name}); err != nil {
		t.Fatal(err)
	}
	get(5, newest.Description)
	// More than the events looked at: read afresh.
	for i := range 70 {
		note("store", older, fmt.Sprintf("第%d次复查", i))
	}
	get(6, newest.Description)
	_ = store.Options{}
}
