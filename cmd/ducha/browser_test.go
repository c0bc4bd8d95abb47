package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
)

// The browser tests drive the real program (Main on port 0, a seeded SQLite
// store) in headless Chromium, through the pages a county clerk uses. They
// share one browser; each subtest has its own program, store and tab.
//
// Run them with: go test ./cmd/ducha/ -run Browser -v
// Without Chromium they skip; DUCHA_REQUIRE_BROWSER=1 makes that a failure.
func TestBrowser(t *testing.T) {
	b := newBrowser(t)

	t.Run("CoordinatorRegistersAndPlans", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		tb := b.newTab(t, a.HTTP.URL())

		// An anonymous visit goes to the Chinese login form.
		tb.open("/problems")
		if p := tb.path(); !strings.HasPrefix(p, "/login?next=") {
			t.Fatalf("anonymous /problems went to %s, want the login form", p)
		}
		if h := tb.text("main h1"); h != "登录" {
			t.Fatalf("login heading %q, want 登录", h)
		}
		if lang := run(tb, "html lang", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "zh-CN" {
			t.Fatalf("html lang %q, want zh-CN", lang)
		}
		// A wrong password shows the message and keeps the username.
		tb.typeInto(`input[name=username]`, "coord")
		tb.typeInto(`input[name=password]`, "wrong password")
		if st := tb.follow(`form[action="/login"] button[type=submit]`); st != 401 {
			t.Errorf("wrong password: status %d, want 401", st)
		}
		if msg := tb.text(`p.error`); msg != "用户名或密码错误" {
			t.Errorf("wrong password message %q", msg)
		}
		if v := tb.value(`input[name=username]`); v != "coord" {
			t.Errorf("username after a failed login %q, want coord kept", v)
		}
		tb.typeInto(`input[name=password]`, storetest.Password)
		if st := tb.follow(`form[action="/login"] button[type=submit]`); st != 200 {
			t.Fatalf("login: status %d\n%s", st, tb.describe())
		}
		if p := tb.path(); p != "/problems" {
			t.Fatalf("after login on %s, want /problems", p)
		}
		if h := tb.text("main h1"); h != "问题台账" {
			t.Fatalf("ledger heading %q", h)
		}
		if who := tb.text("header .who span"); !strings.Contains(who, "协调联络组办公室") {
			t.Errorf("header says %q, want the coordinator's role", who)
		}
		if s := tb.text("p.summary"); !strings.HasPrefix(s, "共0条") {
			t.Errorf("empty ledger summary %q", s)
		}

		// Register a problem through the form.
		if st := tb.follow(`header nav a[href="/problems/new"]`); st != 200 {
			t.Fatalf("register form: status %d", st)
		}
		if h := tb.text("main h1"); h != "登记问题" {
			t.Fatalf("register heading %q", h)
		}
		form := `form[action="/problems/new"] `
		tb.choose(form+`select[name=source]`, "督察反馈")
		tb.typeInto(form+`textarea[name=description]`, "永清镇砖厂扬尘污染严重")
		tb.typeInto(form+`input[name=area]`, "永清镇")
		tb.typeInto(form+`input[name=address]`, "永清镇王家庄村")
		tb.typeInto(form+`input[name=subject]`, "永清镇红星砖厂")
		tb.click(form + `input[name=types][value=大气]`)
		tb.choose(form+`select[name=industry]`, "工业")
		if st := tb.follow(form + `button[type=submit]`); st != 200 {
			t.Fatalf("register: status %d\n%s", st, tb.describe())
		}
		detail := tb.path()
		id, err := strconv.ParseInt(strings.TrimPrefix(detail, "/problems/"), 10, 64)
		if err != nil || id <= 0 {
			t.Fatalf("after registering on %s, want /problems/{id}", detail)
		}
		if f := tb.text("p.flash"); f != "问题已登记" {
			t.Errorf("flash %q, want 问题已登记", f)
		}
		if st := tb.text("h1 .status"); st != "待交办" {
			t.Errorf("status after registering %q, want 待交办", st)
		}
		for label, want := range map[string]string{
			"问题描述": "永清镇砖厂扬尘污染严重", "问题来源": "督察反馈", "行政区域": "永清镇",
			"地址": "永清镇王家庄村", "涉及主体": "永清镇红星砖厂", "污染类型": "大气", "行业": "工业",
			"责任单位": "",
		} {
			if got := field(tb, label); got != want {
				t.Errorf("field %s = %q, want %q", label, got, want)
			}
		}

		// Fill the plan form and hand the problem to 永清镇.
		deadline := ducha.Today(time.Now()).AddDays(60)
		plan := `#action-plan `
		tb.click(plan + `summary`)
		tb.choose(plan+`select[name=lead_unit]`, "永清镇")
		tb.typeInto(plan+`input[name=leader]`, "李副镇长")
		tb.typeInto(plan+`input[name=person]`, "王建国")
		tb.typeInto(plan+`textarea[name=measures]`, "停产整治，安装喷淋抑尘设施，硬化厂区道路")
		tb.typeInto(plan+`input[name=deadline]`, ducha.ChineseDate(deadline))
		if st := tb.follow(plan + `button[type=submit]`); st != 200 {
			t.Fatalf("plan: status %d\n%s", st, tb.describe())
		}
		if p := tb.path(); p != detail {
			t.Fatalf("after the plan on %s, want %s", p, detail)
		}
		if f := tb.text("p.flash"); f != "已完成：制定整改方案" {
			t.Errorf("flash %q", f)
		}
		if st := tb.text("h1 .status"); st != "整改中" {
			t.Fatalf("status after the plan %q, want 整改中\n%s", st, tb.describe())
		}
		for label, want := range map[string]string{
			"责任单位": "永清镇", "责任领导": "李副镇长", "责任人": "王建国",
			"整改措施": "停产整治，安装喷淋抑尘设施，硬化厂区道路", "整改时限": ducha.ChineseDate(deadline),
			"整改类型": ducha.ModeTimeBound,
		} {
			if got := field(tb, label); got != want {
				t.Errorf("field %s = %q, want %q", label, got, want)
			}
		}
		rows := history(tb)
		if len(rows) != 2 {
			t.Fatalf("history has %d rows, want 2 (登记, 制定整改方案): %q", len(rows), rows)
		}
		planRow := findRow(rows, "制定整改方案")
		if planRow == nil {
			t.Fatalf("history has no 制定整改方案 row: %q", rows)
		}
		// Actors by name and unit (or role); the login name is the cell's title.
		if planRow.actor != "coord（协调联络组办公室）" {
			t.Errorf("plan done by %q, want coord（协调联络组办公室）", planRow.actor)
		}
		for _, want := range []string{"状态", "待交办", "整改中", "责任单位", "永清镇", "王建国"} {
			if !strings.Contains(planRow.changes, want) {
				t.Errorf("plan row's changes %q lack %q", planRow.changes, want)
			}
		}
		if r := findRow(rows, "登记"); r == nil || r.actor != "coord（协调联络组办公室）" {
			t.Errorf("history has no 登记 row by coord: %q", rows)
		}

		// Back on the ledger the problem is listed in its new state.
		tb.follow(`main a[href="/problems"]`)
		list := ledger(tb)
		if len(list) != 1 {
			t.Fatalf("ledger has %d rows, want 1: %q", len(list), list)
		}
		if r := list[0]; r.description != "永清镇砖厂扬尘污染严重" || r.lead != "永清镇" || r.status != "整改中" || r.deadline != ducha.ChineseDate(deadline) {
			t.Errorf("ledger row %+v", r)
		}
	})

	t.Run("LiaisonReportsAndAppliesForClosure", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		p := a.planned(t, "永清镇砖厂扬尘污染严重", "永清镇", "永清镇", 60)
		url := "/problems/" + strconv.FormatInt(p.ID, 10)

		tb := b.newTab(t, a.HTTP.URL())
		tb.login("liaison_yq")
		if who := tb.text("header .who span"); !strings.Contains(who, "永清镇") || !strings.Contains(who, "单位联络员") {
			t.Errorf("header says %q, want 永清镇 and 单位联络员", who)
		}
		if slices.ContainsFunc(tb.texts("header nav a"), func(s string) bool { return s == "登记问题" }) {
			t.Errorf("a liaison is offered 登记问题")
		}
		list := ledger(tb)
		if len(list) != 1 || list[0].description != "永清镇砖厂扬尘污染严重" {
			t.Fatalf("liaison_yq's ledger %q, want the 永清镇 problem", list)
		}
		if st := tb.follow(`table.ledger td.desc a`); st != 200 {
			t.Fatalf("open the problem: status %d", st)
		}
		if got := tb.path(); got != url {
			t.Fatalf("the ledger's link went to %s, want %s", got, url)
		}
		// A liaison may report and apply, but not hand over or verify.
		forms := tb.texts("details.action summary")
		for _, want := range []string{"制定整改方案", "报送进展", "申请销号"} {
			if !slices.Contains(forms, want) {
				t.Errorf("liaison's forms %q lack %s", forms, want)
			}
		}
		if slices.Contains(forms, "验收销号") {
			t.Errorf("liaison is offered 验收销号: %q", forms)
		}
		if n := len(tb.texts(`#action-plan select[name=lead_unit]`)); n != 0 {
			t.Errorf("liaison's plan form lets them choose the lead unit")
		}

		tb.click(`#action-progress summary`)
		tb.typeInto(`#action-progress textarea[name=text]`, "已停产整治，喷淋设施安装完毕，道路硬化完成八成")
		if st := tb.follow(`#action-progress button[type=submit]`); st != 200 {
			t.Fatalf("progress: status %d\n%s", st, tb.describe())
		}
		if f := tb.text("p.flash"); f != "已完成：报送进展" {
			t.Errorf("flash %q", f)
		}
		if st := tb.text("h1 .status"); st != "整改中" {
			t.Errorf("status after progress %q, want 整改中", st)
		}
		// The latest entry, with its time; the entries table lists it too.
		if got := field(tb, "整改进展"); !strings.HasPrefix(got, "已停产整治，喷淋设施安装完毕，道路硬化完成八成 （"+ducha.ChineseDate(ducha.Today(time.Now()))+" ") {
			t.Errorf("整改进展 = %q", got)
		}

		tb.click(`#action-apply_closure summary`)
		tb.typeInto(`#action-apply_closure textarea[name=text]`, "整改全部完成，申请验收销号")
		if st := tb.follow(`#action-apply_closure button[type=submit]`); st != 200 {
			t.Fatalf("apply for closure: status %d\n%s", st, tb.describe())
		}
		if st := tb.text("h1 .status"); st != "待验收" {
			t.Fatalf("status after applying %q, want 待验收\n%s", st, tb.describe())
		}
		if got := field(tb, "整改完成情况"); got != "整改全部完成，申请验收销号" {
			t.Errorf("整改完成情况 = %q", got)
		}
		if n := len(tb.texts(`#action-apply_closure`)); n != 0 {
			t.Errorf("申请销号 is still offered after applying")
		}
		rows := history(tb)
		for _, action := range []string{"报送进展", "申请销号"} {
			r := findRow(rows, action)
			if r == nil {
				t.Errorf("history lacks %s: %q", action, rows)
				continue
			}
			if r.actor != "liaison_yq（永清镇）" {
				t.Errorf("%s done by %q, want liaison_yq（永清镇）", action, r.actor)
			}
		}
		if r := findRow(rows, "申请销号"); r != nil && (!strings.Contains(r.changes, "待验收") || !strings.Contains(r.changes, "整改全部完成")) {
			t.Errorf("申请销号 row's changes %q", r.changes)
		}

		// The other township's liaison neither lists nor opens it; the page
		// is the same not-found page as for a missing id, so it gives away
		// nothing.
		other := b.newTab(t, a.HTTP.URL())
		other.login("liaison_hb")
		if list := ledger(other); len(list) != 0 {
			t.Errorf("liaison_hb's ledger lists %q", list)
		}
		if s := other.text("p.summary"); !strings.HasPrefix(s, "共0条") {
			t.Errorf("liaison_hb's summary %q", s)
		}
		if st := other.open(url); st != 404 {
			t.Errorf("liaison_hb opening %s: status %d, want 404", url, st)
		}
		hidden, hiddenH1 := other.text("main"), other.text("main h1")
		if hiddenH1 != "未找到" || strings.Contains(hidden, "扬尘") {
			t.Errorf("liaison_hb on %s sees %q", url, hidden)
		}
		if st := other.open("/problems/999999"); st != 404 {
			t.Errorf("missing problem: status %d, want 404", st)
		}
		if missing := other.text("main"); missing != hidden {
			t.Errorf("another unit's problem shows %q, a missing one %q; want the same page", hidden, missing)
		}
	})

	t.Run("LiaisonSignsAndAnswersANotice", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		p := a.planned(t, "永清镇河道垃圾堆放", "永清镇", "永清镇", 2)
		coord := storetest.As(a.Fixture.Users["coord"])
		n := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "请于两日内书面答复整改进展"}
		if err := a.DB.IssueNotice(coord, n); err != nil {
			t.Fatal(err)
		}
		tb := b.newTab(t, a.HTTP.URL())
		tb.login("liaison_yq")
		// The header counts the to-dos: the notice (the problem is due
		// within the yellow days too).
		if got := tb.text(`header nav a.inbox`); got != "待办 (2)" {
			t.Errorf("header says %q, want 待办 (2)", got)
		}
		tb.open("/inbox")
		if h := tb.text(`#inbox-notice h2`); !strings.HasPrefix(h, "督办单") {
			t.Fatalf("inbox group %q\n%s", h, tb.describe())
		}
		if st := tb.follow(`#inbox-notice td a`); st != 200 {
			t.Fatalf("open the notice: status %d", st)
		}
		if got := tb.text(`p.notice-no`); got != n.No {
			t.Fatalf("notice number %q, want %s", got, n.No)
		}
		forms := tb.texts(`details.action summary`)
		if !slices.Equal(forms, []string{"签收", "答复"}) {
			t.Errorf("liaison's forms %q, want 签收 and 答复", forms)
		}
		tb.click(`#action-sign summary`)
		if st := tb.follow(`#action-sign button[type=submit]`); st != 200 {
			t.Fatalf("sign: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .badge`); st != "已签收" {
			t.Errorf("status after signing %q, want 已签收", st)
		}
		tb.click(`#action-answer summary`)
		tb.typeInto(`#action-answer textarea[name=text]`, "已清运垃圾12吨，设置围挡，建立巡查制度")
		if st := tb.follow(`#action-answer button[type=submit]`); st != 200 {
			t.Fatalf("answer: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .badge`); st != "已答复" {
			t.Errorf("status after answering %q, want 已答复", st)
		}
		if got := tb.text(`header nav a.inbox`); got != "待办 (1)" {
			t.Errorf("header after answering %q, want 待办 (1)", got)
		}
		if len(tb.texts(`details.action summary`)) != 0 {
			t.Errorf("forms left for the liaison: %q", tb.texts(`details.action summary`))
		}
		// The coordinator closes it.
		tb.logout()
		tb.login("coord")
		tb.open("/notices/" + strconv.FormatInt(n.ID, 10))
		tb.click(`#action-close summary`)
		tb.typeInto(`#action-close textarea[name=text]`, "答复属实")
		if st := tb.follow(`#action-close button[type=submit]`); st != 200 {
			t.Fatalf("close: status %d\n%s", st, tb.describe())
		}
		got, err := a.DB.FindNoticeByID(coord, n.ID)
		if err != nil || got.Status != ducha.NoticeClosed || got.Answer != "已清运垃圾12吨，设置围挡，建立巡查制度" || got.CloseNote != "答复属实" {
			t.Fatalf("the notice after the browser's work: %v %+v", err, got)
		}
	})

	t.Run("FiltersAndLanguage", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		a.planned(t, "永清镇砖厂扬尘污染严重", "永清镇", "永清镇", 60)
		a.registered(t, "红堡镇污水处理厂出水氨氮超标", "红堡镇")

		tb := b.newTab(t, a.HTTP.URL())
		tb.login("coord")
		if n := len(ledger(tb)); n != 2 {
			t.Fatalf("ledger has %d rows, want 2", n)
		}
		filters := `form.filters `
		search := func(q string) []ledgerRow {
			t.Helper()
			tb.clear(filters + `input[name=q]`)
			tb.typeInto(filters+`input[name=q]`, q)
			if st := tb.follow(filters + `button[type=submit]`); st != 200 {
				t.Fatalf("search %q: status %d", q, st)
			}
			if v := tb.value(filters + `input[name=q]`); v != q {
				t.Errorf("after searching %q the box holds %q", q, v)
			}
			return ledger(tb)
		}
		if rows := search("扬尘"); len(rows) != 1 || rows[0].description != "永清镇砖厂扬尘污染严重" {
			t.Errorf("q=扬尘 found %q", rows)
		}
		if s := tb.text("p.summary"); !strings.HasPrefix(s, "共1条") {
			t.Errorf("summary %q, want 共1条", s)
		}
		if rows := search("不存在"); len(rows) != 0 {
			t.Errorf("q=不存在 found %q", rows)
		}
		if e := tb.text("table.ledger td.empty"); e != "没有符合条件的问题" {
			t.Errorf("empty ledger says %q", e)
		}

		// 重置 clears the filters.
		tb.follow(filters + `a[href="/problems"]`)
		if v := tb.value(filters + `input[name=q]`); v != "" {
			t.Errorf("after 重置 the box holds %q", v)
		}
		if n := len(ledger(tb)); n != 2 {
			t.Errorf("after 重置 %d rows, want 2", n)
		}

		byStatus := func(label string) []ledgerRow {
			t.Helper()
			tb.choose(filters+`select[name=status]`, label)
			if st := tb.follow(filters + `button[type=submit]`); st != 200 {
				t.Fatalf("status %s: %d", label, st)
			}
			if got := selected(tb, filters+`select[name=status]`); got != label {
				t.Errorf("after filtering by %s the status box shows %q", label, got)
			}
			return ledger(tb)
		}
		if rows := byStatus("待交办"); len(rows) != 1 || rows[0].description != "红堡镇污水处理厂出水氨氮超标" || rows[0].status != "待交办" {
			t.Errorf("status 待交办 lists %q", rows)
		}
		if rows := byStatus("待验收"); len(rows) != 0 {
			t.Errorf("status 待验收 lists %q", rows)
		}
		rows := byStatus("整改中")
		if len(rows) != 1 || rows[0].description != "永清镇砖厂扬尘污染严重" {
			t.Errorf("status 整改中 lists %q", rows)
		}
		filtered := tb.path()
		if !strings.Contains(filtered, "status=in_progress") {
			t.Errorf("filtered ledger at %s, want status=in_progress in the URL", filtered)
		}

		// Switch to English with the header's link: same page, same filter.
		if l := tb.text(`header .who a[href^="/lang"]`); l != "English" {
			t.Errorf("language link says %q, want English", l)
		}
		tb.follow(`header .who a[href^="/lang"]`)
		if p := tb.path(); p != filtered {
			t.Errorf("after switching language on %s, want back on %s", p, filtered)
		}
		if h := tb.text("main h1"); h != "Problem ledger" {
			t.Errorf("English heading %q", h)
		}
		if lang := run(tb, "html lang", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
			t.Errorf("html lang %q, want en", lang)
		}
		if got := selected(tb, filters+`select[name=status]`); got != "In progress" {
			t.Errorf("English status filter shows %q", got)
		}
		if rows := ledger(tb); len(rows) != 1 || rows[0].status != "In progress" {
			t.Errorf("English ledger %q", rows)
		}
		heads := tb.texts("table.ledger thead th")
		if !slices.Contains(heads, "Status") {
			t.Errorf("English ledger headings %q lack Status", heads)
		}
		if l := tb.text(`header .who a[href^="/lang"]`); l != "中文" {
			t.Errorf("English language link says %q, want 中文", l)
		}
		// The choice is remembered on the next page.
		tb.follow(`table.ledger td.desc a`)
		if hs := tb.texts("main h2"); !slices.Contains(hs, "History") {
			t.Errorf("English detail page headings %q lack History", hs)
		}
		if st := tb.text("h1 .status"); st != "In progress" {
			t.Errorf("English detail status %q", st)
		}

		tb.follow(`header .who a[href^="/lang"]`)
		if h := tb.text("h1 .status"); h != "整改中" {
			t.Errorf("back in Chinese the status is %q", h)
		}
		tb.follow(`header nav a[href="/problems"]`)
		if h := tb.text("main h1"); h != "问题台账" {
			t.Errorf("back in Chinese the heading is %q", h)
		}
		if l := tb.text(`header .who a[href^="/lang"]`); l != "English" {
			t.Errorf("back in Chinese the language link says %q", l)
		}
	})

	t.Run("LiaisonWalksASelfInspection", func(t *testing.T) {
		// A liaison walks a self-inspection of five duties to two problems.
		t.Parallel()
		a := startApp(t)
		duties := []string{"负责辖区大气污染防治，督促落实建筑工地扬尘管控措施", "负责辖区河道保洁和农村生活污水治理",
			"负责秸秆禁烧和综合利用", "负责畜禽养殖污染防治的日常巡查", "负责农村生活垃圾收集转运"}
		csv := "永清镇生态环境保护责任清单\n序号,责任单位,职责事项,依据\n"
		for i, d := range duties {
			csv += strconv.Itoa(i+1) + ",永清镇," + d + ",《中华人民共和国环境保护法》第六条\n"
		}
		list := filepath.Join(t.TempDir(), "永清镇责任清单.csv")
		if err := os.WriteFile(list, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		tb := b.newTab(t, a.HTTP.URL())
		// The coordinator imports the unit's list through the page.
		tb.login("coord")
		tb.open("/duties")
		run(tb, "choose the list", chromedp.SetUploadFiles(chromedp.CSS(`form[action="/duties"] input[type=file]`), []string{list}))
		if st := tb.follow(`form[action="/duties"] button[type=submit]`); st != 200 {
			t.Fatalf("import: status %d\n%s", st, tb.describe())
		}
		if got := tb.text(`p.result`); got != "导入完成：新增5项，更新0项，未变0项" {
			t.Fatalf("import says %q", got)
		}
		tb.logout()

		// The liaison starts the inspection from the header's link.
		tb.login("liaison_yq")
		if st := tb.follow(`header nav a[href="/inspections"]`); st != 200 {
			t.Fatalf("inspections: status %d", st)
		}
		if st := tb.follow(`form#start button[type=submit]`); st != 200 {
			t.Fatalf("start: status %d\n%s", st, tb.describe())
		}
		page := tb.path()
		if !strings.HasPrefix(page, "/inspections/") {
			t.Fatalf("after starting on %s", page)
		}
		if got := tb.texts(`table.inspection tbody tr td:nth-child(2) span.pre`); !slices.Equal(got, duties) {
			t.Fatalf("rows %q", got)
		}
		// Three complied, two not: each row saves on its own, no script needed.
		findings := map[int][3]string{
			1: {"两条支渠存在生活垃圾和漂浮物，未纳入保洁范围", ducha.ModeImmediate, ""},
			3: {"辖区两处养殖场未纳入日常巡查台账", ducha.ModeTimeBound, ducha.ChineseDate(ducha.Today(time.Now()).AddDays(30))},
		}
		for i := range duties {
			row := `table.inspection tbody tr:nth-child(` + strconv.Itoa(i+1) + `) `
			if f, ok := findings[i]; ok {
				tb.click(row + `input[name=complied][value=no]`)
				tb.typeInto(row+`textarea[name=finding]`, f[0])
				tb.choose(row+`select[name=mode]`, f[1])
				if f[2] != "" {
					tb.typeInto(row+`input[name=deadline]`, f[2])
				}
			} else {
				tb.click(row + `input[name=complied][value=yes]`)
			}
			if st := tb.follow(row + `button[type=submit]`); st != 200 {
				t.Fatalf("save duty %d: status %d\n%s", i+1, st, tb.describe())
			}
			if f := tb.text("p.flash"); f != "已完成：保存自查结果" {
				t.Errorf("flash after duty %d: %q", i+1, f)
			}
		}
		if st := tb.follow(`form#submit button[type=submit]`); st != 200 {
			t.Fatalf("submit: status %d\n%s", st, tb.describe())
		}
		if got := tb.text(`p.summary`); got != "已提交：已自查5/5项，发现问题2个" {
			t.Errorf("summary after submit %q\n%s", got, tb.describe())
		}
		links := tb.texts(`#problems li`)
		if len(links) != 2 || !strings.HasSuffix(links[0], "2. "+duties[1]) || !strings.HasSuffix(links[1], "4. "+duties[3]) {
			t.Fatalf("problems made %q", links)
		}
		if len(tb.texts(`form#submit`)) != 0 || len(tb.texts(`table.inspection form`)) != 0 {
			t.Errorf("forms left after submit")
		}
		// Each problem is 自查发现, the unit's, linked to its duty.
		for i, k := range []int{1, 3} {
			tb.open(page)
			if st := tb.follow(`#problems li:nth-child(` + strconv.Itoa(i+1) + `) a`); st != 200 {
				t.Fatalf("open problem %d: status %d", i+1, st)
			}
			for label, want := range map[string]string{"问题来源": "自查发现", "问题描述": findings[k][0], "责任单位": "永清镇",
				"整改类型": findings[k][1], "责任清单事项": strconv.Itoa(k+1) + ". " + duties[k]} {
				if got := field(tb, label); got != want {
					t.Errorf("problem %d: %s = %q, want %q", i+1, label, got, want)
				}
			}
			if st := tb.text("h1 .status"); st != "待交办" {
				t.Errorf("problem %d status %q, want 待交办", i+1, st)
			}
		}
		tb.logout()

		// The county view shows the unit inspected, two found wanting.
		tb.login("coord")
		tb.open("/reports/inspections")
		cells := run(tb, "county view", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("table.inspection-units tbody tr"),
			tr => Array.from(tr.cells, c => c.innerText.trim()))`))
		today := ducha.ChineseDate(ducha.Today(time.Now()))
		if len(cells) != 1 || !slices.Equal(cells[0], []string{"永清镇", "已自查", "1", today, "5", "2"}) {
			t.Fatalf("county view %q", cells)
		}
	})

	t.Run("Screenshots", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		p := a.planned(t, "永清镇砖厂扬尘污染严重，周边村民反映粉尘大、夜间生产噪声扰民", "永清镇", "永清镇", 60)
		a.planned(t, "红堡镇养殖场粪污直排沟渠", "红堡镇", "红堡镇", 3)
		a.registered(t, "县城区餐饮油烟扰民", "城关镇")
		a.planned(t, "永清镇河道两岸生活垃圾堆放", "永清镇", "永清镇", 20)

		tb := b.newTab(t, a.HTTP.URL())
		tb.login("coord")
		if n := len(ledger(tb)); n != 4 {
			t.Fatalf("ledger has %d rows, want 4", n)
		}
		list := tb.screenshot()
		checkPNG(t, "ledger", list)
		tmp := filepath.Join(t.TempDir(), "list.png")
		if err := os.WriteFile(tmp, list, 0o644); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(tmp); err != nil || st.Size() != int64(len(list)) {
			t.Fatalf("screenshot file: %v", err)
		}
		save(t, "/tmp/ducha-list.png", list)

		tb.open("/problems/" + strconv.FormatInt(p.ID, 10))
		if st := tb.text("h1 .status"); st != "整改中" {
			t.Fatalf("detail status %q", st)
		}
		detail := tb.screenshot()
		checkPNG(t, "detail", detail)
		save(t, "/tmp/ducha-detail.png", detail)
	})
}

// field is the text of the detail page's field named label.
func field(tb *tab, label string) string {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => {
		const dt = Array.from(document.querySelectorAll("dl.fields dt")).find(e => e.innerText.trim() === %s);
		return dt ? dt.nextElementSibling.innerText.trim() : "<no field>";
	})()`, jsString(label))
	return run(tb, "field "+label, chromedp.Evaluate[string](js))
}

// selected is the visible text of the selected option of a select.
func selected(tb *tab, sel string) string {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%s); return s && s.selectedOptions.length ? s.selectedOptions[0].textContent.trim() : ""; })()`, jsString(sel))
	return run(tb, "selected "+sel, chromedp.Evaluate[string](js))
}

// historyRow is one entry of the detail page's history timeline.
type historyRow struct{ at, actor, action, changes string }

func history(tb *tab) []historyRow {
	tb.t.Helper()
	cells := run(tb, "history", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("ol.timeline > li:not(.empty)"),
		li => [".at", ".actor", ".action", "div.changes"].map(s => li.querySelector(s).innerText.trim()))`))
	var rows []historyRow
	for _, c := range cells {
		if len(c) != 4 {
			continue // the empty row
		}
		rows = append(rows, historyRow{at: c[0], actor: c[1], action: c[2], changes: c[3]})
	}
	return rows
}

