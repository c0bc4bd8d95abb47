package sheets_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/excel"
	"ducha/internal/pgtest"
	"ducha/sheets"
	"ducha/store"
)

var (
	ledger100kOnce sync.Once
	ledger100k     []byte
)

// bigLedger is a 100,000-row ledger in the sample's layout: the sample's 20
// rows over and over, each with its own description.
func bigLedger(b *testing.B) []byte {
	ledger100kOnce.Do(func() {
		rows, err := readLedgerFile(&testing.T{}, filepath.Join(samples, "ledger.xlsx"))
		if err != nil {
			b.Fatal(err)
		}
		ps := make([]*ducha.Problem, 100000)
		for i := range ps {
			p := *rows[i%len(rows)].Problem
			p.Description = fmt.Sprintf("%s（第%d处）", p.Description, i+1)
			ps[i] = &p
		}
		var buf bytes.Buffer
		if err := sheets.WriteLedger(&buf, sheets.LedgerTitle, sheets.LedgerOrg, "2026-12-20", ps); err != nil {
			b.Fatal(err)
		}
		ledger100k = buf.Bytes()
	})
	return ledger100k
}

// BenchmarkExcelizeRead100k is the yardstick: excelize alone reading every
// cell of the 100,000-row ledger.
func BenchmarkExcelizeRead100k(b *testing.B) {
	data := bigLedger(b)
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{CultureInfo: excelize.CultureNameZhCN})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(f.GetSheetName(0))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			n += len(cols)
		}
		rows.Close()
		f.Close()
	}
}

// BenchmarkImportLedger100k reads the ledger and imports it, all or
// nothing, into a fresh SQLite store, or with DUCHA_BENCH_PG=1 into a fresh
// database of a throwaway PostgreSQL cluster.
func BenchmarkImportLedger100k(b *testing.B) {
	data := bigLedger(b)
	units, err := os.ReadFile(filepath.Join(samples, "units.csv"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	run := 0
	for b.Loop() {
		b.StopTimer()
		run++
		dsn := filepath.Join(b.TempDir(), "import.db")
		if os.Getenv("DUCHA_BENCH_PG") != "" {
			url, err := pgtest.Shared(b).CreateDB(fmt.Sprintf("import_%d", run))
			if err != nil {
				b.Fatal(err)
			}
			dsn = url
		}
		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		us, err := sheets.ReadUnits(bytes.NewReader(units), "units.csv", excel.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := db.ImportUnits(ctx, us); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rows, err := sheets.ReadLedger(bytes.NewReader(data), "ledger.xlsx", excel.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := db.ImportLedger(ctx, rows)
		if err != nil || res.Created != 100000 {
			b.Fatalf("import: %+v %v", res, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
