package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"ducha"
	"ducha/text"
)

const caseColumns = `c.id, c.acceptance_no, c.campaign_id, c.batch, c.forwarded_date, c.channel, c.key_flag, c.text,
	c.area, c.types, c.type_detail, c.deadline, c.status, c.findings, c.verdict, c.target, c.handling, c.accountability,
	c.published, c.return_reason, c.duplicate_of, c.supplement_of, c.original, c.version, c.created_at, c.updated_at`

func scanCase(row interface{ Scan(...any) error }) (*ducha.Case, error) {
	var c ducha.Case
	var campaign, dupOf, supOf sql.NullInt64
	var key, published int
	var types, created, updated string
	var deadline, orig sql.NullString
	err := row.Scan(&c.ID, &c.AcceptanceNo, &campaign, &c.Batch, &c.ForwardedDate, &c.Channel, &key, &c.Text,
		&c.Area, &types, &c.TypeDetail, &deadline, &c.Status, &c.Findings, &c.Verdict, &c.Target, &c.Handling, &c.Accountability,
		&published, &c.ReturnReason, &dupOf, &supOf, &orig, &c.Version, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.CampaignID, c.Key, c.Published = campaign.Int64, key != 0, published != 0
	if dupOf.Valid {
		c.DuplicateOf = &dupOf.Int64
	}
	if supOf.Valid {
		c.SupplementOf = &supOf.Int64
	}
	c.Types, c.Deadline = splitTypes(types), ducha.Date(deadline.String)
	if orig.Valid {
		if err := json.Unmarshal([]byte(orig.String), &c.Original); err != nil {
			return nil, fmt.Errorf("case %d original: %w", c.ID, err)
		}
	}
	c.CreatedAt, c.UpdatedAt = ducha.ParseTime(created), ducha.ParseTime(updated)
	c.Units, c.Measures = []string{}, []ducha.Measure{}
	return &c, nil
}

// caseScopeOf keeps unit-scoped users to the cases assigned to their unit,
// in a query over cases c.
func caseScopeOf(u *ducha.User) (string, []any) { return caseScopeOn(u, "c.id") }

// caseScopeOn is the same condition on another column holding a case id
// (s.case_id of case_states, m.case_id of measures).
func caseScopeOn(u *ducha.User, column string) (string, []any) {
	if u == nil {
		return " AND 1 = 0", nil
	}
	if u.Role.UnitScoped() {
		return " AND " + column + " IN (SELECT case_id FROM case_units WHERE unit_id = ?)", []any{u.UnitID}
	}
	return "", nil
}

// findCase loads one case the user may see, with its units' parts, its
// measures in force and its linked problems.
func (tx *Tx) findCase(ctx context.Context, cond string, arg any) (*ducha.Case, error) {
	scope, args := caseScopeOf(tx.user)
	c, err := scanCase(tx.queryRow(ctx, `SELECT `+caseColumns+` FROM cases c WHERE `+cond+scope, append([]any{arg}, args...)...))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("交办件")
	} else if err != nil {
		return nil, fmt.Errorf("find case: %w", err)
	}
	if err := tx.attachCaseDetails(ctx, []*ducha.Case{c}, true); err != nil {
		return nil, err
	}
	return c, nil
}

