package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"ducha"
)

// ImportLedger stores every row of a ledger file or none: the first bad row
// stops the import with its row number and leaves the store unchanged. A
// row whose code already exists updates that problem; other rows register
// new problems.
//
// New problems are written ledgerBatch at a time, in the file's order, so
// that the audit chain is what registering them one by one would give; a
// batch is written in the background while the rows after it are read and
// prepared. A row that updates a problem (of the store, or of a row above)
// goes alone, once the rows above it are written.
func (db *DB) ImportLedger(ctx context.Context, rows []ducha.LedgerRow) (ducha.ImportResult, error) {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return ducha.ImportResult{}, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return ducha.ImportResult{}, err
	}
	defer tx.Rollback()
	imp := &ledgerImport{tx: tx, units: map[string]*ducha.Unit{}, seen: map[string]bool{}, handed: map[int64]int{}}
	defer imp.wait() // no write runs on past the rollback
	if err := imp.start(ctx, rows); err != nil {
		return ducha.ImportResult{}, err
	}
	for _, r := range rows {
		if err := imp.row(ctx, r); err != nil {
			if werr := imp.wait(); werr != nil {
				err = werr // the rows above failed first
			}
			return ducha.ImportResult{}, err
		}
	}
	if err := imp.flush(ctx); err != nil {
		return ducha.ImportResult{}, err
	}
	if err := imp.wait(); err != nil {
		return ducha.ImportResult{}, err
	}
	if err := tx.notifyImported(ctx, imp.handed); err != nil {
		return ducha.ImportResult{}, err
	}
	return imp.res, tx.commit(ctx)
}

// ledgerBatch is how many new problems an import writes at a time.
const ledgerBatch = 2048

// ledgerImport is one ledger import: it gathers the new problems for
// prepareProblems and writeProblems. A batch is written on a goroutine of
// its own while this one reads on; whatever else needs the connection
// waits for it first (wait).
type ledgerImport struct {
	tx    *Tx
	res   ducha.ImportResult
	units map[string]*ducha.Unit // by the name the file gives
	// Codes of the file (and those reserved for its rows without one) that
	// the store already has, and the codes of new problems so far.
	existing, seen map[string]bool
	campaign       *int64  // the campaign of new problems, once looked up
	ids            []int64 // reserved for new problems, not yet handed out
	pending        []*ducha.Problem
	rows           []int // the file's row of each pending problem

	writing   chan error // the batch being written, nil when none
	writingOf [2]int     // its first and last row
	writeErr  error      // the first failed batch's

	// handed counts the problems the file hands to each lead unit: new
	// ones, and those it gives another lead unit (notifyImported).
	handed map[int64]int
}

// start takes what the rows will need in a few statements: codes for the
// rows without one, which codes the store has, ids for the new problems.
func (imp *ledgerImport) start(ctx context.Context, rows []ducha.LedgerRow) error {
	tx := imp.tx
	uncoded := 0
	for _, r := range rows {
		if r.Problem.Code == "" {
			uncoded++
		}
	}
	if err := tx.reserveCodes(ctx, uncoded); err != nil {
		return err
	}
	var err error
	if imp.existing, err = tx.existingCodes(ctx, rows); err != nil {
		return err
	}
	// At least as many as rows will register (flush takes more if not).
	n, given := 0, map[string]bool{}
	for _, r := range rows {
		if c := r.Problem.Code; c == "" || !imp.existing[c] && !given[c] {
			n++
			given[c] = true
		}
	}
	if n > 0 {
		imp.ids, err = tx.db.dialect.reserveIDs(ctx, tx, "problems", n)
	}
	return err
}

// row imports one row of the file.
func (imp *ledgerImport) row(ctx context.Context, r ducha.LedgerRow) error {
	p := r.Problem
	var err error
	if p.Code != "" && (imp.existing[p.Code] || imp.seen[p.Code]) {
		// A problem of the store or of a row above changes: that one
		// must be written first.
		if err := imp.flush(ctx); err != nil {
			return err
		}
		if err := imp.wait(); err != nil {
			return err
		}
		err = imp.update(ctx, p)
	} else {
		err = imp.add(ctx, p, r.Row)
	}
	if err != nil {
		var e *ducha.Error
		if errors.As(err, &e) {
			e.Row = r.Row
			return e
		}
		return fmt.Errorf("row %d: %w", r.Row, err)
	}
	if len(imp.pending) >= ledgerBatch {
		return imp.flush(ctx)
	}
	return nil
}

