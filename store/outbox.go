package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// The outbox. A change writes its message (enqueue) in its own
// transaction, so a message exists exactly when its change does. The
// sender (notify.Dispatcher) then calls ClaimDeliveries, which fans new
// messages out into one delivery per channel that carries them and
// leases the deliveries due, within each robot's RobotPerMinute; and
// FinishDelivery for each attempt. A lease lets one sender at a time send
// a delivery, on any instance; once a receiver answered, the delivery is
// sent and never tried again. Should a sender die between the receiver's
// answer and FinishDelivery, the lease runs out and the delivery goes
// again with the same key (ducha.DeliveryKey), which the receiver can drop.

// deliveryLease is how long a sender may hold a delivery: longer than any
// attempt (the HTTP and SMTP timeouts are shorter).
const deliveryLease = 2 * time.Minute

// maxFanOut bounds the messages one claim fans out.
const maxFanOut = 500

// outboxMsg is one message a change writes. Topic, when set, is what a
// channel receives once (a digest to several people of one unit); dedup,
// when set, makes the message itself once-only (a day's digest).
type outboxMsg struct {
	event          string
	unitID, userID int64
	channelID      int64
	itemKind       string
	itemID         int64
	topic, dedup   string
	title, body    string
	link           string
}

// enqueue writes m to the outbox in tx.
func (tx *Tx) enqueue(ctx context.Context, m outboxMsg) error {
	_, err := tx.enqueueOnce(ctx, m)
	return err
}

