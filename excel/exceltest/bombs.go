// Package exceltest builds hostile spreadsheets for tests and benchmarks:
// zip bombs and files that pass one of excel.Limits each, generated in
// memory with streaming writers (never committed as files). Packages that
// read uploads (excel, sheets, http, cmd/ducha) post the same bombs.
package exceltest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Bomb is one hostile file and what refusing it says.
type Bomb struct {
	Name string // what it is, e.g. "shared string of 1 GiB"
	File string // a file name with its extension
	Data []byte
	// Want is a fragment of the message excel.Read refuses it with under
	// excel.DefaultLimits.
	Want string
}

// Bombs returns every bomb, with header (three or more header names of
// the spec the reader will be given) as the first row of each sheet or
// csv, so that the reader takes the sheet for a table and reads on. The
// large compressed parts are built once per process.
func Bombs(header ...string) []Bomb {
	h := header
	key := strings.Join(h, ",") + ":"
	var bs []Bomb
	add := func(name, file, want string, data []byte) {
		bs = append(bs, Bomb{Name: name, File: file, Data: data, Want: want})
	}
	add("shared string of 1 GiB", "sst-1gib.xlsx", "文件解压后超过 256 MB 的上限",
		workbook(h, cached("sst-1gib", sstOf(1<<30)), nil))
	add("sheet XML of 2 GiB of whitespace", "whitespace-2gib.xlsx", "文件解压后超过 256 MB 的上限",
		workbook(h, nil, cached("ws-2gib", sheetOf(nil, func(w io.Writer) { repeat(w, ' ', 2<<30) }, ""))))
	add("shared string of 100 MiB", "sst-100mib.xlsx", "单元格的内容超过 32767 个字符的上限",
		workbook(h, cached("sst-100mib", sstOf(100<<20)), nil))
	add("whitespace of 100 MiB between two rows", "whitespace-100mib.xlsx", "有一段连续内容超过上限（一个单元格最多 32767 个字符）",
		workbook(h, nil, cached(key+"ws-100mib", sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2"><v>1</v></c></row>`)
			repeat(w, '\n', 100<<20)
			io.WriteString(w, `<row r="3"><c r="A3"><v>1</v></c></row>`)
		}, ""))))
	add("inline string of 100 MiB", "inline-100mib.xlsx", "第2行：单元格 A2 的内容超过 32767 个字符的上限",
		workbook(h, nil, cached(key+"inline-100mib", sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeat(w, 'a', 100<<20)
			io.WriteString(w, `</t></is></c></row>`)
		}, ""))))
	add("inline string of 40,000 characters in runs", "inline-runs.xlsx", "单元格 B2 的内容超过 32767 个字符的上限",
		workbook(h, nil, compress(sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="B2" t="inlineStr"><is>`)
			run := "<r><t>" + strings.Repeat("查", 1000) + "</t></r>"
			for range 40 {
				io.WriteString(w, run)
			}
			io.WriteString(w, `</is></c></row>`)
		}, ""))))
	add("3,000,000 tiny rows", "rows-3m.xlsx", "表格超过 200000 行数据的上限",
		workbook(h, nil, cached(key+"rows-3m", sheetOf(nil, func(w io.Writer) {
			tinyRows(w, header, 3_000_000)
		}, ""))))
	add("40,000,000 empty rows <row/>", "empty-rows.xlsx", "超出了 Excel 工作表的范围",
		workbook(h, nil, cached(key+"empty-rows", sheetOf(h, func(w io.Writer) {
			chunk := []byte(strings.Repeat("<row/>", 1<<16))
			for range 40_000_000 >> 16 {
				w.Write(chunk)
			}
		}, ""))))
	add("60,000,000 empty cells <c/>", "empty-cells.xlsx", "超出了 Excel 工作表的范围",
		workbook(h, nil, cached(key+"empty-cells", sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2">`)
			chunk := []byte(strings.Repeat("<c/>", 1<<16))
			for range 60_000_000 >> 16 {
				w.Write(chunk)
			}
			io.WriteString(w, `</row>`)
		}, ""))))
	add("1,000,001 shared strings", "sst-count.xlsx", "不重复文字超过 1000000 条的上限",
		workbook(h, cached("sst-count", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="`+nsMain+`">`)
			for range 1_000_001 {
				io.WriteString(w, "<si><t>a</t></si>")
			}
			io.WriteString(w, "</sst>")
		}), nil))
	add("5,000 merges A1:A1048576 over 1,000 rows", "merges-column.xlsx", "纵向合并的单元格共超过 1000000 个的上限",
		workbook(h, nil, compress(sheetOf(h, func(w io.Writer) { dataRows(w, 1000) }, mergeCells(5000, "A1:A1048576")))))
	add("100,001 merges", "merges-count.xlsx", "合并单元格超过 100000 处的上限",
		workbook(h, nil, compress(sheetOf(h, func(w io.Writer) { dataRows(w, 3) }, mergeCells(100_001, "B2:C2")))))
	add("a value in column XFD", "column-xfd.xlsx", "单元格 XFD2 超出了 256 列（IV 列）的上限",
		workbook(h, nil, compress(sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2"><v>1</v></c></row>`)
		}, ""))))
	add("100,001 zip entries", "entries.xlsx", "文件中的部件超过 100000 个", manyEntries(100_001))
	add("csv field of 40 MiB", "field.csv", "第2行：单元格的内容超过 32767 个字符的上限",
		csvOf(h, func(w io.Writer) { repeat(w, 'a', 40<<20) }))
	add("csv record of 1,000,000 columns", "columns.csv", "第2行：这一行超过 256 列的上限",
		csvOf(h, func(w io.Writer) {
			io.WriteString(w, "x")
			for range 999_999 {
				io.WriteString(w, ",x")
			}
		}))
	add("csv of 3,000,000 rows", "rows.csv", "表格超过 200000 行数据的上限",
		csvOf(h, func(w io.Writer) {
			for i := range 3_000_000 {
				if i > 0 {
					io.WriteString(w, "\n")
				}
				io.WriteString(w, "1")
			}
		}))
	add("csv of 60,000,000 empty lines", "empty-lines.csv", "超出了 Excel 工作表的范围",
		csvOf(h, func(w io.Writer) { repeat(w, '\n', 60_000_000) }))
	add("one shared string of 32,000 characters in 2,000 rows", "sst-amplified.xlsx", "表格中的文字共超过 30000000 个字符的上限",
		workbook(h, compress(sstOf(32_000)), compress(sheetOf(h, func(w io.Writer) {
			for i := 2; i < 2002; i++ {
				fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>`, i, i)
			}
		}, ""))))
	add("a cell of 32,000 characters merged down over 1,000 rows", "merge-amplified.xlsx", "表格中的文字共超过 30000000 个字符的上限",
		workbook(h, compress(sstOf(32_000)), compress(sheetOf(h, func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
			for i := 3; i < 1002; i++ {
				fmt.Fprintf(w, `<row r="%d"><c r="B%d"><v>%d</v></c></row>`, i, i, i)
			}
		}, mergeCells(1, "A2:A1001")))))
	add("30,000,000 nested elements <x>", "nested.xlsx", "的 XML 嵌套超过 64 层",
		workbook(h, nil, cached(key+"nested", sheetOf(h, func(w io.Writer) {
			chunk := []byte(strings.Repeat("<x>", 1<<16))
			for range 30_000_000 >> 16 {
				w.Write(chunk)
			}
		}, ""))))
	add("csv of 118,000 rows of 256 one-character cells", "cells.csv", "表格中有内容的单元格超过 5000000 个的上限",
		csvOf(h, func(w io.Writer) {
			line := []byte(strings.Repeat("x,", 255) + "x\n")
			for range 118_000 {
				w.Write(line)
			}
		}))
	add("csv of 80 MiB", "big.csv", "文件大小超过 64 MB 的上限",
		csvOf(h, func(w io.Writer) {
			line := strings.Repeat("数", 100) + "\n"
			for range (80 << 20) / len(line) {
				io.WriteString(w, line)
			}
		}))
	return bs
}

// SlowBombs returns the bombs that are refused only after as much work as
// the largest file the limits admit: a second or more and a gigabyte or
// more allocated (mostly the XML decoder's garbage), though the heap stays
// small. Package excel reads them; the packages that post every bomb
// through their routes read Bombs.
func SlowBombs(header ...string) []Bomb {
	h := header
	key := strings.Join(h, ",") + ":"
	return []Bomb{{
		Name: "50,000 rows of 256 one-character cells", File: "cells.xlsx", Want: "表格中有内容的单元格超过 5000000 个的上限",
		Data: workbook(h, nil, cached(key+"cells", sheetOf(h, func(w io.Writer) {
			row := []byte("<row>" + strings.Repeat("<c><v>1</v></c>", 256) + "</row>")
			for range 50_000 {
				w.Write(row)
			}
		}, ""))),
	}, {
		Name: "60,000,000 elements <x/> in sheetData", File: "elements.xlsx", Want: "XML 元素超过 20000000 个的上限（读到 xl/worksheets/sheet1.xml 时）",
		Data: workbook(h, nil, cached(key+"elements", sheetOf(h, func(w io.Writer) {
			chunk := []byte(strings.Repeat("<x/>", 1<<16))
			for range 60_000_000 >> 16 {
				w.Write(chunk)
			}
		}, ""))),
	}}
}

// Deceptive returns files that are small but would import something other
// than what Excel shows; excel.Read refuses each with an *excel.Error that
// is not a limit, saying Want.
func Deceptive(header ...string) []Bomb {
	h := header
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(strings.Join(h, ",") + "\n县水务局,1,2\n")
	shadow := compress(sheetOf(h, func(w io.Writer) { dataRows(w, 3) }, ""))
	return []Bomb{{
		Name: "csv of GB18030 bytes after a UTF-8 BOM", File: "bom-gb18030.csv", Want: "第1行：文件开头的标记（BOM）表明是 UTF-8 编码",
		Data: []byte("\xEF\xBB\xBF" + gb),
	}, {
		Name: "two sheet parts whose names differ in case", File: "case-twins.xlsx", Want: "有两个同名的部件“xl/worksheets/sheet1.xml”和“XL/Worksheets/Sheet1.xml”",
		Data: workbookWith(h, nil, nil, func(putRaw func(string, *part)) { putRaw("XL/Worksheets/Sheet1.xml", shadow) }),
	}}
}

const nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

// part is one compressed zip part, ready for zip.Writer.CreateRaw.
type part struct {
	crc      uint32
	size     uint64
	deflated []byte
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*part{}
)

// cached is compress(gen), built once per process under key (which names
// the header inside).
func cached(key string, gen func(io.Writer)) *part {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if p, ok := cache[key]; ok {
		return p
	}
	p := compress(gen)
	cache[key] = p
	return p
}

// compress deflates what gen writes, streaming: the bytes are never held
// uncompressed.
func compress(gen func(io.Writer)) *part {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	crc := crc32.NewIEEE()
	cw := &countWriter{}
	bw := newBufWriter(io.MultiWriter(fw, crc, cw))
	gen(bw)
	bw.flush()
	fw.Close()
	return &part{crc: crc.Sum32(), size: cw.n, deflated: buf.Bytes()}
}

type countWriter struct{ n uint64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += uint64(len(p)); return len(p), nil }

// bufWriter batches the many small writes of the generators.
type bufWriter struct {
	w   io.Writer
	buf []byte
}

func newBufWriter(w io.Writer) *bufWriter { return &bufWriter{w: w, buf: make([]byte, 0, 1<<20)} }

func (b *bufWriter) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > cap(b.buf) {
		b.flush()
	}
	if len(p) > cap(b.buf) {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *bufWriter) flush() {
	b.w.Write(b.buf)
	b.buf = b.buf[:0]
}

// repeat writes n bytes c.
func repeat(w io.Writer, c byte, n int) {
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	for ; n > 0; n -= len(chunk) {
		w.Write(chunk[:min(n, len(chunk))])
	}
}

// sstOf is a shared-string table of one string of n 'a'.
func sstOf(n int) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="`+nsMain+`" count="1" uniqueCount="1"><si><t>`)
		repeat(w, 'a', n)
		io.WriteString(w, `</t></si></sst>`)
	}
}

// sheetOf is a worksheet: header (if any) in row 1, then what rows
// writes inside sheetData, then merges after it.
func sheetOf(header []string, rows func(io.Writer), merges string) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="`+nsMain+`"><sheetData>`)
		if header != nil {
			io.WriteString(w, headerRow(header))
		}
		rows(w)
		io.WriteString(w, `</sheetData>`+merges+`</worksheet>`)
	}
}

func headerRow(header []string) string {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&b, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	b.WriteString(`</row>`)
	return b.String()
}

// tinyRows writes the header and then n rows of one number each.
func tinyRows(w io.Writer, header []string, n int) {
	io.WriteString(w, headerRow(header))
	buf := make([]byte, 0, 64)
	for i := 2; i < n+2; i++ {
		buf = append(buf[:0], `<row r="`...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, `"><c><v>1</v></c></row>`...)
		w.Write(buf)
	}
}

// dataRows writes n rows below the header, each with a value in A and B.
func dataRows(w io.Writer, n int) {
	for i := 2; i < n+2; i++ {
		fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>第%d行</t></is></c></row>`, i, i, i, i, i)
	}
}

