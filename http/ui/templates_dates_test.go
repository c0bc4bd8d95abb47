package ui

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"ducha"
)

// Issue 11: a day is shown and typed as 2026年12月7日 whatever the
// browser's locale. An <input type="date"> shows the browser's own format
// (12/07/2026 on an English browser), and Time writes 2026-12-07 14:05.

var (
	reDateInput = regexp.MustCompile(`(?i)type\s*=\s*["']?date\b`)
	// reTimeCall is a template calling the page's Time: {{$.Time .At}}.
	reTimeCall = regexp.MustCompile(`\{\{[^}]*\.Time\s`)
)

// TestTemplatesNoDateInput fails for a template with a date input or
// an instant written as 2026-12-07 14:05.
func TestTemplatesNoDateInput(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(names) < 30 {
		t.Fatalf("templates: %d %v", len(names), err)
	}
	for _, check := range []struct {
		what string
		re   *regexp.Regexp
	}{
		{`type="date"`, reDateInput},
		{"Time (write DateTime)", reTimeCall},
	} {
		for _, n := range names {
			b, err := fs.ReadFile(templateFS, n)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(n, "templates/")
			if found := check.re.FindAllString(string(b), -1); len(found) > 0 {
				t.Errorf("%s has %s: %q", name, check.what, found)
			}
		}
	}
}

// TestDateTime: instants in Beijing time whatever their zone, days as
// 2026年12月7日, anything else as it is.
func TestDateTime(t *testing.T) {
	p := &page{}
	for raw, want := range map[string]string{
		"2026-12-07T06:05:00Z":      "2026年12月7日 14:05",
		"2026-12-31T16:30:00Z":      "2027年1月1日 00:30",
		"2026-03-09T09:05:00+08:00": "2026年3月9日 09:05",
	} {
		at, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.DateTime(at); got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
	if got := p.DateTime(time.Time{}); got != "" {
		t.Errorf("the zero time: %q", got)
	}
	for day, want := range map[string]string{"2026-12-07": "2026年12月7日", "2027-01-31": "2027年1月31日", "": "", "明年底": "明年底", "2026-13-01": "2026-13-01"} {
		if got := p.Date(ducha.Date(day)); got != want {
			t.Errorf("Date(%q) = %q, want %q", day, got, want)
		}
	}
}
