package ducha

import (
	"strings"
	"time"
)

// Calendar counts case deadlines in working days: Monday to Friday, less
// the public holidays, plus the weekend days worked in their place (调休).
type Calendar struct {
	Holidays map[Date]bool
	Workdays map[Date]bool
}

// ParseDates reads a list of dates separated by commas, spaces or 、.
func ParseDates(s string) (map[Date]bool, error) {
	out := map[Date]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == '，' || r == '\n' }) {
		d, err := ParseDateISO(f)
		if err != nil {
			return nil, FieldError("holidays", "日期“%s”格式应为 YYYY-MM-DD", f)
		}
		out[d] = true
	}
	return out, nil
}

// IsWorkday reports whether d is a working day.
func (c Calendar) IsWorkday(d Date) bool {
	if c.Workdays[d] {
		return true
	}
	if c.Holidays[d] {
		return false
	}
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the date n working days after d: the deadline of a
// case forwarded on d with n working days to answer.
func (c Calendar) AddWorkdays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Deadline is the campaign's default deadline for a case forwarded on d:
// CaseDays calendar days after it, or working days when the campaign
// counts them.
func (c *Campaign) Deadline(d Date) Date {
	if !c.WorkingDays {
		return d.AddDays(c.CaseDays)
	}
	return c.Calendar().AddWorkdays(d, c.CaseDays)
}

// Calendar is the campaign's working-day calendar: its holidays and its
// weekend days worked (the dates were checked when the campaign was saved).
func (c *Campaign) Calendar() Calendar {
	var cal Calendar
	cal.Holidays, _ = ParseDates(c.Holidays)
	cal.Workdays, _ = ParseDates(c.Workdays)
	return cal
}
