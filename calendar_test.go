package ducha_test

import (
	"testing"

	"ducha"
)

func TestCaseDeadlines(t *testing.T) {
	c := ducha.Campaign{Name: "x", CaseDays: 10}
	if d := c.Deadline("2026-12-10"); d != "2026-12-20" {
		t.Fatalf("calendar days: %s", d)
	}
	// Thursday 2026-12-31 + 10 working days, New Year's Day off, Sunday 2027-01-03 worked (调休).
	c.WorkingDays, c.Holidays, c.Workdays = true, "2027-01-01", "2027-01-03"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// Working days after 12-31: 01-03(Sun, worked) 04 05 06 07 08, 11 12 13 14 → the 10th is 01-14.
	if d := c.Deadline("2026-12-31"); d != "2027-01-14" {
		t.Fatalf("working days: %s", d)
	}
	c.Holidays = "2027-13-01"
	if err := c.Validate(); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Fatalf("bad holiday: %v", err)
	}
}