func mergeCells(n int, ref string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<mergeCells count="%d">`, n)
	for range n {
		b.WriteString(`<mergeCell ref="` + ref + `"/>`)
	}
	b.WriteString(`</mergeCells>`)
	return b.String()
}

// workbook assembles an xlsx package around a shared-string table and a
// sheet; a nil part gets a small valid one (the header alone).
func workbook(header []string, sst, sheet *part) []byte {
	return workbookWith(header, sst, sheet, nil)
}

// workbookWith is workbook with more entries, which extra writes last.
func workbookWith(header []string, sst, sheet *part, extra func(putRaw func(string, *part))) []byte {
	if sheet == nil {
		sheet = compress(sheetOf(header, func(io.Writer) {}, ""))
	}
	if sst == nil {
		sst = compress(func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="`+nsMain+`"></sst>`)
		})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, content string) {
		w, _ := zw.Create(name)
		io.WriteString(w, content)
	}
	putRaw := func(name string, p *part) {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: p.crc,
			CompressedSize64: uint64(len(p.deflated)), UncompressedSize64: p.size, Modified: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		w.Write(p.deflated)
	}
	putFixed(put)
	putRaw("xl/sharedStrings.xml", sst)
	putRaw("xl/worksheets/sheet1.xml", sheet)
	if extra != nil {
		extra(putRaw)
	}
	zw.Close()
	return buf.Bytes()
}

