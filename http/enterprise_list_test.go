package http_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ducha"
)

// listExport is an exported list read back: the filter line, the count on
// the right of row 2, the header and the data rows (row 5 on), each as
// text, and the workbook for the cells' types.
type listExport struct {
	f      *excelize.File
	sheet  string
	Filter string
	Count  string
	Header []string
	Rows   [][]string
}

// readExport reads an exported list, failing the test unless the answer
// is a 200 xlsx.
func readExport(t *testing.T, status int, body string) listExport {
	t.Helper()
	if status != 200 {
		t.Fatalf("export: %d %s", status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	x := listExport{f: f, sheet: f.GetSheetName(0)}
	rows, err := f.GetRows(x.sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 || len(rows[1]) == 0 {
		t.Fatalf("export: %d rows: %v", len(rows), rows)
	}
	x.Filter, x.Header = rows[1][0], rows[2]
	x.Count = rows[1][len(rows[1])-1]
	// The header stands over rows 3 and 4 (merged); the data follow.
	for i, r := range rows[min(4, len(rows)):] {
		if n, err := strconv.Atoi(r[0]); err != nil || n != i+1 {
			t.Fatalf("export row %d: %q", i+1, r)
		}
		for len(r) < len(x.Header) {
			r = append(r, "")
		}
		x.Rows = append(x.Rows, r)
	}
	return x
}

// column is the values of the column headed h, in order.
func (x listExport) column(t *testing.T, h string) []string {
	t.Helper()
	i := slices.Index(x.Header, h)
	if i < 0 {
		t.Fatalf("export has no column %s: %v", h, x.Header)
	}
	out := make([]string, len(x.Rows))
	for j, r := range x.Rows {
		out[j] = r[i]
	}
	return out
}

// cellType is the type of the cell of data row i (0-based) under header h.
func (x listExport) cellType(t *testing.T, i int, h string) excelize.CellType {
	t.Helper()
	cell, err := excelize.CoordinatesToCellName(slices.Index(x.Header, h)+1, i+5)
	if err != nil {
		t.Fatal(err)
	}
	typ, err := x.f.GetCellType(x.sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return typ
}

func isText(typ excelize.CellType) bool {
	return typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString
}

// walkList follows a list's pager from path to its last page, gathering
// what re's first group finds on each page; it fails the test on a page
// that is not 200 or on a pager that does not end.
func walkList(t *testing.T, b *browser, path string, re *regexp.Regexp) []string {
	t.Helper()
	var out []string
	for n := 0; path != ""; n++ {
		if n > 50 {
			t.Fatalf("the pager does not end: %s", path)
		}
		resp, page := b.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		for _, m := range re.FindAllStringSubmatch(mainOf(page), -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		path = ""
		if m := nextLink.FindStringSubmatch(mainOf(page)); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	return out
}

// enterpriseNames finds the names in the enterprise list.
var enterpriseNames = regexp.MustCompile(`<td data-label="企业名称"><a href="/enterprises/\d+">([^<]+)</a>`)

// creditCode is a valid all-digit 统一社会信用代码 made from n: the kind of
// code a spreadsheet turns into 9.13E+17 unless it is written as text.
func creditCode(t *testing.T, n int) string {
	t.Helper()
	for ; ; n++ {
		base := fmt.Sprintf("91131022%09d", n)
		for c := '0'; c <= '9'; c++ {
			if code := base + string(c); ducha.CheckCreditCode(code) == nil {
				return code
			}
		}
	}
}

// addEnterprises writes n enterprises straight into the store's SQLite
// file, as a register of enterprises would bring them: no case or problem
// against them (the coordinator lists them, a liaison does not), each with
// an all-digit credit code, an industry and an address. It sets the brick
// works' code, industry and address too, and returns its code.
func addEnterprises(t *testing.T, e *env, n int) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.db.DSN()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	at := ducha.FormatTime(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for i := range n {
		if _, err := tx.Exec(`INSERT INTO enterprises (name, credit_code, industry, address, created_at) VALUES (?, ?, ?, ?, ?)`,
			fmt.Sprintf("清水县登记企业%04d", i), creditCode(t, 1000*i+1), ducha.Industries[i%len(ducha.Industries)],
			fmt.Sprintf("清水县工业园区%d号", i), at); err != nil {
			t.Fatal(err)
		}
	}
	code := creditCode(t, 7)
	if _, err := tx.Exec(`UPDATE enterprises SET credit_code = ?, industry = '工业', address = '永清镇砖窑路1号' WHERE name = ?`, code, brickName); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return code
}

// TestEnterpriseListExport: the export of the enterprise list is every
// enterprise the list selects, across all its pages, in its order, with
// the credit codes as text and the counts and fines as figures; whatever
// page or page size the export's link names. A liaison's export holds what
// its list holds and no more.
func TestEnterpriseListExport(t *testing.T) {
	e := newEnterpriseEnv(t)
	code := addEnterprises(t, e, 520)
	c := e.browser()
	c.login("coord")

	for _, q := range []string{"", "sort=name&order=desc", "sort=fines&order=asc", "industry=" + url.QueryEscape("工业"),
		"q=" + url.QueryEscape("登记企业01")} {
		listed := walkList(t, c, "/enterprises?per_page=200&"+q, enterpriseNames)
		resp, body := c.get("/enterprises/export.xlsx?page=2&per_page=20&" + q)
		x := readExport(t, resp.StatusCode, body)
		if got := x.column(t, "企业名称"); !slices.Equal(got, listed) {
			t.Errorf("%s: the export's %d rows are not the list's %d", q, len(got), len(listed))
		}
		if q == "" && (len(listed) != 522 || x.Filter != "筛选：全部" || x.Count != "共522家") {
			t.Errorf("the whole list: %d listed, filter %q, %q", len(listed), x.Filter, x.Count)
		}
		if strings.HasPrefix(q, "industry") && (len(listed) < 70 || !slices.Contains(listed, brickName) || x.Filter != "筛选：行业：工业") {
			t.Errorf("%s: %d listed, filter %q", q, len(listed), x.Filter)
		}
		if strings.HasPrefix(q, "q=") && len(listed) != 100 {
			t.Errorf("%s: %d listed, want 100", q, len(listed))
		}
	}

	// The headers, and the brick works' row: its code as text, its counts
	// and fines as figures.
	resp, body := c.get("/enterprises/export.xlsx?fined=1")
	x := readExport(t, resp.StatusCode, body)
	want := []string{"序号", "企业名称", "统一社会信用代码", "行业", "地址", "交办件数", "处理措施数", "罚款合计（元）", "问题数"}
	if !slices.Equal(x.Header, want) || x.Filter != "筛选：有罚款" || len(x.Rows) != 1 {
		t.Fatalf("fined export: %v %q %v", x.Header, x.Filter, x.Rows)
	}
	if r := x.Rows[0]; !slices.Equal(r[1:], []string{brickName, code, "工业", "永清镇砖窑路1号", "2", "3", "20500.50", "0"}) {
		t.Errorf("brick works' row: %q", r)
	}
	if !isText(x.cellType(t, 0, "统一社会信用代码")) {
		t.Errorf("the credit code %s is not a text cell", code)
	}
	for _, h := range []string{"交办件数", "罚款合计（元）"} {
		if isText(x.cellType(t, 0, h)) {
			t.Errorf("%s is a text cell", h)
		}
	}
	resp, body = c.get("/enterprises/export.xlsx")
	x = readExport(t, resp.StatusCode, body)
	codes := 0
	for i, got := range x.column(t, "统一社会信用代码") {
		if got != "" {
			codes++
			if ducha.CheckCreditCode(got) != nil || !isText(x.cellType(t, i, "统一社会信用代码")) {
				t.Fatalf("row %d: credit code %q", i+1, got)
			}
		}
	}
	if codes != 521 {
		t.Errorf("%d credit codes, want 521", codes)
	}

	// The 永清镇 liaison lists the two enterprises of its unit's cases, and
	// exports them; the 林城镇 liaison has none.
	l := e.browser()
	l.login("liaison_yq")
	listed := walkList(t, l, "/enterprises?per_page=20", enterpriseNames)
	resp, body = l.get("/enterprises/export.xlsx?per_page=500")
	x = readExport(t, resp.StatusCode, body)
	if got := x.column(t, "企业名称"); !slices.Equal(got, []string{brickName, farmName}) || !slices.Equal(got, listed) {
		t.Errorf("永清镇 liaison: exported %v, listed %v", got, listed)
	}
	lb := e.browser()
	lb.login("liaison_lc")
	_, page := lb.get("/enterprises")
	mustHave(t, "林城镇 liaison's list", page, "共0家企业")
	resp, body = lb.get("/enterprises/export.xlsx")
	if x := readExport(t, resp.StatusCode, body); len(x.Rows) != 0 || x.Count != "共0家" {
		t.Errorf("林城镇 liaison exported %v", x.Rows)
	}
	// Nobody signed in exports nothing.
	if resp, body := e.browser().get("/enterprises/export.xlsx"); resp.StatusCode == 200 || strings.Contains(body, brickName) {
		t.Errorf("anonymous export: %d", resp.StatusCode)
	}
}

// TestEnterpriseListPaging: the enterprise list has a page size and a
// pager, counts all it selects, takes an old link's limit= as its page
// size, lets the user choose its columns (the name always shown), and
// answers a bad page size, sort or column as the case list does.
func TestEnterpriseListPaging(t *testing.T) {
	e := newEnterpriseEnv(t)
	addEnterprises(t, e, 45)
	c := e.browser()
	c.login("coord")

	resp, page := c.get("/enterprises?per_page=20&sort=name")
	main := mainOf(page)
	if resp.StatusCode != 200 || strings.Count(main, `<td data-label="企业名称">`) != 20 {
		t.Fatalf("page 1: %d\n%s", resp.StatusCode, main)
	}
	mustHave(t, "page 1", main, "共47家企业", "第1页，共3页", `<option selected>20</option>`,
		`<a href="/enterprises?page=2&amp;per_page=20&amp;sort=name" rel="next">下一页</a>`,
		`<a href="/enterprises/export.xlsx?per_page=20&amp;sort=name" class="export" id="enterprises-export" download>导出Excel（当前筛选结果）</a>`)
	mustLack(t, "page 1", main, `rel="prev"`)
	_, page = c.get("/enterprises?page=3&per_page=20&sort=name")
	main = mainOf(page)
	if n := strings.Count(main, `<td data-label="企业名称">`); n != 7 {
		t.Errorf("page 3 lists %d, want 7", n)
	}
	mustHave(t, "page 3", main, "第3页，共3页", `<a href="/enterprises?page=2&amp;per_page=20&amp;sort=name" rel="prev">上一页</a>`)
	mustLack(t, "page 3", main, `rel="next"`)
	all := walkList(t, c, "/enterprises?per_page=20&sort=name", enterpriseNames)
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	if len(all) != 47 || !slices.Equal(all, sorted) || len(slices.Compact(sorted)) != 47 {
		t.Errorf("the pages walked: %d names, sorted %v", len(all), slices.Equal(all, sorted))
	}

	// An old link's limit= is the page size, and the links write it so.
	_, page = c.get("/enterprises?limit=5")
	main = mainOf(page)
	if n := strings.Count(main, `<td data-label="企业名称">`); n != 5 {
		t.Errorf("limit=5 lists %d", n)
	}
	mustHave(t, "limit=5", main, "共47家企业", "第1页，共10页", `<a href="/enterprises?page=2&amp;per_page=5" rel="next">`)
	mustLack(t, "limit=5", main, "limit=")
	_, page = c.get("/enterprises?limit=5&per_page=20")
	mustHave(t, "limit and per_page", mainOf(page), "第1页，共3页")

	// Bad input is refused naming it, the page still whole.
	for _, bad := range []struct{ query, msg string }{
		{"per_page=abc", "每页条数应为正整数"}, {"per_page=0", "每页条数应为正整数"}, {"page=-1", "页码应为正整数"},
		{"limit=-1", "limit应为正整数"}, {"sort=address", "排序列“address”无效"}, {"order=up", "排序方向（order）应为asc或desc"},
	} {
		resp, page := c.get("/enterprises?" + bad.query)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`) || !strings.Contains(page, bad.msg) ||
			!strings.Contains(page, `<table class="ledger enterprises cards">`) {
			t.Errorf("%s: %d", bad.query, resp.StatusCode)
		}
	}
	// A per_page above the largest is the largest, as the case list has it.
	_, page = c.get("/enterprises?per_page=9999")
	mustHave(t, "per_page=9999", mainOf(page), "第1页，共1页")

	// Columns: the ones chosen and the name; the links keep the choice.
	_, page = c.get("/enterprises?cols=credit_code&cols=fines&sort=name")
	main = mainOf(page)
	mustHave(t, "cols", main, `<th scope="col">统一社会信用代码</th>`, `>罚款合计（元）</a></th>`, `data-label="罚款合计（元）"`,
		`data-label="统一社会信用代码"`, `data-label="企业名称"`,
		`<input type="checkbox" name="cols" value="fines" checked>`, `<input type="checkbox" name="cols" value="cases">`,
		`<a href="/enterprises?cols=credit_code&amp;cols=fines&amp;order=desc&amp;sort=name">企业名称`,
		`href="/enterprises/export.xlsx?cols=credit_code&amp;cols=fines&amp;sort=name"`)
	mustLack(t, "cols", main, `data-label="交办件数"`, `>交办件数</a>`, `data-label="地址"`, `data-label="问题数"`)
	// No known column is every column; unknown names are left out of the links.
	for _, q := range []string{"", "cols=bogus", "cols=" + url.QueryEscape("<b>,bogus")} {
		_, page = c.get("/enterprises?" + q)
		main = mainOf(page)
		mustHave(t, q, main, `data-label="统一社会信用代码"`, `data-label="行业"`, `data-label="地址"`, `data-label="交办件数"`,
			`data-label="处理措施数"`, `data-label="罚款合计（元）"`, `data-label="问题数"`)
		mustLack(t, q, main, "bogus", "&lt;b&gt;", "cols=")
	}
	// Naming only the name shows only the name.
	_, page = c.get("/enterprises?cols=name")
	mustHave(t, "cols=name", mainOf(page), `data-label="企业名称"`, `href="/enterprises?cols=name&amp;order=asc&amp;sort=name"`)
	mustLack(t, "cols=name", mainOf(page), `data-label="统一社会信用代码"`, `data-label="交办件数"`)
	_, page = c.get("/enterprises?cols=cases,bogus&zzz=1")
	main = mainOf(page)
	mustHave(t, "cols=cases,bogus", main, `data-label="交办件数"`, `href="/enterprises?cols=cases&amp;order=asc&amp;sort=name"`)
	mustLack(t, "cols=cases,bogus", main, `data-label="罚款合计（元）"`, "bogus", "zzz")
	// The export takes the list's filter and order, not its columns.
	resp, body := c.get("/enterprises/export.xlsx?cols=cases&sort=name")
	if x := readExport(t, resp.StatusCode, body); len(x.Header) != 9 || len(x.Rows) != 47 {
		t.Errorf("export with cols: %v, %d rows", x.Header, len(x.Rows))
	}
	// The export refuses what the list refuses, as the case export does.
	if resp, page := c.get("/enterprises/export.xlsx?sort=address"); resp.StatusCode != 400 || !strings.Contains(page, "排序列“address”无效") {
		t.Errorf("export sort=address: %d", resp.StatusCode)
	}
}

// TestEnterpriseExportBound: an export of more enterprises than one
// export takes is refused with a message that says how many and what to
// do, and the list still shows them.
func TestEnterpriseExportBound(t *testing.T) {
	e := newEnterpriseEnv(t)
	db, err := sql.Open("sqlite", "file:"+e.db.DSN()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
		INSERT INTO enterprises (name, created_at) SELECT '登记企业' || i, ? FROM n`, ducha.FormatTime(e.clock.Now())); err != nil {
		t.Fatal(err)
	}
	c := e.browser()
	c.login("coord")
	resp, page := c.get("/enterprises/export.xlsx")
	if resp.StatusCode != 400 || !strings.Contains(page, "符合条件的企业有10002家，超过一次导出10000家的上限，请缩小筛选范围") {
		t.Fatalf("export of 10002: %d %s", resp.StatusCode, mainOf(page))
	}
	resp, body := c.get("/enterprises/export.xlsx?q=" + url.QueryEscape("登记企业99"))
	if x := readExport(t, resp.StatusCode, body); len(x.Rows) != 111 { // 99, 990–999, 9900–9999
		t.Errorf("narrowed export: %d rows", len(x.Rows))
	}
	_, page = c.get("/enterprises")
	mustHave(t, "the list of 10002", mainOf(page), "共10002家企业", "第1页，共201页")
}

// TestEnterprisePageDates: the enterprise page writes its cases' dates as
// 2026年12月9日.
func TestEnterprisePageDates(t *testing.T) {
	e := newEnterpriseEnv(t)
	brick := e.enterprises("coordinator", "").Items[0]
	c := e.browser()
	c.login("coord")
	_, page := c.get("/enterprises/" + strconv.FormatInt(brick.ID, 10))
	main := mainOf(page)
	mustHave(t, "enterprise page", main, "<td>2026年12月9日</td>", "<td>2026年12月10日</td>")
	mustLack(t, "enterprise page", main, "<td>2026-12-09</td>", "<td>2026-12-10</td>")
}
