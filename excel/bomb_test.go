package excel

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"ducha/excel/exceltest"
)

// bombHeader is the header every bomb carries, so that the reader takes
// its sheet for a table (simpleSpec matches all three).
var bombHeader = []string{"名称", "电话", "日期"}

// Reading one bomb may grow the heap by maxBombHeap at its peak and
// allocate maxBombAlloc in all (most of it garbage: encoding/xml allocates
// for every token). The bombs inflate to gigabytes; before the limits the
// 1 GiB shared string took 4 GB. A slow bomb is refused only after as much
// work as the largest file the limits admit, which allocates up to
// maxSlowBombAlloc (reading the 100,000-row ledger allocates 1 GB) within
// the same heap.
const (
	maxBombHeap      = 200 << 20
	maxBombAlloc     = 512 << 20
	maxSlowBombAlloc = 6 << 30
)

// bombCase is a bomb with what its test allows and expects.
type bombCase struct {
	exceltest.Bomb
	maxAlloc uint64
	limit    bool // refused by a limit (ErrLimit), else a plain *Error
}

func bombCases() []bombCase {
	var cs []bombCase
	for _, b := range exceltest.Bombs(bombHeader...) {
		cs = append(cs, bombCase{b, maxBombAlloc, true})
	}
	for _, b := range exceltest.SlowBombs(bombHeader...) {
		cs = append(cs, bombCase{b, maxSlowBombAlloc, true})
	}
	for _, b := range exceltest.Deceptive(bombHeader...) {
		cs = append(cs, bombCase{b, maxBombAlloc, false})
	}
	return cs
}

// refusedAsExpected checks err against what refusing b says.
func (b *bombCase) refusedAsExpected(err error) error {
	var xe *Error
	if !errors.As(err, &xe) || errors.Is(err, ErrLimit) != b.limit {
		return fmt.Errorf("want an *Error (a limit: %v), got %T %v", b.limit, err, err)
	}
	if !strings.Contains(err.Error(), b.Want) {
		return fmt.Errorf("error %q does not say %q", err, b.Want)
	}
	return nil
}

// TestBombsRefused reads every bomb under the default limits: each must be
// refused with the message naming its limit, as a limit error (the
// deceptive files as a plain *Error), allocating little.
func TestBombsRefused(t *testing.T) {
	for _, b := range bombCases() {
		t.Run(b.Name, func(t *testing.T) {
			var err error
			var alloc uint64
			start := time.Now()
			peak := exceltest.PeakHeap(func() {
				alloc = exceltest.Alloc(func() {
					_, err = Read(bytes.NewReader(b.Data), b.File, simpleSpec())
				})
			})
			t.Logf("%d bytes refused in %v, peak heap +%.1f MB, %.1f MB allocated: %v", len(b.Data),
				time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20), float64(alloc)/(1<<20), err)
			if e := b.refusedAsExpected(err); e != nil {
				t.Fatal(e)
			}
			if peak > maxBombHeap || alloc > b.maxAlloc {
				t.Errorf("heap grew by %d MB and %d MB were allocated, want under %d MB and %d MB",
					peak>>20, alloc>>20, maxBombHeap>>20, b.maxAlloc>>20)
			}
		})
	}
}

