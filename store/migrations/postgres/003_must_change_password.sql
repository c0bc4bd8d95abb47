-- A password handed out by someone else (the first admin's, one set by an
-- admin) must be changed at the first login.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
