package store

import "context"

// BackupTableNames lists the tables a backup carries.
func BackupTableNames() []string {
	out := make([]string, len(backupTables))
	for i, t := range backupTables {
		out[i] = t.name
	}
	return out
}

// TableNames lists the store's tables, by the engine's catalogue.
func TableNames(db *DB) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if db.dialect.name() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := db.reader.QueryContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
