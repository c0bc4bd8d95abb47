package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/text"
)

const problemColumns = `p.id, p.code, p.campaign_id, p.status, p.version, p.source, p.description,
	p.area, p.address, p.subject, p.subject_credit_code, p.types, p.type_detail, p.industry, p.mode,
	p.lead_unit_id, COALESCE(lu.name, ''), p.leader, p.person, p.measures, p.target,
	p.deadline, p.deadline_text, p.original_deadline, p.progress, p.closure_text, p.closed_at,
	p.return_reason, p.reopen_count, p.extension, p.note, p.original, p.created_at, p.updated_at,
	p.progress_at, p.progress_percent, p.planned_at, p.behind_from, p.closure, p.awaiting_signoff`

const problemFrom = ` FROM problems p` + problemJoin

// problemJoin brings in the lead unit's name.
const problemJoin = ` LEFT JOIN units lu ON lu.id = p.lead_unit_id`

func scanProblem(row interface{ Scan(...any) error }) (*ducha.Problem, error) {
	var p ducha.Problem
	var campaign, lead sql.NullInt64
	var types, created, updated string
	var deadline, original, closedAt, extension, orig sql.NullString
	var progressAt, plannedAt, behind, closure sql.NullString
	var percent sql.NullInt64
	var awaiting int64
	err := row.Scan(&p.ID, &p.Code, &campaign, &p.Status, &p.Version, &p.Source, &p.Description,
		&p.Area, &p.Address, &p.Subject, &p.SubjectCreditCode, &types, &p.TypeDetail, &p.Industry, &p.Mode,
		&lead, &p.LeadUnit, &p.Leader, &p.Person, &p.Measures, &p.Target,
		&deadline, &p.DeadlineText, &original, &p.Progress, &p.ClosureText, &closedAt,
		&p.ReturnReason, &p.ReopenCount, &extension, &p.Note, &orig, &created, &updated,
		&progressAt, &percent, &plannedAt, &behind, &closure, &awaiting)
	if err != nil {
		return nil, err
	}
	p.ProgressAt, p.PlannedAt = parseTimePtr(progressAt), parseTimePtr(plannedAt)
	if percent.Valid {
		v := int(percent.Int64)
		p.ProgressPercent = &v
	}
	p.BehindFrom, p.AwaitingSignoff = ducha.Date(behind.String), awaiting != 0
	if closure.Valid && closure.String != "" {
		if err := json.Unmarshal([]byte(closure.String), &p.Closure); err != nil {
			return nil, fmt.Errorf("problem %d closure: %w", p.ID, err)
		}
	}
	if p.Closure.Levels == nil {
		p.Closure.Levels = []ducha.LevelSignoff{}
	}
	p.CampaignID, p.LeadUnitID = campaign.Int64, lead.Int64
	p.Types = splitTypes(types)
	p.Deadline, p.OriginalDeadline = ducha.Date(deadline.String), ducha.Date(original.String)
	if closedAt.Valid {
		t := ducha.ParseTime(closedAt.String)
		p.ClosedAt = &t
	}
	if extension.Valid {
		p.Extension = &ducha.Extension{}
		if err := json.Unmarshal([]byte(extension.String), p.Extension); err != nil {
			return nil, fmt.Errorf("problem %d extension: %w", p.ID, err)
		}
	}
	if orig.Valid {
		if err := json.Unmarshal([]byte(orig.String), &p.Original); err != nil {
			return nil, fmt.Errorf("problem %d original: %w", p.ID, err)
		}
	}
	p.CreatedAt, p.UpdatedAt = ducha.ParseTime(created), ducha.ParseTime(updated)
	p.CoopUnits, p.CoopUnitIDs = []string{}, nil
	p.ProgressEntries = latestEntry(&p)
	return &p, nil
}

// latestEntry is the entries a list shows: the latest alone, from the
// problem's row (or the text an imported ledger carried, dated with the
// problem).
func latestEntry(p *ducha.Problem) []ducha.ProgressEntry {
	if p.Progress == "" {
		return []ducha.ProgressEntry{}
	}
	e := ducha.ProgressEntry{Text: p.Progress, Percent: p.ProgressPercent}
	if p.ProgressAt != nil {
		e.At = *p.ProgressAt
	} else {
		e.At, e.Imported = p.CreatedAt, true
	}
	return []ducha.ProgressEntry{e}
}

func parseTimePtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := ducha.ParseTime(s.String)
	return &t
}

func formatTimePtr(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: ducha.FormatTime(*t), Valid: true}
}

func splitTypes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// scope returns the condition that keeps unit-scoped users to their own
// unit's problems. Every query that reads problems goes through it.
// scope keeps a lookup of one problem (by its id, or a row of it) to the
// user's units: a probe of problem_units for that problem. scopeOf's
// id list suits the scans; for one row it would gather every id of the
// unit first (60 ms for a unit of 224,000 problems).
func (tx *Tx) scope() (string, []any) { return rowScopeOf(tx.user) }

// rowScopeOf is scope for any user: the condition on p for queries that
// read a few problems each (one by id, those of one subject).
func rowScopeOf(u *ducha.User) (string, []any) {
	if u != nil && u.Role.UnitScoped() {
		return " AND EXISTS (SELECT 1 FROM problem_units su WHERE su.problem_id = p.id AND su.unit_id = ?)", []any{u.UnitID}
	}
	return scopeOf(u)
}

func scopeOf(u *ducha.User) (string, []any) {
	if u == nil {
		return " AND 1 = 0", nil
	}
	if u.Role.UnitScoped() {
		return " AND p.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)", []any{u.UnitID}
	}
	return "", nil
}

// unitColumnScope keeps unit-scoped users to the rows whose unit column
// is their unit's (notices, inspections, duties, requests: items of one
// unit).
func unitColumnScope(u *ducha.User, column string) (string, []any) {
	if u == nil {
		return " AND 1 = 0", nil
	}
	if u.Role.UnitScoped() {
		return " AND " + column + " = ?", []any{u.UnitID}
	}
	return "", nil
}

