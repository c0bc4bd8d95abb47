package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"ducha"
)

// backupTables are dumped in this order, parents before children, so that a
// restore can insert them in the same order. The search index is not dumped:
// restore rebuilds it. Sessions are not dumped: a restore logs everyone out.
var backupTables = []struct {
	name  string
	order string
	blobs map[string]bool
}{
	{"units", "id", nil},
	{"users", "id", nil},
	{"tokens", "id", nil},
	{"campaigns", "id", nil},
	{"counters", "name", nil},
	{"problems", "id", nil},
	{"problem_units", "problem_id, unit_id", nil},
	{"problem_types", "problem_id, type", nil},
	{"attachments", "id", map[string]bool{"data": true}},
	{"progress_entries", "id", nil},
	{"batches", "id", nil},
	{"enterprises", "id", nil},
	{"cases", "id", nil},
	{"batch_duplicates", "batch_id, acceptance_no", nil},
	{"case_units", "case_id, unit_id", nil},
	{"case_types", "case_id, type", nil},
	{"case_problems", "case_id, problem_id", nil},
	{"measures", "id", nil},
	{"notices", "id", nil},
	{"channels", "id", nil},
	{"outbox", "id", nil},
	{"deliveries", "id", nil},
	{"accountability", "id", nil},
	{"accountability_problems", "accountability_id, problem_id", nil},
	{"accountability_cases", "accountability_id, case_id", nil},
	{"accountability_states", "accountability_id, valid_from, valid_to", nil},
	{"duties", "id", nil},
	{"inspections", "id", nil},
	{"inspection_items", "inspection_id, duty_id", nil},
	{"case_states", "case_id, valid_from, valid_to, status", nil},
	{"problem_states", "problem_id, valid_from, valid_to, status", nil},
	{"documents", "id", map[string]bool{"data": true}},
	{"doc_requests", "id", map[string]bool{"data": true}},
	{"events", "id", nil},
	{"audit_head", "id", nil},
}

// serialTables have generated ids that must continue after a restore.
var serialTables = []string{"units", "users", "tokens", "campaigns", "problems", "attachments", "progress_entries", "batches", "enterprises", "cases", "measures", "notices", "channels", "outbox", "deliveries", "accountability",
	"documents", "doc_requests", "duties", "inspections"}

type backupHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Engine  string `json:"engine"`
	At      string `json:"at"`
}

type backupTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// Backup writes a consistent copy of the whole store to w: one read
// snapshot, so it may run while the server is writing. The format (gzip'd
// JSON lines) is the same for both engines, so a SQLite backup restores into
// PostgreSQL and back.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	if _, err := ducha.Require(ctx, ducha.PermAudit); err != nil {
		return err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(backupHeader{Format: "ducha-backup", Version: 1, Engine: db.dialect.name(), At: ducha.FormatTime(tx.now)}); err != nil {
		return err
	}
	for _, t := range backupTables {
		if err := tx.dumpTable(ctx, enc, t.name, t.order, t.blobs); err != nil {
			return fmt.Errorf("backup %s: %w", t.name, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func (tx *Tx) dumpTable(ctx context.Context, enc *json.Encoder, table, order string, blobs map[string]bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if err := enc.Encode(backupTable{Table: table, Columns: cols}); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				if blobs[cols[i]] {
					vals[i] = base64.StdEncoding.EncodeToString(b)
				} else {
					vals[i] = string(b)
				}
			}
		}
		if err := enc.Encode(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Restore reads a backup made by Backup into this store, which must be
// empty (freshly migrated). It is all or nothing; the search index is
// rebuilt from the restored problems.
func (db *DB) Restore(ctx context.Context, r io.Reader) error {
	if _, err := ducha.Require(ctx, ducha.PermAudit); err != nil {
		return err
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return ducha.Errorf(ducha.EINVALID, "不是ducha备份文件：%v", err)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(zr, 1<<16))
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != "ducha-backup" {
		return ducha.Errorf(ducha.EINVALID, "不是ducha备份文件")
	}
	if h.Version != 1 {
		return ducha.Errorf(ducha.EINVALID, "备份文件版本%d无法识别", h.Version)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range []string{"units", "users", "problems", "events"} {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ducha.Errorf(ducha.ECONFLICT, "目标数据库不是空的（%s已有%d条记录），只能恢复到空库", t, n)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_head`); err != nil {
		return err
	}
	blobs := map[string]map[string]bool{}
	for _, t := range backupTables {
		blobs[t.name] = t.blobs
	}
	var cur backupTable
	var insert string
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return ducha.Errorf(ducha.EINVALID, "备份文件已损坏：%v", err)
		}
		if len(raw) > 0 && raw[0] == '{' {
			if err := json.Unmarshal(raw, &cur); err != nil {
				return err
			}
			if _, ok := blobs[cur.Table]; !ok {
				return ducha.Errorf(ducha.EINVALID, "备份文件含未知的表%s", cur.Table)
			}
			insert = `INSERT INTO ` + cur.Table + ` (` + strings.Join(cur.Columns, ", ") + `) VALUES (` + placeholders(len(cur.Columns)) + `)`
			continue
		}
		dec2 := json.NewDecoder(strings.NewReader(string(raw)))
		dec2.UseNumber()
		var vals []any
		if err := dec2.Decode(&vals); err != nil || len(vals) != len(cur.Columns) {
			return ducha.Errorf(ducha.EINVALID, "备份文件已损坏（表%s）", cur.Table)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case json.Number:
				n, err := x.Int64()
				if err != nil {
					return ducha.Errorf(ducha.EINVALID, "备份文件已损坏（表%s）", cur.Table)
				}
				vals[i] = n
			case string:
				if blobs[cur.Table][cur.Columns[i]] {
					b, err := base64.StdEncoding.DecodeString(x)
					if err != nil {
						return ducha.Errorf(ducha.EINVALID, "备份文件已损坏（表%s）", cur.Table)
					}
					vals[i] = b
				}
			}
		}
		if _, err := tx.exec(ctx, insert, vals...); err != nil {
			return fmt.Errorf("restore %s: %w", cur.Table, err)
		}
	}
	if err := db.dialect.resetSequences(ctx, tx, serialTables); err != nil {
		return err
	}
	// PostgreSQL has no foreign key to say so (docs/decisions/006): a file
	// whose derived rows name a problem it lacks is refused here, as SQLite
	// refuses it at the insert.
	if orphans, err := tx.orphans(ctx); err != nil {
		return err
	} else if len(orphans) > 0 {
		return ducha.Errorf(ducha.EINVALID, "备份文件不完整：%s有%d行所属问题不存在", orphans[0].table, orphans[0].n)
	}
	if err := tx.rebuildSearch(ctx); err != nil {
		return err
	}
	// The counters are recounted; every part of the store changed.
	if err := tx.buildTally(ctx); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM data_versions`); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO data_versions (name, version) SELECT '*', last_id FROM audit_head WHERE id = 1`); err != nil {
		return err
	}
	return tx.Commit()
}

// rebuildSearch recomputes every problem's and case's search tokens.
func (tx *Tx) rebuildSearch(ctx context.Context) error {
	rows, err := tx.query(ctx, `SELECT id, code, description, address, subject, area FROM problems ORDER BY id`)
	if err != nil {
		return err
	}
	var ps []*ducha.Problem
	for rows.Next() {
		var p ducha.Problem
		if err := rows.Scan(&p.ID, &p.Code, &p.Description, &p.Address, &p.Subject, &p.Area); err != nil {
			rows.Close()
			return err
		}
		ps = append(ps, &p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range ps {
		tx.queueSearch(problemSearch, p.ID, problemTokens(p), false)
	}
	if err := tx.rebuildCaseSearch(ctx, false); err != nil {
		return err
	}
	if err := tx.rebuildDocumentSearch(ctx); err != nil {
		return err
	}
	return tx.flushSearch(ctx)
}

// orphan is a derived table with rows whose problem does not exist.
type orphan struct {
	table string
	n     int
}

// orphans counts the rows of a problem's derived tables whose problem does
// not exist: none, unless a bug or a doctored backup wrote them.
func (tx *Tx) orphans(ctx context.Context) ([]orphan, error) {
	var out []orphan
	for _, t := range []string{"problem_units", "problem_types", "problem_states"} {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t+` d WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = d.problem_id)`).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("orphans of %s: %w", t, err)
		}
		if n > 0 {
			out = append(out, orphan{t, n})
		}
	}
	return out, nil
}
