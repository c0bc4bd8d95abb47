package excel

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ducha/excel/exceltest"
)

// bombHeader is the header every bomb carries, so that the reader takes
// its sheet for a table (simpleSpec matches all three).
var bombHeader = []string{"名称", "电话", "日期"}

// Reading one bomb may grow the heap by maxBombHeap at its peak and
// allocate maxBombAlloc in all (most of it garbage: encoding/xml allocates
// for every token). The bombs inflate to gigabytes; before the limits the
// 1 GiB shared string took 4 GB.
const (
	maxBombHeap  = 200 << 20
	maxBombAlloc = 512 << 20
)

// TestBombsRefused reads every bomb under the default limits: each must be
// refused with the message naming its limit, as a limit error, allocating
// little.
func TestBombsRefused(t *testing.T) {
	for _, b := range exceltest.Bombs(bombHeader...) {
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
			var xe *Error
			if !errors.As(err, &xe) || !errors.Is(err, ErrLimit) {
				t.Fatalf("want a limit *Error, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), b.Want) {
				t.Errorf("error %q does not say %q", err, b.Want)
			}
			if peak > maxBombHeap || alloc > maxBombAlloc {
				t.Errorf("heap grew by %d MB and %d MB were allocated, want under %d MB and %d MB",
					peak>>20, alloc>>20, maxBombHeap>>20, maxBombAlloc>>20)
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

// BenchmarkBomb reads each bomb once; it reports how long the refusal took
// and the heap it grew by at its peak:
//
//	go test ./excel -run '^$' -bench Bomb -benchmem -benchtime 1x
func BenchmarkBomb(b *testing.B) {
	for _, bomb := range exceltest.Bombs(bombHeader...) {
		b.Run(strings.ReplaceAll(bomb.Name, " ", "_"), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, exceltest.PeakHeap(func() {
					if _, err := Read(bytes.NewReader(bomb.Data), bomb.File, simpleSpec()); !errors.Is(err, ErrLimit) {
						b.Fatalf("not refused: %v", err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(bomb.Data))/1024, "file-KB")
		})
	}
}
