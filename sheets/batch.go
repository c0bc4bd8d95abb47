package sheets

import (
	"context"
	"io"

	"ducha"
)

// BatchImporter stores a batch of cases (store.DB does).
type BatchImporter interface {
	ImportBatch(ctx context.Context, number int, date ducha.Date, fileName string, rows []ducha.BatchRow) (*ducha.BatchResult, error)
}

// ImportCases reads a batch file (xlsx or csv, as the inspection team
// sends it) and imports it, all or nothing. opts give the batch number and
// date when the file does not.
func ImportCases(ctx context.Context, store BatchImporter, r io.Reader, filename string, opts CaseFileOptions) (*ducha.BatchResult, error) {
	f, err := ReadCases(r, filename, opts)
	if err != nil {
		return nil, err
	}
	rows := make([]ducha.BatchRow, len(f.Rows))
	for i, cr := range f.Rows {
		rows[i] = ducha.BatchRow{Row: cr.Row, Case: &ducha.Case{
			AcceptanceNo: cr.AcceptanceNo, Batch: cr.Batch, ForwardedDate: cr.Date, Channel: cr.Channel, Key: cr.Key,
			Text: cr.Text, Area: cr.Area, Types: cr.Types, TypeDetail: cr.TypeDetail, Original: cr.Original,
		}}
	}
	return store.ImportBatch(ctx, f.Batch, f.Date, filename, rows)
}
