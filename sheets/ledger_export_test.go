package sheets_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/excel"
	"ducha/sheets"
)

// exportProblems are two problems as an office writes them: one with long
// texts, a date deadline and a phone number in the note; one short, with
// a deadline in words and a bare phone number.
func exportProblems() []*ducha.Problem {
	long := strings.Repeat("城区建筑工地扬尘管控不到位，渣土车未密闭运输，群众反映强烈。", 5)
	return []*ducha.Problem{
		{Code: "QS-2026-0001", Source: "信访交办", Description: long, Area: "永清镇", Types: []string{"大气"},
			LeadUnit: "县城市管理综合执法局", CoopUnits: []string{"县生态环境局", "永清镇"}, Leader: "副县长段海燕", Person: "黄志强",
			Measures: "一是开展全面排查；二是制定整改方案；三是落实整改并建立长效机制，每周通报进展。", Target: "问题整改到位，群众满意，长效机制建立健全。",
			Deadline: "2026-12-31", DeadlineText: "2026-12-31", Mode: ducha.ModeTimeBound,
			Progress: "已完成排查，拆除违规设施三处，正在开展第二轮巡查，整改进度约百分之六十。", Status: ducha.StatusInProgress,
			Note: "联系电话13912345678"},
		{Code: "QS-2026-0002", Source: "自查发现", Description: "河道垃圾。", Area: "红堡镇", Types: []string{"水"},
			LeadUnit: "红堡镇", Person: "李四", Measures: "清理。", DeadlineText: "长期坚持", Mode: ducha.ModeLongTerm,
			Status: ducha.StatusInProgress, Note: "13912345678"},
	}
}