// enqueueOnce writes m to the outbox in tx unless a message of its dedup
// key is there already; it says whether it wrote it.
func (tx *Tx) enqueueOnce(ctx context.Context, m outboxMsg) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO outbox (event, unit_id, user_id, channel_id, item_kind, item_id, topic, dedup,
		title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup) DO NOTHING`,
		m.event, nullZero(m.unitID), nullZero(m.userID), nullZero(m.channelID), m.itemKind, m.itemID, m.topic,
		nullString(m.dedup), m.title, m.body, m.link, ducha.FormatTime(tx.now))
	if err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// nullZero is an id column that is NULL for 0.
func nullZero(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// itemLink is the path of an item's page.
func itemLink(kind string, id int64) string {
	if kind == ducha.ItemCase {
		return "/cases/" + strconv.FormatInt(id, 10)
	}
	return "/problems/" + strconv.FormatInt(id, 10)
}

// ClaimDeliveries fans out the new outbox messages and leases up to max
// deliveries due at now, for the caller to send and then finish. It needs
// the system account (the sender runs as it).
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, max int) ([]*ducha.Delivery, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	tx.now = now.UTC()
	channels, err := tx.channels(ctx)
	if err != nil {
		return nil, err
	}
	if err := tx.fanOut(ctx, channels); err != nil {
		return nil, err
	}
	var ids []int64
	for _, c := range channels {
		if len(ids) >= max {
			break
		}
		got, err := tx.leaseDeliveries(ctx, c, max-len(ids))
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	byID := map[int64]*ducha.Channel{}
	for _, c := range channels {
		byID[c.ID] = c
	}
	out, err := db.deliveriesByID(ctx, ids)
	for _, d := range out {
		d.Target = byID[d.ChannelID]
	}
	return out, err
}

// fanOut turns each new outbox message into a delivery per channel that
// carries it, at the time it may be sent: a person's channel waits out
// the quiet hours of the current campaign's rules.
func (tx *Tx) fanOut(ctx context.Context, channels []*ducha.Channel) error {
	rows, err := tx.query(ctx, `SELECT id, event, COALESCE(unit_id, 0), COALESCE(channel_id, 0), topic, created_at
		FROM outbox WHERE fanned = 0 ORDER BY id LIMIT ?`, maxFanOut)
	if err != nil {
		return fmt.Errorf("fan out: %w", err)
	}
	type msg struct {
		id, unit, channel int64
		event, topic      string
		created           time.Time
	}
	var msgs []msg
	for rows.Next() {
		var m msg
		var created string
		if err := rows.Scan(&m.id, &m.event, &m.unit, &m.channel, &m.topic, &created); err != nil {
			rows.Close()
			return fmt.Errorf("fan out: %w", err)
		}
		m.created = ducha.ParseTime(created)
		msgs = append(msgs, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(msgs) == 0 {
		return err
	}
	sets, err := tx.campaignRules(ctx)
	if err != nil {
		return err
	}
	rules := sets.of(0).rules
	ids := make([]any, 0, len(msgs))
	for _, m := range msgs {
		topic := m.topic
		if topic == "" {
			topic = "outbox:" + strconv.FormatInt(m.id, 10)
		}
		for _, c := range channels {
			if m.channel != 0 && c.ID != m.channel || m.channel == 0 && !c.Carries(m.event, m.unit) {
				continue
			}
			at := m.created
			if c.Kind.ToPeople() {
				at = rules.NextSend(at.In(ducha.Location))
			}
			if _, err := tx.exec(ctx, `INSERT INTO deliveries (outbox_id, channel_id, topic, status, next_at, created_at)
				VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (channel_id, topic) DO NOTHING`,
				m.id, c.ID, topic, ducha.FormatTime(at), ducha.FormatTime(tx.now)); err != nil {
				return fmt.Errorf("fan out: %w", err)
			}
		}
		ids = append(ids, m.id)
	}
	if _, err := tx.exec(ctx, `UPDATE outbox SET fanned = 1 WHERE id IN (`+placeholders(len(ids))+`)`, ids...); err != nil {
		return fmt.Errorf("fan out: %w", err)
	}
	return nil
}

// leaseDeliveries leases up to max of c's deliveries due now, within a
// robot's budget of RobotPerMinute messages in any minute (those sent in
// the last minute and those leased count). The channel's row is locked
// first, so that two instances claiming at once count one after the other.
func (tx *Tx) leaseDeliveries(ctx context.Context, c *ducha.Channel, max int) ([]int64, error) {
	now := ducha.FormatTime(tx.now)
	var paused sql.NullString
	if err := tx.queryRow(ctx, `SELECT paused_until FROM channels WHERE id = ?`+tx.db.dialect.forUpdate(), c.ID).Scan(&paused); err != nil {
		return nil, fmt.Errorf("lease: %w", err)
	}
	if c.Disabled || paused.Valid && paused.String > now {
		return nil, nil
	}
	if c.Kind.Robot() {
		var used int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM deliveries WHERE channel_id = ? AND
			(sent_at > ? OR status = 'pending' AND lease_until > ?)`,
			c.ID, ducha.FormatTime(tx.now.Add(-time.Minute)), now).Scan(&used); err != nil {
			return nil, fmt.Errorf("lease: %w", err)
		}
		max = min(max, ducha.RobotPerMinute-used)
	}
	if max <= 0 {
		return nil, nil
	}
	ids, err := tx.queryIDs(ctx, `SELECT id FROM deliveries WHERE channel_id = ? AND status = 'pending' AND next_at <= ?
		AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_at, id LIMIT ?`, c.ID, now, now, max)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	args := []any{ducha.FormatTime(tx.now.Add(deliveryLease))}
	for _, id := range ids {
		args = append(args, id)
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET lease_until = ?, attempts = attempts + 1
		WHERE id IN (`+placeholders(len(ids))+`)`, args...); err != nil {
		return nil, fmt.Errorf("lease: %w", err)
	}
	return ids, nil
}

// StartDelivery renews the lease of a delivery its sender is about to
// send, at the attempt it was claimed for (Delivery.Attempts); false when
// the lease is no longer the caller's (it ran out and another sender
// claimed the delivery, or it was sent, failed or its channel deleted):
// then the caller must not send it. A sender works through its claimed
// batch one delivery after another, so the lease covers one attempt at a
// time, not the whole batch.
func (db *DB) StartDelivery(ctx context.Context, id int64, attempt int, now time.Time) (bool, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return false, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	t := now.UTC()
	res, err := tx.exec(ctx, `UPDATE deliveries SET lease_until = ? WHERE id = ? AND attempts = ? AND status = 'pending' AND lease_until > ?`,
		ducha.FormatTime(t.Add(deliveryLease)), id, attempt, ducha.FormatTime(t))
	if err != nil {
		return false, fmt.Errorf("start delivery: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.commit(ctx); err != nil {
		return false, err
	}
	return n == 1, nil
}

// FinishDelivery records how attempt of a leased delivery went: sent;
// throttled (the delivery and its whole channel wait RetryAfter, at most
// ducha.MaxThrottleWait); a temporary failure (tried again after
// ducha.DeliveryBackoff, failed after MaxDeliveryAttempts); or refused for
// good (failed). A success always counts, whoever's attempt it was and
// even if the delivery was marked failed meanwhile (its channel deleted):
// the receiver has the message. A failure counts only for the attempt
// that holds the delivery now: a sender whose lease ran out cannot undo
// another's work.
func (db *DB) FinishDelivery(ctx context.Context, id int64, attempt int, now time.Time, r ducha.DeliveryResult) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var status string
	var attempts int
	var channel int64
	err = tx.queryRow(ctx, `SELECT status, attempts, channel_id FROM deliveries WHERE id = ?`+tx.db.dialect.forUpdate(), id).Scan(&status, &attempts, &channel)
	if err == sql.ErrNoRows {
		return ducha.NotFound("投递")
	} else if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	t := now.UTC()
	msg := strings.ToValidUTF8(r.Err, "?")
	if len(msg) > 1000 {
		msg = strings.ToValidUTF8(msg[:1000], "")
	}
	switch {
	case r.Err == "":
		if status == string(ducha.DeliverySent) {
			// Marked sent already, perhaps by a write before this one in
			// its group: the answer holds once that is committed.
			return tx.commit(ctx)
		}
		_, err = tx.exec(ctx, `UPDATE deliveries SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = '' WHERE id = ?`,
			ducha.FormatTime(t), id)
	case status != string(ducha.DeliveryPending) || attempts != attempt:
		return tx.commit(ctx) // not this attempt's to say any more (and read from writes perhaps not yet committed)
	case r.Throttled:
		wait := min(max(r.RetryAfter, time.Minute), ducha.MaxThrottleWait)
		next := ducha.FormatTime(t.Add(wait))
		if _, err = tx.exec(ctx, `UPDATE channels SET paused_until = ? WHERE id = ?`, next, channel); err == nil {
			// A throttled attempt is the vendor's doing: it does not count.
			_, err = tx.exec(ctx, `UPDATE deliveries SET next_at = ?, lease_until = NULL, last_error = ?, attempts = attempts - 1
				WHERE id = ?`, next, msg, id)
		}
	case r.Temporary && attempts < ducha.MaxDeliveryAttempts:
		_, err = tx.exec(ctx, `UPDATE deliveries SET next_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`,
			ducha.FormatTime(t.Add(ducha.DeliveryBackoff(attempts))), msg, id)
	default:
		_, err = tx.exec(ctx, `UPDATE deliveries SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ?`, msg, id)
	}
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return tx.commit(ctx)
}

const deliveryColumns = `d.id, d.outbox_id, o.event, COALESCE(o.unit_id, 0), o.title, o.body, o.link, d.channel_id, c.name, c.kind,
	d.status, d.attempts, d.next_at, d.last_error, d.sent_at, d.created_at`

const deliveryFrom = ` FROM deliveries d JOIN outbox o ON o.id = d.outbox_id JOIN channels c ON c.id = d.channel_id`

func scanDelivery(row interface{ Scan(...any) error }) (*ducha.Delivery, error) {
	var d ducha.Delivery
	var next, created string
	var sent sql.NullString
	if err := row.Scan(&d.ID, &d.OutboxID, &d.Event, &d.UnitID, &d.Title, &d.Text, &d.Link, &d.ChannelID, &d.Channel, &d.Kind,
		&d.Status, &d.Attempts, &next, &d.LastError, &sent, &created); err != nil {
		return nil, err
	}
	d.NextAt, d.CreatedAt, d.SentAt = ducha.ParseTime(next), ducha.ParseTime(created), timePtr(sent)
	d.Key = ducha.DeliveryKey(d.ID)
	return &d, nil
}

func (db *DB) deliveriesByID(ctx context.Context, ids []int64) ([]*ducha.Delivery, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return tx.deliveries(ctx, ` WHERE d.id IN (`+placeholders(len(ids))+`) ORDER BY d.id`, args...)
}

func (tx *Tx) deliveries(ctx context.Context, where string, args ...any) ([]*ducha.Delivery, error) {
	rows, err := tx.query(ctx, `SELECT `+deliveryColumns+deliveryFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FindDeliveries lists the deliveries, newest first, for administration.
func (db *DB) FindDeliveries(ctx context.Context, f ducha.DeliveryFilter) ([]*ducha.Delivery, int, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, 0, err
	}
	where, args := " WHERE 1 = 1", []any{}
	switch f.Status {
	case "":
	case ducha.DeliveryPending, ducha.DeliverySent, ducha.DeliveryFailed:
		where, args = " WHERE d.status = ?", append(args, string(f.Status))
	default:
		return nil, 0, ducha.FieldError("status", "状态应为 pending、sent 或 failed，收到“%s”", f.Status)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM deliveries d`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("deliveries: %w", err)
	}
	out, err := tx.deliveries(ctx, where+` ORDER BY d.id DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	return out, total, err
}

// RetryDelivery sends a failed delivery again, now, with a fresh set of
// attempts; and lifts its channel's throttle pause.
func (db *DB) RetryDelivery(ctx context.Context, id int64) (*ducha.Delivery, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	got, err := tx.deliveries(ctx, ` WHERE d.id = ? AND c.deleted = 0`, id)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		return nil, ducha.NotFound("投递")
	}
	d := got[0]
	if d.Status != ducha.DeliveryFailed {
		return nil, ducha.FieldError("status", "只有发送失败的投递可以重发（当前：%s）", d.Status)
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'pending', attempts = 0, next_at = ?, lease_until = NULL WHERE id = ?`,
		ducha.FormatTime(tx.now), id); err != nil {
		return nil, fmt.Errorf("retry delivery: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE channels SET paused_until = NULL WHERE id = ?`, d.ChannelID); err != nil {
		return nil, fmt.Errorf("retry delivery: %w", err)
	}
	if err := tx.appendEvent(ctx, "delivery", id, "retry", d.LastError, nil, nil); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	d.Status, d.Attempts, d.NextAt = ducha.DeliveryPending, 0, tx.now
	return d, nil
}

