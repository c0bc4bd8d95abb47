package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"ducha"
)

// Notification channels (通知渠道): administration only. A channel's
// secret and its address are stored as given (the sender needs them to
// sign and to send) and never read back out: answers say only whether
// there is a secret and show the address masked (ducha.MaskURL: a robot's
// address carries its token), and the events record the masked address and
// that the secret changed, never what it is.

// shown is c as answers and events show it: no secret, the address masked.
func shown(c *ducha.Channel) *ducha.Channel {
	out := *c
	out.Secret, out.URL = "", ducha.MaskURL(c.URL)
	return &out
}

const channelColumns = `id, kind, name, url, secret, keyword, recipients, units, events, disabled, paused_until, created_at, version`

func scanChannel(row interface{ Scan(...any) error }) (*ducha.Channel, error) {
	var c ducha.Channel
	var to, units, events, created string
	var paused sql.NullString
	if err := row.Scan(&c.ID, &c.Kind, &c.Name, &c.URL, &c.Secret, &c.Keyword, &to, &units, &events,
		&c.Disabled, &paused, &created, &c.Version); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		s string
		v any
	}{{to, &c.To}, {units, &c.Units}, {events, &c.Events}} {
		if f.s != "" {
			if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
				return nil, fmt.Errorf("channel %d: %w", c.ID, err)
			}
		}
	}
	if c.Units == nil {
		c.Units = []int64{}
	}
	if c.Events == nil {
		c.Events = []string{}
	}
	if c.To == nil {
		c.To = []string{}
	}
	c.SecretSet = c.Secret != ""
	c.PausedUntil = timePtr(paused)
	c.CreatedAt = ducha.ParseTime(created)
	return &c, nil
}

// channelLists are the JSON columns of c.
func channelLists(c *ducha.Channel) (to, units, events string) {
	j := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	return j(c.To), j(c.Units), j(c.Events)
}

// FindChannels lists the channels, without their secrets.
func (db *DB) FindChannels(ctx context.Context) ([]*ducha.Channel, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out, err := tx.channels(ctx)
	for i, c := range out {
		out[i] = shown(c)
	}
	return out, err
}

// channels loads every channel not deleted, secrets included.
func (tx *Tx) channels(ctx context.Context) ([]*ducha.Channel, error) {
	rows, err := tx.query(ctx, `SELECT `+channelColumns+` FROM channels WHERE deleted = 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Channel{}
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindChannelByID returns one channel, without its secret.
func (db *DB) FindChannelByID(ctx context.Context, id int64) (*ducha.Channel, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := tx.findChannel(ctx, id)
	if err != nil {
		return nil, err
	}
	return shown(c), nil
}

func (tx *Tx) findChannel(ctx context.Context, id int64) (*ducha.Channel, error) {
	c, err := scanChannel(tx.queryRow(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = ? AND deleted = 0`, id))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("通知渠道")
	} else if err != nil {
		return nil, fmt.Errorf("channel %d: %w", id, err)
	}
	return c, nil
}

// checkChannelUnits refuses units that do not exist, naming the first.
func (tx *Tx) checkChannelUnits(ctx context.Context, units []int64) error {
	if len(units) == 0 {
		return nil
	}
	list, _ := json.Marshal(units)
	found, err := tx.queryIDs(ctx, `SELECT id FROM units WHERE id IN (`+tx.db.dialect.idList()+`)`, string(list))
	if err != nil {
		return fmt.Errorf("channel units: %w", err)
	}
	for _, id := range units { // sorted by Validate
		if !slices.Contains(found, id) {
			return ducha.FieldError("units", "单位%d不存在", id)
		}
	}
	return nil
}

// CreateChannel adds a channel.
func (db *DB) CreateChannel(ctx context.Context, c *ducha.Channel) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkChannelUnits(ctx, c.Units); err != nil {
		return err
	}
	to, units, events := channelLists(c)
	c.CreatedAt, c.Version, c.SecretSet, c.PausedUntil = tx.now, 1, c.Secret != "", nil
	c.ID, err = tx.insert(ctx, `INSERT INTO channels (kind, name, url, secret, keyword, recipients, units, events, disabled, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, string(c.Kind), c.Name, c.URL, c.Secret, c.Keyword, to, units, events,
		boolInt(c.Disabled), ducha.FormatTime(tx.now))
	if err != nil {
		return fmt.Errorf("insert channel: %w", err)
	}
	_, after := ducha.Diff(nil, shown(c))
	if err := tx.appendEvent(ctx, "channel", c.ID, "create", "", nil, after); err != nil {
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return err
	}
	*c = *shown(c)
	return nil
}

// UpdateChannel changes a channel at its version.
func (db *DB) UpdateChannel(ctx context.Context, id int64, upd ducha.ChannelUpdate) (*ducha.Channel, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findChannel(ctx, id)
	if err != nil {
		return nil, err
	}
	if upd.Version != 0 && upd.Version != before.Version {
		return nil, ducha.Conflict()
	}
	c := *before
	if upd.URL != nil && *upd.URL == ducha.MaskURL(before.URL) {
		upd.URL = nil // the address as answered, sent back: unchanged
	}
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := tx.checkChannelUnits(ctx, c.Units); err != nil {
		return nil, err
	}
	to, units, events := channelLists(&c)
	c.Version, c.SecretSet = before.Version+1, c.Secret != ""
	res, err := tx.exec(ctx, `UPDATE channels SET name = ?, url = ?, secret = ?, keyword = ?, recipients = ?, units = ?, events = ?,
		disabled = ?, version = ? WHERE id = ? AND version = ?`, c.Name, c.URL, c.Secret, c.Keyword, to, units, events,
		boolInt(c.Disabled), c.Version, id, before.Version)
	if err != nil {
		return nil, fmt.Errorf("update channel: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ducha.Conflict()
	}
	var notes []string
	if c.URL != before.URL {
		notes = append(notes, "地址已更改")
	}
	if c.Secret != before.Secret {
		notes = append(notes, "密钥已更改")
	}
	b, a := ducha.Diff(shown(before), shown(&c))
	if err := tx.appendEvent(ctx, "channel", id, "update", strings.Join(notes, "；"), b, a); err != nil {
		return nil, err
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return shown(&c), nil
}

// DeleteChannel removes a channel. Its deliveries stay on record; those
// not yet sent fail with a note.
func (db *DB) DeleteChannel(ctx context.Context, id int64) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	before, err := tx.findChannel(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE channels SET deleted = 1, secret = '', url = '', version = version + 1 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete channel: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'failed', last_error = '渠道已删除', lease_until = NULL
		WHERE channel_id = ? AND status = 'pending'`, id); err != nil {
		return fmt.Errorf("delete channel: %w", err)
	}
	b, _ := ducha.Diff(shown(before), nil)
	if err := tx.appendEvent(ctx, "channel", id, "delete", "", b, nil); err != nil {
		return err
	}
	return tx.commit(ctx)
}
