package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserPrintsReportOnA4: the daily report prints as the office sends
// it, on A4 upright (the page's own @page size, 595 × 842 points), with
// the report and its tables and without the site's header, the date form
// or the skip link.
func TestBrowserPrintsReportOnA4(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	phoneData(t, a) // cases and measures, so the report has numbers
	tb := b.newTab(t, a.HTTP.URL())
	tb.login("coord")
	tb.open("/reports/daily")
	if text := tb.text("p.report-text"); !strings.Contains(text, "累计收到督察组交办信访件") {
		t.Fatalf("the report's sentence: %q", text)
	}

	// As print media: what shows and what does not.
	run(tb, "print media", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shown := run(tb, "printed parts", chromedp.Evaluate[map[string]string](`(() => {
		const d = sel => { const e = document.querySelector(sel); return e ? getComputedStyle(e).display : "absent" };
		return {header: d("header.top"), form: d("form.filters"), skip: d(".skip"), report: d("article.report"), table: d("table.numbers")};
	})()`))
	if shown["header"] != "none" || shown["form"] != "none" || (shown["skip"] != "none" && shown["skip"] != "absent") ||
		shown["report"] == "none" || shown["table"] == "none" {
		t.Errorf("printed: %v; want the report and its tables, no header, form or skip link", shown)
	}

	data := run(tb, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("not a PDF: %q", string(data[:min(20, len(data))]))
	}
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]`).FindAllStringSubmatch(string(data), -1)
	if len(boxes) == 0 {
		t.Fatal("the PDF has no page")
	}
	for _, m := range boxes {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		if w < 594 || w > 597 || h < 841 || h > 843 {
			t.Errorf("a printed page of %.1f × %.1f points; A4 upright is 595.3 × 841.9", w, h)
		}
	}
	if len(boxes) > 2 {
		t.Errorf("the daily report prints on %d pages; one or two expected", len(boxes))
	}
	save(t, filepath.Join(os.TempDir(), "ducha-report-a4.pdf"), data)
}
