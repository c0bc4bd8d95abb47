// Package store keeps ducha's data in SQLite (the default, embedded) or
// PostgreSQL, with one set of hand-written SQL for both. Every difference
// between the engines sits in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ducha"
)

//go:embed migrations
var migrations embed.FS

// Options configure a store.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now ducha.Clock
	// YellowDays is how many days before a deadline the yellow warning shows.
	YellowDays int
	// CodePrefix starts problem codes (QS-2026-0001); "QS" when empty.
	CodePrefix string
	// NoticePrefix starts notice numbers (清督办〔2026〕12号); "清" when empty.
	NoticePrefix string
}

// DB is the store. It implements every service interface of package ducha.
type DB struct {
	writer  *sql.DB // SQLite: one connection, IMMEDIATE transactions
	reader  *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: same as writer
	lookup  *sql.DB // four connections for queryRow (SQLite: read-only ones)
	dialect dialect
	dsn     string
	opts    Options
	counts  countCache
	group   *writeGroup // SQLite's writes, committed in groups; nil on PostgreSQL

	retallying atomic.Bool // a retallySoon is running (store/tally.go)
	// yellow is the current campaign's yellow_days (RefreshRules).
	yellow atomic.Int64
	// period is the current campaign's progress_period_months (RefreshRules).
	period atomic.Int64
	// afterPlan, set by tests only, runs between a pass's plan and its
	// writes (a change made meanwhile).
	afterPlan func()

	stmtMu   sync.Mutex
	stmts    map[*sql.DB]map[string]*sql.Stmt
	learning map[poolQuery]bool // queries a pool is preparing in the background (see learn)
	closed   bool
}

// poolQuery names a query of one pool.
type poolQuery struct {
	pool  *sql.DB
	query string
}

// maxPrepared bounds the statements kept prepared per pool.
const maxPrepared = 1024

// prepare makes the read pool keep queries prepared, so that requests do
// not parse their SQL again: with the pure-Go SQLite, parsing a page query
// costs about as much as running it. database/sql then prepares each once
// per connection. It must be called before a transaction is begun (it
// takes a connection of its own), so read paths call it with the SQL they
// are about to run.
func (db *DB) prepare(ctx context.Context, queries ...string) {
	db.prepareOn(ctx, db.reader, queries...)
}

// prepareOn is prepare for the given pool.
func (db *DB) prepareOn(ctx context.Context, pool *sql.DB, queries ...string) {
	for _, q := range queries {
		db.stmtMu.Lock()
		_, ok := db.stmts[pool][q]
		full := len(db.stmts[pool]) >= maxPrepared
		db.stmtMu.Unlock()
		if ok || full {
			continue
		}
		// Not under the lock: preparing waits for a free connection.
		s, err := pool.PrepareContext(ctx, db.dialect.rebind(q))
		if err != nil {
			continue // the transaction prepares it itself and reports the error
		}
		db.stmtMu.Lock()
		if db.closed {
			db.stmtMu.Unlock()
			s.Close()
			return
		}
		if db.stmts == nil {
			db.stmts = map[*sql.DB]map[string]*sql.Stmt{}
		}
		if db.stmts[pool] == nil {
			db.stmts[pool] = map[string]*sql.Stmt{}
		}
		if _, ok := db.stmts[pool][q]; ok || len(db.stmts[pool]) >= maxPrepared {
			s.Close() // prepared meanwhile, or the pool is full
		} else {
			db.stmts[pool][q] = s
		}
		db.stmtMu.Unlock()
	}
}

// learn has pool prepare query in the background, so that the next
// transaction finds it prepared instead of parsing it again (with the
// pure-Go SQLite a write's dozen small statements cost more to parse than
// to run). A transaction cannot prepare on its pool itself: that waits for
// a free connection, and the writer's one is the transaction's.
func (db *DB) learn(pool *sql.DB, query string) {
	if !db.dialect.learns() {
		return
	}
	k := poolQuery{pool, query}
	db.stmtMu.Lock()
	if db.closed || db.learning[k] || len(db.stmts[pool])+len(db.learning) >= maxPrepared {
		db.stmtMu.Unlock()
		return
	}
	if db.learning == nil {
		db.learning = map[poolQuery]bool{}
	}
	db.learning[k] = true
	db.stmtMu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db.prepareOn(ctx, pool, query)
		db.stmtMu.Lock()
		delete(db.learning, k)
		db.stmtMu.Unlock()
	}()
}

// preparedOnly returns the pool's prepared statement for query, or nil.
func (db *DB) preparedOnly(pool *sql.DB, query string) *sql.Stmt {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	return db.stmts[pool][query]
}