// TestBombsWithinRaisedLimits shows the limits are what refuses the bombs:
// with the one limit raised the same file reads (or fails on the next).
func TestBombsWithinRaisedLimits(t *testing.T) {
	header := headerXML(bombHeader)
	rows := func(n int) string {
		var b strings.Builder
		for i := 2; i < n+2; i++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
		}
		return b.String()
	}
	sheet := func(body, merges string) []byte {
		return buildXLSX(t, nil, "", nil, rawSheet{"S", "<sheetData>" + header + body + "</sheetData>" + merges})
	}
	longCell := `<row r="2"><c r="A2" t="inlineStr"><is><t>` + strings.Repeat("长", 40) + `</t></is></c></row>`
	cases := []struct {
		name      string
		data      []byte
		tight, ok Limits
		want      string
		records   int
	}{
		{"rows", sheet(rows(30), ""), Limits{MaxRows: 29}, Limits{MaxRows: 30}, "表格超过 29 行数据的上限", 30},
		{"cell", sheet(longCell, ""), Limits{MaxCellChars: 39}, Limits{MaxCellChars: 40}, "单元格 A2 的内容超过 39 个字符的上限", 1},
		{"columns", sheet(`<row r="2"><c r="J2"><v>1</v></c></row>`, ""), Limits{MaxColumns: 9}, Limits{MaxColumns: 10}, "单元格 J2 超出了 9 列（I 列）的上限", 1},
		{"merge ranges", sheet(rows(4), `<mergeCells><mergeCell ref="A2:A3"/><mergeCell ref="A4:A5"/></mergeCells>`),
			Limits{MaxMergeRanges: 1}, Limits{MaxMergeRanges: 2}, "合并单元格超过 1 处的上限", 4},
		// A range drawn to the bottom of the sheet counts only down to
		// the last row: here 4 cells, not 1,048,574.
		{"merged cells", sheet(rows(5), `<mergeCells><mergeCell ref="A2:A1048576"/></mergeCells>`),
			Limits{MaxMergedCells: 3}, Limits{MaxMergedCells: 4}, "纵向合并的单元格共超过 3 个的上限", 5},
		{"shared strings", buildXLSX(t, []string{"<t>名称</t>", "<t>电话</t>", "<t>日期</t>"}, "", nil,
			rawSheet{"S", `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` + rows(1) + `</sheetData>`}),
			Limits{MaxSharedStrings: 2}, Limits{MaxSharedStrings: 3}, "不重复文字超过 2 条的上限", 1},
		{"unzipped", sheet(rows(200), ""), Limits{MaxUnzippedBytes: 4 << 10}, Limits{MaxUnzippedBytes: 64 << 10}, "文件解压后超过 4 KB 的上限", 200},
		{"file", sheet(rows(1), ""), Limits{MaxFileBytes: 1 << 10}, Limits{MaxFileBytes: 1 << 20}, "文件大小超过 1 KB 的上限", 1},
		{"csv rows", []byte("名称,电话,日期\n1\n2\n3\n"), Limits{MaxRows: 2}, Limits{MaxRows: 3}, "表格超过 2 行数据的上限", 3},
		{"csv field", []byte("名称,电话,日期\n" + strings.Repeat("长", 40) + "\n"), Limits{MaxCellChars: 39}, Limits{MaxCellChars: 40}, "第2行：单元格的内容超过 39 个字符的上限", 1},
		{"csv quoted field", []byte("名称,电话,日期\n\"" + strings.Repeat("长", 40) + "\"\n"), Limits{MaxCellChars: 39}, Limits{MaxCellChars: 40}, "第2行：单元格的内容超过 39 个字符的上限", 1},
		{"csv columns", []byte("名称,电话,日期,,,,\n1,2,3,4,,,\n"), Limits{MaxColumns: 3}, Limits{MaxColumns: 4}, "第2行：这一行超过 3 列的上限", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLimited(bytes.NewReader(c.data), "x", simpleSpec(), c.tight)
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("with %+v: %v, want a limit error saying %q", c.tight, err, c.want)
			}
			tab, err := ReadLimited(bytes.NewReader(c.data), "x", simpleSpec(), c.ok)
			if err != nil {
				t.Fatalf("with %+v: %v", c.ok, err)
			}
			if len(tab.Records) != c.records {
				t.Errorf("%d records, want %d", len(tab.Records), c.records)
			}
		})
	}
}

func headerXML(header []string) string {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&b, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	return b.String() + `</row>`
}

// TestEmptyCellsFarRightIgnored: Excel writes empty styled cells far to
// the right; only a value there passes MaxColumns.
func TestEmptyCellsFarRightIgnored(t *testing.T) {
	data := buildXLSX(t, nil, "", []int{14}, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>县水务局</t></is></c><c r="XFD2" s="1"/><c r="XFC2" t="inlineStr"><is><t> </t></is></c></row></sheetData>` +
		`<mergeCells><mergeCell ref="XFA1:XFD1"/></mergeCells>`})
	tab := mustRead(t, data, simpleSpec())
	assertEqual(t, "records", tab.Records, []Record{{Row: 2, Values: map[string]string{"name": "县水务局", "phone": "", "date": ""}}})
}

// TestWholeColumnMergesOverFewRows is the 3.6 KB file that cost two minutes
// of CPU: 5,000 merges A1:A1048576 over a few rows now fill only those rows.
func TestWholeColumnMergesOverFewRows(t *testing.T) {
	var merges strings.Builder
	merges.WriteString("<mergeCells>")
	for range 5000 {
		merges.WriteString(`<mergeCell ref="A2:A1048576"/>`)
	}
	merges.WriteString("</mergeCells>")
	data := buildXLSX(t, nil, "", nil, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>县水务局</t></is></c></row><row r="3"><c r="B3"><v>1</v></c></row><row r="4"><c r="B4"><v>2</v></c></row></sheetData>` + merges.String()})
	tab := mustRead(t, data, simpleSpec())
	assertEqual(t, "names", column(tab, "name"), []string{"县水务局", "县水务局", "县水务局"})
}

