-- Documents (文件库): the county's work papers with their original files
-- and their normalised text, searched through document_search (the same
-- two-character tokens as problems, rowid = document id).
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('work_plan', 'notice', 'minutes', 'feedback', 'other')),
	title        TEXT NOT NULL,
	date         TEXT,
	text         TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	data         BLOB NOT NULL,
	uploaded_by  INTEGER REFERENCES users(id), -- NULL: the system account
	uploaded_at  TEXT NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX documents_kind ON documents(kind, id);

CREATE VIRTUAL TABLE document_search USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- The document request list (调阅清单): what the inspection team asks to
-- see, the unit that supplies it by when, the supplied copy, the
-- coordinator's check (真实、统一) and the hand-over to the team.
CREATE TABLE doc_requests (
	id            INTEGER PRIMARY KEY,
	no            INTEGER NOT NULL UNIQUE,
	item          TEXT NOT NULL,
	unit_id       INTEGER NOT NULL REFERENCES units(id),
	due           TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('requested', 'supplied', 'checked', 'handed_over')),
	file_name     TEXT,
	content_type  TEXT,
	size          INTEGER,
	sha256        TEXT,
	data          BLOB,
	supply_note   TEXT NOT NULL DEFAULT '',
	supplied_by   INTEGER REFERENCES users(id),
	supplied_at   TEXT,
	authentic     INTEGER NOT NULL DEFAULT 0,
	consistent    INTEGER NOT NULL DEFAULT 0,
	check_note    TEXT NOT NULL DEFAULT '',
	checked_by    INTEGER REFERENCES users(id),
	checked_at    TEXT,
	return_reason TEXT NOT NULL DEFAULT '',
	handed_to     TEXT NOT NULL DEFAULT '',
	hand_note     TEXT NOT NULL DEFAULT '',
	handed_by     INTEGER REFERENCES users(id),
	handed_at     TEXT,
	created_by    INTEGER REFERENCES users(id),
	created_at    TEXT NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX doc_requests_unit ON doc_requests(unit_id, status, no);
CREATE INDEX doc_requests_status ON doc_requests(status, no);
