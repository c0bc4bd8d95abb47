package store

import (
	"context"

	"ducha"
)

// ChannelEventsForAttack reads a channel's audit events (there is no
// route for them; this shows what the append-only chain keeps).
// Test-only helper for outbox_attack_test.go.
func ChannelEventsForAttack(db *DB, id int64) ([]*ducha.Event, error) {
	tx, err := db.beginRead(context.Background())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findEvents(context.Background(), "channel", id)
}
