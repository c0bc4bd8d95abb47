package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ducha"
)

// The ledger's counters (issue 8). problem_tally holds, for every
// combination of a unit, an area and a pollution type (each present or
// not), how many problems there are of each status and warning bucket. A
// write transaction keeps it: it queues the counted state of each problem
// it changes, before and after (tallyProblem), and commit adds the
// difference (flushTally). A count of the ledger's filters is then a
// lookup of at most twelve rows, however many problems there are.
//
// Overdue and warnings move with the clock, not with writes: buckets are
// judged on tally_meta.day, and when the store's day is another one,
// retally moves only the problems whose bucket differs between the two
// days (those due between them). Until it has, counts are taken from the
// rows (countProblems falls back), so they are exact either way.

// Dimensions of a counter row. tallyLead rows stand apart: one per
// problem, under its lead unit (0 for none), with no area or type; the
// daily report's ledger lines of today are read from them. Rows of
// tallyUnit|tallyLead are the same for one unit's problems (each unit of
// a problem, in unit_id), their type column holding the lead unit's id:
// a unit's report, by lead unit.
const (
	tallyUnit = 1 << iota
	tallyArea
	tallyType
	tallyLead
)

// tallyFormat is the counters' layout; counters built in another one
// (tally_meta.format) are counted again when the store opens.
const tallyFormat = 2

// Warning buckets of open problems; closed ones are always tallyNone.
const (
	tallyNone   = ""
	tallyYellow = "yellow"
	tallyRed    = "red"
)

// tallyState is what of a problem its counters depend on.
type tallyState struct {
	status   ducha.ProblemStatus
	deadline ducha.Date
	area     string
	lead     int64    // the lead unit, 0 for none
	units    []int64  // distinct: the lead unit and the cooperating ones
	types    []string // distinct
}

func problemTallyState(p *ducha.Problem) tallyState {
	s := tallyState{status: p.Status, deadline: p.Deadline, area: p.Area, lead: p.LeadUnitID}
	if p.LeadUnitID != 0 {
		s.units = append(s.units, p.LeadUnitID)
	}
	for _, id := range p.CoopUnitIDs {
		if id != 0 && !slices.Contains(s.units, id) {
			s.units = append(s.units, id)
		}
	}
	for _, t := range p.Types {
		if !slices.Contains(s.types, t) {
			s.types = append(s.types, t)
		}
	}
	return s
}

func (s tallyState) equal(o tallyState) bool {
	return s.status == o.status && s.deadline == o.deadline && s.area == o.area && s.lead == o.lead &&
		slices.Equal(s.units, o.units) && slices.Equal(s.types, o.types)
}

// tallyBucket is the warning bucket of a problem of this status and
// deadline on day, as ducha.Problem.Derive judges it.
func tallyBucket(status ducha.ProblemStatus, deadline, day ducha.Date, yellowDays int) string {
	switch {
	case status == ducha.StatusClosed || !deadline.Valid():
		return tallyNone
	case deadline < day:
		return tallyRed
	case deadline <= day.AddDays(yellowDays):
		return tallyYellow
	}
	return tallyNone
}

// tallyKey is one counter row.
type tallyKey struct {
	dims                      int
	unit                      int64
	area, typ, status, bucket string
}

func (k tallyKey) less(o tallyKey) int {
	if c := k.dims - o.dims; c != 0 {
		return c
	}
	if k.unit != o.unit {
		if k.unit < o.unit {
			return -1
		}
		return 1
	}
	for _, c := range [...]int{strings.Compare(k.area, o.area), strings.Compare(k.typ, o.typ),
		strings.Compare(k.status, o.status), strings.Compare(k.bucket, o.bucket)} {
		if c != 0 {
			return c
		}
	}
	return 0
}

// addKeys adds sign to every counter row the problem counts in, judged on day.
func (s tallyState) addKeys(m map[tallyKey]int64, sign int64, day ducha.Date, yellowDays int) {
	bucket := tallyBucket(s.status, s.deadline, day, yellowDays)
	m[tallyKey{tallyLead, s.lead, "", "", string(s.status), bucket}] += sign
	for _, u := range s.units {
		m[tallyKey{tallyUnit | tallyLead, u, "", strconv.FormatInt(s.lead, 10), string(s.status), bucket}] += sign
	}
	noUnit, noType := []int64{0}, []string{""}
	for dims := 0; dims < 8; dims++ {
		units, area, types := noUnit, "", noType
		if dims&tallyUnit != 0 {
			units = s.units
		}
		if dims&tallyArea != 0 {
			if s.area == "" {
				continue // no filter asks for the empty area
			}
			area = s.area
		}
		if dims&tallyType != 0 {
			types = s.types
		}
		for _, u := range units {
			for _, t := range types {
				m[tallyKey{dims, u, area, t, string(s.status), bucket}] += sign
			}
		}
	}
}

