package http_test

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
)

// TestAccountabilityAPIScenarios: every accountability, discipline-ranking
// and referral route × role × own/other unit. Discipline (and the
// administrator) writes; a unit role reads its own unit's records only,
// and another unit's record answers 404 exactly like a missing one; the
// ranking is not for unit roles; the referral pack is discipline's.
func TestAccountabilityAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Accountability = e.db
	disc := ducha.NewContextWithUser(context.Background(), e.users["discipline"])
	rec := func(person, unit string, p *ducha.Problem) *ducha.Accountability {
		a, err := e.db.CreateAccountability(disc, &ducha.AccountabilityInput{Person: person, Unit: ducha.UnitRef(unit),
			Form: "通报批评", Reason: "整改不力", DecidedBy: "县纪委监委", Date: "2026-12-09", Problems: []int64{p.ID}})
		if err != nil {
			t.Fatalf("record: %v", err)
		}
		return a
	}
	own, other := rec("王五", "永清镇", e.probs["own"]), rec("李四", "林城镇", e.probs["other"])
	ids := map[string]string{
		"{own}": strconv.FormatInt(own.ID, 10), "{other}": strconv.FormatInt(other.ID, 10), "{missing}": "999999",
		"{problem:own}": strconv.FormatInt(e.probs["own"].ID, 10), "{unit:林城镇}": strconv.FormatInt(e.units["林城镇"].ID, 10),
	}
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	notFound := []string{`"code":"not_found"`, "问责记录不存在"}
	forbidden := []string{`"code":"forbidden"`}

	for _, c := range [][2]string{{"GET", "/api/v1/accountability"}, {"POST", "/api/v1/accountability"},
		{"GET", "/api/v1/accountability/{own}"}, {"PATCH", "/api/v1/accountability/{own}"}, {"GET", "/api/v1/accountability/{own}/events"},
		{"GET", "/api/v1/reports/discipline"}, {"GET", "/api/v1/exports/referral.xlsx?unit=永清镇"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Reading: the county sees both; a unit its own only, however it asks.
	add(unscoped, "GET", "/api/v1/accountability", "", 200, []string{`"total":2`, `"person":"王五"`, `"person":"李四"`, `"form":"criticism"`})
	add(scoped, "GET", "/api/v1/accountability", "", 200, []string{`"total":1`, `"person":"王五"`, `"unit":"永清镇"`}, "李四")
	add([]string{"liaison_b"}, "GET", "/api/v1/accountability", "", 200, []string{`"total":1`, `"person":"李四"`}, "王五")
	add(scoped, "GET", "/api/v1/accountability?unit={unit:林城镇}", "", 200, []string{`"total":0`}, "李四")
	add(unscoped, "GET", "/api/v1/accountability?problem={problem:own}", "", 200, []string{`"total":1`, `"person":"王五"`}, "李四")
	add([]string{"coordinator"}, "GET", "/api/v1/accountability?case=x", "", 400, []string{`"fields":{"case"`})
	add(everyRole, "GET", "/api/v1/accountability/{own}", "", 200, []string{`"id":{own}`, `"problems":[{problem:own}]`, `"decided_by":"县纪委监委"`})
	add(scoped, "GET", "/api/v1/accountability/{other}", "", 404, notFound, "李四")
	add([]string{"liaison_b"}, "GET", "/api/v1/accountability/{own}", "", 404, notFound, "王五")
	add(everyRole, "GET", "/api/v1/accountability/{missing}", "", 404, notFound)
	add(scoped, "GET", "/api/v1/accountability/{own}/events", "", 200, []string{`"action":"create"`, `"actor":"jijian"`})
	add(scoped, "GET", "/api/v1/accountability/{other}/events", "", 404, notFound)

	// Writing: discipline and the administrator only.
	body := `{"person":"赵六","post":"站长","unit":"永清镇","form":"诫勉谈话","reason":"未按期整改","decided_by":"县纪委监委","date":"2026-12-10","problems":[{problem:own}]}`
	add([]string{"coordinator", "leader", "liaison", "head", "liaison_b"}, "POST", "/api/v1/accountability", body, 403, forbidden)
	add([]string{"discipline"}, "POST", "/api/v1/accountability", body, 201, []string{`"person":"赵六"`, `"form":"admonition"`, `"version":1`, `"created_by":"jijian"`})
	add([]string{"admin"}, "POST", "/api/v1/accountability", strings.Replace(body, "诫勉谈话", "judicial_referral", 1), 201, []string{`"form":"judicial_referral"`})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", strings.Replace(body, `[{problem:own}]`, `[{missing}]`, 1), 400,
		[]string{`"fields":{"problems"`, "关联的问题999999不存在"})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", strings.Replace(body, "2026-12-10", "2026/12/10", 1), 400,
		[]string{`"fields":{"date"`, "格式应为 YYYY-MM-DD"})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", strings.Replace(body, "2026-12-10", "2026-12-11", 1), 400,
		[]string{`"fields":{"date"`, "不能晚于今天"})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", strings.Replace(body, "诫勉谈话", "罚款", 1), 400, []string{`"fields":{"form"`})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", `{"person":"赵六"}`, 400, []string{`"unit":"请填写被问责人所在单位"`, `"reason"`})
	add([]string{"discipline"}, "POST", "/api/v1/accountability", `{"bogus":1}`, 400, []string{`"code":"invalid"`})
	add([]string{"coordinator", "leader", "liaison"}, "PATCH", "/api/v1/accountability/{own}", `{"version":1,"post":"镇长"}`, 403, forbidden)
	add([]string{"discipline"}, "PATCH", "/api/v1/accountability/{own}", `{"post":"镇长"}`, 400, []string{`"fields":{"version"`})
	add([]string{"discipline"}, "PATCH", "/api/v1/accountability/{own}", `{"version":7,"post":"镇长"}`, 409, []string{`"code":"conflict"`})
	add([]string{"discipline"}, "PATCH", "/api/v1/accountability/{missing}", `{"version":1,"post":"镇长"}`, 404, notFound)
	add([]string{"discipline"}, "PATCH", "/api/v1/accountability/{own}", `{"version":1,"cases":[{missing}]}`, 400, []string{`"fields":{"cases"`})
	add([]string{"discipline"}, "PATCH", "/api/v1/accountability/{own}", `{"version":1,"post":"镇长","form":"党纪处分"}`, 200,
		[]string{`"post":"镇长"`, `"form":"party_discipline"`, `"version":2`, `"person":"王五"`})
	add(scoped, "GET", "/api/v1/accountability/{own}/events", "", 200, []string{`"action":"update"`, `"post":"镇长"`})

	// The ranking: the roles that read every unit.
	add(unscoped, "GET", "/api/v1/reports/discipline?from=2026-12-01&to=2026-12-10", "", 200,
		[]string{`"from":"2026-12-01"`, `"to":"2026-12-10"`, `"unit":"永清镇"`, `"unit":"林城镇"`, `"unit":"县生态环境局"`, `"notices_unanswered":0`})
	add([]string{"discipline"}, "GET", "/api/v1/reports/discipline", "", 200, []string{`"from":"2026-12-01"`, `"to":"2026-12-10"`})
	add([]string{"liaison", "head", "liaison_b"}, "GET", "/api/v1/reports/discipline", "", 403, forbidden)
	add([]string{"discipline"}, "GET", "/api/v1/reports/discipline?from=12月1日", "", 400, []string{`"fields":{"from"`, "起始日期“12月1日”格式应为 YYYY-MM-DD"})
	add([]string{"discipline"}, "GET", "/api/v1/reports/discipline?to=2026-12-11", "", 400, []string{`"fields":{"to"`, "截止日期不能晚于今天（2026-12-10）"})
	add([]string{"discipline"}, "GET", "/api/v1/reports/discipline?from=2026-12-10&to=2026-12-09", "", 400, []string{`"fields":{"from"`})

	// The referral pack: discipline and the administrator.
	add([]string{"discipline", "admin"}, "GET", "/api/v1/exports/referral.xlsx?unit="+url.QueryEscape("永清镇"), "", 200, nil)
	add([]string{"coordinator", "leader", "liaison", "head", "liaison_b"}, "GET", "/api/v1/exports/referral.xlsx?unit="+url.QueryEscape("永清镇"), "", 403, forbidden)
	add([]string{"discipline"}, "GET", "/api/v1/exports/referral.xlsx", "", 400, []string{`"fields":{"unit"`})
	add([]string{"discipline"}, "GET", "/api/v1/exports/referral.xlsx?unit="+url.QueryEscape("无此镇"), "", 400, []string{`"fields":{"unit"`, "单位“无此镇”不存在"})

	runScenarios(t, e, table, expand, xlsxOrJSON)
}

