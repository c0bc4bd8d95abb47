-- Cases as real published tables write them (issue 7).
--
-- Acceptance numbers are kept as written; acceptance_key (ASCII letters
-- upper-cased) is their identity, so x3sx… and X3SX… are one case.
ALTER TABLE cases ADD COLUMN acceptance_key TEXT NOT NULL DEFAULT '';
UPDATE cases SET acceptance_key = upper(acceptance_no);
CREATE UNIQUE INDEX cases_acceptance_key ON cases(acceptance_key);

-- 办结目标 of a table brought in with results; a 重复件 kept as its own
-- case points at the first case, a 补充办理件 at the case it adds to (no
-- foreign key: a file may name a later row, and restore inserts by id).
ALTER TABLE cases ADD COLUMN target TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN duplicate_of BIGINT;
ALTER TABLE cases ADD COLUMN supplement_of BIGINT;
CREATE INDEX cases_duplicate_of ON cases(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX cases_supplement_of ON cases(supplement_of) WHERE supplement_of IS NOT NULL;

-- Counts by every channel (来电 and 来信 keep their columns), the intake
-- window the batch covers, and whether it was brought in with results
-- (as_kept): then its cases are known from its date (known_at), not from
-- the import.
ALTER TABLE batches ADD COLUMN wechat BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN online BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN visit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN other_channel BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN window_from TEXT;
ALTER TABLE batches ADD COLUMN window_to TEXT;
ALTER TABLE batches ADD COLUMN as_kept BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN known_at TEXT NOT NULL DEFAULT '';
UPDATE batches SET known_at = imported_at;

-- A file may name one number more than twice: each repeat is its row.
ALTER TABLE batch_duplicates DROP CONSTRAINT batch_duplicates_pkey;
ALTER TABLE batch_duplicates ADD PRIMARY KEY (batch_id, row_number);
CREATE INDEX batch_duplicates_case ON batch_duplicates(case_id);

-- A duplicate is counted apart in the report: the state carries the flag,
-- and the report index groups by it after the channel.
ALTER TABLE case_states ADD COLUMN is_duplicate BIGINT NOT NULL DEFAULT 0;
DROP INDEX case_states_report;
CREATE INDEX case_states_report ON case_states(valid_to, area, types, channel, is_duplicate, key_flag, status, verdict,
	batch, valid_from, known_at, forwarded_date, case_id);
