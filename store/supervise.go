package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ducha"
)

// maxPassChunk bounds what one write transaction of a pass issues or
// closes: a pass over a county's whole backlog must not hold the writer
// (SQLite) or the chain head (PostgreSQL) for long. 100 notices are about
// 30 ms of the writer at 1,000,000 problems (each is decided again, numbered,
// inserted with its event and its outbox message), so an API write waits
// at most that long behind the pass (BENCHMARKS.md).
const maxPassChunk = 100

// Supervise runs one escalation pass as of the end of day asOf (today when
// ""): it issues the notices the rules call for and closes the open
// notices of items closed since (a problem 销号, a case accepted as
// 阶段性办结 or 已办结). The coordinator or an administrator runs it, or
// the system account for the CLI and the server's scheduler.
//
// The decision is made from one read snapshot, outside any write
// transaction: the candidates are the open problems and cases overdue on
// asOf and every item with a notice still open, each judged by the rules
// and calendar of its own campaign (an item of no campaign, or of one
// gone, by the latest campaign's; the defaults when there is none). Then
// short write transactions of at most maxPassChunk notices each write it,
// checking again under the notice writers' lock (store/notice.go) that
// the item is still open, has no notice of that level or higher, and
// whose unit it is now. What another pass or instance issued meanwhile is
// skipped, so a notice is issued once, whoever runs the pass and however
// often; the unique key on (item_kind, item_id, kind) makes sure of it.
//
// issued are the notices this pass wrote, closed how many it closed. On
// an error the chunks already written stay, and are returned with it.
func (db *DB) Supervise(ctx context.Context, asOf ducha.Date) (issued []*ducha.Notice, closed int, err error) {
	return db.supervise(ctx, asOf, true)
}

// SuperviseQuick is the pass the server runs every few minutes: Supervise
// without the sweep for open notices of closed items. An item closes its
// notices in its own closing transaction (closeItemNotices); the sweep
// only catches those closed before that was so, or by a path that did
// not, and costs a read of every item with an open notice (at 1,000,000
// problems, most of a pass). The server sweeps at start and on each new day.
func (db *DB) SuperviseQuick(ctx context.Context, asOf ducha.Date) (issued []*ducha.Notice, closed int, err error) {
	return db.supervise(ctx, asOf, false)
}

func (db *DB) supervise(ctx context.Context, asOf ducha.Date, sweep bool) (issued []*ducha.Notice, closed int, err error) {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return nil, 0, err
	}
	if asOf == "" {
		asOf = ducha.Today(db.opts.Now())
	}
	if d, err := ducha.ParseDateISO(string(asOf)); err != nil || d != asOf {
		return nil, 0, ducha.FieldError("date", "日期格式应为 YYYY-MM-DD，收到“%s”", asOf)
	}
	// A past day is a pass catching up: judged as of that day, issued
	// (numbered, due) today, so no unit is handed a notice already late.
	// The commands refuse a day to come (it would issue notices no item
	// has earned yet, and each level is issued once); tests run the store
	// ahead of its clock.
	issueOn := max(asOf, ducha.Today(db.opts.Now()))
	if _, err := db.EndPublicity(ctx, asOf); err != nil {
		return nil, 0, fmt.Errorf("supervise: %w", err)
	}
	plan, err := db.planPass(ctx, asOf, issueOn, sweep)
	if err != nil {
		return nil, 0, fmt.Errorf("supervise: %w", err)
	}
	if db.afterPlan != nil {
		db.afterPlan()
	}
	ops := make([]passOp, 0, len(plan.close)+len(plan.issue))
	for _, id := range plan.close {
		ops = append(ops, passOp{closeID: id})
	}
	for i := range plan.issue {
		ops = append(ops, passOp{draft: &plan.issue[i]})
	}
	issued = []*ducha.Notice{}
	for len(ops) > 0 {
		n := min(len(ops), maxPassChunk)
		got, k, err := db.writePass(ctx, asOf, issueOn, ops[:n])
		if err != nil {
			return issued, closed, fmt.Errorf("supervise: %w", err)
		}
		issued, closed = append(issued, got...), closed+k
		ops = ops[n:]
	}
	return issued, closed, nil
}

