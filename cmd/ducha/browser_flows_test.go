package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/internal/storetest"
)

// TestBrowserFlows walks the workflows as each role does, from the
// login form through the real pages: every role lands on its own
// workbench and sees only the links it may use; the administrator adds a
// unit and a user whose one-time password must be changed first; a
// complaint case goes from 签收 through a return to 办结 with its fine
// counted in the daily report; and a liaison typing another unit's URLs
// gets nothing of that unit's items.
func TestBrowserFlows(t *testing.T) {
	b := newBrowser(t)

	t.Run("EachRoleLandsOnItsWorkbench", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		// The campaign asks the unit head to sign off (签发) a liaison's
		// answer, so the head has a to-do of its own.
		rules := a.Fixture.Campaign.Rules
		rules.HeadSignoff = true
		if _, err := a.DB.UpdateCampaign(storetest.System(), a.Fixture.Campaign.ID,
			ducha.CampaignUpdate{Version: a.Fixture.Campaign.Version, Rules: &rules}); err != nil {
			t.Fatalf("rules: %v", err)
		}
		// Batch 3 of three cases: one handed to 永清镇 and not signed for,
		// one answered by its liaison and waiting for the head, one not
		// handed over yet.
		ids := a.flowsBatch(t, 3, "D3SX202612030001", "永清镇石料厂夜间爆破，震动扰民",
			"D3SX202612030002", "永清镇养殖场粪污直排沟渠", "D3SX202612030003", "红堡镇餐饮店油烟扰民")
		toSign, toSignoff := ids[0], ids[1]
		a.flowsAct(t, "coord", toSign, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		a.flowsAct(t, "coord", toSignoff, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		a.flowsAct(t, "liaison_yq", toSignoff, ducha.CaseAction{Action: ducha.CaseActSign})
		a.flowsAct(t, "liaison_yq", toSignoff, ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经核查，反映情况属实。",
			Verdict: "属实", Handling: "已责令养殖场停止直排，清理沟渠。"})
		if c := a.flowsFind(t, toSignoff); c.Status != ducha.CaseInvestigating {
			t.Fatalf("with the head's sign-off asked, the answered case is %s, want investigating", c.Status)
		}

		dir := flowsShotDir(t)
		roles := []struct {
			user, role  string
			want, never []string // header links (hrefs) it must and must not show
			check       func(t *testing.T, tb *tab)
		}{
			{"admin", "admin", []string{"/admin/users", "/problems/import", "/problems/new"}, nil, func(t *testing.T, tb *tab) {
				flowsCards(t, tb, 3)
			}},
			{"coord", "coordinator", []string{"/problems/import", "/problems/new", "/cases", "/batches"}, []string{"/admin/users"}, func(t *testing.T, tb *tab) {
				got := tb.text(`main p.summary`)
				for _, want := range []string{"最新批次：第3批", "3件", "1件待交办", "1件已交办未签收"} {
					if !strings.Contains(got, want) {
						t.Errorf("the coordinator's batch line %q lacks %q", got, want)
					}
				}
				if n := len(tb.texts(`main p.summary a[href="/cases?status=received"]`)); n != 1 {
					t.Errorf("待交办 is not a link to the cases to assign")
				}
				if n := len(tb.texts(`main p.summary a[href="/cases?status=assigned"]`)); n != 1 {
					t.Errorf("已交办未签收 is not a link to the unsigned cases")
				}
			}},
			{"leader", "leader", []string{"/dashboard"}, []string{"/admin/users", "/problems/import", "/problems/new"}, func(t *testing.T, tb *tab) {
				flowsCards(t, tb, 3)
				if n := len(tb.texts(`main a[href="/dashboard"]`)); n == 0 {
					t.Errorf("the leader's workbench has no link to /dashboard")
				}
			}},
			{"discipline", "discipline", []string{"/reports/discipline", "/accountability"}, []string{"/admin/users", "/problems/import", "/problems/new"}, func(t *testing.T, tb *tab) {
				heads := tb.texts(`main h2`)
				if !slices.ContainsFunc(heads, func(s string) bool { return strings.HasPrefix(s, "单位排名") }) {
					t.Errorf("discipline's workbench headings %q lack 单位排名", heads)
				}
				rows := tb.texts(`main section:has(a[href="/reports/discipline"]) ol li`)
				if len(rows) == 0 || !slices.ContainsFunc(rows, func(s string) bool { return strings.HasPrefix(s, "永清镇：") }) {
					t.Errorf("discipline's ranking rows %q, want 永清镇 among them", rows)
				}
			}},
			{"liaison_yq", "unit_liaison", nil, []string{"/admin/users", "/problems/import", "/problems/new", "/reports/discipline", "/admin/channels"}, func(t *testing.T, tb *tab) {
				flowsTodo(t, tb, ducha.InboxToSign, "待签收", toSign)
				if n := len(tb.texts(`section.figures`)); n != 0 {
					t.Errorf("a liaison is shown the county's figures")
				}
			}},
			{"head_yq", "unit_head", nil, []string{"/admin/users", "/problems/import", "/problems/new", "/reports/discipline", "/admin/channels"}, func(t *testing.T, tb *tab) {
				flowsTodo(t, tb, ducha.InboxToSignoff, "待签批", toSignoff)
			}},
			{"liaison_hb", "", nil, []string{"/admin/users", "/problems/import", "/problems/new"}, func(t *testing.T, tb *tab) {
				// The other township has nothing of 永清镇's to do.
				if got := tb.texts(`main .inbox-group`); len(got) != 0 {
					t.Errorf("liaison_hb's workbench lists %q", got)
				}
				if s := tb.text(`main p.empty`); s == "" {
					t.Errorf("liaison_hb's empty workbench says nothing")
				}
			}},
		}
		for _, r := range roles {
			t.Run(r.user, func(t *testing.T) {
				tb := b.newTab(t, a.HTTP.URL())
				run(tb, "desktop size", chromedp.EmulateViewport(1366, 900))
				if st := flowsLogin(tb, r.user, storetest.Password); st != 200 {
					t.Fatalf("login %s: status %d\n%s", r.user, st, tb.describe())
				}
				if p := tb.path(); p != "/workbench" {
					t.Fatalf("%s landed on %s, want /workbench\n%s", r.user, p, tb.describe())
				}
				if h := tb.text("main h1"); h != "工作台" {
					t.Fatalf("%s's landing page is titled %q", r.user, h)
				}
				nav := flowsNav(tb)
				for _, h := range r.want {
					if !slices.Contains(nav, h) {
						t.Errorf("%s's header lacks %s: %q", r.user, h, nav)
					}
				}
				for _, h := range r.never {
					if slices.Contains(nav, h) {
						t.Errorf("%s's header offers %s, which the role may not use", r.user, h)
					}
				}
				// Every link the header shows opens for the role: it shows
				// only what the role may use.
				for _, h := range nav {
					if st, at := flowsFetchStatus(tb, h); st != 200 || at != h {
						t.Errorf("%s's header link %s answers %d (at %s), want 200 there", r.user, h, st, at)
					}
				}
				// The header's count is the inbox's, the workbench's total.
				total := tb.text(`main h2 .badge`)
				if got := tb.text(`header nav a.inbox`); got != "待办 ("+total+")" {
					t.Errorf("%s's header says %q, the workbench counts %s", r.user, got, total)
				}
				r.check(t, tb)
				if r.role != "" {
					save(t, filepath.Join(dir, "workbench-"+r.role+".png"), tb.screenshot())
				}
			})
		}
	})

	t.Run("AdminAddsUnitAndUser", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		tb := b.newTab(t, a.HTTP.URL())
		tb.login("admin")

		// A unit through the form.
		if st := tb.open("/admin/units"); st != 200 {
			t.Fatalf("/admin/units: %d", st)
		}
		unit := `form[method=post][action="/admin/units"] `
		tb.typeInto(unit+`input[name=name]`, "城关镇")
		tb.choose(unit+`select[name=kind]`, "乡镇")
		tb.typeInto(unit+`input[name=division_code]`, "620521102000")
		tb.typeInto(unit+`input[name=liaison]`, "张敏")
		if st := tb.follow(unit + `button[type=submit]`); st != 200 {
			t.Fatalf("add unit: status %d\n%s", st, tb.describe())
		}
		if f := tb.text(`main p.flash`); f != "已添加单位 城关镇" {
			t.Errorf("after adding the unit the page says %q", f)
		}
		row := run(tb, "unit row", chromedp.Evaluate[[]string](`(() => { const tr = Array.from(document.querySelectorAll("table.units tbody tr"))
			.find(tr => tr.cells[0].innerText.trim() === "城关镇"); return tr ? Array.from(tr.cells, c => c.innerText.trim()) : [] })()`))
		if len(row) < 6 || row[1] != "乡镇" || row[2] != "620521102000" || row[5] != "张敏" {
			t.Errorf("the units table shows 城关镇 as %q", row)
		}

		// A liaison of that unit, with no password typed: a one-time one.
		if st := tb.open("/admin/users"); st != 200 {
			t.Fatalf("/admin/users: %d", st)
		}
		user := `form[method=post][action="/admin/users"] `
		tb.typeInto(user+`input[name=username]`, "liaison_cg")
		tb.typeInto(user+`input[name=display_name]`, "张敏")
		tb.choose(user+`select[name=role]`, "单位联络员")
		tb.choose(user+`select[name=unit]`, "城关镇")
		if st := tb.follow(user + `button[type=submit]`); st != 201 {
			t.Fatalf("add user: status %d\n%s", st, tb.describe())
		}
		oneTime := tb.text(`.one-time code`)
		if len(oneTime) < 8 {
			t.Fatalf("the one-time password shown is %q\n%s", oneTime, tb.describe())
		}
		if got := tb.text(`.one-time p`); !strings.Contains(got, "liaison_cg") {
			t.Errorf("the one-time note says %q", got)
		}
		id := run(tb, "user id", chromedp.Evaluate[string](`(() => { const tr = Array.from(document.querySelectorAll("table.users tbody tr"))
			.find(tr => tr.cells[0].innerText.trim() === "liaison_cg"); return tr ? tr.id.replace("user-", "") : "" })()`))
		if id == "" {
			t.Fatalf("the users table does not list liaison_cg\n%s", tb.describe())
		}
		if got := tb.text(`#user-` + id + ` td:nth-child(5)`); !strings.Contains(got, "待修改一次性密码") {
			t.Errorf("liaison_cg's state %q, want 待修改一次性密码", got)
		}
		tb.logout()

		// The new user logs in with it and must change it before anything.
		const chosen = "城关镇联络员2026新"
		mustChange := func(password string) {
			t.Helper()
			if st := flowsLogin(tb, "liaison_cg", password); st != 200 {
				t.Fatalf("login with %q: status %d\n%s", password, st, tb.describe())
			}
			if p := tb.path(); p != "/account/password" {
				t.Fatalf("a one-time password landed on %s, want /account/password\n%s", p, tb.describe())
			}
			if got := tb.text(`main p.notice`); !strings.Contains(got, "一次性密码") {
				t.Errorf("the change form says %q", got)
			}
			if nav := flowsNav(tb); len(nav) != 0 {
				t.Errorf("with a one-time password the header offers %q", nav)
			}
			if links := tb.texts(`main a`); len(links) != 0 {
				t.Errorf("with a one-time password the page offers links %q", links)
			}
			// Typing another page's URL leads back to the form.
			tb.open("/problems")
			if p := tb.path(); p != "/account/password" {
				t.Errorf("/problems with a one-time password went to %s", p)
			}
		}
		mustChange(oneTime)
		tb.typeInto(`input[name=current_password]`, oneTime)
		tb.typeInto(`input[name=new_password]`, chosen)
		tb.typeInto(`input[name=new_password2]`, chosen)
		if st := tb.follow(`form[action="/account/password"] button[type=submit]`); st != 200 {
			t.Fatalf("change password: status %d\n%s", st, tb.describe())
		}
		if p := tb.path(); p != "/workbench" {
			t.Fatalf("after the change on %s, want /workbench\n%s", p, tb.describe())
		}
		if who := tb.text(`header .who span`); who != "张敏 · 城关镇 · 单位联络员" {
			t.Errorf("the header names the new user %q", who)
		}
		if nav := flowsNav(tb); !slices.Contains(nav, "/problems") || slices.Contains(nav, "/admin/users") {
			t.Errorf("the new liaison's header %q", nav)
		}
		tb.logout()

		// The administrator resets it: the chosen password stops working,
		// the new one-time one works and asks for a change again.
		tb.login("admin")
		tb.open("/admin/users")
		if st := tb.follow(`#user-` + id + ` form[action$="/password"] button[type=submit]`); st != 200 {
			t.Fatalf("reset: status %d\n%s", st, tb.describe())
		}
		reset := tb.text(`.one-time code`)
		if len(reset) < 8 || reset == oneTime {
			t.Fatalf("the reset shows %q (the first was %q)", reset, oneTime)
		}
		if got := tb.text(`.one-time p`); !strings.Contains(got, "已重置用户 liaison_cg 的密码") {
			t.Errorf("the reset note says %q", got)
		}
		tb.logout()
		if st := flowsLogin(tb, "liaison_cg", chosen); st != 401 {
			t.Errorf("the password chosen before the reset: status %d, want 401\n%s", st, tb.describe())
		}
		if msg := tb.text(`p.error`); msg != "用户名或密码错误" {
			t.Errorf("the old password's message %q", msg)
		}
		mustChange(reset)
	})

	t.Run("CaseSignSubmitReturnAccept", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		const no = "D3SX202612050001"
		id := a.flowsBatch(t, 5, no, "群众反映永清镇某汽修厂喷漆废气扰民")[0]
		a.flowsAct(t, "coord", id, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		path := "/cases/" + strconv.FormatInt(id, 10)
		tb := b.newTab(t, a.HTTP.URL())

		// 签收 from the workbench: the to-do's link, then the action.
		if st := flowsLogin(tb, "liaison_yq", storetest.Password); st != 200 || tb.path() != "/workbench" {
			t.Fatalf("login: %d on %s", st, tb.path())
		}
		if st := tb.follow(`#todo-to_sign a[href="` + path + `"]`); st != 200 {
			t.Fatalf("the to-do's link: status %d", st)
		}
		sign := `#action-sign button[type=submit]`
		if !flowsVisible(tb, sign) {
			t.Errorf("on the case reached from 待签收 the 签收 button is folded away: signing takes a third click (its summary)")
			tb.click(`#action-sign summary`)
		}
		if st := tb.follow(sign); st != 200 {
			t.Fatalf("sign: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .status`); st != "办理中" {
			t.Errorf("after 签收 the case is %q, want 办理中", st)
		}

		// 报送 with the fine its text reports, accepted from the proposals.
		submit := func(findings, handling string) {
			t.Helper()
			form := `#action-submit `
			if !flowsVisible(tb, form+`textarea[name=findings]`) {
				tb.click(form + `summary`)
			}
			tb.clear(form + `textarea[name=findings]`)
			tb.typeInto(form+`textarea[name=findings]`, findings)
			tb.click(form + `input[name=verdict][value="属实"]`)
			tb.clear(form + `textarea[name=handling]`)
			tb.typeInto(form+`textarea[name=handling]`, handling)
			run(tb, "proposals", chromedp.WaitVisible(chromedp.CSS(form+`.proposals li`)))
			props := tb.texts(form + `.proposals li`)
			i := slices.IndexFunc(props, func(s string) bool { return strings.Contains(s, "立案处罚") })
			if i < 0 || !strings.Contains(props[i], "罚款50000.00元") {
				t.Fatalf("proposals %q, want 立案处罚 with 罚款50000.00元", props)
			}
			// Rows already holding the fine (a second submit) are kept, not doubled.
			kinds := run(tb, "rows", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#action-submit select[name=m_kind]"), s => s.value).filter(v => v)`))
			if !slices.Contains(kinds, ducha.MeasurePenaltyCase) {
				tb.click(form + `.proposals li:nth-child(` + strconv.Itoa(i+1) + `) input.proposal-accept`)
			}
			row := form + `.measure-rows tbody tr:first-child `
			if k, f := tb.value(row+`select[name=m_kind]`), tb.value(row+`input[name=m_fine]`); k != ducha.MeasurePenaltyCase || f != "50000.00" {
				t.Fatalf("the fine's row: kind %q fine %q", k, f)
			}
			if tb.value(row+`input[name=m_enterprise]`) == "" {
				tb.typeInto(row+`input[name=m_enterprise]`, "永清镇东关村汽修厂")
			}
			if st := tb.follow(form + `button[type=submit]:not([name=propose])`); st != 200 {
				t.Fatalf("submit: status %d\n%s", st, tb.describe())
			}
			if st := tb.text(`h1 .status`); st != "待审核" {
				t.Fatalf("after 报送 the case is %q, want 待审核\n%s", st, tb.describe())
			}
		}
		submit("经现场核查，反映情况属实。", "已对该汽修厂立案处罚，罚款5万元，并责令立即整改。")
		tb.logout()

		// The coordinator returns it once, with a reason.
		const reason = "请补充罚款决定书文号及整改照片"
		if st := flowsLogin(tb, "coord", storetest.Password); st != 200 || tb.path() != "/workbench" {
			t.Fatalf("coord login: %d on %s", st, tb.path())
		}
		if st := tb.follow(`#todo-to_review a[href="` + path + `"]`); st != 200 {
			t.Fatalf("the coordinator's 待审核 link: status %d\n%s", st, tb.describe())
		}
		tb.click(`#action-return summary`)
		tb.typeInto(`#action-return textarea[name=reason]`, reason)
		if st := tb.follow(`#action-return button[type=submit]`); st != 200 {
			t.Fatalf("return: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .status`); st != "办理中" {
			t.Errorf("after 退回 the case is %q, want 办理中", st)
		}
		tb.logout()

		// The liaison sees it returned, with the reason, and answers again.
		flowsLogin(tb, "liaison_yq", storetest.Password)
		if h := tb.text(`#todo-returned h3`); !strings.HasPrefix(h, "被退回") {
			t.Fatalf("the liaison's workbench group %q, want 被退回\n%s", h, tb.describe())
		}
		if got := tb.text(`#todo-returned`); !strings.Contains(got, reason) {
			t.Errorf("the workbench's 被退回 to-do does not say why: %q lacks %q", got, reason)
		}
		if st := tb.follow(`#todo-returned a[href="` + path + `"]`); st != 200 {
			t.Fatalf("the 被退回 link: status %d", st)
		}
		if got := field(tb, "退回理由"); got != reason {
			t.Errorf("the case's 退回理由 is %q, want %q", got, reason)
		}
		submit("经现场核查，反映情况属实，已补充罚款决定书文号永环罚〔2026〕12号。",
			"已对该汽修厂立案处罚，罚款5万元（永环罚〔2026〕12号），并责令立即整改，整改照片已上传。")
		tb.logout()

		// The coordinator accepts: 办结.
		flowsLogin(tb, "coord", storetest.Password)
		if st := tb.follow(`#todo-to_review a[href="` + path + `"]`); st != 200 {
			t.Fatalf("the second 待审核 link: status %d\n%s", st, tb.describe())
		}
		tb.click(`#action-accept summary`)
		tb.click(`#action-accept input[name=status][value=closed]`)
		if st := tb.follow(`#action-accept button[type=submit]`); st != 200 {
			t.Fatalf("accept: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .status`); st != "已办结" {
			t.Errorf("after 审核办结 the case is %q, want 已办结", st)
		}

		// The history: each step in Chinese, by whom.
		rows := history(tb)
		var actions []string
		for _, r := range rows {
			actions = append(actions, strings.SplitN(r.action, "\n", 2)[0])
		}
		for action, n := range map[string]int{"交办": 1, "签收": 1, "报送办理结果": 2, "退回": 1, "审核办结": 1} {
			if got := countOf(actions, action); got != n {
				t.Errorf("history has %d rows of %s, want %d: %q", got, action, n, actions)
			}
		}
		for action, actor := range map[string]string{"签收": "liaison_yq（永清镇）", "报送办理结果": "liaison_yq（永清镇）",
			"退回": "coord（协调联络组办公室）", "审核办结": "coord（协调联络组办公室）"} {
			if r := findRow(rows, action); r == nil || r.actor != actor {
				t.Errorf("%s done by %v, want %s", action, r, actor)
			}
		}
		if r := findRow(rows, "退回"); r == nil || !strings.Contains(r.action+r.changes, reason) {
			t.Errorf("the 退回 row does not give the reason: %+v", r)
		}
		rawKey := regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`)
		logins := strings.NewReplacer("liaison_yq", "", "coord", "") // login names are the seeded users' names
		for _, r := range rows {
			if k := rawKey.FindString(logins.Replace(r.action + " " + r.changes)); k != "" {
				t.Errorf("history row %s shows the raw key %q: %q", r.action, k, r.changes)
			}
		}

		// The daily report counts the fine: 5万元 = 50000 元.
		rep := flowsReport(tb)
		if rep.Measures.FinesYuan != 5_000_000 || rep.Measures.PenaltyCases != 1 || rep.Cases.Closed != 1 {
			t.Errorf("daily report: fines %s 元, %d penalty cases, %d closed; want 50000.00, 1, 1",
				rep.Measures.FinesYuan, rep.Measures.PenaltyCases, rep.Cases.Closed)
		}
	})

	t.Run("LiaisonCannotReachAnotherUnitByURL", func(t *testing.T) {
		t.Parallel()
		a := startApp(t)
		const secret, no = "永清镇宏达砖厂夜间偷排", "D3SX202612060001"
		p := a.planned(t, secret+"（问题）", "永清镇", "永清镇", 30)
		c := a.flowsBatch(t, 6, no, secret+"（交办件）")[0]
		a.flowsAct(t, "coord", c, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		pid, cid := strconv.FormatInt(p.ID, 10), strconv.FormatInt(c, 10)
		yq := strconv.FormatInt(a.Fixture.Units["永清镇"].ID, 10)

		// The owner's liaison reaches all of it: the checks below can fail.
		own := b.newTab(t, a.HTTP.URL())
		flowsLogin(own, "liaison_yq", storetest.Password)
		for _, u := range []string{"/api/v1/problems/" + pid, "/api/v1/cases/" + cid, "/api/v1/problems/" + pid + "/archive.zip",
			"/api/v1/cases/" + cid + "/archive.zip"} {
			if st, _ := flowsFetchStatus(own, u); st != 200 {
				t.Errorf("liaison_yq's own %s: %d", u, st)
			}
		}
		if rows := flowsXLSX(own, "/cases/export.xlsx"); !flowsXLSXHas(rows, no) {
			t.Errorf("liaison_yq's own export lacks %s: %q", no, rows)
		}

		tb := b.newTab(t, a.HTTP.URL())
		flowsLogin(tb, "liaison_hb", storetest.Password)
		for u, none := range map[string]string{"/problems/" + pid: "/problems/999999", "/cases/" + cid: "/cases/999999"} {
			st404 := tb.open(none)
			missing := tb.text("main")
			st := tb.open(u)
			if st != 404 && st != 403 {
				t.Errorf("liaison_hb opening %s: status %d, want 404 or 403", u, st)
			}
			body := tb.text("main")
			if strings.Contains(body, secret) || strings.Contains(body, no) {
				t.Errorf("liaison_hb on %s sees 永清镇's item: %q", u, body)
			}
			if st == st404 && body != missing {
				t.Errorf("%s shows %q, the missing %s %q: want the same page", u, body, none, missing)
			}
		}
		for _, u := range []string{"/api/v1/problems/" + pid, "/api/v1/problems/" + pid + "/events", "/api/v1/cases/" + cid,
			"/api/v1/cases/" + cid + "/events", "/api/v1/problems/" + pid + "/archive.zip", "/api/v1/cases/" + cid + "/archive.zip"} {
			st, body := flowsFetch(tb, u)
			if st != 404 && st != 403 {
				t.Errorf("liaison_hb fetching %s: status %d, want 404 or 403", u, st)
			}
			if strings.Contains(string(body), secret) || strings.Contains(string(body), no) {
				t.Errorf("liaison_hb's %s holds 永清镇's item: %q", u, body)
			}
		}
		// The exports are scoped as the lists: with no filter, filtered to
		// 永清镇 or to the case's number, none holds the item.
		for _, u := range []string{"/cases/export.xlsx", "/cases/export.xlsx?unit=" + yq, "/cases/export.xlsx?q=" + no,
			"/cases/export.xlsx?batch=6", "/api/v1/exports/ledger.xlsx"} {
			rows := flowsXLSX(tb, u)
			if flowsXLSXHas(rows, no) || flowsXLSXHas(rows, secret) || flowsXLSXHas(rows, p.Code) {
				t.Errorf("liaison_hb's %s holds 永清镇's item: %q", u, rows)
			}
		}
	})
}

// flowsShotDir is the folder the browser tests write screenshots into:
// DUCHA_SCREENSHOTS, by default testdata/screenshots.
func flowsShotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DUCHA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// flowsLogin logs in through the form with a password and returns the
// status of the page it ends on, wherever that is.
func flowsLogin(tb *tab, username, password string) int64 {
	tb.t.Helper()
	if st := tb.open("/login"); st != 200 {
		tb.t.Fatalf("GET /login: status %d", st)
	}
	tb.typeInto(`form[action="/login"] input[name=username]`, username)
	tb.typeInto(`form[action="/login"] input[name=password]`, password)
	return tb.follow(`form[action="/login"] button[type=submit]`)
}

// flowsNav lists the paths the header's navigation links to.
func flowsNav(tb *tab) []string {
	tb.t.Helper()
	return run(tb, "header links", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("header nav a"), a => a.getAttribute("href"))`))
}

// flowsVisible reports whether sel is on the page and shown.
func flowsVisible(tb *tab, sel string) bool {
	tb.t.Helper()
	return run(tb, "visible "+sel, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+jsString(sel)+`);
		return !!e && e.checkVisibility() })()`))
}

// flowsFetch gets path with the tab's session and returns the status and
// the body as fetched (redirects followed).
func flowsFetch(tb *tab, path string) (int, []byte) {
	tb.t.Helper()
	js := `fetch(` + jsString(path) + `).then(async r => { const b = new Uint8Array(await r.arrayBuffer()); let s = "";
		for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
		return r.status + " " + btoa(s) })`
	got := run(tb, "fetch "+path, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	status, enc, _ := strings.Cut(got, " ")
	body, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		tb.t.Fatalf("fetch %s: %v", path, err)
	}
	n, _ := strconv.Atoi(status)
	return n, body
}

// flowsFetchStatus gets path with the tab's session and returns the status
// and the path and query it ended on after redirects.
func flowsFetchStatus(tb *tab, path string) (int, string) {
	tb.t.Helper()
	js := `fetch(` + jsString(path) + `).then(r => { const u = new URL(r.url); return r.status + " " + u.pathname + u.search })`
	got := run(tb, "fetch "+path, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	status, at, _ := strings.Cut(got, " ")
	n, _ := strconv.Atoi(status)
	return n, at
}

// flowsXLSX downloads an export with the tab's session and returns its
// cells, row by row, from every sheet.
func flowsXLSX(tb *tab, path string) [][]string {
	tb.t.Helper()
	st, body := flowsFetch(tb, path)
	if st != 200 {
		tb.t.Errorf("export %s: status %d: %.300s", path, st, body)
		return nil
	}
	file := filepath.Join(tb.t.TempDir(), "export.xlsx")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		tb.t.Fatal(err)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		tb.t.Fatalf("export %s is not an xlsx: %v", path, err)
	}
	defer f.Close()
	var rows [][]string
	for _, sh := range f.GetSheetList() {
		r, err := f.GetRows(sh)
		if err != nil {
			tb.t.Fatalf("export %s, sheet %s: %v", path, sh, err)
		}
		rows = append(rows, r...)
	}
	return rows
}

// flowsXLSXHas reports whether any cell contains s, leaving out the line
// that repeats the filter asked for (筛选：…).
func flowsXLSXHas(rows [][]string, s string) bool {
	for _, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "筛选：") {
			continue
		}
		for _, c := range r {
			if strings.Contains(c, s) {
				return true
			}
		}
	}
	return false
}