// TestUnzippedBudgetSpansParts: the budget is for all parts together, and a
// part whose header declares more than is left is refused unread.
func TestUnzippedBudgetSpansParts(t *testing.T) {
	big := "<t>" + strings.Repeat("a", 30<<10) + "</t>"
	data := buildXLSX(t, []string{big, big}, "", nil, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) + strings.Repeat(`<row><c><v>1</v></c></row>`, 1500) + "</sheetData>"})
	lim := Limits{MaxUnzippedBytes: 80 << 10}
	_, err := ReadLimited(bytes.NewReader(data), "x.xlsx", simpleSpec(), lim)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "文件解压后超过 80 KB 的上限") {
		t.Fatalf("sst 60 KB + sheet 40 KB within 80 KB: %v", err)
	}
	if _, err := ReadLimited(bytes.NewReader(data), "x.xlsx", simpleSpec(), Limits{MaxUnzippedBytes: 120 << 10}); err != nil {
		t.Fatalf("within 120 KB: %v", err)
	}
	// The counting itself, for a part whose header would understate it
	// (archive/zip refuses those too, but the budget does not rely on it).
	b := &budget{left: 10, lim: Limits{MaxUnzippedBytes: 10}.withDefaults()}
	cr := &countingReader{r: strings.NewReader(strings.Repeat("x", 11)), b: b}
	buf := make([]byte, 6)
	if n, err := cr.Read(buf); n != 6 || err != nil {
		t.Fatalf("first read: %d %v", n, err)
	}
	if _, err := cr.Read(buf); !errors.Is(err, ErrLimit) {
		t.Fatalf("second read: %v, want the limit", err)
	}
}

// TestTokenGuard: long runs between tags are refused wherever they are;
// comments and CDATA count as one token each, and a DTD is refused.
func TestTokenGuard(t *testing.T) {
	lim := Limits{MaxCellChars: 100}.withDefaults()
	cases := []struct {
		name, xml string
		max       int
		ok        bool
	}{
		{"short text", "<a>" + strings.Repeat("x", 90) + "</a>", 100, true},
		{"long text", "<a>" + strings.Repeat("x", 200) + "</a>", 100, false},
		{"long whitespace", "<a>" + strings.Repeat(" ", 200) + "</a>", 100, false},
		{"long attribute", `<a b="` + strings.Repeat("x", 200) + `"/>`, 100, false},
		{"many short tokens", strings.Repeat("<a>xxxx</a>", 1000), 100, true},
		{"comment with tags inside", "<a><!--" + strings.Repeat("<b>", 100) + "--></a>", 100, false},
		{"short comment", "<a><!-- <b> -- ->--></a>" + strings.Repeat("<a>x</a>", 100), 100, true},
		{"cdata with tags inside", "<a><![CDATA[" + strings.Repeat("<b>", 100) + "]]></a>", 100, false},
		{"short cdata", "<a><![CDATA[<b>]]]></a><b>" + strings.Repeat("y", 80) + "</b>", 100, true},
		{"processing instruction", "<?xml " + strings.Repeat("<", 200) + "?><a/>", 100, false},
		{"doctype", "<!DOCTYPE a><a/>", 100, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Feed it in small pieces so markers straddle reads.
			for _, chunk := range []int{1, 3, 7, 4096} {
				g := &tokenGuard{r: &chunked{s: c.xml, n: chunk}, max: c.max, part: "p.xml", lim: lim}
				_, err := readAll(g)
				if c.ok != (err == nil) {
					t.Fatalf("chunk %d: err %v, want ok=%v", chunk, err, c.ok)
				}
			}
		})
	}
}