// tallyChange is a problem's counted state leaving (-1) or entering (+1)
// the counters.
type tallyChange struct {
	sign  int64
	state tallyState
}

// tallyProblem queues the change of a problem from before to after (either
// may be nil) for commit: its counters, and the data versions of the
// ledger and of each unit it was or is a unit of.
func (tx *Tx) tallyProblem(before, after *ducha.Problem) {
	var b, a tallyState
	if before != nil {
		b = problemTallyState(before)
		tx.touchUnits(b.units)
	}
	if after != nil {
		a = problemTallyState(after)
		tx.touchUnits(a.units)
	}
	if before != nil && after != nil && b.equal(a) {
		return
	}
	if before != nil {
		tx.tally = append(tx.tally, tallyChange{-1, b})
	}
	if after != nil {
		tx.tally = append(tx.tally, tallyChange{1, a})
	}
}

func (tx *Tx) touchUnits(ids []int64) {
	for _, id := range ids {
		tx.touch("problem/unit/" + strconv.FormatInt(id, 10))
	}
}

// touch records that this transaction changes a part of the store (see
// data_versions): commit moves its version.
func (tx *Tx) touch(part string) {
	if tx.touched == nil {
		tx.touched = map[string]bool{}
	}
	tx.touched[part] = true
}

// flushTally adds the queued changes to the counters and moves the
// versions of the parts touched to this transaction's last event. The
// audit head is locked first (loadChain): writers and retally take it
// before the counters, so they change them one at a time.
func (tx *Tx) flushTally(ctx context.Context) error {
	if len(tx.tally) == 0 && len(tx.touched) == 0 {
		return nil
	}
	if err := tx.loadChain(ctx); err != nil {
		return err
	}
	if len(tx.tally) > 0 {
		day, yellowDays, ok, err := tx.tallyDay(ctx)
		if err != nil {
			return err
		}
		if ok { // else not built yet: ensureTally counts these rows too
			m := map[tallyKey]int64{}
			for _, c := range tx.tally {
				c.state.addKeys(m, c.sign, day, yellowDays)
			}
			if err := tx.addTally(ctx, m); err != nil {
				return err
			}
		}
		tx.tally = nil
	}
	if len(tx.touched) > 0 {
		names := make([]string, 0, len(tx.touched))
		for n := range tx.touched {
			names = append(names, n)
		}
		slices.Sort(names)
		rows := make([][]any, len(names))
		for i, n := range names {
			rows[i] = []any{n, tx.chainLast}
		}
		if err := tx.upsertValues(ctx, dataVersionsTable, rows, ` ON CONFLICT (name) DO UPDATE SET version = excluded.version`); err != nil {
			return fmt.Errorf("data versions: %w", err)
		}
		tx.touched = nil
	}
	return nil
}

// tallyDay is the day the counters' buckets are judged on; ok is false
// when they have not been built.
func (tx *Tx) tallyDay(ctx context.Context) (day ducha.Date, yellowDays int, ok bool, err error) {
	var d string
	err = tx.queryRow(ctx, `SELECT day, yellow_days FROM tally_meta WHERE id = 1`).Scan(&d, &yellowDays)
	if err == sql.ErrNoRows {
		return "", 0, false, nil
	} else if err != nil {
		return "", 0, false, fmt.Errorf("tally: %w", err)
	}
	return ducha.Date(d), yellowDays, true, nil
}

// addTally adds m's non-zero differences to the counter rows, in key order
// (the same order in every transaction), many rows a statement.
func (tx *Tx) addTally(ctx context.Context, m map[tallyKey]int64) error {
	keys := make([]tallyKey, 0, len(m))
	for k, n := range m {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, tallyKey.less)
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k.dims, k.unit, k.area, k.typ, k.status, k.bucket, m[k]}
	}
	err := tx.upsertValues(ctx, problemTallyTable, rows,
		` ON CONFLICT (dims, unit_id, area, type, status, bucket) DO UPDATE SET n = problem_tally.n + excluded.n`)
	if err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	return nil
}