// findProblem loads one problem the user may see; another unit's problem is
// not found, exactly like a missing one.
func (tx *Tx) findProblem(ctx context.Context, id int64) (*ducha.Problem, error) {
	cond, args := tx.scope()
	p, err := scanProblem(tx.queryRow(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.id = ?`+cond, append([]any{id}, args...)...))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("问题")
	} else if err != nil {
		return nil, fmt.Errorf("find problem %d: %w", id, err)
	}
	if err := tx.attachCoopUnits(ctx, []*ducha.Problem{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// attachCoopUnits fills the cooperating units of a page of problems in one query.
func (tx *Tx) attachCoopUnits(ctx context.Context, ps []*ducha.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[int64]*ducha.Problem, len(ps))
	args := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		args[i] = p.ID
	}
	rows, err := tx.query(ctx, `SELECT pu.problem_id, u.id, u.name FROM problem_units pu JOIN units u ON u.id = pu.unit_id
		WHERE pu.lead = 0 AND pu.problem_id IN (`+placeholders(len(args))+`) ORDER BY pu.problem_id, pu.pos`, args...)
	if err != nil {
		return fmt.Errorf("coop units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, uid int64
		var name string
		if err := rows.Scan(&pid, &uid, &name); err != nil {
			return err
		}
		p := byID[pid]
		p.CoopUnitIDs = append(p.CoopUnitIDs, uid)
		p.CoopUnits = append(p.CoopUnits, name)
	}
	return rows.Err()
}

// FindProblemByID returns one problem with its attachments' metadata.
func (db *DB) FindProblemByID(ctx context.Context, id int64) (*ducha.Problem, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := tx.findProblem(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Attachments, err = tx.findAttachments(ctx, id); err != nil {
		return nil, err
	}
	if p.Cases, err = tx.problemCases(ctx, id); err != nil {
		return nil, err
	}
	if p.ProgressEntries, err = tx.progressEntries(ctx, p); err != nil {
		return nil, err
	}
	if p.Duty, err = tx.problemDuty(ctx, id); err != nil {
		return nil, err
	}
	p.Derive(tx.today(), db.YellowDays())
	return p, nil
}

// problemCases lists the acceptance numbers of the cases a problem was
// opened for.
func (tx *Tx) problemCases(ctx context.Context, id int64) ([]string, error) {
	scope, args := caseScopeOf(tx.user)
	rows, err := tx.query(ctx, `SELECT c.acceptance_no FROM case_problems cp JOIN cases c ON c.id = cp.case_id
		WHERE cp.problem_id = ?`+scope+` ORDER BY c.id`, append([]any{id}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("problem cases: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, err
		}
		out = append(out, no)
	}
	return out, rows.Err()
}

// FindProblemEvents returns a problem's history, to whoever may read the problem.
func (db *DB) FindProblemEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findProblem(ctx, id); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "problem", id)
}

// CreateProblem registers a problem. Only the coordinator and admin register.
func (db *DB) CreateProblem(ctx context.Context, p *ducha.Problem) error {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.resolveProblemUnits(ctx, p); err != nil {
		return err
	}
	if err := tx.createProblem(ctx, p, "create"); err != nil {
		return err
	}
	if err := tx.notifyProblem(ctx, nil, p, "create"); err != nil {
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return err
	}
	p.Derive(tx.today(), db.YellowDays())
	return nil
}

// resolveProblemUnits turns the unit names (or ids) of p into ids.
func (tx *Tx) resolveProblemUnits(ctx context.Context, p *ducha.Problem) error {
	if p.LeadUnitID == 0 && p.LeadUnit != "" {
		u, err := tx.resolveUnit(ctx, "lead_unit", ducha.UnitRef(p.LeadUnit))
		if err != nil {
			return err
		}
		p.LeadUnitID, p.LeadUnit = u.ID, u.Name
	}
	if len(p.CoopUnitIDs) == 0 && len(p.CoopUnits) > 0 {
		for i, name := range p.CoopUnits {
			u, err := tx.resolveUnit(ctx, "coop_units", ducha.UnitRef(name))
			if err != nil {
				return err
			}
			p.CoopUnitIDs = append(p.CoopUnitIDs, u.ID)
			p.CoopUnits[i] = u.Name
		}
	}
	return nil
}

// createProblem inserts p (units already resolved) and its event.
func (tx *Tx) createProblem(ctx context.Context, p *ducha.Problem, action string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CampaignID == 0 {
		id, err := tx.currentCampaignID(ctx)
		if err != nil {
			return err
		}
		p.CampaignID = id
	}
	if err := tx.fillNewProblem(ctx, p); err != nil {
		return err
	}
	p.BehindFrom = p.ScheduleFrom(tx.db.progressPeriod())
	cols := problemValues(p)
	id, err := tx.insert(ctx, `INSERT INTO problems (`+problemInsertColumns+`) VALUES (`+placeholders(len(cols))+`)`, cols...)
	if isUniqueViolation(err) {
		return ducha.FieldError("code", "问题编号“%s”已存在", p.Code)
	} else if err != nil {
		return fmt.Errorf("insert problem: %w", err)
	}
	p.ID = id
	if err := tx.syncProblemIndexes(ctx, nil, p); err != nil {
		return err
	}
	tx.tallyProblem(nil, p)
	if err := tx.addProblemState(ctx, p, false); err != nil {
		return err
	}
	_, after := ducha.Diff(nil, p)
	return tx.appendEvent(ctx, "problem", p.ID, action, "", nil, after)
}

// problemsTable is the problems table as problemValues fills it, with the
// id first.
var problemsTable = newBulkTable("problems", "id bigint", "code text", "campaign_id bigint", "status text",
	"version bigint", "source text", "description text", "area text", "address text", "subject text",
	"subject_credit_code text", "types text", "type_detail text", "industry text", "mode text",
	"lead_unit_id bigint", "leader text", "person text", "measures text", "target text", "deadline text",
	"deadline_text text", "original_deadline text", "progress text", "closure_text text", "closed_at text",
	"return_reason text", "reopen_count bigint", "extension text", "note text", "original text",
	"created_at text", "updated_at text", "progress_at text", "progress_percent bigint", "planned_at text",
	"behind_from text", "closure text", "awaiting_signoff bigint")

// problemInsertColumns are the columns of problemValues, in its order.
var problemInsertColumns = strings.Join(problemsTable.columns[1:], ", ")

var (
	problemUnitsTable  = newBulkTable("problem_units", "problem_id bigint", "unit_id bigint", "lead bigint", "pos bigint")
	problemTypesTable  = newBulkTable("problem_types", "problem_id bigint", "type text")
	problemStatesTable = newBulkTable("problem_states", "problem_id bigint", "valid_from text", "status text", "deadline text", "behind_from text")
)

// currentCampaignID is the campaign a new problem belongs to: the latest
// one, or 0 when there is none.
func (tx *Tx) currentCampaignID(ctx context.Context) (int64, error) {
	c, err := tx.currentCampaign(ctx)
	if ducha.ErrorCode(err) == ducha.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// fillNewProblem sets what registering gives a problem (validated, its
// campaign chosen): a code when it has none, the closing time of one
// registered closed, the original deadline, the first version and times.
func (tx *Tx) fillNewProblem(ctx context.Context, p *ducha.Problem) error {
	if p.Code == "" {
		code, err := tx.nextCode(ctx)
		if err != nil {
			return err
		}
		p.Code = code
	}
	if p.Status == ducha.StatusClosed && p.ClosedAt == nil {
		t := tx.now
		p.ClosedAt = &t
	}
	if p.Deadline.Valid() && !p.OriginalDeadline.Valid() {
		p.OriginalDeadline = p.Deadline
	}
	if p.Status == ducha.StatusPublicity && p.Closure.Publicity == nil {
		// 公示中 is reached by the last level's sign-off, with its notice;
		// a problem registered or imported so (a ledger exported from
		// another store) has no notice here: it waits for verification,
		// the file's word kept on record.
		p.Status = ducha.StatusPendingVerification
		if p.Original == nil {
			p.Original = map[string]string{}
		}
		if _, ok := p.Original["status"]; !ok {
			p.Original["status"] = ducha.StatusPublicity.Label()
		}
	}
	if p.Status != ducha.StatusRegistered && p.PlannedAt == nil {
		t := tx.now // registered already in progress: its schedule starts now
		p.PlannedAt = &t
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	return nil
}

// problemValues lists p's columns in the order of problemsTable, after its id.
func problemValues(p *ducha.Problem) []any {
	var closedAt sql.NullString
	if p.ClosedAt != nil {
		closedAt = sql.NullString{String: ducha.FormatTime(*p.ClosedAt), Valid: true}
	}
	var ext, orig sql.NullString
	if p.Extension != nil {
		b, _ := json.Marshal(p.Extension)
		ext = sql.NullString{String: string(b), Valid: true}
	}
	if len(p.Original) > 0 {
		b, _ := json.Marshal(p.Original)
		orig = sql.NullString{String: string(b), Valid: true}
	}
	var percent sql.NullInt64
	if p.ProgressPercent != nil {
		percent = sql.NullInt64{Int64: int64(*p.ProgressPercent), Valid: true}
	}
	var closure sql.NullString
	if c := p.Closure; c.Signoff != nil || len(c.Levels) > 0 || c.Publicity != nil || len(c.Earlier) > 0 {
		b, _ := json.Marshal(c)
		closure = sql.NullString{String: string(b), Valid: true}
	}
	awaiting := 0
	if p.AwaitingSignoff {
		awaiting = 1
	}
	return []any{p.Code, sql.NullInt64{Int64: p.CampaignID, Valid: p.CampaignID != 0}, string(p.Status), p.Version,
		p.Source, p.Description, p.Area, p.Address, p.Subject, p.SubjectCreditCode, strings.Join(p.Types, ","),
		p.TypeDetail, p.Industry, p.Mode, sql.NullInt64{Int64: p.LeadUnitID, Valid: p.LeadUnitID != 0},
		p.Leader, p.Person, p.Measures, p.Target, nullString(string(p.Deadline)), p.DeadlineText,
		nullString(string(p.OriginalDeadline)), p.Progress, p.ClosureText, closedAt, p.ReturnReason,
		p.ReopenCount, ext, p.Note, orig, ducha.FormatTime(p.CreatedAt), ducha.FormatTime(p.UpdatedAt),
		formatTimePtr(p.ProgressAt), percent, formatTimePtr(p.PlannedAt), nullString(string(p.BehindFrom)), closure, awaiting}
}

// saveProblem writes every column of p if its version is still oldVersion,
// and records the change as an event. A stale version changes nothing.
func (tx *Tx) saveProblem(ctx context.Context, before, p *ducha.Problem, action, note string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.Version, p.UpdatedAt = before.Version+1, tx.now
	p.BehindFrom = p.ScheduleFrom(tx.db.progressPeriod())
	cols := problemValues(p)
	res, err := tx.exec(ctx, `UPDATE problems SET code = ?, campaign_id = ?, status = ?, version = ?, source = ?,
		description = ?, area = ?, address = ?, subject = ?, subject_credit_code = ?, types = ?, type_detail = ?,
		industry = ?, mode = ?, lead_unit_id = ?, leader = ?, person = ?, measures = ?, target = ?, deadline = ?,
		deadline_text = ?, original_deadline = ?, progress = ?, closure_text = ?, closed_at = ?, return_reason = ?,
		reopen_count = ?, extension = ?, note = ?, original = ?, created_at = ?, updated_at = ?,
		progress_at = ?, progress_percent = ?, planned_at = ?, behind_from = ?, closure = ?, awaiting_signoff = ?
		WHERE id = ? AND version = ?`, append(cols, p.ID, before.Version)...)
	if err != nil {
		return fmt.Errorf("update problem %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ducha.Conflict()
	}
	if err := tx.syncProblemIndexes(ctx, before, p); err != nil {
		return err
	}
	tx.tallyProblem(before, p)
	if before.Status != p.Status || before.Deadline != p.Deadline || before.BehindFrom != p.BehindFrom {
		if err := tx.addProblemState(ctx, p, true); err != nil {
			return err
		}
	}
	b, a := ducha.Diff(before, p)
	return tx.appendEvent(ctx, "problem", p.ID, action, note, b, a)
}

// syncProblemIndexes keeps problem_units, problem_types and the search
// tokens in step with p; before is nil for a new problem.
func (tx *Tx) syncProblemIndexes(ctx context.Context, before, p *ducha.Problem) error {
	if before == nil || before.LeadUnitID != p.LeadUnitID || !equalIDs(before.CoopUnitIDs, p.CoopUnitIDs) {
		if before != nil {
			if _, err := tx.exec(ctx, `DELETE FROM problem_units WHERE problem_id = ?`, p.ID); err != nil {
				return err
			}
		}
		if p.LeadUnitID != 0 {
			if _, err := tx.exec(ctx, `INSERT INTO problem_units (problem_id, unit_id, lead) VALUES (?, ?, 1)`, p.ID, p.LeadUnitID); err != nil {
				return fmt.Errorf("problem units: %w", err)
			}
		}
		for i, id := range p.CoopUnitIDs {
			if id == p.LeadUnitID {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO problem_units (problem_id, unit_id, lead, pos) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING`, p.ID, id, i+1); err != nil {
				return fmt.Errorf("problem units: %w", err)
			}
		}
	}
	if before == nil || strings.Join(before.Types, ",") != strings.Join(p.Types, ",") {
		if before != nil {
			if _, err := tx.exec(ctx, `DELETE FROM problem_types WHERE problem_id = ?`, p.ID); err != nil {
				return err
			}
		}
		for _, t := range p.Types {
			if _, err := tx.exec(ctx, `INSERT INTO problem_types (problem_id, type) VALUES (?, ?)`, p.ID, t); err != nil {
				return fmt.Errorf("problem types: %w", err)
			}
		}
	}
	if before == nil || searchFields(before) != searchFields(p) {
		tx.queueSearch(problemSearch, p.ID, problemTokens(p), before != nil)
	}
	return nil
}

