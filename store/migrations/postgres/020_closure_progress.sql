-- Closure in levels, the public notice, progress entries and the unit
-- head's sign-off (issue 10).
--
-- A problem keeps its latest progress entry on its row (the ledger shows
-- it: text, time, the latest percentage) and every entry in
-- progress_entries; planned_at starts its schedule and behind_from is the
-- day from which it is 未达到序时进度 unless it reports again, computed by
-- the write (ducha.Problem.ScheduleFrom). closure is the closure record as
-- JSON (the head's sign-off, each level's, the notice and the ended
-- rounds); awaiting_signoff marks an application the unit head has yet to
-- sign off.
ALTER TABLE problems ADD COLUMN progress_at TEXT;
ALTER TABLE problems ADD COLUMN progress_percent BIGINT;
ALTER TABLE problems ADD COLUMN planned_at TEXT;
ALTER TABLE problems ADD COLUMN behind_from TEXT;
ALTER TABLE problems ADD COLUMN closure TEXT;
ALTER TABLE problems ADD COLUMN awaiting_signoff BIGINT NOT NULL DEFAULT 0;

-- A problem planned before this migration starts its schedule at its
-- registration; the schedules are computed after the migration
-- (store.DB.RecomputeSchedules).
UPDATE problems SET planned_at = created_at WHERE status <> 'registered';

-- The schedule in the state history, so that a report as of a past day
-- counts what was behind at its end.
ALTER TABLE problem_states ADD COLUMN behind_from TEXT;

CREATE TABLE progress_entries (
	id             BIGSERIAL PRIMARY KEY,
	problem_id     BIGINT NOT NULL,
	at             TEXT NOT NULL,
	by_user        TEXT NOT NULL,
	text           TEXT NOT NULL,
	percent        BIGINT,
	attachment_ids TEXT NOT NULL DEFAULT ''
);
CREATE INDEX progress_entries_problem ON progress_entries(problem_id, id);

CREATE INDEX problems_behind ON problems(behind_from, id) WHERE status = 'in_progress' AND behind_from IS NOT NULL;
CREATE INDEX problems_signoff ON problems(lead_unit_id, id) WHERE awaiting_signoff = 1;
CREATE INDEX problems_publicity ON problems(id) WHERE status = 'publicity';

-- A unit's answer to a case waiting for its head's sign-off, who signed
-- it off, and why the head sent one back.
ALTER TABLE case_units ADD COLUMN awaiting_signoff BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_units ADD COLUMN signed_off_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_units ADD COLUMN signed_off_at TEXT;
ALTER TABLE case_units ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX case_units_signoff ON case_units(unit_id, case_id) WHERE awaiting_signoff = 1;
