package excel

import (
	"bytes"
	"fmt"
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
