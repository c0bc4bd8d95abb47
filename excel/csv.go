package excel

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// decodeText converts csv bytes to UTF-8: a BOM decides when present, then
// valid UTF-8 is taken as UTF-8 and anything else is decoded as GB18030.
// Text that its BOM misdescribes (GB18030 bytes after a UTF-8 BOM, which
// would otherwise read as U+FFFD) is refused with an *Error naming the line.
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		text := data[3:]
		if !utf8.Valid(text) {
			return nil, errMisencoded("UTF-8", text, invalidUTF8(text))
		}
		return text, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if at := invalidUTF16(data[2:], data[0] == 0xFE); at >= 0 {
			return nil, errMisencoded("UTF-16", nil, at)
		}
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	case utf8.Valid(data):
		return data, nil
	}
	return simplifiedchinese.GB18030.NewDecoder().Bytes(data)
}

// invalidUTF8 is the offset of the first byte of b that is not UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// invalidUTF16 is the offset of the first code unit of b that is not
// UTF-16 (a surrogate out of its pair, a byte left over), or -1.
func invalidUTF16(b []byte, bigEndian bool) int {
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(b[i])<<8 | uint16(b[i+1])
		}
		return uint16(b[i+1])<<8 | uint16(b[i])
	}
	for i := 0; i < len(b); i += 2 {
		if i+1 == len(b) {
			return i
		}
		switch u := unit(i); {
		case u >= 0xD800 && u < 0xDC00:
			if i+3 >= len(b) {
				return i
			}
			if v := unit(i + 2); v < 0xDC00 || v >= 0xE000 {
				return i
			}
			i += 2
		case u >= 0xDC00 && u < 0xE000:
			return i
		}
	}
	return -1
}

// errMisencoded refuses text that is not in the encoding its BOM names;
// text, when given, tells the line of the bad byte at offset at.
func errMisencoded(enc string, text []byte, at int) *Error {
	e := &Error{Message: "文件开头的标记（BOM）表明是 " + enc + " 编码，但内容中有不是 " + enc +
		" 编码的字节（文件可能实际是 GB18030/GBK 编码，或已损坏），已拒绝导入，以免导入乱码；请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”格式，或用记事本另存为 UTF-8 编码后再上传"}
	if text != nil {
		e.Row = 1 + lineBreaks(text[:at], true)
	}
	return e
}

// lineBreaks counts the line ends in b: "\n" and "\r\n", and with cr a
// lone "\r" too.
func lineBreaks(b []byte, cr bool) int {
	n := bytes.Count(b, []byte("\n"))
	if cr {
		n += bytes.Count(b, []byte("\r")) - bytes.Count(b, []byte("\r\n"))
	}
	return n
}

// csvSpan is a record with a quoted field over several lines, kept to be
// checked against the header's width once the header is known.
type csvSpan struct {
	line      int // the record's first line
	fieldLine int // where the quoted field began
	endLine   int // where it ended
	width     int // the record's fields
}

