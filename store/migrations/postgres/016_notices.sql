-- Supervision (督办): each campaign's rules as one JSON object ('' for the
-- defaults), and the notices issued by the rules or by a person. A notice
-- is issued once per item and level: the unique key, not only a lock,
-- keeps a pass run twice, after a restart or on two instances from
-- issuing it again.
ALTER TABLE campaigns ADD COLUMN rules TEXT NOT NULL DEFAULT '';

CREATE TABLE notices (
	id          BIGSERIAL PRIMARY KEY,
	no          TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'supervision', 'listed')),
	item_kind   TEXT NOT NULL CHECK (item_kind IN ('problem', 'case')),
	item_id     BIGINT NOT NULL,
	unit_id     BIGINT NOT NULL REFERENCES units(id),
	text        TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	issued_at   TEXT NOT NULL,
	issued_by   BIGINT REFERENCES users(id), -- NULL: the rules
	issued_on   TEXT NOT NULL,
	due         TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('issued', 'signed', 'answered', 'closed')),
	signed_at   TEXT,
	signed_by   BIGINT REFERENCES users(id),
	answer      TEXT NOT NULL DEFAULT '',
	answered_at TEXT,
	answered_by BIGINT REFERENCES users(id),
	closed_at   TEXT,
	closed_by   BIGINT REFERENCES users(id), -- NULL on a closed notice: the pass closed it with its item
	close_note  TEXT NOT NULL DEFAULT '',
	version     BIGINT NOT NULL DEFAULT 1,
	UNIQUE (item_kind, item_id, kind)
);
CREATE INDEX notices_unit ON notices(unit_id, status);
CREATE INDEX notices_status ON notices(status, due);
