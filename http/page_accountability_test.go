package http_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The accountability pages render in Chinese, their forms record and
// change a record (naming a wrong field next to it, refusing a stale
// version), unit roles see their own unit's records and no ranking, and
// the ranking links each unit's referral pack for discipline only.
func TestAccountabilityPages(t *testing.T) {
	e := newEnv(t)
	e.srv.Accountability = e.db
	b := e.browser()
	b.login("jijian")

	resp, body := b.get("/accountability")
	if resp.StatusCode != 200 || !strings.Contains(body, "问责记录") || !strings.Contains(body, "没有可查看的问责记录") ||
		!strings.Contains(body, `href="/accountability/new"`) || !strings.Contains(body, `href="/reports/discipline"`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	resp, body = b.get("/accountability/new")
	if resp.StatusCode != 200 || !strings.Contains(body, `<option value="party_discipline">党纪处分</option>`) ||
		!strings.Contains(body, `value="2026年12月10日"`) || !strings.Contains(body, `value="县纪委监委"`) {
		t.Fatalf("new form: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"person": {"王五"}, "post": {"副镇长"}, "unit": {strconv.FormatInt(e.units["永清镇"].ID, 10)},
		"form": {"criticism"}, "reason": {"扬尘整治不力"}, "decided_by": {"县纪委监委"}, "date": {"2026-12-09"},
		"problems": {strconv.FormatInt(e.probs["own"].ID, 10)}, "cases": {""}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("problems", "1，x")
	resp, body = b.post("/accountability/new", bad)
	if resp.StatusCode != 422 || !strings.Contains(body, `关联问题编号“x”无效`) || !strings.Contains(body, `value="王五"`) {
		t.Fatalf("a wrong id: %d %s", resp.StatusCode, body)
	}
	bad.Set("problems", "999999")
	resp, body = b.post("/accountability/new", bad)
	if resp.StatusCode != 422 || !strings.Contains(body, `<span class="field-error" id="err-problems">关联的问题999999不存在</span>`) {
		t.Fatalf("a missing problem: %d %s", resp.StatusCode, body)
	}
	resp, _ = b.post("/accountability/new", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !regexp.MustCompile(`^/accountability/\d+$`).MatchString(loc) {
		t.Fatalf("create: %d %s", resp.StatusCode, loc)
	}
	resp, body = b.get(loc)
	if resp.StatusCode != 200 || !strings.Contains(body, `<p class="flash" role="status">已完成：登记问责</p>`) ||
		!strings.Contains(body, "<td>通报批评</td>") || !strings.Contains(body, "扬尘整治不力") || !strings.Contains(body, `href="/problems/`+strconv.FormatInt(e.probs["own"].ID, 10)+`"`) {
		t.Fatalf("detail: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `<option value="criticism" selected>通报批评</option>`) || !strings.Contains(body, `name="version" value="1"`) {
		t.Fatalf("edit form: %s", body)
	}
	edit := url.Values{"version": {"1"}}
	for k, v := range form {
		edit[k] = v
	}
	edit.Set("post", "镇长")
	edit.Set("form", "政务处分")
	resp, _ = b.post(loc, edit)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != loc {
		t.Fatalf("edit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = b.get(loc)
	if !strings.Contains(body, "<td>政务处分</td>") || !strings.Contains(body, "<td>镇长</td>") || !strings.Contains(body, "已完成：修改问责记录") ||
		!strings.Contains(body, `name="version" value="2"`) {
		t.Fatalf("after the edit: %s", body)
	}
	resp, body = b.post(loc, edit) // version 1 again
	if resp.StatusCode != 409 || !strings.Contains(body, "该记录已被他人修改") {
		t.Fatalf("stale edit: %d %s", resp.StatusCode, body)
	}

	// The ranking, with a referral pack per unit.
	resp, body = b.get("/reports/discipline?from=2026-12-01&to=2026-12-10")
	if resp.StatusCode != 200 || !strings.Contains(body, "问责排名") || !strings.Contains(body, "<td>永清镇</td>") ||
		!strings.Contains(body, `href="/api/v1/exports/referral.xlsx?unit=`+strconv.FormatInt(e.units["永清镇"].ID, 10)+`"`) ||
		!strings.Contains(body, `value="2026年12月1日"`) {
		t.Fatalf("ranking: %d %s", resp.StatusCode, body)
	}
	resp, body = b.get("/reports/discipline?to=2026-13-01")
	if resp.StatusCode != 400 || !strings.Contains(body, "截止日期“2026-13-01”不是有效日期") {
		t.Fatalf("a wrong date: %d %s", resp.StatusCode, body)
	}
	leader := e.browser()
	leader.login("leader")
	resp, body = leader.get("/reports/discipline")
	if resp.StatusCode != 200 || strings.Contains(body, "referral.xlsx") || strings.Contains(body, `href="/accountability/new"`) {
		t.Fatalf("the leader's ranking: %d %s", resp.StatusCode, body)
	}

	// A unit's liaison: its own record, no form, no ranking.
	l := e.browser()
	l.login("liaison_lc")
	resp, body = l.get("/accountability")
	if resp.StatusCode != 200 || strings.Contains(body, "王五") || strings.Contains(body, `href="/reports/discipline"`) {
		t.Fatalf("another unit's liaison: %d %s", resp.StatusCode, body)
	}
	if resp, _ = l.get(loc); resp.StatusCode != 404 {
		t.Fatalf("another unit's record: %d", resp.StatusCode)
	}
	own := e.browser()
	own.login("liaison_yq")
	resp, body = own.get(loc)
	if resp.StatusCode != 200 || !strings.Contains(body, "王五") || strings.Contains(body, `name="version"`) {
		t.Fatalf("the unit's liaison: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/accountability/new", "/reports/discipline"} {
		if resp, _ := own.get(path); resp.StatusCode != 403 {
			t.Errorf("liaison %s: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := own.post(loc, edit); resp.StatusCode != 403 {
		t.Errorf("liaison edits: %d", resp.StatusCode)
	}
	// English.
	b.get("/lang?to=en&next=/accountability")
	if resp, body = b.get("/accountability"); !strings.Contains(body, "Accountability records") || !strings.Contains(body, "Government sanction") {
		t.Errorf("english: %d %s", resp.StatusCode, body)
	}
}
