-- Counting a township's problems by status reads this index alone.
CREATE INDEX problems_area_status ON problems(area, status, id);
