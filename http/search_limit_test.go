package http_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"ducha/http/web"
)

// A search text is at most web.MaxSearchLen characters on every list that
// searches, its pages and the API alike: one more is a field error naming
// q, answered 400, and the list is not looked at.
func TestSearchTextBounded(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("coord")
	const msg = "搜索词过长，最多100个字"
	at := strings.Repeat("扬尘", web.MaxSearchLen/2)   // 100 characters: allowed
	over := at + "尘"                                 // 101
	ascii := strings.Repeat("x", web.MaxSearchLen+1) // 101 bytes and characters
	spaced := "  " + at + "  "                       // trimmed first
	pages := []string{"/problems", "/cases"}
	apis := []string{"/api/v1/problems", "/api/v1/cases", "/api/v1/exports/ledger.xlsx"}
	for _, q := range []string{at, spaced} {
		for _, p := range pages {
			if resp, page := b.get(p + "?q=" + url.QueryEscape(q)); resp.StatusCode != 200 || strings.Contains(page, msg) {
				t.Errorf("%s with %d characters: %d", p, len([]rune(q)), resp.StatusCode)
			}
		}
		for _, p := range apis {
			if resp, body := e.api("GET", p+"?q="+url.QueryEscape(q), "coordinator", ""); resp.StatusCode != 200 {
				t.Errorf("%s with %d characters: %d %s", p, len([]rune(q)), resp.StatusCode, body)
			}
		}
	}
	before, err := e.db.DataVersion(system)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{over, ascii} {
		for _, p := range pages {
			resp, page := b.get(p + "?q=" + url.QueryEscape(q))
			if resp.StatusCode != 400 {
				t.Errorf("%s with %d characters: %d", p, len([]rune(q)), resp.StatusCode)
			}
			mustHave(t, p, page, `<p class="error" role="alert">`+msg+`</p>`)
		}
		for _, p := range apis {
			resp, body := e.api("GET", p+"?q="+url.QueryEscape(q), "coordinator", "")
			var got web.ErrorResponse
			if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 400 {
				t.Errorf("%s with %d characters: %d %s (%v)", p, len([]rune(q)), resp.StatusCode, body, err)
				continue
			}
			if d := got.Error; d.Code != "invalid" || d.Message != msg || len(d.Fields) != 1 || d.Fields["q"] != msg {
				t.Errorf("%s: error %+v", p, d)
			}
		}
	}
	if after, err := e.db.DataVersion(system); err != nil || after != before {
		t.Errorf("data version %d → %d (%v)", before, after, err)
	}
}
