package store

import (
	"context"
	"database/sql"
)

// CountsComputed is how many counts (list totals and ledger statistics)
// have reached the database, not the count cache.
func CountsComputed(db *DB) int64 { return db.counts.computed.Load() }

// SetCountHooks sets what the count cache calls after each miss and before
// each computation (nil: nothing). Set it while no read is running.
func SetCountHooks(db *DB, onMiss, onCompute func()) {
	db.counts.onMiss, db.counts.onCompute = onMiss, onCompute
}

// HoldReaders takes every connection of the read pool and keeps a read
// transaction open on each (a snapshot read, so SQLite holds it), until
// release is called: whatever needs a reader connection waits meanwhile.
func HoldReaders(ctx context.Context, db *DB) (release func(), err error) {
	var conns []*sql.Conn
	var txs []*sql.Tx
	release = func() {
		for _, tx := range txs {
			tx.Rollback()
		}
		for _, c := range conns {
			c.Close()
		}
	}
	for i := 0; i < db.reader.Stats().MaxOpenConnections; i++ {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			release()
			return nil, err
		}
		conns = append(conns, c)
		tx, err := c.BeginTx(ctx, db.dialect.readTxOptions())
		if err != nil {
			release()
			return nil, err
		}
		txs = append(txs, tx)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM problems`).Scan(&n); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}
