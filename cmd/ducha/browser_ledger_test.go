package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/excel"
	"ducha/http/web"
	"ducha/internal/storetest"
	"ducha/sheets"
)

// TestBrowserLedgerTable walks the ledger table as the coordinator in
// Chromium: filters by unit with the dropdown, sorts by deadline with the
// header, changes the page size, picks a column, downloads the export and
// compares it with the filtered list, then selects rows and issues 催办 for
// them in one action, once more with some already issued.
func TestBrowserLedgerTable(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	ctx := storetest.System()
	today := ducha.Today(time.Now())
	// 25 problems of 永清镇 and 5 of 红堡镇, their deadlines out of id order.
	for i := range 30 {
		unit := "永清镇"
		if i%6 == 5 {
			unit = "红堡镇"
		}
		p := &ducha.Problem{Source: "自查发现", Description: unit + "问题" + strconv.Itoa(i), Area: unit, Types: []string{"大气"}}
		if err := a.DB.CreateProblem(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.ActOnProblem(ctx, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version, LeadUnit: ducha.UnitRef(unit),
			Person: "责任人" + strconv.Itoa(i), Measures: "整治", Deadline: today.AddDays((i*7)%23 - 4), ConfirmPastDeadline: true}); err != nil {
			t.Fatal(err)
		}
	}
	yq := strconv.FormatInt(a.Fixture.Units["永清镇"].ID, 10)
	tb := b.newTab(t, a.HTTP.URL())
	tb.login("coord")

	// The unit by its dropdown.
	tb.choose(`form.filters select[name=unit]`, "永清镇")
	tb.follow(`form.filters button[type=submit]`)
	if p := tb.path(); !strings.Contains(p, "unit="+yq) {
		t.Fatalf("filtered to %s", p)
	}
	if units := tb.texts(`tbody td[data-label="责任单位"]`); len(units) != 25 || slices.ContainsFunc(units, func(u string) bool { return u != "永清镇" }) {
		t.Fatalf("units after the filter: %v", units)
	}
	if s := tb.text("p.summary"); !strings.HasPrefix(s, "共25条") {
		t.Errorf("summary %q", s)
	}

	// Sorted by deadline with its header: ascending, the filter kept.
	tb.follow(`th.col-deadline a`)
	if p := tb.path(); !strings.Contains(p, "sort=deadline") || !strings.Contains(p, "unit="+yq) {
		t.Fatalf("sorted to %s", p)
	}
	if aria := run(tb, "aria-sort", chromedp.Evaluate[string](`document.querySelector("th.col-deadline").getAttribute("aria-sort")`)); aria != "ascending" {
		t.Errorf("aria-sort %q", aria)
	}
	days := tb.texts(`tbody td[data-label="整改时限"]`)
	if len(days) != 25 || !slices.IsSorted(isoDays(t, days)) {
		t.Errorf("deadlines not ascending: %v", days)
	}

	// 20 a page, and the person column.
	tb.choose(`form.filters select[name=per_page]`, "20")
	tb.click(`details.columns summary`)
	tb.click(`input[name=cols][value=person]`)
	tb.follow(`form.filters button[type=submit]`)
	p := tb.path()
	for _, want := range []string{"per_page=20", "cols=person", "sort=deadline", "unit=" + yq} {
		if !strings.Contains(p, want) {
			t.Errorf("after page size and columns: %s lacks %s", p, want)
		}
	}
	rows := tb.texts(`tbody td[data-label="编号"]`)
	if len(rows) != 20 {
		t.Fatalf("%d rows at 20 a page", len(rows))
	}
	if persons := tb.texts(`tbody td[data-label="责任人"]`); len(persons) != 20 || !strings.HasPrefix(persons[0], "责任人") {
		t.Errorf("person column: %v", persons)
	}
	if days := tb.texts(`tbody td[data-label="整改时限"]`); !slices.IsSorted(isoDays(t, days)) {
		t.Errorf("deadlines on page 1: %v", days)
	}

	// The export of what is filtered, downloaded by its link.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(tb.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
	}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	if l := tb.text(`a.export`); l != "导出筛选结果（xlsx）" {
		t.Errorf("export link %q", l)
	}
	tb.click(`a.export`)
	var file string
	for range 100 {
		if m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx")); len(m) == 1 {
			file = m[0]
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if file == "" {
		t.Fatalf("no export downloaded into %s", dir)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sheets.ReadLedger(strings.NewReader(string(data)), "ledger.xlsx", excel.DefaultLimits)
	if err != nil {
		t.Fatalf("read the export: %v", err)
	}
	want, _, err := a.DB.FindProblems(storetest.As(a.Fixture.Users["coord"]), ducha.ProblemFilter{UnitID: a.Fixture.Units["永清镇"].ID, Sort: ducha.SortDeadline, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 || len(want) != 25 {
		t.Fatalf("export %d rows, list %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Problem.Code != want[i].Code {
			t.Fatalf("export row %d is %s, the list's %s", i+1, got[i].Problem.Code, want[i].Code)
		}
		if i < 20 && got[i].Problem.Code != rows[i] {
			t.Fatalf("export row %d is %s, the page's %s", i+1, got[i].Problem.Code, rows[i])
		}
	}

	// Three rows selected, one 催办 each.
	for i := 1; i <= 3; i++ {
		tb.click(`tbody tr:nth-child(` + strconv.Itoa(i) + `) input[name=id]`)
	}
	tb.follow(`form#bulk button[type=submit]`)
	if h := tb.text("main h1"); h != "批量督办结果" {
		t.Fatalf("bulk page %q", h)
	}
	if s := tb.text("p.summary"); s != "已下发3张督办单，0个问题未下发。" {
		t.Errorf("bulk summary %q", s)
	}
	if codes := tb.texts(`tbody td[data-label="问题"]`); !slices.Equal(codes, rows[:3]) {
		t.Errorf("bulk rows %v, selected %v", codes, rows[:3])
	}
	// Back to the same view; the first four again: three refused, one issued.
	tb.follow(`main p a`)
	if p := tb.path(); !strings.Contains(p, "cols=person") || !strings.Contains(p, "sort=deadline") {
		t.Errorf("back to %s", p)
	}
	for i := 1; i <= 4; i++ {
		tb.click(`tbody tr:nth-child(` + strconv.Itoa(i) + `) input[name=id]`)
	}
	tb.follow(`form#bulk button[type=submit]`)
	if s := tb.text("p.summary"); s != "已下发1张督办单，3个问题未下发。" {
		t.Errorf("second bulk summary %q", s)
	}
	if failed := tb.texts(`tr.failed td[data-label="结果"]`); len(failed) != 3 || !strings.Contains(failed[0], "不能重复下发") {
		t.Errorf("refusals: %v", failed)
	}
	if _, n, err := a.DB.FindNotices(ctx, ducha.NoticeFilter{Kind: ducha.NoticeReminder}); err != nil || n != 4 {
		t.Errorf("%d reminders, %v", n, err)
	}
}

// isoDays reads the days a page shows (2026年12月7日) as 2026-12-07, which
// sort as the days do.
func isoDays(t *testing.T, shown []string) []ducha.Date {
	t.Helper()
	out := make([]ducha.Date, len(shown))
	for i, s := range shown {
		d, err := web.ParseFormDate(s)
		if err != nil {
			t.Fatalf("the page shows %q: %v", s, err)
		}
		out[i] = d
	}
	return out
}
