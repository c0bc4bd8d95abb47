package store

import "context"

// SetSynchronous sets SQLite's synchronous mode on the writer connection, so
// that a benchmark can compare the cost of FULL (what ducha runs) with NORMAL.
func SetSynchronous(db *DB, mode string) error {
	_, err := db.writer.ExecContext(context.Background(), "PRAGMA synchronous = "+mode)
	return err
}

// Synchronous reads SQLite's synchronous mode of the writer (0 OFF, 1 NORMAL,
// 2 FULL, 3 EXTRA) and of one reader connection.
func Synchronous(db *DB) (writer, reader int, err error) {
	if err = db.writer.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&writer); err != nil {
		return
	}
	err = db.reader.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&reader)
	return
}

// Orphans counts the rows of a problem's derived tables whose problem does
// not exist: on PostgreSQL they have no foreign key to say so (migration
// 015), so the tests that write through every path ask. The search tables
// are counted too (SQLite's by rowid).
func Orphans(db *DB) (map[string]int, error) {
	ctx := context.Background()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	found, err := tx.orphans(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, o := range found {
		out[o.table] = o.n
	}
	search := []string{`SELECT count(*) FROM problem_search d WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = d.rowid)`}
	if db.dialect.name() == "postgres" {
		search = []string{
			`SELECT count(*) FROM problem_search d WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = d.problem_id)`,
			`SELECT count(*) FROM problem_tokens d WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = d.problem_id)`,
		}
	}
	for _, q := range search {
		var n int
		if err := tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out[q] = n
		}
	}
	return out, nil
}

// GroupCommits counts the write groups SQLite committed (writeGroup); 0 on
// PostgreSQL, which has none.
func GroupCommits(db *DB) int64 {
	if db.group == nil {
		return 0
	}
	return db.group.commits.Load()
}
