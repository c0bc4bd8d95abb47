package excel

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// errStop is returned by a row callback to end reading a sheet early.
var errStop = errors.New("excel: stop")

// readSheet streams a worksheet: each row with a non-empty value is passed
// to add (which may return errStop) with its number and its cells in column
// order, which add must copy to keep; the merged ranges are returned at the
// end.
//
// The limits are checked as the XML streams: a cell's text as it
// accumulates, a value's column when the cell ends, the rows as they are
// passed on (the header's rows may come on top of MaxRows; the exact count
// of data rows is checked once the header is known), the merged ranges as
// they are read and the cells their fill would write before anything is
// filled; add checks the cells and characters.
func (wb *workbook) readSheet(name string, add func(num int, cells []rawCell) error) ([]cellRange, error) {
	p, err := wb.open(name)
	if p == nil {
		if err == nil {
			err = &Error{Message: "Excel 文件中缺少工作表 " + name}
		}
		return nil, err
	}
	defer p.Close()
	lim := wb.lim
	var (
		merges                 []cellRange
		cells                  []rawCell
		rowNum, col, lastCol   int
		style                  int
		typ                    string
		vbuf, tbuf             []byte
		chars                  int // characters in vbuf and tbuf
		inCell, inV, inT, inIS bool
		inRPh, sorted          bool
		rows, lastRow          int // rows passed to add, the last one's number
		rowElems, cellElems    int // elements seen: rows in the sheet, cells in the row
	)
	for {
		tok, err := p.token()
		if err == io.EOF {
			if mergedFill(merges, lastRow) > lim.MaxMergedCells {
				return nil, errMergedTooLarge(lim)
			}
			return merges, nil
		} else if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				if cellElems++; cellElems > excelColumns {
					return nil, errNotASheet()
				}
				inCell, typ, style = true, "", 0
				vbuf, tbuf, chars = vbuf[:0], tbuf[:0], 0
				col = lastCol + 1
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if cc, _, ok := parseRef(a.Value); ok {
							col = cc
						}
					case "s":
						style, _ = strconv.Atoi(a.Value)
					case "t":
						typ = a.Value
					}
				}
			case "v":
				inV = inCell
			case "is":
				inIS = inCell
			case "t":
				inT = inIS && !inRPh
			case "rPh":
				inRPh = true
			case "row":
				if rowElems++; rowElems > excelRows {
					return nil, errNotASheet()
				}
				cellElems = 0
				rowNum++
				if n, err := strconv.Atoi(attr(&t, "r")); err == nil && n > 0 {
					rowNum = n
				}
				cells, lastCol, sorted = cells[:0], -1, true
			case "mergeCell":
				// A range starting right of the last column cannot hold
				// a value; one reaching past it needs no more columns.
				if mr, ok := parseRange(attr(&t, "ref")); ok && mr.c1 < lim.MaxColumns {
					if len(merges) == lim.MaxMergeRanges {
						return nil, errTooManyMerges(lim)
					}
					mr.c2 = min(mr.c2, lim.MaxColumns-1)
					merges = append(merges, mr)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "is":
				inIS = false
			case "rPh":
				inRPh = false
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				if v := trimValue(wb.cellText(typ, style, vbuf, tbuf)); v != "" {
					// Cells beyond the last column are refused only when
					// they hold a value: Excel writes empty cells far
					// right for their formatting alone. A row with more
					// values than columns repeats a reference.
					if col >= lim.MaxColumns || len(cells) == lim.MaxColumns {
						return nil, errTooManyColumns(lim, rowNum, columnName(col)+strconv.Itoa(rowNum))
					}
					sorted = sorted && col > lastCol
					cells = append(cells, rawCell{col: col, val: v})
				}
				lastCol = col
			case "row":
				if len(cells) == 0 {
					continue
				}
				if rows++; rows > lim.MaxRows+headerAllowance {
					return nil, errTooManyRows(lim)
				}
				lastRow = max(lastRow, rowNum)
				if !sorted {
					sortCells(cells)
				}
				if err := add(rowNum, cells); err != nil {
					return merges, err
				}
			}
		case xml.CharData:
			if !inV && !inT {
				continue
			}
			if chars += runeCount(t); chars > lim.MaxCellChars {
				return nil, errCellTooLong(lim, rowNum, columnName(col)+strconv.Itoa(rowNum))
			}
			if inV {
				vbuf = append(vbuf, t...)
			} else {
				tbuf = append(tbuf, t...)
			}
		}
	}
}

// mergedFill is the number of cells filling the vertical merges may write:
// for each range, its rows below the top one down to lastRow.
func mergedFill(merges []cellRange, lastRow int) int64 {
	var n int64
	for _, mr := range merges {
		if bottom := min(mr.r2, lastRow); bottom > mr.r1 {
			n += int64(bottom - mr.r1)
		}
	}
	return n
}

func sortCells(cells []rawCell) {
	for i := 1; i < len(cells); i++ {
		for j := i; j > 0 && cells[j].col < cells[j-1].col; j-- {
			cells[j], cells[j-1] = cells[j-1], cells[j]
		}
	}
}

// cellText renders a cell value: strings as stored, booleans as TRUE/FALSE,
// numbers with a date format as ISO dates, other numbers in plain notation.
func (wb *workbook) cellText(typ string, style int, v, is []byte) string {
	switch typ {
	case "s":
		if i, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil && i >= 0 && i < len(wb.sst) {
			return wb.sst[i]
		}
		return ""
	case "inlineStr":
		if len(is) == 0 {
			return unescapeOOXML(string(v))
		}
		return unescapeOOXML(string(is))
	case "str", "e":
		return unescapeOOXML(string(v))
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return "TRUE"
		case "0", "false":
			return "FALSE"
		}
		return string(v)
	case "d":
		return isoDateText(string(bytes.TrimSpace(v)))
	}
	if len(v) == 0 {
		return ""
	}
	raw := string(bytes.TrimSpace(v))
	if style > 0 && style < len(wb.dateStyle) && wb.dateStyle[style] {
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			if s, ok := serialText(f, wb.date1904); ok {
				return s
			}
		}
	}
	return plainNumber(raw)
}

// parseRef parses a cell reference such as "AB12" (absolute "$A$1" too)
// into a 0-based column and a 1-based row.
func parseRef(s string) (col, row int, ok bool) {
	i := 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	col = 0
	start := i
	for ; i < len(s); i++ {
		ch := s[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a'+1)
		if col > 16384 {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	if i < len(s) && s[i] == '$' {
		i++
	}
	row, err := strconv.Atoi(s[i:])
	if err != nil || row < 1 {
		return 0, 0, false
	}
	return col - 1, row, true
}

// parseRange parses a range reference such as "A3:A4".
func parseRange(s string) (cellRange, bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		b = a
	}
	c1, r1, ok1 := parseRef(a)
	c2, r2, ok2 := parseRef(b)
	if !ok1 || !ok2 {
		return cellRange{}, false
	}
	return cellRange{r1: min(r1, r2), c1: min(c1, c2), r2: max(r1, r2), c2: max(c1, c2)}, true
}
