package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rawSheet is a worksheet for buildXLSX: its name and the XML inside
// <worksheet>.
type rawSheet struct{ name, body string }

// buildXLSX assembles a minimal xlsx package by hand, so tests control the
// exact XML (inline strings, exponents, phonetic runs, t="d" cells, …).
func buildXLSX(t *testing.T, sst []string, numFmts string, xfs []int, sheets ...rawSheet) []byte {
	t.Helper()
	return buildXLSXWith(t, "", nil, sst, numFmts, xfs, sheets...)
}

// buildXLSXWith is buildXLSX with a workbookPr element and sheet states
// (hidden, veryHidden) by sheet name.
func buildXLSXWith(t *testing.T, workbookPr string, states map[string]string, sst []string, numFmts string, xfs []int, sheets ...rawSheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	var wbSheets, rels strings.Builder
	for i, s := range sheets {
		state := ""
		if st := states[s.name]; st != "" {
			state = ` state="` + st + `"`
		}
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"%s/>`, s.name, i+1, i+1, state)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8"?><worksheet `+ns+`>`+s.body+`</worksheet>`)
	}
	fmt.Fprintf(&rels, `<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook `+ns+`>`+workbookPr+`<sheets>`+wbSheets.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	var ss strings.Builder
	for _, s := range sst {
		ss.WriteString("<si>" + s + "</si>")
	}
	put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst `+ns+`>`+ss.String()+`</sst>`)
	var xf strings.Builder
	for _, id := range append([]int{0}, xfs...) {
		fmt.Fprintf(&xf, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>`, id)
	}
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><styleSheet `+ns+`>`+numFmts+
		`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs>`+xf.String()+`</cellXfs></styleSheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func simpleSpec() Spec {
	return Spec{Columns: []Column{
		{Key: "name", Names: []string{"名称", "单位名称"}, Required: true},
		{Key: "phone", Names: []string{"电话", "联系电话"}},
		{Key: "date", Names: []string{"日期"}},
		{Key: "amount", Names: []string{"金额"}},
		{Key: "flag", Names: []string{"标记"}},
	}}
}

func mustRead(t *testing.T, data []byte, spec Spec) *Table {
	t.Helper()
	tab, err := Read(bytes.NewReader(data), "test.xlsx", spec)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return tab
}

func TestReadCellValues(t *testing.T) {
	// styles: 1 → numFmt 14, 2 → custom yyyy/m/d, 3 → custom with 年月日,
	// 4 → 22 (date time), 5 → custom #,##0.00 (not a date), 6 → 31 (zh-CN 年月日)
	numFmts := `<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy/m/d;@"/>` +
		`<numFmt numFmtId="165" formatCode="[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
		`<numFmt numFmtId="166" formatCode="#,##0.00_);[Red]\(#,##0.00\)"/></numFmts>`
	sst := []string{
		"<t>名称\n（必填）</t>", "<t>联系电话*</t>", "<t>日　期</t>", "<t>金额</t>", "<t>标记</t>",
		`<r><t>县水</t></r><r><rPr><b/></rPr><t xml:space="preserve">务局 </t></r><rPh sb="0" eb="1"><t>ケン</t></rPh>`,
		"<t>a_x000D_b &amp; c</t>",
	}
	body := `<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>
<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>19898053976</v></c><c r="C2" s="1"><v>46387</v></c><c r="D2"><v>12.50</v></c><c r="E2" t="b"><v>1</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t> 县农业农村局　</t></is></c><c r="B3"><v>1.9898053976E10</v></c><c r="C3" s="2"><v>46387.5</v></c><c r="D3" s="5"><v>0.30000000000000004</v></c><c r="E3" t="b"><v>0</v></c></row>
<row r="4"><c r="A4" t="str"><f>"县"&amp;"公安局"</f><v>县公安局</v></c><c r="B4" t="s"><v>6</v></c><c r="C4" s="3"><v>46023</v></c><c r="D4"><f>1+1</f><v>2</v></c><c r="E4" t="e"><v>#N/A</v></c></row>
<row r="5"><c r="A5" s="1"/><c r="B5" t="s"><v>99</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><t>x</t></is></c><c r="C6" t="d"><v>2026-12-31T00:00:00Z</v></c><c r="D6" s="4"><v>46387.75</v></c><c r="E6" s="6"><v>46387</v></c></row>
<row r="8"><c r="A8" t="inlineStr"><is><t>y</t></is></c><c r="B8"><v>620521100000</v></c><c r="C8" s="1"><v>0.5</v></c><c r="D8"><v>-3</v></c><c r="E8"><v>1E-3</v></c></row>
</sheetData>`
	tab := mustRead(t, buildXLSX(t, sst, numFmts, []int{14, 164, 165, 22, 166, 31}, rawSheet{"数据", body}), simpleSpec())
	assertEqual(t, "columns", tab.Columns, map[string]int{"name": 0, "phone": 1, "date": 2, "amount": 3, "flag": 4})
	assertEqual(t, "rows", rowNumbers(tab), []int{2, 3, 4, 6, 8})
	assertEqual(t, "name", column(tab, "name"), []string{"县水务局", "县农业农村局", "县公安局", "x", "y"})
	assertEqual(t, "phone", column(tab, "phone"), []string{"19898053976", "19898053976", "a\rb & c", "", "620521100000"})
	assertEqual(t, "date", column(tab, "date"), []string{"2026-12-31", "2026-12-31 12:00:00", "2026-01-01", "2026-12-31", "12:00:00"})
	assertEqual(t, "amount", column(tab, "amount"), []string{"12.5", "0.3", "2", "2026-12-31 18:00:00", "-3"})
	assertEqual(t, "flag", column(tab, "flag"), []string{"TRUE", "FALSE", "#N/A", "2026-12-31", "0.001"})
}

func TestReadPicksSheetWithHeader(t *testing.T) {
	notes := rawSheet{"填表说明", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>填表说明：名称必填</t></is></c></row></sheetData>`}
	var rows strings.Builder
	rows.WriteString(`<row r="2"><c r="B2" t="inlineStr"><is><t>单位名称</t></is></c><c r="C2" t="inlineStr"><is><t>电话</t></is></c><c r="D2" t="inlineStr"><is><t>备注</t></is></c></row>`)
	rows.WriteString(`<row r="3"><c r="B3" t="inlineStr"><is><t>县水务局</t></is></c><c r="C3"><v>13800000000</v></c></row>`)
	data := buildXLSX(t, nil, "", nil, notes, rawSheet{"名单", "<sheetData>" + rows.String() + "</sheetData>"})
	tab := mustRead(t, data, Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	assertEqual(t, "sheet", tab.Sheet, "名单")
	assertEqual(t, "header", tab.HeaderRow, 2)
	assertEqual(t, "columns", tab.Columns, map[string]int{"name": 1, "phone": 2})
	assertEqual(t, "unknown", tab.Unknown, []string{"备注"})
	assertEqual(t, "records", tab.Records, []Record{{Row: 3, Values: map[string]string{"name": "县水务局", "phone": "13800000000"}}})
}

// TestReadMerges builds a workbook with excelize: a two-row header whose
// group cells are merged, vertical data merges and a horizontal data merge.
func TestReadMerges(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "名单")
	merge("A1", "E1")
	set("A2", "名称")
	merge("A2", "A3")
	set("B2", "联系方式")
	merge("B2", "C2")
	set("B3", "联系电话")
	set("C3", "邮箱")
	set("D2", "金额")
	merge("D2", "D3")
	for i, name := range []string{"甲", "", "", "乙", "丙"} {
		if name != "" {
			set(fmt.Sprintf("A%d", i+4), name)
		}
		set(fmt.Sprintf("D%d", i+4), i+1)
	}
	merge("A4", "A6")
	set("B8", "19912345678")
	merge("B8", "C8") // horizontal: value goes to B only
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tab := mustRead(t, buf.Bytes(), simpleSpec())
	assertEqual(t, "title", tab.Title, []string{"名单"})
	assertEqual(t, "header", tab.HeaderRow, 2)
	assertEqual(t, "columns", tab.Columns, map[string]int{"name": 0, "phone": 1, "amount": 3})
	assertEqual(t, "unknown", tab.Unknown, []string{"邮箱"})
	assertEqual(t, "rows", rowNumbers(tab), []int{4, 5, 6, 7, 8})
	assertEqual(t, "name", column(tab, "name"), []string{"甲", "甲", "甲", "乙", "丙"})
	assertEqual(t, "phone", column(tab, "phone"), []string{"", "", "", "", "19912345678"})
}

func TestReadTwoRowHeaderWithoutMerges(t *testing.T) {
	csv := "名称,联系方式,,金额\n,联系电话,邮箱,\n县水务局,13800000000,a@b.cn,1\n"
	tab, err := Read(strings.NewReader(csv), "x.csv", simpleSpec())
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "columns", tab.Columns, map[string]int{"name": 0, "phone": 1, "amount": 3})
	assertEqual(t, "records", tab.Records, []Record{{Row: 3, Values: map[string]string{
		"name": "县水务局", "phone": "13800000000", "amount": "1"}}})
}

