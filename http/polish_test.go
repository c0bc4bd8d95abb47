package http_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// The header names the user by display name or login name, then the unit
// if any, then the role, with no stray separator.
func TestPageHeaderNamesUser(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		user *ducha.User
		want string
	}{
		{&ducha.User{Username: "coord2", Role: ducha.RoleCoordinator}, "<span>coord2 · 协调联络组办公室</span>"},
		{&ducha.User{Username: "wangwu", DisplayName: "王五", Role: ducha.RoleUnitLiaison, UnitID: e.units["永清镇"].ID}, "<span>王五 · 永清镇 · 单位联络员</span>"},
		{&ducha.User{Username: "zhao", DisplayName: "赵六", Role: ducha.RoleLeader}, "<span>赵六 · 县领导</span>"},
	} {
		if err := e.db.CreateUser(system, c.user, password); err != nil {
			t.Fatalf("create %s: %v", c.user.Username, err)
		}
		b := e.browser()
		b.login(c.user.Username)
		_, page := b.get("/problems")
		if !strings.Contains(page, c.want) || !strings.Contains(page, `<a href="/account/password">修改密码</a>`) {
			t.Errorf("%s: header lacks %s: %s", c.user.Username, c.want, page[:strings.Index(page, "<main")])
		}
	}
}

