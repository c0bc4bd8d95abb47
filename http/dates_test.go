package http_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// Issue 11: every page shows a day as 2026年12月7日 and reads it as typed
// that way, whatever the browser's locale. A wrong day is refused beside
// its field, naming it, with what was typed kept.

// The typed days of the forms below: one the forms take, and one that is
// no day at all.
const (
	goodDay = "2026年12月7日"
	badDay  = "2026年13月40日"
)

// dateBeside checks that the page shows the date input name holding what
// was typed, with the message naming its field right after it.
func dateBeside(t *testing.T, page, name, typed, msg string) {
	t.Helper()
	re := regexp.MustCompile(`<input name="` + regexp.QuoteMeta(name) + `" value="` + regexp.QuoteMeta(typed) + `"[^>]*>\s*` +
		`(?:<small>[^<]*</small>\s*)?<span class="field-error"[^>]*>` + regexp.QuoteMeta(msg))
	if !re.MatchString(page) {
		t.Errorf("no %q beside field %s holding %q:\n%s", msg, name, typed, mainOf(page))
	}
}

// refusedDay is the message of a wrong day in the field label names.
func refusedDay(label string) string { return label + "“" + badDay + "”不是有效日期" }

// TestDatesLedgerAndProblem: the ledger's column and the problem's page
// write the deadline 2026-12-20 as 2026年12月20日, and the time it was
// registered as 2026年12月10日 10:00 in Beijing time.
func TestDatesLedgerAndProblem(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems")
	row := regexp.MustCompile(`(?s)<tr>\s*<td data-label="编号"><a href="/problems/\d+">` + regexp.QuoteMeta(e.probs["own"].Code) + `</a></td>.*?</tr>`).FindString(page)
	mustHave(t, "ledger row", row, `<td data-label="整改时限">2026年12月20日</td>`)
	mustLack(t, "ledger row", row, "2026-12-20")

	_, page = b.get(e.expand("/problems/{own}"))
	mustHave(t, "problem page", page, "<dt>整改时限</dt><dd>2026年12月20日", "<dt>登记时间</dt><dd>2026年12月10日 10:00</dd>",
		"<li><b>整改时限</b>：2026年12月20日</li>", `name="deadline" value="2026年12月20日"`)
	mustLack(t, "problem page", page, "2026-12-20")
}

// TestDatesCaseListAndPage: the case list's column and the case's page
// write the forwarded date 2026-12-08 as 2026年12月8日.
func TestDatesCaseListAndPage(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/cases?batch=3")
	row := regexp.MustCompile(`(?s)<tr>\s*<td data-label="选择".*?>` + caseA + `</a></td>.*?</tr>`).FindString(page)
	mustHave(t, "case row", row, `<td data-label="交办日期">2026年12月8日</td>`)
	mustLack(t, "case row", row, "2026-12-08")

	_, page = b.get("/cases/" + strconv.FormatInt(e.kase(caseA).ID, 10))
	mustHave(t, "case page", page, "<dt>交办日期</dt><dd>2026年12月8日</dd>", "<dt>登记时间</dt><dd>2026年12月10日 10:00</dd>",
		"留空则为交办日期后10天（2026年12月18日）")
	mustLack(t, "case page", page, "2026-12-08", "2026-12-18")
}

// TestDatesFilters: the dashboard, the daily report and the discipline
// ranking take their days as typed (links still carry 2026-12-07) and
// refuse a wrong one beside its field, as typed.
func TestDatesFilters(t *testing.T) {
	e := newCaseEnv(t)
	e.srv.Dashboards, e.srv.Accountability = e.db, e.db
	b := e.browser()
	b.login("leader")
	typed := url.QueryEscape(goodDay)
	for _, path := range []string{"/dashboard?date=" + typed, "/reports/daily?date=" + typed} {
		resp, page := b.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, mainOf(page))
		}
		mustHave(t, path, page, "截至2026年12月7日", `name="date" value="2026年12月7日"`, "date=2026-12-07")
		resp, page = b.get(strings.Replace(path, typed, url.QueryEscape(badDay), 1))
		if resp.StatusCode != 400 {
			t.Errorf("%s with a wrong day: %d", path, resp.StatusCode)
		}
		besideField(t, page, "date", refusedDay("截至日期"))
		dateBeside(t, page, "date", badDay, refusedDay("截至日期"))
	}
	// The links still carry ISO days.
	if resp, page := b.get("/reports/daily?date=2026-12-07"); resp.StatusCode != 200 || !strings.Contains(page, "截至2026年12月7日") {
		t.Errorf("the report by an ISO link: %d", resp.StatusCode)
	}

	d := e.browser()
	d.login("jijian")
	resp, page := d.get("/reports/discipline?from=" + url.QueryEscape("2026年12月1日") + "&to=" + typed)
	if resp.StatusCode != 200 {
		t.Fatalf("discipline: %d %s", resp.StatusCode, mainOf(page))
	}
	mustHave(t, "discipline", page, `name="from" value="2026年12月1日"`, `name="to" value="2026年12月7日"`)
	resp, page = d.get("/reports/discipline?from=2026-12-01&to=" + url.QueryEscape(badDay))
	if resp.StatusCode != 400 {
		t.Errorf("discipline with a wrong day: %d", resp.StatusCode)
	}
	dateBeside(t, page, "to", badDay, refusedDay("截止日期"))
	besideField(t, page, "to", refusedDay("截止日期"))
	mustHave(t, "discipline refused", page, `name="from" value="2026年12月1日"`)
}

// TestDatesBatchUpload: the batches page takes a file's forwarded date as
// typed, and refuses a wrong one beside the field, importing nothing.
func TestDatesBatchUpload(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("coord")
	file := []byte("序号,受理编号,交办问题基本情况,行政区域\n1,D3SX202612070001,某厂噪声扰民,永清镇\n")
	body, ct := batchBody(t, "第6批.csv", file, "6", badDay)
	resp, page := b.upload("/batches", body, ct)
	if resp.StatusCode != 400 {
		t.Fatalf("a wrong day: %d %s", resp.StatusCode, mainOf(page))
	}
	dateBeside(t, page, "date", badDay, refusedDay("交办日期"))
	if _, err := e.db.FindCaseByAcceptanceNo(system, "D3SX202612070001"); ducha.ErrorCode(err) != ducha.ENOTFOUND {
		t.Fatalf("a refused upload imported the case: %v", err)
	}
	body, ct = batchBody(t, "第6批.csv", file, "6", goodDay)
	if resp, page = b.upload("/batches", body, ct); resp.StatusCode != 201 {
		t.Fatalf("import: %d %s", resp.StatusCode, mainOf(page))
	}
	mustHave(t, "imported", page, "第6批（交办日期2026年12月7日）导入完成", `<td data-label="交办日期">2026年12月7日</td>`)
	if c := e.kase("D3SX202612070001"); c.ForwardedDate != "2026-12-07" {
		t.Errorf("forwarded %s", c.ForwardedDate)
	}
}

// TestDatesCasesBulk: the bulk assign's deadline and, on the case then
// assigned, the bulk notice's due are typed as days; a wrong one is
// refused beside its field. (Both take
// 2026年12月17日: a deadline before the forwarded date, or a due before
// today, is refused for what it says, not how it is written.)
func TestDatesCasesBulk(t *testing.T) {
	e := newCaseEnv(t)
	e.srv.Notices = e.db
	cs, _, err := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatalf("batch 3: %v", err)
	}
	b := e.browser()
	b.login("coord")
	resp, page := b.post("/cases/bulk", bulkForm("assign", cs, url.Values{"units": {"永清镇"}, "deadline": {badDay}}))
	if resp.StatusCode != 400 {
		t.Fatalf("a wrong deadline: %d", resp.StatusCode)
	}
	dateBeside(t, page, "deadline", badDay, refusedDay("办理时限"))
	if resp, page = b.post("/cases/bulk", bulkForm("assign", cs, url.Values{"units": {"永清镇"}, "deadline": {"2026年12月17日"}})); resp.StatusCode != 200 ||
		!strings.Contains(page, "批量交办：成功1件") {
		t.Fatalf("assign: %d %s", resp.StatusCode, mainOf(page))
	}
	if c := e.kase(cs[0].AcceptanceNo); c.Deadline != "2026-12-17" {
		t.Errorf("deadline %s", c.Deadline)
	}

	form := url.Values{"kind": {string(ducha.NoticeReminder)}, "text": {"请加快办理"}, "due": {badDay}}
	if resp, page = b.post("/cases/bulk", bulkForm("notice", cs, form)); resp.StatusCode != 400 {
		t.Fatalf("a wrong due: %d", resp.StatusCode)
	}
	dateBeside(t, page, "due", badDay, refusedDay("答复期限"))
	form.Set("due", "2026年12月17日")
	if resp, page = b.post("/cases/bulk", bulkForm("notice", cs, form)); resp.StatusCode != 200 || strings.Contains(page, "bulk-failures") {
		t.Fatalf("notice: %d %s", resp.StatusCode, mainOf(page))
	}
	ns, _, err := e.db.FindNotices(system, ducha.NoticeFilter{CaseID: cs[0].ID})
	if err != nil || len(ns) != 1 || ns[0].Due != "2026-12-17" {
		t.Errorf("notices %v %v", ns, err)
	}
}