// TestChannel queues a test message to one channel, sent at once.
func (db *DB) TestChannel(ctx context.Context, id int64) (*ducha.Delivery, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := tx.findChannel(ctx, id)
	if err != nil {
		return nil, err
	}
	stamp := tx.now.In(ducha.Location).Format("2006-01-02 15:04:05")
	var outboxID int64
	err = tx.queryRow(ctx, `INSERT INTO outbox (event, channel_id, topic, title, body, created_at, fanned)
		VALUES ('test', ?, '', ?, ?, ?, 1) RETURNING id`, id, "督察整改系统测试消息",
		"这是一条测试消息，发送于 "+stamp+"，用于确认“"+c.Name+"”能收到督察整改系统的通知。", ducha.FormatTime(tx.now)).Scan(&outboxID)
	if err != nil {
		return nil, fmt.Errorf("test message: %w", err)
	}
	// Sent at once, quiet hours or not: someone is waiting for it.
	did, err := tx.insert(ctx, `INSERT INTO deliveries (outbox_id, channel_id, topic, status, next_at, created_at)
		VALUES (?, ?, ?, 'pending', ?, ?)`, outboxID, id, "outbox:"+strconv.FormatInt(outboxID, 10),
		ducha.FormatTime(tx.now), ducha.FormatTime(tx.now))
	if err != nil {
		return nil, fmt.Errorf("test message: %w", err)
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	got, err := db.deliveriesByID(ctx, []int64{did})
	if err != nil || len(got) == 0 {
		return nil, err
	}
	return got[0], nil
}

// TakeLease takes or renews the lease name for holder until now+ttl,
// unless another holder has it unexpired: what must run once across
// instances (the escalation pass every few minutes) runs where the lease
// was taken. It needs no permission: it changes nothing users see.
func (db *DB) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	tx, err := db.beginItemWrite(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	now := ducha.FormatTime(tx.now)
	until := ducha.FormatTime(tx.now.Add(ttl))
	res, err := tx.exec(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.holder = excluded.holder OR leases.until <= ?`, name, holder, until, now)
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	if err := tx.commit(ctx); err != nil {
		return false, err
	}
	return n == 1, nil
}
