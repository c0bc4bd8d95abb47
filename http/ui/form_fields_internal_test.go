package ui

import (
	"strings"
	"testing"

	"ducha"
	"ducha/http/web"
)

// TestParseFormDate reads every way an office types a date and names the
// value of an impossible or unreadable one.
func TestParseFormDate(t *testing.T) {
	for _, in := range []string{"2026年12月7日", "2026年12月07日", "2026-12-07", "2026-12-7", "2026/12/7", "2026.12.7",
		"20261207", " 2026年12月7号 ", "２０２６年１２月７日"} {
		d, err := web.ParseFormDate(in)
		if err != nil || d != "2026-12-07" {
			t.Errorf("parseFormDate(%q) = %q, %v; want 2026-12-07", in, d, err)
		}
	}
	if d, err := web.ParseFormDate("  "); err != nil || d != "" {
		t.Errorf("empty: %q, %v", d, err)
	}
	for _, in := range []string{"2026年2月30日", "2026-13-01", "20261332", "2026/2/29", "46387", "明天", "2026年底", "12/7"} {
		d, err := web.ParseFormDate(in)
		if err == nil {
			t.Errorf("parseFormDate(%q) = %q, want an error", in, d)
			continue
		}
		if !strings.Contains(err.Error(), "“"+strings.TrimSpace(in)+"”") || !strings.Contains(err.Error(), "2026年12月7日") {
			t.Errorf("parseFormDate(%q): message %q does not name the value and the form", in, err)
		}
	}
}

// TestPageDate shows days as 2026年12月7日 and keeps what was typed.
func TestPageDate(t *testing.T) {
	var p page
	if got := p.Date("2026-12-07"); got != "2026年12月7日" {
		t.Errorf("Date = %q", got)
	}
	if got := p.DateValue(ducha.Date("2027-01-15")); got != "2027年1月15日" {
		t.Errorf("DateValue(Date) = %q", got)
	}
	if got := p.DateValue("2026年2月30日"); got != "2026年2月30日" {
		t.Errorf("DateValue(typed) = %q", got)
	}
}

// TestFieldErrors keeps each field's first message and says how many more
// fields are wrong.
func TestFieldErrors(t *testing.T) {
	var fe ducha.FieldErrors
	if fe.Err() != nil {
		t.Fatal("empty collector gave an error")
	}
	fe.Add("description", "问题描述不能为空")
	fe.Merge(ducha.FieldError("deadline", "日期无效"))
	fe.Add("description", "second message")
	if fe.Merge(ducha.NotFound("问题")) {
		t.Error("a not-found error was merged as a field error")
	}
	err := fe.Err()
	var e *ducha.Error
	if !asError(err, &e) || e.Code != ducha.EINVALID || len(e.Fields) != 2 || e.Fields["description"] != "问题描述不能为空" ||
		e.Message != "问题描述不能为空（另有1个字段有误）" {
		t.Errorf("collected: %#v", err)
	}
}

func asError(err error, e **ducha.Error) bool {
	x, ok := err.(*ducha.Error)
	*e = x
	return ok
}

// TestMissingMeasures finds the fine a handling text reports and the rows
// leave out, and takes a confirmation not to count it.
func TestMissingMeasures(t *testing.T) {
	text := "责令立即整改，对其立案处罚，罚款5万元，约谈负责人2人。"
	got := missingMeasures(text, nil, nil)
	if len(got) != 2 || got[0].Key != ducha.MeasurePenaltyCase || got[1].Key != ducha.MeasureInterviewed || got[0].Confirmed {
		t.Fatalf("no rows: %+v", got)
	}
	rows := []measureRow{{Kind: ducha.MeasurePenaltyCase, Enterprise: "宏达公司"}, {Kind: ducha.MeasureInterviewed, Persons: "2"}}
	if got = missingMeasures(text, rows, nil); len(got) != 1 || got[0].Key != "fine" || !strings.Contains(got[0].Label, "50000.00") {
		t.Errorf("penalty without its fine: %+v", got)
	}
	rows[0].Fine = "50000"
	if got = missingMeasures(text, rows, nil); len(got) != 0 {
		t.Errorf("all there: %+v", got)
	}
	if got = missingMeasures(text, nil, []string{ducha.MeasurePenaltyCase}); len(got) != 2 || !got[0].Confirmed || got[1].Confirmed {
		t.Errorf("confirmed: %+v", got)
	}
}