// Open opens the store named by dsn (a SQLite file path, or a postgres://
// URL) and brings its schema up to date.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.YellowDays == 0 {
		opts.YellowDays = ducha.DefaultYellowDays
	}
	if opts.CodePrefix == "" {
		opts.CodePrefix = "QS"
	}
	if opts.NoticePrefix == "" {
		opts.NoticePrefix = "清"
	}
	d := dialectFor(dsn)
	p, err := d.open(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", d.name(), err)
	}
	db := &DB{writer: p.writer, reader: p.reader, lookup: p.lookup, dialect: d, dsn: dsn, opts: opts}
	if d.name() == "sqlite" {
		db.group = newWriteGroup()
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.RefreshRules(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store: %w", d.name(), err)
	}
	if err := db.ensureTally(ctx, false); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store: %w", d.name(), err)
	}
	if err := db.ensureCaseSearch(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store: %w", d.name(), err)
	}
	return db, nil
}

// Close closes the connections.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, m := range db.stmts {
		for _, s := range m {
			s.Close()
		}
	}
	db.stmts = nil
	db.closed = true
	db.stmtMu.Unlock()
	var err error
	closed := map[*sql.DB]bool{} // PostgreSQL's writer and reader are one pool
	for _, pool := range []*sql.DB{db.writer, db.reader, db.lookup} {
		if closed[pool] {
			continue
		}
		closed[pool] = true
		if e := pool.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Engine is "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// Migrate applies the embedded migrations of the engine that are not yet
// recorded in schema_migrations, each in its own transaction.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + db.dialect.name()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		applied, err := db.migrateOne(ctx, dir, name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		// The migration that brought schedules in leaves them to be
		// computed, once, by the rules.
		if applied && strings.HasPrefix(name, "020_") {
			if err := db.recomputeAllSchedules(ctx); err != nil {
				return fmt.Errorf("migrate %s: %w", name, err)
			}
		}
	}
	return nil
}

// migrateOne applies one migration unless it was; applied says it did.
func (db *DB) migrateOne(ctx context.Context, dir, name string) (applied bool, err error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if db.dialect.name() == "postgres" {
		// Several instances may start at once: one migrates, the others wait.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT count(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	body, err := fs.ReadFile(migrations, dir+"/"+name)
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, ducha.FormatTime(db.opts.Now())); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// Tx is one service call's transaction: it carries the acting user and the
// time of the call, so every row and event it writes agrees on both.
type Tx struct {
	*sql.Tx
	db    *DB
	user  *ducha.User
	now   time.Time
	stmts map[string]*sql.Stmt // prepared once per transaction: imports run the same few statements many times

	pool *sql.DB // the pool tx was begun on
	// write: a write transaction, whose statements run under a context
	// that cannot end (see statementContext).
	write bool

	// The audit chain's head, loaded (and locked) by the first event and
	// written back by commit.
	chainLoaded bool
	chainLast   int64
	chainHash   string

	// Search tokens to write at commit, in one statement per chunk.
	search []searchRow
	// Problem codes reserved and not yet handed out.
	codes []string

	// The counted states of the problems changed, and the parts of the
	// store changed (data_versions), for commit (store/tally.go).
	tally   []tallyChange
	touched map[string]bool

	// SQLite's writes hold the writer's token (writeGroup); a write of a
	// group runs in its savepoint. ended: Commit or Rollback was called.
	group     *writeGroup
	savepoint string
	ctx       context.Context
	ended     bool
}

// searchRow is one item's search tokens; replace is set when the item had
// tokens before.
type searchRow struct {
	ix      searchIndex
	id      int64
	tokens  []string
	replace bool
}

// queueSearch records an item's new search tokens, written by commit.
func (tx *Tx) queueSearch(ix searchIndex, id int64, tokens []string, replace bool) {
	tx.search = append(tx.search, searchRow{ix, id, tokens, replace})
}

// flushSearch writes the queued search tokens, a chunk of one index at a time.
func (tx *Tx) flushSearch(ctx context.Context) error {
	const chunk = 2000
	tx.search = lastSearch(tx.search)
	for len(tx.search) > 0 {
		n := 1
		for n < len(tx.search) && n < chunk && tx.search[n].ix == tx.search[0].ix {
			n++
		}
		if err := tx.db.dialect.setSearch(ctx, tx, tx.search[0].ix, tx.search[:n]); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		tx.search = tx.search[n:]
	}
	return nil
}

// lastSearch keeps one row per item, where it was queued last, with its
// last tokens: an item changed twice in one transaction (a ledger file
// that names a problem twice) must not be written twice, which PostgreSQL's
// upsert refuses and SQLite's index would keep both of. It had tokens
// before the transaction if its first row says so.
func lastSearch(rows []searchRow) []searchRow {
	type item struct {
		table string
		id    int64
	}
	last := make(map[item]int, len(rows))
	for i, r := range rows {
		last[item{r.ix.table, r.id}] = i
	}
	if len(last) == len(rows) {
		return rows
	}
	replace := make(map[item]bool, len(rows)-len(last))
	out := make([]searchRow, 0, len(last))
	for i, r := range rows {
		k := item{r.ix.table, r.id}
		if last[k] != i {
			if _, ok := replace[k]; !ok {
				replace[k] = r.replace
			}
			continue
		}
		if first, ok := replace[k]; ok {
			r.replace = first
		}
		out = append(out, r)
	}
	return out
}

// beginWrite starts a write transaction for the user in ctx.
// On SQLite it first commits the writes of a group (writeGroup) and then
// runs alone; writes of one item begin with beginItemWrite instead.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	if g := db.group; g != nil {
		if err := g.acquire(ctx); err != nil {
			return nil, wrapUnavailable("begin", err)
		}
		g.flush()
		tx, err := db.writer.BeginTx(ctx, nil)
		if err != nil {
			<-g.token
			return nil, wrapUnavailable("begin", err)
		}
		return &Tx{Tx: tx, db: db, pool: db.writer, write: true, user: ducha.UserFromContext(ctx), now: db.opts.Now().UTC(),
			group: g, ctx: ctx}, nil
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrapUnavailable("begin", err)
	}
	return &Tx{Tx: tx, db: db, pool: db.writer, write: true, user: ducha.UserFromContext(ctx), now: db.opts.Now().UTC()}, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.reader.BeginTx(ctx, db.dialect.readTxOptions())
	if err != nil {
		return nil, wrapUnavailable("begin", err)
	}
	return &Tx{Tx: tx, db: db, pool: db.reader, user: ducha.UserFromContext(ctx), now: db.opts.Now().UTC()}, nil
}

