package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// ledgerRows makes n rows of a ledger file: most register new problems,
// with and without codes, units, types, deadlines and every status; a few
// change a problem of the store (codes HX-OLD-…) or of a row above. They
// are what sheets.ReadLedger would hand over.
func ledgerRows(n int) []ducha.LedgerRow {
	units := []string{"永清镇", "红堡镇", "县生态环境局"}
	statuses := []ducha.ProblemStatus{ducha.StatusInProgress, ducha.StatusPendingVerification, ducha.StatusClosed, ducha.StatusRegistered}
	typeSets := [][]string{{"大气"}, {"水", "土壤"}, {}, {"固废", "噪声", "其他"}}
	words := []string{"扬尘未覆盖", "渗滤液外溢", "油烟直排", "噪声扰民"}
	var rows []ducha.LedgerRow
	for i := range n {
		p := &ducha.Problem{
			Source:      ducha.ProblemSources[i%len(ducha.ProblemSources)],
			Description: fmt.Sprintf("第%d处%s，群众反映强烈", i+1, words[i%len(words)]),
			Area:        units[i%2],
			Address:     fmt.Sprintf("%s%d号", units[i%2], i),
			Subject:     fmt.Sprintf("某某企业%d", i%97),
			Types:       slices.Clone(typeSets[i%len(typeSets)]),
			Mode:        ducha.ProblemModes[i%len(ducha.ProblemModes)],
			Status:      statuses[i%len(statuses)],
			Progress:    "正在整改",
		}
		if i%5 != 0 {
			p.Deadline = ducha.Date(fmt.Sprintf("2027-%02d-%02d", i%12+1, i%28+1))
			p.DeadlineText = string(p.Deadline)
		}
		if p.Status != ducha.StatusRegistered || i%3 == 0 {
			p.LeadUnit = units[i%3]
			// Cooperating units: none, one, the lead itself, one twice.
			switch i % 4 {
			case 1:
				p.CoopUnits = []string{units[(i+1)%3]}
			case 2:
				p.CoopUnits = []string{units[i%3], units[(i+2)%3]}
			case 3:
				p.CoopUnits = []string{units[(i+1)%3], units[(i+2)%3], units[(i+1)%3]}
			}
		}
		switch {
		case i%11 == 0:
			p.Code = fmt.Sprintf("HX-2026-%05d", i) // a code of its own
		case i%250 == 7:
			// A row below changes the problem of a row above (the last
			// with a code of its own), status unchanged.
			j := (i - 1) / 11 * 11
			q := *rows[j].Problem
			q.Types, q.CoopUnits = slices.Clone(q.Types), slices.Clone(q.CoopUnits)
			q.Progress = "已完成一半"
			p = &q
		case i%400 == 13:
			// A problem of the store: its code from an earlier import.
			p.Code = fmt.Sprintf("HX-OLD-%d", i%3)
			p.Status = ducha.StatusInProgress
			p.LeadUnit = units[0]
			p.Address = "旧厂" + []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"}[i/400] + "号"
		}
		if p.Code == "" && i%13 == 0 {
			p.Original = map[string]string{"description": "原文" + p.Description}
		}
		rows = append(rows, ducha.LedgerRow{Row: i + 5, Problem: p})
	}
	return rows
}

// cloneRows copies rows deeply enough for two imports: the store fills in
// the problems it is handed.
func cloneRows(rows []ducha.LedgerRow) []ducha.LedgerRow {
	out := make([]ducha.LedgerRow, len(rows))
	for i, r := range rows {
		p := *r.Problem
		p.Types = slices.Clone(p.Types)
		p.CoopUnits = slices.Clone(p.CoopUnits)
		p.CoopUnitIDs = slices.Clone(p.CoopUnitIDs)
		out[i] = ducha.LedgerRow{Row: r.Row, Problem: &p}
	}
	return out
}

