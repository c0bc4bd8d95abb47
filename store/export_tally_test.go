package store

import (
	"context"

	"ducha"
)

// EnsureTally judges the counters on the store's today, forwards or back.
func EnsureTally(ctx context.Context, db *DB) error { return db.ensureTally(ctx, true) }

// EnsureTallyForward is what Open and a count on a new day do: forwards only.
func EnsureTallyForward(ctx context.Context, db *DB) error { return db.ensureTally(ctx, false) }

// TallyDay is the day the counters are judged on ("" before they are built).
func TallyDay(ctx context.Context, db *DB) (ducha.Date, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	day, _, _, err := tx.tallyDay(ctx)
	return day, err
}

// CountFromRows counts f's problems with count(*) over the rows, as the
// user in ctx sees them, never from the counters nor a cache; counted says
// whether the counters would have answered f instead.
func CountFromRows(ctx context.Context, db *DB, f ducha.ProblemFilter) (n int, counted bool, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	_, _, counted, err = tx.tallyFilter(ctx, f)
	if err != nil {
		return 0, false, err
	}
	f.ExactCount = true
	q := db.problemQuery(tx.user, f.TodayOr(tx.today()), f)
	err = tx.QueryRowContext(ctx, db.dialect.rebind(q.count), q.countArgs...).Scan(&n)
	return n, counted, err
}

// AfterPlan makes fn run between a pass's plan and its writes.
func AfterPlan(db *DB, fn func()) { db.afterPlan = fn }

// ReopenNotice sets a notice back to issued behind the store's back, as a
// notice of an item closed before items closed their notices stands.
func ReopenNotice(db *DB, id int64) error {
	_, err := db.writer.ExecContext(context.Background(), db.dialect.rebind(`UPDATE notices SET status = 'issued', closed_at = NULL WHERE id = ?`), id)
	return err
}

// ReportLedgers is the daily report's ledger lines of today both ways, as
// the user in ctx sees them: from the counters (tallied says whether they
// could answer) and from problem_states.
func ReportLedgers(ctx context.Context, db *DB) (fromTally, fromStates ducha.ReportLedger, tallied bool, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return fromTally, fromStates, false, err
	}
	defer tx.Rollback()
	u := ducha.UserFromContext(ctx)
	a, b := &ducha.DailyReport{AsOf: tx.today()}, &ducha.DailyReport{AsOf: tx.today()}
	if tallied, err = tx.reportLedgerTally(ctx, a, u); err != nil {
		return fromTally, fromStates, false, err
	}
	err = tx.reportLedger(ctx, b, u, dayEnd(b.AsOf))
	return a.Ledger, b.Ledger, tallied, err
}
