package excel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func ledgerLayout() Layout {
	text := func(h string, w float64) OutColumn { return OutColumn{Header: h, Width: w} }
	return Layout{
		Title: "清水县中央生态环境保护督察反馈问题整改台账",
		Left:  "填报单位：县保障中央环境保护督察协调联络组办公室",
		Right: "截至2026年12月20日",
		Sheet: "整改台账",
		Groups: []Group{
			{Columns: []OutColumn{{Header: "序号", Width: 6, Kind: KindInt}, text("问题来源", 10),
				text("问题描述", 40), text("行政区域", 10), text("污染类型", 10)}},
			{Name: "整改责任", Columns: []OutColumn{text("责任单位", 20), text("配合单位", 24),
				text("责任领导", 12), text("责任人", 10)}},
			{Name: "整改要求", Columns: []OutColumn{text("整改措施", 40), text("整改目标", 24),
				{Header: "整改时限", Width: 14, Kind: KindDate}}},
			{Columns: []OutColumn{text("整改类型", 10), text("整改进展", 30), text("状态", 8), text("备注", 0)}},
		},
	}
}

// ledgerRows returns rows for ledgerLayout and the text Read should give
// back for each value.
func ledgerRows(n int) ([][]any, [][]string) {
	shanghai := time.FixedZone("CST", 8*3600)
	var rows [][]any
	var want [][]string
	for i := 0; i < n; i++ {
		var deadline any = time.Date(2026, 12, 31, 0, 0, 0, 0, shanghai)
		wantDeadline := "2026-12-31"
		switch i % 4 {
		case 1:
			deadline, wantDeadline = "长期坚持", "长期坚持"
		case 2:
			deadline, wantDeadline = "2027年6月底前", "2027年6月底前"
		case 3:
			deadline, wantDeadline = time.Date(2027, 3, 31+i%2, 0, 0, 0, 0, time.UTC), "2027-03-31"
			if i%2 == 1 {
				wantDeadline = "2027-04-01"
			}
		}
		var note any = "19898053976"
		wantNote := "19898053976"
		switch i % 3 {
		case 1:
			note, wantNote = int64(620521100000), "620521100000"
		case 2:
			note, wantNote = nil, ""
		}
		row := []any{i + 1, "信访交办", fmt.Sprintf("问题描述%d：城區(qū)揚塵\n管控不到位", i+1), "陇东乡", "固废",
			"縣生態(tài)環(huán)境局", "县工业和信息化局、陇东乡", "副县长段海燕", "黄志强",
			"一是开展排查；二是制定方案。", "问题整改到位，群众满意。", deadline,
			"限时整改", "=1+1", "待验收", note}
		rows = append(rows, row)
		w := make([]string, len(row))
		for j, v := range row {
			w[j] = fmt.Sprint(v)
		}
		w[11], w[15] = wantDeadline, wantNote
		want = append(want, w)
	}
	return rows, want
}

func TestWriteReadRoundTrip(t *testing.T) {
	rows, want := ledgerRows(9)
	var buf bytes.Buffer
	if err := Write(&buf, ledgerLayout(), rows); err != nil {
		t.Fatal(err)
	}
	spec := ledgerSpec()
	spec.Columns = append(spec.Columns, Column{Key: "备注", Names: []string{"备注"}})
	tab, err := Read(bytes.NewReader(buf.Bytes()), "out.xlsx", spec)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "sheet", tab.Sheet, "整改台账")
	assertEqual(t, "title", tab.Title, []string{
		"清水县中央生态环境保护督察反馈问题整改台账",
		"填报单位：县保障中央环境保护督察协调联络组办公室",
		"截至2026年12月20日",
	})
	assertEqual(t, "header row", tab.HeaderRow, 3)
	assertEqual(t, "unknown", len(tab.Unknown), 0)
	assertEqual(t, "rows", rowNumbers(tab), seq(5, 13))
	keys := []string{"序号", "问题来源", "问题描述", "行政区域", "污染类型", "责任单位", "配合单位",
		"责任领导", "责任人", "整改措施", "整改目标", "整改时限", "整改类型", "整改进展", "状态", "备注"}
	for j, k := range keys {
		assertEqual(t, "column "+k, tab.Columns[k], j)
	}
	for i, rec := range tab.Records {
		for j, k := range keys {
			if got := rec.Values[k]; got != want[i][j] {
				t.Errorf("row %d %s: got %q, want %q", rec.Row, k, got, want[i][j])
			}
		}
	}
}