var (
	problemTallyTable = newBulkTable("problem_tally", "dims bigint", "unit_id bigint", "area text", "type text",
		"status text", "bucket text", "n bigint")
	dataVersionsTable = newBulkTable("data_versions", "name text", "version bigint")
)

// tallyStates calls fn with the counted state of every problem, a range
// of ids at a time, in id order.
func (tx *Tx) tallyStates(ctx context.Context, fn func(id int64, s tallyState)) error {
	const span = 20000
	var maxID int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(max(id), 0) FROM problems`).Scan(&maxID); err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	for lo := int64(0); lo <= maxID; lo += span {
		if err := tx.loadTallyStates(ctx, ` >= ? AND %s < ?`, []any{lo, lo + span}, fn); err != nil {
			return err
		}
	}
	return nil
}

// loadTallyStates calls fn with the counted state of the problems whose id
// meets cond (a condition after the id column: %s stands for that column
// again), in id order.
func (tx *Tx) loadTallyStates(ctx context.Context, cond string, args []any, fn func(id int64, s tallyState)) error {
	on := func(col string) string { return col + strings.ReplaceAll(cond, "%s", col) }
	states := map[int64]*tallyState{}
	var ids []int64
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT p.id, p.status, p.deadline, p.area, COALESCE(p.lead_unit_id, 0) FROM problems p
		WHERE `+on("p.id")+` ORDER BY p.id`), args...)
	if err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	for rows.Next() {
		var id int64
		var s tallyState
		var deadline sql.NullString
		if err := rows.Scan(&id, &s.status, &deadline, &s.area, &s.lead); err != nil {
			rows.Close()
			return fmt.Errorf("tally: %w", err)
		}
		s.deadline = ducha.Date(deadline.String)
		states[id] = &s
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	// Units and types, the lead first as problemTallyState puts it (the
	// order does not change a count).
	for _, q := range []string{
		`SELECT problem_id, unit_id, '' FROM problem_units WHERE ` + on("problem_id") + ` ORDER BY problem_id, lead DESC, pos`,
		`SELECT problem_id, 0, type FROM problem_types WHERE ` + on("problem_id") + ` ORDER BY problem_id, type`,
	} {
		rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(q), args...)
		if err != nil {
			return fmt.Errorf("tally: %w", err)
		}
		for rows.Next() {
			var id, unit int64
			var t string
			if err := rows.Scan(&id, &unit, &t); err != nil {
				rows.Close()
				return fmt.Errorf("tally: %w", err)
			}
			if s := states[id]; s == nil {
			} else if unit != 0 {
				s.units = append(s.units, unit)
			} else {
				s.types = append(s.types, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("tally: %w", err)
		}
	}
	for _, id := range ids {
		fn(id, *states[id])
	}
	return nil
}

// recountTally computes every counter from the rows, judged on day.
func (tx *Tx) recountTally(ctx context.Context, day ducha.Date, yellowDays int) (map[tallyKey]int64, error) {
	m := map[tallyKey]int64{}
	err := tx.tallyStates(ctx, func(_ int64, s tallyState) { s.addKeys(m, 1, day, yellowDays) })
	return m, err
}

// buildTally fills the counters from the rows, judged on the store's today
// (a freshly migrated or restored store, whose tally_meta has no row).
func (tx *Tx) buildTally(ctx context.Context) error {
	if err := tx.loadChain(ctx); err != nil {
		return err
	}
	day, yellowDays := tx.today(), tx.db.YellowDays()
	m, err := tx.recountTally(ctx, day, yellowDays)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM problem_tally`); err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	if err := tx.addTally(ctx, m); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM tally_meta`); err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO tally_meta (id, day, yellow_days, format) VALUES (1, ?, ?, ?)`, string(day), yellowDays, tallyFormat)
	return err
}

// ensureTally builds the counters if they have not been, and judges them
// on the store's today if they are judged on an earlier day (or on any
// other day, with back). Open runs it; tallyFilter starts it when it finds
// the day moved on. Only forwards on its own: an instance whose clock is a
// day behind another's counts from the rows rather than move the counters
// back and forth with it.
func (db *DB) ensureTally(ctx context.Context, back bool) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.loadChain(ctx); err != nil { // before tally_meta: see flushTally
		return err
	}
	day, yellowDays, ok, err := tx.tallyDay(ctx)
	if err != nil {
		return err
	}
	format := 0
	if ok {
		if err := tx.queryRow(ctx, `SELECT format FROM tally_meta WHERE id = 1`).Scan(&format); err != nil {
			return fmt.Errorf("tally: %w", err)
		}
	}
	switch {
	case !ok || yellowDays != db.YellowDays() || format != tallyFormat:
		err = tx.buildTally(ctx)
	case day < tx.today() || back && day != tx.today():
		err = tx.retally(ctx, day, yellowDays)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// retally moves the counters from day to the store's today: only the open
// problems due between the two days (up to yellowDays after the later)
// can be in another bucket.
func (tx *Tx) retally(ctx context.Context, day ducha.Date, yellowDays int) error {
	today := tx.today()
	lo, hi := min(day, today), max(day, today).AddDays(yellowDays)
	var ids []int64
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT id FROM problems
		WHERE deadline >= ? AND deadline <= ? AND status <> 'closed' ORDER BY id`), string(lo), string(hi))
	if err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("tally: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tally: %w", err)
	}
	m := map[tallyKey]int64{}
	for chunk := range slices.Chunk(ids, 5000) {
		list, _ := json.Marshal(chunk)
		err := tx.loadTallyStates(ctx, ` IN (`+tx.db.dialect.idList()+`)`, []any{string(list)}, func(_ int64, s tallyState) {
			s.addKeys(m, -1, day, yellowDays)
			s.addKeys(m, 1, today, yellowDays)
		})
		if err != nil {
			return err
		}
	}
	if err := tx.addTally(ctx, m); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE tally_meta SET day = ? WHERE id = 1`, string(today))
	return err
}

// retallySoon starts ensureTally on a goroutine of its own, once at a time.
func (db *DB) retallySoon() {
	if !db.retallying.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer db.retallying.Store(false)
		_ = db.ensureTally(context.Background(), false) // the next count finds the day still behind and tries again
	}()
}

// CheckTally recounts every counter from the rows and compares: nil when
// they agree. Tests and `ducha check` use it.
func (db *DB) CheckTally(ctx context.Context) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	day, yellowDays, ok, err := tx.tallyDay(ctx)
	if err != nil || !ok {
		return err
	}
	want, err := tx.recountTally(ctx, day, yellowDays)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT dims, unit_id, area, type, status, bucket, n FROM problem_tally`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var k tallyKey
		var n int64
		if err := rows.Scan(&k.dims, &k.unit, &k.area, &k.typ, &k.status, &k.bucket, &n); err != nil {
			return err
		}
		if want[k] != n {
			bad = append(bad, fmt.Sprintf("%+v: %d, recounted %d", k, n, want[k]))
		}
		delete(want, k)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k, n := range want {
		if n != 0 {
			bad = append(bad, fmt.Sprintf("%+v: missing, recounted %d", k, n))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		if len(bad) > 10 {
			bad = append(bad[:10], fmt.Sprintf("… %d more", len(bad)-10))
		}
		return fmt.Errorf("tally (day %s) differs from the rows: %s", day, strings.Join(bad, "; "))
	}
	return nil
}

