-- A yellow warning's page walks a few days of deadlines (issue 8): with
-- the area in the index, "yellow in 永清镇" is answered from it, not by
-- reading each problem due.
DROP INDEX problems_deadline;
CREATE INDEX problems_deadline ON problems(deadline, status, area);
