package excel

import (
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
	// KindAmount columns hold amounts of money, shown with two decimals
	// (0.00).
	KindAmount
)

// OutColumn is one column of the output.
type OutColumn struct {
	// Header is the column's header text.
	Header string
	// Width is the column width in characters; 0 picks one from the header.
	Width float64
	// Kind decides how values are written.
	Kind Kind
	// Wrap wraps the column's text whatever its width; text columns at
	// least 20 wide always wrap. Rows are made tall enough for it.
	Wrap bool
	// Span is how many grid columns the column covers in a Report (0 or 1:
	// one); Write ignores it.
	Span int
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
	// AutoFilter puts filter buttons on the last header row, over the data.
	AutoFilter bool
}

// wrapWidth is the width from which text columns wrap their text.
const wrapWidth = 20

// styles holds the style ids used by Write.
type styles struct {
	title, left, right, header                     int
	text, wrap, date, dateTime, num, whole, amount int
}

// newStyles makes Write's styles; with bold, the data cells' are bold
// (a 合计 row).
func newStyles(f *excelize.File, bold bool) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	align := func(h string, wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: wrap}
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	var body *excelize.Font
	if bold {
		body = &excelize.Font{Bold: true}
	}
	s := &styles{}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: align("center", true)}},
		{&s.left, excelize.Style{Alignment: align("left", false)}},
		{&s.right, excelize.Style{Alignment: align("right", false)}},
		{&s.header, excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Alignment: align("center", true)}},
		{&s.text, excelize.Style{Border: border, Font: body, NumFmt: 49, Alignment: align("", false)}},
		{&s.wrap, excelize.Style{Border: border, Font: body, NumFmt: 49, Alignment: align("", true)}},
		{&s.date, excelize.Style{Border: border, Font: body, CustomNumFmt: &dateFmt, Alignment: align("center", true)}},
		{&s.dateTime, excelize.Style{Border: border, Font: body, CustomNumFmt: &dateTimeFmt, Alignment: align("center", true)}},
		{&s.num, excelize.Style{Border: border, Font: body, Alignment: align("", false)}},
		{&s.whole, excelize.Style{Border: border, Font: body, NumFmt: 1, Alignment: align("", false)}},
		{&s.amount, excelize.Style{Border: border, Font: body, NumFmt: 2, Alignment: align("", false)}},
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
// the header, text wraps in columns at least 20 wide and in those marked
// Wrap (rows are made tall enough for it), filter buttons sit on row 4 when
// the layout asks for them, and the sheet prints landscape on A4, one page
// wide, with the header rows repeated.
//
// Each row holds one value per column (missing trailing values are empty).
// nil is an empty cell; a string is always a text cell (never a number or a
// formula, so "19898053976" stays text); a time.Time is a date cell
// (yyyy-mm-dd in KindDate columns, with the time of day elsewhere when it
// has one); numbers are numeric cells in KindNumber, KindInt and
// KindAmount columns, Excel date serials in KindDate columns and text in
// KindText columns; bools are boolean cells; anything else is written as
// text with fmt.Sprint. The sheet is written with excelize's StreamWriter,
// so memory stays small for large exports.
func Write(w io.Writer, layout Layout, rows [][]any) error {
	wb, err := NewWorkbook()
	if err != nil {
		return err
	}
	defer wb.Close()
	if err := wb.Sheet(layout); err != nil {
		return err
	}
	for _, row := range rows {
		if err := wb.Row(row); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(w)
	return err
}

// nameSheet names the new workbook's sheet; "" keeps Sheet1.
func nameSheet(f *excelize.File, name string) (string, error) {
	if name == "" {
		return "Sheet1", nil
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return "", fmt.Errorf("excel: sheet name %q: %w", name, err)
	}
	return name, nil
}

// setupPrint prints the sheet on A4 in the orientation, fitted to the page
// width, with the rows titles (e.g. $3:$4) repeated on every page.
func setupPrint(f *excelize.File, sheet, orientation, titles string) error {
	fit, a4, one, zero := true, 9, 1, 0
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if titles == "" {
		return nil
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + titles})
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
	case KindAmount:
		style = st.amount
	default:
		if c.Wrap || c.Width >= wrapWidth {
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

// lineHeight is the height in points of one line of 11 pt text, with the
// CJK fonts' taller lines (Noto Sans CJK needs nearly 16).
const lineHeight = 16

// textLines estimates the lines s takes when wrapped in a cell width
// characters wide, at size points: at 11 pt a CJK character is two width
// units and any other one unit, a character is never split, and each line
// loses one unit to the cell's padding. Applications do not all fit rows
// to wrapped text on opening, and none fits merged cells, so rows are
// sized from this.
func textLines(s string, width, size float64) int {
	scale := size / 11
	per := max(width-1, 1)
	lines, units := 1, 0.0
	for _, r := range s {
		if r == '\n' {
			lines, units = lines+1, 0
			continue
		}
		w := scale
		if r >= 0x1100 {
			w *= 2
		}
		if units > 0 && units+w > per {
			lines, units = lines+1, 0
		}
		units += w
	}
	return lines
}

// linesHeight is the height of a row showing n lines of text at size
// points, in whole points.
func linesHeight(n int, size float64) float64 {
	return min(math.Ceil(float64(n)*lineHeight*size/11+3), excelize.MaxRowHeight)
}

// rowHeight estimates the height a data row needs to show its wrapped text
// (0 for the default).
func (st *styles) rowHeight(cols []OutColumn, vals []any) float64 {
	maxLines := 1
	for j, v := range vals {
		c, ok := v.(excelize.Cell)
		s, isText := c.Value.(string)
		if !ok || !isText || c.StyleID != st.wrap || s == "" {
			continue
		}
		maxLines = max(maxLines, textLines(s, columnWidth(cols[j]), 11))
	}
	if maxLines == 1 {
		return 0
	}
	return linesHeight(maxLines, 11)
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

// Report is a sheet that reads as a document, like the daily report an
// office hands upward: a title, a paragraph, then headed sections of small
// tables, all on one grid of equal columns so that the tables line up.
type Report struct {
	// Sheet is the sheet name; "" means Sheet1.
	Sheet string
	// Title is row 1 and Paragraph row 2, each merged across the grid; the
	// paragraph wraps and its row is made tall enough for all of it.
	Title, Paragraph string
	// ColumnWidth is the width of each grid column; 0 means 12.
	ColumnWidth float64
	// Sections follow, one below the other.
	Sections []Section
}

// Section is a heading, its tables one below the other, and a note under
// them (e.g. how to read a total).
type Section struct {
	Heading, Note string
	Tables        []ReportTable
}

// ReportTable is a bold header row over bordered data rows. Each column covers
// Span grid columns from the left; values are written as Write writes them
// (numbers as numbers in KindInt, KindNumber and KindAmount columns).
type ReportTable struct {
	Columns []OutColumn
	Rows    [][]any
	// Total makes the last row bold: a 合计 row.
	Total bool
}

// span is how many grid columns the table covers.
func (t ReportTable) span() int {
	n := 0
	for _, c := range t.Columns {
		n += max(c.Span, 1)
	}
	return n
}

// WriteReport writes r as an .xlsx workbook of one sheet. The grid is as
// wide as the widest table; the sheet prints portrait on A4, one page wide,
// with the page number in the footer, and shows no gridlines.
func WriteReport(w io.Writer, r Report) error {
	width := r.ColumnWidth
	if width <= 0 {
		width = 12
	}
	n := 1
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			n = max(n, t.span())
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet, err := nameSheet(f, r.Sheet)
	if err != nil {
		return err
	}
	plain, err := newStyles(f, false)
	if err != nil {
		return err
	}
	bold, err := newStyles(f, true)
	if err != nil {
		return err
	}
	var para, heading, note int
	for _, d := range []struct {
		id *int
		s  excelize.Style
	}{
		{&para, excelize.Style{Font: &excelize.Font{Size: 12}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
		{&heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&note, excelize.Style{Font: &excelize.Font{Size: 10}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	} {
		if *d.id, err = f.NewStyle(&d.s); err != nil {
			return err
		}
	}
	if err := setupPrint(f, sheet, "portrait", ""); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	noGrid := false
	if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{ShowGridLines: &noGrid}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, n, width); err != nil {
		return err
	}
	rw := &reportWriter{sw: sw, n: n, width: width}
	full := width * float64(n)
	if err := rw.merged(r.Title, plain.title, linesHeight(textLines(r.Title, full, 16), 16)+8); err != nil {
		return err
	}
	if err := rw.merged(r.Paragraph, para, linesHeight(textLines(r.Paragraph, full, 12), 12)+6); err != nil {
		return err
	}
	for _, s := range r.Sections {
		rw.row++ // a blank row before each section
		if err := rw.merged(s.Heading, heading, 24); err != nil {
			return err
		}
		for i, t := range s.Tables {
			if i > 0 {
				rw.row++
			}
			if err := rw.table(t, plain, bold); err != nil {
				return err
			}
		}
		if s.Note != "" {
			if err := rw.merged(s.Note, note, linesHeight(textLines(s.Note, full, 10), 10)+2); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// reportWriter writes a Report's rows one after the other.
type reportWriter struct {
	sw     *excelize.StreamWriter
	n, row int // grid columns; the last row written
	width  float64
}

// merged writes one cell merged across the grid on the next row.
func (rw *reportWriter) merged(s string, style int, height float64) error {
	rw.row++
	vals := make([]any, rw.n)
	vals[0] = excelize.Cell{StyleID: style, Value: s}
	for i := 1; i < rw.n; i++ {
		vals[i] = excelize.Cell{StyleID: style}
	}
	if err := rw.sw.SetRow(cellName(1, rw.row), vals, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	if rw.n == 1 {
		return nil
	}
	return rw.sw.MergeCell(cellName(1, rw.row), cellName(rw.n, rw.row))
}

// table writes t's header row and data rows.
func (rw *reportWriter) table(t ReportTable, plain, bold *styles) error {
	header := make([]any, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = excelize.Cell{StyleID: plain.header, Value: c.Header}
	}
	if err := rw.spanned(t.Columns, header, 24); err != nil {
		return err
	}
	for i, row := range t.Rows {
		if len(row) > len(t.Columns) {
			return fmt.Errorf("excel: table row %d has %d values for %d columns", i+1, len(row), len(t.Columns))
		}
		st := plain
		if t.Total && i == len(t.Rows)-1 {
			st = bold
		}
		vals := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			var v any
			if j < len(row) {
				v = row[j]
			}
			c.Wrap = true // a table's text wraps in its cell, which is sized for it
			vals[j] = st.cell(c, v)
		}
		if err := rw.spanned(t.Columns, vals, 20); err != nil {
			return err
		}
	}
	return nil
}

// spanned writes one table row on the next sheet row: each value in the
// first of its column's grid columns, the others merged into it with the
// same style (so borders close), the row tall enough for its text and at
// least minHeight.
func (rw *reportWriter) spanned(cols []OutColumn, vals []any, minHeight float64) error {
	rw.row++
	out := make([]any, 0, rw.n)
	var merges [][2]string
	lines := 1
	for j, c := range cols {
		span := max(c.Span, 1)
		cell := vals[j].(excelize.Cell)
		if s, ok := cell.Value.(string); ok {
			lines = max(lines, textLines(s, rw.width*float64(span), 11))
		}
		out = append(out, cell)
		for k := 1; k < span; k++ {
			out = append(out, excelize.Cell{StyleID: cell.StyleID})
		}
		if span > 1 {
			merges = append(merges, [2]string{cellName(len(out)-span+1, rw.row), cellName(len(out), rw.row)})
		}
	}
	if err := rw.sw.SetRow(cellName(1, rw.row), out, excelize.RowOpts{Height: max(minHeight, linesHeight(lines, 11)+4)}); err != nil {
		return err
	}
	for _, m := range merges {
		if err := rw.sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	return nil
}