// EndPublicity closes (销号) every problem whose public notice ended on or
// before asOf, and before today, with no objection, each in its own transaction with its
// event; it answers how many it closed. The escalation pass runs it, so a
// notice ends by itself; running it again closes nothing more.
func (db *DB) EndPublicity(ctx context.Context, asOf ducha.Date) (int, error) {
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return 0, err
	}
	if asOf == "" {
		asOf = ducha.Today(db.opts.Now())
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	ids, err := tx.queryIDs(ctx, `SELECT id FROM problems WHERE status = 'publicity' ORDER BY id`)
	tx.Rollback()
	if err != nil {
		return 0, fmt.Errorf("end publicity: %w", err)
	}
	n := 0
	for _, id := range ids {
		ended := false
		_, err := db.changeProblem(ctx, id, 0, func(tx *Tx, p *ducha.Problem) (string, string, error) {
			// Over at the end of its last day: as of the end of asOf, and
			// never while its last day is still today (objections are
			// taken all day).
			if !ducha.EndPublicity(p, min(asOf.AddDays(1), tx.today()), tx.now) {
				return "", "", errNothingToDo
			}
			ended = true
			pb := p.Closure.Publicity
			return ducha.ActEndPublicity, fmt.Sprintf("销号公示期满（%s至%s，%s）无异议，已销号", pb.From, pb.To, pb.Span()), nil
		})
		if err == errNothingToDo || ducha.ErrorCode(err) == ducha.ENOTFOUND {
			continue
		} else if err != nil {
			return n, fmt.Errorf("end publicity of problem %d: %w", id, err)
		}
		if ended {
			n++
		}
	}
	return n, nil
}

// errNothingToDo ends a change that finds nothing to change.
var errNothingToDo = errors.New("nothing to do")

// passPlan is what Escalate decided.
type passPlan struct {
	issue []ducha.NoticeDraft
	close []int64
}

// passOp is one write of a pass: a draft to issue, or a notice to close.
type passOp struct {
	draft   *ducha.NoticeDraft
	closeID int64
}

// planPass reads the candidates in one snapshot and runs Escalate on them,
// one campaign's items at a time.
func (db *DB) planPass(ctx context.Context, asOf, issueOn ducha.Date, sweep bool) (passPlan, error) {
	var plan passPlan
	tx, err := db.beginRead(ctx)
	if err != nil {
		return plan, err
	}
	defer tx.Rollback()
	rules, err := tx.campaignRules(ctx)
	if err != nil {
		return plan, err
	}
	items, err := tx.passCandidates(ctx, asOf, sweep)
	if err != nil {
		return plan, err
	}
	notices, err := tx.passNotices(ctx, items)
	if err != nil {
		return plan, err
	}
	groups := map[int64][]ducha.SupervisedItem{}
	groupOf := map[itemKey]int64{}
	for _, it := range items {
		if !it.Closed && it.UnitID == 0 {
			continue // no unit to address a notice to
		}
		g := rules.key(it.campaignID)
		groups[g] = append(groups[g], it.SupervisedItem)
		groupOf[itemKey{it.Kind, it.ID}] = g
	}
	byGroup := map[int64][]ducha.ExistingNotice{}
	for _, n := range notices {
		if g, ok := groupOf[itemKey{n.ItemKind, n.ItemID}]; ok {
			byGroup[g] = append(byGroup[g], n)
		}
	}
	keys := make([]int64, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	slices.Sort(keys)
	for _, g := range keys {
		rs := rules.set(g)
		issue, close := ducha.EscalateOn(asOf, issueOn, rs.rules, rs.cal, groups[g], byGroup[g])
		plan.issue = append(plan.issue, issue...)
		plan.close = append(plan.close, close...)
	}
	slices.SortFunc(plan.issue, func(a, b ducha.NoticeDraft) int {
		return cmp.Or(cmp.Compare(a.ItemKind, b.ItemKind), cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.Kind.Level(), b.Kind.Level()))
	})
	slices.Sort(plan.close)
	return plan, nil
}