// attachCaseDetails fills units (and, with full, parts, measures and
// problems) of a page of cases.
func (tx *Tx) attachCaseDetails(ctx context.Context, cs []*ducha.Case, full bool) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*ducha.Case, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	list, _ := json.Marshal(ids)
	rows, err := tx.query(ctx, `SELECT cu.case_id, cu.unit_id, u.name, cu.signed_at, cu.signed_by, cu.submitted_at,
		cu.findings, cu.verdict, cu.handling, cu.accountability,
		cu.awaiting_signoff, cu.signed_off_by, cu.signed_off_at, cu.return_reason
		FROM case_units cu JOIN units u ON u.id = cu.unit_id
		WHERE cu.case_id IN (`+tx.db.dialect.idList()+`) ORDER BY cu.case_id, cu.pos`, string(list))
	if err != nil {
		return fmt.Errorf("case units: %w", err)
	}
	for rows.Next() {
		var id int64
		var p ducha.CaseUnit
		var signed, submitted, signedOff sql.NullString
		var awaiting int64
		if err := rows.Scan(&id, &p.UnitID, &p.Unit, &signed, &p.SignedBy, &submitted, &p.Findings, &p.Verdict, &p.Handling, &p.Accountable,
			&awaiting, &p.SignedOffBy, &signedOff, &p.ReturnReason); err != nil {
			rows.Close()
			return err
		}
		p.SignedAt, p.SubmittedAt, p.SignedOffAt = timePtr(signed), timePtr(submitted), timePtr(signedOff)
		p.AwaitingSignoff = awaiting != 0
		c := byID[id]
		c.Units = append(c.Units, p.Unit)
		if full {
			c.Parts = append(c.Parts, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || !full {
		return err
	}
	rows, err = tx.query(ctx, `SELECT m.id, m.case_id, COALESCE(m.unit_id, 0), m.kind, COALESCE(m.enterprise_id, 0), COALESCE(e.name, ''),
		m.persons, m.fine_fen, m.date FROM measures m LEFT JOIN enterprises e ON e.id = m.enterprise_id
		WHERE m.removed_at IS NULL AND m.case_id IN (`+tx.db.dialect.idList()+`) ORDER BY m.id`, string(list))
	if err != nil {
		return fmt.Errorf("case measures: %w", err)
	}
	for rows.Next() {
		var m ducha.Measure
		if err := rows.Scan(&m.ID, &m.CaseID, &m.UnitID, &m.Kind, &m.EnterpriseID, &m.Enterprise, &m.Persons, &m.FineYuan, &m.Date); err != nil {
			rows.Close()
			return err
		}
		byID[m.CaseID].Measures = append(byID[m.CaseID].Measures, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := tx.attachRepeats(ctx, byID, string(list)); err != nil {
		return err
	}
	pscope, pargs := scopeOf(tx.user)
	rows, err = tx.query(ctx, `SELECT cp.case_id, cp.problem_id FROM case_problems cp JOIN problems p ON p.id = cp.problem_id
		WHERE cp.case_id IN (`+tx.db.dialect.idList()+`)`+pscope+` ORDER BY cp.problem_id`, append([]any{string(list)}, pargs...)...)
	if err != nil {
		return fmt.Errorf("case problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, pid int64
		if err := rows.Scan(&cid, &pid); err != nil {
			return err
		}
		byID[cid].ProblemIDs = append(byID[cid].ProblemIDs, pid)
	}
	return rows.Err()
}

// attachRepeats fills the later hand-overs of a page of cases: the same
// number again in a later batch (batch_duplicates), and the cases of their
// own marked as its 重复件 or 补充办理件 that the user may see.
func (tx *Tx) attachRepeats(ctx context.Context, byID map[int64]*ducha.Case, list string) error {
	rows, err := tx.query(ctx, `SELECT d.case_id, d.acceptance_no, b.number, d.row_number FROM batch_duplicates d
		JOIN batches b ON b.id = d.batch_id WHERE d.case_id IN (`+tx.db.dialect.idList()+`) ORDER BY b.number, d.row_number`, list)
	if err != nil {
		return fmt.Errorf("case repeats: %w", err)
	}
	for rows.Next() {
		var id int64
		r := ducha.CaseRepeat{Kind: ducha.LinkDuplicate}
		if err := rows.Scan(&id, &r.AcceptanceNo, &r.Batch, &r.Row); err != nil {
			rows.Close()
			return err
		}
		byID[id].Repeats = append(byID[id].Repeats, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	scope, args := caseScopeOf(tx.user)
	rows, err = tx.query(ctx, `SELECT c.id, c.acceptance_no, c.batch, COALESCE(c.duplicate_of, 0), COALESCE(c.supplement_of, 0)
		FROM cases c WHERE (c.duplicate_of IN (`+tx.db.dialect.idList()+`) OR c.supplement_of IN (`+tx.db.dialect.idList()+`))`+scope+`
		ORDER BY c.id`, append([]any{list, list}, args...)...)
	if err != nil {
		return fmt.Errorf("linked cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ducha.CaseRepeat
		var dupOf, supOf int64
		if err := rows.Scan(&r.CaseID, &r.AcceptanceNo, &r.Batch, &dupOf, &supOf); err != nil {
			return err
		}
		if c := byID[dupOf]; c != nil {
			r.Kind = ducha.LinkDuplicate
			c.Repeats = append(c.Repeats, r)
		}
		if c := byID[supOf]; c != nil {
			r.Kind = ducha.LinkSupplement
			c.Repeats = append(c.Repeats, r)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range byID {
		sort.SliceStable(c.Repeats, func(i, j int) bool { return c.Repeats[i].Batch < c.Repeats[j].Batch })
	}
	return nil
}

func timePtr(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := ducha.ParseTime(s.String)
	return &t
}

func nullTime(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: ducha.FormatTime(*t), Valid: true}
}

// FindCaseByID returns a case by its id.
func (db *DB) FindCaseByID(ctx context.Context, id int64) (*ducha.Case, error) {
	return db.findCaseBy(ctx, `c.id = ?`, id)
}

// FindCaseByAcceptanceNo returns a case by its acceptance number, written
// as any batch file may write it: full-width, with spaces, in either case,
// with the * of a key case.
func (db *DB) FindCaseByAcceptanceNo(ctx context.Context, no string) (*ducha.Case, error) {
	s := strings.ReplaceAll(text.Clean(no), " ", "")
	s = strings.TrimRight(s, "*★☆")
	return db.findCaseBy(ctx, `c.acceptance_key = ?`, ducha.AcceptanceKey(s))
}

func (db *DB) findCaseBy(ctx context.Context, cond string, arg any) (*ducha.Case, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findCase(ctx, cond, arg)
}

// FindCaseEvents returns a case's history to whoever may read the case.
func (db *DB) FindCaseEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findCase(ctx, `c.id = ?`, id); err != nil {
		return nil, err
	}
	return tx.findEvents(ctx, "case", id)
}

// FindCases returns a page of the cases the user may see, newest first.
func (db *DB) FindCases(ctx context.Context, f ducha.CaseFilter) ([]*ducha.Case, int, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	var w strings.Builder
	w.WriteString(" WHERE 1 = 1")
	scope, args := caseScopeOf(u)
	w.WriteString(scope)
	add := func(cond string, arg any) {
		w.WriteString(cond)
		args = append(args, arg)
	}
	if f.Batch != 0 {
		add(" AND c.batch = ?", f.Batch)
	}
	if f.Status != "" {
		add(" AND c.status = ?", string(f.Status))
	}
	if f.UnitID != 0 {
		add(" AND c.id IN (SELECT case_id FROM case_units WHERE unit_id = ?)", f.UnitID)
	}
	if f.Area != "" {
		add(" AND c.area = ?", f.Area)
	}
	if f.Type != "" {
		add(" AND c.id IN (SELECT case_id FROM case_types WHERE type = ?)", f.Type)
	}
	if f.Verdict != "" {
		add(" AND c.verdict = ?", f.Verdict)
	}
	if f.Published != nil {
		add(" AND c.published = ?", boolInt(*f.Published))
	}
	if f.Channel != "" {
		add(" AND c.channel = ?", f.Channel)
	}
	if f.Key != nil {
		add(" AND c.key_flag = ?", boolInt(*f.Key))
	}
	order, err := caseOrder(f.Sort, f.Desc)
	if err != nil {
		return nil, 0, err
	}
	if toks := text.QueryTokens(f.Q); len(toks) > 0 {
		s := db.dialect.search(caseSearch, toks)
		w.WriteString(" AND " + s.countCond)
		args = append(args, s.args...)
	}
	where := w.String()
	page := `SELECT ` + caseColumns + ` FROM cases c` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	count := `SELECT count(*) FROM cases c` + where
	db.prepare(ctx, page, count)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	rows, err := tx.query(ctx, page, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find cases: %w", err)
	}
	defer rows.Close()
	cs := []*ducha.Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, err
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return cs, total, tx.attachCaseDetails(ctx, cs, true)
}

// caseSortColumns maps each of ducha.CaseSorts to its SQL. Only these
// reach the query: a sort is never written into SQL from the request.
// Deadlines and verdicts that are not set sort as empty text on both
// engines (PostgreSQL would put NULL last, SQLite first); the status
// sorts in workflow order.
var caseSortColumns = map[string]string{
	"acceptance_no":  "c.acceptance_key",
	"batch":          "c.batch",
	"forwarded_date": "c.forwarded_date",
	"channel":        "c.channel",
	"key":            "c.key_flag",
	"area":           "c.area",
	"deadline":       "COALESCE(c.deadline, '')",
	"status": `CASE c.status WHEN 'received' THEN 0 WHEN 'assigned' THEN 1 WHEN 'investigating' THEN 2
		WHEN 'submitted' THEN 3 WHEN 'stage_closed' THEN 4 ELSE 5 END`,
	"verdict":   "c.verdict",
	"published": "c.published",
}

// caseOrder is the ORDER BY of a case list: the column asked for, ties
// broken on id in the same direction; without one, the newest first.
func caseOrder(sort string, desc bool) (string, error) {
	if sort == "" {
		return "c.id DESC", nil
	}
	col, ok := caseSortColumns[sort]
	if !ok {
		return "", ducha.FieldError("sort", "不能按“%s”排序", sort)
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return col + dir + ", c.id" + dir, nil
}

// FindCaseAreas lists the areas of the cases the user may see, in order.
func (db *DB) FindCaseAreas(ctx context.Context) ([]string, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := caseScopeOf(u)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT DISTINCT c.area FROM cases c WHERE c.area <> ''`+scope+` ORDER BY c.area`, args...)
	if err != nil {
		return nil, fmt.Errorf("find case areas: %w", err)
	}
	defer rows.Close()
	areas := []string{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		areas = append(areas, a)
	}
	return areas, rows.Err()
}

// ActOnCase runs one case action: the rules are ducha.ApplyCaseAction's.
func (db *DB) ActOnCase(ctx context.Context, id int64, in ducha.CaseAction) (*ducha.Case, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := tx.actOnCase(ctx, u, id, in)
	if err != nil {
		return nil, err
	}
	return c, tx.commit(ctx)
}

// CaseActionItem is one action of ActOnCases.
type CaseActionItem struct {
	ID int64
	In ducha.CaseAction
}

// ActOnCases runs many case actions of one user in one transaction, all or
// nothing (bulk work: the demo, scripted hand-overs). An action whose
// Version is 0 acts on the case as it is.
func (db *DB) ActOnCases(ctx context.Context, items []CaseActionItem) error {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, it := range items {
		if _, err := tx.actOnCase(ctx, u, it.ID, it.In); err != nil {
			return fmt.Errorf("case %d %s: %w", it.ID, it.In.Action, err)
		}
	}
	return tx.commit(ctx)
}

func (tx *Tx) actOnCase(ctx context.Context, u *ducha.User, id int64, in ducha.CaseAction) (*ducha.Case, error) {
	before, err := tx.findCase(ctx, `c.id = ?`, id)
	if err != nil {
		return nil, err
	}
	// Without a version the action is guarded by its state rules alone
	// (SPEC section 6); a stale version, when given, is a conflict.
	if in.Version != 0 && before.Version != in.Version {
		return nil, ducha.Conflict()
	}
	for _, ref := range in.Units {
		unit, err := tx.resolveUnit(ctx, "units", ref)
		if err != nil {
			return nil, err
		}
		in.UnitIDs, in.UnitNames = append(in.UnitIDs, unit.ID), append(in.UnitNames, unit.Name)
	}
	if in.Unit != "" {
		unit, err := tx.resolveUnit(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		in.UnitID = unit.ID
	}
	if in.Action == ducha.CaseActAssign {
		in.DefaultDeadline = before.ForwardedDate.AddDays(10)
		if camp, err := tx.currentCampaign(ctx); err == nil {
			in.DefaultDeadline = camp.Deadline(before.ForwardedDate)
		}
	}
	if in.Action == ducha.CaseActSubmit {
		rules, err := tx.campaignRules(ctx)
		if err != nil {
			return nil, err
		}
		in.HeadSignoff = rules.of(before.CampaignID).rules.HeadSignoff
	}
	c := *before
	if err := ducha.ApplyCaseAction(&c, in, u, tx.now); err != nil {
		return nil, err
	}
	if err := tx.saveCase(ctx, before, &c, in.Action, strings.TrimSpace(in.Reason)); err != nil {
		return nil, err
	}
	if err := tx.notifyCase(ctx, before, &c, in.Action); err != nil {
		return nil, err
	}
	return &c, nil
}

// saveCase writes c if its version is still before's, with its parts, its
// measures, its state history and the event.
func (tx *Tx) saveCase(ctx context.Context, before, c *ducha.Case, action, note string) error {
	c.Version, c.UpdatedAt = before.Version+1, tx.now
	res, err := tx.exec(ctx, `UPDATE cases SET deadline = ?, status = ?, findings = ?, verdict = ?, handling = ?,
		accountability = ?, published = ?, return_reason = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		nullString(string(c.Deadline)), string(c.Status), c.Findings, c.Verdict, c.Handling, c.Accountability,
		boolInt(c.Published), c.ReturnReason, c.Version, ducha.FormatTime(tx.now), c.ID, before.Version)
	if err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ducha.Conflict()
	}
	if _, err := tx.exec(ctx, `DELETE FROM case_units WHERE case_id = ?`, c.ID); err != nil {
		return err
	}
	for i, p := range c.Parts {
		if _, err := tx.exec(ctx, `INSERT INTO case_units (case_id, unit_id, pos, signed_at, signed_by, submitted_at,
			findings, verdict, handling, accountability, awaiting_signoff, signed_off_by, signed_off_at, return_reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, p.UnitID, i, nullTime(p.SignedAt), p.SignedBy, nullTime(p.SubmittedAt),
			p.Findings, p.Verdict, p.Handling, p.Accountable, boolInt(p.AwaitingSignoff), p.SignedOffBy, nullTime(p.SignedOffAt), p.ReturnReason); err != nil {
			return fmt.Errorf("case units: %w", err)
		}
	}
	if err := tx.saveMeasures(ctx, before, c); err != nil {
		return err
	}
	// The units' initials are among the case's search tokens.
	if !slices.Equal(before.Units, c.Units) {
		tx.queueSearch(caseSearch, c.ID, caseTokens(c), true)
	}
	if before.Status != c.Status || before.Verdict != c.Verdict || before.Published != c.Published || before.Deadline != c.Deadline {
		if err := tx.addCaseState(ctx, c); err != nil {
			return err
		}
	}
	b, a := ducha.Diff(before, c)
	return tx.appendEvent(ctx, "case", c.ID, action, note, b, a)
}

// saveMeasures removes the measures no longer in c (kept on record with
// removed_at) and adds the new ones, each with its enterprise.
func (tx *Tx) saveMeasures(ctx context.Context, before, c *ducha.Case) error {
	kept := map[int64]bool{}
	for _, m := range c.Measures {
		if m.ID != 0 {
			kept[m.ID] = true
		}
	}
	for _, m := range before.Measures {
		if !kept[m.ID] {
			if _, err := tx.exec(ctx, `UPDATE measures SET removed_at = ? WHERE id = ?`, ducha.FormatTime(tx.now), m.ID); err != nil {
				return err
			}
		}
	}
	for i := range c.Measures {
		if c.Measures[i].ID == 0 {
			if err := tx.insertMeasure(ctx, c, &c.Measures[i], tx.now); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertMeasure adds one measure of c, with its enterprise, in force from
// at (now, or the date of the results a batch table brings in).
func (tx *Tx) insertMeasure(ctx context.Context, c *ducha.Case, m *ducha.Measure, at time.Time) error {
	var ent sql.NullInt64
	if m.Enterprise != "" || m.EnterpriseID != 0 {
		id, name, err := tx.enterprise(ctx, m.EnterpriseID, m.Enterprise)
		if err != nil {
			return err
		}
		m.EnterpriseID, m.Enterprise, ent = id, name, sql.NullInt64{Int64: id, Valid: true}
	}
	id, err := tx.insert(ctx, `INSERT INTO measures (case_id, unit_id, kind, enterprise_id, persons, fine_fen, date, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, sql.NullInt64{Int64: m.UnitID, Valid: m.UnitID != 0}, m.Kind, ent,
		m.Persons, int64(m.FineYuan), string(m.Date), ducha.FormatTime(at))
	if err != nil {
		return fmt.Errorf("add measure: %w", err)
	}
	m.ID, m.CaseID = id, c.ID
	return nil
}

// enterprise finds an enterprise by id or name, registering a new name.
// A unit-scoped user may name by id only an enterprise of its own unit's
// work; any other id answers like a missing one.
func (tx *Tx) enterprise(ctx context.Context, id int64, name string) (int64, string, error) {
	if id != 0 {
		cond, args := "", []any{id}
		if tx.user != nil && tx.user.Role.UnitScoped() {
			mscope, margs := caseScopeOn(tx.user, "m.case_id")
			pscope, pargs := scopeOf(tx.user)
			cond = ` AND (e.id IN (SELECT m.enterprise_id FROM measures m WHERE 1 = 1` + mscope + `)
				OR e.name IN (SELECT p.subject FROM problems p WHERE 1 = 1` + pscope + `))`
			args = append(append(args, margs...), pargs...)
		}
		err := tx.queryRow(ctx, `SELECT e.name FROM enterprises e WHERE e.id = ?`+cond, args...).Scan(&name)
		if err == sql.ErrNoRows {
			return 0, "", ducha.FieldError("measures", "企业%d不存在", id)
		}
		return id, name, err
	}
	name = text.Clean(name)
	err := tx.queryRow(ctx, `SELECT id FROM enterprises WHERE name = ?`, name).Scan(&id)
	if err == sql.ErrNoRows {
		id, err = tx.insert(ctx, `INSERT INTO enterprises (name, created_at) VALUES (?, ?)`, name, ducha.FormatTime(tx.now))
		if err == nil {
			err = tx.appendEvent(ctx, "enterprise", id, "create", name, nil, nil)
		}
	}
	return id, name, err
}

// addCaseState closes the case's current state and opens the new one, now.
func (tx *Tx) addCaseState(ctx context.Context, c *ducha.Case) error {
	return tx.addCaseStateAt(ctx, c, tx.now, time.Time{})
}

// addCaseStateAt closes the case's current state at from and opens the new
// one there. known is when the case became known; zero keeps the current
// state's (a case brought in with a past batch is known from its date, not
// from its import), or else takes the case's creation.
func (tx *Tx) addCaseStateAt(ctx context.Context, c *ducha.Case, from, known time.Time) error {
	at := ducha.FormatTime(from)
	knownAt := ducha.FormatTime(c.CreatedAt)
	if !known.IsZero() {
		knownAt = ducha.FormatTime(known)
	} else {
		var k string
		err := tx.queryRow(ctx, `SELECT known_at FROM case_states WHERE case_id = ? AND valid_to IS NULL`, c.ID).Scan(&k)
		if err == nil && k != "" {
			knownAt = k
		} else if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("case state: %w", err)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE case_states SET valid_to = ? WHERE case_id = ? AND valid_to IS NULL`, at, c.ID); err != nil {
		return fmt.Errorf("case state: %w", err)
	}
	_, err := tx.exec(ctx, `INSERT INTO case_states (case_id, valid_from, status, verdict, published,
		known_at, forwarded_date, batch, area, channel, key_flag, types, is_duplicate, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, at, string(c.Status), c.Verdict, boolInt(c.Published),
		knownAt, string(c.ForwardedDate), c.Batch, c.Area, c.Channel, boolInt(c.Key), strings.Join(c.Types, ","),
		boolInt(c.DuplicateOf != nil), nullString(string(c.Deadline)))
	return err
}

// FindPublishedBatches lists the batches with a published case, the
// newest first, for the public disclosure's landing page: it needs no
// user, and counts nothing but published cases.
func (db *DB) FindPublishedBatches(ctx context.Context) ([]ducha.PublishedBatch, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT c.batch, COALESCE(min(c.forwarded_date), ''), count(*) FROM cases c
		WHERE c.published = 1 GROUP BY c.batch ORDER BY c.batch DESC`)
	if err != nil {
		return nil, fmt.Errorf("published batches: %w", err)
	}
	defer rows.Close()
	out := []ducha.PublishedBatch{}
	for rows.Next() {
		var b ducha.PublishedBatch
		var date string
		if err := rows.Scan(&b.Number, &date, &b.Published); err != nil {
			return nil, err
		}
		b.Date = ducha.Date(date)
		out = append(out, b)
	}
	return out, rows.Err()
}

// FindPublishedCases returns the published cases of a batch, for the public
// disclosure page: it needs no user, and it reads nothing but cases that
// the coordinator has published. Callers mask personal data before showing
// them (sheets.Disclosure).
func (db *DB) FindPublishedCases(ctx context.Context, batch int) ([]*ducha.Case, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.batch = ? AND c.published = 1 ORDER BY c.id`, batch)
	if err != nil {
		return nil, fmt.Errorf("published cases: %w", err)
	}
	cs := []*ducha.Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return cs, tx.attachCaseDetails(ctx, cs, false)
}

// applyResults puts a case brought in with a results table in the state the
// table shows, standing from at (SPEC section 4: a county that starts using
// ducha in the middle of an inspection brings its batches in as kept). It
// returns notes on what it could not do. The rules:
//   - the 责任单位/承办单位 that are on the unit list get the case; a name
//     that is not is noted and left out;
//   - 已办结 and 阶段性办结 close the case so; 未办结 (正在办理, 办理中)
//     leaves it 办理中, or 已受理 when no unit has it;
//   - without a 是否办结, a case with an answer (findings, verdict or
//     handling) stands 待审核, for the coordinator to accept as closed or
//     stage-closed; without an answer it is assigned, or received;
//   - the units of a case past assignment signed at at, and those of an
//     answered case submitted then; one unit's part is the whole answer.
func (tx *Tx) applyResults(ctx context.Context, c *ducha.Case, r *ducha.CaseResults, camp *ducha.Campaign, at time.Time) ([]string, error) {
	var notes []string
	for _, name := range r.Units {
		u, found, err := tx.unitByName(ctx, name)
		if err != nil {
			return nil, err
		}
		if !found {
			notes = append(notes, fmt.Sprintf("承办单位“%s”不在单位名单中，未分派给该单位", name))
			continue
		}
		if c.InUnit(u.ID) {
			continue
		}
		c.Parts = append(c.Parts, ducha.CaseUnit{UnitID: u.ID, Unit: u.Name})
		c.Units = append(c.Units, u.Name)
	}
	answered := c.Findings != "" || c.Verdict != "" || c.Handling != ""
	switch {
	case r.Status == ducha.CaseClosed || r.Status == ducha.CaseStageClosed:
		c.Status = r.Status
	case r.Status == ducha.CaseInvestigating:
		if len(c.Parts) > 0 {
			c.Status = ducha.CaseInvestigating
		}
	case answered:
		c.Status = ducha.CaseSubmitted
	case len(c.Parts) > 0:
		c.Status = ducha.CaseAssigned
	}
	t := at.UTC()
	signed := c.Status != ducha.CaseReceived && c.Status != ducha.CaseAssigned
	submitted := signed && c.Status != ducha.CaseInvestigating
	for i := range c.Parts {
		p := &c.Parts[i]
		if signed {
			p.SignedAt, p.SignedBy = &t, tx.user.Username
		}
		if submitted {
			p.SubmittedAt = &t
		}
		if len(c.Parts) == 1 {
			p.Findings, p.Verdict, p.Handling, p.Accountable = c.Findings, c.Verdict, c.Handling, c.Accountability
		}
	}
	if len(c.Parts) > 0 {
		c.Deadline = c.ForwardedDate.AddDays(10)
		if camp != nil {
			c.Deadline = camp.Deadline(c.ForwardedDate)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE cases SET status = ?, verdict = ?, deadline = ? WHERE id = ?`,
		string(c.Status), c.Verdict, nullString(string(c.Deadline)), c.ID); err != nil {
		return nil, fmt.Errorf("case results: %w", err)
	}
	for i, p := range c.Parts {
		if _, err := tx.exec(ctx, `INSERT INTO case_units (case_id, unit_id, pos, signed_at, signed_by, submitted_at,
			findings, verdict, handling, accountability) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, p.UnitID, i, nullTime(p.SignedAt), p.SignedBy, nullTime(p.SubmittedAt),
			p.Findings, p.Verdict, p.Handling, p.Accountable); err != nil {
			return nil, fmt.Errorf("case units: %w", err)
		}
	}
	if c.Status != ducha.CaseReceived || c.Verdict != "" {
		if err := tx.addCaseStateAt(ctx, c, at, time.Time{}); err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// unitByName finds a unit as a results table names it: its name, or its
// name written with 人民政府 (永清镇人民政府 is 永清镇); found is false when
// none is.
func (tx *Tx) unitByName(ctx context.Context, name string) (u ducha.Unit, found bool, err error) {
	name = strings.ReplaceAll(text.Clean(name), " ", "")
	for _, n := range []string{name, strings.TrimSuffix(name, "人民政府"), strings.TrimSuffix(name, "政府")} {
		err := tx.queryRow(ctx, `SELECT id, name FROM units WHERE name = ?`, n).Scan(&u.ID, &u.Name)
		if err == nil {
			return u, true, nil
		} else if err != sql.ErrNoRows {
			return u, false, fmt.Errorf("unit %s: %w", n, err)
		}
	}
	return u, false, nil
}

// storeProposals stores the complete proposals among items as measures of
// c, in force from at and dated by at's day, and marks each item Stored or
// says its Problem (an enterprise kind whose text names no enterprise).
func (tx *Tx) storeProposals(ctx context.Context, c *ducha.Case, items []ducha.ProposedMeasure, at time.Time) (int, error) {
	var unit int64
	if len(c.Parts) > 0 {
		unit = c.Parts[0].UnitID
	}
	n := 0
	for i := range items {
		m := items[i].Measure
		m.ID, m.CaseID, m.UnitID, m.Date = 0, c.ID, unit, ducha.Today(at)
		if err := m.Validate(); err != nil {
			items[i].Problem = ducha.ErrorMessage(err)
			continue
		}
		if err := tx.insertMeasure(ctx, c, &m, at); err != nil {
			return n, err
		}
		items[i].Measure, items[i].Stored = m, true
		c.Measures = append(c.Measures, m)
		n++
	}
	return n, nil
}