// unit resolves a unit the file names, once a name.
func (imp *ledgerImport) unit(ctx context.Context, field, name string) (*ducha.Unit, error) {
	if u, ok := imp.units[name]; ok {
		return u, nil
	}
	if err := imp.wait(); err != nil {
		return nil, err
	}
	u, err := imp.tx.resolveUnit(ctx, field, ducha.UnitRef(name))
	if e, ok := err.(*ducha.Error); ok {
		// Name the column as the file does.
		e.Message = "“" + ledgerHeaders[field] + "”列：" + e.Message
		return nil, e
	} else if err != nil {
		return nil, err
	}
	imp.units[name] = u
	return u, nil
}

// update changes the problem a row's code names, as the row says.
func (imp *ledgerImport) update(ctx context.Context, p *ducha.Problem) error {
	tx := imp.tx
	if err := resolveLedgerUnits(p, func(field, name string) (*ducha.Unit, error) { return imp.unit(ctx, field, name) }); err != nil {
		return err
	}
	before, err := tx.findLedgerProblem(ctx, p.Code)
	if err != nil {
		return fmt.Errorf("problem %s: %w", p.Code, err)
	}
	if err := tx.updateFromLedger(ctx, before, p, &imp.res); err != nil {
		return err
	}
	if p.LeadUnitID != 0 && p.LeadUnitID != before.LeadUnitID {
		imp.handed[p.LeadUnitID]++
	}
	return nil
}

// add checks a row that registers a problem, as createProblem would, and
// keeps it for the next batch.
func (imp *ledgerImport) add(ctx context.Context, p *ducha.Problem, row int) error {
	tx := imp.tx
	if err := resolveLedgerUnits(p, func(field, name string) (*ducha.Unit, error) { return imp.unit(ctx, field, name) }); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CampaignID == 0 {
		if imp.campaign == nil {
			if err := imp.wait(); err != nil {
				return err
			}
			id, err := tx.currentCampaignID(ctx)
			if err != nil {
				return err
			}
			imp.campaign = &id
		}
		p.CampaignID = *imp.campaign
	}
	given := p.Code != ""
	if !given && len(tx.codes) == 0 {
		// start reserved a code for every row without one; should more be
		// needed, taking them needs the connection.
		if err := imp.wait(); err != nil {
			return err
		}
	}
	if err := tx.fillNewProblem(ctx, p); err != nil {
		return err
	}
	if !given && (imp.existing[p.Code] || imp.seen[p.Code]) {
		// A code of the counter's that the store or a row above gave a problem.
		return ducha.FieldError("code", "问题编号“%s”已存在", p.Code)
	}
	imp.seen[p.Code] = true
	if p.LeadUnitID != 0 {
		imp.handed[p.LeadUnitID]++
	}
	imp.pending = append(imp.pending, p)
	imp.rows = append(imp.rows, row)
	imp.res.Created++
	return nil
}

// flush prepares the pending problems here, then writes them on a goroutine
// once the batch before is written.
func (imp *ledgerImport) flush(ctx context.Context) error {
	n := len(imp.pending)
	if n == 0 {
		return nil
	}
	tx := imp.tx
	if !tx.chainLoaded || len(imp.ids) < n {
		// Loading the chain's head and taking more ids need the connection.
		if err := imp.wait(); err != nil {
			return err
		}
		if err := tx.loadChain(ctx); err != nil {
			return err
		}
		if len(imp.ids) < n {
			more, err := tx.db.dialect.reserveIDs(ctx, tx, "problems", n-len(imp.ids))
			if err != nil {
				return err
			}
			imp.ids = append(imp.ids, more...)
		}
	}
	b, err := tx.prepareProblems(imp.pending, imp.ids[:n], "import")
	if err != nil {
		return err
	}
	imp.ids = imp.ids[n:]
	of := [2]int{imp.rows[0], imp.rows[n-1]}
	imp.pending, imp.rows = imp.pending[:0], imp.rows[:0]
	if err := imp.wait(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- tx.writeProblems(ctx, b) }()
	imp.writing, imp.writingOf = done, of
	return nil
}

// wait waits for the batch being written. Its error names the batch's
// rows: the statement that failed does not say which.
func (imp *ledgerImport) wait() error {
	if imp.writing != nil {
		if err := <-imp.writing; err != nil && imp.writeErr == nil {
			imp.writeErr = fmt.Errorf("rows %d–%d: %w", imp.writingOf[0], imp.writingOf[1], err)
		}
		imp.writing = nil
	}
	return imp.writeErr
}

// problemBatch is new problems made ready to write: the rows createProblem
// would write for each of them, in their order.
type problemBatch struct {
	problems, units, types, states, events [][]any
	search                                 []searchRow
}

