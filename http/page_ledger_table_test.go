package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ducha"
	"ducha/excel"
	"ducha/sheets"
)

// ledgerEnv is newEnv with the real xlsx export, notices, and a few more
// problems whose deadlines, areas and sources sort apart from their ids.
func ledgerEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.srv.Notices = e.db
	e.srv.ExportLedger = func(ctx context.Context, f ducha.ProblemFilter, w io.Writer) error {
		return sheets.ExportProblems(ctx, e.db, f, w, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-10")
	}
	for i, c := range []struct{ desc, lead, deadline string }{
		{"林城镇露天焚烧秸秆", "林城镇", "2026-12-09"},
		{"永清镇噪声扰民", "永清镇", "2026-12-11"},
		{"县生态环境局监测站数据异常", "县生态环境局", "2027-01-15"},
	} {
		p := &ducha.Problem{Source: []string{"重点问题", "督察反馈", "其他"}[i], Description: c.desc, Area: c.lead, Types: []string{"水"}}
		if err := e.db.CreateProblem(system, p); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ActOnProblem(system, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version, LeadUnit: ducha.UnitRef(c.lead),
			Person: []string{"李四", "王五", "赵六"}[i], Measures: "整治", Deadline: ducha.Date(c.deadline), ConfirmPastDeadline: true}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// listOf reads one answer of GET /api/v1/problems as the role.
func listOf(t *testing.T, e *env, role, query string) []*ducha.Problem {
	t.Helper()
	resp, body := e.api("GET", "/api/v1/problems?"+query, role, "")
	if resp.StatusCode != 200 {
		t.Fatalf("list %s as %s: %d %s", query, role, resp.StatusCode, body)
	}
	var l struct{ Items []*ducha.Problem }
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	return l.Items
}

func codesOf(ps []*ducha.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

// rowCodes are the problem codes of a ledger page's rows, in order.
func rowCodes(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td data-label="编号">(?:<input type="checkbox" name="id"[^>]*> )?<a href="/problems/\d+">([^<]+)</a>`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestLedgerSortEveryColumn: the API and the page order the ledger by each
// sortable column both ways as ducha.SortProblems orders the whole list,
// the page's header says which (aria-sort and an arrow) and links to the
// other direction, keeping the filter.
func TestLedgerSortEveryColumn(t *testing.T) {
	e := ledgerEnv(t)
	all := listOf(t, e, "coordinator", "per_page=500")
	if len(all) != 8 {
		t.Fatalf("%d problems", len(all))
	}
	b := e.browser()
	b.login("coord")
	for _, key := range ducha.ProblemSorts {
		for _, desc := range []bool{false, true} {
			order := map[bool]string{false: "asc", true: "desc"}[desc]
			want := slices.Clone(all)
			ducha.SortProblems(want, key, desc)
			got := listOf(t, e, "coordinator", "sort="+key+"&order="+order)
			if !slices.Equal(codesOf(got), codesOf(want)) {
				t.Errorf("API sort %s %s: %v, want %v", key, order, codesOf(got), codesOf(want))
			}
			_, page := b.get("/problems?cols=description,area,source,lead_unit,person,mode,deadline,progress,status,warning&sort=" + key + "&order=" + order)
			if rows := rowCodes(page); !slices.Equal(rows, codesOf(want)) {
				t.Errorf("page sort %s %s: %v, want %v", key, order, rows, codesOf(want))
			}
			aria := map[bool]string{false: "ascending", true: "descending"}[desc]
			if n := strings.Count(page, `aria-sort="`); n != 1 || !strings.Contains(page, `aria-sort="`+aria+`"`) {
				t.Errorf("sort %s %s: %d aria-sort, want one %s", key, order, n, aria)
			}
		}
	}
	// The deadline's header, sorted ascending, links to descending and
	// keeps the unit filter; the other headers link to ascending.
	_, page := b.get("/problems?unit=" + strconv.FormatInt(e.units["永清镇"].ID, 10) + "&sort=deadline")
	th := regexp.MustCompile(`<th scope="col" class="col-deadline" aria-sort="ascending"><a href="([^"]+)"[^>]*>整改时限 <span aria-hidden="true">▲</span></a></th>`).FindStringSubmatch(page)
	if th == nil {
		t.Fatalf("no sorted deadline header: %s", page)
	}
	link, _ := url.Parse(html.UnescapeString(th[1]))
	if q := link.Query(); q.Get("sort") != "deadline" || q.Get("order") != "desc" || q.Get("unit") != strconv.FormatInt(e.units["永清镇"].ID, 10) {
		t.Errorf("deadline header links to %s", th[1])
	}
	if !strings.Contains(page, `<th scope="col" class="col-code"><a href="/problems?order=asc&amp;sort=code&amp;unit=`) {
		t.Errorf("code header: %s", page)
	}
	// Sorted, the pager goes by number: page 2 of 3 problems a page.
	_, page = b.get("/problems?sort=code&per_page=3")
	if !strings.Contains(page, `href="/problems?page=2&amp;per_page=3&amp;sort=code" rel="next"`) {
		t.Errorf("sorted page 1 has no numbered next: %s", page)
	}
	_, page = b.get("/problems?sort=code&per_page=3&page=2")
	if rows, want := rowCodes(page), codesOf(all); !slices.Equal(rows, []string{want[4], want[3], want[2]}) {
		t.Errorf("sorted page 2: %v of %v", rows, want)
	}
}

