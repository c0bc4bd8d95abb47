package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
	"ducha/sheets"
)

// TestBrowserDashboard opens the 驾驶舱 as the county's leader on a store
// with real cases and measures: the charts are drawn with no console
// error, every figure card equals the daily report JSON fetched in the
// same session, and the 数据大屏 draws and refreshes its figures by
// itself. Screenshots of both are written beside the other tests'.
func TestBrowserDashboard(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	a.dashboardCases(t)

	tb := b.newTab(t, a.HTTP.URL())
	tb.login("leader")
	var mu sync.Mutex
	var problems []string
	ctx, stop := context.WithCancel(tb.ctx)
	defer stop()
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.Contains(m.URL+m.Text, "favicon") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	run(tb, "desktop size", chromedp.EmulateViewport(1366, 768))
	if st := tb.open("/workbench"); st != 200 {
		t.Fatalf("workbench: %d", st)
	}
	if st := tb.follow(`main a[href="/dashboard"]`); st != 200 || tb.path() != "/dashboard" {
		t.Fatalf("the leader's workbench does not lead to the dashboard: %d %s", st, tb.path())
	}
	drawn := `document.querySelectorAll("[data-chart][data-drawn] canvas").length`
	if n := run(tb, "charts drawn", chromedp.Poll[int](drawn+` >= 5 && `+drawn, chromedp.WithPollingTimeout(stepTimeout))); n < 5 {
		t.Fatalf("%d charts drawn, want 5\n%s", n, tb.describe())
	}
	cards := run(tb, "figure cards", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(
		document.querySelectorAll("[data-figure]"), e => [e.dataset.figure, e.querySelector("dd").textContent.trim()]))`))
	raw := run(tb, "daily report JSON", chromedp.Evaluate[string](`fetch("/api/v1/reports/daily").then(r => r.text())`, chromedp.EvalAwaitPromise))
	var rep ducha.DailyReport
	if err := json.Unmarshal([]byte(raw), &rep); err != nil {
		t.Fatalf("daily report: %v: %s", err, raw)
	}
	checkCards(t, cards, &rep)
	if rep.Cases.Total != 9 || rep.Cases.Closed != 2 || rep.Measures.PenaltyCases != 1 || rep.Measures.Interviewed != 2 {
		t.Errorf("the store's cases are not in the report: %+v %+v", rep.Cases, rep.Measures)
	}
	// Each chart's table says what it draws, for those who cannot see it.
	if rows := run(tb, "by unit table", chromedp.Evaluate[[]string](`Array.from(
		document.querySelectorAll('figure.chart:has([data-chart="by_unit"]) tbody th'), e => e.textContent.trim())`)); strings.Join(rows, " ") != "永清镇 红堡镇" {
		t.Errorf("by unit table rows %v", rows)
	}
	// What the page cost over the wire (for BENCHMARKS.md): the document
	// and each resource as transferred, compressed where it was.
	weight := run(tb, "page weight", chromedp.Evaluate[[]string](`[performance.getEntriesByType("navigation")[0],
		...performance.getEntriesByType("resource")].map(e => e.name.replace(location.origin, "") + " " + e.transferSize + " (" + e.encodedBodySize + " encoded, " + e.decodedBodySize + " decoded)")`))
	t.Logf("dashboard page weight:\n%s", strings.Join(weight, "\n"))
	shot := tb.screenshot()
	checkPNG(t, "dashboard", shot)
	save(t, "/tmp/ducha-dashboard.png", shot)

	run(tb, "screen size", chromedp.EmulateViewport(1920, 1080))
	if st := tb.follow(`a[href^="/dashboard/screen"]`); st != 200 {
		t.Fatalf("screen: %d", st)
	}
	if n := run(tb, "screen charts", chromedp.Poll[int](drawn+` >= 5 && `+drawn, chromedp.WithPollingTimeout(stepTimeout))); n < 5 {
		t.Fatalf("%d screen charts drawn\n%s", n, tb.describe())
	}
	if n := len(tb.texts("header.top")); n != 0 {
		t.Errorf("the screen shows the site's header")
	}
	screenCards := run(tb, "screen cards", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(
		document.querySelectorAll("[data-figure]"), e => [e.dataset.figure, e.querySelector("dd").textContent.trim()]))`))
	checkCards(t, screenCards, &rep)
	if at := tb.text("[data-at]"); !strings.HasPrefix(at, ducha.ChineseDate(ducha.Today(time.Now()))) {
		t.Errorf("the screen's time of figures is %q", at)
	}
	shot = tb.screenshot()
	checkPNG(t, "screen", shot)
	save(t, "/tmp/ducha-screen.png", shot)

	// The screen refreshes by itself: close one more case, and the next
	// fetch (forced here rather than waited for) writes it into the card,
	// and the time of the figures in Beijing time though the browser is in
	// New York.
	a.walkCase(t, "D3SX202612090007", ducha.CaseClosed, nil)
	if _, err := chromedp.Call(tb.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatalf("browser in New York: %v", err)
	}
	run(tb, "refresh", chromedp.Evaluate[bool](`(() => { const r = document.querySelector("[data-dashboard]");
		r.querySelector('[data-figure="closed"] dd').textContent = "-"; r.querySelector("[data-at]").textContent = "-";
		r.refresh(); return true })()`))
	closed := run(tb, "refreshed card", chromedp.Poll[string](`(() => { const t = document.querySelector('[data-figure="closed"] dd').textContent;
		return t !== "-" && t })()`, chromedp.WithPollingTimeout(stepTimeout)))
	if closed != "3" {
		t.Errorf("after a refresh the screen shows %s closed, want 3", closed)
	}
	// Written as the page writes it; an hour off would be the browser's zone.
	at := tb.text("[data-at]")
	if got, err := time.ParseInLocation("2006年1月2日 15:04", at, ducha.Location); err != nil || got.Sub(time.Now()).Abs() > 10*time.Minute {
		t.Errorf("after a refresh the screen's time of figures is %q (%v)", at, err)
	}
	if every := run(tb, "refresh interval", chromedp.Evaluate[string](`document.querySelector("[data-dashboard]").dataset.refresh`)); every != "60" {
		t.Errorf("screen refreshes every %q seconds", every)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(problems, "\n"))
	}
}

