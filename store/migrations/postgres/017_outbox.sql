-- Notifications (通知渠道 and the outbox). A change writes its outbox
-- message in its own transaction; the sender fans each message out into
-- one delivery per channel that carries it (unique per channel and
-- topic, so a message is never queued twice for a channel: a digest to
-- several people of one unit is one topic), and leases a delivery while
-- it sends it, so that several instances never send one twice at once.
-- Leases name what runs once across instances (the escalation pass).
CREATE TABLE channels (
	id           BIGSERIAL PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('email', 'wecom', 'dingtalk', 'feishu', 'webhook')),
	name         TEXT NOT NULL,
	url          TEXT NOT NULL DEFAULT '',
	secret       TEXT NOT NULL DEFAULT '',
	keyword      TEXT NOT NULL DEFAULT '',
	recipients   TEXT NOT NULL DEFAULT '', -- JSON array of addresses
	units        TEXT NOT NULL DEFAULT '', -- JSON array of unit ids; none: every unit
	events       TEXT NOT NULL DEFAULT '', -- JSON array of events; none: every event
	disabled     INTEGER NOT NULL DEFAULT 0,
	deleted      INTEGER NOT NULL DEFAULT 0,
	paused_until TEXT,
	created_at   TEXT NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE outbox (
	id         BIGSERIAL PRIMARY KEY,
	event      TEXT NOT NULL,
	unit_id    BIGINT REFERENCES units(id),
	user_id    BIGINT REFERENCES users(id),
	channel_id BIGINT REFERENCES channels(id), -- a test message: this channel only
	item_kind  TEXT NOT NULL DEFAULT '',
	item_id    BIGINT NOT NULL DEFAULT 0,
	topic      TEXT NOT NULL,
	dedup      TEXT UNIQUE,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	link       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	fanned     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unfanned ON outbox(id) WHERE fanned = 0;

CREATE TABLE deliveries (
	id          BIGSERIAL PRIMARY KEY,
	outbox_id   BIGINT NOT NULL REFERENCES outbox(id),
	channel_id  BIGINT NOT NULL REFERENCES channels(id),
	topic       TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     TEXT NOT NULL,
	lease_until TEXT,
	last_error  TEXT NOT NULL DEFAULT '',
	sent_at     TEXT,
	created_at  TEXT NOT NULL,
	UNIQUE (channel_id, topic)
);
CREATE INDEX deliveries_due ON deliveries(channel_id, status, next_at);
CREATE INDEX deliveries_sent ON deliveries(channel_id, sent_at);
CREATE INDEX deliveries_status ON deliveries(status, id);

CREATE TABLE leases (
	name   TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until  TEXT NOT NULL
);

-- The inbox (store/inbox.go) finds the few problems waiting for an
-- extension decision, and the ones returned to their units, without a
-- scan of the ledger.
CREATE INDEX problems_extension ON problems(id) WHERE extension IS NOT NULL;
CREATE INDEX problems_returned ON problems(id) WHERE return_reason <> '' AND status = 'in_progress';
