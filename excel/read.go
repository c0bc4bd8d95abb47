package excel

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// oleMagic starts legacy .xls workbooks and password-protected .xlsx files
// (both are OLE compound documents).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Read reads a table from an .xlsx workbook or a .csv file, told apart by
// content (an xlsx is a zip archive), not by filename, which only appears
// in error messages.
//
// A csv file may be UTF-8 (with or without BOM), GB18030 or UTF-16 with BOM;
// it is comma separated (tab separated when its first line has tabs and no
// commas) and quoted fields may span lines.
//
// In a workbook the sheets are scanned in order (visible sheets first) and
// the first one whose first 15 non-empty rows contain a header row is used.
// A header row is a row where at least spec.MinMatch cells match a column's
// names. A header row with horizontally merged group cells (整改责任 over
// 责任单位, 配合单位, …) and sub-headers in the row below is read as a
// two-row header. Vertically merged data cells are filled down to every row
// of the range; a horizontally merged data cell gives its value to its first
// column only.
//
// Errors about the content of the file are of type *Error, with a message
// in Chinese; a header lacking a required column gives
// 缺少必需的列“问题描述”.
func Read(r io.Reader, filename string, spec Spec) (*Table, error) {
	if len(spec.Columns) == 0 {
		return nil, errors.New("excel: spec has no columns")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	m := newMatcher(spec)
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, &Error{Message: "文件是空的"}
	case bytes.HasPrefix(data, []byte("PK")):
		return m.readXLSX(data, filename)
	case bytes.HasPrefix(data, oleMagic):
		return nil, &Error{Message: "这是旧版 Excel（.xls）文件或加密的工作簿，无法直接导入，请在 Excel 中“另存为”.xlsx 格式（并取消密码）后再上传"}
	}
	return m.readCSV(data, filename)
}

// decodeText converts csv bytes to UTF-8: a BOM decides when present, then
// valid UTF-8 is taken as UTF-8 and anything else is decoded as GB18030.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		return string(out), err
	case utf8.Valid(data):
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	return string(out), err
}

// readCSV reads a csv file into a table.
func (m *matcher) readCSV(data []byte, filename string) (*Table, error) {
	text, err := decodeText(data)
	if err != nil || strings.ContainsRune(text, 0) {
		return nil, &Error{Message: "无法识别的文件格式：请上传 .xlsx 或 .csv 文件"}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	if first, _, _ := strings.Cut(text, "\n"); !strings.Contains(first, ",") && strings.Contains(first, "\t") {
		cr.Comma = '\t'
	}
	g := &grid{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{Row: pe.StartLine, Message: "CSV 格式错误（" + pe.Err.Error() + "）"}
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		row := rawRow{num: line}
		for i, f := range rec {
			if v := trimValue(f); v != "" {
				row.cells = append(row.cells, rawCell{col: i, val: v})
			}
		}
		if len(row.cells) > 0 {
			g.rows = append(g.rows, row)
		}
	}
	t, err := m.buildTable(g)
	if err == errNoHeader {
		return nil, m.noHeaderError(filename)
	}
	return t, err
}
