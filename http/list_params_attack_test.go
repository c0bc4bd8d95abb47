package http_test

import (
	"strings"
	"testing"
)

// TestListLinksCarryOnlyKnownParameters: the case list's and the ledger's
// links (sort, pager, select all, export) repeat the query, and used to
// repeat any parameter, known or not: a 100 KB URL answered a page of
// 1.5 MB. Unknown parameters and unknown column names are left out of the
// links; the columns named stay.
func TestListLinksCarryOnlyKnownParameters(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("coord")
	junk := strings.Repeat("zq", 5000)
	for _, path := range []string{
		"/cases?zzz=" + junk, "/cases?cols=text," + junk,
		"/problems?zzz=" + junk, "/problems?cols=code," + junk,
	} {
		resp, page := b.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%.40s: %d", path, resp.StatusCode)
		}
		if n := strings.Count(page, junk); n > 1 { // once: the language switch returns to the URL
			t.Errorf("%.40s: the page repeats the unknown value %d times (%d bytes)", path, n, len(page))
		}
	}
	// A known column choice is kept in the links, written once per column.
	_, page := b.get("/cases?cols=text,text,batch&zzz=1")
	if !strings.Contains(page, "cols=text&amp;cols=batch") || strings.Count(page, "zzz") > 1 {
		t.Errorf("the links do not keep the columns chosen as known names:\n%s", mainOf(page))
	}
}
