package excel

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf8"
)

// rawCell is one non-empty cell of a sheet: its 0-based column and its
// trimmed text.
type rawCell struct {
	col int
	val string
}

// rawRow is a non-empty row: its 1-based number (Excel row or csv line) and
// its non-empty cells in column order.
type rawRow struct {
	num   int
	cells []rawCell
}

// get returns the text of column col, or "".
func (r *rawRow) get(col int) string {
	for _, c := range r.cells {
		if c.col == col {
			return c.val
		}
		if c.col > col {
			break
		}
	}
	return ""
}

// cellRange is a merged range: rows 1-based, columns 0-based, inclusive.
type cellRange struct {
	r1, c1, r2, c2 int
}

func (m cellRange) contains(row, col int) bool {
	return row >= m.r1 && row <= m.r2 && col >= m.c1 && col <= m.c2
}

// grid is a sheet as read from the file, before the header is known.
type grid struct {
	sheet  string
	rows   []rawRow
	merges []cellRange
	// keep is set once the rows that may hold the header are in: by
	// column, whether the header can map it. The cells of the other
	// columns are dropped from the rows below, which is what bounds the
	// grid by the mapped columns rather than by the widest row.
	keep  []bool
	cells int   // cells with a value added, in all columns (MaxCells)
	chars int64 // characters of the cells kept and filled (MaxTotalChars)
}

// addRow adds a row of a sheet or csv, copying the cells it keeps, within
// MaxCells and MaxTotalChars. A row whose cells are all dropped is kept
// empty: it is still a record.
func (m *matcher) addRow(g *grid, num int, cells []rawCell) error {
	lim := m.lim
	if g.cells += len(cells); g.cells > lim.MaxCells {
		return errTooManyCells(lim)
	}
	if g.keep == nil && len(g.rows) == headerAllowance {
		g.keep = m.mappable(g.rows)
	}
	n := len(cells)
	if g.keep != nil {
		n = 0
		for _, c := range cells {
			if c.col < len(g.keep) && g.keep[c.col] {
				n++
			}
		}
	}
	row := rawRow{num: num}
	if n > 0 {
		row.cells = make([]rawCell, 0, n)
	}
	for _, c := range cells {
		if g.keep != nil && (c.col >= len(g.keep) || !g.keep[c.col]) {
			continue
		}
		if g.chars += int64(utf8.RuneCountInString(c.val)); g.chars > lim.MaxTotalChars {
			return errTooMuchText(lim, num)
		}
		row.cells = append(row.cells, c)
	}
	g.rows = append(g.rows, row)
	return nil
}

// mappable returns, by column, whether a header found in rows (the first
// headerAllowance rows of a grid) can map the column: whether a cell of
// the column among them names a column of the spec. The header's upper
// row is among the first headerScanRows rows and its lower row follows,
// and findHeader takes each column's name from that column's cell in one
// of the two (or, inside a merged range, from the range's first column,
// which then maps the key first); buildTable leaves any other column
// unmapped, so that whether a column is kept never depends on the size of
// the file.
func (m *matcher) mappable(rows []rawRow) []bool {
	var keep []bool
	for i := range rows[:min(len(rows), headerAllowance)] {
		for _, c := range rows[i].cells {
			if m.lookup(c.val) < 0 {
				continue
			}
			for len(keep) <= c.col {
				keep = append(keep, false)
			}
			keep[c.col] = true
		}
	}
	if keep == nil {
		keep = []bool{} // known, and keeps nothing
	}
	return keep
}

// errNoHeader means the sheet has no header row in its first rows.
var errNoHeader = errors.New("excel: no header row")