// readCSV reads a csv file into a table.
func (m *matcher) readCSV(data []byte, filename string) (*Table, error) {
	text, err := decodeText(data)
	if e, ok := err.(*Error); ok {
		return nil, e
	}
	if err != nil || bytes.IndexByte(text, 0) >= 0 {
		return nil, &Error{Message: "无法识别的文件格式：请上传 .xlsx 或 .csv 文件"}
	}
	cr := &csvReader{data: text, line: 1, comma: ',', lim: m.lim}
	// Lines end as the first line does: with "\n" or "\r\n", or with a
	// lone "\r" (old Mac files, where "\r", "\r\n" and "\n" all end
	// lines). A lone "\r" in a file of the first kind stays text.
	end := bytes.IndexAny(text, "\r\n")
	if end >= 0 && text[end] == '\r' && (end+1 == len(text) || text[end+1] != '\n') {
		cr.cr = true
	}
	if end < 0 {
		end = len(text)
	}
	if first := text[:end]; !bytes.Contains(first, []byte(",")) && bytes.Contains(first, []byte("\t")) {
		cr.comma = '\t'
	}
	cr.ends = string([]byte{cr.comma, '\n'})
	if cr.cr {
		cr.ends += "\r"
	}
	g := &grid{}
	widths := map[int]int{} // fields of the first rows, by line: the header is among them
	var spans []csvSpan
	var cells []rawCell
	for records := 1; ; records++ {
		if records%checkDoneEvery == 0 && m.lim.stopped() {
			return nil, errCanceled
		}
		rec, err := cr.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if records > max(excelRows, m.lim.MaxRows+headerAllowance) {
			return nil, errNotASheet()
		}
		if rec.spanLine > 0 {
			spans = append(spans, csvSpan{line: rec.line, fieldLine: rec.spanLine, endLine: rec.spanEnd, width: rec.width})
		}
		cells = cells[:0]
		for i, f := range rec.fields {
			if v := trimValue(f); v != "" {
				cells = append(cells, rawCell{col: i, val: v})
			}
		}
		if len(cells) == 0 {
			continue
		}
		if len(g.rows) > m.lim.MaxRows+headerAllowance {
			return nil, errTooManyRows(m.lim)
		}
		if len(g.rows) <= headerAllowance {
			widths[rec.line] = rec.width
		}
		if err := m.addRow(g, rec.line, cells); err != nil {
			return nil, err
		}
	}
	t, err := m.buildTable(g)
	if err == errNoHeader {
		return nil, m.noHeaderError(filename)
	} else if err != nil {
		return nil, err
	}
	for _, s := range spans {
		if s.line > t.HeaderRow && s.width > widths[t.HeaderRow] {
			return nil, errSwallowed(s.fieldLine, s.endLine)
		}
	}
	return t, nil
}

// csvReader splits csv text into records. It reads RFC 4180 with one
// leniency and two strictnesses, chosen so that no input can silently
// merge two rows into one record (which once imported one case where the
// file had two):
//
//   - A quote inside a field that does not begin with a quote is text, as
//     offices type it (他说"不行"): such a quote cannot open a quoted
//     field, so it can never swallow a line break.
//   - A quoted field must end with a quote followed by the separator, a
//     line end or the end of the file ("" inside is a quote); anything else
//     is an error naming the line. Go's LazyQuotes instead kept such a quote
//     as text and read on, folding the following lines into the field until
//     some later quote happened to close it.
//   - A quoted field that runs over several lines is legitimate (a cell
//     with a line break), but it is also what a missing closing quote looks
//     like when a later quote happens to close the field. So it is refused
//     when the field holds the separator (the swallowed rows bring theirs)
//     or when its record has more fields than the header (the rest of the
//     closing row follows the quote). What remains is a field that, read
//     either way, yields one record with no more fields than the header
//     and no separator inside: exactly the shape of a cell with a line
//     break. A cell that really holds a line break and a comma must come in
//     an .xlsx file.
//
// Lines end with \n or \r\n; \r\n inside a quoted field becomes \n. With
// cr (a file whose first line ends with a lone \r), a lone \r ends a line
// too, and becomes \n inside a quoted field.
type csvReader struct {
	data   []byte
	pos    int
	line   int // line of data[pos]
	comma  byte
	cr     bool   // a lone '\r' ends a line
	ends   string // comma and line ends, what ends an unquoted field
	lim    Limits
	fields []string
	buf    []byte
}

// csvRecord is one record as read.
type csvRecord struct {
	line     int      // the line it begins on
	fields   []string // up to lim.MaxColumns; valid until the next record
	width    int      // its fields, empty ones past MaxColumns included
	spanLine int      // where a quoted field over several lines began, or 0
	spanEnd  int      // where that field ended
}

// next returns the next record, or io.EOF at the end of the text.
func (r *csvReader) next() (csvRecord, error) {
	if r.pos >= len(r.data) {
		return csvRecord{}, io.EOF
	}
	rec := csvRecord{line: r.line}
	r.fields = r.fields[:0]
	for {
		var f string
		var err error
		if r.pos < len(r.data) && r.data[r.pos] == '"' {
			f, err = r.quoted(&rec)
		} else {
			f, err = r.unquoted(rec.line)
		}
		if err != nil {
			return rec, err
		}
		// Empty fields past the last column are dropped rather than
		// refused: Excel pads every row to its widest, but never past its
		// last column, XFD.
		if rec.width++; rec.width > r.lim.MaxColumns {
			if trimValue(f) != "" || rec.width > excelColumns {
				return rec, errTooManyColumns(r.lim, rec.line, "")
			}
		} else {
			r.fields = append(r.fields, f)
		}
		if r.pos >= len(r.data) {
			break
		}
		c := r.data[r.pos]
		r.pos++
		if c == '\r' { // only with r.cr: otherwise a field takes a lone '\r'
			if r.pos < len(r.data) && r.data[r.pos] == '\n' {
				r.pos++
			}
			c = '\n'
		}
		if c == '\n' {
			r.line++
			break
		}
		// c is the separator: another field follows.
	}
	rec.fields = r.fields
	return rec, nil
}

