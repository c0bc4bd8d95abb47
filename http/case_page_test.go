package http_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// upload posts a multipart form as a same-origin browser would.
func (b *browser) upload(path, body, contentType string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// mustHave fails the test for each fragment the page lacks.
func mustHave(t *testing.T, what, page string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(page, f) {
			t.Errorf("%s lacks %q", what, f)
		}
	}
}

// mustLack fails the test for each fragment the page has.
func mustLack(t *testing.T, what, page string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(page, f) {
			t.Errorf("%s has %q", what, f)
		}
	}
}

// TestCasePagesWalk takes a case through the whole workflow in the
// browser: the coordinator assigns it, the unit signs, reads the measures
// from its handling text, confirms and submits them, the coordinator
// accepts and publishes it.
func TestCasePagesWalk(t *testing.T) {
	e := newCaseEnv(t)
	coord := e.browser()
	coord.login("coord")

	_, page := coord.get("/problems")
	mustHave(t, "nav", page, `<a href="/cases">交办件</a>`, `<a href="/batches">批次</a>`, `<a href="/reports/daily">日报</a>`,
		`href="/static/case.css"`)

	resp, page := coord.get("/cases")
	if resp.StatusCode != 200 {
		t.Fatalf("cases: %d", resp.StatusCode)
	}
	mustHave(t, "case list", page, "信访交办件", "共31件", ">受理编号</a></th>", ">批次</a></th>", ">交办日期</a></th>", ">来电/来信</a></th>",
		">重点关注</a></th>", ">行政区域</a></th>", "<th>污染类型</th>", "<th>承办单位</th>", ">办理时限</a></th>", ">状态</a></th>",
		">是否属实</a></th>", ">已公开</a></th>", caseA, `<span class="badge cst-received">已受理</span>`, `<span class="badge key">重点</span>`,
		`<option value="3">第3批</option>`)
	resp, page = coord.get("/cases?batch=4&status=received")
	if resp.StatusCode != 200 {
		t.Fatalf("filtered cases: %d", resp.StatusCode)
	}
	mustHave(t, "batch 4", page, "共9件", "D3SX202612090003", `<option value="4" selected>第4批</option>`, `<option value="received" selected>`)
	mustLack(t, "batch 4", page, caseA)
	if resp, page = coord.get("/cases?status=bogus"); resp.StatusCode != 400 || !strings.Contains(page, "状态“bogus”无效") {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}
	_, page = coord.get("/cases?q=" + url.QueryEscape(caseE))
	link := regexp.MustCompile(`<a href="(/cases/\d+)">` + caseE + `</a>`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("no link to %s: %s", caseE, page)
	}
	path := link[1]

	// The coordinator assigns; the deadline left empty takes the default.
	_, page = coord.get(path)
	mustHave(t, "received case", page, `action="`+path+`/actions/assign"`, "留空则为交办日期后10天（2026年12月20日）", "交办问题基本情况",
		"汽修厂擅自在林地内开挖取土")
	mustLack(t, "received case", page, "/actions/sign", "/actions/submit", "/actions/publish")
	// The case's area is 永清镇: the form suggests that township.
	mustHave(t, "assign suggestion", page, `<input type="checkbox" name="units" value="`+e.expand("{unit:永清镇}")+`" checked>永清镇</label>`)
	action := path + "/actions/assign"
	resp, _ = coord.post(action, url.Values{"version": {hidden(t, page, action)}, "units": {e.expand("{unit:永清镇}")}, "deadline": {""}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != path {
		t.Fatalf("assign: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = coord.get(path)
	mustHave(t, "assigned case", page, "已完成：交办", `<span class="status cst-assigned">已交办</span>`, "<td>永清镇</td>", "未签收", "<dd>2026年12月20日</dd>")

	// The unit's liaison sees it, signs and submits.
	liaison := e.browser()
	liaison.login("liaison_yq")
	_, page = liaison.get("/cases")
	mustHave(t, "liaison's list", page, "共1件", caseE)
	mustLack(t, "liaison's list", page, caseA)
	_, page = liaison.get(path)
	mustHave(t, "liaison's case", page, `action="`+path+`/actions/sign"`)
	mustLack(t, "liaison's case", page, "/actions/assign", "/actions/accept", "/actions/submit")
	action = path + "/actions/sign"
	if resp, _ = liaison.post(action, url.Values{"version": {hidden(t, page, action)}}); resp.StatusCode != 303 {
		t.Fatalf("sign: %d", resp.StatusCode)
	}
	_, page = liaison.get(path)
	mustHave(t, "signed case", page, "已完成：签收", "liaison_yq", `name="propose"`, "识别处理措施")
	action = path + "/actions/submit"
	version := hidden(t, page, action)
	handling := "责令该厂立即整改，对其立案处罚，罚款5万元，约谈负责人2人。"
	form := url.Values{"version": {version}, "findings": {"经现场核查，反映情况属实。"}, "verdict": {"属实"}, "handling": {handling},
		"accountability": {""}, "m_kind": {""}, "m_enterprise": {""}, "m_persons": {""}, "m_fine": {""}, "propose": {"1"}}
	resp, page = liaison.post(action, form)
	if resp.StatusCode != 200 {
		t.Fatalf("propose: %d %s", resp.StatusCode, page)
	}
	mustHave(t, "proposed form", page, `<details class="action" open id="action-submit">`, "已根据处理和整改情况识别出下列处理措施",
		`<option value="ordered_to_rectify" selected>责令整改</option>`, `<option value="penalty_case" selected>立案处罚</option>`,
		`<option value="interviewed" selected>约谈</option>`, `name="m_fine" value="50000.00"`, `name="m_persons" value="2"`,
		"约谈负责人2人", ">经现场核查，反映情况属实。</textarea>", `value="属实" checked`)
	if c := e.kase(caseE); strconv.Itoa(c.Version) != version || len(c.Measures) != 0 {
		t.Errorf("reading the measures saved something: %+v", c)
	}

	// Submitting the proposals as they are: the enterprises are missing.
	form.Del("propose")
	form["m_kind"] = []string{"ordered_to_rectify", "penalty_case", "interviewed", ""}
	form["m_enterprise"] = []string{"", "", "", ""}
	form["m_persons"] = []string{"", "", "2", ""}
	form["m_fine"] = []string{"", "50000.00", "", ""}
	resp, page = liaison.post(action, form)
	if resp.StatusCode != 422 {
		t.Fatalf("submit without enterprise: %d", resp.StatusCode)
	}
	mustHave(t, "refused submit", page, "须填写企业名称", `<details class="action" open id="action-submit">`, `name="m_fine" value="50000.00"`)
	form["m_enterprise"] = []string{"永清镇东关村汽修厂", "永清镇东关村汽修厂", "", ""}
	if resp, page = liaison.post(action, form); resp.StatusCode != 303 {
		t.Fatalf("submit: %d %s", resp.StatusCode, page)
	}
	c := e.kase(caseE)
	if c.Status != "submitted" || c.Verdict != "属实" || len(c.Measures) != 3 || c.Measures[1].FineYuan != 5000000 ||
		c.Measures[1].Enterprise != "永清镇东关村汽修厂" || c.Measures[2].Persons != 2 {
		t.Errorf("submitted case: %+v", c)
	}

	// The coordinator accepts and publishes.
	_, page = coord.get(path)
	mustHave(t, "submitted case", page, `action="`+path+`/actions/accept"`, `action="`+path+`/actions/return"`,
		`value="stage_closed"`, `value="closed" checked`, "<td>50000.00</td>")
	// The measure names its enterprise, linked to the enterprise's page.
	if !regexp.MustCompile(`<td>立案处罚</td><td><a href="/enterprises/\d+">永清镇东关村汽修厂</a></td>`).MatchString(page) {
		t.Errorf("submitted case: no link to the enterprise of its measure")
	}
	action = path + "/actions/accept"
	if resp, _ = coord.post(action, url.Values{"version": {hidden(t, page, action)}, "status": {"closed"}}); resp.StatusCode != 303 {
		t.Fatalf("accept: %d", resp.StatusCode)
	}
	_, page = coord.get(path)
	action = path + "/actions/publish"
	if resp, _ = coord.post(action, url.Values{"version": {hidden(t, page, action)}}); resp.StatusCode != 303 {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	_, page = coord.get(path)
	mustHave(t, "published case", page, "已完成：公开", `<span class="badge published">已公开</span>`, `<span class="action">交办</span>`, `<span class="action">签收</span>`,
		`<span class="action">报送办理结果</span>`, `<span class="action">审核办结</span>`, `<span class="action">公开</span>`, `<span class="action">导入</span>`, "<del>已受理</del> → 已交办")
	mustLack(t, "published case", page, "/actions/")
	// Posting an old form again is a conflict shown on the page.
	if resp, page = coord.post(action, url.Values{"version": {"1"}}); resp.StatusCode != 409 {
		t.Errorf("stale publish: %d", resp.StatusCode)
	}

	// The same pages in English.
	coord.get("/lang?to=en&next=/cases")
	_, page = coord.get("/cases")
	mustHave(t, "English list", page, "Complaint cases", "Acceptance no.", "Closed", "31 cases")
	_, page = coord.get(path)
	mustHave(t, "English case", page, "Substantiated", "Penalty case", "History")
}

// TestBatchPages uploads batches through the page: the same file again,
// a bad file, a batch with a duplicate; a liaison gets no upload form.
func TestBatchPages(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("coord")
	resp, page := b.get("/batches")
	if resp.StatusCode != 200 {
		t.Fatalf("batches: %d", resp.StatusCode)
	}
	mustHave(t, "batches", page, `action="/batches" enctype="multipart/form-data"`, `<a href="/cases?batch=5">第5批</a>`,
		"cases-batch-04-gb18030.csv", `href="/public/disclosure?batch=3"`)

	data, err := os.ReadFile(filepath.Join(samples, "cases-batch-03.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	body, ct := batchBody(t, "cases-batch-03.xlsx", data, "", "")
	resp, page = b.upload("/batches", body, ct)
	if resp.StatusCode != 200 {
		t.Fatalf("same file: %d", resp.StatusCode)
	}
	mustHave(t, "same file", page, "第3批此前已导入，内容相同，未做任何改动。")

	bad := "序号,受理编号,交办问题基本情况,行政区域\n1,D3SX202612110001,某厂噪声扰民,永清镇\n2,,某厂废水,永清镇\n"
	body, ct = batchBody(t, "bad.csv", []byte(bad), "6", "2026-12-10")
	resp, page = b.upload("/batches", body, ct)
	if resp.StatusCode != 400 {
		t.Fatalf("bad file: %d", resp.StatusCode)
	}
	mustHave(t, "bad file", page, "第3行", "受理编号", `name="batch" value="6"`, `name="date" value="2026年12月10日"`)

	dup := "序号,受理编号,交办问题基本情况,行政区域\n1,D3SX202612110001,某厂噪声扰民,永清镇\n2," + caseA + ",重复交办,黄门镇\n"
	body, ct = batchBody(t, "dup.csv", []byte(dup), "6", "2026-12-10")
	resp, page = b.upload("/batches", body, ct)
	if resp.StatusCode != 201 {
		t.Fatalf("new batch: %d %s", resp.StatusCode, page)
	}
	mustHave(t, "new batch", page, "第6批（交办日期2026年12月10日）导入完成：新增1件（来电1件、来信0件，重点关注0件）。",
		"其中1件为此前批次已交办件的重复件", `<td data-label="行号">3</td><td data-label="受理编号"><a href="/cases/`, caseA+`</a></td><td data-label="首次交办批次">第3批</td>`, `<a href="/cases?batch=6">第6批</a>`)

	l := e.browser()
	l.login("liaison_yq")
	resp, page = l.get("/batches")
	// Batch 6 brought the liaison's unit no case (its new case is not yet
	// assigned): the unit does not see it.
	if resp.StatusCode != 200 || strings.Contains(page, `action="/batches"`) || strings.Contains(page, "第6批") {
		t.Errorf("liaison's batches: %d %v", resp.StatusCode, regexp.MustCompile(`第\d+批`).FindAllString(page, -1))
	}
	if resp, _ = l.upload("/batches", body, ct); resp.StatusCode != 403 {
		t.Errorf("liaison upload: %d", resp.StatusCode)
	}
}

// TestReportPage shows the day's report for printing.
func TestReportPage(t *testing.T) {
	e := newCaseEnv(t)
	e.dayOne()
	b := e.browser()
	b.login("leader")
	resp, page := b.get("/reports/daily?date=2026-12-10")
	if resp.StatusCode != 200 {
		t.Fatalf("report: %d", resp.StatusCode)
	}
	_, r := e.report("2026-12-10")
	mustHave(t, "report", page, r.Text, "中央生态环境保护督察信访件办理情况日报（截至2026年12月10日）", `name="date" value="2026年12月10日"`, "按行政区域", "按污染类型",
		`href="/api/v1/reports/daily.xlsx?date=2026-12-10"`, "<th>罚款（元）</th><td class=\"num\">12500.50</td>",
		"<tr><td>黄门镇</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td></tr>",
		"<tr><td>大气</td><td class=\"num\">17</td></tr>", "共5个问题，已销号0个、整改中3个、待验收1个，逾期0个。")
	if resp, page = b.get("/reports/daily?date=12/10"); resp.StatusCode != 400 || !strings.Contains(page, "日期格式应为") {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
	if resp, page = b.get("/reports/daily"); resp.StatusCode != 200 || !strings.Contains(page, "截至2026年12月10日") {
		t.Errorf("today's report: %d", resp.StatusCode)
	}
	// A unit's liaison gets the report of their unit's cases, and is told so.
	l := e.browser()
	l.login("liaison_yq")
	_, page = l.get("/reports/daily?date=2026-12-10")
	mustHave(t, "liaison's report", page, "本报告仅统计永清镇承办的交办件", "累计收到督察组交办信访件1批3件")
	resp, css := b.get("/static/case.css")
	if resp.StatusCode != 200 || !strings.Contains(css, "@media print") || !strings.Contains(css, ".cst-investigating") {
		t.Errorf("case.css: %d", resp.StatusCode)
	}
}