type chunked struct {
	s string
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, errEOF
	}
	n := copy(p[:min(len(p), c.n)], c.s)
	c.s = c.s[n:]
	return n, nil
}

func readAll(g *tokenGuard) (int, error) {
	buf := make([]byte, 64)
	total := 0
	for {
		n, err := g.Read(buf)
		total += n
		if err == errEOF {
			return total, nil
		} else if err != nil {
			return total, err
		}
	}
}

var errEOF = fmt.Errorf("eof")

// BenchmarkBomb reads each bomb once (the slow and the deceptive ones
// too); it reports how long the refusal took and the heap it grew by at its
// peak:
//
//	go test ./excel -run '^$' -bench Bomb -benchmem -benchtime 1x
func BenchmarkBomb(b *testing.B) {
	for _, bomb := range bombCases() {
		b.Run(strings.ReplaceAll(bomb.Name, " ", "_"), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, exceltest.PeakHeap(func() {
					_, err := Read(bytes.NewReader(bomb.Data), bomb.File, simpleSpec())
					if e := bomb.refusedAsExpected(err); e != nil {
						b.Fatal(e)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(bomb.Data))/1024, "file-KB")
		})
	}
}

// TestNewLimitsWithinRaisedLimits: MaxCells and MaxTotalChars refuse a file
// one over them and read it at them, in a sheet and in a csv; shared
// strings and merged fills count at full length each time.
func TestNewLimitsWithinRaisedLimits(t *testing.T) {
	header := headerXML(bombHeader) // 3 cells, 6 characters
	sheet := func(sst []string, body, merges string) []byte {
		return buildXLSX(t, sst, "", nil, rawSheet{"S", "<sheetData>" + header + body + "</sheetData>" + merges})
	}
	var shared, numbers strings.Builder
	for i := 2; i < 12; i++ {
		fmt.Fprintf(&shared, `<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>`, i, i)
	}
	for i := 2; i < 32; i++ {
		fmt.Fprintf(&numbers, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="D%d"><v>1</v></c></row>`, i, i, i%10, i)
	}
	long := `<row r="2"><c r="A2" t="inlineStr"><is><t>` + strings.Repeat("长", 10) + `</t></is></c></row>` +
		`<row r="3"><c r="B3"><v>1</v></c></row><row r="4"><c r="B4"><v>2</v></c></row><row r="5"><c r="B5"><v>3</v></c></row>`
	cases := []struct {
		name      string
		data      []byte
		tight, ok Limits
		want      string
		records   int
	}{
		// 3 header cells and 30 rows of 2, the cells of column D (no
		// header) counted too though not kept.
		{"cells", sheet(nil, numbers.String(), ""), Limits{MaxCells: 62}, Limits{MaxCells: 63}, "表格中有内容的单元格超过 62 个的上限", 30},
		// 6 characters of header, then one shared string of 40 in 10 rows.
		{"shared string", sheet([]string{"<t>" + strings.Repeat("长", 40) + "</t>"}, shared.String(), ""),
			Limits{MaxTotalChars: 405}, Limits{MaxTotalChars: 406}, "第11行：表格中的文字共超过 405 个字符的上限", 10},
		// 6 + 10 + 3, and the 10 characters filled into rows 3 to 5.
		{"merged fill", sheet(nil, long, `<mergeCells><mergeCell ref="A2:A5"/></mergeCells>`),
			Limits{MaxTotalChars: 48}, Limits{MaxTotalChars: 49}, "第5行：表格中的文字共超过 48 个字符的上限", 4},
		// The columns the header does not map count in the first 16 rows
		// (which may hold the header: 6 + 15×7), not below (5×5).
		{"csv characters", []byte("名称,电话,日期\n" + strings.Repeat("长长长长长,,,不计\n", 20)),
			Limits{MaxTotalChars: 135}, Limits{MaxTotalChars: 136}, "第21行：表格中的文字共超过 135 个字符的上限", 20},
		{"csv cells", []byte("名称,电话,日期\n" + strings.Repeat("1,2,,4\n", 20)), Limits{MaxCells: 62}, Limits{MaxCells: 63}, "有内容的单元格超过 62 个的上限", 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLimited(bytes.NewReader(c.data), "x", simpleSpec(), c.tight)
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("with %+v: %v, want a limit error saying %q", c.tight, err, c.want)
			}
			tab, err := ReadLimited(bytes.NewReader(c.data), "x", simpleSpec(), c.ok)
			if err != nil {
				t.Fatalf("with %+v: %v", c.ok, err)
			}
			if len(tab.Records) != c.records {
				t.Errorf("%d records, want %d", len(tab.Records), c.records)
			}
		})
	}
}

// rewritePart returns the package data with the part name's content passed
// through edit.
func rewritePart(t *testing.T, data []byte, name string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			b, found = []byte(edit(string(b))), true
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	if !found {
		t.Fatalf("no part %s", name)
	}
	zw.Close()
	return buf.Bytes()
}

// insertBeforeRootEnd puts x before the last end tag of an XML part.
func insertBeforeRootEnd(x string) func(string) string {
	return func(s string) string {
		i := strings.LastIndex(s, "</")
		return s[:i] + x + s[i:]
	}
}

// TestXMLElementsAndNestingInEveryPart: every part the reader parses is
// charged to the workbook's budget of elements (comments too) and bounded
// in nesting, and an end tag without its start is refused.
func TestXMLElementsAndNestingInEveryPart(t *testing.T) {
	base := buildXLSX(t, []string{"<t>名称</t>"}, "", nil, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) +
		`<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>`})
	if tab := mustRead(t, base, simpleSpec()); len(tab.Records) != 1 {
		t.Fatalf("base package: %d records", len(tab.Records))
	}
	parts := []string{"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"}
	// MaxCells 1,000: 4,000 elements for all the parts.
	tight := Limits{MaxCells: 1000}
	for _, part := range parts {
		t.Run(part, func(t *testing.T) {
			for _, flood := range []string{strings.Repeat("<x/>", 4000), strings.Repeat("<!---->", 4000)} {
				data := rewritePart(t, base, part, insertBeforeRootEnd(flood))
				_, err := ReadLimited(bytes.NewReader(data), "x.xlsx", simpleSpec(), tight)
				want := "XML 元素超过 4000 个的上限（读到 " + part + " 时）"
				if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), want) {
					t.Errorf("%.10s…: %v, want a limit error saying %q", flood, err, want)
				}
				if _, err := Read(bytes.NewReader(data), "x.xlsx", simpleSpec()); err != nil {
					t.Errorf("%.10s… within the default budget: %v", flood, err)
				}
			}
			// The root is one level; 63 more are allowed.
			deep := func(n int) string { return strings.Repeat("<x>", n) + strings.Repeat("</x>", n) }
			if _, err := Read(bytes.NewReader(rewritePart(t, base, part, insertBeforeRootEnd(deep(63)))), "x.xlsx", simpleSpec()); err != nil {
				t.Errorf("64 levels: %v", err)
			}
			_, err := Read(bytes.NewReader(rewritePart(t, base, part, insertBeforeRootEnd(deep(64)))), "x.xlsx", simpleSpec())
			if want := "Excel 文件中的 " + part + " 的 XML 嵌套超过 64 层"; !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), want) {
				t.Errorf("65 levels: %v, want %q", err, want)
			}
			_, err = Read(bytes.NewReader(rewritePart(t, base, part, insertBeforeRootEnd("</x></x>"))), "x.xlsx", simpleSpec())
			if part == "_rels/.rels" {
				// A broken root part is passed over for xl/workbook.xml;
				// only a limit is not.
				if err != nil {
					t.Errorf("an end tag too many: %v", err)
				}
			} else if want := "Excel 文件中的 " + part + " 已损坏（结束标记没有对应的开始标记）"; err == nil || errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), want) {
				t.Errorf("an end tag too many: %v, want %q", err, want)
			}
		})
	}
}

// TestReadStopsWhenDone: a closed Limits.Done stops a sheet or a csv
// within a few thousand tokens or records, with context.Canceled.
func TestReadStopsWhenDone(t *testing.T) {
	var rows strings.Builder
	var csv strings.Builder
	csv.WriteString("名称,电话,日期\n")
	for i := 2; i < 3000; i++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
		fmt.Fprintf(&csv, "%d\n", i)
	}
	csv.WriteString(strings.Repeat("1\n", 5000))
	files := map[string][]byte{
		"x.xlsx": buildXLSX(t, nil, "", nil, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) + rows.String() + "</sheetData>"}),
		"x.csv":  []byte(csv.String()),
	}
	closed := make(chan struct{})
	close(closed)
	for name, data := range files {
		if _, err := ReadLimited(bytes.NewReader(data), name, simpleSpec(), Limits{}.WithDone(closed)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with Done closed: %v, want context.Canceled", name, err)
		}
		open := make(chan struct{})
		if _, err := ReadLimited(bytes.NewReader(data), name, simpleSpec(), Limits{Done: open}); err != nil {
			t.Errorf("%s with Done open: %v", name, err)
		}
	}
}

// TestUnmappedColumnsDropped: once the header is known, the cells of the
// columns it cannot map are dropped as they stream, which changes nothing
// in the table (a row holding nothing else is still a record) and keeps
// the grid as narrow as the mapped columns: 8,000 rows of 256 cells read
// in a heap that their 2,048,000 cells (47 MB of rawCell alone) would not
// fit in.
func TestUnmappedColumnsDropped(t *testing.T) {
	var rows strings.Builder
	for i := 2; i < 42; i++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="D%d"><v>9</v></c><c r="H%d"><v>9</v></c></row>`, i, i, i, i, i)
	}
	rows.WriteString(`<row r="42"><c r="D42"><v>9</v></c><c r="Z42"><v>9</v></c></row>`)
	data := buildXLSX(t, nil, "", nil, rawSheet{"S", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>` +
		`<c r="B1" t="inlineStr"><is><t>电话</t></is></c><c r="C1" t="inlineStr"><is><t>日期</t></is></c><c r="D1" t="inlineStr"><is><t>备注</t></is></c></row>` + rows.String() + `</sheetData>`})
	tab := mustRead(t, data, simpleSpec())
	assertEqual(t, "columns", tab.Columns, map[string]int{"name": 0, "phone": 1, "date": 2})
	assertEqual(t, "unknown", tab.Unknown, []string{"备注"})
	if n := len(tab.Records); n != 41 || tab.Records[40].Row != 42 || tab.Records[40].Values["name"] != "" || tab.Records[39].Values["name"] != "41" {
		t.Fatalf("%d records, the last two %+v", n, tab.Records[39:])
	}

	header := strings.Join(append(bombHeader, make([]string, 253)...), ",") + "\n"
	line := strings.Repeat("x,", 255) + "x\n"
	csvData := []byte(header + strings.Repeat(line, 8000))
	var sheet bytes.Buffer
	sheet.WriteString("<sheetData>" + headerXML(bombHeader))
	cells := "<row>" + strings.Repeat("<c><v>1</v></c>", 256) + "</row>"
	for range 8000 {
		sheet.WriteString(cells)
	}
	sheet.WriteString("</sheetData>")
	xlsxData := buildXLSX(t, nil, "", nil, rawSheet{"S", sheet.String()})
	for name, data := range map[string][]byte{"wide.csv": csvData, "wide.xlsx": xlsxData} {
		var tab *Table
		var err error
		peak := exceltest.PeakHeap(func() {
			tab, err = Read(bytes.NewReader(data), name, simpleSpec())
		})
		t.Logf("%s: %d KB, peak heap +%.1f MB", name, len(data)>>10, float64(peak)/(1<<20))
		if err != nil || len(tab.Records) != 8000 || tab.Records[0].Values["date"] == "" {
			t.Fatalf("%s: %v", name, err)
		}
		if peak > 24<<20 {
			t.Errorf("%s: heap grew by %d MB, want under 24 MB", name, peak>>20)
		}
	}
}

// TestCSVLoneCR: a file whose lines end with a lone CR (old Mac) is read
// line by line, quoted line breaks included; in a file whose first line
// ends with LF, a lone CR stays text as before.
func TestCSVLoneCR(t *testing.T) {
	units := "名称,类型,区划代码,主要负责人,联络员,电话\r县水务局,部门,,,张三,0931-1\r县公安局,部门,,,李四,0931-2\r\"永清\r镇\",乡镇,,,王五,\"0931-3\"\r\r"
	tab, err := Read(strings.NewReader(units), "units.csv", unitsSpec())
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "rows", rowNumbers(tab), []int{2, 3, 4})
	assertEqual(t, "names", column(tab, "名称"), []string{"县水务局", "县公安局", "永清\n镇"})
	assertEqual(t, "phones", column(tab, "电话"), []string{"0931-1", "0931-2", "0931-3"})

	// CR first, then CRLF and LF: all end lines; an LF inside quotes (a
	// cell's line break, as Excel for Mac writes it) stays in the cell.
	mixed := "名称,电话\r县水务局,1\r\n县公安局,2\n\"永清\n镇\",3\r5,6"
	tab, err = Read(strings.NewReader(mixed), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "rows", rowNumbers(tab), []int{2, 3, 4, 6})
	assertEqual(t, "names", column(tab, "name"), []string{"县水务局", "县公安局", "永清\n镇", "5"})

	lf := "名称,电话\n县水\r务局,1\n"
	tab, err = Read(strings.NewReader(lf), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "names", column(tab, "name"), []string{"县水\r务局"})
}

// TestCSVMisencodedAfterBOM: text that its BOM misdescribes is refused
// naming the line, not read as U+FFFD.
func TestCSVMisencodedAfterBOM(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("县水务局,1\n")
	for _, c := range []struct {
		name, data string
		row        int
		want       string
	}{
		{"GB18030 after a UTF-8 BOM", "\xEF\xBB\xBF名称,电话\n县公安局,2\n" + gb, 3, "表明是 UTF-8 编码，但内容中有不是 UTF-8 编码的字节（文件可能实际是 GB18030/GBK 编码"},
		{"odd bytes after a UTF-16 BOM", "\xFF\xFE" + "a\x00b\x00c", 0, "表明是 UTF-16 编码"},
		{"a lone surrogate after a UTF-16 BOM", "\xFE\xFF" + "\x00a\xD8\x00\x00b", 0, "表明是 UTF-16 编码"},
	} {
		_, err := Read(strings.NewReader(c.data), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
		var xe *Error
		if !errors.As(err, &xe) || xe.Row != c.row || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrLimit) {
			t.Errorf("%s: %v, want row %d saying %q", c.name, err, c.row, c.want)
		}
	}
	// A surrogate pair is fine.
	data := []byte("\xFE\xFF")
	for _, r := range "名称,电话\n😀,1\n" {
		for _, u := range utf16.Encode([]rune{r}) {
			data = append(data, byte(u>>8), byte(u))
		}
	}
	tab, err := Read(bytes.NewReader(data), "x.csv", Spec{Columns: simpleSpec().Columns, MinMatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "names", column(tab, "name"), []string{"😀"})
}

// TestPartNamesEqualIgnoringCase: a package with two entries of one name
// (ignoring case, Unicode folding included) is refused; partKey finds a
// part whatever its case.
func TestPartNamesEqualIgnoringCase(t *testing.T) {
	base := buildXLSX(t, nil, "", nil, rawSheet{"S", "<sheetData>" + headerXML(bombHeader) + "</sheetData>"})
	for _, twin := range []string{"xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml", "xl\\worksheets\\sheet1.xml", "/xl/worksheets/sheet1.xml", "xl/wor\u212Asheets/sheet1.xml"} {
		zr, _ := zip.NewReader(bytes.NewReader(base), int64(len(base)))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			zw.Copy(f)
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: twin, Method: zip.Store})
		io.WriteString(w, "<worksheet/>")
		zw.Close()
		_, err := Read(bytes.NewReader(buf.Bytes()), "x.xlsx", simpleSpec())
		var xe *Error
		if !errors.As(err, &xe) || !strings.Contains(err.Error(), "（名称只差大小写），无法确定 Excel 显示的是哪一个") || !strings.Contains(err.Error(), twin) {
			t.Errorf("twin %q: %v", twin, err)
		}
	}
	for _, p := range [][2]string{{"XL/Workbook.XML", "xl/workbook.xml"}, {"xl/Ünï.xml", "XL/üNÏ.XML"}, {"a\u212A", "AK"}} {
		if partKey(p[0]) != partKey(p[1]) {
			t.Errorf("partKey(%q) = %q, partKey(%q) = %q", p[0], partKey(p[0]), p[1], partKey(p[1]))
		}
	}
	if partKey("xl/a.xml") == partKey("xl/b.xml") {
		t.Error("partKey merges different names")
	}
}