// putFixed writes the parts every bomb shares: relationships, workbook, styles.
func putFixed(put func(name, content string)) {
	const rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+rels+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="`+nsMain+`" xmlns:r="`+rels+`"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+rels+`/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="`+rels+`/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="`+rels+`/styles" Target="styles.xml"/></Relationships>`)
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="`+nsMain+`"><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>`)
}

// Workbook is a small valid xlsx package whose only sheet is sheetData
// (the XML inside <sheetData>), for fuzzing the sheet reader. Its parts
// are stored uncompressed, which is quick to build.
func Workbook(sheetData []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, content string) {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		io.WriteString(w, content)
	}
	putFixed(put)
	put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="`+nsMain+`"></sst>`)
	put("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="`+nsMain+`"><sheetData>`+
		string(sheetData)+`</sheetData></worksheet>`)
	zw.Close()
	return buf.Bytes()
}

// manyEntries is a zip of n empty entries.
func manyEntries(n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store})
	}
	zw.Close()
	return buf.Bytes()
}

// csvOf is a csv: the header line, then what rest writes.
func csvOf(header []string, rest func(io.Writer)) []byte {
	var buf bytes.Buffer
	buf.WriteString(strings.Join(header, ",") + "\n")
	rest(&buf)
	buf.WriteString("\n")
	return buf.Bytes()
}

// Alloc runs f and returns the bytes the heap grew by at most while it
// ran: the bytes allocated (runtime.MemStats.TotalAlloc), which does not
// depend on when the collector ran. Nothing else should run meanwhile.
func Alloc(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// PeakHeap runs f and returns the largest heap (runtime/metrics
// /memory/classes/heap/objects:bytes) sampled every millisecond while it
// ran, less the heap before it started. The collector runs at GOGC=10
// meanwhile, so that the figure is the live heap and not the garbage a
// large heap lets pile up before each collection.
func PeakHeap(f func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	peak := base
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	}()
	f()
	close(done)
	<-stopped
	peak = max(peak, read())
	return peak - base
}
