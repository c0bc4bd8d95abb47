package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/bits"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// dialect is everything that differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	// statementContext is the context a lookup or a write's statement runs
	// under (see Tx.statementContext); learns says whether a pool should
	// prepare what its transactions prepared (DB.learn).
	statementContext(ctx context.Context) context.Context
	learns() bool
	// open connects to the database: the pools a store reads and writes through.
	open(dsn string) (pools, error)
	// rebind turns ? placeholders into the engine's own.
	rebind(query string) string
	readTxOptions() *sql.TxOptions
	// forUpdate is appended to a SELECT that must lock its row.
	forUpdate() string
	// setSearch writes the search tokens of many items of one index in one statement.
	// searchAlso is search for items that also have the tokens of also
	// (anywhere, not next to the others): a narrower walk.
	searchAlso(ix searchIndex, tokens, also []string) searchSQL
	setSearch(ctx context.Context, tx *Tx, ix searchIndex, rows []searchRow) error
	// search makes the SQL that finds items by query tokens.
	search(ix searchIndex, tokens []string) searchSQL
	// idList is a subquery of the ids in a JSON array parameter.
	idList() string
	// indexedBy follows a table in FROM to walk one index: SQLite cannot
	// know that a partial index holds few rows; PostgreSQL's statistics
	// say so, and it has no such clause.
	indexedBy(index string) string
	// bytewise makes a text expression compare by its bytes (code
	// points), as the ledger's sorted pages and exports order text
	// whatever the database's locale.
	bytewise(expr string) string
	// resetSequences makes generated ids continue after restored rows.
	resetSequences(ctx context.Context, tx *Tx, tables []string) error
	// skipLocked is appended to a SELECT whose rows should be locked, passing
	// over rows that other transactions hold (login throttle sweep, below).
	skipLocked() string
	// Bulk writes: see the block at the end of this file.
	bulkDialect
}

// pools are a store's connections to its database. Reads are split by what
// they cost: a session, token or data-version lookup (an indexed row, the
// first reads of every request) must never queue behind a ledger page or a
// count that takes a connection for tens of milliseconds.
type pools struct {
	writer *sql.DB // every write transaction
	reader *sql.DB // read transactions: lists, counts, reports
	lookup *sql.DB // DB.queryRow: one-row reads outside a transaction
}

func dialectFor(dsn string) dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return &postgres{}
	}
	return &sqlite{}
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }

// statementContext cannot end: modernc's driver starts a goroutine per
// statement to watch a context that can. SQLite waits for no lock but the
// writer's (busy_timeout bounds it), so nothing is lost.
func (sqlite) statementContext(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}

// learns: the pure-Go SQLite parses a statement at about the cost of
// running it, and database/sql prepares nothing by itself.
func (sqlite) learns() bool { return true }

func (sqlite) open(dsn string) (pools, error) {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	pragmas := "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	writer, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return pools{}, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	// The writer creates the file and switches it to WAL before readers open it.
	if err := writer.Ping(); err != nil {
		writer.Close()
		return pools{}, err
	}
	reader, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=cache_size(-65536)&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return pools{}, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	// Lookups get four connections of their own: eight long list queries
	// hold every reader connection, and a request's session check would
	// wait behind them. Every request makes two (its session and the
	// ledger's version): with two connections, 2,000 requests a second
	// queued for them (1M problems, 10% writes: 1,727 → 1,997 reads/s with
	// four, /api/v1/me p99 20 → 15 ms). Their rows are few, so a small
	// page cache does.
	lookup, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=cache_size(-8192)&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		reader.Close()
		return pools{}, err
	}
	lookup.SetMaxOpenConns(4)
	lookup.SetMaxIdleConns(4)
	return pools{writer: writer, reader: reader, lookup: lookup}, nil
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
	key       string // the column the page is ordered by, newest first, and keyset pages compare
	drive     string // SQLite: the FROM clause that keeps the search index outermost, instead of join
	countCond string // the condition on p.id for counting with other filters
	countAll  string // the statement that counts every match when nothing else filters
}

func (d sqlite) search(ix searchIndex, tokens []string) searchSQL {
	return d.searchAlso(ix, tokens, nil)
}

