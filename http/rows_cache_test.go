package http_test

import (
	"net/http"
	"strings"
	"testing"

	dhttp "ducha/http"
)

// The ledger page's rows are rendered once per cached page and language:
// the same page read in Chinese, then in English, then in Chinese again
// shows each reader's language, and the rows are those of the page (a
// write shows the new problem in both).
func TestLedgerRowsPerLanguage(t *testing.T) {
	e := newEnv(t)
	zh, en := e.browser(), e.browser()
	zh.login("coord")
	en.login("coord")
	u, _ := http.NewRequest("GET", e.ts.URL, nil)
	en.client.Jar.SetCookies(u.URL, []*http.Cookie{{Name: dhttp.LangCookie, Value: "en"}})
	check := func(b *browser, want, not string) {
		t.Helper()
		resp, body := b.get("/problems")
		if resp.StatusCode != 200 || !strings.Contains(body, want) || strings.Contains(body, not) {
			t.Fatalf("ledger page: %d; want %q and no %q in its rows:\n%s", resp.StatusCode, want, not, body)
		}
	}
	for range 2 {
		check(zh, `st-in_progress">整改中`, `st-in_progress">In progress`)
		check(en, `st-in_progress">In progress`, `st-in_progress">整改中`)
	}
	e.problem("永清镇新登记的餐饮油烟", "永清镇", nil, "plan")
	check(zh, "永清镇新登记的餐饮油烟", `">In progress`)
	check(en, "永清镇新登记的餐饮油烟", `">整改中`)

	// The filter form is kept with its page too: each query's own
	// choices are selected, twice in a row.
	for range 2 {
		for _, c := range []struct{ query, selected, not string }{
			{"?status=in_progress", `value="in_progress" selected`, `value="closed" selected`},
			{"?status=closed&area=%E6%B0%B8%E6%B8%85%E9%95%87", `value="closed" selected`, `value="in_progress" selected`},
		} {
			resp, body := zh.get("/problems" + c.query)
			if resp.StatusCode != 200 || !strings.Contains(body, c.selected) || strings.Contains(body, c.not) {
				t.Fatalf("%s: %d, want %q and not %q in the form", c.query, resp.StatusCode, c.selected, c.not)
			}
		}
		if _, body := zh.get("/problems?status=closed&area=%E6%B0%B8%E6%B8%85%E9%95%87"); !strings.Contains(body, `<option selected>永清镇</option>`) {
			t.Fatalf("the area is not in the form")
		}
	}
}
