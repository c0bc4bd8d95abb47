package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func TestAuditChainCatchesTampering(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn, db := openWithDSN(t, engine)
			f := storetest.Seed(t, db)
			newProblem(t, db, f, "永清镇", "原始描述", "2027-01-31")
			newProblem(t, db, f, "红堡镇", "另一个问题", "2027-01-31")
			ctx := storetest.System()
			broken, n, err := db.VerifyChain(ctx)
			if err != nil || broken != 0 || n < 10 {
				t.Fatalf("whole chain: broken %d, checked %d, %v", broken, n, err)
			}
			if _, _, err := db.VerifyChain(storetest.As(f.Users["coord"])); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Fatalf("coordinator verifying: %v", err)
			}
			raw := rawDB(t, engine, dsn)
			var id int64
			if err := raw.QueryRow(`SELECT max(id) FROM events WHERE action = 'plan'`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			// Someone edits history directly in the database.
			if _, err := raw.Exec(rebind(engine, `UPDATE events SET after = ? WHERE id = ?`), `{"person":"李四"}`, id); err != nil {
				t.Fatal(err)
			}
			broken, _, err = db.VerifyChain(ctx)
			if err != nil || broken != id {
				t.Fatalf("after an update: broken at %d, want %d (%v)", broken, id, err)
			}
			// Deleting the row instead is caught as well.
			if _, err := raw.Exec(rebind(engine, `DELETE FROM events WHERE id = ?`), id); err != nil {
				t.Fatal(err)
			}
			if broken, _, _ = db.VerifyChain(ctx); broken != id {
				t.Fatalf("after a delete: broken at %d, want %d", broken, id)
			}
		})
	}
}

func TestAuditChainCatchesTruncation(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn, db := openWithDSN(t, engine)
			f := storetest.Seed(t, db)
			newProblem(t, db, f, "永清镇", "问题", "2027-01-31")
			raw := rawDB(t, engine, dsn)
			var last int64
			raw.QueryRow(`SELECT max(id) FROM events`).Scan(&last)
			if _, err := raw.Exec(rebind(engine, `DELETE FROM events WHERE id = ?`), last); err != nil {
				t.Fatal(err)
			}
			if broken, _, _ := db.VerifyChain(storetest.System()); broken != last {
				t.Fatalf("last event removed: broken at %d, want %d", broken, last)
			}
		})
	}
}

func TestBackupRestoreEqual(t *testing.T) {
	for _, from := range storetest.Engines {
		for _, to := range storetest.Engines {
			t.Run(from+"_to_"+to, func(t *testing.T) {
				src := storetest.Open(t, from, store.Options{})
				f := storetest.Seed(t, src)
				p := newProblem(t, src, f, "永清镇", "砖厂扬尘", "2027-01-31")
				ctx := storetest.System()
				if err := src.AddAttachment(storetest.As(f.Users["liaison_yq"]), &ducha.Attachment{ProblemID: p.ID, Name: "photo.png", Data: pngBytes}); err != nil {
					t.Fatal(err)
				}
				if _, err := src.CreateToken(ctx, f.Users["coord"].ID, "script"); err != nil {
					t.Fatal(err)
				}
				if _, err := src.ImportBatch(storetest.As(f.Users["coord"]), 1, "2026-12-09", "b1", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", true)}); err != nil {
					t.Fatal(err)
				}
				work(t, src, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue, ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "砖厂", FineYuan: 123456})
				var first bytes.Buffer
				if err := src.Backup(ctx, &first); err != nil {
					t.Fatal(err)
				}
				dst := storetest.Open(t, to, store.Options{})
				if err := dst.Restore(ctx, bytes.NewReader(first.Bytes())); err != nil {
					t.Fatalf("restore: %v", err)
				}
				if broken, n, err := dst.VerifyChain(ctx); err != nil || broken != 0 || n == 0 {
					t.Fatalf("restored chain: broken %d of %d: %v", broken, n, err)
				}
				if a, b := dumpTables(t, src), dumpTables(t, dst); a != b {
					t.Fatalf("restored store differs:\n%s\n---\n%s", a, b)
				}
				// The restored store works: search, login, new ids continue.
				coord := storetest.As(f.Users["coord"])
				if _, total, _ := dst.FindProblems(coord, ducha.ProblemFilter{Q: "扬尘"}); total != 1 {
					t.Fatalf("search after restore: %d", total)
				}
				if _, total, _ := dst.FindCases(coord, ducha.CaseFilter{Q: "永清"}); total != 1 {
					t.Fatalf("case search after restore: %d", total)
				}
				a, _ := src.DailyReport(coord, "")
				b, _ := dst.DailyReport(coord, "")
				if a.Text != b.Text || b.Measures.FinesYuan != 123456 {
					t.Fatalf("report after restore:\n%s\n%s", a.Text, b.Text)
				}
				if _, err := dst.Authenticate(context.Background(), "liaison_yq", storetest.Password); err != nil {
					t.Fatalf("login after restore: %v", err)
				}
				q := &ducha.Problem{Description: "恢复后新登记"}
				if err := dst.CreateProblem(coord, q); err != nil || q.ID <= p.ID || q.Code != "QS-2026-0002" && q.Code[len(q.Code)-4:] != "0002" {
					t.Fatalf("create after restore: %v id %d code %s", err, q.ID, q.Code)
				}
				if err := dst.Restore(ctx, bytes.NewReader(first.Bytes())); ducha.ErrorCode(err) != ducha.ECONFLICT {
					t.Fatalf("restore into a non-empty store: %v", err)
				}
			})
		}
	}
}

