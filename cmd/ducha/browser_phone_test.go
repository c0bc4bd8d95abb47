package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
)

// phoneWidth is the narrowest phone the pages are made for.
const phoneWidth = 360

// TestBrowserPhone opens every page of the main set at 360 px as each role
// that sees it, with lists that are not empty: no page scrolls sideways,
// every control has an accessible label, and the text of the main elements
// has a contrast of at least 4.5:1 against its background. It writes
// screenshots of the main pages at desktop and phone width into
// DUCHA_SCREENSHOTS (testdata/screenshots by default).
func TestBrowserPhone(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	ids := phoneData(t, a)

	pages := map[string][]string{
		"admin": {"/workbench", "/admin/users", "/admin/units", "/admin/campaigns", "/admin/channels"},
		"coord": {"/workbench", "/problems", "/problems/" + ids["problem"], "/problems/new", "/cases", "/cases/" + ids["case"],
			"/batches", "/reports/daily", "/notices", "/notices/" + ids["notice"], "/inbox", "/enterprises", "/documents", "/accountability"},
		"liaison_yq": {"/workbench", "/problems", "/problems/" + ids["problem"], "/cases", "/cases/" + ids["case"], "/notices",
			"/notices/" + ids["notice"], "/inbox", "/documents"},
		"discipline": {"/workbench", "/accountability", "/accountability/" + ids["accountability"]},
		"leader":     {"/workbench", "/reports/daily"},
	}
	for _, who := range []string{"admin", "coord", "liaison_yq", "discipline", "leader"} {
		t.Run(who, func(t *testing.T) {
			tb := b.newTab(t, a.HTTP.URL())
			phone(tb)
			tb.login(who)
			for _, path := range pages[who] {
				checkPhonePage(tb, who+" "+path, path)
			}
		})
	}
	t.Run("public", func(t *testing.T) {
		tb := b.newTab(t, a.HTTP.URL())
		phone(tb)
		for _, path := range []string{"/login", "/public/disclosure", "/public/closure"} {
			checkPhonePage(tb, "anyone "+path, path)
		}
	})
	// The checks measure: a page made too wide, a grey heading and a bare
	// input fail them.
	t.Run("MeasureCanFail", func(t *testing.T) {
		tb := b.newTab(t, a.HTTP.URL())
		run(tb, "viewport", chromedp.EmulateViewport(1366, 800))
		tb.login("coord")
		run(tb, "phone", chromedp.EmulateViewport(phoneWidth, 740))
		run(tb, "widen", chromedp.Evaluate[any](`document.querySelector("main").style.minWidth = "900px"`))
		if w := scrollWidth(tb); w <= phoneWidth {
			t.Fatalf("a 900 px wide main measured %d px wide", w)
		}
		run(tb, "grey", chromedp.Evaluate[any](`document.querySelector("main h1").style.color = "#aaa"`))
		if low := run(tb, "contrast", chromedp.Evaluate[[]string](contrastJS)); len(low) == 0 {
			t.Fatalf("a #aaa heading on white passed the contrast check")
		}
		run(tb, "unlabel", chromedp.Evaluate[any](`document.querySelector("main").insertAdjacentHTML("beforeend", "<input name=bare>")`))
		if bare := run(tb, "labels", chromedp.Evaluate[[]string](unlabelledJS)); len(bare) != 1 || bare[0] != "input[name=bare]" {
			t.Fatalf("an unlabelled input: %q", bare)
		}
	})

	t.Run("Screenshots", func(t *testing.T) {
		dir := os.Getenv("DUCHA_SCREENSHOTS")
		if dir == "" {
			dir = filepath.Join("testdata", "screenshots")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shots := []struct{ who, name, path string }{
			{"coord", "workbench", "/workbench"}, {"coord", "ledger", "/problems"},
			{"coord", "problem", "/problems/" + ids["problem"]}, {"coord", "cases", "/cases"},
			{"coord", "case", "/cases/" + ids["case"]}, {"coord", "report", "/reports/daily"},
			{"liaison_yq", "liaison-workbench", "/workbench"}, {"liaison_yq", "notice", "/notices/" + ids["notice"]},
		}
		for _, width := range []int64{1366, phoneWidth} {
			kind := map[int64]string{1366: "desktop", phoneWidth: "phone"}[width]
			for i := 0; i < len(shots); i += 2 {
				tb := b.newTab(t, a.HTTP.URL())
				run(tb, "viewport", chromedp.EmulateViewport(width, 800))
				login := ""
				for _, s := range shots[i:min(i+2, len(shots))] {
					if s.who != login {
						tb.login(s.who)
						login = s.who
					}
					tb.open(s.path)
					if width > phoneWidth && !run(tb, "menu", chromedp.Evaluate[bool](`document.querySelector("header nav a").getBoundingClientRect().height > 0`)) {
						t.Errorf("%s at %d px: the header's links are folded away", s.path, width)
					}
					png := tb.screenshot()
					save(t, filepath.Join(dir, s.name+"-"+kind+".png"), png)
				}
			}
		}
		abs, _ := filepath.Abs(dir)
		fmt.Printf("screenshots in %s\n", abs)
		t.Logf("screenshots in %s", abs)
	})
}

// phone sets the tab to a 360 x 740 phone screen.
func phone(tb *tab) {
	tb.t.Helper()
	run(tb, "viewport", chromedp.EmulateViewport(phoneWidth, 740))
}

func scrollWidth(tb *tab) int {
	tb.t.Helper()
	return run(tb, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
}

// checkPhonePage opens path and checks the width, the labels and the
// contrast, naming the page in each failure.
func checkPhonePage(tb *tab, name, path string) {
	tb.t.Helper()
	if st := tb.open(path); st != 200 {
		tb.t.Errorf("%s: status %d", name, st)
		return
	}
	if w := scrollWidth(tb); w > phoneWidth {
		wide := run(tb, "widest", chromedp.Evaluate[string](widestJS))
		tb.t.Errorf("%s scrolls sideways at %d px: %d px wide; widest: %s", name, phoneWidth, w, wide)
	}
	// The header folds into its menu on a phone.
	if open := run(tb, "menu", chromedp.Evaluate[string](`(() => { const d = document.querySelector("header details.menu"); return d ? String(d.open) : "none"; })()`)); open == "true" {
		tb.t.Errorf("%s: the header's menu is open on a phone", name)
	}
	if unlabelled := run(tb, "labels", chromedp.Evaluate[[]string](unlabelledJS)); len(unlabelled) > 0 {
		tb.t.Errorf("%s: controls without a label: %s", name, strings.Join(unlabelled, "; "))
	}
	if low := run(tb, "contrast", chromedp.Evaluate[[]string](contrastJS)); len(low) > 0 {
		tb.t.Errorf("%s: text under 4.5:1 contrast: %s", name, strings.Join(low, "; "))
	}
}

// widestJS names the elements that reach beyond the screen, for the message.
const widestJS = `(() => {
	const out = [];
	for (const el of document.querySelectorAll("body *")) {
		const r = el.getBoundingClientRect();
		if (r.right > document.documentElement.clientWidth + 1 && out.length < 5) {
			out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).replace(/ /g, ".") : "") + " " + Math.round(r.right) + "px");
		}
	}
	return out.join(", ");
})()`

// unlabelledJS lists the controls a screen reader cannot name: no label
// element, no aria-label, no aria-labelledby.
const unlabelledJS = `Array.from(document.querySelectorAll("input, select, textarea"))
	.filter(el => el.type !== "hidden")
	.filter(el => !(el.labels && el.labels.length) && !(el.getAttribute("aria-label") || "").trim() && !el.getAttribute("aria-labelledby"))
	.map(el => el.tagName.toLowerCase() + "[name=" + (el.name || "?") + "]")`

// contrastJS computes WCAG contrast of each visible text element's colour
// against the first opaque background behind it, and lists those under 4.5.
const contrastJS = `(() => {
	const rgb = s => { const m = s.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
	const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
	const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
	const low = [];
	const sel = "h1, h2, p, a, td, th, dt, dd, li, label, button, summary, small, span, del, legend, .badge, .status, .hint, .none, .empty";
	for (const el of document.querySelectorAll(sel)) {
		const text = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
		const r = el.getBoundingClientRect();
		if (!text || r.width === 0 || r.height === 0) continue;
		const st = getComputedStyle(el);
		if (st.visibility === "hidden" || st.opacity === "0") continue;
		const fg = rgb(st.color), b = bg(el);
		const l1 = lum(fg), l2 = lum(b);
		const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
		if (ratio < 4.5 && low.length < 8) low.push(el.tagName.toLowerCase() + " “" + text.slice(0, 20) + "” " + st.color + " on rgb(" + b.r + "," + b.g + "," + b.b + ") " + ratio.toFixed(2));
	}
	return low;
})()`

// phoneData makes lists that are not empty: a problem with a long code-like
// description and address, a batch of cases (one assigned to 永清镇), a
// notice and an accountability record.
func phoneData(t *testing.T, a *app) map[string]string {
	t.Helper()
	coord := storetest.As(a.Fixture.Users["coord"])
	long := "永清镇砖厂扬尘污染严重，周边村民反映粉尘大、夜间生产噪声扰民；统一社会信用代码91130523MA0CXYZ12Q，" +
		"现场检查记录见https://hbj.example.gov.cn/inspections/2026/12/07/record-0000123456789-abcdefghijklmnopqrstuvwxyz.pdf" +
		strings.Repeat("，群众多次来电反映", 8)
	p := a.planned(t, long, "永清镇", "永清镇", 3)
	a.planned(t, "红堡镇养殖场粪污直排沟渠", "红堡镇", "红堡镇", 20)
	a.registered(t, "县城区餐饮油烟扰民", "城关镇")

	rows := []ducha.BatchRow{}
	for i, area := range []string{"永清镇", "红堡镇", "永清镇"} {
		no := fmt.Sprintf("X3SX2026120800%02d", i+1)
		rows = append(rows, ducha.BatchRow{Row: i + 4, Case: &ducha.Case{AcceptanceNo: no, Channel: ducha.ChannelLetter, Area: area,
			Text: "群众反映" + area + "某企业夜间偷排废水、废气，气味刺鼻，严重影响周边居民生活" + no, Types: []string{"水", "大气"}}})
	}
	if _, err := a.DB.ImportBatch(coord, 1, ducha.Today(time.Now()), "第1批.xlsx", rows); err != nil {
		t.Fatalf("import batch: %v", err)
	}
	cs, _, err := a.DB.FindCases(coord, ducha.CaseFilter{Limit: 10})
	if err != nil || len(cs) != 3 {
		t.Fatalf("cases: %d %v", len(cs), err)
	}
	c := cs[0]
	for _, x := range cs {
		if x.AcceptanceNo == "X3SX202612080001" {
			c = x
		}
	}
	if c, err = a.DB.ActOnCase(coord, c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Version: c.Version,
		Units: []ducha.UnitRef{ducha.UnitRef("永清镇")}}); err != nil {
		t.Fatalf("assign: %v", err)
	}
	n := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "请于两日内书面答复整改进展：" + long}
	if err := a.DB.IssueNotice(coord, n); err != nil {
		t.Fatalf("notice: %v", err)
	}
	acc, err := a.DB.CreateAccountability(storetest.As(a.Fixture.Users["discipline"]), &ducha.AccountabilityInput{
		Person: "张某", Post: "永清镇副镇长", Unit: ducha.UnitRef("永清镇"), Form: string(ducha.FormCriticism),
		Reason: "扬尘整治不力，" + long, DecidedBy: "县纪委监委", Date: ducha.Today(time.Now()), Problems: []int64{p.ID}})
	if err != nil {
		t.Fatalf("accountability: %v", err)
	}
	return map[string]string{"problem": strconv.FormatInt(p.ID, 10), "case": strconv.FormatInt(c.ID, 10),
		"notice": strconv.FormatInt(n.ID, 10), "accountability": strconv.FormatInt(acc.ID, 10)}
}
