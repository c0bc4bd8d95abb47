package ducha_test

import (
	"fmt"
	"testing"
	"time"

	"ducha"
)

// Valid holds for a calendar day written as 2006-01-02 and for nothing
// else: not for a day the month lacks, nor a date written another way.
func TestDateValid(t *testing.T) {
	for _, d := range []ducha.Date{"2026-12-10", "2026-01-01", "2026-12-31", "2024-02-29", "2000-02-29", "2026-04-30"} {
		if !d.Valid() {
			t.Errorf("%q is not valid", d)
		}
	}
	for _, d := range []ducha.Date{"", "2026-02-29", "1900-02-29", "2026-04-31", "2026-02-30", "2026-13-01", "2026-00-10",
		"2026-12-00", "2026-12-32", "2026-2-3", "2026/02/03", "20261210", "2026-12-1x", "２０２６-１２-１０", " 2026-12-10",
		"2026-12-10 ", "2026-12-10T00:00", "-026-12-10", "2026-+2-10", "2026年12月10日", "12/31"} {
		if d.Valid() {
			t.Errorf("%q is valid", d)
		}
	}
	// Every day of four years, and the 29th to 31st of every month, as
	// time.Parse judges them.
	for y := 2023; y <= 2026; y++ {
		for m := 1; m <= 12; m++ {
			for day := 1; day <= 31; day++ {
				d := ducha.Date(fmt.Sprintf("%04d-%02d-%02d", y, m, day))
				_, err := time.Parse(ducha.DateLayout, string(d))
				if d.Valid() != (err == nil) {
					t.Errorf("%s: Valid %v, time.Parse %v", d, d.Valid(), err)
				}
			}
		}
	}
	// What is not a day is written and moved as none.
	if b, _ := ducha.Date("2026-02-30").MarshalJSON(); string(b) != "null" {
		t.Errorf("an invalid day as JSON: %s", b)
	}
	if d := ducha.Date("2026-02-30").AddDays(1); d != "2026-02-30" {
		t.Errorf("an invalid day moved: %s", d)
	}
}
