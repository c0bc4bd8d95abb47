package excel

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Kind is the kind of values an output column holds; it decides the cell
// format.
type Kind int

// Column kinds.
const (
	// KindText columns hold text. Strings are always written as text cells;
	// numbers are written as text too, so ids never show as 1.99E+10.
	KindText Kind = iota
	// KindDate columns hold dates: a time.Time becomes a real date cell shown
	// as yyyy-mm-dd; a string (长期坚持, 2027年6月底前) stays text; a number
	// is taken as an Excel date serial.
	KindDate
	// KindNumber columns hold numbers, shown in General format.
	KindNumber
	// KindInt columns hold whole numbers, shown without decimals.
	KindInt
)

// OutColumn is one column of the output.
type OutColumn struct {
	// Header is the column's header text.
	Header string
	// Width is the column width in characters; 0 picks one from the header.
	Width float64
	// Kind decides how values are written.
	Kind Kind
}

// Group is a run of columns under one group header.
type Group struct {
	// Name is the group header merged across its columns on the first header
	// row, with the column headers below it. With "" each column stands
	// alone, its header merged over both header rows.
	Name string
	// Columns are the columns of the group.
	Columns []OutColumn
}

// Layout describes the sheet Write produces.
type Layout struct {
	// Title is written on row 1, merged across all columns.
	Title string
	// Left and Right make up row 2: e.g. 填报单位：… over the left half
	// and 截至2026年12月20日 over the right half.
	Left, Right string
	// Groups are the columns, left to right.
	Groups []Group
	// Sheet is the sheet name; "" means Sheet1.
	Sheet string
}

// wrapWidth is the width from which text columns wrap their text.
const wrapWidth = 20

// styles holds the style ids used by Write.
type styles struct {
	title, left, right, header             int
	text, wrap, date, dateTime, num, whole int
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	align := func(h string, wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: wrap}
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	s := &styles{}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: align("center", true)}},
		{&s.left, excelize.Style{Alignment: align("left", false)}},
		{&s.right, excelize.Style{Alignment: align("right", false)}},
		{&s.header, excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Alignment: align("center", true)}},
		{&s.text, excelize.Style{Border: border, NumFmt: 49, Alignment: align("", false)}},
		{&s.wrap, excelize.Style{Border: border, NumFmt: 49, Alignment: align("", true)}},
		{&s.date, excelize.Style{Border: border, CustomNumFmt: &dateFmt, Alignment: align("center", true)}},
		{&s.dateTime, excelize.Style{Border: border, CustomNumFmt: &dateTimeFmt, Alignment: align("center", true)}},
		{&s.num, excelize.Style{Border: border, Alignment: align("", false)}},
		{&s.whole, excelize.Style{Border: border, NumFmt: 1, Alignment: align("", false)}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	return s, nil
}

