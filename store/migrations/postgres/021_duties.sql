-- Responsibility lists (责任清单) and self-inspections (自查自纠). A unit's
-- list is unique by the duty's text, so importing the same file twice
-- changes nothing. An inspection walks its unit's list as it stands; an
-- item is written when the unit marks a duty, and on submit each duty
-- found wanting becomes a problem whose id the item keeps (the problem's
-- link to its duty). At most one inspection of a unit is open at a time.
CREATE TABLE duties (
	id         BIGSERIAL PRIMARY KEY,
	unit_id    BIGINT NOT NULL REFERENCES units(id),
	no         TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL,
	basis      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (unit_id, title)
);

CREATE TABLE inspections (
	id           BIGSERIAL PRIMARY KEY,
	unit_id      BIGINT NOT NULL REFERENCES units(id),
	campaign_id  BIGINT REFERENCES campaigns(id),
	status       TEXT NOT NULL CHECK (status IN ('open', 'submitted')),
	started_by   BIGINT REFERENCES users(id), -- NULL: the system account
	started_at   TEXT NOT NULL,
	submitted_by BIGINT REFERENCES users(id),
	submitted_at TEXT,
	version      BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX inspections_one_open ON inspections(unit_id) WHERE status = 'open';
CREATE INDEX inspections_unit ON inspections(unit_id, id);

CREATE TABLE inspection_items (
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	duty_id       BIGINT NOT NULL REFERENCES duties(id),
	complied      BIGINT NOT NULL DEFAULT 0,
	finding       TEXT NOT NULL DEFAULT '',
	mode          TEXT NOT NULL DEFAULT '',
	deadline      TEXT,
	marked_by     BIGINT REFERENCES users(id),
	marked_at     TEXT NOT NULL,
	problem_id    BIGINT REFERENCES problems(id),
	PRIMARY KEY (inspection_id, duty_id)
);
CREATE INDEX inspection_items_problem ON inspection_items(problem_id) WHERE problem_id IS NOT NULL;
CREATE INDEX inspection_items_duty ON inspection_items(duty_id);
