package sheets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/demo"
	"ducha/sheets"
	"ducha/store"
)

// distinctReport is a report whose figures all differ, so that a figure in
// the wrong column shows.
func distinctReport() *ducha.DailyReport {
	r := &ducha.DailyReport{
		AsOf: "2026-12-17",
		Cases: ducha.ReportCases{Batches: 11, Total: 151, Phone: 97, Letter: 49, WeChat: 5, Key: 9, Closed: 40, StageClosed: 54,
			Open: 57, Duplicates: 3, Substantiated: 81, BasicallySubstantiated: 12, PartlySubstantiated: 20, Unsubstantiated: 16},
		Measures: ducha.ReportMeasures{OrderedToRectify: 88, PenaltyCases: 46, FinesYuan: 25154271, CriminalCases: 18,
			AdministrativeDetention: 2, CriminalDetention: 3, Interviewed: 5, HeldAccountable: 8, Suspended: 4, ClosedDown: 6,
			ListedSupervision: 7},
		ByArea: []ducha.ReportArea{{Area: "永清镇", Total: 70, Closed: 21, StageClosed: 30, Open: 19},
			{Area: "草川铺镇", Total: 60, Closed: 17, StageClosed: 23, Open: 20}, {Area: "", Total: 21, Closed: 2, StageClosed: 1, Open: 18}},
		ByType: []ducha.ReportType{{Type: "大气", Count: 61}, {Type: "水", Count: 44}, {Type: "噪声", Count: 52}},
		Ledger: ducha.ReportLedger{Total: 37, Closed: 12, InProgress: 15, PendingVerification: 6, Overdue: 5,
			ByUnit: []ducha.ReportLedgerUnit{
				{Unit: "永清镇", Total: 13, Closed: 4, InProgress: 6, PendingVerification: 3, Overdue: 2},
				{Unit: "县城市管理综合执法局", Total: 11, Closed: 7, InProgress: 2, PendingVerification: 1, Overdue: 1},
				{Unit: "县生态环境局", Total: 9, Closed: 1, InProgress: 5, PendingVerification: 2, Overdue: 1},
			}},
	}
	r.Text = ducha.ReportText(r)
	return r
}

// reportJSON is the report as the API answers it: JSON numbers kept as
// written.
func reportJSON(t *testing.T, r *ducha.DailyReport) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sheetReader reads one sheet of a written workbook.
type sheetReader struct {
	t     *testing.T
	f     *excelize.File
	sheet string
	rows  [][]string
}

func openSheet(t *testing.T, data []byte) *sheetReader {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return &sheetReader{t: t, f: f, sheet: sheet, rows: rows}
}

// find returns the row (1-based) whose non-empty cells are exactly cells,
// at or below from, and the column of each.
func (s *sheetReader) find(from int, cells ...string) (int, []int) {
	s.t.Helper()
	for i := from - 1; i < len(s.rows); i++ {
		var got []string
		var cols []int
		for j, v := range s.rows[i] {
			if v != "" {
				got, cols = append(got, v), append(cols, j+1)
			}
		}
		if strings.Join(got, "|") == strings.Join(cells, "|") {
			return i + 1, cols
		}
	}
	s.t.Fatalf("no row %q from row %d in\n%s", cells, from, s.dump())
	return 0, nil
}

func (s *sheetReader) dump() string {
	var b strings.Builder
	for i, r := range s.rows {
		fmt.Fprintf(&b, "%3d %q\n", i+1, r)
	}
	return b.String()
}

func (s *sheetReader) cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// number returns the raw value of a cell that must be a number cell.
func (s *sheetReader) number(col, row int) string {
	s.t.Helper()
	c := s.cell(col, row)
	typ, err := s.f.GetCellType(s.sheet, c)
	if err != nil {
		s.t.Fatal(err)
	}
	raw, _ := s.f.GetCellValue(s.sheet, c, excelize.Options{RawCellValue: true})
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || raw == "" {
		s.t.Errorf("%s is %q of type %v, want a number", c, raw, typ)
	}
	return raw
}

func (s *sheetReader) style(col, row int) *excelize.Style {
	s.t.Helper()
	id, err := s.f.GetCellStyle(s.sheet, s.cell(col, row))
	if err != nil {
		s.t.Fatal(err)
	}
	st, err := s.f.GetStyle(id)
	if err != nil {
		s.t.Fatal(err)
	}
	return st
}