// dumpTables renders a store's backup content without its header line, so
// two stores can be compared.
func dumpTables(t *testing.T, db *store.DB) string {
	t.Helper()
	var buf bytes.Buffer
	if err := db.Backup(storetest.System(), &buf); err != nil {
		t.Fatal(err)
	}
	s := gunzip(t, buf.Bytes())
	return s[bytes.IndexByte([]byte(s), '\n')+1:]
}

func openWithDSN(t *testing.T, engine string) (string, *store.DB) {
	t.Helper()
	db := storetest.Open(t, engine, store.Options{})
	return db.DSN(), db
}

func rawDB(t *testing.T, engine, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if engine == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func rebind(engine, q string) string {
	if engine != "postgres" {
		return q
	}
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$', byte('0'+n))
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// TestRestoreRefusesOrphans: a backup whose problem_units row names a
// problem the file lacks is refused on both engines, and nothing is
// restored. PostgreSQL has no foreign key to refuse it (decision 006).
func TestRestoreRefusesOrphans(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			src := storetest.Open(t, engine, store.Options{})
			f := storetest.Seed(t, src)
			newProblem(t, src, f, "永清镇", "砖厂扬尘", "2027-01-31")
			ctx := storetest.System()
			var buf bytes.Buffer
			if err := src.Backup(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			table, col, changed := "", -1, 0
			for _, line := range strings.Split(strings.TrimRight(string(plain), "\n"), "\n") {
				if strings.HasPrefix(line, "{") {
					var h struct {
						Table   string   `json:"table"`
						Columns []string `json:"columns"`
					}
					if err := json.Unmarshal([]byte(line), &h); err != nil {
						t.Fatal(err)
					}
					table, col = h.Table, slices.Index(h.Columns, "problem_id")
				} else if table == "problem_units" && col >= 0 {
					var vals []json.RawMessage
					if err := json.Unmarshal([]byte(line), &vals); err != nil {
						t.Fatal(err)
					}
					vals[col] = json.RawMessage("999999")
					b, _ := json.Marshal(vals)
					line, changed = string(b), changed+1
				}
				out.WriteString(line + "\n")
			}
			if changed == 0 {
				t.Fatal("no problem_units row in the backup")
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(out.Bytes())
			zw.Close()
			dst := storetest.Open(t, engine, store.Options{})
			if err := dst.Restore(ctx, &gz); err == nil {
				t.Fatal("a backup with an orphan problem_units row was restored")
			}
			if _, total, err := dst.FindProblems(storetest.As(f.Users["coord"]), ducha.ProblemFilter{}); err == nil && total != 0 {
				t.Fatalf("refused restore left %d problems", total)
			}
		})
	}
}