// ftsPhrase is one FTS5 phrase: the tokens must stand next to each other,
// in order.
func ftsPhrase(tokens []string) string {
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = strings.ReplaceAll(t, `"`, `""`)
	}
	return `"` + strings.Join(quoted, " ") + `"`
}

func (sqlite) searchAlso(ix searchIndex, tokens, also []string) searchSQL {
	phrase := ftsPhrase(tokens)
	if len(also) > 0 {
		phrase += " AND " + ftsPhrase(also)
	}
	// The full-text index walks its matches newest first and stops at the
	// page's end, instead of collecting every match to sort it.
	t := ix.table
	return searchSQL{
		join:      ` JOIN ` + t + ` ON ` + t + `.rowid = ` + ix.target,
		cond:      t + ` MATCH ?`,
		args:      []any{phrase},
		key:       t + `.rowid`,
		drive:     ` FROM ` + t + ` CROSS JOIN problems p ON p.id = ` + t + `.rowid`,
		countCond: ix.target + ` IN (SELECT rowid FROM ` + t + ` WHERE ` + t + ` MATCH ?)`,
		countAll:  `SELECT count(*) FROM ` + t + ` WHERE ` + t + ` MATCH ?`,
	}
}

func (sqlite) resetSequences(context.Context, *Tx, []string) error { return nil }

func (sqlite) idList() string { return `SELECT value FROM json_each(?)` }

func (sqlite) indexedBy(index string) string { return " INDEXED BY " + index }

func (sqlite) bytewise(expr string) string { return expr } // BINARY, SQLite's default

type postgres struct {
	mu    sync.Mutex
	cache map[string]string
}

func (*postgres) name() string { return "postgres" }

// statementContext is ctx itself: pgx watches it without a goroutine, and
// a statement waiting for a row lock must stop when its request ends.
func (*postgres) statementContext(ctx context.Context) context.Context { return ctx }

// learns not: pgx keeps its own statement cache per connection, and
// re-prepares after a schema change where a pool's statement would not.
func (*postgres) learns() bool { return false }

// sessionDefaults are the planner settings every connection starts with,
// unless the DSN sets them (pgx passes unknown DSN parameters to the
// server as session settings).
var sessionDefaults = []struct{ name, value string }{
	// Every execution is planned for its arguments: a generic plan cannot
	// know that a few days of deadlines, or one area's overdue problems,
	// are few, and walks the whole ledger for them (yellow in 永清镇: 9.5 ms
	// a page generic, 2.9 ms planned, at 1,000,000 problems).
	{"plan_cache_mode", "force_custom_plan"},
	// The ledger is read from memory or SSD, where a random page costs
	// little more than the next one; at the default 4 the planner walks
	// the whole ledger by id rather than one area's index for "overdue in
	// 永清镇" (4.6 ms a page against 1.3 ms, at 1,000,000 problems).
	{"random_page_cost", "1.1"},
}

// withSessionDefaults appends the sessionDefaults the DSN does not set,
// as a parameter of its own (any case) or in its options.
func withSessionDefaults(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // pgx reports it
	}
	given := map[string]bool{}
	for k := range u.Query() {
		given[strings.ToLower(k)] = true
	}
	options := strings.ToLower(u.Query().Get("options"))
	for _, d := range sessionDefaults {
		if given[d.name] || strings.Contains(options, d.name) {
			continue
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + d.name + "=" + d.value
	}
	return dsn
}

