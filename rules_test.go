package ducha_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"ducha"
)

// defaultRulesJSON is the rules object of SPEC section 6, byte for byte.
const defaultRulesJSON = `{"yellow_days":3,"reminder_on_red":true,"supervision_after_days":3,"listed_after_days":7,"answer_days":2,"working_days":false,"closure_levels":["县级"],"publicity_days":0,"publicity_working_days":true,"publicity_office":"","publicity_phone":"","head_signoff":false,"progress_period_months":3,"quiet_hours":"22:00-07:00"}`

func TestDefaultRulesJSON(t *testing.T) {
	b, err := json.Marshal(ducha.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != defaultRulesJSON {
		t.Fatalf("json.Marshal(DefaultRules()) =\n%s\nwant\n%s", b, defaultRulesJSON)
	}
	var back ducha.Rules
	if err := json.Unmarshal([]byte(defaultRulesJSON), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, ducha.DefaultRules()) {
		t.Fatalf("decoded %+v, want %+v", back, ducha.DefaultRules())
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("the defaults do not validate: %v", err)
	}
}

// TestRulesDecodeOntoDefaults checks the way campaigns read their rules:
// keys left out keep their defaults, and decoding never writes into the
// defaults another call returned.
func TestRulesDecodeOntoDefaults(t *testing.T) {
	first := ducha.DefaultRules()
	r := ducha.DefaultRules()
	if err := json.Unmarshal([]byte(`{"answer_days":5,"closure_levels":["市级"]}`), &r); err != nil {
		t.Fatal(err)
	}
	want := ducha.DefaultRules()
	want.AnswerDays, want.ClosureLevels = 5, []string{"市级"}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("decoded %+v, want %+v", r, want)
	}
	if first.ClosureLevels[0] != "县级" || ducha.DefaultRules().ClosureLevels[0] != "县级" {
		t.Fatalf("decoding changed the defaults: %v", first.ClosureLevels)
	}
}

func TestRulesValidate(t *testing.T) {
	levels := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, strings.Repeat("级", i+1))
		}
		return out
	}
	cases := []struct {
		name  string
		edit  func(r *ducha.Rules)
		field string // "" when the rules are valid
	}{
		{"defaults", func(r *ducha.Rules) {}, ""},
		{"yellow 0", func(r *ducha.Rules) { r.YellowDays = 0 }, ""},
		{"yellow 30", func(r *ducha.Rules) { r.YellowDays = 30 }, ""},
		{"yellow -1", func(r *ducha.Rules) { r.YellowDays = -1 }, "yellow_days"},
		{"yellow 31", func(r *ducha.Rules) { r.YellowDays = 31 }, "yellow_days"},
		{"supervision 0", func(r *ducha.Rules) { r.SupervisionAfterDays = 0 }, "supervision_after_days"},
		{"supervision 366", func(r *ducha.Rules) { r.SupervisionAfterDays, r.ListedAfterDays = 366, 365 }, "supervision_after_days"},
		{"supervision 1", func(r *ducha.Rules) { r.SupervisionAfterDays = 1 }, ""},
		{"listed 0", func(r *ducha.Rules) { r.ListedAfterDays = 0 }, "listed_after_days"},
		{"listed 366", func(r *ducha.Rules) { r.ListedAfterDays = 366 }, "listed_after_days"},
		{"listed 365", func(r *ducha.Rules) { r.ListedAfterDays = 365 }, ""},
		{"listed equals supervision", func(r *ducha.Rules) { r.SupervisionAfterDays, r.ListedAfterDays = 5, 5 }, "listed_after_days"},
		{"listed before supervision", func(r *ducha.Rules) { r.SupervisionAfterDays, r.ListedAfterDays = 5, 4 }, "listed_after_days"},
		{"listed one after supervision", func(r *ducha.Rules) { r.SupervisionAfterDays, r.ListedAfterDays = 5, 6 }, ""},
		{"answer 0", func(r *ducha.Rules) { r.AnswerDays = 0 }, "answer_days"},
		{"answer 31", func(r *ducha.Rules) { r.AnswerDays = 31 }, "answer_days"},
		{"answer 30", func(r *ducha.Rules) { r.AnswerDays = 30 }, ""},
		{"no closure level", func(r *ducha.Rules) { r.ClosureLevels = nil }, "closure_levels"},
		{"ten closure levels", func(r *ducha.Rules) { r.ClosureLevels = levels(10) }, ""},
		{"eleven closure levels", func(r *ducha.Rules) { r.ClosureLevels = levels(11) }, "closure_levels"},
		{"blank closure level", func(r *ducha.Rules) { r.ClosureLevels = []string{"县级", "  "} }, "closure_levels"},
		{"20-rune level", func(r *ducha.Rules) { r.ClosureLevels = []string{strings.Repeat("验", 20)} }, ""},
		{"21-rune level", func(r *ducha.Rules) { r.ClosureLevels = []string{strings.Repeat("验", 21)} }, "closure_levels"},
		{"duplicate level after trimming", func(r *ducha.Rules) { r.ClosureLevels = []string{"县级", " 县级 "} }, "closure_levels"},
		{"publicity -1", func(r *ducha.Rules) { r.PublicityDays = -1 }, "publicity_days"},
		{"publicity 61", func(r *ducha.Rules) { r.PublicityDays = 61 }, "publicity_days"},
		{"publicity 60", func(r *ducha.Rules) { r.PublicityDays = 60 }, ""},
		{"no quiet hours", func(r *ducha.Rules) { r.QuietHours = "" }, ""},
		{"quiet hours at noon", func(r *ducha.Rules) { r.QuietHours = "12:00-13:30" }, ""},
		{"quiet hours to midnight", func(r *ducha.Rules) { r.QuietHours = "23:59-00:00" }, ""},
		{"quiet hours one digit", func(r *ducha.Rules) { r.QuietHours = "22:00-7:00" }, "quiet_hours"},
		{"quiet hours 24:00", func(r *ducha.Rules) { r.QuietHours = "22:00-24:00" }, "quiet_hours"},
		{"quiet hours 60 minutes", func(r *ducha.Rules) { r.QuietHours = "22:60-07:00" }, "quiet_hours"},
		{"quiet hours one time", func(r *ducha.Rules) { r.QuietHours = "22:00" }, "quiet_hours"},
		{"quiet hours words", func(r *ducha.Rules) { r.QuietHours = "夜间" }, "quiet_hours"},
		{"quiet hours start equals end", func(r *ducha.Rules) { r.QuietHours = "07:00-07:00" }, "quiet_hours"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ducha.DefaultRules()
			c.edit(&r)
			err := r.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v, want nil", err)
				}
				return
			}
			if ducha.ErrorCode(err) != ducha.EINVALID {
				t.Fatalf("Validate: %v, want invalid", err)
			}
			e := err.(*ducha.Error)
			if len(e.Fields) != 1 || e.Fields[c.field] == "" {
				t.Fatalf("fields %v, want only %s", e.Fields, c.field)
			}
			if e.Message != e.Fields[c.field] {
				t.Fatalf("message %q differs from the field's %q", e.Message, e.Fields[c.field])
			}
		})
	}
}

