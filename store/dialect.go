package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// dialect is everything that differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	open(dsn string) (writer, reader *sql.DB, err error)
	// rebind turns ? placeholders into the engine's own.
	rebind(query string) string
	readTxOptions() *sql.TxOptions
	// forUpdate is appended to a SELECT that must lock its row.
	forUpdate() string
	// setSearch writes the search tokens of many items of one index in one statement.
	setSearch(ctx context.Context, tx *Tx, ix searchIndex, rows []searchRow) error
	// search makes the SQL that finds items by query tokens.
	search(ix searchIndex, tokens []string) searchSQL
	// idList is a subquery of the ids in a JSON array parameter.
	idList() string
	// resetSequences makes generated ids continue after restored rows.
	resetSequences(ctx context.Context, tx *Tx, tables []string) error
	// skipLocked is appended to a SELECT whose rows should be locked, passing
	// over rows that other transactions hold (login throttle sweep, below).
	skipLocked() string
}

func dialectFor(dsn string) dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return &postgres{}
	}
	return &sqlite{}
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }

func (sqlite) open(dsn string) (*sql.DB, *sql.DB, error) {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	pragmas := "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	writer, err := sql.Open("sqlite", u+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	// The writer creates the file and switches it to WAL before readers open it.
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, nil, err
	}
	reader, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	return writer, reader, nil
}

func (sqlite) rebind(q string) string { return q }

func (sqlite) readTxOptions() *sql.TxOptions { return nil }

func (sqlite) forUpdate() string { return "" }

// searchIndex names a search index: its table, the id column of its
// PostgreSQL table, and the id it matches in the item query ("p.id").
type searchIndex struct {
	table, idColumn, target string
}

var (
	problemSearch = searchIndex{"problem_search", "problem_id", "p.id"}
	caseSearch    = searchIndex{"case_search", "case_id", "c.id"}
)

func (sqlite) setSearch(ctx context.Context, tx *Tx, ix searchIndex, rows []searchRow) error {
	var replaced []int64
	items := make([][2]any, len(rows))
	for i, r := range rows {
		if r.replace {
			replaced = append(replaced, r.id)
		}
		items[i] = [2]any{r.id, strings.Join(r.tokens, " ")}
	}
	if len(replaced) > 0 {
		ids, _ := json.Marshal(replaced)
		if _, err := tx.exec(ctx, `DELETE FROM `+ix.table+` WHERE rowid IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return err
		}
	}
	// One statement for all rows: FTS5 flushes its pending terms at every
	// statement of a transaction, so row-by-row inserts would write the
	// index a row at a time.
	b, _ := json.Marshal(items)
	_, err := tx.exec(ctx, `INSERT INTO `+ix.table+` (rowid, tokens)
		SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`, string(b))
	return err
}

// searchSQL is how a dialect finds problems by search tokens.
type searchSQL struct {
	join      string // added to FROM problems p
	cond      string // added to WHERE
	args      []any
	order     string // the page order, newest first, when the search should drive it
	countCond string // the condition on p.id for counting with other filters
	countAll  string // the statement that counts every match when nothing else filters
}

func (sqlite) search(ix searchIndex, tokens []string) searchSQL {
	// One FTS5 phrase: the tokens must stand next to each other, in order.
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = strings.ReplaceAll(t, `"`, `""`)
	}
	phrase := `"` + strings.Join(quoted, " ") + `"`
	// The full-text index walks its matches newest first and stops at the
	// page's end, instead of collecting every match to sort it.
	t := ix.table
	return searchSQL{
		join:      ` JOIN ` + t + ` ON ` + t + `.rowid = ` + ix.target,
		cond:      t + ` MATCH ?`,
		args:      []any{phrase},
		order:     ` ORDER BY ` + t + `.rowid DESC`,
		countCond: ix.target + ` IN (SELECT rowid FROM ` + t + ` WHERE ` + t + ` MATCH ?)`,
		countAll:  `SELECT count(*) FROM ` + t + ` WHERE ` + t + ` MATCH ?`,
	}
}

func (sqlite) resetSequences(context.Context, *Tx, []string) error { return nil }

func (sqlite) idList() string { return `SELECT value FROM json_each(?)` }

type postgres struct {
	mu    sync.Mutex
	cache map[string]string
}

func (*postgres) name() string { return "postgres" }

func (*postgres) open(dsn string) (*sql.DB, *sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, db, nil
}

// rebind turns ? into $1, $2, … outside of string literals; results are cached
// since queries are a fixed set.
func (d *postgres) rebind(q string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.cache[q]; ok {
		return s
	}
	var b strings.Builder
	n, inString := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	if d.cache == nil {
		d.cache = map[string]string{}
	}
	if len(d.cache) < 10000 {
		d.cache[q] = b.String()
	}
	return b.String()
}

func (*postgres) idList() string {
	return `SELECT jsonb_array_elements_text(?::jsonb)::bigint`
}

func (*postgres) readTxOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

func (*postgres) forUpdate() string { return " FOR UPDATE" }

func (*postgres) setSearch(ctx context.Context, tx *Tx, ix searchIndex, rows []searchRow) error {
	items := make([][2]any, len(rows))
	for i, r := range rows {
		items[i] = [2]any{r.id, r.tokens}
	}
	b, _ := json.Marshal(items)
	_, err := tx.exec(ctx, `INSERT INTO `+ix.table+` (`+ix.idColumn+`, tokens)
		SELECT (e->>0)::bigint, ARRAY(SELECT jsonb_array_elements_text(e->1)) FROM jsonb_array_elements(?::jsonb) e
		ON CONFLICT (`+ix.idColumn+`) DO UPDATE SET tokens = excluded.tokens`, string(b))
	return err
}

func (*postgres) search(ix searchIndex, tokens []string) searchSQL {
	// Containment of every token: the GIN index answers it; order is not
	// checked, which for two-character tokens of one query rarely matters.
	in := ix.target + ` IN (SELECT ` + ix.idColumn + ` FROM ` + ix.table + ` WHERE tokens @> ?::text[])`
	return searchSQL{
		cond:      in,
		args:      []any{pgArray(tokens)},
		countCond: in,
		countAll:  `SELECT count(*) FROM ` + ix.table + ` WHERE tokens @> ?::text[]`,
	}
}

func (*postgres) resetSequences(ctx context.Context, tx *Tx, tables []string) error {
	for _, t := range tables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT max(id) FROM %s), 0) + 1, false)`, t, t)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// pgArray writes a text[] literal.
func pgArray(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// ---- Login throttle (store/throttle.go) ----
//
// The sweep of dead throttle rows must never wait for a login's
// reservation, or the two could deadlock on PostgreSQL; SQLite has one
// writer, so nothing is ever locked by another.

func (sqlite) skipLocked() string { return "" }

func (*postgres) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }
