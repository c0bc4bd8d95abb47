package store_test

import (
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// A date that is not a calendar day is refused where a date is stored,
// not kept as if it were one (ducha.Date.Valid), and stores nothing.
func TestInvalidDatesRefused(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		for _, d := range []ducha.Date{"2026-02-30", "2026/12/09", "2026-12-9"} {
			_, err := db.ImportBatch(coord, 1, d, "b1.xlsx", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", false)})
			if e, ok := err.(*ducha.Error); !ok || !strings.Contains(e.Fields["date"], "无效") {
				t.Errorf("batch dated %q: %v", d, err)
			}
			err = db.AddDocument(coord, &ducha.Document{Title: "x", Text: "x", Data: []byte("x"), Date: d})
			if e, ok := err.(*ducha.Error); !ok || e.Fields["date"] == "" {
				t.Errorf("document dated %q: %v", d, err)
			}
		}
		if _, total, err := db.FindCases(coord, ducha.CaseFilter{Limit: 10}); err != nil || total != 0 {
			t.Errorf("cases stored: %d %v", total, err)
		}
		if _, total, err := db.FindDocuments(coord, ducha.DocumentFilter{}); err != nil || total != 0 {
			t.Errorf("documents stored: %d %v", total, err)
		}
	})
}
