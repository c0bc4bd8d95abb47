package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/internal/storetest"
)

// writeCaseBatch writes a batch file of n cases as the inspection team
// sends it: a title row naming the batch, then the header and the rows.
func writeCaseBatch(t *testing.T, path string, n int) []string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"中央第三生态环境保护督察组交办第7批群众信访举报件"},
		{"序号", "受理编号", "交办问题基本情况", "行政区域", "污染类型", "来电/来信"},
	}
	var nos []string
	for i := 1; i <= n; i++ {
		no := fmt.Sprintf("D3SX2026121000%02d", i)
		area := "永清镇"
		if i%2 == 0 {
			area = "红堡镇"
		}
		nos = append(nos, no)
		rows = append(rows, []any{i, no, fmt.Sprintf("%s第%d号砖厂夜间生产，粉尘扰民", area, i), area, "大气", "来电"})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return nos
}

// apiCases reads the JSON list of a batch in the tab, with its session.
func apiCases(tb *tab, batch int) []*ducha.Case {
	tb.t.Helper()
	if st := tb.open(fmt.Sprintf("/api/v1/cases?batch=%d&per_page=100", batch)); st != 200 {
		tb.t.Fatalf("GET /api/v1/cases: %d\n%s", st, tb.describe())
	}
	body := run(tb, "read the JSON", chromedp.Evaluate[string](`document.body.innerText`))
	var list struct {
		Items []*ducha.Case `json:"items"`
		Total int           `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		tb.t.Fatalf("case list JSON: %v\n%s", err, body)
	}
	return list.Items
}

// TestBrowserCasesBulk: the coordinator imports a batch of 20 cases through
// the batches page, filters the list to it, selects the whole page and
// assigns all of them to one unit in one submit; the JSON API agrees.
// Once a case is handled, 公开本批 publishes it from the batches page.
func TestBrowserCasesBulk(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	file := filepath.Join(t.TempDir(), "第7批交办件.xlsx")
	nos := writeCaseBatch(t, file, 20)
	tb := b.newTab(t, a.HTTP.URL())
	tb.login("coord")

	tb.open("/batches")
	run(tb, "choose the batch file", chromedp.SetUploadFiles(chromedp.CSS(`form[action="/batches"] input[type=file]`), []string{file}))
	tb.typeInto(`form[action="/batches"] input[name=date]`, "2026年12月10日")
	if st := tb.follow(`form[action="/batches"] button[type=submit]`); st != 201 {
		t.Fatalf("import: status %d\n%s", st, tb.describe())
	}
	if got := tb.text(`div.result p`); !strings.Contains(got, "第7批") || !strings.Contains(got, "20") {
		t.Fatalf("import says %q", got)
	}

	// Filter the list to the batch with the result's link, then with the
	// filter form as a user would.
	tb.follow(`div.result a[href="/cases?batch=7"]`)
	tb.open("/cases")
	tb.choose(`#case-filters select[name=batch]`, "第7批")
	tb.follow(`#case-filters button[type=submit]`)
	if p := tb.path(); !strings.Contains(p, "batch=7") {
		t.Fatalf("the filter is not in the URL: %s", p)
	}
	if got := tb.text(`p.summary`); got != "共20件" {
		t.Fatalf("batch 7 lists %q", got)
	}
	tb.follow(`#select-all`)
	ticked := run(tb, "count ticked", chromedp.Evaluate[int](`document.querySelectorAll('form#bulk input[name=id]:checked').length`))
	if ticked != 20 {
		t.Fatalf("select all ticked %d of 20\n%s", ticked, tb.describe())
	}
	tb.choose(`form#bulk select[name=units]`, "永清镇")
	if st := tb.follow(`form#bulk button[value=assign]`); st != 200 {
		t.Fatalf("bulk assign: status %d\n%s", st, tb.describe())
	}
	if got := tb.text(`div.bulk-result p`); got != "批量交办：成功20件。" {
		t.Fatalf("bulk assign says %q\n%s", got, tb.describe())
	}
	if units := tb.texts(`table.cases td[data-label="承办单位"]`); len(units) != 20 || slices.ContainsFunc(units, func(s string) bool { return s != "永清镇" }) {
		t.Fatalf("the list after the bulk assign shows units %q", units)
	}

	cs := apiCases(tb, 7)
	if len(cs) != 20 {
		t.Fatalf("the API lists %d cases of batch 7", len(cs))
	}
	for _, c := range cs {
		if c.Status != ducha.CaseAssigned || !slices.Equal(c.Units, []string{"永清镇"}) || c.Deadline != "2026-12-20" || !slices.Contains(nos, c.AcceptanceNo) {
			t.Fatalf("case %s after the bulk assign: %s %v %s", c.AcceptanceNo, c.Status, c.Units, c.Deadline)
		}
	}

	// One case is handled (through the store, as the unit and the
	// coordinator); 公开本批 publishes it and only it.
	liaison, coord := storetest.As(a.Fixture.Users["liaison_yq"]), storetest.As(a.Fixture.Users["coord"])
	id := cs[0].ID
	for _, step := range []struct {
		ctx context.Context
		in  ducha.CaseAction
	}{
		{liaison, ducha.CaseAction{Action: ducha.CaseActSign}},
		{liaison, ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经查属实", Verdict: "属实", Handling: "已责令停产整改"}},
		{coord, ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed}},
	} {
		if _, err := a.DB.ActOnCase(step.ctx, id, step.in); err != nil {
			t.Fatalf("%s: %v", step.in.Action, err)
		}
	}
	tb.open("/batches")
	if st := tb.follow(`form[action="/cases/bulk"]:has(input[name=batch][value="7"]) button`); st != 200 {
		t.Fatalf("publish the batch: status %d\n%s", st, tb.describe())
	}
	if got := tb.text(`div.bulk-result p`); got != "批量公开：成功1件。" {
		t.Fatalf("publish the batch says %q", got)
	}
	published := 0
	for _, c := range apiCases(tb, 7) {
		if c.Published {
			published++
			if c.ID != id {
				t.Fatalf("published %s, not the handled case", c.AcceptanceNo)
			}
		}
	}
	if published != 1 {
		t.Fatalf("%d cases published", published)
	}
}