func TestRulesValidateTrims(t *testing.T) {
	r := ducha.DefaultRules()
	r.ClosureLevels = []string{" 县级", "市级 "}
	r.QuietHours = " 22:00-07:00 "
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.ClosureLevels, []string{"县级", "市级"}) || r.QuietHours != "22:00-07:00" {
		t.Fatalf("after Validate: levels %q, quiet hours %q", r.ClosureLevels, r.QuietHours)
	}
}

func TestQuietHours(t *testing.T) {
	cst := ducha.Location
	at := func(day, h, m, s int) time.Time { return time.Date(2026, 12, day, h, m, s, 0, cst) }
	cases := []struct {
		name  string
		quiet string
		t     time.Time
		want  bool
		next  time.Time
	}{
		{"evening before", "22:00-07:00", at(10, 21, 59, 59), false, at(10, 21, 59, 59)},
		{"start is quiet", "22:00-07:00", at(10, 22, 0, 0), true, at(11, 7, 0, 0)},
		{"before midnight", "22:00-07:00", at(10, 23, 30, 0), true, at(11, 7, 0, 0)},
		{"midnight", "22:00-07:00", at(11, 0, 0, 0), true, at(11, 7, 0, 0)},
		{"last quiet second", "22:00-07:00", at(11, 6, 59, 59), true, at(11, 7, 0, 0)},
		{"end is not quiet", "22:00-07:00", at(11, 7, 0, 0), false, at(11, 7, 0, 0)},
		{"midday", "22:00-07:00", at(11, 12, 0, 0), false, at(11, 12, 0, 0)},
		{"month end crossing", "22:00-07:00", at(31, 23, 0, 0), true, time.Date(2027, 1, 1, 7, 0, 0, 0, cst)},
		{"lunch start", "12:00-13:30", at(10, 12, 0, 0), true, at(10, 13, 30, 0)},
		{"lunch inside", "12:00-13:30", at(10, 13, 29, 0), true, at(10, 13, 30, 0)},
		{"lunch end", "12:00-13:30", at(10, 13, 30, 0), false, at(10, 13, 30, 0)},
		{"before lunch", "12:00-13:30", at(10, 11, 59, 0), false, at(10, 11, 59, 0)},
		{"late night with a lunch window", "12:00-13:30", at(10, 23, 0, 0), false, at(10, 23, 0, 0)},
		{"no quiet hours", "", at(10, 23, 0, 0), false, at(10, 23, 0, 0)},
		{"malformed hours never quiet", "22-07", at(10, 23, 0, 0), false, at(10, 23, 0, 0)},
		// Validate refuses a window that starts where it ends; unchecked, it
		// must not silence everything.
		{"start equals end never quiet", "07:00-07:00", at(10, 8, 0, 0), false, at(10, 8, 0, 0)},
		// 15:00 UTC is 23:00 in the county; t is read in its own location.
		{"read in t's location", "22:00-07:00", time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC), false, time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)},
		{"quiet in UTC", "22:00-07:00", time.Date(2026, 12, 10, 23, 0, 0, 0, time.UTC), true, time.Date(2026, 12, 11, 7, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		r := ducha.Rules{QuietHours: c.quiet}
		if got := r.Quiet(c.t); got != c.want {
			t.Errorf("%s: Quiet(%s) = %v, want %v", c.name, c.t, got, c.want)
		}
		next := r.NextSend(c.t)
		if !next.Equal(c.next) || next.Location() != c.t.Location() {
			t.Errorf("%s: NextSend(%s) = %s, want %s", c.name, c.t, next, c.next)
		}
	}
}

