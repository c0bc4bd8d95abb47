-- Login attempts, counted where every instance sees them: one row per
-- account, client address and (account, address) pair. Rows whose window
-- has ended are dead and swept.
CREATE TABLE login_throttle (
	throttle_key TEXT PRIMARY KEY,
	n            INTEGER NOT NULL,
	lim          INTEGER NOT NULL,
	window_end   TEXT NOT NULL,
	trickle_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE INDEX login_throttle_window_end ON login_throttle (window_end);

-- Tokens expire, are revoked, and show when they were last used (coarsely).
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
CREATE INDEX tokens_user ON tokens (user_id);