// prepareProblems gives each problem of ps (validated, filled by
// fillNewProblem) its id from ids, reserved for it, and makes its rows: the
// problem, its units and types, its first state, its search tokens and its
// event, chained after the events before it. It uses no connection, so it
// may run while the batch before is written; the chain's head must be
// loaded (loadChain).
func (tx *Tx) prepareProblems(ps []*ducha.Problem, ids []int64, action string) (*problemBatch, error) {
	now := ducha.FormatTime(tx.now)
	b := &problemBatch{problems: make([][]any, len(ps)), states: make([][]any, len(ps)), search: make([]searchRow, len(ps))}
	evs := make([]newEvent, len(ps))
	for i, p := range ps {
		p.ID = ids[i]
		p.BehindFrom = p.ScheduleFrom(tx.db.progressPeriod())
		b.problems[i] = append([]any{p.ID}, problemValues(p)...)
		b.states[i] = []any{p.ID, now, string(p.Status), nullString(string(p.Deadline)), nullString(string(p.BehindFrom))}
		tx.tallyProblem(nil, p)
		// As syncProblemIndexes: the lead first, then each other unit once.
		if p.LeadUnitID != 0 {
			b.units = append(b.units, []any{p.ID, p.LeadUnitID, 1, 0})
		}
		for j, id := range p.CoopUnitIDs {
			if id == p.LeadUnitID || slices.Contains(p.CoopUnitIDs[:j], id) {
				continue
			}
			b.units = append(b.units, []any{p.ID, id, 0, j + 1})
		}
		for _, t := range p.Types {
			b.types = append(b.types, []any{p.ID, t})
		}
		b.search[i] = searchRow{problemSearch, p.ID, problemTokens(p), false}
		_, after := ducha.Diff(nil, p)
		evs[i] = newEvent{entity: "problem", entityID: p.ID, action: action, after: after}
	}
	var err error
	b.events, err = tx.chainEvents(evs)
	return b, err
}