// TestDatesInspection: a duty found wanting takes its deadline as typed,
// and a wrong one is refused beside the field, the row as typed.
func TestDatesInspection(t *testing.T) {
	e := newEnv(t)
	e.srv.Duties = e.db
	coord := e.browser()
	coord.login("coord")
	body, ct := multipartFile(t, "责任清单.csv", []byte("序号,责任单位,职责事项,依据\n1,永清镇,负责辖区扬尘污染防治,\n"))
	if resp, page := coord.upload("/duties", body, ct); resp.StatusCode != 200 {
		t.Fatalf("duties: %d %s", resp.StatusCode, mainOf(page))
	}
	b := e.browser()
	b.login("liaison_yq")
	resp, _ := b.post("/inspections", url.Values{})
	loc := resp.Header.Get("Location")
	_, page := b.get(loc)
	item := regexp.MustCompile(`action="(/inspections/\d+/items/\d+)"`).FindStringSubmatch(page)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
	if item == nil || version == nil {
		t.Fatalf("no item form: %s", mainOf(page))
	}
	form := url.Values{"version": {version[1]}, "complied": {"no"}, "finding": {"工地未覆盖"}, "mode": {"限时整改"}, "deadline": {badDay}}
	if resp, page = b.post(item[1], form); resp.StatusCode != 400 {
		t.Fatalf("a wrong deadline: %d", resp.StatusCode)
	}
	dateBeside(t, page, "deadline", badDay, refusedDay("整改时限"))
	mustHave(t, "kept", page, ">工地未覆盖</textarea>")
	// A day before today is refused for that: 2026年12月17日, a week on.
	form.Set("deadline", "2026年12月17日")
	if resp, page = b.post(item[1], form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", resp.StatusCode, mainOf(page))
	}
	in, _, err := e.db.FindInspections(system, ducha.InspectionFilter{})
	if err != nil || len(in) != 1 {
		t.Fatalf("inspections: %v", err)
	}
	got, err := e.db.FindInspectionByID(system, in[0].ID)
	if err != nil || got.Items[0].Deadline != "2026-12-17" {
		t.Errorf("deadline: %v %+v", err, got)
	}
}

// TestDatesCampaign: the campaign's days and its lists of days are typed
// and shown as 2026年12月7日; a wrong one is refused beside its field,
// the whole form as typed.
func TestDatesCampaign(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("admin")
	c, _ := e.db.CurrentCampaign(system)
	action := "/admin/campaigns/" + strconv.FormatInt(c.ID, 10)
	_, page := b.get("/admin/campaigns")
	mustHave(t, "campaigns", page, "2026年12月1日 — 2026年12月31日", `name="start" value="2026年12月1日"`)
	form := url.Values{"version": {versionIn(t, page, action)}, "name": {c.Name}, "team": {"中央第三生态环境保护督察组"},
		"start": {badDay}, "end": {"2026年12月31日"}, "case_days": {"10"}, "phase": {"进驻"},
		"holidays": {"2027年1月1日、2027/1/2"}, "workdays": {"2026年13月1日"}}
	resp, page := b.post(action, form)
	if resp.StatusCode != 400 {
		t.Fatalf("a wrong start: %d", resp.StatusCode)
	}
	dateBeside(t, page, "start", badDay, refusedDay("进驻开始日期"))
	mustHave(t, "refused", page, `name="end" value="2026年12月31日"`, `value="中央第三生态环境保护督察组"`, ">2027年1月1日、2027/1/2</textarea>",
		`>2026年13月1日</textarea>`, "调休上班日“2026年13月1日”不是有效日期", `<details class="action" open id="edit-`)
	form.Set("start", goodDay)
	form.Set("workdays", "")
	if resp, _ = b.post(action, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	got, _ := e.db.CurrentCampaign(system)
	if got.Start != "2026-12-07" || got.End != "2026-12-31" || got.Holidays != "2027-01-01,2027-01-02" {
		t.Errorf("stored %s %s %q", got.Start, got.End, got.Holidays)
	}
	_, page = b.get("/admin/campaigns")
	mustHave(t, "saved", page, "2026年12月7日 — 2026年12月31日", ">2027年1月1日、2027年1月2日</textarea>")
}
