package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"ducha"
	"ducha/internal/storetest"
)

// TestBrowserKeyboard does the workflows with the keyboard alone —
// Tab, Shift+Tab, Enter, Space, the arrows and typed text, never a click
// and never a script's click: the login form; the ledger reached through
// the header, filtered with a dropdown moved by the arrows and submitted
// with Enter, searched as one types without losing the cursor, and a
// problem opened; a liaison signing for a case, answering it and reporting
// progress on a problem, each form folded in a details opened with Enter
// or Space; the unit picker filtered and chosen from; two cases ticked
// with Space and assigned in one bulk submit; the header's menu on a
// phone. Every element the walks reach shows a focus indicator that
// stands out from what is behind it (3:1); the first stop of every page
// is 跳到正文, which moves focus into main; and 200 Tabs from the top of
// the ledger and of a case page reach every control and come back to the
// document, so nothing traps the keyboard.
func TestBrowserKeyboard(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	d := keyboardData(t, a)
	// The kinds of element whose focus the walks below check; each must
	// have been seen at least once, so the check covers them all.
	seen := map[string]bool{}

	t.Run("LoginLedgerFilterProblem", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("coord")

		// The ledger through the header's navigation.
		tb.tabTo(`header nav a[href="/problems"]`, 60, seen)
		if st := tb.pressLoads("open the ledger", kb.Enter); st != 200 || tb.path() != "/problems" {
			t.Fatalf("Enter on 问题台账: status %d on %s", st, tb.path())
		}
		if n := len(ledger(tb)); n != 3 {
			t.Fatalf("the ledger lists %d problems, want 3", n)
		}

		// The status dropdown moved with the arrows: 全部 → 待交办 → 整改中.
		tb.tabTo(`form.filters select[name=status]`, 60, seen)
		tb.press("arrow down twice", kb.ArrowDown+kb.ArrowDown)
		if v := tb.value(`form.filters select[name=status]`); v != string(ducha.StatusInProgress) {
			t.Fatalf("two ArrowDowns chose %q, want %s", v, ducha.StatusInProgress)
		}
		// Enter in the search box submits the form.
		tb.tabTo(`form.filters input[name=q]`, 10, seen)
		if st := tb.pressLoads("submit the filters", kb.Enter); st != 200 {
			t.Fatalf("Enter in the search box: status %d", st)
		}
		if p := tb.path(); !strings.Contains(p, "status=in_progress") {
			t.Fatalf("the filter is not in the address: %s", p)
		}
		rows := ledger(tb)
		if len(rows) != 2 || slices.ContainsFunc(rows, func(r ledgerRow) bool { return r.status != "整改中" }) {
			t.Fatalf("filtered to 整改中 the ledger lists %+v", rows)
		}

		// Search as you type: the results are replaced under the cursor,
		// which stays in the box, so typing goes on and Tab goes on from
		// there.
		tb.tabTo(`form.filters input[name=q]`, 60, seen)
		tb.press("type 砖厂", "砖厂")
		tb.rowsBecome("typing 砖厂", d.brickworks)
		if got := tb.active(); !strings.HasPrefix(got, "input#filter-q") {
			t.Fatalf("after the results were replaced the focus is on %s, not the search box", got)
		}
		tb.press("type 扬尘", "扬尘")
		tb.rowsBecome("typing 扬尘", d.brickworks)
		if v := tb.value(`#filter-q`); v != "砖厂扬尘" {
			t.Errorf("the search box holds %q after typing on across a swap, want 砖厂扬尘", v)
		}
		tb.press("tab", kb.Tab)
		if got := tb.active(); !strings.HasPrefix(got, "select[name=per_page]") {
			t.Errorf("Tab from the search box after a swap went to %s, want the page size", got)
		}

		// The problem, opened from its row.
		tb.tabTo(`table.ledger tbody a[href="/problems/`+d.problem+`"]`, 60, seen)
		if st := tb.pressLoads("open the problem", kb.Enter); st != 200 || tb.path() != "/problems/"+d.problem {
			t.Fatalf("Enter on the problem's link: status %d on %s", st, tb.path())
		}
		if h := tb.text("main h1"); !strings.HasPrefix(h, d.code) {
			t.Errorf("the problem's page is titled %q, want %s", h, d.code)
		}
	})

	t.Run("LiaisonSignsAnswersReports", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("liaison_yq")

		// 签收: the to-do's link, then the form's button; the form is
		// open (one step, one button) and otherwise opens with Enter.
		tb.tabTo(`#todo-to_sign a[href="/cases/`+d.toSign+`"]`, 60, seen)
		if st := tb.pressLoads("open the case", kb.Enter); st != 200 {
			t.Fatalf("Enter on the to-do: status %d", st)
		}
		tb.openDetails("#action-sign", kb.Enter, seen)
		tb.tabTo(`#action-sign button[type=submit]`, 5, seen)
		if st := tb.pressLoads("sign", kb.Enter); st != 200 {
			t.Fatalf("Enter on 签收: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .status`); st != "办理中" {
			t.Fatalf("after 签收 the case is %q, want 办理中", st)
		}

		// 报送办理结果: a closed form, opened with Enter; the verdict, a
		// radio group, ticked with Space.
		tb.openDetails("#action-submit", kb.Enter, seen)
		form := `#action-submit `
		tb.tabTo(form+`textarea[name=findings]`, 10, seen)
		tb.press("type the findings", "经现场核查，反映情况属实。")
		tb.tabTo(form+`input[name=verdict]`, 5, seen)
		tb.press("tick the verdict", " ")
		if v := run(tb, "verdict", chromedp.Evaluate[string](`(document.querySelector("#action-submit input[name=verdict]:checked") || {}).value || ""`)); v != "属实" {
			t.Fatalf("Space in the verdict group ticked %q, want 属实", v)
		}
		tb.tabTo(form+`textarea[name=handling]`, 5, seen)
		tb.press("type the handling", "已要求石料厂调整爆破时间，避开夜间作业。")
		tb.tabTo(form+`button[type=submit]:not([name=propose])`, 30, seen)
		if st := tb.pressLoads("submit the answer", kb.Enter); st != 200 {
			t.Fatalf("Enter on 报送办理结果: status %d\n%s", st, tb.describe())
		}
		if st := tb.text(`h1 .status`); st != "待审核" {
			t.Fatalf("after 报送 the case is %q, want 待审核\n%s", st, tb.describe())
		}
		if c := a.flowsFind(t, mustID(t, d.toSign)); c.Verdict != "属实" || !strings.Contains(c.Handling, "避开夜间作业") {
			t.Errorf("the store holds verdict %q, handling %q", c.Verdict, c.Handling)
		}

		// 报送进展 on the unit's problem: its form opened with Space.
		tb.open("/problems/" + d.problem)
		tb.openDetails("#action-progress", " ", seen)
		tb.tabTo(`#action-progress textarea[name=text]`, 5, seen)
		tb.press("type the progress", "已完成料场覆盖，喷淋设施安装过半。")
		tb.tabTo(`#action-progress input[name=percent]`, 5, seen)
		tb.press("type the percentage", "60")
		tb.tabTo(`#action-progress button[type=submit]`, 5, seen)
		if st := tb.pressLoads("report progress", kb.Enter); st != 200 {
			t.Fatalf("Enter on 报送进展: status %d\n%s", st, tb.describe())
		}
		if got := field(tb, "整改进展"); !strings.Contains(got, "喷淋设施安装过半") || !strings.Contains(got, "整治进度60%") {
			t.Errorf("the problem's latest progress shows %q", got)
		}
	})

	t.Run("UnitPicker", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("coord")
		tb.open("/cases/" + d.toAssign)
		tb.openDetails("#action-assign", kb.Enter, seen)
		picker := `#action-assign [data-picker] `
		unit := func(name string) string {
			return picker + `input[value="` + strconv.FormatInt(a.Fixture.Units[name].ID, 10) + `"]`
		}
		ticked := func() []string {
			return run(tb, "ticked", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#action-assign input[name=units]:checked"), i => i.labels[0].innerText.trim())`))
		}
		// The case's area, 永清镇, comes ticked.
		if got := ticked(); !slices.Equal(got, []string{"永清镇"}) {
			t.Fatalf("the assign form comes with %v ticked, want the area's [永清镇]", got)
		}

		// Typed initials filter the list (a ticked unit stays in sight);
		// ArrowDown goes into it and on, Enter ticks without submitting.
		tb.tabTo(picker+`input.picker-filter`, 5, seen)
		tb.press("type xst", "xst")
		if got := visibleUnits(tb, picker); !slices.Equal(got, []string{"永清镇", "县生态环境局"}) {
			t.Fatalf("xst shows %v, want [永清镇 县生态环境局]", got)
		}
		tb.press("arrow down", kb.ArrowDown)
		tb.press("arrow down", kb.ArrowDown)
		if !tb.activeMatches(unit("县生态环境局")) {
			t.Fatalf("two ArrowDowns from the filter went to %s (value %s), want 县生态环境局's box", tb.active(), tb.activeValue())
		}
		if msg := tb.focusShown(); msg != "" {
			t.Errorf("a unit's box reached by the arrows: %s", msg)
		}
		tb.press("enter", kb.Enter)
		if got := ticked(); !slices.Equal(got, []string{"永清镇", "县生态环境局"}) {
			t.Fatalf("Enter on 县生态环境局 left %v ticked", got)
		}
		if p := tb.path(); p != "/cases/"+d.toAssign {
			t.Fatalf("Enter in the picker left the page for %s", p)
		}
		// Back up to the filter with ArrowUp, another search, and Tab
		// and Space: 永清镇 unticked, 红堡镇 ticked.
		tb.press("arrow up", kb.ArrowUp)
		tb.press("arrow up", kb.ArrowUp)
		if !tb.activeMatches(picker + `input.picker-filter`) {
			t.Fatalf("ArrowUp from the first unit went to %s, want the filter", tb.active())
		}
		tb.press("to the end of the filter", kb.End)
		tb.press("erase it", strings.Repeat(kb.Backspace, 3))
		tb.press("type hbz", "hbz")
		if got := visibleUnits(tb, picker); !slices.Equal(got, []string{"永清镇", "红堡镇", "县生态环境局"}) {
			t.Fatalf("hbz with two units ticked shows %v", got)
		}
		tb.tabTo(unit("永清镇"), 1, seen)
		tb.press("space", " ")
		tb.tabTo(unit("红堡镇"), 1, seen)
		tb.press("space", " ")
		if got := ticked(); !slices.Equal(got, []string{"红堡镇", "县生态环境局"}) {
			t.Fatalf("after Space on 永清镇 and 红堡镇 %v are ticked", got)
		}
		tb.tabTo(`#action-assign button[type=submit]`, 10, seen)
		if st := tb.pressLoads("assign", kb.Enter); st != 200 {
			t.Fatalf("Enter on 交办: status %d\n%s", st, tb.describe())
		}
		c := a.flowsFind(t, mustID(t, d.toAssign))
		if units := slices.Sorted(slices.Values(c.Units)); c.Status != ducha.CaseAssigned || !slices.Equal(units, []string{"县生态环境局", "红堡镇"}) {
			t.Errorf("after the keyboard's 交办 the case is %s to %v", c.Status, c.Units)
		}
	})

	t.Run("CasesBulk", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("coord")
		tb.open("/cases?batch=4")
		if got := tb.text(`p.summary`); got != "共2件" {
			t.Fatalf("batch 4 lists %q", got)
		}
		// Each row's box ticked with Space.
		for _, id := range d.bulk {
			tb.tabTo(`form#bulk input[name=id][value="`+id+`"]`, 100, seen)
			tb.press("tick", " ")
		}
		ticked := run(tb, "ticked", chromedp.Evaluate[int](`document.querySelectorAll("form#bulk input[name=id]:checked").length`))
		if ticked != 2 {
			t.Fatalf("Space ticked %d rows, want 2", ticked)
		}
		// The bulk form stands above the rows: back with Shift+Tab to the
		// unit, chosen with the arrows, then on to its button.
		tb.tabBackTo(`form#bulk select[name=units]`, 100, seen)
		tb.press("choose 永清镇", kb.ArrowDown)
		if got := selected(tb, `form#bulk select[name=units]`); got != "永清镇" {
			t.Fatalf("ArrowDown chose %q, want 永清镇", got)
		}
		tb.tabTo(`form#bulk button[value=assign]`, 10, seen)
		if st := tb.pressLoads("bulk assign", kb.Enter); st != 200 {
			t.Fatalf("bulk assign: status %d\n%s", st, tb.describe())
		}
		if got := tb.text(`div.bulk-result p`); got != "批量交办：成功2件。" {
			t.Fatalf("the bulk assign says %q\n%s", got, tb.describe())
		}
		for _, id := range d.bulk {
			if c := a.flowsFind(t, mustID(t, id)); c.Status != ducha.CaseAssigned || !slices.Equal(c.Units, []string{"永清镇"}) {
				t.Errorf("case %s after the bulk assign: %s to %v", id, c.Status, c.Units)
			}
		}
	})

	t.Run("PhoneMenu", func(t *testing.T) {
		tb := keyTab(t, b, a)
		phone(tb)
		tb.keyLogin("coord")
		// Folded on a phone, the header's links open from 菜单 with Enter.
		tb.openDetails("header details.menu", kb.Enter, seen)
		tb.tabTo(`header nav a[href="/cases"]`, 10, seen)
		if st := tb.pressLoads("open the cases", kb.Enter); st != 200 || tb.path() != "/cases" {
			t.Fatalf("Enter on 交办件 in the menu: status %d on %s", st, tb.path())
		}
	})

	t.Run("SkipLink", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("coord")
		for _, path := range []string{"/workbench", "/problems", "/cases", "/cases/" + d.toSign, "/problems/" + d.problem, "/reports/daily"} {
			tb.open(path)
			tb.press("tab", kb.Tab)
			if got := tb.active(); got != `a[href=#main] “跳到正文”` {
				t.Errorf("%s: the first Tab goes to %s, want 跳到正文", path, got)
				continue
			}
			if msg := tb.focusShown(); msg != "" {
				t.Errorf("%s: 跳到正文 focused: %s", path, msg)
			}
			tb.press("enter", kb.Enter)
			if got := tb.active(); got != "main#main" {
				t.Errorf("%s: Enter on 跳到正文 moved the focus to %s, want main", path, got)
			}
			tb.press("tab", kb.Tab)
			if !tb.activeMatches(`main *`) {
				t.Errorf("%s: the Tab after 跳到正文 went to %s, outside main", path, tb.active())
			}
		}
		// Unfocused it is out of sight.
		tb.press("tab", kb.Tab)
		if x := run(tb, "skip link", chromedp.Evaluate[float64](`document.querySelector("a.skip").getBoundingClientRect().right`)); x > 0 {
			t.Errorf("unfocused, 跳到正文 is on the screen (its right edge at %v px)", x)
		}
	})

	t.Run("NoTrap", func(t *testing.T) {
		coord := keyTab(t, b, a)
		coord.keyLogin("coord")
		liaison := keyTab(t, b, a)
		liaison.keyLogin("liaison_yq")
		for _, w := range []struct {
			tb   *tab
			path string
		}{
			{coord, "/problems"}, {coord, "/cases/" + d.received}, {liaison, "/cases/" + d.investigating}, {coord, "/cases"},
		} {
			w.tb.open(w.path)
			w.tb.walk(w.path, 200, seen)
		}
	})

	t.Run("EveryKindSeen", func(t *testing.T) {
		for _, kind := range []string{"a", "button", "input", "select", "textarea", "summary"} {
			if !seen[kind] {
				t.Errorf("no %s was focused by the walks: its focus indicator went unchecked (seen %v)", kind, seen)
			}
		}
	})

	// The checks measure: an outline taken away, an outline the colour of
	// the page, a focus that hides off screen and a field that keeps Tab
	// fail them.
	t.Run("MeasureCanFail", func(t *testing.T) {
		tb := keyTab(t, b, a)
		tb.keyLogin("coord")
		tb.open("/problems")
		for _, c := range []struct{ name, css, want string }{
			{"no outline", "outline: none !important", "no focus indicator"},
			{"pale outline", "outline-color: #eeeeee !important", "contrast"},
			{"off screen", "position: absolute !important; left: -9999px !important", "off screen"},
		} {
			// Through the CSSOM: the pages' CSP refuses a style attribute.
			run(tb, "style", chromedp.Evaluate[any](`(() => { const e = document.querySelector("form.filters button[type=submit]");
				e.style.cssText = `+jsString(c.css)+`; e.focus({focusVisible: true}); })()`))
			if msg := tb.focusShown(); !strings.Contains(msg, c.want) {
				t.Errorf("%s: the focus check says %q, want it to fail with %q", c.name, msg, c.want)
			}
		}
		tb.open("/problems")
		run(tb, "trap", chromedp.Evaluate[any](`document.getElementById("filter-q").addEventListener("keydown", e => { if (e.key === "Tab") e.preventDefault(); })`))
		if got := tb.walkResult(200, nil); !strings.Contains(got, "trapped") {
			t.Errorf("a search box that keeps Tab: the walk says %q, want it trapped", got)
		}
		if missed := run(tb, "missed", chromedp.Evaluate[[]string](tabbableJS)); !slices.Contains(missed, `button “查询”`) {
			t.Errorf("behind the trap the filters' button was not reached, yet the walk misses only %q", missed)
		}
	})
}

