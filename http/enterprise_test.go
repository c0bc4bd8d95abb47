package http_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// The enterprise scenario: a brick works complained about in batch 1 and
// again in batch 2, fined both times (12500.00 + 8000.50 yuan) and once
// suspended under a variant of its name; a farm ordered to rectify in one
// case; and a 林城镇 case found unsubstantiated.
const (
	brickName = "永清镇宏达砖厂"
	farmName  = "永清镇顺发养殖场"
	brickCase = "D3SX202612090001" // batch 1, 永清镇, 属实
	twiceCase = "X3SX202612100002" // batch 2, 永清镇, 部分属实: brick and farm
	falseCase = "D3SX202612100003" // batch 2, 林城镇, 不属实
)

// newEnterpriseEnv is newEnv with a server that also serves cases and
// enterprises, and the scenario above built through the store API.
func newEnterpriseEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = e.db, e.db, e.db, e.db, e.db, e.db
	s.Cases, s.Reports, s.Enterprises = e.db, e.db, e.db
	s.Now, s.Logger = e.clock.Now, e.srv.Logger
	e.srv = s
	e.ts = httptest.NewServer(s.Handler())
	t.Cleanup(e.ts.Close)

	coord := ducha.NewContextWithUser(t.Context(), e.users["coordinator"])
	row := func(n int, no, area, types string) ducha.BatchRow {
		ch := ducha.ChannelLetter
		if strings.HasPrefix(no, "D") {
			ch = ducha.ChannelPhone
		}
		return ducha.BatchRow{Row: n + 3, Case: &ducha.Case{AcceptanceNo: no, Channel: ch, Area: area,
			Text: "群众反映" + area + "某企业污染环境" + no, Types: strings.Split(types, ",")}}
	}
	if _, err := e.db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", []ducha.BatchRow{row(1, brickCase, "永清镇", "大气")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ImportBatch(coord, 2, "2026-12-10", "b2.xlsx", []ducha.BatchRow{row(1, twiceCase, "永清镇", "水"), row(2, falseCase, "林城镇", "水")}); err != nil {
		t.Fatal(err)
	}
	e.work(brickCase, "永清镇", "liaison", ducha.VerdictTrue,
		ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: brickName, FineYuan: 1250000})
	e.work(twiceCase, "永清镇", "liaison", ducha.VerdictPartly,
		ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: brickName, FineYuan: 800050},
		ducha.Measure{Kind: ducha.MeasureSuspended, Enterprise: "永清镇宏達磚廠"},
		ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: farmName})
	e.work(falseCase, "林城镇", "liaison_b", ducha.VerdictFalse)
	return e
}

// work assigns a case to unit, signs it as the unit's liaison and submits
// the verdict with the measures, all through the store.
func (e *env) work(no, unit, liaison, verdict string, ms ...ducha.Measure) {
	e.t.Helper()
	steps := []struct {
		role string
		in   ducha.CaseAction
	}{
		{"coordinator", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{ducha.UnitRef(unit)}}},
		{liaison, ducha.CaseAction{Action: ducha.CaseActSign}},
		{liaison, ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经调查核实", Verdict: verdict, Handling: "已处理", Measures: ms}},
	}
	for _, st := range steps {
		ctx := ducha.NewContextWithUser(e.t.Context(), e.users[st.role])
		c, err := e.db.FindCaseByAcceptanceNo(ctx, no)
		if err != nil {
			e.t.Fatalf("%s: %v", no, err)
		}
		st.in.Version = c.Version
		if _, err := e.db.ActOnCase(ctx, c.ID, st.in); err != nil {
			e.t.Fatalf("%s %s: %v", no, st.in.Action, err)
		}
	}
}

// enterpriseList is the answer of GET /api/v1/enterprises.
type enterpriseList struct {
	Items   []ducha.Enterprise `json:"items"`
	Total   int                `json:"total"`
	Page    int                `json:"page"`
	PerPage int                `json:"per_page"`
}

