-- A problem's units, types, states and search list are written by the
-- store from the problem itself, in the transaction that writes it, and
-- problems are never deleted. Their foreign keys to problems cost a
-- trigger and a row lock per row (a 100,000-row ledger import spent 12 s
-- of its 30 s inserting 300,000 problem_units rows); they go, as
-- problem_tokens never had one. SQLite, where the same check is an index
-- probe, keeps them, so the tests of both engines still catch an orphan;
-- units keep theirs. See docs/decisions/006.
ALTER TABLE problem_units DROP CONSTRAINT IF EXISTS problem_units_problem_id_fkey;
ALTER TABLE problem_types DROP CONSTRAINT IF EXISTS problem_types_problem_id_fkey;
ALTER TABLE problem_states DROP CONSTRAINT IF EXISTS problem_states_problem_id_fkey;
ALTER TABLE problem_search DROP CONSTRAINT IF EXISTS problem_search_problem_id_fkey;