// writePass writes one chunk of a pass in one transaction.
func (db *DB) writePass(ctx context.Context, asOf, issueOn ducha.Date, ops []passOp) ([]*ducha.Notice, int, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if err := tx.loadChain(ctx); err != nil { // the notice writers' lock (store/notice.go)
		return nil, 0, err
	}
	rules, err := tx.campaignRules(ctx)
	if err != nil {
		return nil, 0, err
	}
	now, err := tx.chunkState(ctx, ops)
	if err != nil {
		return nil, 0, err
	}
	var issued []*ducha.Notice
	closed := 0
	for _, op := range ops {
		if op.draft == nil {
			ok, err := tx.closeWithItem(ctx, op.closeID)
			if err != nil {
				return nil, 0, err
			}
			if ok {
				closed++
			}
			continue
		}
		n, err := tx.issueDraft(ctx, op.draft, asOf, issueOn, rules, now)
		if err != nil {
			return nil, 0, err
		}
		if n != nil {
			issued = append(issued, n)
		}
	}
	if err := tx.commit(ctx); err != nil {
		return nil, 0, err
	}
	return issued, closed, nil
}

// issueDraft writes one notice the rules call for, if they still call for
// it: the decision is made again for the item alone, as it is now and
// with its notices now, under the notice writers' lock, so that what
// changed since the plan was read counts (the item closed, its deadline
// extended, its unit changed, a notice issued meanwhile by another pass,
// instance or person). The notice goes to the item's unit as it is now,
// with the text and due date of the new decision. It returns nil when it
// issued nothing.
func (tx *Tx) issueDraft(ctx context.Context, d *ducha.NoticeDraft, asOf, issueOn ducha.Date, rules campaignRuleSets, now *chunkState) (*ducha.Notice, error) {
	key := itemKey{d.ItemKind, d.ItemID}
	it, found := now.items[key]
	if !found || it.Closed || it.UnitID == 0 {
		return nil, nil
	}
	have := now.notices[key]
	rs := rules.of(it.campaignID)
	issue, _ := ducha.EscalateOn(asOf, issueOn, rs.rules, rs.cal, []ducha.SupervisedItem{it.SupervisedItem}, have)
	i := slices.IndexFunc(issue, func(x ducha.NoticeDraft) bool { return x.Kind == d.Kind })
	if i < 0 {
		return nil, nil
	}
	dn := issue[i]
	n := &ducha.Notice{Kind: dn.Kind, UnitID: it.UnitID, Unit: it.unit, Text: dn.Text, Reason: dn.Reason,
		IssuedAt: tx.now, IssuedBy: ducha.NoticeByRules, IssuedOn: issueOn, Due: dn.Due, Status: ducha.NoticeIssued, Version: 1}
	if d.ItemKind == ducha.ItemCase {
		n.CaseID = d.ItemID
	} else {
		n.ProblemID = d.ItemID
	}
	inserted, err := tx.insertNotice(ctx, n, sql.NullInt64{})
	if err != nil || !inserted {
		return nil, err
	}
	now.notices[key] = append(now.notices[key], ducha.ExistingNotice{ID: n.ID, ItemKind: d.ItemKind, ItemID: d.ItemID,
		Kind: n.Kind, Status: n.Status, Due: n.Due})
	return n, nil
}

// chunkState is what a chunk of a pass decides on again, read under the
// notice writers' lock in two queries per kind of item rather than two
// per draft: the items as they are now and their notices. issueDraft adds
// the notices it issues, so a second draft of one item sees the first.
type chunkState struct {
	items   map[itemKey]passItem
	notices map[itemKey][]ducha.ExistingNotice
}