func TestReadCSVDetails(t *testing.T) {
	csv := "\ufeff清单\n截至2026年12月20日\n\n名称,电话,备注\n\"县\n水务局\",13800000000,\"a,b\"\n,,\n 县公安局 ,\t,\n"
	tab, err := Read(strings.NewReader(csv), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "title", tab.Title, []string{"清单", "截至2026年12月20日"})
	assertEqual(t, "header", tab.HeaderRow, 4)
	assertEqual(t, "records", tab.Records, []Record{
		{Row: 5, Values: map[string]string{"name": "县\n水务局", "phone": "13800000000"}},
		{Row: 8, Values: map[string]string{"name": "县公安局", "phone": ""}},
	})
	// A stray quote inside an unquoted field is kept as typed.
	tab, err = Read(strings.NewReader("名称,电话\n他说\"好\"的单位,1\n"), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "lazy quotes", tab.Records[0].Values["name"], `他说"好"的单位`)
	// Tab separated UTF-16 text, as Excel's "Unicode text" export writes.
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "名称\t电话\n县水务局\t13800000000\n" {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	tab, err = Read(bytes.NewReader(u16), "x.txt", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "utf-16", tab.Records, []Record{{Row: 2, Values: map[string]string{"name": "县水务局", "phone": "13800000000"}}})
}

func TestReadBrokenInputs(t *testing.T) {
	noHeaderXLSX := buildXLSX(t, nil, "", nil, rawSheet{"Sheet1", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>随便写的</t></is></c><c r="B1"><v>1</v></c></row></sheetData>`})
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"no header csv", []byte("a,b,c\n1,2,3\n"), "没有找到表头"},
		{"no header xlsx", noHeaderXLSX, "没有找到表头"},
		{"missing required", []byte("电话,日期,金额\n1,2,3\n"), "缺少必需的列“名称”"},
		{"empty", nil, "文件是空的"},
		{"xls", append(append([]byte{}, oleMagic...), make([]byte, 100)...), ".xls"},
		{"corrupt zip", []byte("PK\x03\x04garbage"), "无法打开 Excel 文件"},
		{"binary", []byte{0x00, 0x01, 0x02, 0xFF, 0x00}, "无法识别的文件格式"},
		{"zip without workbook", zipOf(t, "a.txt", "x"), "不是有效的 Excel 工作簿"},
		{"bad sheet xml", buildXLSX(t, nil, "", nil, rawSheet{"S", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称 & 电话</t></is></c></row></sheetData>`}), "已损坏"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.data), "upload.bin", simpleSpec())
			var xe *Error
			if !errors.As(err, &xe) {
				t.Fatalf("want *Error, got %v", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	if _, err := Read(strings.NewReader("名称\n"), "", Spec{}); err == nil {
		t.Error("empty spec: want error")
	}
}

func zipOf(t *testing.T, name, content string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]string{
		" 序 号 ":    "序号",
		"问题\n描述":   "问题描述",
		"　状态　":     "状态",
		"电话*":      "电话",
		"*电话":      "电话",
		"名称（必填）":   "名称",
		"名称 (必填) ": "名称",
		"":         "",
	} {
		if got := normalizeHeader(in); got != want {
			t.Errorf("normalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainNumberAndDates(t *testing.T) {
	for in, want := range map[string]string{
		"19898053976": "19898053976", "1.9898053976E+10": "19898053976", "12.50": "12.5",
		"0": "0", "-0.5": "-0.5", "1e-12": "1E-12", "abc": "abc", "007": "7",
	} {
		if got := plainNumber(in); got != want {
			t.Errorf("plainNumber(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		v    float64
		d    bool
		want string
	}{{46387, false, "2026-12-31"}, {1, false, "1900-01-01"}, {59, false, "1900-02-28"},
		{61, false, "1900-03-01"}, {0, true, "00:00:00"}, {44926, true, "2027-01-01"}} {
		if got, _ := serialText(c.v, c.d); got != c.want {
			t.Errorf("serialText(%v, %v) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, `yyyy"年"m"月"d"日"`: true, "[h]:mm": true, "General": false,
		`0.00"元"`: false, "#,##0": false, "[Red]0.00": false, `\d0`: false, "@": false,
	} {
		if got := isDateFormatCode(code); got != want {
			t.Errorf("isDateFormatCode(%q) = %v", code, got)
		}
	}
}

func TestReadSheetChoice(t *testing.T) {
	inline := func(ref, s string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
	}
	header := `<row r="1">` + inline("A1", "名称") + inline("B1", "电话") + inline("C1", "日期") + `</row>`
	hidden := rawSheet{"代码表", "<sheetData>" + header + `<row r="2">` + inline("A2", "隐藏") + `</row></sheetData>`}
	var notes strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&notes, `<row r="%d">%s</row>`, i, inline(fmt.Sprintf("A%d", i), fmt.Sprintf("说明第%d条", i)))
	}
	// Rows and cells without r attributes, cells out of order.
	data := rawSheet{"数据", `<sheetData><row>` + `<c t="inlineStr"><is><t>名称</t></is></c><c t="inlineStr"><is><t>电话</t></is></c><c t="inlineStr"><is><t>日期</t></is></c></row>` +
		`<row><c r="C2"><v>1</v></c><c r="A2" t="inlineStr"><is><t>县水务局</t></is></c></row></sheetData>`}
	partial := rawSheet{"汇总", "<sheetData>" + `<row r="1">` + inline("A1", "电话") + inline("B1", "日期") + inline("C1", "金额") + `</row>` +
		`<row r="2">` + inline("A2", "1") + `</row></sheetData>`}
	book := buildXLSXWith(t, `<workbookPr date1904="1"/>`, map[string]string{"代码表": "hidden"}, nil, "", []int{14},
		hidden, rawSheet{"说明", "<sheetData>" + notes.String() + "</sheetData>"}, partial, data)
	tab := mustRead(t, book, simpleSpec())
	assertEqual(t, "sheet", tab.Sheet, "数据")
	assertEqual(t, "records", tab.Records, []Record{{Row: 2, Values: map[string]string{"name": "县水务局", "phone": "", "date": "1"}}})
	// Without the data sheet the hidden sheet is used.
	book = buildXLSXWith(t, "", map[string]string{"代码表": "hidden"}, nil, "", nil, hidden, partial)
	tab = mustRead(t, book, simpleSpec())
	assertEqual(t, "hidden sheet", tab.Sheet, "代码表")
	// With only the sheet lacking 名称, its error is reported.
	_, err := Read(bytes.NewReader(buildXLSX(t, nil, "", nil, partial)), "", simpleSpec())
	assertEqual(t, "error", fmt.Sprint(err), "缺少必需的列“名称”")
	// The 1904 date system.
	book = buildXLSXWith(t, `<workbookPr date1904="1"/>`, nil, nil, "", []int{14}, rawSheet{"S",
		"<sheetData>" + header + `<row r="2">` + inline("A2", "x") + `<c r="C2" s="1"><v>44926</v></c></row></sheetData>`})
	assertEqual(t, "1904", mustRead(t, book, simpleSpec()).Records[0].Values["date"], "2027-01-01")
}

func TestErrorText(t *testing.T) {
	assertEqual(t, "row", (&Error{Row: 5, Message: "日期无法识别"}).Error(), "第5行：日期无法识别")
	assertEqual(t, "row and column", (&Error{Row: 5, Column: "整改时限", Message: "日期无法识别"}).Error(), "第5行“整改时限”列：日期无法识别")
	assertEqual(t, "iso", isoDateText("2026-12-31T08:30:00"), "2026-12-31 08:30:00")
	assertEqual(t, "iso time", isoDateText("08:30:00"), "08:30:00")
	assertEqual(t, "iso junk", isoDateText("明天"), "明天")
	assertEqual(t, "range", fmt.Sprint(parseRange("$B$3:A1")), "{1 0 3 1} true")
	_, _, ok := parseRef("A0")
	assertEqual(t, "A0", ok, false)
}