// TestLedgerSortRefusesSQL: sort and order take only their listed values;
// anything else is a 400 naming the field, on the API and the page, and
// the ledger is as it was.
func TestLedgerSortRefusesSQL(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	for _, c := range []struct{ query, field string }{
		{"sort=" + url.QueryEscape("id; DROP TABLE problems; --"), "sort"},
		{"sort=p.id", "sort"},
		{"sort=" + url.QueryEscape("code DESC, (SELECT 1)"), "sort"},
		{"sort=code&order=" + url.QueryEscape("desc; DELETE FROM problems"), "order"},
		{"sort=code&after=3", "after"},
		{"sort=code&per_page=20&page=502", "page"},
	} {
		resp, body := e.api("GET", "/api/v1/problems?"+c.query, "coordinator", "")
		if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"`+c.field+`"`) {
			t.Errorf("API %s: %d %s", c.query, resp.StatusCode, body)
		}
		resp, page := b.get("/problems?" + c.query)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`) {
			t.Errorf("page %s: %d", c.query, resp.StatusCode)
		}
		if resp, _ := e.api("GET", "/api/v1/exports/ledger.xlsx?"+c.query, "coordinator", ""); c.field != "after" && c.field != "page" && resp.StatusCode != 400 {
			t.Errorf("export %s: %d", c.query, resp.StatusCode)
		}
	}
	if n := len(listOf(t, e, "coordinator", "per_page=500")); n != 8 {
		t.Fatalf("after the refused sorts: %d problems", n)
	}
}