func (tx *Tx) chunkState(ctx context.Context, ops []passOp) (*chunkState, error) {
	st := &chunkState{items: map[itemKey]passItem{}, notices: map[itemKey][]ducha.ExistingNotice{}}
	ids := map[string][]int64{}
	for _, op := range ops {
		if d := op.draft; d != nil && !slices.Contains(ids[d.ItemKind], d.ItemID) {
			ids[d.ItemKind] = append(ids[d.ItemKind], d.ItemID)
		}
	}
	var items []passItem
	for _, kind := range []string{ducha.ItemProblem, ducha.ItemCase} {
		if len(ids[kind]) == 0 {
			continue
		}
		list, _ := json.Marshal(ids[kind])
		q := problemItems + `p.id IN (` + tx.db.dialect.idList() + `)`
		if kind == ducha.ItemCase {
			q = caseItems(`c.id IN (` + tx.db.dialect.idList() + `)`)
		}
		got, err := tx.loadItems(ctx, kind, q, string(list))
		if err != nil {
			return nil, err
		}
		items = append(items, got...)
	}
	for _, it := range items {
		st.items[itemKey{it.Kind, it.ID}] = it
	}
	notices, err := tx.passNotices(ctx, items)
	if err != nil {
		return nil, err
	}
	for _, n := range notices {
		k := itemKey{n.ItemKind, n.ItemID}
		st.notices[k] = append(st.notices[k], n)
	}
	return st, nil
}

// closeWithItem closes an open notice whose item is closed, for the pass;
// false when it is closed already or its item is open again.
func (tx *Tx) closeWithItem(ctx context.Context, id int64) (bool, error) {
	before, err := tx.findNoticeIn(ctx, id, "", nil)
	if ducha.ErrorCode(err) == ducha.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if before.Status == ducha.NoticeClosed {
		return false, nil
	}
	kind, item := before.Item()
	it, found, err := tx.supervisedItem(ctx, kind, item)
	if err != nil || !found || !it.Closed {
		return false, err
	}
	note := "问题已销号，督办单随之关闭"
	if kind == ducha.ItemCase {
		note = "交办件已办结，督办单随之关闭"
	}
	n := *before
	t := tx.now
	n.Status, n.ClosedAt, n.ClosedBy, n.CloseNote = ducha.NoticeClosed, &t, "", note
	if err := tx.saveNotice(ctx, before, &n, sql.NullInt64{}, "close", note); err != nil {
		return false, err
	}
	return true, nil
}

// itemKey names a problem or a case.
type itemKey struct {
	kind string
	id   int64
}

// passItem is a supervised item with what the store needs besides.
type passItem struct {
	ducha.SupervisedItem
	campaignID int64  // 0: none
	unit       string // the unit's name
}

// problemItems reads problems as supervised items: the lead unit is the
// notice's.
const problemItems = `SELECT p.id, p.code, p.description, COALESCE(p.lead_unit_id, 0), COALESCE(u.name, ''),
	COALESCE(p.deadline, ''), p.status, COALESCE(p.campaign_id, 0), COALESCE(p.behind_from, '')
	FROM problems p LEFT JOIN units u ON u.id = p.lead_unit_id WHERE `

// caseItems reads the cases that meet cond (on cases c) as supervised
// items: the first unit the case was assigned to is the notice's.
func caseItems(cond string) string {
	return `SELECT x.id, x.acceptance_no, x.text, x.unit_id, COALESCE(u.name, ''), x.deadline, x.status, x.campaign_id, ''
	FROM (SELECT c.id, c.acceptance_no, c.text,
			COALESCE((SELECT cu.unit_id FROM case_units cu WHERE cu.case_id = c.id ORDER BY cu.pos, cu.unit_id LIMIT 1), 0) AS unit_id,
			COALESCE(c.deadline, '') AS deadline, c.status, COALESCE(c.campaign_id, 0) AS campaign_id
		FROM cases c WHERE ` + cond + `) x
	LEFT JOIN units u ON u.id = x.unit_id`
}

// openNoticeItems is the condition on an item id column that the item has
// a notice still open.
const openNoticeItems = ` IN (SELECT item_id FROM notices WHERE item_kind = ? AND status IN ('issued', 'signed', 'answered'))`

// openUnlisted is the condition on an item id column that the item has a
// notice still open and no 挂牌督办.
const openUnlisted = ` IN (SELECT n.item_id FROM notices n WHERE n.item_kind = ? AND n.status IN ('issued', 'signed', 'answered')
	AND NOT EXISTS (SELECT 1 FROM notices l WHERE l.item_kind = n.item_kind AND l.item_id = n.item_id AND l.kind = 'listed'))`

