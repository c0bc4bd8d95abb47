package store_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// notBackedUp are the tables a backup leaves out on purpose: restore
// rebuilds them (search indexes, counters, versions) or they are
// per-login (sessions, throttling), the running instances' (leases) or
// the schema's own.
var notBackedUp = []string{"schema_migrations", "sessions", "login_throttle", "problem_tally", "tally_meta", "data_versions",
	"problem_search", "case_search", "problem_tokens", "case_tokens", "leases",
	"document_search", "document_tokens", "search_formats"}

// Every table is in the backup or named above, so a table added later is
// not forgotten by it.
func TestBackupCoversEveryTable(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		tables, err := store.TableNames(db)
		if err != nil {
			t.Fatal(err)
		}
		backed := store.BackupTableNames()
		for _, name := range tables {
			if slices.Contains(backed, name) || slices.Contains(notBackedUp, name) || strings.HasPrefix(name, "sqlite_") ||
				strings.HasPrefix(name, "problem_search_") || strings.HasPrefix(name, "case_search_") ||
				strings.HasPrefix(name, "document_search_") {
				continue
			}
			t.Errorf("table %s is not in the backup", name)
		}
		for _, name := range []string{"accountability", "accountability_problems", "accountability_cases", "accountability_states",
			"documents", "doc_requests", "duties", "inspections", "inspection_items"} {
			if !slices.Contains(backed, name) {
				t.Errorf("backup lacks %s", name)
			}
		}
	})
}

// A backup carries the records, their links and states: the restored
// store lists them, counts them in the report and numbers on after them.
func TestBackupCarriesAccountability(t *testing.T) {
	for _, from := range storetest.Engines {
		for _, to := range storetest.Engines {
			t.Run(from+"_to_"+to, func(t *testing.T) {
				clock := clockAt("2026-12-10")
				tick := func() time.Time { clock.Add(time.Millisecond); return clock.T }
				src := storetest.Open(t, from, store.Options{Now: tick})
				f := storetest.Seed(t, src)
				coord := storetest.As(f.Users["coord"])
				p := newProblem(t, src, f, "永清镇", "砖厂扬尘", "2026-12-20")
				if _, err := src.ImportBatch(coord, 1, "2026-12-09", "b1", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", false)}); err != nil {
					t.Fatal(err)
				}
				c, _ := src.FindCaseByAcceptanceNo(coord, "D3SX202612090001")
				a := record(t, src, f, "王五", "永清镇", "2026-12-09", []int64{p.ID}, []int64{c.ID})
				post := "镇长"
				if _, err := src.UpdateAccountability(storetest.As(f.Users["discipline"]), a.ID, ducha.AccountabilityUpdate{Version: 1, Post: &post}); err != nil {
					t.Fatal(err)
				}
				// A self-inspection: its duties, items and the problem it made.
				importDuties(t, src, f, fiveDuties...)
				liaison := storetest.As(f.Users["liaison_yq"])
				insp, _, _ := src.StartInspection(liaison, 0)
				insp = walk(t, src, liaison, insp, map[int]string{2: "发现焚烧秸秆"})
				if insp, err := src.SubmitInspection(liaison, insp.ID, 0); err != nil || len(insp.Problems) != 1 {
					t.Fatalf("submit: %v", err)
				}
				ctx := storetest.System()
				var buf bytes.Buffer
				if err := src.Backup(ctx, &buf); err != nil {
					t.Fatal(err)
				}
				for _, table := range []string{"accountability", "accountability_problems", "accountability_cases", "accountability_states"} {
					if !strings.Contains(gunzip(t, buf.Bytes()), `"table":"`+table+`"`) {
						t.Fatalf("the backup has no %s", table)
					}
				}
				dst := storetest.Open(t, to, store.Options{Now: tick})
				if err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatalf("restore: %v", err)
				}
				if a, b := dumpTables(t, src), dumpTables(t, dst); a != b {
					t.Fatalf("restored store differs:\n%s\n---\n%s", a, b)
				}
				got, err := dst.FindAccountabilityByID(storetest.As(f.Users["liaison_yq"]), a.ID)
				if err != nil || got.Post != "镇长" || got.Version != 2 || !slices.Equal(got.Problems, []int64{p.ID}) || !slices.Equal(got.Cases, []int64{c.ID}) {
					t.Fatalf("restored: %v %+v", err, got)
				}
				r, _ := dst.DailyReport(coord, "")
				if r.Measures.HeldAccountable != 1 {
					t.Fatalf("restored report: %d", r.Measures.HeldAccountable)
				}
				got2, err := dst.FindInspectionByID(liaison, insp.ID)
				if err != nil || got2.Status != ducha.InspectionSubmitted || len(got2.Problems) != 1 || got2.Items[2].Finding != "发现焚烧秸秆" {
					t.Fatalf("restored inspection: %v %+v", err, got2)
				}
				if p, err := dst.FindProblemByID(liaison, got2.Problems[0].ID); err != nil || p.Duty == nil || p.Duty.Title != "负责秸秆禁烧和综合利用" {
					t.Fatalf("restored problem's duty: %v %+v", err, p)
				}
				if next, created, err := dst.StartInspection(liaison, 0); err != nil || !created || next.ID <= insp.ID {
					t.Fatalf("inspection ids after the restore: %v %+v", err, next)
				}
				if res := importDuties(t, dst, f, "永清镇|6|负责饮用水水源地保护|《水污染防治法》"); res.Created != 1 {
					t.Fatalf("duty after the restore: %+v", res)
				}
				b := record(t, dst, f, "李四", "红堡镇", "2026-12-10", nil, nil)
				if b.ID <= a.ID {
					t.Fatalf("ids after the restore: %d after %d", b.ID, a.ID)
				}
			})
		}
	}
}