// keyboardCase is what the keyboard's walks work on.
type keyboardCase struct {
	problem, code string   // a problem of 永清镇 in 整改中
	brickworks    string   // its description
	toSign        string   // a case handed to 永清镇, not signed for
	toAssign      string   // a case not handed over, for the unit picker
	received      string   // a case not handed over, for the walk
	investigating string   // a case 永清镇 signed for, for the walk
	bulk          []string // batch 4: two cases not handed over
}

// keyboardData makes three problems (two in 整改中), batch 3 of four
// cases (one handed to 永清镇, one signed for by it) and batch 4 of two.
func keyboardData(t *testing.T, a *app) keyboardCase {
	t.Helper()
	const brickworks = "永清镇砖厂扬尘污染"
	p := a.planned(t, brickworks, "永清镇", "永清镇", 30)
	a.planned(t, "红堡镇养殖场粪污直排沟渠", "红堡镇", "红堡镇", 20)
	a.registered(t, "县城区餐饮油烟扰民", "城关镇")
	ids := a.flowsBatch(t, 3, "K3SX202612030001", "永清镇石料厂夜间爆破，震动扰民",
		"K3SX202612030002", "永清镇洗车点废水外排", "K3SX202612030003", "永清镇露天烧烤油烟扰民",
		"K3SX202612030004", "永清镇废品站焚烧电线")
	a.flowsAct(t, "coord", ids[0], ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
	a.flowsAct(t, "coord", ids[3], ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
	a.flowsAct(t, "liaison_yq", ids[3], ducha.CaseAction{Action: ducha.CaseActSign})
	bulk := a.flowsBatch(t, 4, "K3SX202612040001", "永清镇采石场粉尘扰民", "K3SX202612040002", "永清镇家具厂喷漆异味")
	s := func(id int64) string { return strconv.FormatInt(id, 10) }
	return keyboardCase{problem: s(p.ID), code: p.Code, brickworks: brickworks, toSign: s(ids[0]), toAssign: s(ids[1]),
		received: s(ids[2]), investigating: s(ids[3]), bulk: []string{s(bulk[0]), s(bulk[1])}}
}

// mustID is the id s names.
func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return id
}

// keyTab opens a tab at the office's screen size that counts as focused
// whichever tab of the shared browser is in front, so that keys go where
// a user's would and :focus-visible behaves as in a window in use.
func keyTab(t *testing.T, b *browser, a *app) *tab {
	t.Helper()
	tb := b.newTab(t, a.HTTP.URL())
	run(tb, "desktop size", chromedp.EmulateViewport(1366, 900))
	run(tb, "focus emulation", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	return tb
}

// keyLogin logs in with the keyboard: Tab to each field, type, Enter.
func (tb *tab) keyLogin(username string) {
	tb.t.Helper()
	if st := tb.open("/login"); st != 200 {
		tb.t.Fatalf("GET /login: status %d", st)
	}
	tb.tabTo(`form[action="/login"] input[name=username]`, 10, nil)
	tb.press("type the username", username)
	tb.tabTo(`form[action="/login"] input[name=password]`, 3, nil)
	tb.press("type the password", storetest.Password)
	if st := tb.pressLoads("log in", kb.Enter); st != 200 {
		tb.t.Fatalf("Enter in the login form: status %d\n%s", st, tb.describe())
	}
	if p := tb.path(); p != "/workbench" {
		tb.t.Fatalf("login %s: landed on %s, want /workbench\n%s", username, p, tb.describe())
	}
}

// press sends keys to the focused element as a keyboard does: key down,
// the character, key up, for each; kb names the keys that are not text.
func (tb *tab) press(what, keys string, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	run(tb, what, chromedp.KeyEvent(keys, opts...))
}

// pressLoads presses keys that lead to another page, waits until it has
// loaded and returns its HTTP status.
func (tb *tab) pressLoads(what, keys string) int64 {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil {
		tb.t.Fatalf("%s: %v\n%s", what, err, tb.describe())
	}
	if resp == nil {
		tb.t.Fatalf("%s: no page loaded\n%s", what, tb.describe())
	}
	return resp.Status
}

// tabTo presses Tab until the focus is on sel, at most max times, and
// checks the focus indicator of each element it passes; seen, when not
// nil, collects their kinds.
func (tb *tab) tabTo(sel string, max int, seen map[string]bool) {
	tb.t.Helper()
	tb.tabUntil(sel, max, seen)
}

// tabBackTo is tabTo with Shift+Tab.
func (tb *tab) tabBackTo(sel string, max int, seen map[string]bool) {
	tb.t.Helper()
	tb.tabUntil(sel, max, seen, chromedp.KeyModifiers(chromedp.ModifierShift))
}

func (tb *tab) tabUntil(sel string, max int, seen map[string]bool, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	var path []string
	for i := 0; ; i++ {
		if tb.activeMatches(sel) {
			return
		}
		if i == max {
			tb.t.Fatalf("%d Tabs did not reach %s; they went through:\n%s\n%s", max, sel, strings.Join(path, "\n"), tb.describe())
		}
		tb.press("tab", kb.Tab, opts...)
		here := tb.active()
		path = append(path, here)
		tb.checkFocus(here, seen)
	}
}

// checkFocus fails the test when the focused element shows no focus, and
// notes its kind in seen.
func (tb *tab) checkFocus(here string, seen map[string]bool) {
	tb.t.Helper()
	if here == "body" {
		return
	}
	if msg := tb.focusShown(); msg != "" {
		tb.t.Errorf("on %s, %s focused: %s", tb.path(), here, msg)
	}
	if seen != nil {
		seen[strings.FieldsFunc(here, func(r rune) bool { return r == '#' || r == '[' || r == ' ' })[0]] = true
	}
}

// openDetails tabs to the summary of the details sel and, when it is
// closed, opens it with key (Enter or Space).
func (tb *tab) openDetails(sel, key string, seen map[string]bool) {
	tb.t.Helper()
	tb.tabTo(sel+` > summary`, 60, seen)
	isOpen := func() bool {
		return run(tb, "open "+sel, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`).open`))
	}
	if !isOpen() {
		tb.press("open "+sel, key)
		if !isOpen() {
			tb.t.Fatalf("%q on the summary of %s did not open it", key, sel)
		}
	}
}

// activeJS names the focused element: its tag, id, name and href, and
// its first words.
const activeJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body || e === document.documentElement) return "body";
	let s = e.tagName.toLowerCase();
	if (e.id) s += "#" + e.id;
	if (e.getAttribute("name")) s += "[name=" + e.getAttribute("name") + "]";
	if (e.getAttribute("href")) s += "[href=" + e.getAttribute("href") + "]";
	const text = e.tagName === "MAIN" ? "" : (e.innerText || "").trim().split("\n")[0].slice(0, 20);
	return s + (e.tagName === "MAIN" ? "" : " “" + text + "”");
})()`

// active names the focused element ("body" when none is).
func (tb *tab) active() string {
	tb.t.Helper()
	return run(tb, "focused element", chromedp.Evaluate[string](activeJS))
}

// activeValue is the value of the focused element.
func (tb *tab) activeValue() string {
	tb.t.Helper()
	return run(tb, "focused value", chromedp.Evaluate[string](`document.activeElement && document.activeElement.value || ""`))
}

// activeMatches reports whether the focused element matches sel.
func (tb *tab) activeMatches(sel string) bool {
	tb.t.Helper()
	return run(tb, "focus on "+sel, chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+jsString(sel)+`)`))
}

// focusShownJS says what is wrong with the focused element's focus
// indicator, or "": it must be on the screen and show an outline at least
// 2 px wide or a box-shadow, whose colour has a contrast of 3:1 with the
// background behind the element (WCAG 1.4.11: an outline drawn outside
// the element sits on its parent's background).
const focusShownJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return "";
	const rgb = s => { const m = (s.match(/[\d.]+/g) || [0, 0, 0, 0]).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
	const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
	const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
	const r = e.getBoundingClientRect();
	if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) {
		return "off screen at " + Math.round(r.left) + "," + Math.round(r.top) + " (" + Math.round(r.width) + "×" + Math.round(r.height) + ")";
	}
	const st = getComputedStyle(e);
	const outline = st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2 && rgb(st.outlineColor).a > 0.5;
	const shadow = st.boxShadow !== "none";
	if (!outline && !shadow) return "no focus indicator (outline " + st.outlineStyle + " " + st.outlineWidth + " " + st.outlineColor + ", no box-shadow)";
	if (!outline) return "";
	const behind = bg(e.parentElement), l1 = lum(rgb(st.outlineColor)), l2 = lum(behind);
	const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
	return ratio >= 3 ? "" : "outline " + st.outlineColor + " on rgb(" + behind.r + "," + behind.g + "," + behind.b + "): contrast " + ratio.toFixed(2) + " < 3";
})()`