// openLedgerStore opens a store on a fixed clock with the units and
// campaign the rows name, and three problems the rows change (HX-OLD-…),
// so that two stores given the same writes hold the same bytes.
func openLedgerStore(t *testing.T, engine string) *store.DB {
	t.Helper()
	clock := &storetest.Clock{T: time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)}
	db := storetest.Open(t, engine, store.Options{Now: clock.Now})
	ctx := storetest.System()
	units := []*ducha.Unit{
		{Name: "永清镇", Kind: ducha.UnitTownship, DivisionCode: "620521100000"},
		{Name: "红堡镇", Kind: ducha.UnitTownship, DivisionCode: "620521101000"},
		{Name: "县生态环境局", Kind: ducha.UnitDepartment, Member: true},
	}
	if _, _, err := db.ImportUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	c := &ducha.Campaign{Name: "第三轮中央生态环境保护督察", Team: "中央第三生态环境保护督察组", Start: "2026-12-01", End: "2026-12-31", CaseDays: 10}
	if err := db.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	var old []ducha.LedgerRow
	for i := range 3 {
		old = append(old, ducha.LedgerRow{Row: i + 5, Problem: &ducha.Problem{
			Code: fmt.Sprintf("HX-OLD-%d", i), Source: "督察反馈", Description: fmt.Sprintf("旧问题%d，扬尘", i),
			Status: ducha.StatusInProgress, LeadUnit: "红堡镇", Types: []string{"大气"}, Deadline: "2026-12-31",
		}})
	}
	if _, err := store.ImportLedgerRowByRow(ctx, db, old); err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Hour)
	return db
}

// TestImportLedgerBatchedAsRowByRow imports 3,000 rows on each engine
// twice, in batches (ImportLedger) and one statement at a time (the path
// before batches), and finds the same problems, units, types, states,
// search tokens and the same audit chain, hash for hash.
func TestImportLedgerBatchedAsRowByRow(t *testing.T) {
	const n = 3000
	rows := ledgerRows(n)
	created, updated := 0, 0
	seen := map[string]bool{"HX-OLD-0": true, "HX-OLD-1": true, "HX-OLD-2": true}
	for _, r := range rows {
		if c := r.Problem.Code; c != "" && seen[c] {
			updated++
		} else {
			created++
			seen[c] = true
		}
	}
	if updated < 10 {
		t.Fatalf("the rows change only %d problems", updated)
	}
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := storetest.System()
			batched, byRow := openLedgerStore(t, engine), openLedgerStore(t, engine)
			_, eventsBefore, err := batched.VerifyChain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res, err := batched.ImportLedger(ctx, cloneRows(rows))
			if err != nil {
				t.Fatalf("batched import: %v", err)
			}
			want, err := store.ImportLedgerRowByRow(ctx, byRow, cloneRows(rows))
			if err != nil {
				t.Fatalf("row by row: %v", err)
			}
			if res != want || res.Created != created || res.Updated != updated {
				t.Fatalf("batched %+v, row by row %+v, want %d created, %d updated", res, want, created, updated)
			}

			broken, events, err := batched.VerifyChain(ctx)
			if err != nil || broken != 0 {
				t.Fatalf("chain broken at %d: %v", broken, err)
			}
			if events != eventsBefore+res.Created+res.Updated {
				t.Fatalf("%d events, want %d + %d", events, eventsBefore, res.Created+res.Updated)
			}
			got, err := store.DumpLedgerTables(context.Background(), batched)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := store.DumpLedgerTables(context.Background(), byRow)
			if err != nil {
				t.Fatal(err)
			}
			minRows := map[string]int{"problems": created + 3, "problem_units": created, "problem_types": created,
				"problem_states": created + 3, "problem_search": created + 3, "events": created + updated + 3, "audit_head": 1}
			for table, lines := range exp {
				if len(lines) < minRows[table] {
					t.Errorf("%s: %d rows row by row, want at least %d", table, len(lines), minRows[table])
				}
				if len(got[table]) != len(lines) {
					t.Errorf("%s: %d rows batched, %d row by row", table, len(got[table]), len(lines))
					continue
				}
				for i := range lines {
					if got[table][i] != lines[i] {
						t.Errorf("%s row %d:\nbatched     %s\nrow by row  %s", table, i, got[table][i], lines[i])
						break
					}
				}
			}
			// One set of tokens per problem: none left over from a row
			// that a row below changed again.
			if len(got["problem_search"]) != len(got["problems"]) {
				t.Errorf("%d search rows for %d problems", len(got["problem_search"]), len(got["problems"]))
			}
			if len(got) != len(minRows) {
				t.Errorf("dumped %d tables", len(got))
			}

			// Search and filters answer the same on both.
			for _, f := range []ducha.ProblemFilter{{Q: "扬尘"}, {Q: "渗滤液"}, {Q: "HX-2026-00011"}, {Type: "土壤"}, {Status: ducha.StatusClosed}, {Limit: 5}} {
				gp, gn, err := batched.FindProblems(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				wp, wn, err := byRow.FindProblems(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if gn != wn || gn == 0 || len(gp) != len(wp) {
					t.Fatalf("%+v: %d (%d on the page) batched, %d (%d) row by row", f, gn, len(gp), wn, len(wp))
				}
				for i := range gp {
					if gp[i].ID != wp[i].ID || strings.Join(gp[i].CoopUnits, ",") != strings.Join(wp[i].CoopUnits, ",") {
						t.Fatalf("%+v: problem %d batched, %d row by row", f, gp[i].ID, wp[i].ID)
					}
				}
			}
			// Row 18 changed HX-OLD-1 (address 旧厂甲号), rows 1218 and 2418
			// changed it again (旧厂庚号 last): the first address is no
			// longer found.
			for _, db := range []*store.DB{batched, byRow} {
				if _, n, _ := db.FindProblems(ctx, ducha.ProblemFilter{Q: "旧厂甲号"}); n != 0 {
					t.Fatalf("旧厂甲号 finds %d, want 0", n)
				}
				if ps, n, _ := db.FindProblems(ctx, ducha.ProblemFilter{Q: "旧厂庚号"}); n != 1 || ps[0].Code != "HX-OLD-1" {
					t.Fatalf("旧厂庚号 finds %d, want HX-OLD-1", n)
				}
			}
			// Every fourth row says 扬尘; the old problems that did were changed.
			if _, n, _ := batched.FindProblems(ctx, ducha.ProblemFilter{Q: "扬尘"}); n != 750 {
				t.Fatalf("扬尘 finds %d, want 750", n)
			}
		})
	}
}

