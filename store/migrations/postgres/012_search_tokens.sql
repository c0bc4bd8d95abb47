-- Search through one row per (token, item), keyed on both: a query walks
-- its token's range of the key from the newest id down and stops at the
-- page's end, where the GIN index handed over every match to be sorted.
-- Further tokens of a query are probes of the same key.
--
-- No foreign key: it would look up the item for every token written, and
-- items are never deleted. problem_search and case_search stay, without
-- their GIN indexes, as each item's list of tokens: a changed item's old
-- tokens are found there and deleted by key (store/dialect.go setSearch).
--
-- At 1,000,000 problems: 40.6 million rows, 1.7 GB and a 1.2 GB key, built
-- in about 2½ minutes (the GIN index was 174 MB).
CREATE TABLE problem_tokens (
	token      TEXT NOT NULL,
	problem_id BIGINT NOT NULL
);
INSERT INTO problem_tokens (token, problem_id)
	SELECT DISTINCT t.token, s.problem_id FROM problem_search s, unnest(s.tokens) AS t(token);
ALTER TABLE problem_tokens ADD PRIMARY KEY (token, problem_id);
DROP INDEX problem_search_tokens;

CREATE TABLE case_tokens (
	token   TEXT NOT NULL,
	case_id BIGINT NOT NULL
);
INSERT INTO case_tokens (token, case_id)
	SELECT DISTINCT t.token, s.case_id FROM case_search s, unnest(s.tokens) AS t(token);
ALTER TABLE case_tokens ADD PRIMARY KEY (token, case_id);
DROP INDEX case_search_tokens;

-- The planner picks a query's rarest token to drive it by how common each
-- is: keep the counts of many tokens, not only the hundred commonest.
ALTER TABLE problem_tokens ALTER COLUMN token SET STATISTICS 1000;
ALTER TABLE case_tokens ALTER COLUMN token SET STATISTICS 1000;
ANALYZE problem_tokens;
ANALYZE case_tokens;