// findRow is the first history row of the action, or nil.
func findRow(rows []historyRow, action string) *historyRow {
	for i := range rows {
		if rows[i].action == action || strings.HasPrefix(rows[i].action, action+"\n") {
			return &rows[i]
		}
	}
	return nil
}

// ledgerRow is one row of the ledger table.
type ledgerRow struct{ code, description, area, lead, deadline, status, warning string }

func ledger(tb *tab) []ledgerRow {
	tb.t.Helper()
	tb.text("table.ledger") // wait for the table
	cells := run(tb, "ledger", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("table.ledger tbody tr"),
		tr => Array.from(tr.cells, c => c.innerText.trim()))`))
	var rows []ledgerRow
	for _, c := range cells {
		if len(c) != 7 {
			continue // the "no problem matches" row
		}
		rows = append(rows, ledgerRow{c[0], c[1], c[2], c[3], c[4], c[5], c[6]})
	}
	return rows
}

// registered makes a problem in the state 待交办, as the coordinator.
func (a *app) registered(t *testing.T, description, area string) *ducha.Problem {
	t.Helper()
	p := &ducha.Problem{Source: "督察反馈", Description: description, Area: area, Types: []string{"大气"}}
	if err := a.DB.CreateProblem(storetest.As(a.Fixture.Users["coord"]), p); err != nil {
		t.Fatalf("create %s: %v", description, err)
	}
	return p
}

// planned makes a problem handed to lead with a deadline in days, in the
// state 整改中, as the coordinator.
func (a *app) planned(t *testing.T, description, area, lead string, days int) *ducha.Problem {
	t.Helper()
	p := a.registered(t, description, area)
	p, err := a.DB.ActOnProblem(storetest.As(a.Fixture.Users["coord"]), p.ID, ducha.ProblemAction{
		Action: ducha.ActPlan, Version: p.Version, LeadUnit: ducha.UnitRef(lead),
		Leader: "李副镇长", Person: "王建国", Measures: "停产整治，限期完成",
		Deadline: ducha.Today(time.Now()).AddDays(days),
	})
	if err != nil {
		t.Fatalf("plan %s: %v", description, err)
	}
	return p
}

// checkPNG fails unless b is a PNG of a plausible page size.
func checkPNG(t *testing.T, what string, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s screenshot is not a PNG (starts %q)", what, b[:min(len(b), 8)])
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s screenshot: %v", what, err)
	}
	if cfg.Width < 800 || cfg.Height < 400 || len(b) < 20_000 || len(b) > 20_000_000 {
		t.Fatalf("%s screenshot is %dx%d, %d bytes; want a whole page", what, cfg.Width, cfg.Height, len(b))
	}
	t.Logf("%s screenshot: %dx%d, %d bytes", what, cfg.Width, cfg.Height, len(b))
}

// save writes a screenshot for people to look at.
func save(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatalf("save %s: %v", path, err)
	}
	t.Logf("saved %s", path)
}