// enterprises lists enterprises through the API as role, failing the test
// unless it answers 200.
func (e *env) enterprises(role, query string) enterpriseList {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/enterprises"+query, role, "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("enterprises%s as %s: %d %s", query, role, resp.StatusCode, body)
	}
	var l enterpriseList
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		e.t.Fatalf("enterprises: %v: %s", err, body)
	}
	return l
}

// enterpriseRecord is the answer of GET /api/v1/enterprises/{id}, with
// fines kept as written.
type enterpriseRecord struct {
	Enterprise struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Cases    int    `json:"cases"`
		Measures int    `json:"measures"`
		Fines    string `json:"fines_yuan"`
		Problems int    `json:"problems"`
	} `json:"enterprise"`
	Cases []struct {
		AcceptanceNo string `json:"acceptance_no"`
		Batch        int    `json:"batch"`
	} `json:"cases"`
	Measures []struct {
		Kind         string `json:"kind"`
		EnterpriseID int64  `json:"enterprise_id"`
		Fine         string `json:"fine_yuan"`
	} `json:"measures"`
	Problems []struct {
		ID     int64  `json:"id"`
		Code   string `json:"code"`
		Source string `json:"source"`
	} `json:"problems"`
}

func (e *env) enterpriseRecord(role string, id int64) enterpriseRecord {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/enterprises/"+strconv.FormatInt(id, 10), role, "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("enterprise %d as %s: %d %s", id, role, resp.StatusCode, body)
	}
	var rec enterpriseRecord
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		e.t.Fatalf("enterprise record: %v: %s", err, body)
	}
	return rec
}