func TestWriteLayout(t *testing.T) {
	rows, _ := ledgerRows(3)
	var buf bytes.Buffer
	if err := Write(&buf, ledgerLayout(), rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "整改台账"
	mc, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	var merges []string
	for _, m := range mc {
		merges = append(merges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	sort.Strings(merges)
	assertEqual(t, "merges", strings.Join(merges, " "),
		"A1:P1 A2:H2 A3:A4 B3:B4 C3:C4 D3:D4 E3:E4 F3:I3 I2:P2 J3:L3 M3:M4 N3:N4 O3:O4 P3:P4")
	cellIs := func(cell, want string) {
		t.Helper()
		got, err := f.GetCellValue(sh, cell)
		if err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", cell, got, err, want)
		}
	}
	cellIs("A1", "清水县中央生态环境保护督察反馈问题整改台账")
	cellIs("A2", "填报单位：县保障中央环境保护督察协调联络组办公室")
	cellIs("I2", "截至2026年12月20日")
	cellIs("A3", "序号")
	cellIs("F3", "整改责任")
	cellIs("F4", "责任单位")
	cellIs("I4", "责任人")
	cellIs("J3", "整改要求")
	cellIs("L4", "整改时限")
	cellIs("P3", "备注")
	cellIs("A5", "1")
	typeIs := func(cell string, want excelize.CellType) {
		t.Helper()
		if got, err := f.GetCellType(sh, cell); err != nil || got != want {
			t.Errorf("type of %s = %v (%v), want %v", cell, got, err, want)
		}
	}
	typeIs("P5", excelize.CellTypeInlineString) // "19898053976" stays text
	typeIs("P6", excelize.CellTypeInlineString) // int64 in a text column is text
	typeIs("N5", excelize.CellTypeInlineString) // "=1+1" is not a formula
	typeIs("A5", excelize.CellTypeUnset)        // a number
	typeIs("L5", excelize.CellTypeUnset)        // a date serial
	typeIs("L6", excelize.CellTypeInlineString) // 长期坚持
	if raw, _ := f.GetCellValue(sh, "L5", excelize.Options{RawCellValue: true}); raw != "46387" {
		t.Errorf("L5 raw = %q, want 46387", raw)
	}
	styleOf := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := styleOf("L5"); st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("L5 number format = %v, want yyyy-mm-dd", st.CustomNumFmt)
	}
	if st := styleOf("A1"); st.Font == nil || !st.Font.Bold || st.Font.Size <= 11 || st.Alignment.Horizontal != "center" {
		t.Errorf("title style = %+v", st)
	}
	for _, cell := range []string{"A3", "A4", "G3", "G4", "P4"} {
		if st := styleOf(cell); len(st.Border) != 4 {
			t.Errorf("%s borders = %v", cell, st.Border)
		}
	}
	if st := styleOf("C5"); st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("问题描述 (width 40) does not wrap")
	}
	if w, _ := f.GetColWidth(sh, "C"); w != 40 {
		t.Errorf("width of C = %v", w)
	}
	if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != 4 {
		t.Errorf("panes = %+v", p)
	}
	if pl, err := f.GetPageLayout(sh); err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("page layout = %+v (%v)", pl, err)
	}
	if h, _ := f.GetRowHeight(sh, 5); h != 2*lineHeight+3 {
		t.Errorf("height of row 5 (two lines in 问题描述) = %v", h)
	}
}

func TestWriteValueKinds(t *testing.T) {
	s := "指针"
	layout := Layout{Title: "t", Groups: []Group{{Columns: []OutColumn{
		{Header: "名称"}, {Header: "金额", Kind: KindNumber}, {Header: "数量", Kind: KindInt},
		{Header: "日期", Kind: KindDate}, {Header: "备注"}}}}}
	rows := [][]any{
		{&s, 12.5, 3, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), 1.5},
		{"x", float32(0.25), uint8(7), "2026年底", time.Date(2026, 1, 2, 8, 30, 0, 0, time.UTC)},
		{"y", nil, nil, nil, true},
		{"z"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, layout, rows); err != nil {
		t.Fatal(err)
	}
	spec := Spec{Columns: cols("名称", "金额", "数量", "日期", "备注")}
	tab, err := Read(&buf, "", spec)
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]string, len(tab.Records))
	for i, r := range tab.Records {
		for _, k := range []string{"名称", "金额", "数量", "日期", "备注"} {
			got[i] = append(got[i], r.Values[k])
		}
	}
	assertEqual(t, "values", got, [][]string{
		{"指针", "12.5", "3", "2026-01-02", "1.5"},
		{"x", "0.25", "7", "2026年底", "2026-01-02 08:30:00"},
		{"y", "", "", "", "TRUE"},
		{"z", "", "", "", ""},
	})
	if err := Write(&buf, layout, [][]any{make([]any, 6)}); err == nil {
		t.Error("too many values: want error")
	}
	if err := Write(&buf, Layout{}, nil); err == nil {
		t.Error("no columns: want error")
	}
	if err := Write(&buf, Layout{Sheet: "a/b", Groups: layout.Groups}, nil); err == nil {
		t.Error("bad sheet name: want error")
	}
}