// directMatches counts the distinct columns that the cells of row match.
func (m *matcher) directMatches(row *rawRow) int {
	var seen []int
	for _, c := range row.cells {
		if i := m.lookup(c.val); i >= 0 && !containsInt(seen, i) {
			seen = append(seen, i)
		}
	}
	return len(seen)
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// mayHaveHeader reports whether any of the first rows could start a header;
// it lets the xlsx reader give up on a sheet without reading all of it.
func (m *matcher) mayHaveHeader(rows []rawRow) bool {
	for i := range rows {
		if i >= headerScanRows {
			break
		}
		if m.directMatches(&rows[i]) > 0 {
			return true
		}
	}
	return false
}

// headerMerges returns the merged ranges that start in the first rows of the
// sheet (the only ones that can matter for the header).
func (g *grid) headerMerges() []cellRange {
	if len(g.rows) == 0 {
		return nil
	}
	last := g.rows[min(headerScanRows, len(g.rows)-1)].num
	var out []cellRange
	for _, mr := range g.merges {
		if mr.r1 <= last {
			out = append(out, mr)
		}
	}
	return out
}

// headerLayout locates the header of a grid.
type headerLayout struct {
	index  int            // index in grid.rows of the (upper) header row
	twoRow bool           // the next row holds sub-headers
	names  map[int]string // 0-based column -> effective header text
	last   int            // row number of the last header row
}

// findHeader returns the first of the top rows that is a header, or
// errNoHeader.
func (m *matcher) findHeader(g *grid) (*headerLayout, error) {
	merges := g.headerMerges()
	for i := 0; i < len(g.rows) && i < headerScanRows; i++ {
		direct := m.directMatches(&g.rows[i])
		if direct == 0 {
			continue
		}
		two := m.isTwoRow(g, merges, i)
		if direct < m.minMatch {
			if !two {
				continue
			}
			// A two-row header whose upper row is mostly group cells.
			names := g.effectiveHeader(m, merges, i, true)
			if m.countNames(names) < m.minMatch {
				continue
			}
		}
		h := &headerLayout{index: i, twoRow: two, last: g.rows[i].num}
		if two {
			h.last = g.rows[i+1].num
		}
		h.names = g.effectiveHeader(m, merges, i, two)
		return h, nil
	}
	return nil, errNoHeader
}

func (m *matcher) countNames(names map[int]string) int {
	var seen []int
	for _, n := range names {
		if i := m.lookup(n); i >= 0 && !containsInt(seen, i) {
			seen = append(seen, i)
		}
	}
	return len(seen)
}

// isGroup reports whether mr is a group cell of header row num: merged
// horizontally within that single row.
func isGroup(mr cellRange, num int) bool {
	return mr.r1 == num && mr.r2 == num && mr.c2 > mr.c1
}

// isTwoRow reports whether the row after g.rows[i] holds sub-headers: the
// header row has a horizontally merged group cell with text below it, or a
// header cell merged down over the next row, or (without merges) at least
// half of the next row's cells are known headers, some of which the upper
// row lacks.
func (m *matcher) isTwoRow(g *grid, merges []cellRange, i int) bool {
	if i+1 >= len(g.rows) || g.rows[i+1].num != g.rows[i].num+1 {
		return false
	}
	upper, lower := &g.rows[i], &g.rows[i+1]
	for _, mr := range merges {
		if isGroup(mr, upper.num) {
			for _, c := range lower.cells {
				if c.col >= mr.c1 && c.col <= mr.c2 {
					return true
				}
			}
		}
		if mr.r1 == upper.num && mr.r2 == lower.num {
			return true
		}
	}
	var upperCols []int
	for _, c := range upper.cells {
		if k := m.lookup(c.val); k >= 0 {
			upperCols = append(upperCols, k)
		}
	}
	known, news := 0, 0
	for _, c := range lower.cells {
		if k := m.lookup(c.val); k >= 0 {
			known++
			if !containsInt(upperCols, k) {
				news++
			}
		}
	}
	return news > 0 && 2*known >= len(lower.cells)
}

// effectiveHeader returns the header text of each column. For a two-row
// header the lower cell wins where it is non-empty and the upper cell is a
// group cell (or empty, or unknown while the lower one is known); otherwise
// the upper cell (or the value of the merged range it belongs to) is used.
func (g *grid) effectiveHeader(m *matcher, merges []cellRange, i int, two bool) map[int]string {
	upper := &g.rows[i]
	names := make(map[int]string)
	if !two {
		for _, c := range upper.cells {
			names[c.col] = c.val
		}
		return names
	}
	lower := &g.rows[i+1]
	cols := make(map[int]bool)
	for _, c := range upper.cells {
		cols[c.col] = true
	}
	for _, c := range lower.cells {
		cols[c.col] = true
	}
	for col := range cols {
		up := upper.get(col)
		inGroup := false
		for _, mr := range merges {
			if !mr.contains(upper.num, col) {
				continue
			}
			if up == "" && mr.r1 == upper.num {
				up = upper.get(mr.c1)
			}
			inGroup = inGroup || isGroup(mr, upper.num)
		}
		low := lower.get(col)
		if low != "" && (inGroup || up == "" || (m.lookup(up) < 0 && m.lookup(low) >= 0)) {
			names[col] = low
		} else if up != "" {
			names[col] = up
		}
	}
	return names
}

// buildTable turns a grid into a Table: finds the header, maps columns,
// checks required columns, collects records and fills merged data cells.
func (m *matcher) buildTable(g *grid) (*Table, error) {
	h, err := m.findHeader(g)
	if err != nil {
		return nil, err
	}
	t := &Table{Sheet: g.sheet, HeaderRow: g.rows[h.index].num, Columns: make(map[string]int)}
	for i := 0; i < h.index; i++ {
		for _, c := range g.rows[i].cells {
			t.Title = append(t.Title, c.val)
		}
	}
	cols := make([]int, 0, len(h.names))
	for col := range h.names {
		cols = append(cols, col)
	}
	sort.Ints(cols)
	colKey := make([]string, cols[len(cols)-1]+1)
	keep := m.mappable(g.rows)
	for _, col := range cols {
		name := h.names[col]
		k := m.lookup(name)
		if k < 0 || col >= len(keep) || !keep[col] {
			t.Unknown = append(t.Unknown, name)
			continue
		}
		key := m.spec.Columns[k].Key
		if _, dup := t.Columns[key]; dup {
			t.Unknown = append(t.Unknown, name)
			continue
		}
		t.Columns[key] = col
		colKey[col] = key
	}
	var missing []string
	for _, c := range m.spec.Columns {
		if _, ok := t.Columns[c.Key]; c.Required && !ok {
			name := c.Key
			if len(c.Names) > 0 {
				name = c.Names[0]
			}
			missing = append(missing, "“"+name+"”")
		}
	}
	if len(missing) > 0 {
		return nil, &Error{
			Column:  strings.Trim(missing[0], "“”"),
			Message: "缺少必需的列" + strings.Join(missing, "、"),
		}
	}
	start := h.index + 1
	if h.twoRow {
		start++
	}
	if len(g.rows)-start > m.lim.MaxRows {
		return nil, errTooManyRows(m.lim)
	}
	t.Records = make([]Record, 0, len(g.rows)-min(start, len(g.rows)))
	for i := start; i < len(g.rows); i++ {
		row := &g.rows[i]
		vals := make(map[string]string, len(t.Columns))
		for key := range t.Columns {
			vals[key] = ""
		}
		for _, c := range row.cells {
			if c.col < len(colKey) && colKey[c.col] != "" {
				vals[colKey[c.col]] = c.val
			}
		}
		t.Records = append(t.Records, Record{Row: row.num, Values: vals})
		g.rows[i].cells = nil // let the collector reuse the memory early
	}
	if err := m.fillMerged(t, g, h.last, colKey); err != nil {
		return nil, err
	}
	return t, nil
}

// fillMerged copies the value of each vertically merged data range (held by
// its top-left cell) down to the rows below it, in the range's first column.
// It walks the records inside each range rather than the range's rows, so a
// range drawn down to row 1,048,576 costs only the records it covers. Each
// cell filled counts towards MaxTotalChars.
func (m *matcher) fillMerged(t *Table, g *grid, lastHeader int, colKey []string) error {
	recs := t.Records
	for _, mr := range g.merges {
		if mr.r2 <= mr.r1 || mr.r1 <= lastHeader || mr.c1 >= len(colKey) || colKey[mr.c1] == "" {
			continue
		}
		key := colKey[mr.c1]
		i := sort.Search(len(recs), func(i int) bool { return recs[i].Row >= mr.r1 })
		if i == len(recs) || recs[i].Row != mr.r1 || recs[i].Values[key] == "" {
			continue
		}
		top := recs[i].Values[key]
		chars := int64(utf8.RuneCountInString(top))
		for j := i + 1; j < len(recs) && recs[j].Row <= mr.r2; j++ {
			if recs[j].Values[key] == "" {
				if g.chars += chars; g.chars > m.lim.MaxTotalChars {
					return errTooMuchText(m.lim, recs[j].Row)
				}
				recs[j].Values[key] = top
			}
		}
	}
	return nil
}