// tallyFilter is the counter rows a filter's count sums, when the counters
// can answer it: ok is false for a search, a source or campaign, an id,
// two different units (the user's scope and the filter), or a day other
// than the one the counters are judged on.
func (tx *Tx) tallyFilter(ctx context.Context, f ducha.ProblemFilter) (where string, args []any, ok bool, err error) {
	if f.Q != "" || f.Source != "" || f.CampaignID != 0 || f.ID != 0 || f.AfterID != 0 || f.Ascending || f.Behind || f.NotAwaiting {
		return "", nil, false, nil
	}
	unit := f.UnitID
	if tx.user == nil {
		return "", nil, false, nil
	}
	if tx.user.Role.UnitScoped() {
		if unit != 0 && unit != tx.user.UnitID {
			return "", nil, false, nil
		}
		unit = tx.user.UnitID
	}
	day, yellowDays, built, err := tx.tallyDay(ctx)
	if err != nil || !built {
		return "", nil, false, err
	}
	if today := f.TodayOr(tx.today()); day != today || yellowDays != tx.db.YellowDays() {
		if today == tx.today() && (day < today || yellowDays != tx.db.YellowDays()) {
			tx.db.retallySoon() // a new day or new rules: counts come from the rows until it is done
		}
		return "", nil, false, nil
	}
	dims := 0
	if unit != 0 {
		dims |= tallyUnit
	}
	if f.Area != "" {
		dims |= tallyArea
	}
	if f.Type != "" {
		dims |= tallyType
	}
	var w strings.Builder
	w.WriteString(` WHERE dims = ? AND unit_id = ? AND area = ? AND type = ?`)
	args = []any{dims, unit, f.Area, f.Type}
	if f.Status != "" {
		w.WriteString(` AND status = ?`)
		args = append(args, string(f.Status))
	}
	if f.Overdue != nil {
		if *f.Overdue {
			w.WriteString(` AND bucket = 'red'`)
		} else {
			w.WriteString(` AND bucket <> 'red'`)
		}
	}
	switch f.Warning {
	case ducha.WarningRed:
		w.WriteString(` AND bucket = 'red'`)
	case ducha.WarningYellow:
		w.WriteString(` AND bucket = 'yellow'`)
	case ducha.WarningNone:
		w.WriteString(` AND bucket = ''`)
	}
	return w.String(), args, true, nil
}