// TestLedgerPageSize: the page offers 20, 50, 100 and 200 with the one in
// force selected; a size below 1 or not a number is refused, one above the
// maximum is cut to it.
func TestLedgerPageSize(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems")
	if !strings.Contains(page, `<select name="per_page"><option>20</option><option selected>50</option><option>100</option><option>200</option>`) {
		t.Errorf("page sizes: %s", page)
	}
	_, page = b.get("/problems?per_page=2")
	if rows := rowCodes(page); len(rows) != 2 {
		t.Errorf("per_page=2: %d rows", len(rows))
	}
	_, page = b.get("/problems?per_page=200")
	if !strings.Contains(page, `<option selected>200</option>`) || len(rowCodes(page)) != 8 {
		t.Errorf("per_page=200 not kept")
	}
	for _, bad := range []string{"0", "-5", "abc", "1e3"} {
		resp, body := e.api("GET", "/api/v1/problems?per_page="+bad, "coordinator", "")
		if resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"per_page"`) {
			t.Errorf("per_page=%s: %d %s", bad, resp.StatusCode, body)
		}
	}
	_, body := e.api("GET", "/api/v1/problems?per_page=100000", "coordinator", "")
	if !strings.Contains(body, `"per_page":500`) {
		t.Errorf("per_page above the maximum: %s", body)
	}
}

// TestLedgerColumns: cols= picks the columns (the code always shows), the
// chooser's boxes say which, every cell carries its column's label and the
// table the cards class; unknown names are left out.
func TestLedgerColumns(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems?cols=person&cols=source,bogus")
	head := page[strings.Index(page, "<thead>"):strings.Index(page, "</thead>")]
	for _, want := range []string{">编号<", ">问题来源</a>", ">责任人</a>"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %s: %s", want, head)
		}
	}
	for _, gone := range []string{"行政区域", "整改时限", "预警"} {
		if strings.Contains(head, gone) {
			t.Errorf("header shows %s: %s", gone, head)
		}
	}
	if !strings.Contains(page, `<input type="checkbox" name="cols" value="person" checked>`) ||
		!strings.Contains(page, `<input type="checkbox" name="cols" value="area">`) {
		t.Errorf("chooser boxes")
	}
	if !strings.Contains(page, `<td data-label="责任人">李四</td>`) || !strings.Contains(page, `<td data-label="问题来源">重点问题</td>`) {
		t.Errorf("chosen cells missing")
	}
	for _, path := range []string{"/problems", "/problems?cols=types,coop_units,progress,mode"} {
		_, page := b.get(path)
		if !strings.Contains(page, `<table class="ledger cards">`) {
			t.Errorf("%s: no cards table", path)
		}
		body := page[strings.Index(page, "<tbody>"):strings.Index(page, "</tbody>")]
		if all, labelled := strings.Count(body, "<td"), strings.Count(body, `<td data-label="`); all == 0 || all != labelled {
			t.Errorf("%s: %d cells, %d labelled", path, all, labelled)
		}
	}
	// The form as sent unchanged (the default columns, the default size)
	// is no view of its own: clearing goes back to the plain ledger.
	_, page = b.get("/problems?q=x&per_page=50&cols=description&cols=area&cols=lead_unit&cols=deadline&cols=status&cols=warning")
	if !strings.Contains(page, `<a href="/problems" class="clear">清除筛选</a>`) {
		t.Errorf("clear link of the unchanged form")
	}
	// Clearing the filter keeps the view.
	_, page = b.get("/problems?status=in_progress&cols=person&per_page=20&sort=code")
	if !strings.Contains(page, `<a href="/problems?cols=person&amp;per_page=20&amp;sort=code" class="clear">清除筛选</a>`) {
		t.Errorf("clear link: %s", page)
	}
}

// TestLedgerFilterDropdowns: the area filter lists the areas in use (a
// liaison's: its own problems'), and warnings carry their text.
func TestLedgerFilterDropdowns(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems?area=" + url.QueryEscape("林城镇"))
	if !strings.Contains(page, `<select name="area"><option value="">全部</option>
<option>县生态环境局</option><option selected>林城镇</option><option>永清镇</option>`) {
		t.Errorf("area choices: %s", page)
	}
	if rows := rowCodes(page); len(rows) != 3 {
		t.Errorf("area 林城镇: %v", rows)
	}
	if !strings.Contains(page, `<span class="badge warn-red">红色预警（超期）</span>`) {
		t.Errorf("red warning without its text")
	}
	l := e.browser()
	l.login("liaison_yq")
	_, page = l.get("/problems")
	if !strings.Contains(page, `<select name="area"><option value="">全部</option>
<option>林城镇</option><option>永清镇</option>
</select>`) {
		t.Errorf("liaison's areas: %s", page)
	}
	if strings.Contains(page, `name="id"`) || strings.Contains(page, `action="/problems/bulk"`) {
		t.Errorf("a liaison is offered the bulk notices")
	}
}