// flowsReport reads today's daily report JSON with the tab's session.
func flowsReport(tb *tab) *ducha.DailyReport {
	tb.t.Helper()
	st, body := flowsFetch(tb, "/api/v1/reports/daily")
	if st != 200 {
		tb.t.Fatalf("daily report: %d %s", st, body)
	}
	var rep ducha.DailyReport
	if err := json.Unmarshal(body, &rep); err != nil {
		tb.t.Fatalf("daily report: %v: %s", err, body)
	}
	return &rep
}

// flowsCards checks the workbench's figure cards: there, and 交办总数 as
// the store holds.
func flowsCards(t *testing.T, tb *tab, total int) {
	t.Helper()
	cards := run(tb, "cards", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(
		document.querySelectorAll("section.figures dl.cards > div"), d => [d.querySelector("dt").innerText.trim(), d.querySelector("dd").innerText.trim()]))`))
	for _, k := range []string{"交办总数", "已办结", "阶段性办结", "未办结", "办结率", "逾期", "罚款（元）", "约谈（人）", "问责（人）"} {
		if _, ok := cards[k]; !ok {
			t.Errorf("the workbench's figures %v lack %s", cards, k)
		}
	}
	if got := cards["交办总数"]; got != strconv.Itoa(total) {
		t.Errorf("交办总数 shows %q, want %d", got, total)
	}
}

// flowsTodo checks a workbench group: its label and a link to the case.
func flowsTodo(t *testing.T, tb *tab, kind, label string, caseID int64) {
	t.Helper()
	g := `#todo-` + kind
	if h := tb.text(g + ` h3`); !strings.HasPrefix(h, label) {
		t.Errorf("the %s group is headed %q, want %s", kind, h, label)
	}
	if n := len(tb.texts(g + ` a[href="/cases/` + strconv.FormatInt(caseID, 10) + `"]`)); n != 1 {
		t.Errorf("the %s group has no link to case %d: %q", kind, caseID, tb.texts(g+` li`))
	}
}

