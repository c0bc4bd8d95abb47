-- Two additions for the pages of issue 11.
--
-- The enterprise list counts the problems whose subject each enterprise is
-- (store/enterprise.go: p.subject = e.name); without an index that walked
-- every problem once per enterprise listed (minutes at 1,000,000).
CREATE INDEX problems_subject ON problems(subject);

-- The counters' layout (store/tally.go tallyFormat): a store whose counters
-- were built in an earlier one counts them again when it opens.
ALTER TABLE tally_meta ADD COLUMN format INTEGER NOT NULL DEFAULT 0;