// notListed is the condition that the item in column col (its kind the
// next argument) has no 挂牌督办 yet. An open item that has one is settled:
// no level is above it, so Escalate could issue it nothing, and only its
// closing closes its notices. Leaving settled items out keeps a county's
// daily pass to the items still climbing (1,000,000 problems, the day
// after the backlog was issued: 3.5 s → see BENCHMARKS.md).
func notListed(col string) string {
	return ` AND NOT EXISTS (SELECT 1 FROM notices l WHERE l.item_kind = ? AND l.item_id = ` + col + ` AND l.kind = 'listed')`
}

// orNotListed closes "(closed OR" with the notListed condition.
func orNotListed(col string) string {
	return ` OR NOT EXISTS (SELECT 1 FROM notices l WHERE l.item_kind = ? AND l.item_id = ` + col + ` AND l.kind = 'listed'))`
}

// passCandidates reads the items a pass judges: the open problems and
// cases overdue on asOf, and every item with a notice still open (to
// escalate one left unanswered, or close those of an item closed since),
// less the open items already under 挂牌督办 (notListed).
func (tx *Tx) passCandidates(ctx context.Context, asOf ducha.Date, sweep bool) ([]passItem, error) {
	closed := string(ducha.StatusClosed)
	caseClosed, caseStage := string(ducha.CaseClosed), string(ducha.CaseStageClosed)
	// An item the unit has handed in waits for the coordinator (a problem
	// to verify, a case to review): its days past the deadline are not the
	// unit's to answer for. It is judged again if it is returned.
	// So does a problem in public notice: its rectification is accepted.
	waiting, caseWaiting := string(ducha.StatusPendingVerification), string(ducha.CaseSubmitted)
	publicity := string(ducha.StatusPublicity)
	var out []passItem
	seen := map[itemKey]bool{}
	type query struct {
		kind, query string
		args        []any
	}
	// The items with an open notice: with the sweep, every one (an item
	// closed since closes its notices); without, only those not yet
	// listed, from the notices alone (an open item under 挂牌督办 is
	// settled, and a closed one closed its notices itself).
	problemsOpen := query{ducha.ItemProblem, problemItems + `p.id` + openUnlisted, []any{ducha.ItemProblem}}
	casesOpen := query{ducha.ItemCase, caseItems(`c.id` + openUnlisted), []any{ducha.ItemCase}}
	if sweep {
		problemsOpen = query{ducha.ItemProblem, problemItems + `p.id` + openNoticeItems + ` AND (p.status = ?` + orNotListed("p.id"), []any{ducha.ItemProblem, closed, ducha.ItemProblem}}
		casesOpen = query{ducha.ItemCase, caseItems(`c.id` + openNoticeItems + ` AND (c.status IN (?, ?)` + orNotListed("c.id")), []any{ducha.ItemCase, caseStage, caseClosed, ducha.ItemCase}}
	}
	for _, q := range []query{
		{ducha.ItemProblem, problemItems + `p.status NOT IN (?, ?, ?) AND p.deadline < ?` + notListed("p.id"), []any{closed, waiting, publicity, string(asOf), ducha.ItemProblem}},
		// 未达到序时进度 calls for a 催办 too (problems_behind).
		{ducha.ItemProblem, problemItems + `p.status = 'in_progress' AND p.behind_from IS NOT NULL AND p.behind_from <= ?` + notListed("p.id"), []any{string(asOf), ducha.ItemProblem}},
		problemsOpen,
		{ducha.ItemCase, caseItems(`c.status NOT IN (?, ?, ?) AND c.deadline < ?` + notListed("c.id")), []any{caseStage, caseClosed, caseWaiting, string(asOf), ducha.ItemCase}},
		casesOpen,
	} {
		items, err := tx.loadItems(ctx, q.kind, q.query, q.args...)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if k := (itemKey{it.Kind, it.ID}); !seen[k] {
				seen[k] = true
				out = append(out, it)
			}
		}
	}
	return out, nil
}

// supervisedItem reads one problem or case as a supervised item.
func (tx *Tx) supervisedItem(ctx context.Context, kind string, id int64) (passItem, bool, error) {
	q := problemItems + `p.id = ?`
	if kind == ducha.ItemCase {
		q = caseItems(`c.id = ?`)
	}
	items, err := tx.loadItems(ctx, kind, q, id)
	if err != nil || len(items) == 0 {
		return passItem{}, false, err
	}
	return items[0], true, nil
}

