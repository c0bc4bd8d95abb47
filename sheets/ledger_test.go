package sheets_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/excel"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

const samples = "../../shared/samples"

func importUnits(t *testing.T, db *store.DB) {
	t.Helper()
	f, err := os.Open(filepath.Join(samples, "units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units, err := sheets.ReadUnits(f, "units.csv", excel.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	created, _, err := db.ImportUnits(storetest.System(), units)
	if err != nil || created != 33 {
		t.Fatalf("units: created %d, %v", created, err)
	}
}

func readLedgerFile(t *testing.T, path string) ([]ducha.LedgerRow, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return sheets.ReadLedger(f, filepath.Base(path), excel.Limits{})
}

func allProblems(t *testing.T, db *store.DB) []*ducha.Problem {
	t.Helper()
	ps, _, err := db.FindProblems(storetest.System(), ducha.ProblemFilter{Ascending: true})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestSampleLedgerImportAndRoundTrip(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		importUnits(t, db)
		rows, err := readLedgerFile(t, filepath.Join(samples, "ledger.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportLedger(storetest.System(), rows)
		if err != nil || res.Created != 20 {
			t.Fatalf("import: %+v %v", res, err)
		}
		ps := allProblems(t, db)
		if len(ps) != 20 {
			t.Fatalf("%d problems", len(ps))
		}
		byRow := map[int]*ducha.Problem{}
		for i, p := range ps {
			byRow[i+5] = p // data starts on Excel row 5
		}
		first := byRow[5]
		if first.Description != "城区建筑工地扬尘管控不到位，渣土车未密闭运输。" ||
			first.Original["description"] != "城區(qū)建筑工地揚塵管控不到位，渣土車未密閉運輸。" {
			t.Fatalf("row 5 description %q (original %q)", first.Description, first.Original["description"])
		}
		if first.LeadUnit != "县生态环境局" || first.Original["lead_unit"] != "縣生態(tài)環(huán)境局" {
			t.Fatalf("row 5 lead unit %q (original %q)", first.LeadUnit, first.Original["lead_unit"])
		}
		if strings.Join(first.CoopUnits, "、") != "县工业和信息化局、陇东乡" || first.Status != ducha.StatusPendingVerification {
			t.Fatalf("row 5 coop %v status %q", first.CoopUnits, first.Status)
		}
		deadlines := map[int]ducha.Date{5: "2026-12-31", 6: "2026-12-31", 7: "2027-06-30", 8: "2027-06-30", 9: "2026-12-07",
			10: "", 11: "", 12: "2027-03-31", 13: "2026-12-31", 14: "2027-12-31"}
		for row, want := range deadlines {
			if got := byRow[row].Deadline; got != want {
				t.Errorf("row %d deadline %q (written %q), want %q", row, got, byRow[row].DeadlineText, want)
			}
		}
		if byRow[10].Mode != ducha.ModeLongTerm || byRow[10].DeadlineText != "长期坚持" || byRow[11].Mode != ducha.ModeImmediate {
			t.Fatalf("word deadlines: %q %q %q", byRow[10].Mode, byRow[10].DeadlineText, byRow[11].Mode)
		}
		if byRow[12].Original["deadline"] != "２０２７年３月３１日" {
			t.Fatalf("full-width original kept: %q", byRow[12].Original["deadline"])
		}
		if strings.Join(byRow[11].Types, ",") != "水,土壤" {
			t.Fatalf("row 11 types %v", byRow[11].Types)
		}
		st, _ := db.CountProblems(storetest.System(), ducha.ProblemFilter{})
		if st.Registered != 4 || st.InProgress != 7 || st.PendingVerification != 5 || st.Closed != 4 {
			t.Fatalf("statuses %+v", st)
		}

		// Export, then read the export back: the same ledger.
		var buf bytes.Buffer
		if err := sheets.ExportLedger(storetest.System(), db, &buf, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-20"); err != nil {
			t.Fatal(err)
		}
		again, err := sheets.ReadLedger(bytes.NewReader(buf.Bytes()), "export.xlsx", excel.Limits{})
		if err != nil {
			t.Fatalf("reading the export: %v", err)
		}
		if len(again) != 20 {
			t.Fatalf("export has %d rows", len(again))
		}
		for i, r := range again {
			want, got := ps[i], r.Problem
			if got.Code != want.Code || got.Description != want.Description || got.Source != want.Source ||
				got.Area != want.Area || strings.Join(got.Types, ",") != strings.Join(want.Types, ",") ||
				got.TypeDetail != want.TypeDetail || got.LeadUnit != want.LeadUnit ||
				strings.Join(got.CoopUnits, ",") != strings.Join(want.CoopUnits, ",") || got.Leader != want.Leader ||
				got.Person != want.Person || got.Measures != want.Measures || got.Target != want.Target ||
				got.Deadline != want.Deadline || got.Mode != want.Mode || got.Progress != want.Progress ||
				got.Status != want.Status || got.Note != want.Note {
				t.Fatalf("row %d differs after the round trip:\n got %+v\nwant %+v", r.Row, got, want)
			}
		}
		// The exported file has real date cells and the title and as-of lines.
		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheet := x.GetSheetName(0)
		if v, _ := x.GetCellValue(sheet, "A1"); v != sheets.LedgerTitle {
			t.Fatalf("title %q", v)
		}
		if rows, _ := x.GetRows(sheet); len(rows) < 2 || !strings.Contains(strings.Join(rows[1], "|"), "|截至2026年12月20日") {
			t.Fatalf("second row %q, want the as-of date in its own cell", rows[1])
		}
		if typ, _ := x.GetCellType(sheet, "L5"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Fatalf("deadline cell type %v, want a date number", typ)
		}
		raw, _ := x.GetCellValue(sheet, "L5", excelize.Options{RawCellValue: true})
		if raw != "46387" {
			t.Fatalf("L5 raw %q, want the serial date 46387", raw)
		}
		// Importing the export again changes nothing: codes match.
		res, err = db.ImportLedger(storetest.System(), again)
		if err != nil || res.Created != 0 || res.Updated != 0 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		// A file that moves a status (an old export, say) is refused with
		// its row; nothing changes.
		again[3].Problem.Status = ducha.StatusClosed
		before, _ := db.DataVersion(context.Background())
		_, err = db.ImportLedger(storetest.System(), again)
		if e, ok := err.(*ducha.Error); !ok || e.Row != again[3].Row || !strings.Contains(e.Message, "状态只能通过办理流程变更") {
			t.Fatalf("status moved by a file: %v", err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Fatalf("a refused import wrote: %d → %d", before, after)
		}
	})
}

// brokenLedger copies the sample with one cell changed.
func brokenLedger(t *testing.T, cell, value string) string {
	t.Helper()
	x, err := excelize.OpenFile(filepath.Join(samples, "ledger.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellValue("Sheet1", cell, value); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "broken.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBrokenLedgersChangeNothing(t *testing.T) {
	cases := []struct {
		name, cell, value string
		row               int
		message           string
	}{
		{"impossible date", "L9", "2026年13月1日", 9, "“整改时限”列：无法识别的日期“2026年13月1日”"},
		{"unknown date words", "L12", "尽快", 12, "“整改时限”列"},
		{"unknown unit", "F7", "县环保局", 7, "“责任单位”列：单位“县环保局”不存在"},
		{"unknown coop unit", "G20", "县工业和信息化局、火星镇", 20, "“配合单位”列：单位“火星镇”不存在"},
		{"unknown status", "O15", "差不多了", 15, "“状态”列"},
		{"empty description", "C22", "", 22, "“问题描述”列：问题描述不能为空"},
		{"unknown source", "B6", "网上看到", 6, "“问题来源”列"},
		{"unknown mode", "M8", "慢慢整改", 8, "“整改类型”列"},
	}
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		importUnits(t, db)
		_, before, _ := db.VerifyChain(storetest.System())
		for _, c := range cases {
			path := brokenLedger(t, c.cell, c.value)
			rows, err := readLedgerFile(t, path)
			if err == nil {
				_, err = db.ImportLedger(storetest.System(), rows)
			}
			e, ok := err.(*ducha.Error)
			if !ok {
				t.Fatalf("%s: error %v (%T), want a *ducha.Error", c.name, err, err)
			}
			if e.Row != c.row || !strings.Contains(e.Message, c.message) || e.Code != ducha.EINVALID {
				t.Fatalf("%s: row %d message %q, want row %d containing %q", c.name, e.Row, e.Message, c.row, c.message)
			}
			if !strings.HasPrefix(e.Error(), "第") {
				t.Fatalf("%s: %q does not lead with the row", c.name, e.Error())
			}
		}
		if n := len(allProblems(t, db)); n != 0 {
			t.Fatalf("%d problems after failed imports", n)
		}
		if _, after, _ := db.VerifyChain(storetest.System()); after != before {
			t.Fatalf("events %d → %d after failed imports", before, after)
		}
	})
}

func TestLedgerMissingColumn(t *testing.T) {
	x, err := excelize.OpenFile(filepath.Join(samples, "ledger.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	x.SetCellValue("Sheet1", "C3", "情况")
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err = sheets.ReadLedger(&buf, "x.xlsx", excel.Limits{})
	if err == nil || !strings.Contains(err.Error(), "问题描述") {
		t.Fatalf("missing column: %v", err)
	}
}

func TestUnitsFile(t *testing.T) {
	bad := "名称,类型,区划代码\n永清镇,乡镇,1\n红堡镇,星球,2\n"
	_, err := sheets.ReadUnits(strings.NewReader(bad), "u.csv", excel.Limits{})
	if e, ok := err.(*ducha.Error); !ok || e.Row != 3 || !strings.Contains(e.Message, "星球") {
		t.Fatalf("bad kind: %v", err)
	}
	dup := "名称,类型\n永清镇,乡镇\n永清镇,乡镇\n"
	_, err = sheets.ReadUnits(strings.NewReader(dup), "u.csv", excel.Limits{})
	if e, ok := err.(*ducha.Error); !ok || e.Row != 3 || !strings.Contains(e.Message, "第2行") {
		t.Fatalf("duplicate: %v", err)
	}
}
