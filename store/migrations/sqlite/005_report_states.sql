-- The daily report reads case_states alone: each state carries the case's
-- fixed facts (when it became known, forwarded date, batch, area, channel,
-- key flag, types), and one covering index answers the report's query
-- without visiting the wide cases table.
ALTER TABLE case_states ADD COLUMN known_at TEXT NOT NULL DEFAULT '';
ALTER TABLE case_states ADD COLUMN forwarded_date TEXT NOT NULL DEFAULT '';
ALTER TABLE case_states ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_states ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE case_states ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE case_states ADD COLUMN key_flag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_states ADD COLUMN types TEXT NOT NULL DEFAULT '';
UPDATE case_states SET known_at = c.created_at, forwarded_date = c.forwarded_date, batch = c.batch, area = c.area,
	channel = c.channel, key_flag = c.key_flag, types = c.types
	FROM cases c WHERE c.id = case_states.case_id;
CREATE INDEX case_states_report ON case_states(valid_to, valid_from, known_at, forwarded_date, batch, area, channel,
	key_flag, status, verdict, types, case_id);
CREATE INDEX measures_report ON measures(created_at, removed_at, date, kind, enterprise_id, persons, case_id, fine_fen);
