package http_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// keysetList is a problem list answer as the keyset tests read it; Page and
// TotalExact are pointers so that a test tells absent from zero.
type keysetList struct {
	Items []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	} `json:"items"`
	Total      int   `json:"total"`
	TotalExact *bool `json:"total_exact"`
	Page       *int  `json:"page"`
	PerPage    int   `json:"per_page"`
	Next       int64 `json:"next"`
}

func (l keysetList) ids() []int64 {
	ids := make([]int64, len(l.Items))
	for i, p := range l.Items {
		ids[i] = p.ID
	}
	return ids
}

// problemPage asks the API for one ledger page as role; query has no
// leading "?".
func (e *env) problemPage(role, query string) keysetList {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/problems?"+query, role, "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET ?%s as %s: %d %s", query, role, resp.StatusCode, body)
	}
	var l keysetList
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		e.t.Fatalf("GET ?%s: %v: %s", query, err, body)
	}
	if l.TotalExact == nil {
		e.t.Fatalf("GET ?%s: no total_exact: %s", query, body)
	}
	return l
}

// walkByNext reads the whole list of query by following next, checks each
// page's shape, and returns the ids in the order seen and the total.
func (e *env) walkByNext(role, query string, perPage int) ([]int64, int) {
	e.t.Helper()
	t := e.t
	base := query + "&per_page=" + strconv.Itoa(perPage)
	l := e.problemPage(role, base)
	if l.Page == nil || *l.Page != 1 {
		t.Fatalf("?%s: first page's page %v, want 1", base, l.Page)
	}
	total, exact := l.Total, *l.TotalExact
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > total/perPage+2 {
			t.Fatalf("?%s: still paging after %d pages of a total of %d", base, pages, total)
		}
		ids = append(ids, l.ids()...)
		if len(l.Items) > perPage {
			t.Fatalf("?%s: %d items on a page of %d", base, len(l.Items), perPage)
		}
		if l.Total != total || *l.TotalExact != exact {
			t.Fatalf("?%s: total %d (exact %v) on page %d, %d (exact %v) on the first", base, l.Total, *l.TotalExact, pages+1, total, exact)
		}
		if l.Next == 0 {
			break
		}
		if len(l.Items) != perPage || l.Next != l.Items[len(l.Items)-1].ID {
			t.Fatalf("?%s: next %d after a page of %d ending at %v", base, l.Next, len(l.Items), l.ids())
		}
		q := base + "&after=" + strconv.FormatInt(l.Next, 10)
		l = e.problemPage(role, q)
		if l.Page != nil {
			t.Fatalf("?%s: a page reached by after claims page %d", q, *l.Page)
		}
	}
	return ids, total
}

// walkByPage reads the whole list of query by page number.
func (e *env) walkByPage(role, query string, perPage int) []int64 {
	e.t.Helper()
	var ids []int64
	for page := 1; ; page++ {
		l := e.problemPage(role, fmt.Sprintf("%s&per_page=%d&page=%d", query, perPage, page))
		ids = append(ids, l.ids()...)
		if len(l.Items) < perPage || l.Next == 0 {
			return ids
		}
	}
}

// checkWalk checks that ids visits want problems once each, newest first.
func checkWalk(t *testing.T, name string, ids []int64, want int) {
	t.Helper()
	if len(ids) != want {
		t.Errorf("%s: visited %d problems, want %d", name, len(ids), want)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Errorf("%s: id %d after %d: not newest first, or twice", name, ids[i], ids[i-1])
		}
	}
}

// addKeysetProblems registers n problems as the system, alternating the
// two towns and leaving every third registered (with no lead unit); two
// of every five mention straw burning (秸秆焚烧).
func (e *env) addKeysetProblems(n int) {
	e.t.Helper()
	towns := []string{"永清镇", "林城镇"}
	for i := range n {
		desc := fmt.Sprintf("%s第%d处堆放建筑垃圾", towns[i%2], i)
		if i%5 < 2 {
			desc = fmt.Sprintf("%s第%d处秸秆焚烧", towns[i%2], i)
		}
		if i%3 == 0 {
			e.problem(desc, towns[i%2], nil)
		} else {
			e.problem(desc, towns[i%2], nil, ducha.ActPlan)
		}
	}
}