func (*postgres) open(dsn string) (pools, error) {
	dsn = withSessionDefaults(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return pools{}, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.Ping(); err != nil {
		db.Close()
		return pools{}, err
	}
	// Lookups (a request's session or token, the data versions) get four
	// connections of their own. Writes queue on the audit chain's head
	// row, each holding a connection while it waits: at 10% writes they
	// held all 32, and /api/v1/me waited 0.5–2 s behind them.
	lookup, err := sql.Open("pgx", dsn)
	if err != nil {
		db.Close()
		return pools{}, err
	}
	lookup.SetMaxOpenConns(4)
	lookup.SetMaxIdleConns(4)
	return pools{writer: db, reader: db, lookup: lookup}, nil
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

func (*postgres) indexedBy(string) string { return "" }

func (*postgres) bytewise(expr string) string { return expr + ` COLLATE "C"` }

func (*postgres) idList() string {
	return `SELECT jsonb_array_elements_text(?::jsonb)::bigint`
}

func (*postgres) readTxOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// forUpdate locks the row for an update that keeps its key (FOR NO KEY
// UPDATE): a foreign key check on it (FOR KEY SHARE) does not wait for it.
// FOR UPDATE made a unit edit (unit row, then the audit head) and a pass
// inserting a notice for that unit (audit head, then the unit row's key)
// deadlock; two writers of one row still wait for each other.
func (*postgres) forUpdate() string { return " FOR NO KEY UPDATE" }

// pgTokens is the PostgreSQL table of an index's tokens, one row per
// (token, item) keyed on both (migration 012); ix.table keeps each item's
// list of tokens, from which a changed item's old rows are found.
func pgTokens(ix searchIndex) string {
	return strings.TrimSuffix(ix.table, "_search") + "_tokens"
}

func (*postgres) setSearch(ctx context.Context, tx *Tx, ix searchIndex, rows []searchRow) error {
	t, id := pgTokens(ix), ix.idColumn
	// Arrays, unnested by the server: about half its work of the same rows
	// as JSON. Lists are tokens joined by spaces (tokens have none).
	ids := make([]int64, len(rows))
	lists := make([]string, len(rows))
	for i, r := range rows {
		ids[i], lists[i] = r.id, strings.Join(r.tokens, " ")
	}
	// The items' lists as they are, whether or not rows say they had one:
	// only the tokens gone and the tokens added touch the token table.
	// Each row of it costs an index insert; a ledger import writes about
	// forty a problem, so the diff is worked out here, not by the server.
	before := map[int64][]string{}
	rs, err := tx.query(ctx, `SELECT `+id+`, array_to_string(tokens, ' ') FROM `+ix.table+` WHERE `+id+` = ANY(?::bigint[])`, ids)
	if err != nil {
		return err
	}
	for rs.Next() {
		var item int64
		var list string
		if err := rs.Scan(&item, &list); err != nil {
			rs.Close()
			return err
		}
		before[item] = strings.Fields(list)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	var gone, added tokenRows
	for _, r := range rows {
		gone.diff(r.id, tokenSet(before[r.id]), tokenSet(r.tokens))
		added.diff(r.id, tokenSet(r.tokens), tokenSet(before[r.id]))
	}
	// In the key's order, so that inserts into one token's range follow
	// each other (twice as fast as in item order).
	gone.sort()
	added.sort()
	_, err = tx.exec(ctx, `WITH gone AS (
			DELETE FROM `+t+` d USING unnest(?::text[], ?::bigint[]) AS g(token, id)
			WHERE d.token = g.token AND d.`+id+` = g.id),
		added AS (INSERT INTO `+t+` (token, `+id+`) SELECT * FROM unnest(?::text[], ?::bigint[]))
		INSERT INTO `+ix.table+` (`+id+`, tokens)
		SELECT id, string_to_array(tokens, ' ') FROM unnest(?::bigint[], ?::text[]) AS t(id, tokens)
		ON CONFLICT (`+id+`) DO UPDATE SET tokens = excluded.tokens`,
		gone.tokens, gone.ids, added.tokens, added.ids, ids, lists)
	return err
}

// tokenRows are rows of a PostgreSQL token table, as two arrays.
type tokenRows struct {
	tokens []string
	ids    []int64
}

// diff adds a row of item for each token of a that b lacks (both sorted sets).
func (tr *tokenRows) diff(item int64, a, b []string) {
	j := 0
	for _, tok := range a {
		for j < len(b) && b[j] < tok {
			j++
		}
		if j == len(b) || b[j] != tok {
			tr.tokens = append(tr.tokens, tok)
			tr.ids = append(tr.ids, item)
		}
	}
}

// sort orders the rows by token, then id: the token table's key.
func (tr *tokenRows) sort() {
	order := make([]int, len(tr.ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(tr.tokens[a], tr.tokens[b]), cmp.Compare(tr.ids[a], tr.ids[b]))
	})
	tokens, ids := make([]string, len(order)), make([]int64, len(order))
	for i, k := range order {
		tokens[i], ids[i] = tr.tokens[k], tr.ids[k]
	}
	tr.tokens, tr.ids = tokens, ids
}

// tokenSet returns the distinct tokens of toks, sorted.
func tokenSet(toks []string) []string {
	s := slices.Clone(toks)
	slices.Sort(s)
	return slices.Compact(s)
}

// searchAlso ignores also on PostgreSQL: the walk of the first token with
// an EXISTS per other token costs more per row than the area check it
// would spare (measured at 1,000,000 problems).
func (d *postgres) searchAlso(ix searchIndex, tokens, _ []string) searchSQL {
	return d.search(ix, tokens)
}

func (*postgres) search(ix searchIndex, tokens []string) searchSQL {
	// Every token must be there, in any order (which for the two-character
	// tokens of one query rarely matters). A page walks the first token's
	// range of the token key from its newest id down, probes the item by
	// its key and stops at the page's end; the other tokens are EXISTS on
	// the same key, and the planner may walk one of them instead when its
	// statistics say it is rarer.
	//
	// "+ 0" keeps the item's id out of the walk's ordering: else the
	// planner may merge the walk with a scan of the item table from its
	// newest id, which on a keyset page (key < ?, bounding the walk alone)
	// reads every newer item (0.3 s deep in 扬尘 at 1,000,000 problems).
	// The price: a filter that few of the token's items pass cannot drive
	// the page instead, and the walk may read the whole range (0.15 s for
	// 扬尘's 156,000 in a unit with none of them).
	t, id := pgTokens(ix), ix.idColumn
	var uniq []any
	for _, tok := range tokens {
		if !slices.Contains(uniq, any(tok)) {
			uniq = append(uniq, tok)
		}
	}
	match := `s0.token = ?`
	for i := 1; i < len(uniq); i++ {
		s := "s" + strconv.Itoa(i)
		match += ` AND EXISTS (SELECT 1 FROM ` + t + ` ` + s + ` WHERE ` + s + `.token = ? AND ` + s + `.` + id + ` = s0.` + id + `)`
	}
	return searchSQL{
		join:      ` JOIN ` + t + ` s0 ON ` + ix.target + ` = s0.` + id + ` + 0`,
		cond:      match,
		args:      uniq,
		key:       `s0.` + id,
		countCond: ix.target + ` IN (SELECT s0.` + id + ` FROM ` + t + ` s0 WHERE ` + match + `)`,
		countAll:  `SELECT count(*) FROM ` + t + ` s0 WHERE ` + match,
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

// ---- Login throttle (store/throttle.go) ----
//
// The sweep of dead throttle rows must never wait for a login's
// reservation, or the two could deadlock on PostgreSQL; SQLite has one
// writer, so nothing is ever locked by another.

func (sqlite) skipLocked() string { return "" }

func (*postgres) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// ---- Bulk writes (a ledger import, store/ledger.go) ----
//
// A ledger import writes a new problem's rows (the problem, its units,
// types, state, event, search tokens) many problems at a time: on
// PostgreSQL every statement is a round trip. What differs is how ids are
// taken before the rows that need them are written, and the statement that
// writes many rows.

// bulkDialect is what the bulk writes need of an engine.
type bulkDialect interface {
	// reserveIDs takes n new ids of table, ascending.
	reserveIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error)
	// insertRows writes rows (values in t's column order) into t.
	insertRows(ctx context.Context, tx *Tx, t bulkTable, rows [][]any) error
	// textList is a subquery of the strings in a JSON array parameter.
	textList() string
}

// bulkTable is a table as bulk writes fill it: its columns and their
// PostgreSQL types (bigint or text), which the arrays of an unnest need.
type bulkTable struct {
	name    string
	columns []string
	types   []string
}

// newBulkTable describes table by its columns, each "name type".
func newBulkTable(name string, columns ...string) bulkTable {
	t := bulkTable{name: name}
	for _, c := range columns {
		n, typ, _ := strings.Cut(c, " ")
		t.columns = append(t.columns, n)
		t.types = append(t.types, typ)
	}
	return t
}

// maxValuesRows bounds the rows of one multi-row VALUES statement: a power
// of two under both engines' parameter limits (SQLite 32,766, PostgreSQL
// 65,535) for the widest table (problems, 33 columns).
const maxValuesRows = 512

// insertValues writes rows into t with multi-row INSERT … VALUES, the same
// SQL on both engines. Statements are prepared once per transaction by
// their text, so their sizes are kept to a few: maxValuesRows, then the
// rest in pieces of a power of two rows (900: 512, 256, 128, 4).
func (tx *Tx) insertValues(ctx context.Context, t bulkTable, rows [][]any) error {
	return tx.upsertValues(ctx, t, rows, "")
}

// upsertValues is insertValues with an ON CONFLICT clause after each
// statement (the rows of one statement must not conflict with each other).
func (tx *Tx) upsertValues(ctx context.Context, t bulkTable, rows [][]any, onConflict string) error {
	width := len(t.columns)
	one := "(" + placeholders(width) + ")"
	for len(rows) > 0 {
		n := min(maxValuesRows, 1<<(bits.Len(uint(len(rows)))-1))
		var q strings.Builder
		q.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.columns, ", ") + ") VALUES ")
		args := make([]any, 0, n*width)
		for i, r := range rows[:n] {
			if len(r) != width {
				return fmt.Errorf("insert %s: %d values, want %d", t.name, len(r), width)
			}
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(one)
			args = append(args, r...)
		}
		q.WriteString(onConflict)
		if _, err := tx.exec(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// SQLite's one writer takes the ids after the largest, as an INSERT without
// an id would.
func (sqlite) reserveIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	var last int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(max(id), 0) FROM `+table).Scan(&last); err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = last + int64(i) + 1
	}
	return ids, nil
}

func (sqlite) insertRows(ctx context.Context, tx *Tx, t bulkTable, rows [][]any) error {
	return tx.insertValues(ctx, t, rows)
}

func (sqlite) textList() string { return `SELECT value FROM json_each(?)` }

// PostgreSQL draws the ids from the column's sequence, so that concurrent
// writers never take the same.
func (*postgres) reserveIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) AS id FROM generate_series(1, ?::int) ORDER BY id`, n)
	if err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reserve %s ids: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("reserve %s ids: %d of %d", table, len(ids), n)
	}
	return ids, nil
}

// PostgreSQL takes the rows as one array a column, unnested: one statement
// of one text for any number of rows, and about a quarter quicker for the
// server than as many VALUES rows (it is the parameters' planning that
// costs).
func (*postgres) insertRows(ctx context.Context, tx *Tx, t bulkTable, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	arrays := make([]any, len(t.columns))
	casts := make([]string, len(t.columns))
	for j, typ := range t.types {
		casts[j] = "?::" + typ + "[]"
		var err error
		switch typ {
		case "bigint":
			arrays[j], err = bulkColumn(rows, j, int64Value)
		case "text":
			arrays[j], err = bulkColumn(rows, j, textValue)
		default:
			err = fmt.Errorf("type %s", typ)
		}
		if err != nil {
			return fmt.Errorf("insert %s.%s: %w", t.name, t.columns[j], err)
		}
	}
	_, err := tx.exec(ctx, `INSERT INTO `+t.name+` (`+strings.Join(t.columns, ", ")+`) SELECT * FROM unnest(`+strings.Join(casts, ", ")+`)`, arrays...)
	return err
}

// bulkColumn is column j of rows as a slice, nil where the value is NULL.
func bulkColumn[T any](rows [][]any, j int, value func(any) (*T, bool)) ([]*T, error) {
	out := make([]*T, len(rows))
	for i, r := range rows {
		if j >= len(r) {
			return nil, fmt.Errorf("row %d has %d values", i, len(r))
		}
		v, ok := value(r[j])
		if !ok {
			return nil, fmt.Errorf("value %T", r[j])
		}
		out[i] = v
	}
	return out, nil
}

func int64Value(v any) (*int64, bool) {
	var n int64
	switch v := v.(type) {
	case nil:
		return nil, true
	case int:
		n = int64(v)
	case int64:
		n = v
	case sql.NullInt64:
		if !v.Valid {
			return nil, true
		}
		n = v.Int64
	default:
		return nil, false
	}
	return &n, true
}

func textValue(v any) (*string, bool) {
	var s string
	switch v := v.(type) {
	case nil:
		return nil, true
	case string:
		s = v
	case sql.NullString:
		if !v.Valid {
			return nil, true
		}
		s = v.String
	default:
		return nil, false
	}
	return &s, true
}

func (*postgres) textList() string { return `SELECT jsonb_array_elements_text(?::jsonb)` }
