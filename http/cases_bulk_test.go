package http_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// receivedCases lists n cases still received, oldest first, as the system.
func (e *env) receivedCases(n int) []*ducha.Case {
	e.t.Helper()
	cs, _, err := e.db.FindCases(system, ducha.CaseFilter{Status: ducha.CaseReceived, Sort: "batch", Limit: 100})
	if err != nil || len(cs) < n {
		e.t.Fatalf("received cases: %d %v", len(cs), err)
	}
	return cs[:n]
}

// bulkForm is the bulk form with the cases' ids ticked.
func bulkForm(action string, cs []*ducha.Case, more url.Values) url.Values {
	f := url.Values{"action": {action}, "back": {"batch=3"}}
	for _, c := range cs {
		f.Add("id", strconv.FormatInt(c.ID, 10))
	}
	for k, v := range more {
		f[k] = v
	}
	return f
}

// TestCasesBulkAssign: the coordinator assigns 20 cases of two batches to
// a unit in one post; each gets the unit, the status and its deadline (its
// forwarded date plus the campaign's days), and the page says 20.
func TestCasesBulkAssign(t *testing.T) {
	e := newCaseEnv(t)
	cs := e.receivedCases(20)
	b := e.browser()
	b.login("coord")
	resp, page := b.post("/cases/bulk", bulkForm("assign", cs, url.Values{"units": {strconv.FormatInt(e.units["永清镇"].ID, 10)}}))
	if resp.StatusCode != 200 || !strings.Contains(page, "批量交办：成功20件。") || strings.Contains(page, "未成功") {
		t.Fatalf("bulk assign: %d\n%s", resp.StatusCode, mainOf(page))
	}
	// The list shown is the one the form came from (batch 3).
	if !strings.Contains(page, `<option value="3" selected>第3批</option>`) {
		t.Fatalf("the result does not show the list it came from:\n%s", mainOf(page))
	}
	for _, c := range cs {
		got := e.kase(c.AcceptanceNo)
		if got.Status != ducha.CaseAssigned || !slices.Equal(got.Units, []string{"永清镇"}) || got.Deadline != c.ForwardedDate.AddDays(10) {
			t.Fatalf("%s after bulk assign: %s %v %s (forwarded %s)", c.AcceptanceNo, got.Status, got.Units, got.Deadline, c.ForwardedDate)
		}
	}
	// A deadline typed into the form is every case's.
	more := e.receivedCases(2)
	resp, page = b.post("/cases/bulk", bulkForm("assign", more, url.Values{"units": {"林城镇"}, "deadline": {"2026-12-30"}}))
	if resp.StatusCode != 200 || !strings.Contains(page, "批量交办：成功2件。") {
		t.Fatalf("bulk assign with deadline: %d\n%s", resp.StatusCode, mainOf(page))
	}
	for _, c := range more {
		if got := e.kase(c.AcceptanceNo); got.Deadline != "2026-12-30" || !slices.Equal(got.Units, []string{"林城镇"}) {
			t.Fatalf("%s: %s %v", c.AcceptanceNo, got.Deadline, got.Units)
		}
	}
}

// TestCasesBulkPartialFailure: what may be done is done, each refusal is
// listed by acceptance number with its reason, and a refused case is left
// as it was.
func TestCasesBulkPartialFailure(t *testing.T) {
	e := newCaseEnv(t)
	cs := e.receivedCases(4)
	closed := cs[3]
	e.walkCase(closed.AcceptanceNo, `{"findings":"经查属实","verdict":"属实","handling":"已责令整改"}`, ducha.CaseClosed, false)
	before := e.kase(closed.AcceptanceNo)
	b := e.browser()
	b.login("coord")
	form := bulkForm("assign", cs, url.Values{"units": {"林城镇"}})
	form.Add("id", "999999")
	resp, page := b.post("/cases/bulk", form)
	main := mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(main, "批量交办：成功3件。") || !strings.Contains(main, "未成功2件") ||
		!strings.Contains(main, ">"+closed.AcceptanceNo+"</a></td><td data-label=\"原因\">交办件当前状态为“已办结”，不能执行“交办”</td>") ||
		!strings.Contains(main, ">#999999</a>") {
		t.Fatalf("partial bulk assign: %d\n%s", resp.StatusCode, main)
	}
	if got := e.kase(closed.AcceptanceNo); got.Version != before.Version || !slices.Equal(got.Units, []string{"永清镇"}) {
		t.Fatalf("the refused case changed: v%d→v%d %v", before.Version, got.Version, got.Units)
	}
	for _, c := range cs[:3] {
		if got := e.kase(c.AcceptanceNo); got.Status != ducha.CaseAssigned {
			t.Fatalf("%s: %s", c.AcceptanceNo, got.Status)
		}
	}
	// Publishing: the closed case is published, an open one refused.
	resp, page = b.post("/cases/bulk", bulkForm("publish", []*ducha.Case{closed, cs[0]}, nil))
	main = mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(main, "批量公开：成功1件。") ||
		!strings.Contains(main, ">"+cs[0].AcceptanceNo+"</a></td><td data-label=\"原因\">交办件当前状态为“已交办”，不能执行“公开”</td>") {
		t.Fatalf("bulk publish: %d\n%s", resp.StatusCode, main)
	}
	if !e.kase(closed.AcceptanceNo).Published || e.kase(cs[0].AcceptanceNo).Published {
		t.Fatal("bulk publish published the wrong cases")
	}
	// 公开本批 from the batches page: nothing left to publish in the batch.
	resp, page = b.post("/cases/bulk", url.Values{"action": {"publish"}, "batch": {strconv.Itoa(closed.Batch)}, "back": {""}})
	if resp.StatusCode != 400 || !strings.Contains(page, "没有待公开的已办结或阶段性办结件") {
		t.Fatalf("publish an empty batch: %d\n%s", resp.StatusCode, mainOf(page))
	}
}

// TestCasesBulkRefused: a liaison may not post the bulk form at all, and
// a form without a selection or a unit changes nothing and says both.
func TestCasesBulkRefused(t *testing.T) {
	e := newCaseEnv(t)
	cs := e.receivedCases(3)
	v := e.dataVersion()
	l := e.browser()
	l.login("liaison_yq")
	resp, page := l.post("/cases/bulk", bulkForm("assign", cs, url.Values{"units": {"永清镇"}}))
	if resp.StatusCode != 403 {
		t.Fatalf("liaison bulk assign: %d\n%s", resp.StatusCode, mainOf(page))
	}
	_, page = l.get("/cases")
	if strings.Contains(page, `action="/cases/bulk"`) || strings.Contains(page, `name="id"`) {
		t.Fatal("the liaison's list offers bulk actions")
	}
	c := e.browser()
	c.login("coord")
	resp, page = c.post("/cases/bulk", url.Values{"action": {"assign"}, "back": {"batch=4"}})
	main := mainOf(page)
	if resp.StatusCode != 400 || !strings.Contains(main, "请至少勾选一件交办件") || !strings.Contains(main, "请选择承办单位") ||
		!strings.Contains(main, `<option value="4" selected>第4批</option>`) {
		t.Fatalf("empty bulk form: %d\n%s", resp.StatusCode, main)
	}
	// A bad deadline keeps the selection and what was typed.
	resp, page = c.post("/cases/bulk", bulkForm("assign", cs, url.Values{"units": {"林城镇"}, "deadline": {"明天"}}))
	main = mainOf(page)
	if resp.StatusCode != 400 || !strings.Contains(main, "办理时限“明天”不是有效日期") ||
		!strings.Contains(main, `value="`+strconv.FormatInt(cs[0].ID, 10)+`" aria-label="选择`+cs[0].AcceptanceNo+`" checked`) ||
		!strings.Contains(main, `value="明天"`) {
		t.Fatalf("bad deadline: %d\n%s", resp.StatusCode, main)
	}
	if got := e.dataVersion(); got != v {
		t.Fatalf("a refused bulk form wrote: version %d → %d", v, got)
	}
}