// Walking the ledger by next visits every problem once, newest first, as
// walking it by page does: the whole ledger, filtered, searched, and as a
// unit sees it.
func TestKeysetWalkMatchesPages(t *testing.T) {
	e := newEnv(t)
	e.addKeysetProblems(25) // with the 5 seeded: 30
	for _, c := range []struct {
		name, role, query string
		want              int
	}{
		{"all", "coordinator", "", 30},
		{"in progress", "coordinator", "status=in_progress", 3 + 16},
		{"area", "coordinator", "area=" + url.QueryEscape("林城镇"), 2 + 12},
		{"search", "coordinator", "q=" + url.QueryEscape("秸秆焚烧"), 10},
		{"search and area", "leader", "q=" + url.QueryEscape("秸秆焚烧") + "&area=" + url.QueryEscape("永清镇"), 5},
		{"unit scope", "liaison", "", 3 + 8},
	} {
		for _, perPage := range []int{1, 4, 7, 50} {
			name := fmt.Sprintf("%s, %d a page", c.name, perPage)
			byNext, total := e.walkByNext(c.role, c.query, perPage)
			if total != c.want {
				t.Errorf("%s: total %d, want %d", name, total, c.want)
			}
			checkWalk(t, name+" by next", byNext, c.want)
			if byPage := e.walkByPage(c.role, c.query, perPage); !slices.Equal(byNext, byPage) {
				t.Errorf("%s: by next %v, by page %v", name, byNext, byPage)
			}
		}
	}
	// A full last page by number is known to be the last; by key it may
	// be followed by an empty one, which is the end.
	if l := e.problemPage("coordinator", "per_page=10&page=3"); len(l.Items) != 10 || l.Next != 0 {
		t.Errorf("last page by number: %d items, next %d", len(l.Items), l.Next)
	}
	first := e.problemPage("coordinator", "per_page=30")
	last := first.Items[len(first.Items)-1].ID
	if l := e.problemPage("coordinator", "per_page=30&after="+strconv.FormatInt(last, 10)); len(l.Items) != 0 || l.Next != 0 || l.Total != 30 {
		t.Errorf("after the oldest problem: %d items, next %d, total %d", len(l.Items), l.Next, l.Total)
	}
	// after need not be an id the reader may see, nor one that exists.
	if l := e.problemPage("liaison", "after="+strconv.FormatInt(e.probs["other"].ID+1, 10)); !slices.Contains(l.ids(), e.probs["own"].ID) ||
		slices.Contains(l.ids(), e.probs["other"].ID) || slices.ContainsFunc(l.ids(), func(id int64) bool { return id > e.probs["other"].ID }) {
		t.Errorf("liaison after another unit's id: %v", l.ids())
	}
}

// after is a positive integer and names the page alone; exact is a
// boolean.
func TestKeysetBadQuery(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ query, field, message string }{
		{"after=abc", "after", "after应为正整数"},
		{"after=0", "after", "after应为正整数"},
		{"after=-3", "after", "after应为正整数"},
		{"after=1.5", "after", "after应为正整数"},
		{"after=99999999999999999999", "after", "after应为正整数"},
		{"after=3&page=2", "after", "after与page不能同时使用"},
		{"after=3&page=1", "after", "after与page不能同时使用"},
		{"after=3&per_page=0", "per_page", "每页条数应为正整数"},
		{"exact=maybe", "exact", "exact应为1、true、0或false"},
		{"q=x&exact=2", "exact", "exact应为1、true、0或false"},
		// (page-1)*per_page would overflow: deep pages go by key.
		{"page=9223372036854775807", "page", "页码过大"},
		{"page=10737419&per_page=100", "page", "页码过大"},
	} {
		resp, body := e.api("GET", "/api/v1/problems?"+c.query, "coordinator", "")
		if resp.StatusCode != 400 || !strings.Contains(body, `"code":"invalid"`) ||
			!strings.Contains(body, `"fields":{"`+c.field+`":"`+c.message) {
			t.Errorf("?%s: %d %s, want 400 naming %s: %s", c.query, resp.StatusCode, body, c.field, c.message)
		}
	}
	// The page shows the form with the message.
	b := e.browser()
	b.login(e.users["coordinator"].Username)
	if resp, page := b.get("/problems?after=abc"); resp.StatusCode != 400 || !strings.Contains(page, "after应为正整数") {
		t.Errorf("page with after=abc: %d %s", resp.StatusCode, page)
	}
	// A good after and exact are taken.
	for _, q := range []string{"after=1", "exact=1", "exact=true", "exact=0", "after=999999&exact=false"} {
		if resp, body := e.api("GET", "/api/v1/problems?"+q, "coordinator", ""); resp.StatusCode != 200 {
			t.Errorf("?%s: %d %s", q, resp.StatusCode, body)
		}
	}
}

var (
	nextLink   = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	pageNumber = regexp.MustCompile(`第\d+页`)
)

