package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
)

// TestBrowserNoticeListSearchAsYouType: on the notice list, typing into
// the search box narrows the list without a submit, the address follows
// and so does the export link (it is outside the replaced results), and
// the issue form's due date is typed as 2026年12月7日 into a text field
// and read as such.
func TestBrowserNoticeListSearchAsYouType(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	coord := storetest.As(a.Fixture.Users["coord"])
	var ps []*ducha.Problem
	for _, c := range []struct{ desc, unit, text string }{
		{"永清镇砖厂扬尘污染", "永清镇", "请整改砖厂扬尘"},
		{"红堡镇养殖场废水直排", "红堡镇", "请整改养殖场污水直排"},
		{"永清镇洗车点噪声扰民", "永清镇", "请整改夜间噪声"},
	} {
		p := a.planned(t, c.desc, c.unit, c.unit, 10)
		ps = append(ps, p)
		if err := a.DB.IssueNotice(coord, &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: c.text}); err != nil {
			t.Fatal(err)
		}
	}
	tb := b.newTab(t, a.HTTP.URL())
	tb.login("coord")
	tb.open("/notices")
	rows := func() []string { return tb.texts("table.notices tbody tr:not(:has(td.empty))") }
	if n := len(rows()); n != 3 {
		t.Fatalf("%d notices listed before the search", n)
	}
	tb.typeInto("#filter-q", "污水")
	var got []string
	for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = rows(); len(got) == 1 && strings.Contains(got[0], "红堡镇") {
			break
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "红堡镇") {
		t.Fatalf("typing 污水: the list did not narrow to 红堡镇's notice: %q", got)
	}
	if p := tb.path(); !strings.Contains(p, "q=") {
		t.Errorf("the address does not carry the search: %s", p)
	}
	href := run(tb, "export link", chromedp.Evaluate[string](`document.querySelector("#notices-export").getAttribute("href")`))
	if !strings.HasPrefix(href, "/notices/export.xlsx?") || !strings.Contains(href, "q=") {
		t.Errorf("the export link does not follow the search: %s", href)
	}

	// The issue form: a due date typed in 年月日.
	tb.open("/notices")
	tb.click("#issue summary")
	if typ := run(tb, "due type", chromedp.Evaluate[string](`document.querySelector("#issue input[name=due]").type`)); typ != "text" {
		t.Errorf("the due date input is of type %q", typ)
	}
	tb.choose("#issue select[name=kind]", "督办")
	tb.typeInto("#issue input[name=problem]", strconv.FormatInt(ps[0].ID, 10))
	due := ducha.Today(time.Now()).AddDays(5)
	tb.typeInto("#issue input[name=due]", ducha.ChineseDate(due))
	tb.typeInto("#issue textarea[name=text]", "请于期限内书面答复整改情况")
	tb.click("#issue button[type=submit]")
	var dd string
	for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if strings.HasPrefix(tb.path(), "/notices/") {
			dd = tb.text("article.notice-doc dl.fields")
			break
		}
	}
	if !strings.Contains(dd, ducha.ChineseDate(due)) {
		t.Errorf("the issued notice does not show its due date %s:\n%s", ducha.ChineseDate(due), dd)
	}
}
