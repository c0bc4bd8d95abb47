-- Report indexes in the order of the report's grouping: the states in
-- force now (valid_to IS NULL) come out by area, and measures by kind and
-- enterprise, so the grouping streams instead of sorting.
DROP INDEX case_states_report;
CREATE INDEX case_states_report ON case_states(valid_to, area, types, channel, key_flag, status, verdict, batch,
	valid_from, known_at, forwarded_date, case_id);
DROP INDEX measures_report;
CREATE INDEX measures_report ON measures(kind, enterprise_id, created_at, removed_at, date, persons, case_id, fine_fen);
