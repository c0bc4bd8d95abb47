-- Counters of the ledger (issue 8), kept by every write transaction: how
-- many problems there are of each status and warning bucket, for every
-- combination of a unit (lead or cooperating), an area and a pollution
-- type, each present or not (dims: 1 unit, 2 area, 4 type; absent ones are
-- 0 and ''). bucket is judged on tally_meta.day: 'red' overdue, 'yellow'
-- due within yellow_days, '' otherwise and for every closed problem.
-- store/tally.go fills it when tally_meta has no row (this migration
-- leaves it empty, and a restore empties it).
CREATE TABLE problem_tally (
	dims    INTEGER NOT NULL,
	unit_id INTEGER NOT NULL,
	area    TEXT NOT NULL,
	type    TEXT NOT NULL,
	status  TEXT NOT NULL,
	bucket  TEXT NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (dims, unit_id, area, type, status, bucket)
) WITHOUT ROWID;

CREATE TABLE tally_meta (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	day         TEXT NOT NULL,
	yellow_days INTEGER NOT NULL
);

-- The data version of a part of the store: the id of the last event that
-- changed it ('problem' for the whole ledger, 'problem/unit/7' for the
-- problems of unit 7, 'unit', 'case', … one per event entity). Caches of a
-- part are keyed on its version, so a case action keeps the ledger's.
CREATE TABLE data_versions (
	name    TEXT PRIMARY KEY,
	version INTEGER NOT NULL
);
