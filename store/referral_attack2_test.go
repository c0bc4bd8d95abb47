package store_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

// Hostile text in the referral pack stays text: no formula, no number.
func TestAttack2ReferralFormulaInjection(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		disc := storetest.As(f.Users["discipline"])
		p := newProblem(t, db, f, "永清镇", "=1+1", "2026-12-05")
		evil := []string{"=HYPERLINK(\"http://x\",\"点\")", "+1+1", "-2+3", "@SUM(1)", "0123456789012345678"}
		for _, e := range evil {
			if _, err := db.CreateAccountability(disc, &ducha.AccountabilityInput{Person: e, Post: e, Unit: "永清镇", Form: "通报批评",
				Reason: e, DecidedBy: e, Date: "2026-12-09", Problems: []int64{p.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Add(time.Hour)
		pack, err := sheets.NewReferral(clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		defer pack.Close()
		if _, err := db.ReferralPack(disc, "永清镇", pack); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := pack.Finish(&buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range x.GetSheetList() {
			rows, _ := x.GetRows(sh)
			for i, r := range rows {
				for j, v := range r {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if fm, _ := x.GetCellFormula(sh, cell); fm != "" {
						t.Errorf("%s!%s is a formula %q", sh, cell, fm)
					}
					if strings.HasPrefix(v, "0123") {
						if typ, _ := x.GetCellType(sh, cell); typ == excelize.CellTypeNumber {
							t.Errorf("%s!%s number %q", sh, cell, v)
						}
					}
				}
			}
		}
		// The liaison is refused the pack.
		if _, err := db.ReferralPack(storetest.As(f.Users["liaison_yq"]), "永清镇", pack); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("liaison: %v", err)
		}
	})
}