// loadItems runs a problemItems or caseItems query.
func (tx *Tx) loadItems(ctx context.Context, kind, query string, args ...any) ([]passItem, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("supervised %ss: %w", kind, err)
	}
	defer rows.Close()
	var out []passItem
	for rows.Next() {
		var it passItem
		var code, text, status string
		if err := rows.Scan(&it.ID, &code, &text, &it.UnitID, &it.unit, &it.Deadline, &status, &it.campaignID, &it.BehindFrom); err != nil {
			return nil, fmt.Errorf("supervised %ss: %w", kind, err)
		}
		it.Kind, it.Title = kind, itemTitle(code, text)
		if kind == ducha.ItemCase {
			it.Closed = status == string(ducha.CaseClosed) || status == string(ducha.CaseStageClosed)
		} else {
			it.Closed = status == string(ducha.StatusClosed)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// itemTitle is how a notice names its item: the code (or acceptance
// number) and the first 20 characters of its description.
func itemTitle(code, text string) string {
	s := strings.Join(strings.Fields(text), " ")
	if r := []rune(s); len(r) > 20 {
		s = string(r[:20]) + "…"
	}
	if s == "" {
		return code
	}
	return code + "（" + s + "）"
}

// passNotices reads every notice of the items, whatever its status.
func (tx *Tx) passNotices(ctx context.Context, items []passItem) ([]ducha.ExistingNotice, error) {
	ids := map[string][]int64{}
	for _, it := range items {
		ids[it.Kind] = append(ids[it.Kind], it.ID)
	}
	var out []ducha.ExistingNotice
	for _, kind := range []string{ducha.ItemProblem, ducha.ItemCase} {
		if len(ids[kind]) == 0 {
			continue
		}
		list, _ := json.Marshal(ids[kind])
		rows, err := tx.query(ctx, `SELECT id, item_kind, item_id, kind, status, due FROM notices
			WHERE item_kind = ? AND item_id IN (`+tx.db.dialect.idList()+`) ORDER BY id`, kind, string(list))
		if err != nil {
			return nil, fmt.Errorf("notices of items: %w", err)
		}
		for rows.Next() {
			var n ducha.ExistingNotice
			if err := rows.Scan(&n.ID, &n.ItemKind, &n.ItemID, &n.Kind, &n.Status, &n.Due); err != nil {
				rows.Close()
				return nil, fmt.Errorf("notices of items: %w", err)
			}
			out = append(out, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("notices of items: %w", err)
		}
	}
	return out, nil
}

// ruleSet is one campaign's rules and working-day calendar.
type ruleSet struct {
	rules ducha.Rules
	cal   ducha.Calendar
}

// campaignRuleSets are the rules of every campaign, by id.
type campaignRuleSets struct {
	byID   map[int64]ruleSet
	latest int64 // 0 when there is no campaign
}

// key is the campaign whose rules judge an item of campaign id: its own,
// or the latest when it has none (or one not found).
func (c campaignRuleSets) key(id int64) int64 {
	if _, ok := c.byID[id]; ok {
		return id
	}
	return c.latest
}

// set is the rules of the campaign key names; the defaults for none.
func (c campaignRuleSets) set(key int64) ruleSet {
	if rs, ok := c.byID[key]; ok {
		return rs
	}
	return ruleSet{rules: ducha.DefaultRules()}
}

// of is the rules that judge an item of campaign id.
func (c campaignRuleSets) of(id int64) ruleSet { return c.set(c.key(id)) }

// campaignRules reads every campaign's rules and calendar; campaigns are few.
func (tx *Tx) campaignRules(ctx context.Context) (campaignRuleSets, error) {
	out := campaignRuleSets{byID: map[int64]ruleSet{}}
	rows, err := tx.query(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY id`)
	if err != nil {
		return out, fmt.Errorf("campaign rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return out, fmt.Errorf("campaign rules: %w", err)
		}
		out.byID[c.ID] = ruleSet{rules: c.Rules, cal: c.Calendar()}
		out.latest = c.ID
	}
	return out, rows.Err()
}
