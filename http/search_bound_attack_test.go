package http_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"ducha"
)

// TestListSearchesBounded: the notice, enterprise and document lists and
// their exports took a search text of any length, which every link of the
// list repeats and the store matched with LIKE over every row (twice for a
// notice: its number and its text). A page of 200 KB of q answered 200
// with megabytes. Like the ledger's and the cases', they refuse more than
// 100 characters with a 400 naming the bound, and take 100.
func TestListSearchesBounded(t *testing.T) {
	e := noticeListEnv(t)
	e.srv.Enterprises = e.db
	e.srv.Documents = e.db
	b := e.browser()
	b.login("coord")
	long := url.QueryEscape(strings.Repeat("扬", 101))
	for _, path := range []string{"/notices", "/notices/export.xlsx", "/enterprises", "/enterprises/export.xlsx",
		"/documents", "/documents/export.xlsx"} {
		resp, body := b.get(path + "?q=" + long)
		if resp.StatusCode != 400 || !strings.Contains(body, "搜索词过长，最多100个字") {
			t.Errorf("%s with 101 characters of q: %d, %d bytes", path, resp.StatusCode, len(body))
		}
		if resp, _ := b.get(path + "?q=" + url.QueryEscape(strings.Repeat("扬", 100))); resp.StatusCode != 200 {
			t.Errorf("%s with 100 characters of q: %d", path, resp.StatusCode)
		}
	}
	for _, path := range []string{"/api/v1/documents", "/api/v1/enterprises"} {
		resp, body := e.api("GET", path+"?q="+long, "coordinator", "")
		if resp.StatusCode != 400 || !strings.Contains(body, "搜索词过长") {
			t.Errorf("%s with 101 characters of q: %d %.200s", path, resp.StatusCode, body)
		}
	}
}

// TestNoticeSearchFullWidth: the notice search lowered q in Go, every
// letter of Unicode, and the text with the engine's lower(), which on
// SQLite lowers ASCII only: a search for the full-width ＶＯＣｓ that
// offices type with a Chinese input method never found the notice that
// says ＶＯＣｓ, nor one saying Äther a search for Äther. Both sides are
// lowered by the same function now, so a search finds at least the text
// as written (and, on SQLite, ASCII in either case), and full-width
// letters as the half-width ones too.
func TestNoticeSearchFullWidth(t *testing.T) {
	e := noticeListEnv(t)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	n := &ducha.Notice{Kind: ducha.NoticeListed, ProblemID: e.probs["own"].ID, Text: "请整改ＶＯＣｓ无组织排放（Äther车间）", Due: "2026-12-20"}
	if err := e.db.IssueNotice(coord, n); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("coord")
	for _, q := range []string{"ＶＯＣｓ", "Äther", "无组织排放（Ä"} {
		_, page := b.get("/notices?per_page=200&q=" + url.QueryEscape(q))
		got := listedNos(page)
		if q == "ＶＯＣｓ" {
			// Full-width letters are also searched as the half-width ones
			// imports store (text.Clean): the VOCs notices come too.
			if !slices.Contains(got, n.No) || len(got) < 2 {
				t.Errorf("q=%s lists %v, want %s and the notices saying VOCs", q, got, n.No)
			}
			continue
		}
		if len(got) != 1 || got[0] != n.No {
			t.Errorf("q=%s lists %v, want [%s]", q, got, n.No)
		}
	}
}