// Write writes rows as an .xlsx workbook in the ledger layout: the title
// merged across all columns on row 1 (bold, larger, centered), Left merged
// over the first half of row 2 and Right over the second half, the header on
// rows 3–4 (group names merged across their columns on row 3 with the column
// headers on row 4; standalone columns merged over both rows), all header
// and data cells bordered, and the data from row 5. Panes are frozen below
// the header, text wraps in columns at least 20 wide (rows are made tall
// enough for it), and the sheet prints landscape on A4, one page wide, with
// the header rows repeated.
//
// Each row holds one value per column (missing trailing values are empty).
// nil is an empty cell; a string is always a text cell (never a number or a
// formula, so "19898053976" stays text); a time.Time is a date cell
// (yyyy-mm-dd in KindDate columns, with the time of day elsewhere when it
// has one); numbers are numeric cells in KindNumber and KindInt columns,
// Excel date serials in KindDate columns and text in KindText columns; bools
// are boolean cells; anything else is written as text with fmt.Sprint. The
// sheet is written with excelize's StreamWriter, so memory stays small for
// large exports.
func Write(w io.Writer, layout Layout, rows [][]any) error {
	var cols []OutColumn
	for _, g := range layout.Groups {
		cols = append(cols, g.Columns...)
	}
	n := len(cols)
	if n == 0 {
		return errors.New("excel: layout has no columns")
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := layout.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	} else if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("excel: sheet name %q: %w", sheet, err)
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := setupPrint(f, sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// excelize puts each new <col> first; going right to left keeps them in
	// the ascending order Excel expects.
	for i := n - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(cols[i])); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A5", ActiveCell: "A5", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := writeHeader(sw, st, layout, cols); err != nil {
		return err
	}
	vals := make([]any, n)
	for i, row := range rows {
		if len(row) > n {
			return fmt.Errorf("excel: row %d has %d values for %d columns", i+1, len(row), n)
		}
		for j, c := range cols {
			var v any
			if j < len(row) {
				v = row[j]
			}
			vals[j] = st.cell(c, v)
		}
		if err := sw.SetRow(cellName(1, i+5), vals, excelize.RowOpts{Height: st.rowHeight(cols, vals)}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// setupPrint prints the sheet landscape on A4, fitted to the page width,
// with the header rows repeated on every page.
func setupPrint(f *excelize.File, sheet string) error {
	fit, landscape, a4, one, zero := true, "landscape", 9, 1, 0
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$3:$4"})
}

// columnWidth returns the width of a column: its own or one that fits the
// header.
func columnWidth(c OutColumn) float64 {
	if c.Width > 0 {
		return min(c.Width, 255)
	}
	return max(8, float64(2*utf8.RuneCountInString(c.Header)+2))
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// writeHeader writes rows 1–4 and their merges.
func writeHeader(sw *excelize.StreamWriter, st *styles, layout Layout, cols []OutColumn) error {
	n := len(cols)
	row1 := make([]any, n)
	row1[0] = excelize.Cell{StyleID: st.title, Value: layout.Title}
	for i := 1; i < n; i++ {
		row1[i] = excelize.Cell{StyleID: st.title}
	}
	if err := sw.SetRow("A1", row1, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	row2 := make([]any, n)
	half := (n + 1) / 2
	if n == 1 {
		row2[0] = excelize.Cell{StyleID: st.left, Value: joinNonEmpty(layout.Left, layout.Right)}
	} else {
		row2[0] = excelize.Cell{StyleID: st.left, Value: layout.Left}
		row2[half] = excelize.Cell{StyleID: st.right, Value: layout.Right}
	}
	if err := sw.SetRow("A2", row2, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	row3, row4 := make([]any, n), make([]any, n)
	var merges [][2]string
	col := 0
	for _, g := range layout.Groups {
		for j, c := range g.Columns {
			row4[col+j] = excelize.Cell{StyleID: st.header}
			row3[col+j] = excelize.Cell{StyleID: st.header}
			if g.Name == "" {
				row3[col+j] = excelize.Cell{StyleID: st.header, Value: c.Header}
				merges = append(merges, [2]string{cellName(col+j+1, 3), cellName(col+j+1, 4)})
			} else {
				row4[col+j] = excelize.Cell{StyleID: st.header, Value: c.Header}
			}
		}
		if g.Name != "" && len(g.Columns) > 0 {
			row3[col] = excelize.Cell{StyleID: st.header, Value: g.Name}
			if len(g.Columns) > 1 {
				merges = append(merges, [2]string{cellName(col+1, 3), cellName(col+len(g.Columns), 3)})
			}
		}
		col += len(g.Columns)
	}
	if err := sw.SetRow("A3", row3, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	if err := sw.SetRow("A4", row4, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	merges = append(merges, [2]string{"A1", cellName(n, 1)})
	if n > 1 {
		merges = append(merges, [2]string{"A2", cellName(half, 2)}, [2]string{cellName(half+1, 2), cellName(n, 2)})
	}
	for _, m := range merges {
		if m[0] == m[1] {
			continue // a single cell needs no merge
		}
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	return nil
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "　" + b
}

// cell returns the StreamWriter value of v in column c.
func (st *styles) cell(c OutColumn, v any) any {
	style := st.text
	switch c.Kind {
	case KindDate:
		style = st.date
	case KindNumber:
		style = st.num
	case KindInt:
		style = st.whole
	default:
		if c.Width >= wrapWidth {
			style = st.wrap
		}
	}
	switch x := v.(type) {
	case nil:
		return excelize.Cell{StyleID: style}
	case *string:
		if x == nil {
			return excelize.Cell{StyleID: style}
		}
		v = *x
	case *time.Time:
		if x == nil {
			return excelize.Cell{StyleID: style}
		}
		v = *x
	}
	switch x := v.(type) {
	case string:
		if c.Kind != KindText {
			style = st.wrap // text in a date or number column (长期坚持) may be long
		}
		return excelize.Cell{StyleID: style, Value: x}
	case time.Time:
		if x.IsZero() {
			return excelize.Cell{StyleID: style}
		}
		h, m, s := x.Clock()
		if c.Kind == KindDate || h == 0 && m == 0 && s == 0 {
			return excelize.Cell{StyleID: st.date, Value: x}
		}
		return excelize.Cell{StyleID: st.dateTime, Value: x}
	case bool:
		return excelize.Cell{StyleID: style, Value: x}
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		if c.Kind == KindText {
			return excelize.Cell{StyleID: style, Value: numberString(x)}
		}
		if f, ok := x.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return excelize.Cell{StyleID: style}
		}
		if f, ok := x.(float32); ok && (math.IsNaN(float64(f)) || math.IsInf(float64(f), 0)) {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: x}
	case fmt.Stringer:
		return excelize.Cell{StyleID: style, Value: x.String()}
	}
	return excelize.Cell{StyleID: style, Value: fmt.Sprint(v)}
}

// lineHeight is the height in points of one line of 11 pt text.
const lineHeight = 15

// rowHeight estimates the height a data row needs to show its wrapped text
// (0 for the default), since applications do not all fit rows to wrapped
// text on opening. A CJK character counts as two width units.
func (st *styles) rowHeight(cols []OutColumn, vals []any) float64 {
	maxLines := 1
	for j, v := range vals {
		c, ok := v.(excelize.Cell)
		s, isText := c.Value.(string)
		if !ok || !isText || c.StyleID != st.wrap || s == "" {
			continue
		}
		per := max(columnWidth(cols[j])-1, 1)
		lines, units := 1, 0.0
		for _, r := range s {
			switch {
			case r == '\n':
				lines, units = lines+1, 0
				continue
			case r < 0x1100:
				units++
			default:
				units += 2
			}
			if units > per {
				lines, units = lines+1, units-per
			}
		}
		maxLines = max(maxLines, lines)
	}
	if maxLines == 1 {
		return 0
	}
	return min(float64(maxLines*lineHeight+3), excelize.MaxRowHeight)
}

// numberString formats a number for a text cell, without exponent.
func numberString(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}
