package excel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Limits bound what ReadLimited accepts, so that a small hostile file (a
// zip bomb, millions of tiny rows, merges over whole columns) is refused in
// a moment with bounded memory instead of occupying the server for minutes.
// Every limit is checked while the file streams, never after its content is
// in memory. A zero field takes its value from DefaultLimits.
//
// Memory while reading stays within about MaxFileBytes (the file itself)
// plus what the table keeps: the shared strings and the rows, which
// MaxUnzippedBytes, MaxSharedStrings, MaxRows, MaxCells and MaxTotalChars
// bound; once the header is known, only the cells of the columns it can
// map are kept. The work is bounded too: the XML elements of a workbook
// (4 for each cell MaxCells allows) and their nesting (64 levels).
type Limits struct {
	// MaxFileBytes bounds the file as uploaded: the zip package or the csv
	// text. Flag --max-file-mb.
	MaxFileBytes int64
	// MaxUnzippedBytes bounds the bytes decompressed from all the parts of
	// a workbook that are read, together. Flag --max-unzipped-mb.
	MaxUnzippedBytes int64
	// MaxCellChars bounds one cell, one shared string or one csv field, in
	// characters (32,767 is Excel's own limit for a cell). It also bounds
	// any run of XML between two tags, so that neither text nor whitespace
	// can pile up in the XML decoder. Flag --max-cell-chars.
	MaxCellChars int
	// MaxSharedStrings bounds the number of shared strings of a workbook.
	MaxSharedStrings int
	// MaxRows bounds the data rows below the header. Flag --max-rows.
	MaxRows int
	// MaxColumns bounds the column of any cell that holds a value (real
	// tables have fewer than 50) and the fields of a csv record.
	MaxColumns int
	// MaxMergeRanges bounds the number of merged ranges of a sheet.
	MaxMergeRanges int
	// MaxMergedCells bounds the cells that filling vertical merges may
	// write: for each merged range, its rows below the top one, counted
	// down to the sheet's last non-empty row (a range drawn past the data
	// by mistake costs nothing there, so it is not counted).
	MaxMergedCells int64
	// MaxCells bounds the cells holding a value that a sheet or csv
	// yields, in all its columns, counted as the rows stream. It also sets
	// the budget of XML elements (start tags, comments and processing
	// instructions) of all the parts of a workbook together: 4 for each
	// cell allowed, 20,000,000 by default.
	MaxCells int
	// MaxTotalChars bounds the characters of all the cell values a table
	// yields: the title, the header and the data rows (below the first 16
	// rows, which may hold the header, the cells of columns the header
	// cannot map are dropped uncounted), each reference to a shared string
	// and each cell a vertical merge fills counted at full length, since
	// each is a full copy for the callers. It is checked as the rows
	// stream, and the fills once the header is known. Flag
	// --max-total-chars.
	MaxTotalChars int64
	// Done, when not nil, stops the read once it is closed (pass
	// ctx.Done() of the request): ReadLimited returns context.Canceled.
	// It is checked every few thousand XML tokens or csv records.
	Done <-chan struct{}
}

// WithDone returns l with Done set to done, for a caller passing its
// context in one expression: lim.WithDone(ctx.Done()).
func (l Limits) WithDone(done <-chan struct{}) Limits {
	l.Done = done
	return l
}

// DefaultLimits are the limits ReadLimited applies to zero fields and Read
// applies throughout: far above the county's real files (a ledger of a few
// thousand rows, a batch of a few hundred cases, under 5 MB) and far below
// what would hurt a small server. MaxTotalChars admits a ledger of MaxRows
// rows shaped like the benchmarks' (about 140 characters a row: 28 million
// in all).
var DefaultLimits = Limits{
	MaxFileBytes:     64 << 20,
	MaxUnzippedBytes: 256 << 20,
	MaxCellChars:     32767,
	MaxSharedStrings: 1_000_000,
	MaxRows:          200_000,
	MaxColumns:       256,
	MaxMergeRanges:   100_000,
	MaxMergedCells:   1_000_000,
	MaxCells:         5_000_000,
	MaxTotalChars:    30_000_000,
}

// withDefaults returns l with every zero (or negative) field taken from
// DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxUnzippedBytes <= 0 {
		l.MaxUnzippedBytes = d.MaxUnzippedBytes
	}
	if l.MaxCellChars <= 0 {
		l.MaxCellChars = d.MaxCellChars
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = d.MaxSharedStrings
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxMergeRanges <= 0 {
		l.MaxMergeRanges = d.MaxMergeRanges
	}
	if l.MaxMergedCells <= 0 {
		l.MaxMergedCells = d.MaxMergedCells
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	if l.MaxTotalChars <= 0 {
		l.MaxTotalChars = d.MaxTotalChars
	}
	return l
}

// ErrLimit is wrapped by every *Error that refuses a file for passing one
// of the Limits: errors.Is(err, ErrLimit) tells such a refusal from a
// malformed file.
var ErrLimit = errors.New("excel: file exceeds a limit")

// Structural bounds no real workbook comes near; they are not Limits
// because nobody should need to raise them.
const (
	// maxZipEntries bounds the parts of a package: the zip reader keeps a
	// few hundred bytes for each entry of the central directory, which
	// costs only 46 bytes in the file.
	maxZipEntries = 100_000
	// maxSheets bounds the sheets of a workbook (and its relationships),
	// as each sheet listed may be opened and scanned.
	maxSheets = 1000
	// maxStyles bounds the cell formats read from styles.xml; Excel allows
	// about 64,000.
	maxStyles = 1 << 16
	// headerAllowance is how many rows above the data a sheet may have: the
	// header is searched in the first headerScanRows rows and may take two.
	headerAllowance = headerScanRows + 1
	// excelRows and excelColumns are the size of an Excel sheet (A1 to
	// XFD1048576). Empty rows and cells cost nothing in the table but
	// time to parse, so their elements are bounded by the grid they
	// must fit in: a few hundred kilobytes of <row/> would otherwise keep
	// the XML decoder busy for half a minute.
	excelRows    = 1 << 20
	excelColumns = 1 << 14
	// elementsPerCell is the XML elements a workbook may hold for each
	// cell MaxCells allows (a cell takes two or three: <c><v>, or
	// <c><is><t>; rows, shared strings and styles take fewer): see
	// elementBudget.
	elementsPerCell = 4
	// maxXMLDepth bounds the nesting of the elements of a part; OOXML
	// nests about ten deep.
	maxXMLDepth = 64
	// checkDoneEvery is how many XML tokens or csv records pass between
	// two looks at Limits.Done.
	checkDoneEvery = 1 << 12
)

// elementBudget is the XML elements (start tags, comments, processing
// instructions) all the parts of a workbook may hold together.
func (l Limits) elementBudget() int64 { return elementsPerCell * int64(l.MaxCells) }

// stopped reports whether the caller has given up (Limits.Done is closed).
func (l Limits) stopped() bool {
	if l.Done == nil {
		return false
	}
	select {
	case <-l.Done:
		return true
	default:
		return false
	}
}

// errCanceled is what a read the caller gave up returns.
var errCanceled = context.Canceled

// The messages name each limit in the units a user understands and the
// flag of `ducha serve` and the import commands that raises it; limits
// without a flag say what to change in the file instead.
func limitError(row int, format string, args ...any) *Error {
	return &Error{Row: row, Message: fmt.Sprintf(format, args...), Err: ErrLimit}
}

func errFileTooBig(l Limits) *Error {
	return limitError(0, "文件大小超过 %s 的上限，已拒绝导入（管理员可用 --max-file-mb 调整）", byteText(l.MaxFileBytes))
}

func errUnzippedTooBig(l Limits) *Error {
	return limitError(0, "文件解压后超过 %s 的上限，已拒绝导入（管理员可用 --max-unzipped-mb 调整）", byteText(l.MaxUnzippedBytes))
}

// errCellTooLong is about one cell; ref is "C5" in a sheet, "" in a csv
// (whose row says where).
func errCellTooLong(l Limits, row int, ref string) *Error {
	what := "单元格"
	if ref != "" {
		what = "单元格 " + ref + " "
	}
	return limitError(row, "%s的内容超过 %d 个字符的上限，已拒绝导入（管理员可用 --max-cell-chars 调整）", what, l.MaxCellChars)
}

func errRunTooLong(l Limits, part string) *Error {
	return limitError(0, "Excel 文件中的 %s 有一段连续内容超过上限（一个单元格最多 %d 个字符），已拒绝导入（管理员可用 --max-cell-chars 调整）", part, l.MaxCellChars)
}

func errTooManyRows(l Limits) *Error {
	return limitError(0, "表格超过 %d 行数据的上限，已拒绝导入（管理员可用 --max-rows 调整，或把文件拆开分批导入）", l.MaxRows)
}

func errTooManySharedStrings(l Limits) *Error {
	return limitError(0, "Excel 文件中的不重复文字超过 %d 条的上限，已拒绝导入（请检查文件是否正常，或把文件拆开分批导入）", l.MaxSharedStrings)
}

// errTooManyColumns is about a cell (ref "XFD1") or a csv record (ref "").
func errTooManyColumns(l Limits, row int, ref string) *Error {
	if ref != "" {
		return limitError(row, "单元格 %s 超出了 %d 列（%s 列）的上限，已拒绝导入（请删除表格右侧多余的内容）", ref, l.MaxColumns, columnName(l.MaxColumns-1))
	}
	return limitError(row, "这一行超过 %d 列的上限，已拒绝导入（请删除表格右侧多余的内容）", l.MaxColumns)
}

func errTooManyMerges(l Limits) *Error {
	return limitError(0, "工作表中的合并单元格超过 %d 处的上限，已拒绝导入（请取消不必要的合并单元格）", l.MaxMergeRanges)
}

func errMergedTooLarge(l Limits) *Error {
	return limitError(0, "工作表中纵向合并的单元格共超过 %d 个的上限，已拒绝导入（请取消不必要的合并单元格）", l.MaxMergedCells)
}

func errTooManyCells(l Limits) *Error {
	return limitError(0, "表格中有内容的单元格超过 %d 个的上限，已拒绝导入（请删除不需要的行和列，或把文件拆开分批导入）", l.MaxCells)
}

func errTooMuchText(l Limits, row int) *Error {
	return limitError(row, "表格中的文字共超过 %d 个字符的上限（同一段文字每出现一次都计算在内），已拒绝导入（管理员可用 --max-total-chars 调整，或把文件拆开分批导入）", l.MaxTotalChars)
}

func errTooManyElements(l Limits, part string) *Error {
	return limitError(0, "Excel 文件中的 XML 元素超过 %d 个的上限（读到 %s 时），不是正常的表格文件，已拒绝导入（请检查文件，或把文件拆开分批导入）", l.elementBudget(), part)
}

func errTooDeep(part string) *Error {
	return limitError(0, "Excel 文件中的 %s 的 XML 嵌套超过 %d 层，不是正常的 Excel 文件，已拒绝导入", part, maxXMLDepth)
}

func errNotASheet() *Error {
	return limitError(0, "表格的行或列超出了 Excel 工作表的范围（%d 行、%d 列），不是正常的表格文件，已拒绝导入", excelRows, excelColumns)
}

func errTooManyParts() *Error {
	return limitError(0, "文件中的部件超过 %d 个，不是正常的 Excel 文件，已拒绝导入", maxZipEntries)
}

func errTooManySheets() *Error {
	return limitError(0, "工作簿中的工作表超过 %d 个的上限，已拒绝导入", maxSheets)
}

// byteText renders a byte count as users read it: "64 MB", "1.5 MB", "512 KB".
func byteText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// columnName renders a 0-based column index as Excel's letters (0 → A,
// 255 → IV, 16383 → XFD).
func columnName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// readInput reads the whole file, refusing it once it passes
// l.MaxFileBytes. A reader that can seek (a file, a multipart upload, a
// bytes.Reader) is measured first, so a file too big is refused without
// being read and one within the limit is read into a buffer of its size.
func readInput(r io.Reader, l Limits) ([]byte, error) {
	var size int64 = -1
	if s, ok := r.(io.Seeker); ok {
		if cur, err := s.Seek(0, io.SeekCurrent); err == nil {
			if end, err := s.Seek(0, io.SeekEnd); err == nil {
				if _, err := s.Seek(cur, io.SeekStart); err != nil {
					return nil, err
				}
				size = end - cur
			}
		}
	}
	if size > l.MaxFileBytes {
		return nil, errFileTooBig(l)
	}
	// One byte more than the limit tells a file of exactly the limit from
	// a longer one; the buffer doubles, so a stream of unknown size costs
	// at most twice its size.
	buf := make([]byte, 0, min(max(size, 0)+512, l.MaxFileBytes+1))
	for {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), min(2*int64(cap(buf)), l.MaxFileBytes+1))
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > l.MaxFileBytes {
			return nil, errFileTooBig(l)
		}
		if err == io.EOF {
			return buf, nil
		} else if err != nil {
			return nil, err
		}
	}
}

