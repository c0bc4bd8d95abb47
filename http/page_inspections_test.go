package http_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestInspectionPages: the liaison walks a self-inspection in the pages
// without JavaScript: start, a refused save that keeps what was typed and
// names the field, a save per duty, submit, and the links to the problems
// made; another unit's liaison gets 404; the county view counts it.
func TestInspectionPages(t *testing.T) {
	e := newEnv(t)
	e.srv.Duties = e.db
	coord := e.browser()
	coord.login("coord")
	// The coordinator uploads the list through the page.
	body, ct := multipartFile(t, "责任清单.csv", []byte("序号,责任单位,职责事项,依据\n1,永清镇,负责辖区扬尘污染防治,《大气污染防治法》\n2,永清镇,负责河道保洁,\n3,林城镇,负责秸秆禁烧,\n"))
	req, _ := http.NewRequest("POST", e.ts.URL+"/duties", strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, page := coord.do(req)
	if resp.StatusCode != 200 || !strings.Contains(page, "导入完成：新增3项，更新0项，未变0项") {
		t.Fatalf("upload: %d %s", resp.StatusCode, page)
	}

	b := e.browser()
	b.login("liaison_yq")
	if _, page := b.get("/duties"); !strings.Contains(page, "负责河道保洁") || strings.Contains(page, "负责秸秆禁烧") || strings.Contains(page, `action="/duties"`) {
		t.Fatalf("liaison's list: %s", page)
	}
	if _, page := b.get("/problems"); !strings.Contains(page, `href="/inspections"`) {
		t.Fatal("no nav link to the inspections")
	}
	resp, _ = b.post("/inspections", url.Values{})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/inspections/") {
		t.Fatalf("start: %d %s", resp.StatusCode, loc)
	}
	_, page = b.get(loc)
	duties := regexp.MustCompile(`action="(/inspections/\d+/items/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(duties) != 2 {
		t.Fatalf("rows: %d\n%s", len(duties), page)
	}
	version := func(page string) string {
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	}
	// A duty found wanting without a finding: the row keeps what was typed.
	resp, page = b.post(duties[0][1], url.Values{"version": {version(page)}, "complied": {"no"}, "mode": {"限时整改"}, "deadline": {"2026-12-31"}})
	if resp.StatusCode != 400 || !strings.Contains(page, "未履行到位的职责须填写发现的问题") || !strings.Contains(page, `value="2026年12月31日"`) {
		t.Fatalf("refused save: %d %s", resp.StatusCode, page)
	}
	resp, _ = b.post(duties[0][1], url.Values{"version": {version(page)}, "complied": {"no"}, "finding": {"三处工地未覆盖防尘网"}, "mode": {"限时整改"}, "deadline": {"2026-12-31"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, page = b.get(loc)
	// Submitting with a duty unmarked names it.
	resp, page = b.post(loc+"/submit", url.Values{"version": {version(page)}})
	if resp.StatusCode != 400 || !strings.Contains(page, "还有1项职责未自查：第2项“负责河道保洁”") {
		t.Fatalf("early submit: %d %s", resp.StatusCode, page)
	}
	resp, _ = b.post(duties[1][1], url.Values{"version": {version(page)}, "complied": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save 2: %d", resp.StatusCode)
	}
	_, page = b.get(loc)
	resp, _ = b.post(loc+"/submit", url.Values{"version": {version(page)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	_, page = b.get(loc)
	m := regexp.MustCompile(`<a href="/problems/(\d+)">QS-2026-0006</a> · 1\. 负责辖区扬尘污染防治`).FindStringSubmatch(page)
	if m == nil || strings.Contains(page, `action="`+duties[0][1]+`"`) || !strings.Contains(page, "已提交") {
		t.Fatalf("after submit: %s", page)
	}
	if _, page := b.get("/problems/" + m[1]); !strings.Contains(page, "自查发现") || !strings.Contains(page, "1. 负责辖区扬尘污染防治") {
		t.Fatalf("problem page: %s", page)
	}

	other := e.browser()
	other.login("liaison_lc")
	if resp, _ := other.get(loc); resp.StatusCode != 404 {
		t.Fatalf("another unit's inspection: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/reports/inspections"); resp.StatusCode != 403 {
		t.Fatalf("a unit reads the county view: %d", resp.StatusCode)
	}
	_, page = coord.get("/reports/inspections")
	row := regexp.MustCompile(`<td>永清镇</td>\s*<td>已自查</td>\s*<td>1</td><td>2026年12月10日</td>\s*<td>2</td><td>1</td>`)
	if !row.MatchString(page) || !strings.Contains(page, "<td>林城镇</td>\n<td>未自查</td>") {
		t.Fatalf("county view: %s", page)
	}
	_, page = coord.get("/inspections")
	if !strings.Contains(page, `<select name="unit">`) || !strings.Contains(page, "#"+strconv.Itoa(1)) {
		t.Fatalf("coordinator's list: %s", page)
	}
}