// tallyCount is how many problems f matches, from the counters; ok is
// false when they cannot answer f (tallyFilter).
func (tx *Tx) tallyCount(ctx context.Context, f ducha.ProblemFilter) (int, bool, error) {
	where, args, ok, err := tx.tallyFilter(ctx, f)
	if err != nil || !ok {
		return 0, false, err
	}
	var n int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(sum(n), 0) FROM problem_tally`+where, args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("count problems: %w", err)
	}
	return int(n), true, nil
}

// tallyStats is CountProblems from the counters; ok is false when they
// cannot answer f (tallyFilter).
func (tx *Tx) tallyStats(ctx context.Context, f ducha.ProblemFilter) (ducha.ProblemStats, bool, error) {
	var st ducha.ProblemStats
	where, args, ok, err := tx.tallyFilter(ctx, f)
	if err != nil || !ok {
		return st, false, err
	}
	rows, err := tx.query(ctx, `SELECT status, bucket, n FROM problem_tally`+where, args...)
	if err != nil {
		return st, false, fmt.Errorf("count problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status, bucket string
		var n int
		if err := rows.Scan(&status, &bucket, &n); err != nil {
			return st, false, fmt.Errorf("count problems: %w", err)
		}
		st.Total += n
		if bucket == tallyRed {
			st.Overdue += n
		}
		switch ducha.ProblemStatus(status) {
		case ducha.StatusClosed:
			st.Closed += n
		case ducha.StatusInProgress:
			st.InProgress += n
		case ducha.StatusPendingVerification:
			st.PendingVerification += n
		case ducha.StatusPublicity:
			st.Publicity += n
		case ducha.StatusRegistered:
			st.Registered += n
		}
	}
	return st, true, rows.Err()
}

// problemsVersionQuery is the data version of a ledger scope: the last
// change to everything ('*', a restore), to units (their names are shown)
// and to the ledger ('problem') or one unit's problems.
const problemsVersionQuery = `SELECT COALESCE(max(version), 0) FROM data_versions WHERE name IN (?, ?, ?)`

func problemsPart(u *ducha.User) string {
	if u != nil && u.Role.UnitScoped() {
		return "problem/unit/" + strconv.FormatInt(u.UnitID, 10)
	}
	return "problem"
}

// problemsVersion is the data version of the ledger as tx's user sees it,
// in tx's snapshot.
func (tx *Tx) problemsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := tx.queryRow(ctx, problemsVersionQuery, "*", "unit", problemsPart(tx.user)).Scan(&v)
	return v, err
}

// ProblemsVersion is the data version of the ledger as the user in ctx
// sees it: it moves with every change to a problem the user may see (and
// to the units, whose names the ledger shows), from any instance, and not
// with a change to a case or to another unit's problems. Caches of ledger
// answers are keyed on it. It reads on the lookup pool (see queryRow).
func (db *DB) ProblemsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, problemsVersionQuery, "*", "unit", problemsPart(ducha.UserFromContext(ctx))).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