func TestWriteSingleColumn(t *testing.T) {
	var buf bytes.Buffer
	layout := Layout{Title: "名单", Left: "填报单位：县水务局", Right: "截至2026年12月20日",
		Groups: []Group{{Name: "单位", Columns: []OutColumn{{Header: "名称"}}}}}
	if err := Write(&buf, layout, [][]any{{"县水务局"}}); err != nil {
		t.Fatal(err)
	}
	tab, err := Read(&buf, "", Spec{Columns: cols("名称")})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "title", tab.Title, []string{"名单", "填报单位：县水务局　截至2026年12月20日", "单位"})
	assertEqual(t, "records", tab.Records, []Record{{Row: 5, Values: map[string]string{"名称": "县水务局"}}})
}

func TestTextLines(t *testing.T) {
	for _, c := range []struct {
		s     string
		width float64
		size  float64
		want  int
	}{
		{"", 10, 11, 1},
		{"县城市管理综合执法局", 21, 11, 1}, // 20 units in 20 usable
		{"县城市管理综合执法局", 20, 11, 2}, // 20 units in 19: the last character wraps
		{"县城市管理综合执法局", 11, 11, 2},
		{"县城市管理综合执法局", 11, 22, 5}, // twice the size: 4 units a character, two in 10
		{"QS-2026-0001", 13, 11, 1},
		{"第一行\n第二行", 40, 11, 2},
		{"立案侦查\n（件）", 12, 11, 2},
		{strings.Repeat("扬", 100), 41, 11, 5}, // 20 a line
	} {
		if got := textLines(c.s, c.width, c.size); got != c.want {
			t.Errorf("textLines(%q, %v, %v) = %d, want %d", c.s, c.width, c.size, got, c.want)
		}
	}
}

