-- Complaint cases (交办件), their numbered batches, the units that answer
-- them, the enterprises and measures counted in every report.

CREATE TABLE batches (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER REFERENCES campaigns(id),
	number      INTEGER NOT NULL,
	date        TEXT NOT NULL,
	file_name   TEXT NOT NULL DEFAULT '',
	total       INTEGER NOT NULL DEFAULT 0,
	phone       INTEGER NOT NULL DEFAULT 0,
	letter      INTEGER NOT NULL DEFAULT 0,
	key_count   INTEGER NOT NULL DEFAULT 0,
	duplicates  INTEGER NOT NULL DEFAULT 0,
	imported_by TEXT NOT NULL,
	imported_at TEXT NOT NULL,
	UNIQUE (campaign_id, number)
);

-- A case handed over again in a later batch: logged, not counted twice.
CREATE TABLE batch_duplicates (
	batch_id      INTEGER NOT NULL REFERENCES batches(id),
	acceptance_no TEXT NOT NULL,
	case_id       INTEGER NOT NULL,
	row_number    INTEGER NOT NULL,
	PRIMARY KEY (batch_id, acceptance_no)
);

CREATE TABLE enterprises (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	credit_code TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	industry    TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX enterprises_credit_code ON enterprises(credit_code);

CREATE TABLE cases (
	id             INTEGER PRIMARY KEY,
	acceptance_no  TEXT NOT NULL UNIQUE,
	campaign_id    INTEGER REFERENCES campaigns(id),
	batch          INTEGER NOT NULL,
	batch_id       INTEGER REFERENCES batches(id),
	forwarded_date TEXT NOT NULL,
	channel        TEXT NOT NULL,
	key_flag       INTEGER NOT NULL DEFAULT 0,
	text           TEXT NOT NULL,
	area           TEXT NOT NULL DEFAULT '',
	types          TEXT NOT NULL DEFAULT '',
	type_detail    TEXT NOT NULL DEFAULT '',
	deadline       TEXT,
	status         TEXT NOT NULL,
	findings       TEXT NOT NULL DEFAULT '',
	verdict        TEXT NOT NULL DEFAULT '',
	handling       TEXT NOT NULL DEFAULT '',
	accountability TEXT NOT NULL DEFAULT '',
	published      INTEGER NOT NULL DEFAULT 0,
	return_reason  TEXT NOT NULL DEFAULT '',
	original       TEXT,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX cases_batch ON cases(batch, id);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_area ON cases(area, id);
CREATE INDEX cases_created ON cases(created_at);

CREATE TABLE case_units (
	case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	unit_id        INTEGER NOT NULL REFERENCES units(id),
	pos            INTEGER NOT NULL DEFAULT 0,
	signed_at      TEXT,
	signed_by      TEXT NOT NULL DEFAULT '',
	submitted_at   TEXT,
	findings       TEXT NOT NULL DEFAULT '',
	verdict        TEXT NOT NULL DEFAULT '',
	handling       TEXT NOT NULL DEFAULT '',
	accountability TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_units_unit ON case_units(unit_id, case_id);

CREATE TABLE case_types (
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	type    TEXT NOT NULL,
	PRIMARY KEY (case_id, type)
);
CREATE INDEX case_types_type ON case_types(type, case_id);

CREATE TABLE case_problems (
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	problem_id INTEGER NOT NULL REFERENCES problems(id),
	PRIMARY KEY (case_id, problem_id)
);
CREATE INDEX case_problems_problem ON case_problems(problem_id);

-- Measures are never updated: a resubmission removes the unit's earlier
-- measures (removed_at) and adds new ones, so a report as of a past day
-- counts what stood at its end.
CREATE TABLE measures (
	id            INTEGER PRIMARY KEY,
	case_id       INTEGER NOT NULL REFERENCES cases(id),
	unit_id       INTEGER,
	kind          TEXT NOT NULL,
	enterprise_id INTEGER REFERENCES enterprises(id),
	persons       INTEGER NOT NULL DEFAULT 0,
	fine_fen      INTEGER NOT NULL DEFAULT 0,
	date          TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	removed_at    TEXT
);
CREATE INDEX measures_case ON measures(case_id);
CREATE INDEX measures_enterprise ON measures(enterprise_id);

-- Every state a case has been in, from when to when: the daily report as
-- of a past day reads the state that stood at that day's end.
CREATE TABLE case_states (
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	status     TEXT NOT NULL,
	verdict    TEXT NOT NULL DEFAULT '',
	published  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_states_case ON case_states(case_id, valid_from);
CREATE INDEX case_states_open ON case_states(valid_to, case_id);

-- Search tokens of a case's text, acceptance number and area (rowid = case id).
CREATE VIRTUAL TABLE case_search USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- Every status and deadline a problem has had, from when to when, for the
-- ledger line of a report as of a past day.
CREATE TABLE problem_states (
	problem_id INTEGER NOT NULL REFERENCES problems(id),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	status     TEXT NOT NULL,
	deadline   TEXT
);
CREATE INDEX problem_states_problem ON problem_states(problem_id, valid_from);
INSERT INTO problem_states (problem_id, valid_from, status, deadline)
	SELECT id, created_at, status, deadline FROM problems;