// The referral pack opens in excelize with its five sheets, headers,
// the unit's rows as text, numbers and dates, and the history.
func TestReferralPackXLSX(t *testing.T) {
	e := newEnv(t)
	e.srv.Accountability, e.srv.Notices = e.db, e.db
	disc := ducha.NewContextWithUser(context.Background(), e.users["discipline"])
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	phone := "13912345678"
	if _, err := e.db.UpdateUnit(system, e.units["永清镇"].ID, ducha.UnitUpdate{Version: e.units["永清镇"].Version, Phone: &phone}); err != nil {
		t.Fatal(err)
	}
	n := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: e.probs["own"].ID, Text: "请于两日内整改"}
	if err := e.db.IssueNotice(coord, n); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ActOnNotice(ducha.NewContextWithUser(context.Background(), e.users["liaison"]), n.ID, ducha.NoticeActAnswer, 0, "已完成围挡"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateAccountability(disc, &ducha.AccountabilityInput{Person: "王五", Post: "副镇长", Unit: "永清镇", Form: "诫勉谈话",
		Reason: "扬尘整治不力", DecidedBy: "县纪委监委", Date: "2026-12-09", Problems: []int64{e.probs["own"].ID}}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.api("GET", "/api/v1/exports/referral.xlsx?unit="+url.QueryEscape("永清镇"), "discipline", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=utf-8''%E6%B0%B8") {
		t.Fatalf("%d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "问题,交办件,督办单,问责,历史记录" {
		t.Fatalf("sheets %s", got)
	}
	cell := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := cell("问题", "A1"); v != "永清镇移交材料（问题）" {
		t.Errorf("title %q", v)
	}
	if v := cell("问题", "A2"); !strings.Contains(v, "电话：13912345678") {
		t.Errorf("row 2 %q", v)
	}
	for ref, want := range map[string]string{"A3": "问题编号", "C3": "问题描述", "K3": "整改时限"} {
		if v := cell("问题", ref); v != want {
			t.Errorf("问题!%s %q, want %q", ref, v, want)
		}
	}
	// 永清镇 leads own and pending, cooperates on coop: three problems, by id.
	rows, _ := f.GetRows("问题")
	if len(rows) != 7 || rows[4][2] != "永清镇砖厂扬尘污染" || rows[5][2] != "永清镇河道垃圾" || rows[6][2] != "林城镇与永清镇交界处堆放固废" {
		t.Fatalf("problem rows: %q", rows)
	}
	if v := cell("问题", "K5"); v != "2026-12-20" {
		t.Errorf("deadline %q", v)
	}
	if typ, _ := f.GetCellType("问题", "K5"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the deadline is text, not a date")
	}
	if typ, _ := f.GetCellType("问题", "A5"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("the code is not text: %v", typ)
	}
	if panes, err := f.GetPanes("问题"); err != nil || !panes.Freeze || panes.YSplit != 4 {
		t.Errorf("panes %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("问题", "C"); w != 40 {
		t.Errorf("description width %v", w)
	}
	if v := cell("督办单", "A5") + "|" + cell("督办单", "C5") + "|" + cell("督办单", "J5"); v != n.No+"|问题 "+e.probs["own"].Code+"|已完成围挡" {
		t.Errorf("notice row %q", v)
	}
	if v := cell("问责", "A5") + "|" + cell("问责", "D5") + "|" + cell("问责", "G5") + "|" + cell("问责", "H5"); v != "王五|诫勉谈话|2026-12-09|"+e.probs["own"].Code {
		t.Errorf("accountability row %q", v)
	}
	if rows, _ := f.GetRows("交办件"); len(rows) != 3 || rows[2][0] != "受理编号" || rows[2][14] != "是否公开" {
		t.Errorf("no cases, still a header: %q", rows)
	}
	hist, _ := f.GetRows("历史记录")
	var got []string
	for _, r := range hist[4:] {
		got = append(got, r[0]+" "+r[1]+" "+r[4])
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"问题 " + e.probs["own"].Code + " 登记", "问题 " + e.probs["pending"].Code + " 申请销号",
		"督办单 " + n.No + " 下发", "督办单 " + n.No + " 答复", "问责 王五 2026-12-09 登记"} {
		if !strings.Contains(joined, want) {
			t.Errorf("history lacks %q:\n%s", want, joined)
		}
	}
}
