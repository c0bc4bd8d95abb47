package http_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
)

// The cases the workflow tests take through the API.
const (
	// caseA: 黄门镇, a letter; its text names the complainant 吴志强 and
	// his phone 13348532309. Closed and published on day one.
	caseA = "X3SX202612080001"
	// caseB: 松树镇, a phone call; its text holds the ID number
	// 620521196505177794. Found unsubstantiated, closed and published.
	caseB = "D3SX202612080005"
	// caseC: 草川铺镇; its text names 吴建国 and 15144333000. Stage-closed
	// on day one, closed on day two, never published.
	caseC = "X3SX202612080004"
	// caseD: untouched; its text names 赵海燕 and 14015812091.
	caseD = "D3SX202612080008"
	// caseE: 永清镇, batch 5; walked on day two.
	caseE = "D3SX202612100003"
)

// dayOne does the first day's work (2026-12-10) through the API.
func (e *env) dayOne() {
	e.t.Helper()
	e.walkCase(caseA, `{"findings":"经核查，举报人吴志强（电话13348532309）反映的夜间生产扰民问题属实。","verdict":"属实",
		"handling":"责令该公司立即整改，立案处罚，罚款12500.50元，约谈企业负责人2人。","accountability":"无",
		"measures":[{"kind":"ordered_to_rectify","enterprise":"黄门镇河湾村石材加工有限公司"},
			{"kind":"penalty_case","enterprise":"黄门镇河湾村石材加工有限公司","fine_yuan":"12500.50"},
			{"kind":"interviewed","persons":2}]}`, ducha.CaseClosed, true)
	e.walkCase(caseB, `{"findings":"经核查，未发现焚烧废旧轮胎行为，身份证号620521196505177794的村民反映的情况不属实。","verdict":"不属实",
		"handling":"已向举报人反馈核查情况。","accountability":"无","measures":[]}`, ducha.CaseClosed, true)
	e.walkCase(caseC, `{"findings":"举报人吴建国反映的粉尘问题部分属实，噪声问题不属实。","verdict":"部分属实",
		"handling":"责令限期整改，对镇分管领导问责1人。","accountability":"镇分管领导诫勉谈话",
		"measures":[{"kind":"ordered_to_rectify","enterprise":"草川铺镇上寨村砖瓦有限公司"},{"kind":"held_accountable","persons":1}]}`,
		ducha.CaseStageClosed, false)
}

// report fetches the daily report as the coordinator, failing on anything but 200.
func (e *env) report(date string) (string, *ducha.DailyReport) {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/reports/daily?date="+date, "coordinator", "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("report %s: %d %s", date, resp.StatusCode, body)
	}
	var r ducha.DailyReport
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		e.t.Fatalf("report %s: %v", date, err)
	}
	return body, &r
}

// areaCounts is the by_area line of an area: total, closed, stage-closed, open.
type areaCounts [4]int

// checkAreas compares by_area with the areas the test names and, for the
// others, the number of cases each has (all open): totals first, each
// area once.
func checkAreas(t *testing.T, got []ducha.ReportArea, touched map[string]areaCounts) {
	t.Helper()
	open := map[string]int{"金集镇": 4, "山门镇": 3, "松树镇": 3, "黄门镇": 2, "草川铺镇": 2, "远门镇": 2, "永清镇": 2, "白驼镇": 2,
		"陇东乡": 2, "王河镇": 2, "郭川镇": 1, "丰望乡": 1, "红堡镇": 1, "新城乡": 1, "白沙镇": 1, "土门镇": 1, "秦亭镇": 1}
	if len(got) != len(open) {
		t.Errorf("by_area has %d areas, want %d: %+v", len(got), len(open), got)
	}
	for i, a := range got {
		want, ok := touched[a.Area]
		if !ok {
			want = areaCounts{open[a.Area], 0, 0, open[a.Area]}
		}
		if n, known := open[a.Area]; !known || n != want[0] {
			t.Errorf("area %q: %d cases, the samples have %d", a.Area, want[0], n)
		}
		if (areaCounts{a.Total, a.Closed, a.StageClosed, a.Open}) != want {
			t.Errorf("area %s: %+v, want %v", a.Area, a, want)
		}
		if i > 0 && got[i-1].Total < a.Total {
			t.Errorf("by_area not by total: %s %d before %s %d", got[i-1].Area, got[i-1].Total, a.Area, a.Total)
		}
	}
}

