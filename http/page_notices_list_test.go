package http_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
)

// noticeListEnv is newCaseEnv with the notices served and 23 notices on
// file: a 催办 for each of 12 problems with a unit, a 督办 for half of
// them and a 挂牌督办 for two, and a 催办 for each of three cases, issued
// over two days with due dates from the 10th to the 13th. One is
// answered and one closed; the clock then stands on the 13th, so the
// open ones due on the 10th, 11th and 12th are overdue.
func noticeListEnv(t *testing.T) *env {
	t.Helper()
	e := newCaseEnv(t)
	e.srv.Notices = e.db
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	ps := []*ducha.Problem{e.probs["own"], e.probs["other"], e.probs["pending"], e.probs["coop"]}
	for i, lead := range []string{"永清镇", "林城镇", "县生态环境局", "永清镇", "林城镇", "县生态环境局", "永清镇", "林城镇"} {
		ps = append(ps, e.problem("问题"+strconv.Itoa(i), lead, nil, ducha.ActPlan))
	}
	texts := []string{"请整改砖厂扬尘", "请整改VOCs无组织排放", "请于期限内书面答复"}
	issue := func(n *ducha.Notice) *ducha.Notice {
		t.Helper()
		if err := e.db.IssueNotice(coord, n); err != nil {
			t.Fatalf("issue %+v: %v", n, err)
		}
		return n
	}
	var ns []*ducha.Notice
	for i, p := range ps {
		if i == 6 {
			e.clock.Add(24 * time.Hour) // the rest are issued on the 11th
		}
		due := ducha.Date("2026-12-1" + strconv.Itoa(1+i%3))
		ns = append(ns, issue(&ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: texts[i%len(texts)], Due: due}))
		if i%2 == 0 {
			ns = append(ns, issue(&ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "督办" + texts[(i+1)%len(texts)], Due: due}))
		}
		if i == 1 || i == 6 {
			ns = append(ns, issue(&ducha.Notice{Kind: ducha.NoticeListed, ProblemID: p.ID, Text: "挂牌督办", Due: "2026-12-13"}))
		}
	}
	cs := e.receivedCases(3)
	for i, c := range cs {
		unit := []string{"永清镇", "林城镇", "永清镇"}[i]
		e.act("coordinator", c.AcceptanceNo, "assign", `{"units":["`+unit+`"]}`)
		ns = append(ns, issue(&ducha.Notice{Kind: ducha.NoticeReminder, CaseID: c.ID, Text: "交办件" + c.AcceptanceNo, Due: "2026-12-12"}))
	}
	liaison := ducha.NewContextWithUser(context.Background(), e.users["liaison"])
	if _, err := e.db.ActOnNotice(liaison, ns[0].ID, ducha.NoticeActAnswer, 0, "已整改到位"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ActOnNotice(coord, ns[3].ID, ducha.NoticeActClose, 0, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(2 * 24 * time.Hour)
	if len(ns) != 23 {
		t.Fatalf("%d notices", len(ns))
	}
	return e
}

// listNotices is the store's list for the coordinator (or ctx's user),
// every page of it.
func (e *env) listNotices(ctx context.Context, f ducha.NoticeFilter) []*ducha.Notice {
	e.t.Helper()
	f.Limit = ducha.MaxPerPage
	ns, total, err := e.db.FindNotices(ctx, f)
	if err != nil || total != len(ns) {
		e.t.Fatalf("notices %+v: %d of %d, %v", f, len(ns), total, err)
	}
	return ns
}

func noticeNos(ns []*ducha.Notice) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.No)
	}
	return out
}

var noticeRow = regexp.MustCompile(`<td data-label="编号"><a href="/notices/\d+">([^<]+)</a>`)

