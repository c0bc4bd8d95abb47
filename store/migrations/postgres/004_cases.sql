-- Complaint cases (交办件), their numbered batches, the units that answer
-- them, the enterprises and measures counted in every report.

CREATE TABLE batches (
	id          BIGSERIAL PRIMARY KEY,
	campaign_id BIGINT REFERENCES campaigns(id),
	number      BIGINT NOT NULL,
	date        TEXT NOT NULL,
	file_name   TEXT NOT NULL DEFAULT '',
	total       BIGINT NOT NULL DEFAULT 0,
	phone       BIGINT NOT NULL DEFAULT 0,
	letter      BIGINT NOT NULL DEFAULT 0,
	key_count   BIGINT NOT NULL DEFAULT 0,
	duplicates  BIGINT NOT NULL DEFAULT 0,
	imported_by TEXT NOT NULL,
	imported_at TEXT NOT NULL,
	UNIQUE (campaign_id, number)
);

-- A case handed over again in a later batch: logged, not counted twice.
CREATE TABLE batch_duplicates (
	batch_id      BIGINT NOT NULL REFERENCES batches(id),
	acceptance_no TEXT NOT NULL,
	case_id       BIGINT NOT NULL,
	row_number    BIGINT NOT NULL,
	PRIMARY KEY (batch_id, acceptance_no)
);

CREATE TABLE enterprises (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	credit_code TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	industry    TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX enterprises_credit_code ON enterprises(credit_code);

CREATE TABLE cases (
	id             BIGSERIAL PRIMARY KEY,
	acceptance_no  TEXT NOT NULL UNIQUE,
	campaign_id    BIGINT REFERENCES campaigns(id),
	batch          BIGINT NOT NULL,
	batch_id       BIGINT REFERENCES batches(id),
	forwarded_date TEXT NOT NULL,
	channel        TEXT NOT NULL,
	key_flag       BIGINT NOT NULL DEFAULT 0,
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
	published      BIGINT NOT NULL DEFAULT 0,
	return_reason  TEXT NOT NULL DEFAULT '',
	original       TEXT,
	version        BIGINT NOT NULL DEFAULT 1,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX cases_batch ON cases(batch, id);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_area ON cases(area, id);
CREATE INDEX cases_created ON cases(created_at);

CREATE TABLE case_units (
	case_id        BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	unit_id        BIGINT NOT NULL REFERENCES units(id),
	pos            BIGINT NOT NULL DEFAULT 0,
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
	case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	type    TEXT NOT NULL,
	PRIMARY KEY (case_id, type)
);
CREATE INDEX case_types_type ON case_types(type, case_id);

CREATE TABLE case_problems (
	case_id    BIGINT NOT NULL REFERENCES cases(id),
	problem_id BIGINT NOT NULL REFERENCES problems(id),
	PRIMARY KEY (case_id, problem_id)
);
CREATE INDEX case_problems_problem ON case_problems(problem_id);

-- Measures are never updated: a resubmission removes the unit's earlier
-- measures (removed_at) and adds new ones, so a report as of a past day
-- counts what stood at its end.
CREATE TABLE measures (
	id            BIGSERIAL PRIMARY KEY,
	case_id       BIGINT NOT NULL REFERENCES cases(id),
	unit_id       BIGINT,
	kind          TEXT NOT NULL,
	enterprise_id BIGINT REFERENCES enterprises(id),
	persons       BIGINT NOT NULL DEFAULT 0,
	fine_fen      BIGINT NOT NULL DEFAULT 0,
	date          TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	removed_at    TEXT
);
CREATE INDEX measures_case ON measures(case_id);
CREATE INDEX measures_enterprise ON measures(enterprise_id);

-- Every state a case has been in, from when to when: the daily report as
-- of a past day reads the state that stood at that day's end.
CREATE TABLE case_states (
	case_id    BIGINT NOT NULL REFERENCES cases(id),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	status     TEXT NOT NULL,
	verdict    TEXT NOT NULL DEFAULT '',
	published  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX case_states_case ON case_states(case_id, valid_from);
CREATE INDEX case_states_open ON case_states(valid_to, case_id);

-- Search tokens of a case's text, acceptance number and area.
CREATE TABLE case_search (
	case_id BIGINT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
	tokens  TEXT[] NOT NULL
);
CREATE INDEX case_search_tokens ON case_search USING GIN (tokens);

-- Every status and deadline a problem has had, from when to when, for the
-- ledger line of a report as of a past day.
CREATE TABLE problem_states (
	problem_id BIGINT NOT NULL REFERENCES problems(id),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	status     TEXT NOT NULL,
	deadline   TEXT
);
CREATE INDEX problem_states_problem ON problem_states(problem_id, valid_from);
INSERT INTO problem_states (problem_id, valid_from, status, deadline)
	SELECT id, created_at, status, deadline FROM problems;