// nationalDay is October 2026: the holiday runs Thursday 10-01 to Wednesday
// 10-07, and Saturday 10-10 is worked in its place (调休).
var nationalDay = ducha.Calendar{
	Holidays: map[ducha.Date]bool{"2026-10-01": true, "2026-10-02": true, "2026-10-03": true, "2026-10-04": true,
		"2026-10-05": true, "2026-10-06": true, "2026-10-07": true},
	Workdays: map[ducha.Date]bool{"2026-10-10": true},
}

func TestRulesDays(t *testing.T) {
	calendar := ducha.DefaultRules()
	working := ducha.DefaultRules()
	working.WorkingDays = true
	between := []struct {
		rules    ducha.Rules
		from, to ducha.Date
		want     int
	}{
		{calendar, "2026-12-01", "2026-12-02", 1},
		{calendar, "2026-12-01", "2026-12-01", 0},
		{calendar, "2026-12-05", "2026-12-01", 0},
		{calendar, "2026-12-01", "", 0},
		{calendar, "2026-11-30", "2026-12-10", 10},
		{calendar, "2026-09-30", "2026-10-10", 10},
		// Friday 12-04 to Monday 12-07: only the Monday is worked.
		{working, "2026-12-04", "2026-12-05", 0},
		{working, "2026-12-04", "2026-12-06", 0},
		{working, "2026-12-04", "2026-12-07", 1},
		{working, "2026-12-01", "2026-12-08", 5},
		// Wednesday 09-30 to the 调休 Saturday 10-10: 10-08, 10-09, 10-10.
		{working, "2026-09-30", "2026-10-07", 0},
		{working, "2026-09-30", "2026-10-09", 2},
		{working, "2026-09-30", "2026-10-10", 3},
		{working, "2026-09-30", "2026-10-11", 3},
		{working, "2026-10-10", "2026-10-09", 0},
	}
	for _, c := range between {
		if got := c.rules.DaysBetween(nationalDay, c.from, c.to); got != c.want {
			t.Errorf("DaysBetween(%s, %s) working=%v = %d, want %d", c.from, c.to, c.rules.WorkingDays, got, c.want)
		}
	}
	add := []struct {
		rules ducha.Rules
		d     ducha.Date
		n     int
		want  ducha.Date
	}{
		{calendar, "2026-12-05", 2, "2026-12-07"},
		{calendar, "2026-09-30", 2, "2026-10-02"},
		{calendar, "2026-12-31", 1, "2027-01-01"},
		// Friday 12-04 + 2 working days is Tuesday 12-08.
		{working, "2026-12-04", 2, "2026-12-08"},
		{working, "2026-12-05", 1, "2026-12-07"},
		// Wednesday 09-30 + 2 is Friday 10-09; + 3 the 调休 Saturday 10-10.
		{working, "2026-09-30", 2, "2026-10-09"},
		{working, "2026-09-30", 3, "2026-10-10"},
		{working, "2026-09-30", 4, "2026-10-12"},
	}
	for _, c := range add {
		if got := c.rules.AddDays(nationalDay, c.d, c.n); got != c.want {
			t.Errorf("AddDays(%s, %d) working=%v = %s, want %s", c.d, c.n, c.rules.WorkingDays, got, c.want)
		}
	}
}
