-- The ledger's sorted pages (problem_sort.go): an index per column a list
-- may be sorted by, so that a sorted page reads its rows in order and stops
-- at its end instead of sorting every problem. Text sorts bytewise
-- (COLLATE "C", the dialect's bytewise) whatever the database's locale, so
-- the text indexes are in that collation. The status is sorted by its place
-- in the workflow: the index is on that expression, as statusRank writes it.
-- Description, lead unit (by name) and warning (a day's expression) sort
-- without one.
CREATE INDEX problems_code_bytes ON problems((code COLLATE "C"), id);
CREATE INDEX problems_area_bytes ON problems((area COLLATE "C"), id);
CREATE INDEX problems_source ON problems((source COLLATE "C"), id);
CREATE INDEX problems_mode ON problems((mode COLLATE "C"), id);
CREATE INDEX problems_person ON problems((person COLLATE "C"), id);
CREATE INDEX problems_percent ON problems(progress_percent, id);
CREATE INDEX problems_status_rank ON problems((CASE status WHEN 'registered' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'pending_verification' THEN 2 WHEN 'publicity' THEN 3 WHEN 'closed' THEN 4 ELSE 5 END), id);