func TestLedgerExportSheet(t *testing.T) {
	ps := exportProblems()
	var buf bytes.Buffer
	if err := sheets.WriteLedger(&buf, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-20", ps); err != nil {
		t.Fatal(err)
	}
	s := openSheet(t, buf.Bytes())
	// Each column by its header: row 4 under a group, row 3 standing alone.
	col := map[string]int{}
	for j := range max(len(s.rows[2]), len(s.rows[3])) {
		h := ""
		if j < len(s.rows[3]) {
			h = s.rows[3][j]
		}
		if h == "" && j < len(s.rows[2]) {
			h = s.rows[2][j]
		}
		col[h] = j + 1
	}
	n := 0
	for _, g := range sheets.LedgerLayout("", "", "2026-12-20").Groups {
		n += len(g.Columns)
	}
	if len(col) != n {
		t.Fatalf("headers %v, want %d columns", col, n)
	}
	lastCol, _ := excelize.ColumnNumberToName(n)

	// Filter buttons on the header row, over the data.
	sheetXML := zipFile(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if m := regexp.MustCompile(`<autoFilter ref="([^"]+)"`).FindStringSubmatch(sheetXML); m == nil || strings.ReplaceAll(m[1], "$", "") != "A4:"+lastCol+"6" {
		t.Errorf("autofilter %q, want A4:%s6", m, lastCol)
	}
	found := false
	for _, d := range s.f.GetDefinedName() {
		found = found || d.Name == "_xlnm._FilterDatabase" && strings.Contains(strings.ReplaceAll(d.RefersTo, "$", ""), "A4:"+lastCol+"6")
	}
	if !found {
		t.Errorf("no _FilterDatabase name: %+v", s.f.GetDefinedName())
	}
	// Panes frozen below the header; the header repeated on printed pages.
	if p, err := s.f.GetPanes(s.sheet); err != nil || !p.Freeze || p.YSplit != 4 || p.XSplit != 0 || p.TopLeftCell != "A5" {
		t.Errorf("panes %+v (%v)", p, err)
	}
	titles := false
	for _, d := range s.f.GetDefinedName() {
		titles = titles || d.Name == "_xlnm.Print_Titles" && strings.HasSuffix(d.RefersTo, "$3:$4")
	}
	if !titles {
		t.Errorf("no print titles: %+v", s.f.GetDefinedName())
	}

	// Long texts wrap, and their row is tall enough for them.
	for _, h := range []string{"问题描述", "整改措施", "整改目标", "整改进展", "责任单位", "配合单位"} {
		if st := s.style(col[h], 5); st.Alignment == nil || !st.Alignment.WrapText {
			t.Errorf("%s does not wrap", h)
		}
	}
	name, _ := excelize.ColumnNumberToName(col["问题描述"])
	w, _ := s.f.GetColWidth(s.sheet, name)
	h5, _ := s.f.GetRowHeight(s.sheet, 5)
	h6, _ := s.f.GetRowHeight(s.sheet, 6)
	if need := lines(ps[0].Description, w, 11); need < 5 || h5 < float64(need)*15 {
		t.Errorf("row 5 is %.1f pt for %d lines of 问题描述 in width %.0f", h5, need, w)
	}
	if h6 >= h5 {
		t.Errorf("the short row (%.1f pt) is not lower than the long one (%.1f pt)", h6, h5)
	}
	// Widths that suit: a long unit name on one line, a date in full.
	widthOf := func(h string) float64 {
		name, _ := excelize.ColumnNumberToName(col[h])
		w, _ := s.f.GetColWidth(s.sheet, name)
		return w
	}
	if w := widthOf("责任单位"); w < 21 {
		t.Errorf("责任单位 width %.0f: 县城市管理综合执法局 does not fit", w)
	}
	if w := widthOf("整改时限"); w < 11 {
		t.Errorf("整改时限 width %.0f: a date shows as ###", w)
	}
	if w := widthOf("问题描述"); w < 30 {
		t.Errorf("问题描述 width %.0f", w)
	}

	// Codes and phone numbers are text; a date deadline is a date, one in
	// words stays text.
	for _, c := range []struct {
		header string
		row    int
		want   string
	}{{"问题编号", 5, "QS-2026-0001"}, {"备注", 6, "13912345678"}, {"备注", 5, "联系电话13912345678"}, {"整改时限", 6, "长期坚持"}} {
		cell := s.cell(col[c.header], c.row)
		typ, _ := s.f.GetCellType(s.sheet, cell)
		v, _ := s.f.GetCellValue(s.sheet, cell)
		if typ != excelize.CellTypeInlineString || v != c.want {
			t.Errorf("%s (%s) = %q of type %v, want text %q", cell, c.header, v, typ, c.want)
		}
	}
	if raw := s.number(col["整改时限"], 5); raw != "46387" {
		t.Errorf("deadline serial %s, want 46387", raw)
	}
	if st := s.style(col["整改时限"], 5); st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("deadline format %v", st.CustomNumFmt)
	}

	// It reads back as written.
	rows, err := sheets.ReadLedger(bytes.NewReader(buf.Bytes()), "export.xlsx", excel.Limits{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("read back: %d rows, %v", len(rows), err)
	}
	for i, r := range rows {
		got, want := r.Problem, ps[i]
		if got.Code != want.Code || got.Description != want.Description || got.LeadUnit != want.LeadUnit ||
			strings.Join(got.CoopUnits, "、") != strings.Join(want.CoopUnits, "、") || got.Measures != want.Measures ||
			got.Target != want.Target || got.Progress != want.Progress || got.Deadline != want.Deadline ||
			got.DeadlineText != want.DeadlineText || got.Mode != want.Mode || got.Status != want.Status || got.Note != want.Note {
			t.Errorf("row %d read back:\n got %+v\nwant %+v", r.Row, got, want)
		}
	}
}

// zipFile is one file of a zip archive, as text.
func zipFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("no %s in the workbook", name)
	return ""
}

// TestLedgerExportLatestEntry: the 整改进展 cell is the latest entry with
// its date; the text an imported ledger carried is written as it was.
func TestLedgerExportLatestEntry(t *testing.T) {
	ps := exportProblems()
	at := time.Date(2026, 12, 1, 16, 30, 0, 0, time.UTC) // 12-02 00:30 in the county
	ps[0].ProgressAt = &at
	var buf bytes.Buffer
	if err := sheets.WriteLedger(&buf, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-20", ps); err != nil {
		t.Fatal(err)
	}
	s := openSheet(t, buf.Bytes())
	var cells []string
	for _, row := range s.rows {
		for _, c := range row {
			if strings.Contains(c, "已完成排查") {
				cells = append(cells, c)
			}
		}
	}
	if len(cells) != 1 || cells[0] != "（2026年12月2日）"+ps[0].Progress {
		t.Fatalf("整改进展 cells %q", cells)
	}
	ps[0].ProgressAt = nil
	if got := ps[0].ProgressCell(); got != ps[0].Progress {
		t.Fatalf("an imported text: %q", got)
	}
}
