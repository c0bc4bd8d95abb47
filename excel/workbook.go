package excel

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Workbook writes several sheets in Write's layout, one after the other,
// each streamed with excelize's StreamWriter: a row is written as it is
// given, and a sheet is flushed when the next one starts, so memory stays
// small whatever the number of rows.
type Workbook struct {
	f      *excelize.File
	st     *styles
	sheets int

	// The sheet being written.
	sheet  string
	layout Layout
	cols   []OutColumn
	sw     *excelize.StreamWriter
	rows   int
	vals   []any
}

// NewWorkbook starts an empty workbook; Close releases it.
func NewWorkbook() (*Workbook, error) {
	f := excelize.NewFile()
	st, err := newStyles(f, false)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Workbook{f: f, st: st}, nil
}

// Sheet finishes the sheet being written, if any, and starts the next
// one: its title, row 2, header, column widths and frozen panes, as Write
// makes them. Its name is layout.Sheet, "" for Sheet1 on the first sheet.
func (wb *Workbook) Sheet(layout Layout) error {
	if err := wb.finish(); err != nil {
		return err
	}
	var cols []OutColumn
	for _, g := range layout.Groups {
		cols = append(cols, g.Columns...)
	}
	if len(cols) == 0 {
		return errors.New("excel: layout has no columns")
	}
	var sheet string
	var err error
	if wb.sheets == 0 {
		sheet, err = nameSheet(wb.f, layout.Sheet)
	} else {
		sheet = layout.Sheet
		if sheet == "" {
			sheet = fmt.Sprintf("Sheet%d", wb.sheets+1)
		}
		_, err = wb.f.NewSheet(sheet)
	}
	if err != nil {
		return fmt.Errorf("excel: sheet %q: %w", layout.Sheet, err)
	}
	wb.sheets++
	if err := setupPrint(wb.f, sheet, "landscape", "$3:$4"); err != nil {
		return err
	}
	sw, err := wb.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// excelize puts each new <col> first; going right to left keeps them in
	// the ascending order Excel expects.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(cols[i])); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A5", ActiveCell: "A5", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := writeHeader(sw, wb.st, layout, cols); err != nil {
		return err
	}
	wb.sheet, wb.layout, wb.cols, wb.sw, wb.rows, wb.vals = sheet, layout, cols, sw, 0, make([]any, len(cols))
	return nil
}

// Row writes the next data row of the current sheet, values as Write
// writes them.
func (wb *Workbook) Row(row []any) error {
	if wb.sw == nil {
		return errors.New("excel: no sheet started")
	}
	if len(row) > len(wb.cols) {
		return fmt.Errorf("excel: row %d has %d values for %d columns", wb.rows+1, len(row), len(wb.cols))
	}
	for j, c := range wb.cols {
		var v any
		if j < len(row) {
			v = row[j]
		}
		wb.vals[j] = wb.st.cell(c, v)
	}
	wb.rows++
	return wb.sw.SetRow(cellName(1, wb.rows+4), wb.vals, excelize.RowOpts{Height: wb.st.rowHeight(wb.cols, wb.vals)})
}

// finish flushes the sheet being written.
func (wb *Workbook) finish() error {
	if wb.sw == nil {
		return nil
	}
	if wb.layout.AutoFilter {
		// See Write: the filter range and its name reach the file.
		if err := wb.f.AutoFilter(wb.sheet, "A4:"+cellName(len(wb.cols), 4+wb.rows), nil); err != nil {
			return err
		}
	}
	err := wb.sw.Flush()
	wb.sw = nil
	return err
}

// WriteTo finishes the last sheet and writes the workbook to w.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	if err := wb.finish(); err != nil {
		return 0, err
	}
	if wb.sheets == 0 {
		return 0, errors.New("excel: workbook has no sheet")
	}
	return wb.f.WriteTo(w)
}

// Close releases the workbook's temporary files.
func (wb *Workbook) Close() error { return wb.f.Close() }