// listedNos are the numbers a notice list page shows, in order.
func listedNos(page string) []string {
	out := []string{}
	for _, m := range noticeRow.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestNoticeListSorts: every sort of the list, both ways, shows the rows
// in the store's order for it, the one the other way round; the header
// in force says so and links to the other way. A sort or an order off the
// list is a 400 naming the field, on the list and its export.
func TestNoticeListSorts(t *testing.T) {
	e := noticeListEnv(t)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	b := e.browser()
	b.login("coord")
	for _, key := range ducha.NoticeSorts {
		var asc []string
		for _, order := range []string{"asc", "desc"} {
			resp, page := b.get("/notices?per_page=200&sort=" + key + "&order=" + order)
			got := listedNos(page)
			want := noticeNos(e.listNotices(coord, ducha.NoticeFilter{Sort: key, Desc: order == "desc"}))
			if resp.StatusCode != 200 || len(got) != 23 || !slices.Equal(got, want) {
				t.Errorf("sort=%s&order=%s: %d\n got %v\nwant %v", key, order, resp.StatusCode, got, want)
			}
			if order == "asc" {
				asc = got
			} else if slices.Reverse(got); !slices.Equal(got, asc) {
				t.Errorf("sort=%s: descending is not ascending reversed", key)
			}
			other, aria := "desc", "ascending"
			if order == "desc" {
				other, aria = "asc", "descending"
			}
			if head := `<th scope="col" aria-sort="` + aria + `"><a href="/notices?order=` + other + `&amp;per_page=200&amp;sort=` + key + `"`; !strings.Contains(page, head) {
				t.Errorf("sort=%s&order=%s: no header %s", key, order, head)
			}
		}
	}
	// The number sorts by kind, year and sequence: 清催办〔2026〕10号 after 9号.
	_, page := b.get("/notices?per_page=200&sort=no")
	if got := listedNos(page); got[8] != "清催办〔2026〕9号" || got[9] != "清催办〔2026〕10号" || got[15] != "清督办〔2026〕1号" {
		t.Errorf("by number: %v", got)
	}
	for _, bad := range []struct{ query, want string }{
		{"sort=" + url.QueryEscape("n.id; DROP TABLE notices"), "排序列“n.id; DROP TABLE notices”无效"},
		{"sort=text", "排序列“text”无效"},
		{"sort=due&order=sideways", "排序方向（order）应为asc或desc"},
	} {
		resp, page := b.get("/notices?" + bad.query)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`+bad.want) {
			t.Errorf("%s: %d\n%s", bad.query, resp.StatusCode, mainOf(page))
		}
		if resp, page := b.get("/notices/export.xlsx?" + bad.query); resp.StatusCode != 400 || !strings.Contains(page, bad.want) {
			t.Errorf("export %s: %d", bad.query, resp.StatusCode)
		}
	}
	if got := listedNos(func() string { _, p := b.get("/notices?per_page=200"); return p }()); len(got) != 23 {
		t.Errorf("after the refused queries: %d notices", len(got))
	}
}

// TestNoticeListFilters: the status, kind, unit (by id or name), overdue
// and search filters show exactly the notices they select, each overdue
// one marked in colour and words; a bad overdue value is refused naming
// the field. The page size and the pager keep the filter, and the column
// choice shows the chosen columns, the number always.
func TestNoticeListFilters(t *testing.T) {
	e := noticeListEnv(t)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	today := ducha.Today(e.clock.Now())
	all := e.listNotices(coord, ducha.NoticeFilter{})
	lc := strconv.FormatInt(e.units["林城镇"].ID, 10)
	b := e.browser()
	b.login("coord")
	for _, c := range []struct {
		query string
		keep  func(n *ducha.Notice) bool
	}{
		{"status=answered", func(n *ducha.Notice) bool { return n.Status == ducha.NoticeAnswered }},
		{"kind=supervision", func(n *ducha.Notice) bool { return n.Kind == ducha.NoticeSupervision }},
		{"unit=" + lc, func(n *ducha.Notice) bool { return n.Unit == "林城镇" }},
		{"unit=" + url.QueryEscape("林城镇"), func(n *ducha.Notice) bool { return n.Unit == "林城镇" }},
		{"overdue=true", func(n *ducha.Notice) bool { return n.Overdue(today) }},
		{"overdue=false", func(n *ducha.Notice) bool { return !n.Overdue(today) }},
		{"q=vocs", func(n *ducha.Notice) bool { return strings.Contains(n.Text, "VOCs") }},
		{"q=" + url.QueryEscape("督办〔2026〕2号"), func(n *ducha.Notice) bool { return strings.HasSuffix(n.No, "督办〔2026〕2号") }},
		{"q=%25", func(n *ducha.Notice) bool { return false }},
		{"unit=" + lc + "&overdue=true&kind=reminder", func(n *ducha.Notice) bool {
			return n.Unit == "林城镇" && n.Overdue(today) && n.Kind == ducha.NoticeReminder
		}},
	} {
		var want []string
		for _, n := range all {
			if c.keep(n) {
				want = append(want, n.No)
			}
		}
		if len(want) == len(all) || len(want) == 0 && c.query != "q=%25" {
			t.Fatalf("%s keeps %d of %d: the case tests nothing", c.query, len(want), len(all))
		}
		resp, page := b.get("/notices?per_page=200&" + c.query)
		got := listedNos(page)
		slices.Sort(got)
		slices.Sort(want)
		if resp.StatusCode != 200 || !slices.Equal(got, want) || !strings.Contains(page, "共"+strconv.Itoa(len(want))+"张") {
			t.Errorf("%s: %d\n got %v\nwant %v", c.query, resp.StatusCode, got, want)
		}
	}
	// The dropdowns say what is filtered; overdue notices, and only
	// they, carry the red mark with its words.
	_, page := b.get("/notices?per_page=200&overdue=true&unit=" + lc)
	main := mainOf(page)
	rows := len(listedNos(main))
	if !strings.Contains(main, `<option value="`+lc+`" selected>林城镇</option>`) || !strings.Contains(main, `<option value="true" selected>是</option>`) ||
		strings.Count(main, `<span class="badge warn-red">逾期未答复</span>`) != rows || rows == 0 {
		t.Errorf("overdue in 林城镇 (%d rows):\n%s", rows, main)
	}
	if _, page := b.get("/notices?per_page=200&overdue=false"); strings.Contains(page, "warn-red") {
		t.Error("a notice not overdue is marked")
	}
	if resp, page := b.get("/notices?overdue=maybe"); resp.StatusCode != 400 || !strings.Contains(page, "是否逾期（overdue）应为true或false，收到“maybe”") {
		t.Errorf("overdue=maybe: %d", resp.StatusCode)
	}
	if resp, page := b.get("/notices?status=open"); resp.StatusCode != 400 || !strings.Contains(page, "督办单状态“open”无效") {
		t.Errorf("status=open: %d", resp.StatusCode)
	}

	// Page size and pager.
	_, page = b.get("/notices?per_page=20")
	main = mainOf(page)
	if got := listedNos(main); len(got) != 20 || !strings.Contains(main, "第1页，共2页") || !strings.Contains(main, `<option value="20" selected>20条</option>`) ||
		!strings.Contains(main, `<a href="/notices?page=2&amp;per_page=20" rel="next">`) {
		t.Errorf("per_page=20 (%d rows):\n%s", len(got), main)
	}
	if _, page = b.get("/notices?page=2&per_page=20"); len(listedNos(page)) != 3 || !strings.Contains(page, `<a href="/notices?page=1&amp;per_page=20" rel="prev">`) {
		t.Errorf("page 2: %d rows", len(listedNos(page)))
	}
	_, page = b.get("/notices?per_page=5&status=issued&sort=due")
	if !strings.Contains(page, `<a href="/notices?page=2&amp;per_page=5&amp;sort=due&amp;status=issued" rel="next">`) {
		t.Errorf("the pager loses the filter:\n%s", mainOf(page))
	}

	// Columns: the chosen ones and the number, kept by the sort links; the
	// overdue mark moves to a shown column.
	_, page = b.get("/notices?cols=due&cols=kind&per_page=200&overdue=true")
	main = mainOf(page)
	for label, shown := range map[string]bool{"编号": true, "督办类型": true, "答复期限": true, "督办单位": false, "状态": false, "督办内容": false} {
		if strings.Contains(main, `data-label="`+label+`"`) != shown {
			t.Errorf("cols=due,kind: column %s shown is not %v", label, shown)
		}
	}
	if !strings.Contains(main, `<input type="checkbox" name="cols" value="kind" checked>`) || !strings.Contains(main, `<input type="checkbox" name="cols" value="unit">`) ||
		!strings.Contains(main, `<a href="/notices?cols=kind&amp;cols=due&amp;order=asc&amp;overdue=true&amp;per_page=200&amp;sort=kind"`) ||
		!regexp.MustCompile(`<td data-label="答复期限">2026年12月1[0-2]日 <span class="badge warn-red">逾期未答复</span></td>`).MatchString(main) {
		t.Errorf("column choice:\n%s", main)
	}
	_, page = b.get("/notices?cols=kind&overdue=true")
	if !regexp.MustCompile(`</a> <span class="badge warn-red">逾期未答复</span></td>\s*<td data-label="督办类型">`).MatchString(page) {
		t.Errorf("with neither status nor due shown, the number carries no overdue mark:\n%s", mainOf(page))
	}
	if !strings.Contains(page, `<a href="/notices?cols=kind&amp;order=asc&amp;overdue=true&amp;sort=kind"`) {
		t.Errorf("the sort link loses the columns:\n%s", mainOf(page))
	}
}

// noticeXLSX downloads an exported notice list and reads its filter
// line and its rows (序号 through 是否逾期).
func noticeXLSX(t *testing.T, b *browser, path string) (filter string, data [][]string) {
	t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != 200 {
		t.Fatalf("export %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("export %s: content type %q", path, ct)
	}
	rows := sheetRows(t, body)
	if len(rows) < 3 || rows[0][0] != "督办单" || rows[2][1] != "编号" {
		t.Fatalf("export head: %q", rows[:min(3, len(rows))])
	}
	for i, r := range rows[3:] {
		if len(r) == 0 || r[0] == "" {
			continue
		}
		if n, err := strconv.Atoi(r[0]); err != nil || n != len(data)+1 {
			t.Fatalf("export row %d: %q", i, r)
		}
		for len(r) < 11 {
			r = append(r, "")
		}
		data = append(data, r)
	}
	return rows[1][0], data
}

// TestNoticeListExport: the export is every row the list's filter selects
// in the list's order, across its pages, whatever the page asked; it says
// what was filtered; a liaison's list, dropdown and export hold its own
// unit's notices only.
func TestNoticeListExport(t *testing.T) {
	e := noticeListEnv(t)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	today := ducha.Today(e.clock.Now())
	b := e.browser()
	b.login("coord")
	var listed []string
	for _, n := range []string{"1", "2"} {
		_, page := b.get("/notices?sort=due&order=desc&per_page=20&page=" + n)
		listed = append(listed, listedNos(page)...)
	}
	_, page := b.get("/notices?sort=due&order=desc&per_page=20&page=2")
	if !strings.Contains(page, `<a href="/notices/export.xlsx?order=desc&amp;per_page=20&amp;sort=due" class="export" id="notices-export" download>`) {
		t.Fatalf("no export link for the list:\n%s", mainOf(page))
	}
	filter, rows := noticeXLSX(t, b, "/notices/export.xlsx?order=desc&per_page=20&sort=due&page=2")
	var exported []string
	for _, r := range rows {
		exported = append(exported, r[1])
	}
	if len(listed) != 23 || !slices.Equal(exported, listed) || filter != "筛选：全部" {
		t.Fatalf("export %q:\n got %v\nwant %v", filter, exported, listed)
	}
	// Filtered: 林城镇's overdue notices, each said to be overdue.
	lc := strconv.FormatInt(e.units["林城镇"].ID, 10)
	want := noticeNos(e.listNotices(coord, ducha.NoticeFilter{UnitID: e.units["林城镇"].ID, Overdue: &[]bool{true}[0], Sort: "no"}))
	filter, rows = noticeXLSX(t, b, "/notices/export.xlsx?sort=no&overdue=true&unit="+lc)
	exported = nil
	for _, r := range rows {
		exported = append(exported, r[1])
		if r[3] != "林城镇" || r[10] != "是" {
			t.Errorf("filtered export row %q", r)
		}
	}
	if len(want) == 0 || !slices.Equal(exported, want) || filter != "筛选：督办单位：林城镇 · 逾期未答复：是" {
		t.Errorf("filtered export %q: %v, want %v", filter, exported, want)
	}

	// The liaison of 永清镇: its own unit's notices, in the list and the export.
	l := e.browser()
	l.login("liaison_yq")
	liaison := ducha.NewContextWithUser(context.Background(), e.users["liaison"])
	own := e.listNotices(liaison, ducha.NoticeFilter{})
	for _, n := range own {
		if n.Unit != "永清镇" {
			t.Fatalf("the store shows the liaison %s of %s", n.No, n.Unit)
		}
	}
	_, page = l.get("/notices?per_page=200")
	main := mainOf(page)
	if got := listedNos(main); len(own) == 0 || !slices.Equal(got, noticeNos(own)) || strings.Contains(main, "林城镇") ||
		!strings.Contains(main, `<option value="`+strconv.FormatInt(e.units["永清镇"].ID, 10)+`">永清镇</option>`) {
		t.Errorf("the liaison's list: %v, want %v\n%s", got, noticeNos(own), main)
	}
	if _, page = l.get("/notices?unit=" + lc); !strings.Contains(page, "共0张") {
		t.Errorf("the liaison filtered to another unit:\n%s", mainOf(page))
	}
	_, rows = noticeXLSX(t, l, "/notices/export.xlsx")
	exported = nil
	for _, r := range rows {
		exported = append(exported, r[1])
		if r[3] != "永清镇" {
			t.Errorf("the liaison's export holds %q", r)
		}
		if n := own[len(exported)-1]; (r[10] == "是") != n.Overdue(today) {
			t.Errorf("%s overdue %q", n.No, r[10])
		}
	}
	if !slices.Equal(exported, noticeNos(own)) {
		t.Errorf("the liaison's export: %v, want %v", exported, noticeNos(own))
	}
	_, rows = noticeXLSX(t, l, "/notices/export.xlsx?unit="+lc)
	if len(rows) != 0 {
		t.Errorf("the liaison exported another unit's notices: %d", len(rows))
	}
}

// TestNoticeListLinksCarryOnlyKnownParameters: an unknown parameter or
// column name is not repeated in the notice list's links (sort, pager,
// export); the columns chosen are, each once.
func TestNoticeListLinksCarryOnlyKnownParameters(t *testing.T) {
	e := noticeListEnv(t)
	b := e.browser()
	b.login("coord")
	junk := strings.Repeat("zq", 5000)
	for _, path := range []string{"/notices?per_page=5&zzz=" + junk, "/notices?per_page=5&cols=kind," + junk} {
		resp, page := b.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%.40s: %d", path, resp.StatusCode)
		}
		if n := strings.Count(page, junk); n > 1 { // once: the language switch returns to the URL
			t.Errorf("%.40s: the page repeats the unknown value %d times (%d bytes)", path, n, len(page))
		}
	}
	_, page := b.get("/notices?cols=kind,kind,due&zzz=1&per_page=5")
	if !strings.Contains(page, `/notices/export.xlsx?cols=kind&amp;cols=due&amp;per_page=5"`) ||
		!strings.Contains(page, `<a href="/notices?cols=kind&amp;cols=due&amp;page=2&amp;per_page=5" rel="next">`) || strings.Count(page, "zzz") > 1 {
		t.Errorf("the links do not keep the columns chosen as known names:\n%s", mainOf(page))
	}
}

// TestNoticeIssueDateTyped: the issue form's due date is a text field
// typed as 2026年12月7日 whatever the browser's locale; a date typed so
// is read, an impossible one refused next to the field as typed, and the
// notice's page writes its due date the same way.
func TestNoticeIssueDateTyped(t *testing.T) {
	e := notifyEnv(t)
	b := e.browser()
	b.login("coord")
	_, page := b.get("/notices")
	if !strings.Contains(page, `<input name="due" value="" placeholder="2026年12月7日" inputmode="numeric" autocomplete="off">`) || strings.Contains(page, `type="date"`) {
		t.Fatalf("the due field:\n%s", mainOf(page))
	}
	form := url.Values{"kind": {"reminder"}, "problem": {strconv.FormatInt(e.probs["own"].ID, 10)}, "text": {"请整改"}, "due": {"2026年2月30日"}}
	resp, page := b.post("/notices", form)
	if resp.StatusCode != 400 || !strings.Contains(page, `<span class="field-error">答复期限“2026年2月30日”不是有效日期`) ||
		!strings.Contains(page, `<input name="due" value="2026年2月30日"`) {
		t.Fatalf("an impossible date: %d\n%s", resp.StatusCode, mainOf(page))
	}
	form.Set("due", "2026年12月20日")
	resp, _ = b.post("/notices", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/notices/") {
		t.Fatalf("issue: %d %s", resp.StatusCode, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/notices/"), 10, 64)
	if n := e.notice(id); n.Due != "2026-12-20" {
		t.Fatalf("due %s", n.Due)
	}
	if _, page = b.get(loc); !strings.Contains(page, "<dd>2026年12月20日</dd>") || strings.Contains(page, "逾期未答复") {
		t.Errorf("the notice's due date:\n%s", mainOf(page))
	}
	e.clock.Add(11 * 24 * time.Hour)
	b.login("coord") // the session ran out meanwhile
	if _, page = b.get(loc); !strings.Contains(page, `<dd>2026年12月20日 <span class="badge warn-red noprint">逾期未答复</span></dd>`) {
		t.Errorf("an overdue notice's page:\n%s", mainOf(page))
	}
}
