package text

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Words that a rectification deadline cell may hold instead of a date.
const (
	// WordLongTerm marks a task that has no end date (长期坚持).
	WordLongTerm = "长期坚持"
	// WordImmediate marks a task to be fixed at once (立行立改).
	WordImmediate = "立行立改"
)

// Deadline is a parsed rectification deadline (整改时限).
type Deadline struct {
	// Date is the deadline at midnight UTC; zero when HasDate is false.
	Date time.Time
	// HasDate reports whether the cell held a date.
	HasDate bool
	// Word is WordLongTerm or WordImmediate when the cell held one of them
	// instead of a date, and "" otherwise.
	Word string
	// Text is the cell as written, normalized with Clean.
	Text string
}

// ErrEmptyDate is returned by ParseDate for an empty or blank value.
var ErrEmptyDate = errors.New("日期为空")

var (
	reISO       = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})[ Tt](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$`)
	reSep       = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	reYMD       = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$`)
	reMonthEnd  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月份?[底末]$`)
	reYearEnd   = regexp.MustCompile(`^(\d{4})年(?:年底|年末|底|末)$`)
	reSerial    = regexp.MustCompile(`^(\d{1,7})(?:\.(\d+))?$`)
	excelBase   = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	maxSerial   = 2958465 // 9999-12-31
	deadlineEnd = []string{"之前", "以前", "前"}
)

// ParseDeadline reads a deadline cell. Text is always Clean(raw).
//
// Dates may be written 2026-12-07, 2026-12-7, 2026/12/7, 2026.12.07,
// 2026年12月7日 (日 or 号 optional), with full-width digits, as an ISO
// date-time (2026-12-31 00:00:00, 2026-12-31T00:00:00Z; the written
// calendar date is taken and the time and zone are ignored), or as an Excel
// serial number written as text (46387 → 2026-12-31, see [ExcelSerialDate]).
// A trailing 前, 之前 or 以前 is allowed. Month ends (2027年6月底前,
// 2026年12月底, 2026年12月末) give the last day of the month, year ends
// (2026年底前, 2026年年底, 2026年末) give 31 December. Years run from 1900
// to 9999.
//
// 长期坚持 and 立行立改 (also in traditional characters) give HasDate false
// and Word set; an empty cell gives HasDate false, Word "" and no error.
// Anything else, an impossible date such as 2026年2月30日 included, gives
// an error whose message names the value: 无法识别的日期“2026年13月1日”.
func ParseDeadline(raw string) (Deadline, error) {
	d := Deadline{Text: Clean(raw)}
	if d.Text == "" {
		return d, nil
	}
	if m := reISO.FindStringSubmatch(d.Text); m != nil {
		t, ok := isoDate(m)
		if !ok {
			return d, unknownDate(d.Text)
		}
		d.Date, d.HasDate = t, true
		return d, nil
	}
	s := strings.ReplaceAll(d.Text, " ", "")
	s = strings.TrimRight(s, "。.")
	if s == WordLongTerm || s == WordImmediate {
		d.Word = s
		return d, nil
	}
	t, ok := parseDateCore(s)
	if !ok {
		return d, unknownDate(d.Text)
	}
	d.Date, d.HasDate = t, true
	return d, nil
}

// ParseDate reads a plain date in any of the forms that ParseDeadline
// accepts. Words such as 长期坚持 are errors, and so is an empty value
// (ErrEmptyDate). The result is midnight UTC.
func ParseDate(raw string) (time.Time, error) {
	d, err := ParseDeadline(raw)
	switch {
	case err != nil:
		return time.Time{}, err
	case d.Text == "":
		return time.Time{}, ErrEmptyDate
	case !d.HasDate:
		return time.Time{}, unknownDate(d.Text)
	}
	return d.Date, nil
}

// ExcelSerialDate converts an Excel (1900 date system) serial day number
// to a date at midnight UTC. Serials run from 1 (1900-01-01) to 2958465
// (9999-12-31). Excel counts a 29 February 1900 that never was: serial 60
// is that day and is rejected, serials 1–59 count from 1899-12-31 and
// serials from 61 on from 1899-12-30.
func ExcelSerialDate(serial int) (time.Time, bool) {
	switch {
	case serial < 1 || serial > maxSerial || serial == 60:
		return time.Time{}, false
	case serial < 60:
		return excelBase.AddDate(0, 0, serial+1), true
	}
	return excelBase.AddDate(0, 0, serial), true
}

// unknownDate is the error for a value that is not a date.
func unknownDate(s string) error {
	return fmt.Errorf("无法识别的日期“%s”", s)
}

// parseDateCore parses s, a cleaned value without spaces, as one of the
// date forms of ParseDeadline other than ISO date-time.
func parseDateCore(s string) (time.Time, bool) {
	for _, suffix := range deadlineEnd {
		if strings.HasSuffix(s, suffix) {
			s = strings.TrimSuffix(s, suffix)
			break
		}
	}
	if m := reSep.FindStringSubmatch(s); m != nil {
		if m[2] != m[4] {
			return time.Time{}, false
		}
		return makeDate(m[1], m[3], m[5])
	}
	if m := reYMD.FindStringSubmatch(s); m != nil {
		return makeDate(m[1], m[2], m[3])
	}
	if m := reMonthEnd.FindStringSubmatch(s); m != nil {
		first, ok := makeDate(m[1], m[2], "1")
		if !ok {
			return time.Time{}, false
		}
		return first.AddDate(0, 1, -1), true
	}
	if m := reYearEnd.FindStringSubmatch(s); m != nil {
		return makeDate(m[1], "12", "31")
	}
	if m := reSerial.FindStringSubmatch(s); m != nil {
		// A fraction is a time of day; accept it only on a five-digit or
		// longer serial so that 2026.12 is not taken for a day in 1905.
		if m[2] != "" && len(m[1]) < 5 {
			return time.Time{}, false
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return time.Time{}, false
		}
		return ExcelSerialDate(n)
	}
	return time.Time{}, false
}

// isoDate checks the time part of an ISO date-time match and returns its
// calendar date.
func isoDate(m []string) (time.Time, bool) {
	h, _ := strconv.Atoi(m[4])
	mi, _ := strconv.Atoi(m[5])
	sec := 0
	if m[6] != "" {
		sec, _ = strconv.Atoi(m[6])
	}
	if h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	return makeDate(m[1], m[2], m[3])
}

// makeDate builds a valid calendar date from decimal strings.
func makeDate(ys, ms, ds string) (time.Time, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}, false
	}
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2月30日 rolls over into March
		return time.Time{}, false
	}
	return t, true
}
