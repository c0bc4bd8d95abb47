-- Documents (文件库): the county's work papers with their original files
-- and their normalised text, searched through document_search (the same
-- two-character tokens as problems, PostgreSQL: document_tokens).
CREATE TABLE documents (
	id           BIGSERIAL PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('work_plan', 'notice', 'minutes', 'feedback', 'other')),
	title        TEXT NOT NULL,
	date         TEXT,
	text         TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	data         BYTEA NOT NULL,
	uploaded_by  BIGINT REFERENCES users(id), -- NULL: the system account
	uploaded_at  TEXT NOT NULL,
	version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX documents_kind ON documents(kind, id);

-- Each document's list of tokens, and the tokens one a row keyed on
-- (token, document), as problems' and cases' (migration 012).
CREATE TABLE document_search (
	document_id BIGINT PRIMARY KEY,
	tokens      TEXT[] NOT NULL
);
CREATE TABLE document_tokens (
	token       TEXT NOT NULL,
	document_id BIGINT NOT NULL,
	PRIMARY KEY (token, document_id)
);
ALTER TABLE document_tokens ALTER COLUMN token SET STATISTICS 1000;

-- The document request list (调阅清单): what the inspection team asks to
-- see, the unit that supplies it by when, the supplied copy, the
-- coordinator's check (真实、统一) and the hand-over to the team.
CREATE TABLE doc_requests (
	id            BIGSERIAL PRIMARY KEY,
	no            BIGINT NOT NULL UNIQUE,
	item          TEXT NOT NULL,
	unit_id       BIGINT NOT NULL REFERENCES units(id),
	due           TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('requested', 'supplied', 'checked', 'handed_over')),
	file_name     TEXT,
	content_type  TEXT,
	size          BIGINT,
	sha256        TEXT,
	data          BYTEA,
	supply_note   TEXT NOT NULL DEFAULT '',
	supplied_by   BIGINT REFERENCES users(id),
	supplied_at   TEXT,
	authentic     BIGINT NOT NULL DEFAULT 0,
	consistent    BIGINT NOT NULL DEFAULT 0,
	check_note    TEXT NOT NULL DEFAULT '',
	checked_by    BIGINT REFERENCES users(id),
	checked_at    TEXT,
	return_reason TEXT NOT NULL DEFAULT '',
	handed_to     TEXT NOT NULL DEFAULT '',
	hand_note     TEXT NOT NULL DEFAULT '',
	handed_by     BIGINT REFERENCES users(id),
	handed_at     TEXT,
	created_by    BIGINT REFERENCES users(id),
	created_at    TEXT NOT NULL,
	version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX doc_requests_unit ON doc_requests(unit_id, status, no);
CREATE INDEX doc_requests_status ON doc_requests(status, no);