// exportCodes downloads the export as the role and reads the codes of its
// rows with the ledger reader.
func exportCodes(t *testing.T, e *env, role, path string) []string {
	t.Helper()
	resp, body := e.api("GET", path, role, "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export %s as %s: %d %s", path, role, resp.StatusCode, body)
	}
	rows, err := sheets.ReadLedger(bytes.NewReader([]byte(body)), "ledger.xlsx", excel.DefaultLimits)
	if err != nil {
		t.Fatalf("read export: %v", err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Problem.Code)
	}
	return out
}

// TestLedgerExportFiltered: the page's export link carries its filter and
// order; the workbook holds exactly the problems of the filtered list,
// every page of it, in its order; a liaison's stays within the unit.
func TestLedgerExportFiltered(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	lc := strconv.FormatInt(e.units["林城镇"].ID, 10)
	_, page := b.get("/problems?unit=" + lc + "&sort=deadline&order=desc&per_page=2&cols=person")
	m := regexp.MustCompile(`<a href="(/api/v1/exports/ledger\.xlsx\?[^"]+)" class="export" download>导出筛选结果（xlsx）</a>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no export link: %s", page)
	}
	link := html.UnescapeString(m[1])
	if want := "/api/v1/exports/ledger.xlsx?order=desc&sort=deadline&unit=" + lc; link != want {
		t.Errorf("export link %s, want %s", link, want)
	}
	want := codesOf(listOf(t, e, "coordinator", "unit="+lc+"&sort=deadline&order=desc&per_page=500"))
	if got := exportCodes(t, e, "coordinator", link); len(want) != 3 || !slices.Equal(got, want) {
		t.Errorf("export %v, list %v", got, want)
	}
	q := "warning=red&q=" + url.QueryEscape("焚烧")
	if got, want := exportCodes(t, e, "coordinator", "/api/v1/exports/ledger.xlsx?"+q), codesOf(listOf(t, e, "coordinator", q)); len(want) != 1 || !slices.Equal(got, want) {
		t.Errorf("search export %v, list %v", got, want)
	}
	// Unsorted, the ledger file's own order: oldest first.
	all := codesOf(listOf(t, e, "coordinator", "per_page=500"))
	slices.Reverse(all)
	if got := exportCodes(t, e, "coordinator", "/api/v1/exports/ledger.xlsx"); !slices.Equal(got, all) {
		t.Errorf("whole export %v, want %v", got, all)
	}
	// A liaison: the unit's own, even when asking for another unit's.
	mine := codesOf(listOf(t, e, "liaison", "sort=code"))
	if got := exportCodes(t, e, "liaison", "/api/v1/exports/ledger.xlsx?sort=code"); len(mine) != 4 || !slices.Equal(got, mine) {
		t.Errorf("liaison's export %v, list %v", got, mine)
	}
	other := codesOf(listOf(t, e, "liaison", "unit="+lc))
	if got := exportCodes(t, e, "liaison", "/api/v1/exports/ledger.xlsx?unit="+lc); len(other) != 1 || other[0] != e.probs["coop"].Code || !slices.Equal(got, other) {
		t.Errorf("liaison asking for 林城镇: export %v, list %v", got, other)
	}
}

// TestLedgerBulkNotices: the coordinator issues a 催办 for a selection;
// each problem is issued on its own, and those refused (no unit yet, one
// already issued, a wrong id, one that does not exist) are named with the
// reason while the others are issued. "Select all on this page" takes the
// page's problems; a liaison may not post it.
func TestLedgerBulkNotices(t *testing.T) {
	e := ledgerEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems")
	if !strings.Contains(page, `<form id="bulk" method="post" action="/problems/bulk"`) ||
		!strings.Contains(page, `<td data-label="编号"><input type="checkbox" name="id" value="`+strconv.FormatInt(e.probs["own"].ID, 10)+`" form="bulk" aria-label="选择`+e.probs["own"].Code+`"> <a href="/problems/`) {
		t.Fatalf("no selection: %s", page)
	}
	id := func(k string) string { return strconv.FormatInt(e.probs[k].ID, 10) }
	if err := e.db.IssueNotice(ducha.NewContextWithUser(context.Background(), e.users["coordinator"]),
		&ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: e.probs["other"].ID, Text: "先催办一次"}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"id": {id("own"), id("registered"), id("other"), "abc", "99999", id("coop")},
		"kind": {"reminder"}, "text": {"请抓紧整改"}, "back": {"/problems?status=in_progress"}}
	resp, page := b.post("/problems/bulk", form)
	if resp.StatusCode != 200 || !strings.Contains(page, "已下发2张督办单，4个问题未下发。") {
		t.Fatalf("bulk: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{
		e.probs["own"].Code + `</a></td>`, "该问题尚未确定牵头单位，不能下发督办单",
		"同一级别（催办）不能重复下发", "“abc”不是有效的问题id", "问题不存在",
		`<a href="/problems?status=in_progress">返回问题台账</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bulk page lacks %q: %s", want, page)
		}
	}
	ns, total, err := e.db.FindNotices(system, ducha.NoticeFilter{Kind: ducha.NoticeReminder})
	if err != nil || total != 3 {
		t.Fatalf("notices: %d, %v", total, err)
	}
	issued := map[int64]bool{}
	for _, n := range ns {
		issued[n.ProblemID] = true
	}
	if !issued[e.probs["own"].ID] || !issued[e.probs["coop"].ID] || issued[e.probs["registered"].ID] {
		t.Errorf("issued for %v", issued)
	}
	// All on the page: its problems, as a 督办; the closed-for-verification
	// one too, the registered one refused again.
	_, page = b.get("/problems?per_page=3")
	var pageIDs []string
	for _, m := range regexp.MustCompile(`<input type="hidden" name="page_id" value="(\d+)">`).FindAllStringSubmatch(page, -1) {
		pageIDs = append(pageIDs, m[1])
	}
	if len(pageIDs) != 3 {
		t.Fatalf("page ids %v", pageIDs)
	}
	resp, page = b.post("/problems/bulk", url.Values{"all": {"page"}, "page_id": pageIDs, "kind": {"supervision"}, "text": {"督办"}})
	if resp.StatusCode != 200 || !strings.Contains(page, "已下发3张督办单，0个问题未下发。") {
		t.Errorf("all on page: %d %s", resp.StatusCode, page)
	}
	// Refused as a whole: nothing chosen, a bad kind, no text.
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"kind": {"reminder"}, "text": {"x"}, "page_id": {id("own")}}, "请先勾选要督办的问题（id）"},
		{url.Values{"id": {id("own")}, "kind": {"warning"}, "text": {"x"}}, "督办类型（kind）“warning”无效"},
		{url.Values{"id": {id("own")}, "kind": {"listed"}, "text": {" "}}, "请填写督办内容（text）"},
	} {
		resp, page := b.post("/problems/bulk", c.form)
		if resp.StatusCode != 400 || !strings.Contains(page, c.want) {
			t.Errorf("%v: %d, want %s", c.form, resp.StatusCode, c.want)
		}
	}
	if _, total, _ := e.db.FindNotices(system, ducha.NoticeFilter{}); total != 6 {
		t.Errorf("%d notices after the refused posts", total)
	}
	l := e.browser()
	l.login("liaison_yq")
	if resp, _ := l.post("/problems/bulk", url.Values{"id": {id("own")}, "kind": {"listed"}, "text": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("liaison bulk: %d", resp.StatusCode)
	}
}