// TestCaseWorkflowReport walks cases through the whole workflow by the
// API and checks the daily report's every number against hand counts;
// the report for a day stays what it was after later work.
func TestCaseWorkflowReport(t *testing.T) {
	e := newCaseEnv(t)
	e.dayOne()
	body1, r1 := e.report("2026-12-10")

	// The keys, exactly as SPEC section 6 writes them.
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(body1), &raw)
	keys := func(b json.RawMessage) []string {
		var m map[string]any
		json.Unmarshal(b, &m)
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	if got := keys([]byte(body1)); !slices.Equal(got, []string{"as_of", "by_area", "by_type", "cases", "ledger", "measures", "text"}) {
		t.Errorf("report keys %v", got)
	}
	if got := keys(raw["cases"]); !slices.Equal(got, []string{"basically_substantiated", "batches", "closed", "duplicates", "key",
		"letter", "open", "partly_substantiated", "phone", "stage_closed", "substantiated", "total", "unsubstantiated"}) {
		t.Errorf("cases keys %v", got)
	}
	if got := keys(raw["measures"]); !slices.Equal(got, []string{"administrative_detention", "closed_down", "criminal_cases",
		"criminal_detention", "fines_yuan", "held_accountable", "interviewed", "listed_supervision", "ordered_to_rectify",
		"penalty_cases", "suspended"}) {
		t.Errorf("measures keys %v", got)
	}
	if !strings.Contains(body1, `"fines_yuan":"12500.50"`) || !strings.Contains(body1, `"as_of":"2026-12-10"`) {
		t.Errorf("money or date not written as SPEC: %s", body1)
	}

	// Day one: 31 cases in 3 batches (13 by phone, 18 by letter, 3 key
	// cases, all in batch 4); A and B closed, C stage-closed.
	wantCases := ducha.ReportCases{Batches: 3, Total: 31, Phone: 13, Letter: 18, Key: 3, Closed: 2, StageClosed: 1, Open: 28,
		Substantiated: 1, PartlySubstantiated: 1, Unsubstantiated: 1}
	// Two enterprises ordered to rectify, one of them fined 12500.50;
	// 2 persons interviewed (A), 1 held accountable (C).
	wantMeasures := ducha.ReportMeasures{OrderedToRectify: 2, PenaltyCases: 1, FinesYuan: 1250050, Interviewed: 2, HeldAccountable: 1}
	// A case counts in each of its types: 8 水, 17 大气, 14 土壤, 13 固废, 4 噪声, 3 生态.
	wantTypes := []ducha.ReportType{{Type: "水", Count: 8}, {Type: "大气", Count: 17}, {Type: "土壤", Count: 14},
		{Type: "固废", Count: 13}, {Type: "噪声", Count: 4}, {Type: "生态", Count: 3}}
	// The seeded ledger: own, other and coop in progress, pending awaiting
	// verification, registered not yet planned; none overdue.
	wantLedger := ducha.ReportLedger{Total: 5, InProgress: 3, PendingVerification: 1}
	if r1.AsOf != "2026-12-10" || r1.Cases != wantCases || r1.Measures != wantMeasures || !sameLedgerTotals(r1.Ledger, wantLedger) ||
		!reflect.DeepEqual(r1.ByType, wantTypes) {
		t.Errorf("day one report:\n got %+v %+v %+v %+v\nwant %+v %+v %+v %+v", r1.Cases, r1.Measures, r1.Ledger, r1.ByType,
			wantCases, wantMeasures, wantLedger, wantTypes)
	}
	checkAreas(t, r1.ByArea, map[string]areaCounts{"黄门镇": {2, 1, 0, 1}, "松树镇": {3, 1, 0, 2}, "草川铺镇": {2, 0, 1, 1}})
	wantText := "截至12月10日，累计收到督察组交办信访件3批31件（来电13件、来信18件，重点关注3件），已办结2件、阶段性办结1件、未办结28件；" +
		"经查属实1件、部分属实1件、不属实1件；责令整改2家，立案处罚1家，罚款12500.50元，立案侦查0件，行政拘留0人，刑事拘留0人，约谈2人，问责1人。"
	if r1.Text != wantText {
		t.Errorf("text\n got %s\nwant %s", r1.Text, wantText)
	}

	// Day two: C is closed; E (永清镇) is walked: the same enterprise as A
	// fined again, another suspended, a criminal case with one detention.
	e.clock.Add(23 * time.Hour)
	e.act("coordinator", caseC, "accept", `{"status":"closed"}`)
	e.walkCase(caseE, `{"findings":"属实","verdict":"属实","handling":"停产整治，立案处罚，移送公安立案侦查，刑事拘留1人。",
		"measures":[{"kind":"penalty_case","enterprise":"黄门镇河湾村石材加工有限公司","fine_yuan":3000},
			{"kind":"suspended","enterprise":"永清镇东关村汽修厂"},{"kind":"criminal_case"},{"kind":"criminal_detention","persons":1}]}`,
		ducha.CaseStageClosed, false)
	_, r2 := e.report("2026-12-11")
	wantCases = ducha.ReportCases{Batches: 3, Total: 31, Phone: 13, Letter: 18, Key: 3, Closed: 3, StageClosed: 1, Open: 27,
		Substantiated: 2, PartlySubstantiated: 1, Unsubstantiated: 1}
	wantMeasures = ducha.ReportMeasures{OrderedToRectify: 2, PenaltyCases: 1, FinesYuan: 1550050, CriminalCases: 1,
		CriminalDetention: 1, Interviewed: 2, HeldAccountable: 1, Suspended: 1}
	if r2.Cases != wantCases || r2.Measures != wantMeasures || !sameLedgerTotals(r2.Ledger, wantLedger) || !reflect.DeepEqual(r2.ByType, wantTypes) {
		t.Errorf("day two report:\n got %+v %+v %+v\nwant %+v %+v %+v", r2.Cases, r2.Measures, r2.Ledger, wantCases, wantMeasures, wantLedger)
	}
	checkAreas(t, r2.ByArea, map[string]areaCounts{"黄门镇": {2, 1, 0, 1}, "松树镇": {3, 1, 0, 2}, "草川铺镇": {2, 1, 0, 1},
		"永清镇": {2, 0, 1, 1}})
	if !strings.HasSuffix(r2.Text, "罚款15500.50元，立案侦查1件，行政拘留0人，刑事拘留1人，约谈2人，问责1人，停产整治1家。") {
		t.Errorf("day two text: %s", r2.Text)
	}

	// The report for day one, asked for on day two, is what it was.
	if again, _ := e.report("2026-12-10"); again != body1 {
		t.Errorf("day one report changed by later work:\nthen %s\nnow  %s", body1, again)
	}

	// The xlsx says the same.
	resp, xlsx := e.api("GET", "/api/v1/reports/daily.xlsx?date=2026-12-10", "leader", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "2026-12-10.xlsx") {
		t.Fatalf("report xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if text := xlsxText(t, xlsx); !strings.Contains(text, wantText) || !strings.Contains(text, "12500.50") {
		t.Errorf("report xlsx lacks the sentence")
	}

	// The workflow left its history on the case, readable by its unit.
	resp, body := e.api("GET", "/api/v1/cases/"+caseE+"/events", "liaison", "")
	for _, a := range []string{"import", "assign", "sign", "submit", "accept"} {
		if resp.StatusCode != 200 || !strings.Contains(body, `"action":"`+a+`"`) {
			t.Errorf("events lack %s: %d %s", a, resp.StatusCode, body)
		}
	}
}

// xlsxText is every file of a workbook, unpacked and joined.
func xlsxText(t *testing.T, body string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&b, rc)
		rc.Close()
	}
	return b.String()
}