// writeProblems writes a prepared batch in a few statements for all its
// problems, where createProblem takes about eight for each (on PostgreSQL
// every statement is a round trip). The codes must be known to be new: a
// clash fails a whole statement, naming no problem.
func (tx *Tx) writeProblems(ctx context.Context, b *problemBatch) error {
	d := tx.db.dialect
	if err := d.insertRows(ctx, tx, problemsTable, b.problems); err != nil {
		return fmt.Errorf("insert problems: %w", err)
	}
	if err := d.insertRows(ctx, tx, problemUnitsTable, b.units); err != nil {
		return fmt.Errorf("problem units: %w", err)
	}
	if err := d.insertRows(ctx, tx, problemTypesTable, b.types); err != nil {
		return fmt.Errorf("problem types: %w", err)
	}
	if err := d.insertRows(ctx, tx, problemStatesTable, b.states); err != nil {
		return fmt.Errorf("problem state: %w", err)
	}
	if err := d.insertRows(ctx, tx, eventsTable, b.events); err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	// Written with the batch, not queued for commit: a batch's problems are
	// new, and the tokens of one changed later in the transaction are
	// queued as a replacement.
	if len(b.search) > 0 {
		if err := d.setSearch(ctx, tx, problemSearch, b.search); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// existingCodes returns which of the codes of rows, and of the codes
// reserved for rows without one, are taken, in one query.
func (tx *Tx) existingCodes(ctx context.Context, rows []ducha.LedgerRow) (map[string]bool, error) {
	codes := append([]string{}, tx.codes...)
	for _, r := range rows {
		if r.Problem.Code != "" {
			codes = append(codes, r.Problem.Code)
		}
	}
	out := map[string]bool{}
	if len(codes) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(codes)
	q, err := tx.query(ctx, `SELECT code FROM problems WHERE code IN (`+tx.db.dialect.textList()+`)`, string(list))
	if err != nil {
		return nil, fmt.Errorf("existing codes: %w", err)
	}
	defer q.Close()
	for q.Next() {
		var code string
		if err := q.Scan(&code); err != nil {
			return nil, fmt.Errorf("existing codes: %w", err)
		}
		out[code] = true
	}
	return out, q.Err()
}

var ledgerHeaders = map[string]string{"lead_unit": "责任单位", "coop_units": "配合单位"}

// resolveLedgerUnits turns the unit names of a row into ids; a cooperating
// unit that is the lead is dropped.
func resolveLedgerUnits(p *ducha.Problem, resolve func(field, name string) (*ducha.Unit, error)) error {
	if p.LeadUnit != "" {
		u, err := resolve("lead_unit", p.LeadUnit)
		if err != nil {
			return err
		}
		p.LeadUnitID, p.LeadUnit = u.ID, u.Name
	}
	p.CoopUnitIDs = nil
	for i, name := range p.CoopUnits {
		u, err := resolve("coop_units", name)
		if err != nil {
			return err
		}
		if u.ID == p.LeadUnitID {
			continue
		}
		p.CoopUnitIDs = append(p.CoopUnitIDs, u.ID)
		p.CoopUnits[i] = u.Name
	}
	return nil
}

// findLedgerProblem loads the problem a row's code names, with its
// cooperating units; sql.ErrNoRows when there is none.
func (tx *Tx) findLedgerProblem(ctx context.Context, code string) (*ducha.Problem, error) {
	before, err := scanProblem(tx.queryRow(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.code = ?`, code))
	if err != nil {
		return nil, err
	}
	if err := tx.attachCoopUnits(ctx, []*ducha.Problem{before}); err != nil {
		return nil, err
	}
	return before, nil
}

// updateFromLedger changes the problem before (loaded by findLedgerProblem)
// to the row's p (units resolved), one row at a time.
func (tx *Tx) updateFromLedger(ctx context.Context, before, p *ducha.Problem, res *ducha.ImportResult) error {
	// A status moves only through the workflow: a file that says
	// otherwise is probably an old export, and would undo work.
	if p.Status != before.Status {
		msg := fmt.Sprintf("“状态”列：问题%s在系统中为“%s”，文件中为“%s”；状态只能通过办理流程变更（文件可能是旧的导出，请重新导出后再修改）",
			p.Code, before.Status.Label(), p.Status.Label())
		return &ducha.Error{Code: ducha.ECONFLICT, Message: msg, Fields: map[string]string{"status": msg}}
	}
	// The file is the ledger as the office keeps it: its fields win,
	// the workflow's own record (closure, extension) stays.
	p.ID, p.CampaignID, p.CreatedAt = before.ID, before.CampaignID, before.CreatedAt
	p.ClosureText, p.ReturnReason, p.ReopenCount, p.Extension = before.ClosureText, before.ReturnReason, before.ReopenCount, before.Extension
	// The workflow's record of progress, closure and sign-off stays; a
	// 整改进展 the file changed is a new entry (our own export writes the
	// latest with its date: that is no change).
	p.PlannedAt, p.Closure, p.AwaitingSignoff = before.PlannedAt, before.Closure, before.AwaitingSignoff
	p.ProgressAt, p.ProgressPercent = before.ProgressAt, before.ProgressPercent
	p.BehindFrom = p.ScheduleFrom(tx.db.progressPeriod()) // as saveProblem will
	newEntry := false
	switch p.Progress {
	case before.Progress, before.ProgressCell():
		p.Progress = before.Progress
	case "":
		p.Progress = before.Progress // an empty cell removes no report
	default:
		t := tx.now
		p.ProgressAt, newEntry = &t, true
	}
	p.OriginalDeadline = before.OriginalDeadline
	if !p.OriginalDeadline.Valid() {
		p.OriginalDeadline = p.Deadline
	}
	// A file written by our own export carries normalized text: the
	// cells as first written stay on record.
	if p.Deadline == before.Deadline && p.Mode == before.Mode {
		p.DeadlineText = before.DeadlineText
	}
	if len(before.Original) > 0 {
		merged := map[string]string{}
		for k, v := range before.Original {
			merged[k] = v
		}
		for k, v := range p.Original {
			merged[k] = v
		}
		p.Original = merged
	}
	p.ClosedAt = before.ClosedAt
	if p.Status == ducha.StatusClosed && p.ClosedAt == nil {
		t := tx.now
		p.ClosedAt = &t
	} else if p.Status != ducha.StatusClosed {
		p.ClosedAt = nil
	}
	if b, a := ducha.Diff(before, p); b == nil && a == nil {
		return nil
	}
	if err := tx.saveProblem(ctx, before, p, "import", ""); err != nil {
		return err
	}
	if newEntry {
		if err := tx.addProgressEntry(ctx, p, ducha.ProblemAction{}); err != nil {
			return err
		}
	}
	// A file that names another lead unit hands the problem over: its open
	// notices go with it (no message per row for the hand-over itself:
	// store/outbox_events.go).
	if p.LeadUnitID != 0 && p.LeadUnitID != before.LeadUnitID {
		if err := tx.moveNotices(ctx, ducha.ItemProblem, p.ID, p.LeadUnitID); err != nil {
			return err
		}
	}
	res.Updated++
	return nil
}
