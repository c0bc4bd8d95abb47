-- The ledger's sorted pages (problem_sort.go): an index per column a list
-- may be sorted by that none walked in order yet, so that a sorted page
-- reads its rows in order and stops at its end instead of sorting every
-- problem. The status is sorted by its place in the workflow: the index is
-- on that expression, written as problem_sort.go's statusRank writes it.
-- Code, area and deadline have their indexes already; description, lead
-- unit (by name) and warning (a day's expression) sort without one.
CREATE INDEX problems_source ON problems(source, id);
CREATE INDEX problems_mode ON problems(mode, id);
CREATE INDEX problems_person ON problems(person, id);
CREATE INDEX problems_percent ON problems(progress_percent, id);
CREATE INDEX problems_status_rank ON problems((CASE status WHEN 'registered' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'pending_verification' THEN 2 WHEN 'publicity' THEN 3 WHEN 'closed' THEN 4 ELSE 5 END), id);
