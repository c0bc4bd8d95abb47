CREATE TABLE units (
	id            BIGSERIAL PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	kind          TEXT NOT NULL,
	division_code TEXT NOT NULL DEFAULT '',
	member        BIGINT NOT NULL DEFAULT 0,
	head          TEXT NOT NULL DEFAULT '',
	liaison       TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
	id            BIGSERIAL PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	unit_id       BIGINT REFERENCES units(id),
	password_hash TEXT NOT NULL,
	disabled      BIGINT NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

CREATE TABLE tokens (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name       TEXT NOT NULL DEFAULT '',
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
);

CREATE TABLE campaigns (
	id         BIGSERIAL PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	team       TEXT NOT NULL DEFAULT '',
	start_date TEXT NOT NULL DEFAULT '',
	end_date   TEXT NOT NULL DEFAULT '',
	case_days  BIGINT NOT NULL DEFAULT 10,
	phase      TEXT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

CREATE TABLE problems (
	id                  BIGSERIAL PRIMARY KEY,
	code                TEXT NOT NULL UNIQUE,
	campaign_id         BIGINT REFERENCES campaigns(id),
	status              TEXT NOT NULL,
	version             BIGINT NOT NULL DEFAULT 1,
	source              TEXT NOT NULL,
	description         TEXT NOT NULL,
	area                TEXT NOT NULL DEFAULT '',
	address             TEXT NOT NULL DEFAULT '',
	subject             TEXT NOT NULL DEFAULT '',
	subject_credit_code TEXT NOT NULL DEFAULT '',
	types               TEXT NOT NULL DEFAULT '',
	type_detail         TEXT NOT NULL DEFAULT '',
	industry            TEXT NOT NULL DEFAULT '',
	mode                TEXT NOT NULL DEFAULT '',
	lead_unit_id        BIGINT REFERENCES units(id),
	leader              TEXT NOT NULL DEFAULT '',
	person              TEXT NOT NULL DEFAULT '',
	measures            TEXT NOT NULL DEFAULT '',
	target              TEXT NOT NULL DEFAULT '',
	deadline            TEXT,
	deadline_text       TEXT NOT NULL DEFAULT '',
	original_deadline   TEXT,
	progress            TEXT NOT NULL DEFAULT '',
	closure_text        TEXT NOT NULL DEFAULT '',
	closed_at           TEXT,
	return_reason       TEXT NOT NULL DEFAULT '',
	reopen_count        BIGINT NOT NULL DEFAULT 0,
	extension           TEXT,
	note                TEXT NOT NULL DEFAULT '',
	original            TEXT,
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL
);
CREATE INDEX problems_status ON problems(status, id);
CREATE INDEX problems_area ON problems(area, id);
CREATE INDEX problems_deadline ON problems(deadline, status);
CREATE INDEX problems_lead ON problems(lead_unit_id, id);

-- Every unit a problem is assigned to, the lead included: unit scoping and
-- the unit filter read this table.
CREATE TABLE problem_units (
	problem_id BIGINT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
	unit_id    BIGINT NOT NULL REFERENCES units(id),
	lead       BIGINT NOT NULL DEFAULT 0,
	pos        BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_units_unit ON problem_units(unit_id, problem_id);

CREATE TABLE problem_types (
	problem_id BIGINT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
	type       TEXT NOT NULL,
	PRIMARY KEY (problem_id, type)
);
CREATE INDEX problem_types_type ON problem_types(type, problem_id);

-- Search tokens made in Go (two-character words, initials), matched with
-- array containment through a GIN index.
CREATE TABLE problem_search (
	problem_id BIGINT PRIMARY KEY REFERENCES problems(id) ON DELETE CASCADE,
	tokens     TEXT[] NOT NULL
);
CREATE INDEX problem_search_tokens ON problem_search USING GIN (tokens);

CREATE TABLE attachments (
	id           BIGSERIAL PRIMARY KEY,
	problem_id   BIGINT NOT NULL REFERENCES problems(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	data         BYTEA NOT NULL,
	uploaded_by  TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE INDEX attachments_problem ON attachments(problem_id);

-- The audit trail: append-only, hash-chained. audit_head holds the chain's
-- last id and hash; writers lock it, so the chain has one order.
CREATE TABLE events (
	id        BIGINT PRIMARY KEY,
	at        TEXT NOT NULL,
	actor_id  BIGINT NOT NULL,
	actor     TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	action    TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	before    TEXT,
	after     TEXT,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX events_entity ON events(entity, entity_id, id);

CREATE TABLE audit_head (
	id      BIGINT PRIMARY KEY CHECK (id = 1),
	last_id BIGINT NOT NULL,
	hash    TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, '');