// TestBatchImport checks the rules of a batch upload: the same file twice
// changes nothing, a bad row stops the whole file with its row number,
// duplicates of earlier batches are logged and not counted.
func TestBatchImport(t *testing.T) {
	e := newCaseEnv(t)
	version := e.dataVersion()
	count := func() string {
		_, body := e.api("GET", "/api/v1/cases?per_page=1", "coordinator", "")
		_, batches := e.api("GET", "/api/v1/batches", "coordinator", "")
		var l struct{ Total int }
		json.Unmarshal([]byte(body), &l)
		var b struct{ Total int }
		json.Unmarshal([]byte(batches), &b)
		return strconv.Itoa(l.Total) + "/" + strconv.Itoa(b.Total)
	}
	if got := count(); got != "31/3" {
		t.Fatalf("after the samples: %s", got)
	}

	// The same file again: 200, unchanged, nothing written.
	resp, body := e.uploadSample("coordinator", "cases-batch-03.xlsx", "", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"unchanged":true`) || !strings.Contains(body, `"created":0`) ||
		!strings.Contains(body, `"number":3`) {
		t.Errorf("same file again: %d %s", resp.StatusCode, body)
	}
	resp, body = e.uploadSample("admin", "cases-batch-04-gb18030.csv", "4", "2026-12-09")
	if resp.StatusCode != 200 || !strings.Contains(body, `"unchanged":true`) {
		t.Errorf("same csv again: %d %s", resp.StatusCode, body)
	}
	if e.dataVersion() != version || count() != "31/3" {
		t.Errorf("importing the same files again wrote something")
	}

	// A bad row stops the file: 400 naming the row, nothing stored.
	bad := "序号,受理编号,交办问题基本情况,行政区域,污染类型,举报方式,重点关注\n" +
		"1,D3SX202612110001,永清镇某砖厂夜间生产噪声扰民,永清镇,噪声,来电,\n" +
		"2,D3SX202612110002,,永清镇,大气,来电,\n"
	resp, body = e.uploadBatch("coordinator", "第6批.csv", []byte(bad), "6", "2026-12-10")
	if resp.StatusCode != 400 || !strings.Contains(body, `"row":3`) || !strings.Contains(body, "第3行") ||
		!strings.Contains(body, `"fields":{"text"`) {
		t.Errorf("bad row: %d %s", resp.StatusCode, body)
	}
	// The csv without its date names what is missing.
	resp, body = e.uploadSample("coordinator", "cases-batch-04-gb18030.csv", "", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `"date"`) || !strings.Contains(body, "交办日期") {
		t.Errorf("csv without date: %d %s", resp.StatusCode, body)
	}
	resp, body = e.uploadSample("coordinator", "cases-batch-05-merged.xlsx", "", "2026年13月1日")
	if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"date"`) {
		t.Errorf("bad date field: %d %s", resp.StatusCode, body)
	}
	resp, body = e.uploadBatch("coordinator", "", nil, "6", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("no file: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("POST", "/api/v1/batches", "coordinator", `{"file":"x"}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("json instead of a file: %d %s", resp.StatusCode, body)
	}
	// Batch 5 again with other cases is refused.
	resp, body = e.uploadBatch("coordinator", "cases.csv", []byte(strings.Replace(bad, "2,D3SX202612110002,,", "2,D3SX202612110002,另一件,", 1)), "5", "2026-12-10")
	if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"batch"`) {
		t.Errorf("batch 5 with other cases: %d %s", resp.StatusCode, body)
	}
	if e.dataVersion() != version || count() != "31/3" {
		t.Errorf("failed imports wrote something")
	}

	// A case handed over again is logged with its first batch.
	dup := "序号,受理编号,交办问题基本情况,行政区域,污染类型,举报方式,重点关注\n" +
		"1,D3SX202612110001,永清镇某砖厂夜间生产噪声扰民,永清镇,噪声,来电,是\n" +
		"2," + caseA + ",黄门镇河湾村石材加工有限公司夜间生产，粉尘和噪声扰民,黄门镇,大气,来信,\n"
	resp, body = e.uploadBatch("coordinator", "第6批.csv", []byte(dup), "6", "2026-12-10")
	if resp.StatusCode != 201 || !strings.Contains(body, `"created":1`) ||
		!strings.Contains(body, `{"acceptance_no":"`+caseA+`","row":3,"case_id":`) || !strings.Contains(body, `"first_batch":3}`) ||
		!strings.Contains(body, `"key":1`) {
		t.Errorf("duplicate: %d %s", resp.StatusCode, body)
	}
	if got := count(); got != "32/4" {
		t.Errorf("after batch 6: %s", got)
	}
}

// TestPublicDisclosure checks the disclosure table without a login: the
// published cases of the batch, nothing unpublished, and no complainant's
// name, phone or ID number as written, in the page, the JSON or the xlsx.
func TestPublicDisclosure(t *testing.T) {
	e := newCaseEnv(t)
	e.dayOne()
	raw := []string{"13348532309", "620521196505177794", "吴志强", "15144333000", "吴建国", "14015812091", "赵海燕"}

	b := e.browser() // nobody logged in
	resp, page := b.get("/public/disclosure?batch=3")
	if resp.StatusCode != 200 {
		t.Fatalf("public page: %d %s", resp.StatusCode, page)
	}
	for _, w := range []string{caseA, caseB, "中央第三生态环境保护督察组交办第3批群众信访举报件边督边改公开情况一览表", "交办日期：2026年12月8日",
		"举报人吴**（电话133******09）", "620*************94", "已公开2件", "不属实", "约谈企业负责人2人"} {
		if !strings.Contains(page, w) {
			t.Errorf("public page lacks %s", w)
		}
	}
	for _, a := range append([]string{caseC, caseD, "X3SX202612080010", "/logout", `href="/cases"`}, raw...) {
		if strings.Contains(page, a) {
			t.Errorf("public page shows %s", a)
		}
	}
	// The chooser, a batch with nothing published, and a bad batch.
	if resp, page = b.get("/public/disclosure"); resp.StatusCode != 200 || !strings.Contains(page, `name="batch"`) {
		t.Errorf("chooser: %d", resp.StatusCode)
	}
	if resp, page = b.get("/public/disclosure?batch=4"); resp.StatusCode != 200 || !strings.Contains(page, "本批次暂无已公开的办理情况") ||
		strings.Contains(page, "D3SX202612090003") {
		t.Errorf("batch 4: %d", resp.StatusCode)
	}
	if resp, _ = b.get("/public/disclosure?batch=abc"); resp.StatusCode != 400 {
		t.Errorf("bad batch: %d", resp.StatusCode)
	}

	// The public JSON.
	resp, body := e.api("GET", "/api/v1/disclosure?batch=3", "", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"total":2`) || !strings.Contains(body, `"seq":1,"acceptance_no":"`+caseA+`"`) ||
		!strings.Contains(body, `"seq":2,"acceptance_no":"`+caseB+`"`) {
		t.Errorf("public json: %d %s", resp.StatusCode, body)
	}
	for _, a := range append([]string{caseC, caseD}, raw...) {
		if strings.Contains(body, a) {
			t.Errorf("public json shows %s", a)
		}
	}

	// The xlsx for the coordinator holds the same rows, masked.
	resp, xlsx := e.api("GET", "/api/v1/exports/disclosure.xlsx?batch=3", "coordinator", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("disclosure xlsx: %d %s", resp.StatusCode, xlsx)
	}
	text := xlsxText(t, xlsx)
	for _, w := range []string{caseA, caseB, "举报人吴**", "133******09"} {
		if !strings.Contains(text, w) {
			t.Errorf("disclosure xlsx lacks %s", w)
		}
	}
	for _, a := range append([]string{caseC, caseD}, raw...) {
		if strings.Contains(text, a) {
			t.Errorf("disclosure xlsx shows %s", a)
		}
	}
	// A unit liaison's export holds their unit's published cases: A and B
	// were assigned to 永清镇, so the same two.
	resp, xlsx = e.api("GET", "/api/v1/exports/disclosure.xlsx?batch=3", "liaison_b", "")
	if text := xlsxText(t, xlsx); resp.StatusCode != 200 || strings.Contains(text, caseA) {
		t.Errorf("other unit's export shows 永清镇's cases")
	}
}

// sameLedgerTotals compares the ledger's totals, leaving its by-unit lines
// to the store's own tests.
func sameLedgerTotals(a, b ducha.ReportLedger) bool {
	a.ByUnit, b.ByUnit = nil, nil
	return reflect.DeepEqual(a, b)
}