// The ledger shows statuses as coloured badges, 未交办 for a registered
// problem without a unit and a dash for no deadline.
func TestPageLedgerCells(t *testing.T) {
	e := newEnv(t)
	if resp, body := e.api("POST", e.expand("/api/v1/problems/{pending}/actions/verify"), "coordinator", e.expand(`{"version":{v:pending}}`)); resp.StatusCode != 200 {
		t.Fatalf("verify: %d %s", resp.StatusCode, body)
	}
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems")
	row := func(key string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<tr>\s*<td data-label="编号"><a href="/problems/\d+">` + regexp.QuoteMeta(e.probs[key].Code) + `</a></td>.*?</tr>`).FindString(page)
		if m == "" {
			t.Fatalf("no ledger row for %s: %s", key, page)
		}
		return m
	}
	reg := row("registered")
	if !strings.Contains(reg, `<td data-label="责任单位"><span class="none">未交办</span></td>`) || !strings.Contains(reg, `<td data-label="整改时限"><span class="none">—</span></td>`) ||
		!strings.Contains(reg, `<span class="badge st-registered">待交办</span>`) {
		t.Errorf("registered row: %s", reg)
	}
	own := row("own")
	if !strings.Contains(own, `<td data-label="责任单位">永清镇</td>`) || !strings.Contains(own, `<td data-label="整改时限">2026年12月20日</td>`) ||
		!strings.Contains(own, `<span class="badge st-in_progress">整改中</span>`) || strings.Contains(own, "未交办") {
		t.Errorf("own row: %s", own)
	}
	if r := row("pending"); !strings.Contains(r, `<span class="badge st-closed">已销号</span>`) {
		t.Errorf("closed row: %s", r)
	}
	e.probs["pv"] = e.problem("永清镇河道漂浮物", "永清镇", nil, ducha.ActPlan, ducha.ActApplyClosure)
	_, page = b.get("/problems")
	if r := row("pv"); !strings.Contains(r, `<span class="badge st-pending_verification">待验收</span>`) {
		t.Errorf("pending row: %s", r)
	}
	css := e.browser()
	if _, sheet := css.get("/static/style.css"); !strings.Contains(sheet, ".st-in_progress {") || !strings.Contains(sheet, ".st-pending_verification {") {
		t.Errorf("stylesheet has no status colours")
	}
}

// The detail page keeps the version in the forms but not in the field
// list, leaves empty fields empty for the stylesheet's dash, and shows the
// status as a badge.
func TestPageDetailFields(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	path := e.expand("/problems/{registered}")
	_, page := b.get(path)
	if hidden(t, page, path+"/actions/plan") != e.expand("{v:registered}") {
		t.Errorf("plan form's version")
	}
	if strings.Contains(page, "<dt>版本</dt>") {
		t.Errorf("version shown among the fields")
	}
	if !strings.Contains(page, `<h1>`+e.probs["registered"].Code+` <span class="status st-registered">待交办</span>`) {
		t.Errorf("status badge: %s", page)
	}
	for _, label := range []string{"责任单位", "责任人", "整改时限", "原定整改时限", "销号时间"} {
		if !regexp.MustCompile(`<dt>` + label + `</dt><dd( class="pre")?></dd>`).MatchString(page) {
			t.Errorf("%s is not an empty field", label)
		}
	}
	if !strings.Contains(page, "<dt>问题描述</dt><dd class=\"pre\">县城餐饮油烟扰民</dd>") {
		t.Errorf("description field")
	}
	if _, sheet := b.get("/static/style.css"); !strings.Contains(sheet, `dl.fields dd:empty::before { content: "—"`) {
		t.Errorf("stylesheet does not dash empty fields")
	}
}

// historyOf is the history timeline of a detail page.
func historyOf(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `<ol class="timeline">`)
	if i < 0 {
		t.Fatalf("no history timeline")
	}
	return page[i:]
}

// A history row does not repeat the deadline as its written form or as the
// original deadline when they say the same.
func TestPageHistoryDeadlines(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get(e.expand("/problems/{own}"))
	hist := historyOf(t, page)
	if !strings.Contains(hist, "<li><b>整改时限</b>：2026年12月20日</li>") {
		t.Errorf("plan row lacks the deadline: %s", hist)
	}
	if strings.Contains(hist, "整改时限（原文）") || strings.Contains(hist, "原定整改时限") {
		t.Errorf("plan row repeats the deadline: %s", hist)
	}
	// An approved extension moves the deadline; the written form follows
	// and is not repeated.
	if resp, body := e.api("POST", e.expand("/api/v1/problems/{own}/actions/request_extension"), "liaison",
		e.expand(`{"deadline":"2027-01-31","reason":"雨季","version":{v:own}}`)); resp.StatusCode != 200 {
		t.Fatalf("request: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api("POST", e.expand("/api/v1/problems/{own}/actions/decide_extension"), "coordinator",
		e.expand(`{"approve":true,"version":{v:own}}`)); resp.StatusCode != 200 {
		t.Fatalf("decide: %d %s", resp.StatusCode, body)
	}
	_, page = b.get(e.expand("/problems/{own}"))
	hist = historyOf(t, page)
	if !strings.Contains(hist, "<li><b>整改时限</b>：<del>2026年12月20日</del> → 2027年1月31日</li>") || strings.Contains(hist, "整改时限（原文）") {
		t.Errorf("extension row: %s", hist)
	}
	if !strings.Contains(page, "<dt>原定整改时限</dt><dd>2026年12月20日</dd>") {
		t.Errorf("the field list lost the original deadline")
	}
	// A written deadline that says more than the date is kept.
	resp, body := e.api("POST", "/api/v1/problems", "coordinator", `{"description":"年底前完成的问题","deadline":"2026-12-31","deadline_text":"2026年底前"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	id := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(body)[1]
	_, page = b.get("/problems/" + id)
	if hist = historyOf(t, page); !strings.Contains(hist, "<li><b>整改时限（原文）</b>：2026年底前</li>") {
		t.Errorf("create row lacks the written deadline: %s", hist)
	}
}

// 申请延期 is the lead unit's step: its liaison is offered it, the
// coordinator and a cooperating unit are not.
func TestPageExtensionOffer(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		user, key string
		want      bool
	}{
		{"liaison_yq", "own", true},
		{"head_yq", "own", true},
		{"coord", "own", false},
		{"admin", "own", false},
		{"liaison_yq", "coop", false},
		{"liaison_lc", "coop", true},
	} {
		b := e.browser()
		b.login(c.user)
		path := e.expand("/problems/{" + c.key + "}")
		_, page := b.get(path)
		if got := strings.Contains(page, `action="`+path+`/actions/request_extension"`); got != c.want {
			t.Errorf("%s on %s offered request_extension: %v, want %v", c.user, c.key, got, c.want)
		}
		if !strings.Contains(page, `action="`+path+`/actions/progress"`) {
			t.Errorf("%s on %s not offered progress", c.user, c.key)
		}
	}
}

// A coordinator who fills in the plan while registering hands the problem
// over at once; one who leaves it empty registers it 待交办.
func TestPageRegisterWithPlan(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/problems/new")
	if !strings.Contains(page, `<p class="wide hint">填写责任单位、责任人、整改措施和整改时限`) || !strings.Contains(page, "这些留空则登记为待交办") {
		t.Errorf("register form lacks the hint: %s", mainOf(page))
	}
	register := func(form url.Values) (*ducha.Problem, string) {
		t.Helper()
		resp, page := b.post("/problems/new", form)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/problems/") {
			t.Fatalf("register: %d %s", resp.StatusCode, mainOf(page))
		}
		_, page = b.get(loc)
		id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/problems/"), 10, 64)
		if err != nil {
			t.Fatalf("register went to %s", loc)
		}
		p, err := e.db.FindProblemByID(system, id)
		if err != nil {
			t.Fatal(err)
		}
		return p, page
	}

	p, page := register(url.Values{"source": {"督察反馈"}, "description": {"林城镇砂石场扬尘"}, "mode": {"限时整改"},
		"lead_unit": {e.expand("{unit:林城镇}")}, "coop_units": {e.expand("{unit:县生态环境局}")}, "person": {"李四"},
		"measures": {"覆盖裸土，安装喷淋"}, "deadline": {"2027-02-28"}})
	if p.Status != ducha.StatusInProgress || p.LeadUnit != "林城镇" || p.Person != "李四" || p.Deadline != "2027-02-28" ||
		p.OriginalDeadline != "2027-02-28" || len(p.CoopUnits) != 1 || p.CoopUnits[0] != "县生态环境局" {
		t.Errorf("registered with a plan: %+v", p)
	}
	if !strings.Contains(page, `<p class="flash" role="status">问题已登记并交办，状态为整改中</p>`) ||
		!strings.Contains(page, `<span class="status st-in_progress">整改中</span>`) {
		t.Errorf("page after registering with a plan: %s", page)
	}
	events, err := e.db.FindProblemEvents(system, p.ID)
	if err != nil || len(events) != 2 || events[0].Action != "create" || events[1].Action != ducha.ActPlan {
		t.Errorf("events: %v %d", err, len(events))
	}

	p, _ = register(url.Values{"source": {"督察反馈"}, "description": {"全县秸秆禁烧"}, "mode": {ducha.ModeLongTerm},
		"lead_unit": {"县生态环境局"}, "person": {"周七"}, "measures": {"网格化巡查"}})
	if p.Status != ducha.StatusInProgress || p.Mode != ducha.ModeLongTerm || p.Deadline != "" {
		t.Errorf("long-term problem with a plan: %+v", p)
	}

	// Without measures the plan is not whole: registered, waiting for it.
	p, page = register(url.Values{"source": {"督察反馈"}, "description": {"永清镇小作坊废水"}, "mode": {"限时整改"},
		"lead_unit": {"永清镇"}, "person": {"王五"}, "deadline": {"2027-03-31"}})
	if p.Status != ducha.StatusRegistered || p.LeadUnit != "永清镇" || p.Person != "王五" {
		t.Errorf("registered without measures: %+v", p)
	}
	if !strings.Contains(page, `<p class="flash" role="status">问题已登记</p>`) || !strings.Contains(page, `<span class="status st-registered">待交办</span>`) {
		t.Errorf("page after registering without a plan: %s", page)
	}
	// 限时整改 without a deadline is not whole either.
	p, _ = register(url.Values{"source": {"督察反馈"}, "description": {"林城镇养鸡场异味"}, "mode": {"限时整改"},
		"lead_unit": {"林城镇"}, "person": {"孙八"}, "measures": {"清理粪污"}})
	if p.Status != ducha.StatusRegistered {
		t.Errorf("time-bound problem without a deadline: %s", p.Status)
	}
}

// Every status a page shows as a badge has a colour of its own in the
// stylesheets: problems (st-), cases (cst-), notices (nst-),
// self-inspections (ist-) and deliveries (dst-). The notices', the
// inspections', the deliveries' and 公示's had none.
func TestEveryStatusBadgeHasAColour(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	var sheets string
	for _, path := range []string{"/static/style.css", "/static/case.css"} {
		resp, sheet := b.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		sheets += sheet
	}
	want := map[string][]string{}
	for _, s := range ducha.ProblemStatuses {
		want["st-"] = append(want["st-"], string(s))
	}
	for _, s := range ducha.CaseStatuses {
		want["cst-"] = append(want["cst-"], string(s))
	}
	for _, s := range ducha.NoticeStatuses {
		want["nst-"] = append(want["nst-"], string(s))
	}
	for _, s := range []ducha.InspectionStatus{ducha.InspectionOpen, ducha.InspectionSubmitted} {
		want["ist-"] = append(want["ist-"], string(s))
	}
	for _, s := range []ducha.DeliveryStatus{ducha.DeliveryPending, ducha.DeliverySent, ducha.DeliveryFailed} {
		want["dst-"] = append(want["dst-"], string(s))
	}
	for prefix, statuses := range want {
		for _, s := range statuses {
			if !strings.Contains(sheets, "."+prefix+s+" { background:") {
				t.Errorf("no colour for .%s%s", prefix, s)
			}
		}
	}
}