// budget is the decompressed bytes a workbook may still read.
type budget struct {
	left int64
	lim  Limits
}

// take charges n decompressed bytes.
func (b *budget) take(n int) error {
	b.left -= int64(n)
	if b.left < 0 {
		return errUnzippedTooBig(b.lim)
	}
	return nil
}

// countingReader charges what it reads from a zip part to the workbook's
// budget, whatever the part's header declared.
type countingReader struct {
	r io.Reader
	b *budget
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if e := c.b.take(n); e != nil {
		return 0, e
	}
	return n, err
}

// tokenGuard bounds the bytes of XML between two token boundaries, which
// is what encoding/xml buffers for one token: text or a tag from one '<'
// to the next, a comment, a CDATA section, a processing instruction. Without
// it, one gigabyte of text in a cell or of whitespace between two tags would
// be buffered whole before any check could see it. DTDs (<!DOCTYPE …>),
// which OOXML parts never contain, are refused.
type tokenGuard struct {
	r      io.Reader
	max    int    // bytes one token may span
	run    int    // bytes of the current token so far
	st     gstate // where in the markup the last byte left us
	k      int    // bytes matched of the marker, or of the end of a comment, CDATA or PI
	marker string // after "<!": "--" or "[CDATA["
	part   string
	lim    Limits
}

