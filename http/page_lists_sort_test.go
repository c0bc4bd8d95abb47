package http_test

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ducha"
)

// TestEnterpriseListSortAndFilter: the enterprise list filters by industry,
// repeat offenders and fines with dropdowns, sorts by each counted column
// and the name both ways from its headers, and refuses a sort it does not
// know, naming the field.
func TestEnterpriseListSortAndFilter(t *testing.T) {
	e := newEnterpriseEnv(t)
	b := e.browser()
	b.login("coord")
	names := func(page string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<td data-label="企业名称"><a href="/enterprises/\d+">([^<]+)</a>`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}
	byName := []string{brickName, farmName}
	slices.Sort(byName) // by bytes, as the store sorts names
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{brickName, farmName}},                     // most cases first
		{"sort=cases&order=asc", []string{farmName, brickName}}, // fewest first
		{"sort=fines&order=desc", []string{brickName, farmName}},
		{"sort=fines&order=asc", []string{farmName, brickName}},
		{"sort=name&order=asc", byName},
		{"sort=name&order=desc", []string{byName[1], byName[0]}},
		{"repeat=1", []string{brickName}},
		{"fined=1", []string{brickName}},
		{"industry=" + url.QueryEscape("矿山"), nil},
	} {
		resp, page := b.get("/enterprises?" + c.query)
		if got := names(page); resp.StatusCode != 200 || !slices.Equal(got, c.want) {
			t.Errorf("%s: %d %v, want %v", c.query, resp.StatusCode, got, c.want)
		}
	}
	_, page := b.get("/enterprises?sort=fines&order=desc&repeat=1")
	if !strings.Contains(page, `<th scope="col" aria-sort="descending"><a href="/enterprises?order=asc&amp;repeat=1&amp;sort=fines">罚款合计（元） <span aria-hidden="true">▼</span></a></th>`) ||
		!strings.Contains(page, `<option value="1" selected>是</option>`) || !strings.Contains(page, `<input type="hidden" name="sort" value="fines">`) {
		t.Errorf("sorted header or kept filter: %s", page)
	}
	for _, bad := range []string{"sort=" + url.QueryEscape("fines; DROP TABLE enterprises"), "order=sideways", "industry=" + url.QueryEscape("化工")} {
		resp, page := b.get("/enterprises?" + bad)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`) {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	if got := names(func() string { _, p := b.get("/enterprises"); return p }()); len(got) != 2 {
		t.Errorf("after the refused queries: %v", got)
	}
}

// TestDocumentListSort: the document list sorts by title, date (an
// undated document last either way) and upload both ways from its
// headers, keeps the kind and page size, and refuses an unknown sort.
func TestDocumentListSort(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents, e.srv.Requests = e.db, e.db
	coord := ducha.NewContextWithUser(t.Context(), e.users["coordinator"])
	for _, d := range []*ducha.Document{
		{Kind: ducha.DocWorkPlan, Title: "乙·整改工作方案", Date: "2026-12-05"},
		{Kind: ducha.DocNotice, Title: "甲·会议通知"},
		{Kind: ducha.DocWorkPlan, Title: "丙·专项方案", Date: "2026-11-30"},
	} {
		d.Text, d.Original = d.Title+"的正文", ducha.FileInfo{Name: "doc.txt", ContentType: "text/plain"}
		d.Data = []byte(d.Text)
		if err := e.db.AddDocument(coord, d); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	b.login("coord")
	titles := func(query string) []string {
		t.Helper()
		resp, page := b.get("/documents?" + query)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", query, resp.StatusCode)
		}
		var out []string
		for _, m := range regexp.MustCompile(`<td data-label="标题"><a href="/documents/\d+">([^<]+)</a>`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}
	a, j, c := "乙·整改工作方案", "甲·会议通知", "丙·专项方案"
	byBytes := []string{a, j, c}
	slices.Sort(byBytes)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{c, j, a}},
		{"sort=uploaded_at&order=asc", []string{a, j, c}},
		{"sort=date&order=asc", []string{c, a, j}},
		{"sort=date&order=desc", []string{a, c, j}},
		{"sort=title&order=asc", byBytes},
		{"sort=title&order=desc", []string{byBytes[2], byBytes[1], byBytes[0]}},
		{"sort=date&order=asc&kind=work_plan", []string{c, a}},
		{"sort=date&order=asc&per_page=1&page=2", []string{a}},
	} {
		if got := titles(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	_, page := b.get("/documents?sort=date&kind=work_plan")
	if !strings.Contains(page, `aria-sort="ascending"><a href="/documents?kind=work_plan&amp;order=desc&amp;sort=date">文件日期`) ||
		!strings.Contains(page, `<table class="ledger documents cards">`) {
		t.Errorf("sorted date header: %s", page)
	}
	for _, bad := range []string{"sort=d.id", "sort=title&order=" + url.QueryEscape("asc; --")} {
		if resp, page := b.get("/documents?" + bad); resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">`) {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
}
