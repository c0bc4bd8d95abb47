// Package excel reads and writes the spreadsheets that county offices
// exchange: .xlsx workbooks with title rows, merged (two-row) headers and
// merged data cells, and .csv files in UTF-8 or GB18030.
//
// The package is generic: callers describe the columns they expect with a
// [Spec] (each column with its header synonyms) and get back a [Table] of
// [Record] values keyed by column key. Cell values are returned as trimmed
// text; interpreting them (dates written as 2027年6月底前, full-width digits,
// traditional characters) is left to the caller.
//
// Reading is bounded by [Limits] (file size, decompressed size, cell
// length, rows, columns, shared strings, merged ranges, cells, total
// characters, and with them the XML elements and their nesting), each
// checked while the file streams, so that a hostile file is refused in a
// moment with little memory; the refusal is an [*Error] wrapping
// [ErrLimit]. Limits.Done lets the caller stop a read it gave up.
//
// Writing produces the usual ledger layout (title row, a second line with the
// reporting unit and the as-of date, a two-row grouped header and the data
// from row 5) with excelize's StreamWriter, so large exports stay small in
// memory.
package excel

import (
	"fmt"
	"strings"
	"unicode"
)

// DefaultMinMatch is the number of recognised header cells a row needs to be
// taken as the header row when Spec.MinMatch is zero.
const DefaultMinMatch = 3

// headerScanRows is how many non-empty rows at the top of a sheet are
// searched for the header row.
const headerScanRows = 15

// Column describes one expected column of the input.
type Column struct {
	// Key identifies the column in Record.Values and Table.Columns.
	Key string
	// Names are the header texts (synonyms) that identify the column. A
	// header cell matches when it equals one of the names after removing
	// all whitespace (including U+3000 and line breaks inside the cell) and
	// a leading or trailing "*" or "（必填）" marker.
	Names []string
	// Required makes Read fail when no header cell matches the column.
	Required bool
}

// Spec describes the columns to look for.
type Spec struct {
	// Columns are the expected columns; their order does not matter.
	Columns []Column
	// MinMatch is how many cells of a row must match some column's names
	// for the row to be taken as the header row; 0 means DefaultMinMatch.
	// It is capped at the number of columns.
	MinMatch int
}

// Record is one data row.
type Record struct {
	// Row is the 1-based row number the user sees in Excel, or the line
	// number of the record's first line in a csv file (header line counted).
	Row int
	// Values holds the cell text of each column found in the header, keyed
	// by Column.Key and trimmed of surrounding whitespace. Every key in
	// Table.Columns is present, with "" for an empty cell.
	Values map[string]string
}

// Table is the result of Read.
type Table struct {
	// Sheet is the name of the worksheet the data came from ("" for csv).
	Sheet string
	// Title holds the non-empty cell texts of the rows above the header, in
	// row then column order (title, "填报单位：…", "截至2026年12月20日",
	// "交办日期：…"), so callers can parse batch numbers and dates.
	Title []string
	// HeaderRow is the 1-based row (or csv line) of the header; with a
	// two-row header it is the upper row.
	HeaderRow int
	// Columns maps each found Column.Key to its 0-based column index.
	Columns map[string]int
	// Unknown lists the header cells that were not mapped to any column
	// (including repeats of a column already mapped further left).
	Unknown []string
	// Records are the data rows below the header. Completely empty rows are
	// skipped; summary rows such as 合计 are kept for the caller to judge.
	Records []Record
}

// Error is an error in the input, with a message in Chinese meant for the
// person who uploaded the file.
type Error struct {
	// Row is the 1-based row (or csv line) concerned, 0 when the error is
	// not about one row.
	Row int
	// Column is the header of the column concerned, if any.
	Column string
	// Message says what is wrong, in Chinese.
	Message string
	// Err is ErrLimit when the file was refused for passing one of the
	// Limits, nil otherwise.
	Err error
}

// Unwrap returns Err, so that errors.Is(err, ErrLimit) finds a refusal by
// the limits.
func (e *Error) Unwrap() error { return e.Err }

// Error returns the message, prefixed with the row and column when known.
func (e *Error) Error() string {
	if e.Row <= 0 {
		return e.Message
	}
	if e.Column != "" {
		return fmt.Sprintf("第%d行“%s”列：%s", e.Row, e.Column, e.Message)
	}
	return fmt.Sprintf("第%d行：%s", e.Row, e.Message)
}

// matcher maps normalised header texts to column indexes of a Spec; it
// carries the limits of the read.
type matcher struct {
	spec     Spec
	byName   map[string]int // normalised name -> index in spec.Columns
	minMatch int
	lim      Limits
}

func newMatcher(spec Spec, lim Limits) *matcher {
	m := &matcher{spec: spec, byName: make(map[string]int), lim: lim.withDefaults()}
	for i, c := range spec.Columns {
		for _, n := range c.Names {
			k := normalizeHeader(n)
			if _, dup := m.byName[k]; !dup && k != "" {
				m.byName[k] = i
			}
		}
	}
	m.minMatch = spec.MinMatch
	if m.minMatch <= 0 {
		m.minMatch = DefaultMinMatch
	}
	if n := len(spec.Columns); m.minMatch > n {
		m.minMatch = n
	}
	if m.minMatch < 1 {
		m.minMatch = 1
	}
	return m
}

// lookup returns the index in spec.Columns of the column whose names match
// the header text s, or -1.
func (m *matcher) lookup(s string) int {
	if s == "" {
		return -1
	}
	if i, ok := m.byName[normalizeHeader(s)]; ok {
		return i
	}
	return -1
}

// requiredMarkers are the markers templates put before or after a header to
// flag a required column.
var requiredMarkers = []string{"（必填）", "(必填)", "【必填】", "*", "＊"}

// normalizeHeader removes all whitespace (U+3000 and line breaks included)
// and zero-width characters from s, and any required-column marker at either
// end.
func normalizeHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	for changed := true; changed && s != ""; {
		changed = false
		for _, mk := range requiredMarkers {
			if t, ok := strings.CutSuffix(s, mk); ok {
				s, changed = t, true
			}
			if t, ok := strings.CutPrefix(s, mk); ok {
				s, changed = t, true
			}
		}
	}
	return s
}

// trimValue trims surrounding whitespace (U+3000 included) and zero-width
// characters from a cell value.
func trimValue(s string) string {
	if s == "" {
		return s
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	})
}
