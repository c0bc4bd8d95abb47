// Package ducha is the domain of the county's environmental-inspection
// system: problems and their rectification, units, users, campaigns and the
// audit trail. It holds types, validation, the workflows as pure functions and
// the service interfaces; it has no SQL and no HTTP. The store lives in
// package store, the web server in package http, Excel in package excel.
package ducha

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date in the form 2006-01-02, or "" for none. Dates are
// kept as text so that both stores compare and index them the same way.
type Date string

// DateLayout is the layout of a Date.
const DateLayout = "2006-01-02"

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date { return Date(t.Format(DateLayout)) }

// ParseDateISO parses a Date in the form 2006-01-02.
func ParseDateISO(s string) (Date, error) {
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return "", fmt.Errorf("invalid date %q", s)
	}
	return DateOf(t), nil
}

// Valid reports whether d is a calendar day written as DateLayout says:
// 2026-02-28 is, and "", 2026-02-30, 2026-2-3 and 2026/02/03 are not. It
// is checked by hand, not by time.Parse, because lists call it for every
// deadline of every row.
func (d Date) Valid() bool {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return false
	}
	num := func(s Date) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(d[:4])
	m, ok2 := num(d[5:7])
	day, ok3 := num(d[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || day < 1 {
		return false
	}
	return day <= daysIn(y, time.Month(m))
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns midnight UTC of d; the zero time when d is not set.
func (d Date) Time() time.Time {
	t, _ := time.Parse(DateLayout, string(d))
	return t
}

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date {
	if !d.Valid() {
		return d
	}
	return DateOf(d.Time().AddDate(0, 0, n))
}

// DaysUntil returns the number of calendar days from d to e (negative when e is before d).
func (d Date) DaysUntil(e Date) int {
	return int(e.Time().Sub(d.Time()).Hours() / 24)
}

// MarshalJSON writes a Date as a string, or null when not set.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.Valid() {
		return []byte("null"), nil
	}
	return json.Marshal(string(d))
}

// UnmarshalJSON reads a Date from a "2006-01-02" string or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDateISO(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// TimeLayout is how instants are written in the stores and in the audit
// chain: UTC with microseconds, so that text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime writes t in TimeLayout.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads a time written by FormatTime.
func ParseTime(s string) time.Time {
	t, _ := time.Parse(TimeLayout, s)
	return t
}

// Clock tells the time; stores and servers take one so tests can fix "now".
type Clock func() time.Time

// Location is the county's time zone: "today" and deadlines are judged in it.
var Location = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Today returns the calendar date of t in the county's time zone.
func Today(t time.Time) Date { return DateOf(t.In(Location)) }

type contextKey int

const userContextKey contextKey = iota

// NewContextWithUser returns a context that carries the acting user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting user, or nil when there is none.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}
