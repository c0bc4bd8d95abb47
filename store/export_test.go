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
// 015), so the tests that write through every path ask.
func Orphans(db *DB) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range []string{"problem_units", "problem_types", "problem_states", "problem_search", "problem_tokens"} {
		if (t == "problem_tokens" || t == "problem_search") && db.dialect.name() == "sqlite" {
			continue // not there, and an FTS5 table (rowid) respectively
		}
		var n int
		err := db.reader.QueryRowContext(context.Background(),
			`SELECT count(*) FROM `+t+` d WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = d.problem_id)`).Scan(&n)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out[t] = n
		}
	}
	return out, nil
}