// TestImportLedgerBatchErrors: a bad row far into a file is named, and
// nothing of the rows above it, written in earlier batches, stays; a code
// the counter hands out that a row already took is refused with the row
// that would take it again.
func TestImportLedgerBatchErrors(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		ctx := storetest.System()
		before, _ := db.DataVersion(context.Background())
		rows := ledgerRows(2000)
		for _, r := range rows {
			if strings.HasPrefix(r.Problem.Code, "HX-OLD") {
				r.Problem.Code = "" // this store has no old problems
			}
		}
		rows[1700].Problem.Description = " "
		_, err := db.ImportLedger(ctx, rows)
		if e, ok := err.(*ducha.Error); !ok || e.Row != rows[1700].Row || e.Fields["description"] == "" {
			t.Fatalf("empty description: %v", err)
		}
		rows = ledgerRows(2000)[:1000]
		for _, r := range rows {
			if strings.HasPrefix(r.Problem.Code, "HX-OLD") {
				r.Problem.LeadUnit = "火星镇"
				break
			}
		}
		_, err = db.ImportLedger(ctx, rows)
		if e, ok := err.(*ducha.Error); !ok || !strings.Contains(e.Message, "“责任单位”列：单位“火星镇”不存在") {
			t.Fatalf("unknown unit: %v", err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Fatalf("refused imports wrote: %d → %d", before, after)
		}
		if ps, n, _ := db.FindProblems(ctx, ducha.ProblemFilter{}); n != 0 {
			t.Fatalf("%d problems after refused imports (%v)", n, ps)
		}

		// The counter's next code is QS-2026-0001: a row of the file that
		// gives it itself comes first, the row without a code after it is
		// refused.
		year := string(ducha.Today(time.Now())[:4])
		clash := []ducha.LedgerRow{
			{Row: 5, Problem: &ducha.Problem{Code: "QS-" + year + "-0001", Source: "其他", Description: "自带编号"}},
			{Row: 6, Problem: &ducha.Problem{Source: "其他", Description: "没有编号"}},
		}
		_, err = db.ImportLedger(ctx, clash)
		if e, ok := err.(*ducha.Error); !ok || e.Row != 6 || !strings.Contains(e.Message, "问题编号“QS-"+year+"-0001”已存在") {
			t.Fatalf("code clash: %v", err)
		}
	})
}
