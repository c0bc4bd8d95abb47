package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"ducha"
)

// The messages changes write to the outbox, each in the transaction of its
// change: a notice issued, a submission returned, an item handed to a
// unit. A ledger import hands over many problems at once: it writes one
// message per unit that received any, with their number (a county's
// group would drown in one a row); the inbox lists them.

// notifyNotice queues the message of a notice just issued.
func (tx *Tx) notifyNotice(ctx context.Context, n *ducha.Notice) error {
	kind, id := n.Item()
	return tx.enqueue(ctx, outboxMsg{
		event: ducha.OutboxNotice, unitID: n.UnitID, itemKind: kind, itemID: id,
		title: n.Kind.Label() + "单 " + n.No,
		body:  n.Unit + "：" + n.Text + "\n请于" + string(n.Due) + "前签收并答复。",
		link:  itemLink(kind, id),
	})
}

// notifyProblem queues the messages a change of a problem calls for: its
// return to its lead unit, or its hand-over to a new lead unit.
func (tx *Tx) notifyProblem(ctx context.Context, before, p *ducha.Problem, action string) error {
	title := itemTitle(p.Code, p.Description)
	msg := outboxMsg{unitID: p.LeadUnitID, itemKind: ducha.ItemProblem, itemID: p.ID, link: itemLink(ducha.ItemProblem, p.ID)}
	if p.Status == ducha.StatusClosed && (before == nil || before.Status != ducha.StatusClosed) {
		if err := tx.closeItemNotices(ctx, ducha.ItemProblem, p.ID); err != nil {
			return err
		}
	}
	switch {
	case p.LeadUnitID == 0:
		return nil
	case action == ducha.ActReturn:
		msg.event, msg.title = ducha.OutboxReturned, "问题整改被退回："+p.Code
		msg.body = title + "\n退回原因：" + p.ReturnReason
	case before == nil || before.LeadUnitID != p.LeadUnitID:
		msg.event, msg.title = ducha.OutboxAssigned, "新交办问题："+p.Code
		msg.body = title + "\n牵头单位：" + p.LeadUnit + "\n整改时限：" + deadlineText(p.Deadline)
		if before != nil {
			if err := tx.moveNotices(ctx, ducha.ItemProblem, p.ID, p.LeadUnitID); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	return tx.enqueue(ctx, msg)
}

// notifyCase queues the messages of a case's hand-over to its units and
// of its return, one per unit.
func (tx *Tx) notifyCase(ctx context.Context, before, c *ducha.Case, action string) error {
	title := itemTitle(c.AcceptanceNo, c.Text)
	was := map[int64]bool{}
	for _, p := range before.Parts {
		was[p.UnitID] = true
	}
	caseDone := func(st ducha.CaseStatus) bool { return st == ducha.CaseClosed || st == ducha.CaseStageClosed }
	if caseDone(c.Status) && !caseDone(before.Status) {
		if err := tx.closeItemNotices(ctx, ducha.ItemCase, c.ID); err != nil {
			return err
		}
	}
	// A case's notices go to its first unit (a joint case's lead).
	if len(c.Parts) > 0 && (len(before.Parts) == 0 || before.Parts[0].UnitID != c.Parts[0].UnitID) {
		if err := tx.moveNotices(ctx, ducha.ItemCase, c.ID, c.Parts[0].UnitID); err != nil {
			return err
		}
	}
	for _, p := range c.Parts {
		msg := outboxMsg{unitID: p.UnitID, itemKind: ducha.ItemCase, itemID: c.ID, link: itemLink(ducha.ItemCase, c.ID)}
		switch {
		case action == ducha.CaseActReturn:
			msg.event, msg.title = ducha.OutboxReturned, "信访件办理被退回："+c.AcceptanceNo
			msg.body = title + "\n退回原因：" + c.ReturnReason
		case action == ducha.CaseActAssign && !was[p.UnitID]:
			msg.event, msg.title = ducha.OutboxAssigned, "新交办信访件："+c.AcceptanceNo
			msg.body = title + "\n办理时限：" + deadlineText(c.Deadline)
		default:
			continue
		}
		if err := tx.enqueue(ctx, msg); err != nil {
			return err
		}
	}
	return nil
}

func deadlineText(d ducha.Date) string {
	if d == "" {
		return "未定"
	}
	return string(d)
}

// digestTopic is what a unit's channels receive once a day, however many
// of its people have a digest.
func digestTopic(unit int64, day ducha.Date) string {
	return "digest:unit:" + strconv.FormatInt(unit, 10) + ":" + string(day)
}

// moveNotices hands the open notices of an item to the unit it now
// belongs to (a problem's new lead unit, a case's new first unit), each
// with an event, so that the unit responsible signs for and answers
// them; the new unit is told like of a notice issued. The caller has
// written the item's event, so the notice writers' lock is held.
func (tx *Tx) moveNotices(ctx context.Context, kind string, id, unitID int64) error {
	ids, err := tx.queryIDs(ctx, `SELECT id FROM notices WHERE item_kind = ? AND item_id = ? AND unit_id <> ? AND status IN ('issued', 'signed')`,
		kind, id, unitID)
	if err != nil {
		return fmt.Errorf("move notices: %w", err)
	}
	for _, nid := range ids {
		before, err := tx.findNoticeIn(ctx, nid, "", nil)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE notices SET unit_id = ?, version = version + 1 WHERE id = ?`, unitID, nid); err != nil {
			return fmt.Errorf("move notice %d: %w", nid, err)
		}
		after, err := tx.findNoticeIn(ctx, nid, "", nil)
		if err != nil {
			return err
		}
		b, a := ducha.Diff(before, after)
		if err := tx.appendEvent(ctx, "notice", nid, "transfer", "责任单位变更，督办单随之转交"+after.Unit, b, a); err != nil {
			return err
		}
		if err := tx.notifyNotice(ctx, after); err != nil {
			return err
		}
	}
	return nil
}

// closeItemNotices closes the open notices of an item closed in this
// transaction (a problem 销号, a case accepted), each with its note and
// event, as the pass would (closeWithItem): at once, so that neither the
// unit nor the pass works on a notice whose item is done.
func (tx *Tx) closeItemNotices(ctx context.Context, kind string, id int64) error {
	ids, err := tx.queryIDs(ctx, `SELECT id FROM notices WHERE item_kind = ? AND item_id = ? AND status <> 'closed'`, kind, id)
	if err != nil {
		return fmt.Errorf("close notices: %w", err)
	}
	for _, nid := range ids {
		if _, err := tx.closeWithItem(ctx, nid); err != nil {
			return err
		}
	}
	return nil
}

// queryIDs runs a query of one id column and returns the ids, in order.
func (tx *Tx) queryIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// notifyImported tells each unit how many problems a ledger import handed
// it, in one message a unit.
func (tx *Tx) notifyImported(ctx context.Context, handed map[int64]int) error {
	units := make([]int64, 0, len(handed))
	for id := range handed {
		units = append(units, id)
	}
	slices.Sort(units)
	for _, id := range units {
		n := handed[id]
		if err := tx.enqueue(ctx, outboxMsg{event: ducha.OutboxAssigned, unitID: id,
			title: fmt.Sprintf("新交办问题%d个（台账导入）", n),
			body:  fmt.Sprintf("本次问题台账导入向本单位交办问题%d个，请登录系统查看待办并制定整改方案。", n),
			link:  "/problems?unit=" + strconv.FormatInt(id, 10)}); err != nil {
			return err
		}
	}
	return nil
}