// nextHref is the page's next link, "" when it has none.
func nextHref(page string) string {
	m := nextLink.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// The ledger page's next link pages by key with the same filters, and a
// page reached by it shows the next problems and claims no page number.
func TestKeysetPageNextLink(t *testing.T) {
	e := newEnv(t)
	e.addKeysetProblems(14) // 9 in progress, and 3 seeded
	want, _ := e.walkByNext("coordinator", "status=in_progress", 3)
	if len(want) != 3+9 {
		t.Fatalf("%d problems in progress, want 12", len(want))
	}
	codes := map[int64]string{}
	for _, p := range e.problemPage("coordinator", "per_page=500").Items {
		codes[p.ID] = p.Code
	}
	b := e.browser()
	b.login(e.users["coordinator"].Username)
	path := "/problems?status=in_progress&per_page=3"
	_, page := b.get(path)
	if !strings.Contains(page, "第1页，共4页") || !strings.Contains(page, `href="/problems?page=2&amp;per_page=3&amp;status=in_progress"`) {
		t.Errorf("first page: no page number or numbered link: %s", page)
	}
	for i := 0; i < len(want); i += 3 {
		for j, id := range want {
			if on := strings.Contains(page, ">"+codes[id]+"<"); on != (j >= i && j < i+3) {
				t.Errorf("page %d (%s): problem %d (%s) shown %v", i/3+1, path, j, codes[id], on)
			}
		}
		if i > 0 {
			if pageNumber.MatchString(page) || strings.Contains(page, `aria-current="page"`) {
				t.Errorf("page reached by after claims a number: %s", page)
			}
			if !strings.Contains(page, `<a href="/problems?per_page=3&amp;status=in_progress" rel="first">首页</a>`) {
				t.Errorf("page reached by after has no link to the first page: %s", page)
			}
		}
		next := nextHref(page)
		if i+3 >= len(want) {
			// The last page is full: its next link leads to an empty page
			// without one.
			if next != "" {
				_, page = b.get(next)
				if nextHref(page) != "" || !strings.Contains(page, "没有符合条件的问题") {
					t.Errorf("after the last page (%s): %s", next, page)
				}
			}
			break
		}
		u, err := url.Parse(next)
		if err != nil || u.Path != "/problems" {
			t.Fatalf("page %d: next link %q", i/3+1, next)
		}
		q := u.Query()
		if q.Get("after") != strconv.FormatInt(want[i+2], 10) || q.Has("page") || q.Get("status") != "in_progress" || q.Get("per_page") != "3" {
			t.Fatalf("page %d: next link %q, want after=%d with the filters and no page", i/3+1, next, want[i+2])
		}
		path = next
		_, page = b.get(path)
	}
}

// The list cache keeps a page by its key: after=X is never served for
// after=Y, nor a capped count for an exact one.
func TestKeysetListCacheKeysAfter(t *testing.T) {
	var misses atomic.Int32
	e := newEnvWith(t, func(s *dhttp.Server) { dhttp.SetListMissHook(s, func() { misses.Add(1) }) })
	e.addKeysetProblems(10)
	b := e.browser()
	b.login(e.users["coordinator"].Username) // before counting, should logging in write
	all := e.problemPage("coordinator", "per_page=500").ids()
	x, y := all[2], all[6]
	get := func(after int64) []int64 {
		return e.problemPage("coordinator", "per_page=3&after="+strconv.FormatInt(after, 10)).ids()
	}
	before := misses.Load()
	atX := get(x)
	atY := get(y)
	if !slices.Equal(atX, all[3:6]) || !slices.Equal(atY, all[7:10]) {
		t.Errorf("after=%d: %v, want %v; after=%d: %v, want %v", x, atX, all[3:6], y, atY, all[7:10])
	}
	if n := misses.Load() - before; n != 2 {
		t.Errorf("%d misses for two keys, want 2", n)
	}
	if again := get(x); !slices.Equal(again, atX) || misses.Load()-before != 2 {
		t.Errorf("after=%d again: %v (misses %d): want the cached %v", x, again, misses.Load()-before, atX)
	}
	// The page links of the HTML page share the entries: the same key is
	// a hit there too, another key is not.
	_, page := b.get("/problems?per_page=3&after=" + strconv.FormatInt(y, 10))
	if misses.Load()-before != 2 {
		t.Errorf("the page for a cached key missed")
	}
	for _, id := range all[3:6] {
		if strings.Contains(page, `href="/problems/`+strconv.FormatInt(id, 10)+`"`) {
			t.Errorf("the page for after=%d shows %d, of after=%d", y, id, x)
		}
	}
}

// ledgerRows is n problems of 林城镇 for ImportLedger, each a case of
// straw burning.
func ledgerRows(n int) []ducha.LedgerRow {
	rows := make([]ducha.LedgerRow, n)
	for i := range rows {
		rows[i] = ducha.LedgerRow{Row: i + 2, Problem: &ducha.Problem{
			Source: "自查发现", Description: fmt.Sprintf("林城镇第%d组秸秆焚烧", i), Area: "林城镇", Types: []string{"大气"},
		}}
	}
	return rows
}

// A search counts no further than ducha.SearchCountCap unless asked: the
// answer says so, and exact=1 answers the number. The page shows 1,000+
// with a link to the exact count.
func TestKeysetSearchCountCap(t *testing.T) {
	e := newEnv(t)
	n := ducha.SearchCountCap + 5
	if res, err := e.db.ImportLedger(system, ledgerRows(n)); err != nil {
		t.Fatalf("import: %v (%+v)", err, res)
	}
	burning := "q=" + url.QueryEscape("秸秆焚烧")

	l := e.problemPage("coordinator", burning)
	if l.Total != ducha.SearchCountCap+1 || *l.TotalExact || len(l.Items) != 50 || l.Next != l.Items[49].ID {
		t.Errorf("capped search: total %d, exact %v, %d items, next %d", l.Total, *l.TotalExact, len(l.Items), l.Next)
	}
	for _, exact := range []string{"exact=1", "exact=true"} {
		if l := e.problemPage("coordinator", burning+"&"+exact); l.Total != n || !*l.TotalExact {
			t.Errorf("%s: total %d, exact %v, want %d, true", exact, l.Total, *l.TotalExact, n)
		}
	}
	if l := e.problemPage("coordinator", burning+"&exact=0"); l.Total != ducha.SearchCountCap+1 || *l.TotalExact {
		t.Errorf("exact=0: total %d, exact %v", l.Total, *l.TotalExact)
	}
	// Without a search the total is always exact, and a q with no word in
	// it (punctuation only) searches nothing: its total is exact too.
	if l := e.problemPage("coordinator", ""); l.Total != n+5 || !*l.TotalExact {
		t.Errorf("whole ledger: total %d, exact %v, want %d", l.Total, *l.TotalExact, n+5)
	}
	if l := e.problemPage("coordinator", "q="+url.QueryEscape("！！…")); l.Total != n+5 || !*l.TotalExact {
		t.Errorf("q of punctuation: total %d, exact %v, want %d, true", l.Total, *l.TotalExact, n+5)
	}
	// A capped total does not end paging by number early, and the walk by
	// key visits every match once.
	if l := e.problemPage("coordinator", burning+"&per_page=500&page=3"); len(l.Items) != 5 || l.Next != 0 {
		t.Errorf("last page of the search: %d items, next %d", len(l.Items), l.Next)
	}
	// Matches 995 to 1,001 reach the capped total, but not the last match.
	if l := e.problemPage("coordinator", burning+"&per_page=7&page=143"); len(l.Items) != 7 || l.Next != l.Items[6].ID {
		t.Errorf("page 143 of 7 of the search: %d items, next %d", len(l.Items), l.Next)
	}
	ids, total := e.walkByNext("coordinator", burning, 500)
	if total != ducha.SearchCountCap+1 {
		t.Errorf("walk: total %d", total)
	}
	checkWalk(t, "capped search by next", ids, n)

	b := e.browser()
	b.login(e.users["coordinator"].Username)
	_, page := b.get("/problems?" + burning)
	// html/template writes the + as &#43;.
	exactLink := regexp.MustCompile(`共1,000\+条 <a href="([^"]+)" rel="nofollow">精确计数</a>`).FindStringSubmatch(html.UnescapeString(page))
	if exactLink == nil || !strings.Contains(page, "<span>第1页</span>") || strings.Contains(page, "页，共") {
		t.Fatalf("capped page: %s", page)
	}
	u, err := url.Parse(exactLink[1])
	if err != nil || u.Query().Get("exact") != "1" || u.Query().Get("q") != "秸秆焚烧" {
		t.Fatalf("exact link %q", exactLink[1])
	}
	_, page = b.get(u.String())
	if !strings.Contains(page, fmt.Sprintf("共%d条", n)) || strings.Contains(page, "精确计数") || !strings.Contains(page, "第1页，共21页") {
		t.Errorf("exact page: %s", page)
	}
	// The exact count follows the next link.
	if next := nextHref(page); !strings.Contains(next, "exact=1") || !strings.Contains(next, "after=") {
		t.Errorf("next link of the exact page: %q", next)
	}
}
