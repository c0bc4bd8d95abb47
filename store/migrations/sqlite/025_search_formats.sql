-- The format of each search index's tokens, by index ('case'): a store
-- whose tokens were made in an earlier format than the code's makes them
-- again when it opens (store/case_search.go ensureCaseSearch). A store
-- migrated from before this table has no row, so its cases are indexed
-- again once, with their units' initials and those of the enterprises and
-- places their texts name.
CREATE TABLE search_formats (
	name   TEXT PRIMARY KEY,
	format INTEGER NOT NULL
);