func searchFields(p *ducha.Problem) string {
	return p.Code + "\x00" + p.Description + "\x00" + p.Address + "\x00" + p.Subject + "\x00" + p.Area
}

// problemTokens are what search matches: two-character words of the
// description, address, subject, code and area, and the pinyin initials of
// the subject and area.
func problemTokens(p *ducha.Problem) []string {
	toks := text.Tokens(p.Code, p.Description, p.Address, p.Subject, p.Area)
	for _, s := range []string{p.Subject, p.Area} {
		if in := text.Initials(s); in != "" {
			toks = append(toks, in)
		}
	}
	return toks
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// addProblemState records the problem's status and deadline from now on,
// closing the state it had.
func (tx *Tx) addProblemState(ctx context.Context, p *ducha.Problem, closePrevious bool) error {
	now := ducha.FormatTime(tx.now)
	if closePrevious {
		if _, err := tx.exec(ctx, `UPDATE problem_states SET valid_to = ? WHERE problem_id = ? AND valid_to IS NULL`, now, p.ID); err != nil {
			return fmt.Errorf("problem state: %w", err)
		}
	}
	_, err := tx.exec(ctx, `INSERT INTO problem_states (problem_id, valid_from, status, deadline, behind_from) VALUES (?, ?, ?, ?, ?)`,
		p.ID, now, string(p.Status), nullString(string(p.Deadline)), nullString(string(p.BehindFrom)))
	return err
}

// nextCode hands out the next problem code of the year: QS-2026-0001.
func (tx *Tx) nextCode(ctx context.Context) (string, error) {
	if len(tx.codes) > 0 {
		code := tx.codes[0]
		tx.codes = tx.codes[1:]
		return code, nil
	}
	if err := tx.reserveCodes(ctx, 1); err != nil {
		return "", err
	}
	return tx.nextCode(ctx)
}

// reserveCodes takes n codes of the year from the counter at once, for
// nextCode to hand out; an import reserves all it needs in one statement.
func (tx *Tx) reserveCodes(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	year := tx.today()[:4]
	last, err := tx.addToCounter(ctx, "problem-"+string(year), n)
	if err != nil {
		return fmt.Errorf("next code: %w", err)
	}
	for v := last - int64(n) + 1; v <= last; v++ {
		tx.codes = append(tx.codes, fmt.Sprintf("%s-%s-%04d", tx.db.opts.CodePrefix, year, v))
	}
	return nil
}

// addToCounter adds n to the counter name (problem codes, notice numbers),
// creating it at n, and answers its new value. The counter's row stays
// locked until the transaction ends, so the n values below it are this
// transaction's.
func (tx *Tx) addToCounter(ctx context.Context, name string, n int) (int64, error) {
	var v int64
	err := tx.queryRow(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + ? RETURNING value`, name, n, n).Scan(&v)
	return v, err
}

// UpdateProblem changes a problem's descriptive fields.
func (db *DB) UpdateProblem(ctx context.Context, id int64, upd ducha.ProblemUpdate) (*ducha.Problem, error) {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return nil, err
	}
	// An edit must say which version it edits; an action need not (its
	// state rules guard it), so changeProblem takes 0 as "any".
	if upd.Version == 0 {
		return nil, ducha.FieldError("version", "缺少版本号（version），请刷新后重试")
	}
	return db.changeProblem(ctx, id, upd.Version, func(tx *Tx, p *ducha.Problem) (string, string, error) {
		upd.Apply(p)
		return "update", "", nil
	})
}

// ActOnProblem runs one workflow action: the rules are ducha.ApplyProblemAction's.
func (db *DB) ActOnProblem(ctx context.Context, id int64, in ducha.ProblemAction) (*ducha.Problem, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	return db.changeProblem(ctx, id, in.Version, func(tx *Tx, p *ducha.Problem) (string, string, error) {
		if in.LeadUnit != "" {
			unit, err := tx.resolveUnit(ctx, "lead_unit", in.LeadUnit)
			if err != nil {
				return "", "", err
			}
			in.LeadUnitID, in.LeadUnitName = unit.ID, unit.Name
		}
		if in.CoopUnits != nil {
			in.CoopUnitIDs, in.CoopUnitNames = []int64{}, []string{}
			for _, ref := range in.CoopUnits {
				unit, err := tx.resolveUnit(ctx, "coop_units", ref)
				if err != nil {
					return "", "", err
				}
				in.CoopUnitIDs = append(in.CoopUnitIDs, unit.ID)
				in.CoopUnitNames = append(in.CoopUnitNames, unit.Name)
			}
		}
		if err := tx.checkAttachments(ctx, id, in.AttachmentIDs); err != nil {
			return "", "", err
		}
		rules, err := tx.campaignRules(ctx)
		if err != nil {
			return "", "", err
		}
		rs := rules.of(p.CampaignID)
		in.Rules, in.Calendar = rs.rules, rs.cal
		ext := p.Extension
		levels := len(p.Closure.Levels)
		if err := ducha.ApplyProblemAction(p, in, u, tx.now); err != nil {
			return "", "", err
		}
		note := strings.TrimSpace(in.Text + " " + in.Reason)
		switch {
		case in.Action == ducha.ActDecideExtension && ext != nil:
			note = ducha.ExtensionDecisionNote(*in.Approve, ext.Deadline, in.Reason)
		case in.Action == ducha.ActVerify:
			note = closureNote(p, levels)
		case in.Action == ducha.ActProgress:
			if err := tx.addProgressEntry(ctx, p, in); err != nil {
				return "", "", err
			}
			if in.Percent != nil {
				note = fmt.Sprintf("%s（整治进度%d%%）", note, *in.Percent)
			}
		}
		if levels > 0 && len(p.Closure.Levels) == 0 {
			note = strings.TrimSpace(note + " 已签署的验收层级作废，验收重新开始")
		}
		if p.ProgressEntries, err = tx.progressEntries(ctx, p); err != nil {
			return "", "", err
		}
		if len(in.AttachmentIDs) > 0 {
			ids := make([]string, len(in.AttachmentIDs))
			for i, a := range in.AttachmentIDs {
				ids[i] = strconv.FormatInt(a, 10)
			}
			note = strings.TrimSpace(note + " [附件 " + strings.Join(ids, ",") + "]")
		}
		return in.Action, note, nil
	})
}

// closureNote is what the history says of a verify: the level signed and
// its opinion, and where the problem now stands.
func closureNote(p *ducha.Problem, before int) string {
	var parts []string
	if len(p.Closure.Levels) > before {
		l := p.Closure.Levels[len(p.Closure.Levels)-1]
		s := ducha.LevelLabel(l.Level) + "通过"
		if l.Opinion != "" {
			s += "：" + l.Opinion
		}
		parts = append(parts, s)
	}
	switch p.Status {
	case ducha.StatusPublicity:
		pb := p.Closure.Publicity
		parts = append(parts, fmt.Sprintf("进入销号公示（%s至%s，%s）", pb.From, pb.To, pb.Span()))
	case ducha.StatusClosed:
		parts = append(parts, "已销号")
	}
	return strings.Join(parts, "；")
}

// addProgressEntry appends the entry a progress action made.
func (tx *Tx) addProgressEntry(ctx context.Context, p *ducha.Problem, in ducha.ProblemAction) error {
	var percent sql.NullInt64
	if in.Percent != nil {
		percent = sql.NullInt64{Int64: int64(*in.Percent), Valid: true}
	}
	ids := make([]string, len(in.AttachmentIDs))
	for i, a := range in.AttachmentIDs {
		ids[i] = strconv.FormatInt(a, 10)
	}
	_, err := tx.exec(ctx, `INSERT INTO progress_entries (problem_id, at, by_user, text, percent, attachment_ids) VALUES (?, ?, ?, ?, ?, ?)`,
		p.ID, ducha.FormatTime(tx.now), tx.user.Username, p.Progress, percent, strings.Join(ids, ","))
	if err != nil {
		return fmt.Errorf("progress entry: %w", err)
	}
	return nil
}

// progressEntries reads a problem's entries, newest first; a problem whose
// ledger was imported with a 整改进展 shows that text as its first entry.
func (tx *Tx) progressEntries(ctx context.Context, p *ducha.Problem) ([]ducha.ProgressEntry, error) {
	rows, err := tx.query(ctx, `SELECT id, at, by_user, text, percent, attachment_ids FROM progress_entries
		WHERE problem_id = ? ORDER BY id DESC`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("progress entries: %w", err)
	}
	defer rows.Close()
	out := []ducha.ProgressEntry{}
	for rows.Next() {
		var e ducha.ProgressEntry
		var at, ids string
		var percent sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &e.By, &e.Text, &percent, &ids); err != nil {
			return nil, err
		}
		e.At = ducha.ParseTime(at)
		if percent.Valid {
			v := int(percent.Int64)
			e.Percent = &v
		}
		for _, f := range strings.Split(ids, ",") {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil {
				e.AttachmentIDs = append(e.AttachmentIDs, id)
			}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return latestEntry(p), nil
	}
	return out, nil
}

// changeProblem is one write to an existing problem: it loads the problem
// through the user's scope, refuses a stale version (0 takes the current
// one: a workflow action without a version is guarded by its state), lets change
// edit a copy (returning the event's action and note), and saves it with
// its event in the same transaction.
func (db *DB) changeProblem(ctx context.Context, id int64, version int, change func(tx *Tx, p *ducha.Problem) (action, note string, err error)) (*ducha.Problem, error) {
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findProblem(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && before.Version != version {
		return nil, ducha.Conflict()
	}
	p := *before
	action, note, err := change(tx, &p)
	if err != nil {
		return nil, err
	}
	if err := tx.saveProblem(ctx, before, &p, action, note); err != nil {
		return nil, err
	}
	if err := tx.notifyProblem(ctx, before, &p, action); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	p.Derive(tx.today(), db.YellowDays())
	return &p, nil
}
