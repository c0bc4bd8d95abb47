package http_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestWorkbench: every role lands on its workbench after logging in; a
// unit sees its to-dos, each a link to its item; the county's roles see
// today's figures, equal to the daily report's JSON; discipline sees the
// ranking; the coordinator the latest batch and what it has to assign.
func TestWorkbench(t *testing.T) {
	e := newCaseEnv(t)
	e.srv.Inbox, e.srv.Accountability, e.srv.Notices = e.db, e.db, e.db
	cases, _, err := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Limit: 1})
	if err != nil || len(cases) == 0 {
		t.Fatal(err)
	}
	no := cases[0].AcceptanceNo
	if resp, body := e.api("POST", "/api/v1/cases/"+no+"/actions/assign", "coordinator", `{"units":["永清镇"]}`); resp.StatusCode != 200 {
		t.Fatalf("assign: %d %s", resp.StatusCode, body)
	}
	_, rep := e.api("GET", "/api/v1/reports/daily", "coordinator", "")
	var report ducha.DailyReport
	if err := json.Unmarshal([]byte(rep), &report); err != nil {
		t.Fatal(err)
	}
	card := func(page, label string) string {
		t.Helper()
		m := regexp.MustCompile(`<dt>` + regexp.QuoteMeta(label) + `</dt><dd>([^<]*)</dd>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no card %s", label)
		}
		return m[1]
	}
	for _, role := range []string{"admin", "coord", "liaison_yq", "head_yq", "jijian", "leader"} {
		b := e.browser()
		resp, _ := b.post("/login", map[string][]string{"username": {role}, "password": {password}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/workbench" {
			t.Fatalf("%s lands on %q", role, resp.Header.Get("Location"))
		}
		resp, page := b.get("/workbench")
		if resp.StatusCode != 200 || !strings.Contains(page, "<h1>工作台</h1>") {
			t.Fatalf("%s: %d\n%s", role, resp.StatusCode, mainOf(page))
		}
		page = mainOf(page)
		county := role != "liaison_yq" && role != "head_yq"
		if county != strings.Contains(page, "交办总数") {
			t.Errorf("%s: figures shown %v", role, !county)
		}
		if county {
			for label, want := range map[string]int{"交办总数": report.Cases.Total, "已办结": report.Cases.Closed,
				"未办结": report.Cases.Open, "问题总数": report.Ledger.Total, "逾期": report.Ledger.Overdue} {
				if got := card(page, label); got != strconv.Itoa(want) {
					t.Errorf("%s: %s = %s, the report says %d", role, label, got, want)
				}
			}
			if got := card(page, "罚款（元）"); got != report.Measures.FinesYuan.String() {
				t.Errorf("%s: fines %s, the report says %s", role, got, report.Measures.FinesYuan)
			}
		}
		switch role {
		case "liaison_yq", "head_yq":
			if !strings.Contains(page, "待签收") || !strings.Contains(page, `href="/cases/`) {
				t.Errorf("%s: no case to sign for:\n%s", role, page)
			}
		case "coord":
			if !strings.Contains(page, "待验收") || !strings.Contains(page, e.probs["pending"].Code) ||
				!strings.Contains(page, "最新批次：第5批") || !strings.Contains(page, "件待交办") ||
				!strings.Contains(page, `<a href="/cases?status=assigned">1件已交办未签收</a>`) {
				t.Errorf("coordinator's workbench:\n%s", page)
			}
		case "jijian":
			if !strings.Contains(page, "单位排名") {
				t.Errorf("discipline's workbench lacks the ranking:\n%s", page)
			}
		}
	}
}

// TestDisclosureLanding: the public disclosure's landing page lists, to
// anyone, the batches that have a published case and nothing else.
func TestDisclosureLanding(t *testing.T) {
	e := newCaseEnv(t)
	_, page := e.api("GET", "/public/disclosure", "", "")
	if !strings.Contains(page, "尚未公开任何批次") {
		t.Fatalf("before any publication:\n%s", mainOf(page))
	}
	cases, _, err := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Limit: 1})
	if err != nil || len(cases) == 0 {
		t.Fatal(err)
	}
	e.walkCase(cases[0].AcceptanceNo, `{"findings":"经查属实","verdict":"属实","handling":"已责令整改"}`, ducha.CaseClosed, true)
	resp, page := e.api("GET", "/public/disclosure", "", "")
	main := mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(main, `href="/public/disclosure?batch=3"`) || !strings.Contains(main, "已公开1件") ||
		strings.Contains(main, `href="/public/disclosure?batch=4"`) || strings.Contains(main, `href="/public/disclosure?batch=5"`) {
		t.Fatalf("landing: %d\n%s", resp.StatusCode, main)
	}
}

// TestCaseListShowsText: the case list shows the start of each complaint,
// the whole of it on hover.
func TestCaseListShowsText(t *testing.T) {
	e := newCaseEnv(t)
	cases, _, err := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Limit: 1})
	if err != nil || len(cases) == 0 {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("coord")
	_, page := b.get("/cases?batch=3")
	text := []rune(strings.Join(strings.Fields(cases[0].Text), " "))
	start := string(text[:min(len(text), 20)])
	if !strings.Contains(page, "<th>交办问题基本情况</th>") || !strings.Contains(page, `<td class="excerpt" title="`) || !strings.Contains(page, start) {
		t.Fatalf("the case list lacks the complaint %q:\n%s", start, mainOf(page))
	}
}