// flowsBatch imports one batch as the coordinator does, of the cases
// given as acceptance number and text pairs, and returns their ids.
func (a *app) flowsBatch(t *testing.T, batch int, noText ...string) []int64 {
	t.Helper()
	coord := storetest.As(a.Fixture.Users["coord"])
	var rows []ducha.BatchRow
	for i := 0; i+1 < len(noText); i += 2 {
		rows = append(rows, ducha.BatchRow{Row: 3 + len(rows), Case: &ducha.Case{AcceptanceNo: noText[i], Channel: ducha.ChannelPhone,
			Area: "永清镇", Text: noText[i+1], Types: []string{"大气"}}})
	}
	if _, err := a.DB.ImportBatch(coord, batch, ducha.Today(time.Now()), fmt.Sprintf("第%d批.xlsx", batch), rows); err != nil {
		t.Fatalf("import batch %d: %v", batch, err)
	}
	var ids []int64
	for i := 0; i < len(noText); i += 2 {
		ids = append(ids, a.flowsFind(t, noText[i]).ID)
	}
	return ids
}

// flowsFind reads a case by its id or acceptance number, as the system.
func (a *app) flowsFind(t *testing.T, ref any) *ducha.Case {
	t.Helper()
	var c *ducha.Case
	var err error
	switch r := ref.(type) {
	case int64:
		c, err = a.DB.FindCaseByID(storetest.System(), r)
	case string:
		c, err = a.DB.FindCaseByAcceptanceNo(storetest.System(), r)
	}
	if err != nil {
		t.Fatalf("case %v: %v", ref, err)
	}
	return c
}

// flowsAct does one case action through the store as the user.
func (a *app) flowsAct(t *testing.T, user string, id int64, in ducha.CaseAction) {
	t.Helper()
	in.Version = a.flowsFind(t, id).Version
	if _, err := a.DB.ActOnCase(storetest.As(a.Fixture.Users[user]), id, in); err != nil {
		t.Fatalf("%s %s on case %d: %v", user, in.Action, id, err)
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
