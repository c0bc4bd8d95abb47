package http_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ducha"
	"ducha/excel"
	"ducha/sheets"
)

// TestLedgerImportPage: the coordinator imports the sample ledger from
// the page; a file with a wrong row is refused with its row and stores
// nothing; the ledger exported and imported again registers nothing
// twice; unit roles and
// readers are refused the page.
func TestLedgerImportPage(t *testing.T) {
	e := newImportEnv(t, 0, nil)
	e.srv.ExportLedger = func(ctx context.Context, f ducha.ProblemFilter, w io.Writer) error {
		return sheets.ExportProblems(ctx, e.db, f, w, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-10")
	}
	upload := func(b *browser, name string, data []byte) (*http.Response, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", e.ts.URL+"/problems/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return b.do(req)
	}
	sample, err := os.ReadFile(filepath.Join(samples, "ledger.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	// The sample ledger names the sample's units.
	uf, err := os.Open(filepath.Join(samples, "units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer uf.Close()
	units, err := sheets.ReadUnits(uf, "units.csv", excel.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.ImportUnits(system, units); err != nil {
		t.Fatal(err)
	}
	coord := e.browser()
	coord.login("coord")
	resp, page := coord.get("/problems/import")
	if resp.StatusCode != 200 || !strings.Contains(page, `<form method="post" action="/problems/import" enctype="multipart/form-data"`) ||
		!strings.Contains(page, `href="/problems/import"`) {
		t.Fatalf("the import page: %d\n%s", resp.StatusCode, mainOf(page))
	}
	bad := []byte("序号,问题来源,问题描述,行政区域,污染类型,责任单位,整改时限\n1,督察反馈,河道垃圾,永清镇,水,永清镇,2026-12-31\n2,督察反馈,砖厂扬尘,永清镇,大气,不存在的单位,2026-12-31\n")
	resp, page = upload(coord, "台账.csv", bad)
	if resp.StatusCode != 400 || !strings.Contains(page, "第3行") || !strings.Contains(page, "不存在的单位") {
		t.Fatalf("a wrong row: %d\n%s", resp.StatusCode, mainOf(page))
	}
	if _, n, _ := e.db.FindProblems(system, ducha.ProblemFilter{Limit: 1}); n != 5 { // the seed's five
		t.Fatalf("a refused file stored something: %d problems", n)
	}
	resp, page = upload(coord, "ledger.xlsx", sample)
	if resp.StatusCode != 200 || !strings.Contains(page, "导入完成：新增20条，更新0条。") {
		t.Fatalf("the sample: %d\n%s", resp.StatusCode, mainOf(page))
	}
	// The ledger exported and imported again: its rows carry their codes,
	// which update, never register twice.
	resp, export := coord.get("/api/v1/exports/ledger.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	resp, page = upload(coord, "导出.xlsx", []byte(export))
	if resp.StatusCode != 200 || !strings.Contains(page, "导入完成：新增0条") {
		t.Fatalf("the export again: %d\n%s", resp.StatusCode, mainOf(page))
	}
	for _, role := range []string{"liaison_yq", "head_yq", "jijian", "leader"} {
		b := e.browser()
		b.login(role)
		if resp, _ := b.get("/problems/import"); resp.StatusCode != 403 {
			t.Errorf("%s opens the import page: %d", role, resp.StatusCode)
		}
		if resp, _ := upload(b, "ledger.xlsx", sample); resp.StatusCode != 403 {
			t.Errorf("%s imports: %d", role, resp.StatusCode)
		}
	}
}