// checkCards compares the dashboard's figure cards with the report.
func checkCards(t *testing.T, cards map[string]string, r *ducha.DailyReport) {
	t.Helper()
	c, m := r.Cases, r.Measures
	want := map[string]any{"total": c.Total, "closed": c.Closed, "stage_closed": c.StageClosed, "open": c.Open,
		"closed_rate": ducha.ClosedRate(c), "overdue": r.Ledger.Overdue, "penalty_cases": m.PenaltyCases,
		"fines_yuan": m.FinesYuan.String(), "interviewed": m.Interviewed, "held_accountable": m.HeldAccountable}
	if len(cards) != len(want) {
		t.Errorf("cards %v, want the %d of the report", cards, len(want))
	}
	for k, v := range want {
		if got := cards[k]; got != strings.TrimSpace(jsonText(v)) {
			t.Errorf("card %s shows %q, the report says %v", k, got, v)
		}
	}
}

func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// dashboardCases imports sample batch 4 as handed over today and works
// three of its cases through the store: two closed with measures (a fine,
// interviews, an accountability), one stage-closed; one more goes to 红堡镇.
func (a *app) dashboardCases(t *testing.T) {
	t.Helper()
	f, err := os.Open(filepath.Join(samples, "cases-batch-04-gb18030.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	today := ducha.Today(time.Now())
	if _, err := sheets.ImportCases(storetest.System(), a.DB, f, "cases-batch-04-gb18030.csv",
		sheets.CaseFileOptions{Batch: 4, Date: today}); err != nil {
		t.Fatalf("import batch 4: %v", err)
	}
	a.walkCase(t, "X3SX202612090001", ducha.CaseClosed, []ducha.Measure{
		{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇东关村石料厂", FineYuan: 3_500_000},
		{Kind: ducha.MeasureInterviewed, Persons: 2}})
	a.walkCase(t, "X3SX202612090002", ducha.CaseClosed, []ducha.Measure{{Kind: ducha.MeasureHeldAccountable, Persons: 1}})
	a.walkCase(t, "D3SX202612090003", ducha.CaseStageClosed, nil)
	c := a.kase(t, "X3SX202612090004")
	if _, err := a.DB.ActOnCase(storetest.System(), c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Version: c.Version,
		Units: []ducha.UnitRef{"红堡镇"}}); err != nil {
		t.Fatalf("assign to 红堡镇: %v", err)
	}
}

func (a *app) kase(t *testing.T, no string) *ducha.Case {
	t.Helper()
	c, err := a.DB.FindCaseByAcceptanceNo(storetest.System(), no)
	if err != nil {
		t.Fatalf("case %s: %v", no, err)
	}
	return c
}

// walkCase assigns a case to 永清镇, whose liaison signs and answers it,
// and the coordinator accepts it as status.
func (a *app) walkCase(t *testing.T, no string, status ducha.CaseStatus, measures []ducha.Measure) {
	t.Helper()
	liaison, coord := storetest.As(a.Fixture.Users["liaison_yq"]), storetest.As(a.Fixture.Users["coord"])
	steps := []struct {
		ctx context.Context
		in  ducha.CaseAction
	}{
		{coord, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}}},
		{liaison, ducha.CaseAction{Action: ducha.CaseActSign}},
		{liaison, ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经核查，反映情况属实。", Verdict: "属实",
			Handling: "已责令整改。", Accountability: "无", Measures: append([]ducha.Measure{}, measures...)}},
		{coord, ducha.CaseAction{Action: ducha.CaseActAccept, Status: status}},
	}
	for _, s := range steps {
		c := a.kase(t, no)
		s.in.Version = c.Version
		if _, err := a.DB.ActOnCase(s.ctx, c.ID, s.in); err != nil {
			t.Fatalf("%s %s: %v", s.in.Action, no, err)
		}
	}
}