// focusShown is what is wrong with the focus indicator, or "".
func (tb *tab) focusShown() string {
	tb.t.Helper()
	return run(tb, "focus indicator", chromedp.Evaluate[string](focusShownJS))
}

// tabbableJS lists the page's elements a keyboard must reach that the
// walk marked data-kb-seen has not: links, buttons, fields and summaries
// shown, one radio button a group (Tab stops at one, the arrows move
// within it).
const tabbableJS = `(() => {
	const all = Array.from(document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, details > summary:first-of-type, [tabindex]:not([tabindex='-1'])"))
		.filter(e => !e.disabled && e.checkVisibility({visibilityProperty: true}) && !e.closest("[inert]"));
	const groups = new Set();
	return all.filter(e => {
		if (e.type !== "radio") return true;
		if (groups.has(e.name)) return false;
		groups.add(e.name);
		return true;
	}).filter(e => {
		if (e.type === "radio") return !Array.from(document.getElementsByName(e.name)).some(r => r.dataset.kbSeen);
		return !e.dataset.kbSeen;
	}).map(e => e.tagName.toLowerCase() + (e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "") +
		(e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "") + " “" + (e.innerText || e.value || "").trim().slice(0, 20) + "”");
})()`

// walk presses Tab from the top of the page up to max times, opening
// each closed details it passes with Enter: the focus must pass every
// link and control and come back to the document (the body, then the
// first stop again), each stop showing its focus.
func (tb *tab) walk(name string, max int, seen map[string]bool) {
	tb.t.Helper()
	if msg := tb.walkResult(max, seen); msg != "" {
		tb.t.Errorf("%s: %s", name, msg)
		return
	}
	if missed := run(tb, "missed", chromedp.Evaluate[[]string](tabbableJS)); len(missed) > 0 {
		tb.t.Errorf("%s: Tab went round without reaching %s", name, strings.Join(missed, "; "))
	}
}