type gstate uint8

const (
	gText    gstate = iota // text or a plain tag: a token ends at '<'
	gOpen                  // just after '<'
	gBang                  // after "<!": a comment or CDATA must follow
	gComment               // inside <!-- … -->
	gCDATA                 // inside <![CDATA[ … ]]>
	gPI                    // inside <? … ?>
)

const cdataOpen = "[CDATA["

func (g *tokenGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if e := g.scan(p[:n]); e != nil {
		return 0, e
	}
	return n, err
}

// scan advances the guard over b.
func (g *tokenGuard) scan(b []byte) error {
	for i := 0; i < len(b); {
		if g.st == gText { // the common case: find the next '<' at once
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				g.run += len(b) - i
				break
			}
			g.run += j
			if g.run > g.max {
				return errRunTooLong(g.lim, g.part)
			}
			g.run, g.st = 1, gOpen
			i += j + 1
			continue
		}
		c := b[i]
		i++
		g.run++
		switch g.st {
		case gOpen:
			switch c {
			case '!':
				g.st, g.k, g.marker = gBang, 0, ""
			case '?':
				g.st, g.k = gPI, 0
			case '<':
				g.run = 1
			default:
				g.st = gText
			}
		case gBang:
			if g.k == 0 {
				switch c {
				case '-':
					g.marker = "--"
				case '[':
					g.marker = cdataOpen
				}
			}
			if g.marker == "" || c != g.marker[g.k] {
				return xmlError(g.part, errors.New("不支持 DTD 等 XML 声明"))
			}
			if g.k++; g.k == len(g.marker) {
				g.st, g.k = gComment, 0
				if g.marker == cdataOpen {
					g.st = gCDATA
				}
			}
		case gComment, gCDATA:
			end := byte('-')
			if g.st == gCDATA {
				end = ']'
			}
			switch {
			case c == end:
				g.k++
			case c == '>' && g.k >= 2:
				g.st, g.run, g.k = gText, 0, 0
			default:
				g.k = 0
			}
		case gPI:
			if c == '>' && g.k == 1 {
				g.st, g.run = gText, 0
			}
			g.k = 0
			if c == '?' {
				g.k = 1
			}
		}
		if g.run > g.max {
			return errRunTooLong(g.lim, g.part)
		}
	}
	if g.run > g.max {
		return errRunTooLong(g.lim, g.part)
	}
	return nil
}

// runeCount counts the characters of UTF-8 text: the bytes that do not
// continue a character. (utf8.RuneCount converts its argument to a string,
// which allocates for every cell.)
func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
