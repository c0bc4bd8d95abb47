package excel

import (
	"bytes"
	"errors"
	"io"
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
// commas) and quoted fields may span lines. Quotes are read strictly (see
// csvReader): a quote out of place is an error naming its line, never a
// reason to join two lines into one record.
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
//
// Read applies DefaultLimits; see ReadLimited.
func Read(r io.Reader, filename string, spec Spec) (*Table, error) {
	return ReadLimited(r, filename, spec, Limits{})
}

// ReadLimited is Read within the limits lim (zero fields take
// DefaultLimits). A file that passes one is refused with an *Error that
// names the limit and wraps ErrLimit, as soon as the limit is passed: the
// file is read no further.
func ReadLimited(r io.Reader, filename string, spec Spec, lim Limits) (*Table, error) {
	if len(spec.Columns) == 0 {
		return nil, errors.New("excel: spec has no columns")
	}
	m := newMatcher(spec, lim)
	data, err := readInput(r, m.lim)
	if err != nil {
		return nil, err
	}
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
