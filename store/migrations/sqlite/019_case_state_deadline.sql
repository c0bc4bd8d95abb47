-- A case's deadline in its state history, so that what was overdue at the
-- end of a past period stays so when the deadline is moved later (the
-- discipline ranking). The current states take the cases' deadlines;
-- older states keep none, and are judged by the case's deadline.
ALTER TABLE case_states ADD COLUMN deadline TEXT;
UPDATE case_states SET deadline = (SELECT c.deadline FROM cases c WHERE c.id = case_states.case_id) WHERE valid_to IS NULL;