// walkResult is walk's verdict on the page as it stands: "" when Tab
// came back to the document, else what happened.
func (tb *tab) walkResult(limit int, seen map[string]bool) string {
	tb.t.Helper()
	first := ""
	var path []string
	for i := range limit {
		tb.press("tab", kb.Tab)
		here := tb.active()
		if i == 0 {
			first = here
		} else if here == first {
			return ""
		} else if here == "body" {
			// Past the last stop the focus leaves the page; the next
			// Tab comes round to the first again.
			tb.press("tab", kb.Tab)
			if again := tb.active(); again != first {
				return fmt.Sprintf("after the last stop and the document, Tab went to %s, not back to %s", again, first)
			}
			tb.t.Logf("%s: %d stops, then round to %s", tb.path(), len(path)+1, first)
			return ""
		}
		// Each element is checked once: a date field has four stops, and
		// a trap would repeat its message.
		if run(tb, "mark", chromedp.Evaluate[bool](`(() => { const e = document.activeElement; if (!e || e.dataset.kbSeen) return false;
			e.dataset.kbSeen = "1"; return true; })()`)) {
			tb.checkFocus(here, seen)
			// A closed form is opened, with Enter, so that its fields
			// are walked too.
			if strings.HasPrefix(here, "summary") && !run(tb, "open", chromedp.Evaluate[bool](`document.activeElement.parentElement.open`)) {
				tb.press("open", kb.Enter)
			}
		}
		path = append(path, here)
	}
	// Name the few stops the focus went round at the end.
	last := path[max(0, len(path)-5):]
	return fmt.Sprintf("trapped: %d Tabs did not come back to the document; the last stops were %s", limit, strings.Join(last, ", "))
}

// rowsBecome waits until the ledger lists only rows containing want.
func (tb *tab) rowsBecome(what string, want ...string) {
	tb.t.Helper()
	js := `Array.from(document.querySelectorAll("table.ledger tbody tr:not(:has(td.empty))"), r => r.textContent.replace(/\s+/g, " "))`
	var got []string
	for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		got = run(tb, "rows", chromedp.Evaluate[[]string](js))
		if len(got) == len(want) && !slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(strings.Join(got, "|"), w) }) {
			return
		}
	}
	tb.t.Fatalf("%s: the list did not become %v: %q", what, want, got)
}