func TestWriteFilterWrapAmount(t *testing.T) {
	layout := Layout{Title: "t", AutoFilter: true, Sheet: "名单", Groups: []Group{{Columns: []OutColumn{
		{Header: "单位", Width: 10, Wrap: true}, {Header: "编号", Width: 10}, {Header: "罚款", Kind: KindAmount}}}}}
	rows := [][]any{{"县城市管理综合执法局", "620521100000", 12500.5}, {"红堡镇", "1", 0.0}, {"永清镇", "2", 3.0}}
	var buf bytes.Buffer
	if err := Write(&buf, layout, rows); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "名单"
	if xml := sheetXML(t, data); !strings.Contains(xml, `<autoFilter ref="$A$4:$C$7"`) {
		t.Errorf("no autofilter over A4:C7 in %s", xml)
	}
	if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != 4 {
		t.Errorf("panes = %+v", p)
	}
	style := func(cell string) *excelize.Style {
		t.Helper()
		id, _ := f.GetCellStyle(sh, cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := style("A5"); !st.Alignment.WrapText {
		t.Error("a narrow column marked Wrap does not wrap")
	}
	if st := style("B5"); st.Alignment.WrapText {
		t.Error("a narrow column not marked Wrap wraps")
	}
	if h, _ := f.GetRowHeight(sh, 5); h != linesHeight(3, 11) {
		t.Errorf("row 5 height %v, want three lines (%v)", h, linesHeight(3, 11))
	}
	if st := style("C5"); st.NumFmt != 2 {
		t.Errorf("amount format %d, want 2 (0.00)", st.NumFmt)
	}
	if v, _ := f.GetCellValue(sh, "C5"); v != "12500.50" {
		t.Errorf("amount shown as %q", v)
	}
	if typ, _ := f.GetCellType(sh, "C5"); typ != excelize.CellTypeUnset {
		t.Errorf("amount type %v, want a number", typ)
	}
	// Without AutoFilter, no filter.
	buf.Reset()
	layout.AutoFilter = false
	if err := Write(&buf, layout, rows); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sheetXML(t, buf.Bytes()), "autoFilter") {
		t.Error("autofilter written without AutoFilter")
	}
}

func TestWriteReport(t *testing.T) {
	para := strings.Repeat("截至12月17日，累计收到督察组交办信访件11批151件。", 6)
	r := Report{Sheet: "日报", Title: "日报（截至2026年12月17日）", Paragraph: para, ColumnWidth: 10,
		Sections: []Section{
			{Heading: "一、数字", Tables: []ReportTable{{
				Columns: []OutColumn{{Header: "批次", Kind: KindInt}, {Header: "罚款\n（元）", Kind: KindAmount}},
				Rows:    [][]any{{11, 251542.71}},
			}}},
			{Heading: "二、分区", Note: "注：说明。", Tables: []ReportTable{{
				Columns: []OutColumn{{Header: "行政区域", Span: 3}, {Header: "合计", Kind: KindInt}, {Header: "已办结", Kind: KindInt}},
				Rows:    [][]any{{"永清镇", 12, 5}, {"合计", 12, 5}},
				Total:   true,
			}}},
		}}
	var buf bytes.Buffer
	if err := WriteReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "日报"
	rows, _ := f.GetRows(sh)
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(row, "|"))
	}
	assertEqual(t, "rows", got, []string{
		"日报（截至2026年12月17日）", para, "", "一、数字", "批次|罚款\n（元）", "11|251542.71", "",
		"二、分区", "行政区域|||合计|已办结", "永清镇|||12|5", "合计|||12|5", "注：说明。",
	})
	mc, _ := f.GetMergeCells(sh)
	var merges []string
	for _, m := range mc {
		merges = append(merges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	sort.Strings(merges)
	// The grid is the widest table's five columns.
	assertEqual(t, "merges", strings.Join(merges, " "), "A10:C10 A11:C11 A12:E12 A1:E1 A2:E2 A4:E4 A8:E8 A9:C9")
	if h, _ := f.GetRowHeight(sh, 2); h < float64(textLines(para, 50, 12))*lineHeight {
		t.Errorf("paragraph row %v pt", h)
	}
	style := func(cell string) *excelize.Style {
		t.Helper()
		id, _ := f.GetCellStyle(sh, cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := style("A2"); !st.Alignment.WrapText {
		t.Error("paragraph does not wrap")
	}
	for _, c := range []string{"A5", "B5", "A9", "D9"} {
		if st := style(c); st.Font == nil || !st.Font.Bold || len(st.Border) != 4 {
			t.Errorf("header %s not bold and bordered", c)
		}
	}
	for _, c := range []string{"B10", "C10"} { // covered by a merge: bordered too
		if st := style(c); len(st.Border) != 4 {
			t.Errorf("%s not bordered", c)
		}
	}
	for _, c := range []struct{ cell, raw string }{{"A6", "11"}, {"B6", "251542.71"}, {"D10", "12"}, {"E11", "5"}} {
		typ, _ := f.GetCellType(sh, c.cell)
		raw, _ := f.GetCellValue(sh, c.cell, excelize.Options{RawCellValue: true})
		if typ != excelize.CellTypeUnset || raw != c.raw {
			t.Errorf("%s = %q of type %v, want the number %s", c.cell, raw, typ, c.raw)
		}
	}
	if st := style("B6"); st.NumFmt != 2 {
		t.Errorf("amount format %d", st.NumFmt)
	}
	if st := style("D11"); st.Font == nil || !st.Font.Bold {
		t.Error("合计 row not bold")
	}
	if st := style("D10"); st.Font != nil && st.Font.Bold {
		t.Error("a data row is bold")
	}
	if pl, _ := f.GetPageLayout(sh); pl.Orientation == nil || *pl.Orientation != "portrait" || *pl.Size != 9 || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v", pl)
	}
	if v, _ := f.GetSheetView(sh, 0); v.ShowGridLines == nil || *v.ShowGridLines {
		t.Error("gridlines shown")
	}
	if hf, _ := f.GetHeaderFooter(sh); !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("footer %+v", hf)
	}
}

// sheetXML is the first sheet's XML of a workbook.
func sheetXML(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
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
	}
	t.Fatal("no sheet1.xml")
	return ""
}
