package http_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// documentTitles finds the titles in the document list.
var documentTitles = regexp.MustCompile(`<td data-label="标题"><a href="/documents/\d+">([^<]+)</a>`)

// addDocuments stores n documents as the coordinator: work plans and
// meeting notices in turn, dated in December 2026 but every third undated.
func addDocuments(t *testing.T, e *env, n int) []*ducha.Document {
	t.Helper()
	coord := ducha.NewContextWithUser(t.Context(), e.users["coordinator"])
	var out []*ducha.Document
	for i := range n {
		d := &ducha.Document{Kind: ducha.DocWorkPlan, Title: fmt.Sprintf("第%02d号整改工作方案", i)}
		if i%2 == 1 {
			d.Kind, d.Title = ducha.DocNotice, fmt.Sprintf("第%02d号会议通知", i)
		}
		if i%3 != 0 {
			d.Date = ducha.Date(fmt.Sprintf("2026-12-%02d", 1+i%28))
		}
		d.Text, d.Original = d.Title+"的正文", ducha.FileInfo{Name: fmt.Sprintf("%03d.txt", i), ContentType: "text/plain"}
		d.Data = []byte(d.Text)
		if err := e.db.AddDocument(coord, d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// TestDocumentListExport: the export of the document list is every
// document the list selects, across its pages, in its order, with each
// document's number as text; a liaison's export is its list (documents are
// every role's to read) and no more.
func TestDocumentListExport(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents = e.db
	docs := addDocuments(t, e, 13)
	byTitle := map[string]*ducha.Document{}
	for _, d := range docs {
		byTitle[d.Title] = d
	}
	c := e.browser()
	c.login("coord")
	for _, q := range []string{"", "sort=date&order=asc", "sort=title&order=desc", "kind=work_plan&sort=date&order=desc",
		"q=" + url.QueryEscape("会议通知")} {
		listed := walkList(t, c, "/documents?per_page=4&"+q, documentTitles)
		resp, body := c.get("/documents/export.xlsx?page=3&per_page=2&" + q)
		x := readExport(t, resp.StatusCode, body)
		if got := x.column(t, "标题"); !slices.Equal(got, listed) || len(listed) < 4 {
			t.Errorf("%s: exported %v, listed %v", q, got, listed)
		}
		if q == "" && (len(listed) != 13 || x.Filter != "筛选：全部" || x.Count != "共13份") {
			t.Errorf("the whole list: %d, %q, %q", len(listed), x.Filter, x.Count)
		}
		if strings.HasPrefix(q, "kind") && (len(listed) != 7 || x.Filter != "筛选：文件类型：工作方案") {
			t.Errorf("%s: %d, %q", q, len(listed), x.Filter)
		}
		if strings.HasPrefix(q, "q=") && (len(listed) != 6 || x.Filter != "筛选：检索：“会议通知”") {
			t.Errorf("%s: %d, %q", q, len(listed), x.Filter)
		}
	}
	resp, body := c.get("/documents/export.xlsx?sort=uploaded_at&order=asc")
	x := readExport(t, resp.StatusCode, body)
	want := []string{"序号", "编号", "标题", "文件类型", "文件日期", "原件", "大小（字节）", "上传人", "上传时间"}
	if !slices.Equal(x.Header, want) || len(x.Rows) != 13 {
		t.Fatalf("export: %v, %d rows", x.Header, len(x.Rows))
	}
	for i, r := range x.Rows {
		d := docs[i]
		row := []string{strconv.FormatInt(d.ID, 10), d.Title, d.Kind.Label(), string(d.Date), d.Original.Name,
			strconv.FormatInt(d.Original.Size, 10), "coord", "2026-12-10 10:00"}
		if !slices.Equal(r[1:], row) {
			t.Errorf("row %d: %q, want %q", i+1, r[1:], row)
		}
		if !isText(x.cellType(t, i, "编号")) || isText(x.cellType(t, i, "大小（字节）")) {
			t.Errorf("row %d: the number is not text or the size is", i+1)
		}
	}

	// A liaison reads every document, and exports what it lists.
	l := e.browser()
	l.login("liaison_yq")
	listed := walkList(t, l, "/documents?per_page=5&sort=title", documentTitles)
	resp, body = l.get("/documents/export.xlsx?sort=title")
	if got := readExport(t, resp.StatusCode, body).column(t, "标题"); len(listed) != 13 || !slices.Equal(got, listed) {
		t.Errorf("liaison: exported %v, listed %v", got, listed)
	}
	_, page := l.get("/documents")
	mustHave(t, "liaison's list", mainOf(page), `id="documents-export"`)
	if resp, body := e.browser().get("/documents/export.xlsx"); resp.StatusCode == 200 || strings.Contains(body, docs[0].Title) {
		t.Errorf("anonymous export: %d", resp.StatusCode)
	}
	if resp, page := c.get("/documents/export.xlsx?kind=bogus"); resp.StatusCode != 400 || !strings.Contains(page, "文件类型“bogus”无效") {
		t.Errorf("export kind=bogus: %d", resp.StatusCode)
	}
}

// TestDocumentListColumns: the document list shows the columns chosen and
// the title, keeps the choice in its links, writes dates as 2026年12月5日,
// and answers a bad page size or sort as the case list does.
func TestDocumentListColumns(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents = e.db
	docs := addDocuments(t, e, 6)
	c := e.browser()
	c.login("coord")

	_, page := c.get("/documents")
	main := mainOf(page)
	mustHave(t, "all columns", main, `<th scope="col">文件类型</th>`, `>文件日期</a></th>`, `<th scope="col">原件</th>`,
		`>上传</a></th>`, `<td data-label="文件日期">2026年12月2日</td>`, `<td data-label="文件日期">2026年12月6日</td>`,
		`<input type="checkbox" name="cols" value="kind" checked>`,
		`<a href="/documents/export.xlsx?" class="export" id="documents-export" download>导出Excel（当前筛选结果）</a>`)
	mustLack(t, "all columns", main, ">2026-12-02<", ">2026-12-06<")

	_, page = c.get("/documents?cols=date&cols=uploaded&sort=date")
	main = mainOf(page)
	mustHave(t, "cols", main, `data-label="标题"`, `data-label="文件日期"`, `data-label="上传"`,
		`<input type="checkbox" name="cols" value="date" checked>`, `<input type="checkbox" name="cols" value="kind">`,
		`<a href="/documents?cols=date&amp;cols=uploaded&amp;order=desc&amp;sort=date">文件日期`,
		`href="/documents/export.xlsx?cols=date&amp;cols=uploaded&amp;sort=date"`)
	mustLack(t, "cols", main, `data-label="文件类型"`, `<th scope="col">文件类型</th>`, `data-label="原件"`)
	for _, q := range []string{"cols=bogus", "cols=" + url.QueryEscape("<i>,bogus") + "&zzz=1"} {
		_, page = c.get("/documents?" + q)
		main = mainOf(page)
		mustHave(t, q, main, `data-label="文件类型"`, `data-label="文件日期"`, `data-label="原件"`, `data-label="上传"`)
		mustLack(t, q, main, "bogus", "&lt;i&gt;", "zzz", "cols=")
	}
	_, page = c.get("/documents?cols=title")
	mustLack(t, "cols=title", mainOf(page), `data-label="文件类型"`, `data-label="文件日期"`)

	// The pager keeps the page size and the columns.
	_, page = c.get("/documents?per_page=4&cols=kind")
	mustHave(t, "pager", mainOf(page), "共6份文件", "第1页，共2页", `<a href="/documents?cols=kind&amp;page=2&amp;per_page=4" rel="next">`)

	for _, bad := range []struct{ query, msg string }{
		{"per_page=abc", "每页条数应为正整数"}, {"per_page=-5", "每页条数应为正整数"}, {"page=x", "页码应为正整数"},
		{"sort=size", "排序列“size”无效"}, {"order=sideways", "排序方向（order）应为asc或desc"},
	} {
		resp, page := c.get("/documents?" + bad.query)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`) || !strings.Contains(page, bad.msg) {
			t.Errorf("%s: %d", bad.query, resp.StatusCode)
		}
	}

	// One document's page writes its date the same way.
	_, page = c.get("/documents/" + strconv.FormatInt(docs[1].ID, 10))
	mustHave(t, "document page", mainOf(page), "<dt>文件日期</dt><dd>2026年12月2日</dd>")
}

// TestDocumentUploadDate: the upload form's date is a text input that
// takes a date as offices type it, 2026年12月7日 among them, whatever the
// browser's locale, and keeps what was typed with its message when it is
// no date.
func TestDocumentUploadDate(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents = e.db
	c := e.browser()
	c.login("coord")
	_, page := c.get("/documents")
	mustHave(t, "upload form", mainOf(page), `<input name="date" value="" placeholder="2026年12月7日" inputmode="numeric" autocomplete="off">`,
		"如2026年12月7日，也可输入20261207")
	mustLack(t, "upload form", mainOf(page), `type="date"`)

	for _, c2 := range []struct{ typed, want, shown string }{
		{"2026年12月7日", "2026-12-07", "2026年12月7日"},
		{"20261208", "2026-12-08", "2026年12月8日"},
		{"2026-12-09", "2026-12-09", "2026年12月9日"},
	} {
		resp, _ := c.postMultipart("/documents", "方案.txt", []byte("整改工作方案"+c2.typed), "kind", "work_plan", "title", "方案"+c2.typed, "date", c2.typed)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/documents/") {
			t.Fatalf("upload dated %s: %d", c2.typed, resp.StatusCode)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/documents/"), 10, 64)
		d, err := e.db.FindDocumentByID(system, id)
		if err != nil || string(d.Date) != c2.want {
			t.Errorf("%s: stored %q %v, want %s", c2.typed, d.Date, err, c2.want)
		}
		_, page := c.get(loc)
		mustHave(t, "document page "+c2.typed, mainOf(page), "<dd>"+c2.shown+"</dd>")
	}

	// No date: refused, the form open with what was typed and the message.
	resp, page := c.postMultipart("/documents", "纪要.txt", []byte("会议纪要正文"), "kind", "minutes", "title", "动员会纪要", "date", "2026年2月30日")
	main := mainOf(page)
	if resp.StatusCode != 400 {
		t.Fatalf("impossible date: %d", resp.StatusCode)
	}
	mustHave(t, "refused upload", main, `<details class="action" open id="upload">`,
		`<input name="date" value="2026年2月30日" placeholder="2026年12月7日" inputmode="numeric" autocomplete="off" aria-invalid="true">`,
		`<span class="field-error">文件日期“2026年2月30日”不是有效日期`, `<input name="title" value="动员会纪要" size="40">`,
		`<option value="minutes" selected>会议纪要</option>`)
	if _, total, err := e.db.FindDocuments(system, ducha.DocumentFilter{}); err != nil || total != 3 {
		t.Errorf("after the refused upload: %d documents %v", total, err)
	}
}

// TestListExportRoutePermissions pins the permission of the enterprise
// and document exports: the case export's.
func TestListExportRoutePermissions(t *testing.T) {
	got := map[string]ducha.Permission{}
	for _, r := range dhttp.NewServer().Routes() {
		got[r.Method+" "+r.Path] = r.Permission
	}
	for _, k := range []string{"GET /enterprises/export.xlsx", "GET /documents/export.xlsx"} {
		if p, ok := got[k]; !ok || p != got["GET /cases/export.xlsx"] || p != ducha.PermExport {
			t.Errorf("%s: permission %q (registered %v), want %q", k, p, ok, ducha.PermExport)
		}
	}
}
