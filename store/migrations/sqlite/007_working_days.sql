-- Case deadlines may count working days, less holidays, plus 调休 workdays.
ALTER TABLE campaigns ADD COLUMN working_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN holidays TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN workdays TEXT NOT NULL DEFAULT '';
