-- Accountability records (问责): a person of a unit held to account in one
-- form, linked to the problems and cases it concerns. The record and its
-- links are the current state; accountability_states keeps what the
-- reports count (person, unit, date, linked cases) from when to when, so a
-- report as of a past day counts the records as they stood at its end.
CREATE TABLE accountability (
	id         INTEGER PRIMARY KEY,
	person     TEXT NOT NULL,
	post       TEXT NOT NULL DEFAULT '',
	unit_id    INTEGER NOT NULL REFERENCES units(id),
	form       TEXT NOT NULL CHECK (form IN ('admonition', 'criticism', 'organizational', 'party_discipline',
		'government_sanction', 'judicial_referral')),
	reason     TEXT NOT NULL,
	decided_by TEXT NOT NULL,
	date       TEXT NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1,
	created_by INTEGER REFERENCES users(id), -- NULL: the system account
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX accountability_unit ON accountability(unit_id, date);
CREATE INDEX accountability_date ON accountability(date, id);

CREATE TABLE accountability_problems (
	accountability_id INTEGER NOT NULL REFERENCES accountability(id),
	problem_id        INTEGER NOT NULL REFERENCES problems(id),
	PRIMARY KEY (accountability_id, problem_id)
);
CREATE INDEX accountability_problems_problem ON accountability_problems(problem_id);

CREATE TABLE accountability_cases (
	accountability_id INTEGER NOT NULL REFERENCES accountability(id),
	case_id           INTEGER NOT NULL REFERENCES cases(id),
	PRIMARY KEY (accountability_id, case_id)
);
CREATE INDEX accountability_cases_case ON accountability_cases(case_id);

-- cases: the linked case ids, comma-separated ('' for none).
CREATE TABLE accountability_states (
	accountability_id INTEGER NOT NULL REFERENCES accountability(id),
	valid_from        TEXT NOT NULL,
	valid_to          TEXT,
	person            TEXT NOT NULL,
	unit_id           INTEGER NOT NULL,
	date              TEXT NOT NULL,
	cases             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX accountability_states_open ON accountability_states(valid_to, accountability_id);
CREATE INDEX accountability_states_record ON accountability_states(accountability_id, valid_from);
