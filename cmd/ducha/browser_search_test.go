package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha"
	"ducha/internal/storetest"
)

// TestBrowserSearchAsYouType: on the ledger, typing into the search box
// narrows the list without a submit (htmx, from the embedded bundle), in
// either script, and the address follows, so the view is a link; the
// cursor stays in the box. Only the results are replaced: the form, its
// dropdowns and its button stay as they are (a dropdown applies with the
// button, as without script).
func TestBrowserSearchAsYouType(t *testing.T) {
	b := newBrowser(t)
	a := startApp(t)
	ctx := storetest.System()
	for _, d := range []string{"永清镇砖厂扬尘污染", "红堡镇养殖场废水直排", "林城镇垃圾露天焚烧", "永清镇洗车点废水外排"} {
		if err := a.DB.CreateProblem(ctx, &ducha.Problem{Source: "自查发现", Description: d, Area: "永清镇", Types: []string{"水"}}); err != nil {
			t.Fatal(err)
		}
	}
	tb := b.newTab(t, a.HTTP.URL())
	tb.login("coord")
	tb.open("/problems")
	if n := len(ledger(tb)); n != 4 {
		t.Fatalf("%d problems listed before the search", n)
	}

	// rowsBecome waits until the listed descriptions are want (the
	// answer comes after the pause in typing and a round trip).
	rowsBecome := func(what string, want ...string) {
		t.Helper()
		js := `Array.from(document.querySelectorAll("table.ledger tbody tr:not(:has(td.empty))")).map(r => r.textContent.replace(/\s+/g, " "))`
		var got []string
		for deadline := time.Now().Add(stepTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			got = run(tb, "rows", chromedp.Evaluate[[]string](js))
			ok := len(got) == len(want)
			for _, w := range want {
				ok = ok && strings.Contains(strings.Join(got, "|"), w)
			}
			if ok {
				return
			}
		}
		t.Fatalf("%s: the list did not become %v:\n%s", what, want, got)
	}

	// 廢水, typed in traditional script, no Enter, no button.
	tb.typeInto("#filter-q", "廢水")
	rowsBecome("typing 廢水", "养殖场废水直排", "洗车点废水外排")
	if p := tb.path(); !strings.Contains(p, "q=") {
		t.Errorf("the address does not carry the search: %s", p)
	}
	if id := run(tb, "focus", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`)); id != "filter-q" {
		t.Errorf("the cursor left the search box for %q", id)
	}
	// More characters narrow it further.
	tb.typeInto("#filter-q", "直排")
	rowsBecome("typing 直排", "养殖场废水直排")

	// The address is the view: opened afresh it lists the same.
	path := tb.path()
	tb.open(path)
	rowsBecome("the address opened afresh", "养殖场废水直排")

	// Cleared, the list is whole again.
	tb.clear("#filter-q")
	rowsBecome("the search cleared", "扬尘污染", "废水直排", "露天焚烧", "废水外排")
}