// figures checks a table of one row of figures found at or below from: its
// header (bold, bordered) and, below it, number cells equal to want (JSON
// numbers). It returns the figures' row and columns.
func (s *sheetReader) figures(from int, headers []string, want ...any) (int, []int) {
	s.t.Helper()
	row, cols := s.find(from, headers...)
	for j, col := range cols {
		if st := s.style(col, row); st.Font == nil || !st.Font.Bold || len(st.Border) != 4 {
			s.t.Errorf("header %q is not bold and bordered: %+v", headers[j], st)
		}
		if got := s.number(col, row+1); got != fmt.Sprint(want[j]) {
			s.t.Errorf("%s (%s): %s, want %v", headers[j], s.cell(col, row+1), got, want[j])
		}
		if st := s.style(col, row+1); len(st.Border) != 4 {
			s.t.Errorf("%s is not bordered", s.cell(col, row+1))
		}
	}
	return row + 1, cols
}

// lines is the test's own estimate of the lines text needs in a merged
// cell width units wide at size points.
func lines(text string, width, size float64) int {
	units := 0.0
	for _, r := range text {
		if r < 0x1100 {
			units += size / 11
		} else {
			units += 2 * size / 11
		}
	}
	return int(math.Ceil(units / width))
}

func TestDailyReportXLSX(t *testing.T) {
	r := distinctReport()
	j := reportJSON(t, r)
	var buf bytes.Buffer
	if err := sheets.WriteDailyReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	s := openSheet(t, buf.Bytes())
	if s.sheet != "日报" {
		t.Errorf("sheet %q", s.sheet)
	}
	if v := s.rows[0][0]; v != "中央生态环境保护督察信访件办理情况日报（截至2026年12月17日）" {
		t.Errorf("title %q", v)
	}

	// The widest row is the grid; the title and the paragraph span it.
	grid := 0
	for _, row := range s.rows {
		grid = max(grid, len(row))
	}
	last, _ := excelize.ColumnNumberToName(grid)
	merges, err := s.f.GetMergeCells(s.sheet)
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]string{}
	for _, m := range merges {
		merged[m.GetStartAxis()] = m.GetEndAxis()
	}
	if merged["A1"] != last+"1" || merged["A2"] != last+"2" {
		t.Errorf("title and paragraph merged to %q and %q, want %s1 and %s2", merged["A1"], merged["A2"], last, last)
	}
	// The paragraph: all of it, in one wrapped cell tall enough for it.
	if v, _ := s.f.GetCellValue(s.sheet, "A2"); v != r.Text || !strings.Contains(v, "挂牌督办7家。") {
		t.Errorf("paragraph %q, want %q", v, r.Text)
	}
	if st := s.style(1, 2); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("paragraph does not wrap: %+v", st.Alignment)
	}
	width := 0.0
	for col := 1; col <= grid; col++ {
		name, _ := excelize.ColumnNumberToName(col)
		w, _ := s.f.GetColWidth(s.sheet, name)
		width += w
	}
	st := s.style(1, 2)
	h, _ := s.f.GetRowHeight(s.sheet, 2)
	if need := lines(r.Text, width, st.Font.Size); need < 3 || h < float64(need)*15*st.Font.Size/11 {
		t.Errorf("paragraph row %.1f pt high for %d lines of %.0f pt in %.0f units", h, need, st.Font.Size, width)
	}

	// Cases and measures: every figure a number equal to the JSON's.
	c, m, l := j["cases"].(map[string]any), j["measures"].(map[string]any), j["ledger"].(map[string]any)
	// (微信 is not in the JSON: the channels beyond 来电 and 来信 show when
	// cases came by them, as in the paragraph.)
	row, _ := s.figures(1, []string{"批次", "总数", "来电", "来信", "微信", "重点关注", "重复件"}, c["batches"], c["total"], c["phone"],
		c["letter"], r.Cases.WeChat, c["key"], c["duplicates"])
	row, _ = s.figures(row, []string{"已办结", "阶段性办结", "未办结", "属实", "基本属实", "部分属实", "不属实"}, c["closed"], c["stage_closed"],
		c["open"], c["substantiated"], c["basically_substantiated"], c["partly_substantiated"], c["unsubstantiated"])
	row, cols := s.figures(row, []string{"责令整改\n（家）", "立案处罚\n（家）", "罚款\n（元）", "立案侦查\n（件）", "行政拘留\n（人）", "刑事拘留\n（人）",
		"约谈\n（人）", "问责\n（人）"}, m["ordered_to_rectify"], m["penalty_cases"], m["fines_yuan"], m["criminal_cases"],
		m["administrative_detention"], m["criminal_detention"], m["interviewed"], m["held_accountable"])
	if fines := s.style(cols[2], row); fines.NumFmt != 2 && (fines.CustomNumFmt == nil || *fines.CustomNumFmt != "0.00") {
		t.Errorf("fines cell format %d %v, want 0.00", fines.NumFmt, fines.CustomNumFmt)
	}
	if v, _ := s.f.GetCellValue(s.sheet, s.cell(cols[2], row)); v != "251542.71" {
		t.Errorf("fines shown as %q", v)
	}
	row, _ = s.figures(row, []string{"停产整治\n（家）", "关停取缔\n（家）", "挂牌督办\n（家）"}, m["suspended"], m["closed_down"], m["listed_supervision"])

	// By area: one row per area in the JSON's order, then 合计 equal to the
	// case totals.
	row, cols = s.find(row, "行政区域", "合计", "已办结", "阶段性办结", "未办结")
	if merged[s.cell(cols[0], row)] != s.cell(cols[1]-1, row) {
		t.Errorf("行政区域 header not merged over its columns: %q", merged[s.cell(cols[0], row)])
	}
	for _, a := range j["by_area"].([]any) {
		a := a.(map[string]any)
		row++
		name := a["area"].(string)
		if name == "" {
			name = "（未填写）"
		}
		if got := s.rows[row-1][cols[0]-1]; got != name {
			t.Errorf("area row %d: %q, want %q", row, got, name)
		}
		for k, key := range []string{"total", "closed", "stage_closed", "open"} {
			if got := s.number(cols[k+1], row); got != fmt.Sprint(a[key]) {
				t.Errorf("%s %s: %s, want %v", name, key, got, a[key])
			}
		}
	}
	row++
	if got := s.rows[row-1][cols[0]-1]; got != "合计" {
		t.Fatalf("row %d after the areas: %q, want 合计", row, got)
	}
	for k, key := range []string{"total", "closed", "stage_closed", "open"} {
		if got := s.number(cols[k+1], row); got != fmt.Sprint(c[key]) {
			t.Errorf("areas' 合计 %s: %s, want the cases' %v", key, got, c[key])
		}
	}
	if st := s.style(cols[1], row); st.Font == nil || !st.Font.Bold {
		t.Errorf("合计 row is not bold")
	}

	// By type, with its note.
	row, cols = s.find(row, "污染类型", "件数")
	for _, ty := range j["by_type"].([]any) {
		ty := ty.(map[string]any)
		row++
		if got, n := s.rows[row-1][cols[0]-1], s.number(cols[1], row); got != ty["type"] || n != fmt.Sprint(ty["count"]) {
			t.Errorf("type row %d: %s %s, want %v %v", row, got, n, ty["type"], ty["count"])
		}
	}
	if note := s.rows[row][0]; !strings.Contains(note, "多个污染类型") {
		t.Errorf("no note under the types: %q", note)
	}

	// The ledger, and by unit: one row per unit, the problems no unit
	// leads, then 合计 equal to the ledger's totals.
	row, _ = s.figures(row, []string{"总数", "已销号", "整改中", "待验收", "逾期"}, l["total"], l["closed"], l["in_progress"],
		l["pending_verification"], l["overdue"])
	row, cols = s.find(row, "责任单位", "总数", "已销号", "整改中", "待验收", "逾期")
	keys := []string{"total", "closed", "in_progress", "pending_verification", "overdue"}
	byUnit := l["by_unit"].([]any)
	byUnit = append(byUnit, map[string]any{"unit": "（未明确责任单位）", "total": json.Number("4"), "closed": json.Number("0"),
		"in_progress": json.Number("2"), "pending_verification": json.Number("0"), "overdue": json.Number("1")})
	byUnit = append(byUnit, map[string]any{"unit": "合计", "total": l["total"], "closed": l["closed"], "in_progress": l["in_progress"],
		"pending_verification": l["pending_verification"], "overdue": l["overdue"]})
	for _, u := range byUnit {
		u := u.(map[string]any)
		row++
		if got := s.rows[row-1][cols[0]-1]; got != u["unit"] {
			t.Errorf("unit row %d: %q, want %q", row, got, u["unit"])
		}
		for k, key := range keys {
			if got := s.number(cols[k+1], row); got != fmt.Sprint(u[key]) {
				t.Errorf("%s %s: %s, want %v", u["unit"], key, got, u[key])
			}
		}
	}

	// No figure anywhere is text.
	for i, cells := range s.rows {
		for k, v := range cells {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				continue
			}
			if typ, _ := s.f.GetCellType(s.sheet, s.cell(k+1, i+1)); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				t.Errorf("%s holds %q as text", s.cell(k+1, i+1), v)
			}
		}
	}
	// A4 portrait, one page wide.
	pl, err := s.f.GetPageLayout(s.sheet)
	if err != nil || pl.Orientation == nil || *pl.Orientation != "portrait" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v (%v)", pl, err)
	}
}