// TestCasesSortWhitelist: the list sorts by a shown column, ties on id,
// either way; a column not on the list is refused naming the field, in
// the page, the API and the store.
func TestCasesSortWhitelist(t *testing.T) {
	e := newCaseEnv(t)
	for _, order := range []string{"asc", "desc"} {
		cs, _, err := e.db.FindCases(system, ducha.CaseFilter{Sort: "acceptance_no", Desc: order == "desc", Limit: 100})
		if err != nil || len(cs) != 31 {
			t.Fatalf("%d %v", len(cs), err)
		}
		keys := make([]string, len(cs))
		for i, c := range cs {
			keys[i] = ducha.AcceptanceKey(c.AcceptanceNo)
		}
		sorted := slices.Clone(keys)
		slices.Sort(sorted)
		if order == "desc" {
			slices.Reverse(sorted)
		}
		if !slices.Equal(keys, sorted) {
			t.Fatalf("sorted %s: %v", order, keys)
		}
	}
	// Ties (31 cases in 3 batches) are broken on id in the same direction.
	cs, _, err := e.db.FindCases(system, ducha.CaseFilter{Sort: "batch", Desc: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(cs); i++ {
		if cs[i-1].Batch < cs[i].Batch || cs[i-1].Batch == cs[i].Batch && cs[i-1].ID < cs[i].ID {
			t.Fatalf("batch desc at %d: %d/%d then %d/%d", i, cs[i-1].Batch, cs[i-1].ID, cs[i].Batch, cs[i].ID)
		}
	}
	if _, _, err := e.db.FindCases(system, ducha.CaseFilter{Sort: "text; DROP TABLE cases"}); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("store sort outside the list: %v", err)
	}
	resp, body := e.api("GET", "/api/v1/cases?sort=text", "coordinator", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `"sort":"不能按“text”排序"`) {
		t.Fatalf("api sort=text: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("GET", "/api/v1/cases?sort=batch&order=sideways", "coordinator", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `"order"`) {
		t.Fatalf("api order=sideways: %d %s", resp.StatusCode, body)
	}
	b := e.browser()
	b.login("coord")
	resp, page := b.get("/cases?sort=text")
	if resp.StatusCode != 400 || !strings.Contains(page, "不能按“text”排序") {
		t.Fatalf("page sort=text: %d", resp.StatusCode)
	}
	resp, page = b.get("/cases?batch=3&sort=area&order=desc&per_page=20&cols=area&cols=status")
	main := mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(main, `<th scope="col" aria-sort="descending"><a href="/cases?batch=3&amp;cols=area&amp;cols=status&amp;order=asc&amp;per_page=20&amp;sort=area"`) ||
		!strings.Contains(main, `<option value="20" selected>20条</option>`) {
		t.Fatalf("sorted page:\n%s", main)
	}
	// Only the chosen columns (and the acceptance number) are shown.
	if strings.Contains(main, `data-label="交办问题基本情况"`) || strings.Contains(main, `data-label="批次"`) ||
		!strings.Contains(main, `data-label="行政区域"`) || !strings.Contains(main, `data-label="受理编号"`) ||
		!strings.Contains(main, `<input type="checkbox" name="cols" value="area" checked>`) ||
		!strings.Contains(main, `<input type="checkbox" name="cols" value="text">`) {
		t.Fatalf("column choice:\n%s", main)
	}
}

// TestCasesFiltersScoped: a liaison's list, its dropdowns and its export
// hold its own unit's cases only; the export is exactly what is filtered,
// masked for the liaison and not for the coordinator.
func TestCasesFiltersScoped(t *testing.T) {
	e := newCaseEnv(t)
	cs := e.receivedCases(21)
	own, other := cs[:5], cs[5:]
	c := e.browser()
	c.login("coord")
	if resp, page := c.post("/cases/bulk", bulkForm("assign", own, url.Values{"units": {"永清镇"}})); resp.StatusCode != 200 || !strings.Contains(page, "成功5件") {
		t.Fatalf("assign own: %d", resp.StatusCode)
	}
	if resp, page := c.post("/cases/bulk", bulkForm("assign", other, url.Values{"units": {"林城镇"}})); resp.StatusCode != 200 || !strings.Contains(page, "成功16件") {
		t.Fatalf("assign other: %d", resp.StatusCode)
	}
	l := e.browser()
	l.login("liaison_yq")
	_, page := l.get("/cases?unit=" + strconv.FormatInt(e.units["林城镇"].ID, 10))
	if !strings.Contains(page, "共0件") {
		t.Fatalf("the liaison filtered to another unit:\n%s", mainOf(page))
	}
	_, page = l.get("/cases?per_page=200")
	main := mainOf(page)
	if !strings.Contains(main, "共5件") || strings.Contains(main, `<option value="`+strconv.FormatInt(e.units["林城镇"].ID, 10)+`"`) {
		t.Fatalf("the liaison's list:\n%s", main)
	}
	for _, x := range other {
		if strings.Contains(main, x.AcceptanceNo) {
			t.Fatalf("the liaison sees %s", x.AcceptanceNo)
		}
	}
	ownAreas := map[string]bool{}
	for _, x := range own {
		ownAreas[x.Area] = true
	}
	for _, x := range other {
		if !ownAreas[x.Area] && x.Area != "" && strings.Contains(main, "<option>"+x.Area+"</option>") {
			t.Fatalf("the liaison's area filter offers %s", x.Area)
		}
	}
	areas, err := e.db.FindCaseAreas(system)
	if err != nil || len(areas) <= len(ownAreas) {
		t.Fatalf("all areas: %v %v", areas, err)
	}

	// The export: the liaison's five, masked.
	resp, body := l.get("/cases/export.xlsx")
	rows := xlsxRows(t, resp.StatusCode, body)
	if len(rows) != 5 {
		t.Fatalf("liaison export: %d rows", len(rows))
	}
	// The coordinator's export of batch 3 sorted by acceptance number is
	// the 12 cases of the list in that order, unmasked.
	_, page = c.get("/cases?batch=3&sort=acceptance_no")
	resp, body = c.get("/cases/export.xlsx?batch=3&sort=acceptance_no&page=2&per_page=5")
	rows = xlsxRows(t, resp.StatusCode, body)
	b3, _, _ := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Sort: "acceptance_no", Limit: 100})
	if len(rows) != 12 || len(b3) != 12 {
		t.Fatalf("coordinator export of batch 3: %d rows", len(rows))
	}
	masked := false
	for i, r := range rows {
		if r[1] != b3[i].AcceptanceNo || r[6] != b3[i].Text || !strings.Contains(page, b3[i].AcceptanceNo) {
			t.Fatalf("row %d: %q, want %s", i, r[1], b3[i].AcceptanceNo)
		}
		masked = masked || r[6] != b3[i].Text
	}
	if masked {
		t.Fatal("the coordinator's export is masked")
	}
	// Batch 3's texts carry phone numbers: the liaison's copy hides them.
	e.act("coordinator", b3[0].AcceptanceNo, "assign", `{"units":["永清镇"]}`)
	resp, body = l.get("/cases/export.xlsx?batch=3")
	rows = xlsxRows(t, resp.StatusCode, body)
	hidden := false
	for _, r := range rows {
		want := e.kase(r[1]).Text
		if r[6] != want {
			hidden = true
		}
		if strings.Contains(r[6], "13348532309") {
			t.Fatalf("the liaison's export shows a phone number: %s", r[6])
		}
	}
	if !hidden {
		t.Fatal("the liaison's export masks nothing")
	}
	// Channel and key filters narrow the list.
	all, _, _ := e.db.FindCases(system, ducha.CaseFilter{Limit: 100})
	letters, keys := 0, 0
	for _, x := range all {
		if x.Channel == ducha.ChannelLetter {
			letters++
		}
		if x.Key {
			keys++
		}
	}
	_, page = c.get("/cases?channel=" + url.QueryEscape("来信"))
	if !strings.Contains(page, "共"+strconv.Itoa(letters)+"件") || letters == 0 || letters == len(all) {
		t.Fatalf("channel filter: want %d of %d", letters, len(all))
	}
	_, page = c.get("/cases?key=true")
	if !strings.Contains(page, "共"+strconv.Itoa(keys)+"件") || keys == 0 {
		t.Fatalf("key filter: want %d", keys)
	}
}

// xlsxRows reads the data rows of an exported case list (below the title,
// the filter line and the header).
func xlsxRows(t *testing.T, status int, body string) [][]string {
	t.Helper()
	if status != 200 {
		t.Fatalf("export: %d %s", status, body)
	}
	rows := sheetRows(t, body)
	if len(rows) < 3 || rows[2][1] != "受理编号" {
		t.Fatalf("export header: %v", rows[:min(3, len(rows))])
	}
	// The header stands over two rows (merged); data rows start with
	// their number.
	var data [][]string
	for _, r := range rows[3:] {
		if len(r) == 0 || r[0] == "" {
			continue
		}
		if n, err := strconv.Atoi(r[0]); err != nil || n != len(data)+1 {
			t.Fatalf("export row %d: %q", len(data)+1, r)
		}
		for len(r) < 14 {
			r = append(r, "")
		}
		data = append(data, r)
	}
	return data
}