// stmt returns query prepared for this transaction: the pool's prepared
// statement when there is one (see prepare), else one for this
// transaction alone.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if ps := tx.db.preparedOnly(tx.pool, query); ps != nil {
		s = tx.StmtContext(ctx, ps)
	} else {
		var err error
		if s, err = tx.PrepareContext(ctx, tx.db.dialect.rebind(query)); err != nil {
			return nil, err
		}
		tx.db.learn(tx.pool, query)
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s, nil
}

// statementContext is the context a statement of tx runs under. A write
// transaction's statements are short; on SQLite they do not watch the
// request's context (database/sql still rolls the transaction back when
// it ends), which spares the driver a goroutine per statement: a write
// runs a dozen, and at 300 writes a second they kept both CPUs' run
// queues long. PostgreSQL keeps the request's context (dialect).
func (tx *Tx) statementContext(ctx context.Context) context.Context {
	if tx.write {
		return tx.db.dialect.statementContext(ctx)
	}
	return ctx
}

// ExecContext, QueryContext and QueryRowContext shadow sql.Tx's: a
// statement run on tx directly runs under its statement context too. On
// SQLite an INSERT, UPDATE or DELETE interrupted inside a transaction
// rolls the whole transaction back, and in a write group (writeGroup)
// that transaction holds the writes of others: a request that ends
// halfway through its statement must not undo them.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(tx.statementContext(ctx), query, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(tx.statementContext(ctx), query, args...)
}

func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(tx.statementContext(ctx), query, args...)
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.statementContext(ctx)
	s, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.statementContext(ctx)
	s, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = tx.statementContext(ctx)
	s, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.QueryRowContext(ctx, tx.db.dialect.rebind(query), args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// commit writes the queued search tokens and the audit chain's head, and
// commits.
func (tx *Tx) commit(ctx context.Context) error {
	if err := tx.flushSearch(ctx); err != nil {
		return err
	}
	if err := tx.flushTally(ctx); err != nil {
		return err
	}
	if tx.chainLoaded {
		if _, err := tx.exec(ctx, `UPDATE audit_head SET last_id = ?, hash = ? WHERE id = 1`, tx.chainLast, tx.chainHash); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrapUnavailable("commit", err)
	}
	return nil
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// today is the day deadlines are judged on.
func (tx *Tx) today() ducha.Date { return ducha.Today(tx.now) }

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

var errNoUser = errors.New("store: no user in context")

// DSN is the data source the store was opened with.
func (db *DB) DSN() string { return db.dsn }

// queryRow runs a one-row read outside a transaction on the lookup pool,
// with its prepared statement. It is for indexed lookups only (sessions,
// tokens, users, the data version): the lookup pool is small on SQLite, so
// that they never wait behind list queries, and a slow query here would
// make every request wait behind it instead.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) poolRow {
	// A lookup reads one row by its key: on SQLite it is not worth
	// stopping when the request ends, and a context that cannot end spares
	// the driver a goroutine per statement to watch it (dialect).
	ctx = db.dialect.statementContext(ctx)
	db.prepareOn(ctx, db.lookup, query)
	if s := db.preparedOnly(db.lookup, query); s != nil {
		return poolRow{s.QueryRowContext(ctx, args...)}
	}
	return poolRow{db.lookup.QueryRowContext(ctx, db.dialect.rebind(query), args...)}
}

// poolRow is a row read outside a transaction (sessions, tokens, the data
// version: the first reads of every request). Its Scan reports an
// unreachable database as errUnavailable, so the request answers 503.
type poolRow struct{ row *sql.Row }

// Scan copies the row's columns into dest; sql.ErrNoRows passes unchanged.
func (r poolRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if err != nil && err != sql.ErrNoRows && Unavailable(err) {
		return wrapUnavailable("query", err)
	}
	return err
}