// unquoted reads a field that does not begin with a quote, up to the
// separator or the line end.
func (r *csvReader) unquoted(line int) (string, error) {
	rest := r.data[r.pos:]
	end := bytes.IndexAny(rest, r.ends)
	if end < 0 {
		end = len(rest)
	}
	f := rest[:end]
	r.pos += end
	if n := len(f); n > 0 && f[n-1] == '\r' && (r.pos == len(r.data) || r.data[r.pos] == '\n') {
		f = f[:n-1]
	}
	if runeCount(f) > r.lim.MaxCellChars {
		return "", errCellTooLong(r.lim, line, "")
	}
	return string(f), nil
}

// quoted reads a field that begins with a quote, through its closing
// quote; r.pos is left on what follows.
func (r *csvReader) quoted(rec *csvRecord) (string, error) {
	start := r.line
	r.pos++ // the opening quote
	r.buf = r.buf[:0]
	chars := 0
	for {
		j := bytes.IndexByte(r.data[r.pos:], '"')
		if j < 0 {
			return "", quoteError(start, 0, "引号没有闭合")
		}
		seg := r.data[r.pos : r.pos+j]
		r.line += lineBreaks(seg, r.cr)
		if chars += runeCount(seg); chars > r.lim.MaxCellChars {
			return "", errCellTooLong(r.lim, start, "")
		}
		r.buf = append(r.buf, seg...)
		r.pos += j + 1
		if r.pos < len(r.data) && r.data[r.pos] == '"' { // "" is one quote
			r.buf = append(r.buf, '"')
			chars++
			r.pos++
			continue
		}
		break
	}
	if !r.cr && r.pos < len(r.data) && r.data[r.pos] == '\r' && (r.pos+1 == len(r.data) || r.data[r.pos+1] == '\n') {
		r.pos++
	}
	if r.pos < len(r.data) && r.data[r.pos] != r.comma && r.data[r.pos] != '\n' && (!r.cr || r.data[r.pos] != '\r') {
		return "", quoteError(start, r.line, "引号位置不对")
	}
	f := r.buf
	if r.line > start {
		f = bytes.ReplaceAll(f, []byte("\r\n"), []byte("\n"))
		if r.cr {
			f = bytes.ReplaceAll(f, []byte("\r"), []byte("\n"))
		}
		if bytes.IndexByte(f, r.comma) >= 0 {
			return "", errSwallowed(start, r.line)
		}
		if rec.spanLine == 0 {
			rec.spanLine, rec.spanEnd = start, r.line
		}
	}
	return string(f), nil
}

// quoteHint is what every quoting error tells the user to do.
const quoteHint = "字段中的引号须成对，或整个字段用引号括起"

// quoteError is a quote out of place in the quoted field that began on
// line start; at is the line where that showed, when it is a later one.
func quoteError(start, at int, what string) *Error {
	if at > start {
		return &Error{Row: start, Message: fmt.Sprintf("CSV 格式错误，%s（第%d行开始的带引号字段到第%d行出现了多余的引号；%s）", what, start, at, quoteHint)}
	}
	return &Error{Row: start, Message: fmt.Sprintf("CSV 格式错误，%s（%s）", what, quoteHint)}
}

// errSwallowed is a quoted field over lines start to end that looks like a
// missing closing quote which took in the lines below.
func errSwallowed(start, end int) *Error {
	return &Error{Row: start, Message: fmt.Sprintf("CSV 格式错误，引号位置不对：第%d行开始的带引号字段一直延续到第%d行，可能缺少右引号而把下面的行并入了这一行（%s；单元格中确有换行和逗号时请改用 .xlsx 文件）", start, end, quoteHint)}
}