func TestEnterpriseAPI(t *testing.T) {
	e := newEnterpriseEnv(t)

	// Most cases first: the brick works (two cases from two batches, its
	// variant name counted as the same enterprise) before the farm.
	all := e.enterprises("coordinator", "")
	if len(all.Items) != 2 || all.Total != 2 || all.Page != 1 || all.PerPage != 50 {
		t.Fatalf("all enterprises: %+v", all)
	}
	brick, farm := all.Items[0], all.Items[1]
	if brick.Name != brickName || brick.Cases != 2 || brick.Measures != 3 || brick.Fines.String() != "20500.50" {
		t.Errorf("brick works: %+v", brick)
	}
	if farm.Name != farmName || farm.Cases != 1 || farm.Measures != 1 || farm.Fines != 0 {
		t.Errorf("farm: %+v", farm)
	}
	if l := e.enterprises("coordinator", "?q="+url.QueryEscape("宏达")+"&limit=5"); len(l.Items) != 1 || l.Items[0].ID != brick.ID || l.PerPage != 5 {
		t.Errorf("search 宏达: %+v", l)
	}
	// A page of one says how many there are, and the next page holds the
	// next one; limit= (before pages) and per_page= name the same size.
	if l := e.enterprises("coordinator", "?limit=1"); len(l.Items) != 1 || l.Items[0].ID != brick.ID || l.Total != 2 || l.PerPage != 1 {
		t.Errorf("limit 1: %+v", l)
	}
	if l := e.enterprises("coordinator", "?per_page=1&page=2"); len(l.Items) != 1 || l.Items[0].ID != farm.ID || l.Total != 2 || l.Page != 2 || l.PerPage != 1 {
		t.Errorf("page 2 of 1: %+v", l)
	}
	if l := e.enterprises("coordinator", "?fined=1"); len(l.Items) != 1 || l.Items[0].ID != brick.ID || l.Total != 1 {
		t.Errorf("fined: %+v", l)
	}
	if l := e.enterprises("coordinator", "?sort=name&order=desc&per_page=1"); l.Total != 2 || len(l.Items) != 1 {
		t.Errorf("sorted by name: %+v", l)
	}
	if resp, body := e.api("GET", "/api/v1/enterprises?sort=credit", "coordinator", ""); resp.StatusCode != 400 || !strings.Contains(body, `"sort"`) {
		t.Errorf("bad sort: %d %s", resp.StatusCode, body)
	}
	if l := e.enterprises("coordinator", "?q=nothing"); len(l.Items) != 0 || l.Total != 0 {
		t.Errorf("search nothing: %+v", l)
	}
	if resp, body := e.api("GET", "/api/v1/enterprises?q=nothing", "coordinator", ""); !strings.Contains(body, `"items":[]`) {
		t.Errorf("empty list is not an empty array: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api("GET", "/api/v1/enterprises?limit=x", "coordinator", ""); resp.StatusCode != 400 || !strings.Contains(body, `"limit"`) {
		t.Errorf("bad limit: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.api("GET", "/api/v1/enterprises", "", ""); resp.StatusCode != 401 {
		t.Errorf("anonymous list: %d", resp.StatusCode)
	}

	// The record: both cases with their batches, three measures, the fines summed.
	rec := e.enterpriseRecord("coordinator", brick.ID)
	if rec.Enterprise.Name != brickName || rec.Enterprise.Cases != 2 || rec.Enterprise.Measures != 3 || rec.Enterprise.Fines != "20500.50" {
		t.Errorf("record enterprise: %+v", rec.Enterprise)
	}
	if len(rec.Cases) != 2 || rec.Cases[0].AcceptanceNo != brickCase || rec.Cases[0].Batch != 1 || rec.Cases[1].AcceptanceNo != twiceCase || rec.Cases[1].Batch != 2 {
		t.Errorf("record cases: %+v", rec.Cases)
	}
	kinds := map[string]int{}
	for _, m := range rec.Measures {
		kinds[m.Kind]++
		if m.EnterpriseID != brick.ID {
			t.Errorf("measure of another enterprise: %+v", m)
		}
	}
	if len(rec.Measures) != 3 || kinds[ducha.MeasurePenaltyCase] != 2 || kinds[ducha.MeasureSuspended] != 1 {
		t.Errorf("record measures: %+v", rec.Measures)
	}
	if rec.Problems == nil || len(rec.Problems) != 0 {
		t.Errorf("record problems: %+v", rec.Problems)
	}

	// A liaison of another unit: not found, exactly like a missing one, and
	// not in its list.
	resp, body := e.api("GET", fmt.Sprintf("/api/v1/enterprises/%d", brick.ID), "liaison_b", "")
	_, missing := e.api("GET", "/api/v1/enterprises/999999", "liaison_b", "")
	if resp.StatusCode != 404 || body != missing {
		t.Errorf("林城镇 liaison reading the record: %d %s", resp.StatusCode, body)
	}
	if l := e.enterprises("liaison_b", "?q="+url.QueryEscape("宏达")); len(l.Items) != 0 {
		t.Errorf("林城镇 liaison's list: %+v", l)
	}
	// The unit that handled them sees it all.
	if own := e.enterpriseRecord("liaison", brick.ID); len(own.Cases) != 2 || own.Enterprise.Fines != "20500.50" {
		t.Errorf("永清镇 liaison sees %+v", own)
	}

	for _, path := range []string{"/api/v1/enterprises/999999", "/api/v1/enterprises/abc", "/api/v1/enterprises/0"} {
		if resp, body := e.api("GET", path, "coordinator", ""); resp.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}

func TestEnterprisePages(t *testing.T) {
	e := newEnterpriseEnv(t)
	brick := e.enterprises("coordinator", "").Items[0]
	coord := e.browser()
	coord.login("coord")

	resp, page := coord.get("/enterprises")
	if resp.StatusCode != 200 {
		t.Fatalf("enterprises: %d", resp.StatusCode)
	}
	mustHave(t, "nav", page, `<a href="/enterprises">企业</a>`)
	mustHave(t, "enterprise list", page, "企业档案", "共2家企业", `<a href="/enterprises?order=asc&amp;sort=name">企业名称</a></th>`,
		`<th scope="col">统一社会信用代码</th>`, `<a href="/enterprises?order=asc&amp;sort=cases">交办件数</a></th>`,
		">处理措施数</a></th>", ">罚款合计（元）</a></th>", ">问题数</a></th>", `<table class="ledger enterprises cards">`,
		`<a href="/enterprises/`+strconv.FormatInt(brick.ID, 10)+`">`+brickName+`</a> <span class="badge repeat">多次被举报</span>`,
		`<td data-label="交办件数" class="num">2</td>`, `<td data-label="罚款合计（元）" class="num">20500.50</td>`)
	if n := strings.Count(page, `<span class="badge repeat">多次被举报</span>`); n != 1 {
		t.Errorf("repeat badges: %d", n)
	}
	if i, j := strings.Index(page, brickName), strings.Index(page, farmName); i < 0 || j < 0 || i > j {
		t.Errorf("brick works (%d) not before the farm (%d)", i, j)
	}
	_, page = coord.get("/enterprises?q=" + url.QueryEscape("顺发"))
	mustHave(t, "search 顺发", page, "共1家企业", farmName, `value="顺发"`)
	mustLack(t, "search 顺发", page, brickName, `<span class="badge repeat">`)
	if resp, page := coord.get("/enterprises?limit=-1"); resp.StatusCode != 400 || !strings.Contains(page, "limit应为正整数") {
		t.Errorf("bad limit: %d", resp.StatusCode)
	}

	path := "/enterprises/" + strconv.FormatInt(brick.ID, 10)
	resp, page = coord.get(path)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	mustHave(t, "enterprise page", page, "<h1>"+brickName+` <span class="badge repeat">多次被举报</span></h1>`,
		`<a href="/cases/`+brickCase+`">`+brickCase+`</a>`, `<a href="/cases/`+twiceCase+`">`+twiceCase+`</a>`,
		"第1批", "第2批", "<td>立案处罚</td>", "<td>停产整治</td>", `<td class="num">12500.00</td>`, `<td class="num">8000.50</td>`,
		`<th colspan="4">罚款合计（元）</th><td class="num">20500.50</td>`, "问题台账中没有以该企业为责任主体的问题")
	mustLack(t, "enterprise page", page, farmName, falseCase)

	// The 林城镇 liaison has nothing to do with this enterprise: not found,
	// exactly like a missing one.
	lb := e.browser()
	lb.login("liaison_lc")
	resp, page = lb.get(path)
	_, missing := lb.get("/enterprises/999999")
	// The pages differ only in the language link's return address.
	same := strings.ReplaceAll(strings.ToLower(page), strings.ToLower(url.QueryEscape(path)), strings.ToLower(url.QueryEscape("/enterprises/999999")))
	if resp.StatusCode != 404 || same != strings.ToLower(missing) {
		t.Fatalf("liaison_b %s: %d", path, resp.StatusCode)
	}
	mustLack(t, "liaison_b's enterprise page", page, brickName, brickCase, twiceCase, "12500.00")

	if resp, page := coord.get("/enterprises/999999"); resp.StatusCode != 404 || !strings.Contains(page, "企业") {
		t.Errorf("missing enterprise: %d", resp.StatusCode)
	}

	// The case page links each measure's enterprise to its page.
	_, page = coord.get("/cases/" + twiceCase)
	mustHave(t, "case page", page, `<td>立案处罚</td><td><a href="`+path+`">`+brickName+`</a></td>`,
		`<td>责令整改</td><td><a href="/enterprises/`)
}

// problemLink finds the link to a problem in a page: its id and code.
var problemLink = regexp.MustCompile(`<a href="/problems/(\d+)">([^<]+)</a> <span class="badge st-registered">待交办</span>`)

func TestOpenProblemFromCasePage(t *testing.T) {
	e := newEnterpriseEnv(t)
	c := e.kase(twiceCase)
	casePath := "/cases/" + strconv.FormatInt(c.ID, 10)
	coord := e.browser()
	coord.login("coord")

	// The form is offered on a substantiated case, prefilled from it.
	_, page := coord.get(casePath)
	mustHave(t, "case page", page, `<form method="post" action="`+casePath+`/problems">`, "转入问题台账",
		`<input name="subject" value="`+brickName+`">`, `<textarea name="description" rows="4">`+c.Text+`</textarea>`,
		`<option value="`+strconv.FormatInt(e.units["永清镇"].ID, 10)+`" selected>永清镇</option>`)
	// Not on an unsubstantiated case, nor for a liaison.
	_, page = coord.get("/cases/" + falseCase)
	mustLack(t, "unsubstantiated case page", page, "转入问题台账")
	liaison := e.browser()
	liaison.login("liaison_yq")
	_, page = liaison.get(casePath)
	mustLack(t, "liaison's case page", page, "转入问题台账")

	// A refused post shows the form again with the message, keeping the input.
	resp, page := coord.post(casePath+"/problems", url.Values{"subject": {"某企业"}, "description": {"砖厂反复超标"}, "lead_unit": {"不存在的单位"}})
	if resp.StatusCode != 400 {
		t.Fatalf("unknown unit: %d %s", resp.StatusCode, page)
	}
	mustHave(t, "refused form", page, `<details class="action" open id="open-problem">`, "单位“不存在的单位”不存在", `<input name="subject" value="某企业">`)

	resp, _ = coord.post(casePath+"/problems", url.Values{"subject": {brickName}, "description": {"砖厂反复超标排放"},
		"lead_unit": {strconv.FormatInt(e.units["永清镇"].ID, 10)}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !regexp.MustCompile(`^/problems/\d+$`).MatchString(loc) {
		t.Fatalf("open problem: %d %q", resp.StatusCode, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/problems/"), 10, 64)
	p, err := e.db.FindProblemByID(system, id)
	if err != nil || p.Source != "信访交办" || p.Subject != brickName || p.Description != "砖厂反复超标排放" || p.LeadUnit != "永清镇" ||
		p.Area != "永清镇" || len(p.Types) != 1 || p.Types[0] != "水" || len(p.Cases) != 1 || p.Cases[0] != twiceCase {
		t.Fatalf("the problem: %+v %v", p, err)
	}
	_, page = coord.get(loc)
	mustHave(t, "problem page", page, `<p class="flash" role="status">已转入问题台账，并与交办件关联</p>`,
		`<dt>关联交办件</dt><dd><a href="/cases/`+twiceCase+`">`+twiceCase+`</a></dd>`)

	// The case page, reached by its acceptance number, lists the problem.
	resp, page = coord.get("/cases/" + twiceCase)
	if resp.StatusCode != 200 {
		t.Fatalf("case by acceptance number: %d", resp.StatusCode)
	}
	m := problemLink.FindStringSubmatch(page)
	if m == nil || m[1] != strconv.FormatInt(id, 10) || m[2] != p.Code {
		t.Errorf("case page's problems: %v", m)
	}
	mustHave(t, "case history", page, `<span class="action">转入问题台账<br><small>`+p.Code+"</small></span>")
	// The enterprise's record now has it.
	rec := e.enterpriseRecord("coordinator", e.enterprises("coordinator", "").Items[0].ID)
	if len(rec.Problems) != 1 || rec.Problems[0].ID != id {
		t.Errorf("enterprise problems: %+v", rec.Problems)
	}

	// Refused for an unsubstantiated case and for a liaison.
	resp, page = coord.post("/cases/"+falseCase+"/problems", url.Values{"description": {"x"}})
	if resp.StatusCode != 409 || !strings.Contains(page, "只有经查属实或部分属实的交办件才能转入问题台账") {
		t.Errorf("unsubstantiated: %d", resp.StatusCode)
	}
	resp, _ = liaison.post(casePath+"/problems", url.Values{"description": {"x"}})
	if resp.StatusCode != 403 {
		t.Errorf("liaison: %d", resp.StatusCode)
	}
	if got := e.kase(twiceCase).ProblemIDs; len(got) != 1 {
		t.Errorf("refused posts linked problems: %v", got)
	}
}

func TestOpenProblemFromCaseAPI(t *testing.T) {
	e := newEnterpriseEnv(t)
	path := "/api/v1/cases/" + brickCase + "/problems"

	// Every field may be left to the case.
	resp, body := e.api("POST", path, "coordinator", `{"subject":"`+brickName+`","deadline":"2026-12-31"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("open problem: %d %s", resp.StatusCode, body)
	}
	var p ducha.Problem
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	c := e.kase(brickCase)
	if p.ID == 0 || p.Source != "信访交办" || p.Description != c.Text || p.Area != "永清镇" || p.LeadUnit != "永清镇" ||
		p.Subject != brickName || p.Deadline != "2026-12-31" || p.Status != ducha.StatusRegistered ||
		len(p.Types) != 1 || p.Types[0] != "大气" || len(p.Cases) != 1 || p.Cases[0] != brickCase {
		t.Errorf("problem: %s", body)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/problems/"+strconv.FormatInt(p.ID, 10) || resp.Header.Get("ETag") != `"1"` {
		t.Errorf("Location %q ETag %q", loc, resp.Header.Get("ETag"))
	}
	// Both sides link.
	if _, body := e.api("GET", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10), "coordinator", ""); !strings.Contains(body, `"cases":["`+brickCase+`"]`) {
		t.Errorf("problem's cases: %s", body)
	}
	if _, body := e.api("GET", "/api/v1/cases/"+brickCase, "coordinator", ""); !strings.Contains(body, `"problem_ids":[`+strconv.FormatInt(p.ID, 10)+`]`) {
		t.Errorf("case's problems: %s", body)
	}
	// The problem page lists the case; the case page lists the problem.
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems/" + strconv.FormatInt(p.ID, 10))
	mustHave(t, "problem page", page, `<a href="/cases/`+brickCase+`">`+brickCase+`</a>`)
	_, page = b.get("/cases/" + brickCase)
	mustHave(t, "case page", page, `<a href="/problems/`+strconv.FormatInt(p.ID, 10)+`">`+p.Code+`</a>`)

	// The case by id works as well, here with a lead unit of our own.
	resp, body = e.api("POST", "/api/v1/cases/"+strconv.FormatInt(e.kase(twiceCase).ID, 10)+"/problems", "coordinator",
		`{"description":"养殖场污水","lead_unit":"县生态环境局","types":["水","土壤"]}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"lead_unit":"县生态环境局"`) || !strings.Contains(body, `"types":["水","土壤"]`) ||
		!strings.Contains(body, `"cases":["`+twiceCase+`"]`) {
		t.Errorf("by id: %d %s", resp.StatusCode, body)
	}

	for _, tc := range []struct {
		name, path, role, body string
		status                 int
		fragment               string
	}{
		{"unsubstantiated", "/api/v1/cases/" + falseCase + "/problems", "coordinator", `{}`, 409, `"code":"conflict"`},
		{"liaison", path, "liaison", `{}`, 403, `"code":"forbidden"`},
		{"anonymous", path, "", `{}`, 401, `"code":"unauthorized"`},
		{"unknown case", "/api/v1/cases/D3SX209912310001/problems", "coordinator", `{}`, 404, `"code":"not_found"`},
		{"bad type", path, "coordinator", `{"types":["空气"]}`, 400, `"types"`},
		{"other source", path, "coordinator", `{"source":"自查发现"}`, 400, `"source"`},
		{"unknown field", path, "coordinator", `{"verdict":"属实"}`, 400, `"verdict"`},
		{"unknown unit", path, "coordinator", `{"lead_unit":"火星"}`, 400, `"lead_unit"`},
	} {
		resp, body := e.api("POST", tc.path, tc.role, tc.body)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.fragment) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	// Nothing refused left a link behind.
	if got := e.kase(brickCase).ProblemIDs; len(got) != 1 || got[0] != p.ID {
		t.Errorf("brick case's problems: %v", got)
	}
	if got := e.kase(falseCase).ProblemIDs; len(got) != 0 {
		t.Errorf("unsubstantiated case's problems: %v", got)
	}
}