// TestDailyReportXLSXNoUnits: with every problem led by a unit there is no
// line for the unassigned, and with none at all the table is its 合计.
func TestDailyReportXLSXNoUnits(t *testing.T) {
	r := distinctReport()
	r.Ledger = ducha.ReportLedger{ByUnit: []ducha.ReportLedgerUnit{}}
	var buf bytes.Buffer
	if err := sheets.WriteDailyReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	s := openSheet(t, buf.Bytes())
	row, cols := s.find(1, "责任单位", "总数", "已销号", "整改中", "待验收", "逾期")
	if got := s.rows[row][cols[0]-1]; got != "合计" || s.number(cols[1], row+1) != "0" {
		t.Errorf("empty ledger by unit: %q", s.rows[row])
	}
	if len(s.rows) > row+2 && strings.Join(s.rows[row+1], "") != "" && !strings.HasPrefix(s.rows[row+1][0], "注") {
		t.Errorf("rows after 合计: %q", s.rows[row+1:])
	}
}

// TestDailyReportXLSXChannels: with cases by every channel the figures
// run over the grid and go on in a second table.
func TestDailyReportXLSXChannels(t *testing.T) {
	r := distinctReport()
	r.Cases.Online, r.Cases.Visit, r.Cases.Other = 1, 2, 3
	var buf bytes.Buffer
	if err := sheets.WriteDailyReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	s := openSheet(t, buf.Bytes())
	row, _ := s.figures(1, []string{"批次", "总数", "来电", "来信", "微信", "网络", "来访", "其他"}, 11, 151, 97, 49, 5, 1, 2, 3)
	s.figures(row, []string{"重点关注", "重复件"}, 9, 3)
}

// TestRenderSamples writes a daily report and a ledger export of generated
// county data to $DUCHA_SAMPLES (e.g. /tmp), to look at them.
func TestRenderSamples(t *testing.T) {
	dir := os.Getenv("DUCHA_SAMPLES")
	if dir == "" {
		t.Skip("set DUCHA_SAMPLES to a folder to render the sample files")
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	if _, err := demo.Fill(ctx, db, demo.Options{Problems: 60, Workflow: 40, CaseDays: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.FillCases(ctx, db, demo.CaseOptions{Cases: 150, Days: 10}); err != nil {
		t.Fatal(err)
	}
	r, err := db.DailyReport(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var rep, ledger bytes.Buffer
	if err := sheets.WriteDailyReport(&rep, r); err != nil {
		t.Fatal(err)
	}
	if err := sheets.ExportLedger(ctx, db, &ledger, sheets.LedgerTitle, sheets.LedgerOrg, r.AsOf); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"report-sample.xlsx": rep.Bytes(), "ledger-sample.xlsx": ledger.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("as of %s: %d cases, %d problems, %d lead units", r.AsOf, r.Cases.Total, r.Ledger.Total, len(r.Ledger.ByUnit))
}
