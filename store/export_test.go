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
