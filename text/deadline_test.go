package text

import (
	"errors"
	"testing"
	"time"
)

func date(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

func TestParseDeadline(t *testing.T) {
	tests := []struct {
		in   string
		want Deadline
	}{
		{"2026-12-07", Deadline{date(2026, 12, 7), true, "", "2026-12-07"}},
		{"2026-12-7", Deadline{date(2026, 12, 7), true, "", "2026-12-7"}},
		{"2026/12/7", Deadline{date(2026, 12, 7), true, "", "2026/12/7"}},
		{"2027/6/30", Deadline{date(2027, 6, 30), true, "", "2027/6/30"}},
		{"2026.12.07", Deadline{date(2026, 12, 7), true, "", "2026.12.07"}},
		{"2026年12月7日", Deadline{date(2026, 12, 7), true, "", "2026年12月7日"}},
		{"2026年12月7号", Deadline{date(2026, 12, 7), true, "", "2026年12月7号"}},
		{"2026 年 12 月 7 日", Deadline{date(2026, 12, 7), true, "", "2026 年 12 月 7 日"}},
		{"２０２７年３月３１日", Deadline{date(2027, 3, 31), true, "", "2027年3月31日"}},
		{"２０２７－０３－３１", Deadline{date(2027, 3, 31), true, "", "2027-03-31"}},
		{"2027年12月31日前", Deadline{date(2027, 12, 31), true, "", "2027年12月31日前"}},
		{"2027年12月31日之前", Deadline{date(2027, 12, 31), true, "", "2027年12月31日之前"}},
		{"2027年12月31日以前", Deadline{date(2027, 12, 31), true, "", "2027年12月31日以前"}},
		{"2027-12-31前", Deadline{date(2027, 12, 31), true, "", "2027-12-31前"}},
		{"2027年6月底前", Deadline{date(2027, 6, 30), true, "", "2027年6月底前"}},
		{"2026年12月底", Deadline{date(2026, 12, 31), true, "", "2026年12月底"}},
		{"2028年2月底", Deadline{date(2028, 2, 29), true, "", "2028年2月底"}},
		{"2027年2月末", Deadline{date(2027, 2, 28), true, "", "2027年2月末"}},
		{"2026年底前", Deadline{date(2026, 12, 31), true, "", "2026年底前"}},
		{"2026年年底", Deadline{date(2026, 12, 31), true, "", "2026年年底"}},
		{"2026年底", Deadline{date(2026, 12, 31), true, "", "2026年底"}},
		{"2026年年底前", Deadline{date(2026, 12, 31), true, "", "2026年年底前"}},
		{"46387", Deadline{date(2026, 12, 31), true, "", "46387"}},
		{"46387.5", Deadline{date(2026, 12, 31), true, "", "46387.5"}},
		{"2026-12-31 00:00:00", Deadline{date(2026, 12, 31), true, "", "2026-12-31 00:00:00"}},
		{"2026-12-31T00:00:00Z", Deadline{date(2026, 12, 31), true, "", "2026-12-31T00:00:00Z"}},
		{"2026-12-31T08:30:00+08:00", Deadline{date(2026, 12, 31), true, "", "2026-12-31T08:30:00+08:00"}},
		{"2026-12-31 23:59", Deadline{date(2026, 12, 31), true, "", "2026-12-31 23:59"}},
		{" 2026-12-07\u3000", Deadline{date(2026, 12, 7), true, "", "2026-12-07"}},
		{"长期坚持", Deadline{Word: "长期坚持", Text: "长期坚持"}},
		{"長期堅持", Deadline{Word: "长期坚持", Text: "长期坚持"}},
		{"立行立改", Deadline{Word: "立行立改", Text: "立行立改"}},
		{"立行立改。", Deadline{Word: "立行立改", Text: "立行立改。"}},
		{"", Deadline{}},
		{" \u3000", Deadline{}},
	}
	for _, tt := range tests {
		got, err := ParseDeadline(tt.in)
		if err != nil {
			t.Errorf("ParseDeadline(%q) error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDeadline(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseDeadlineErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"2026年13月1日", "无法识别的日期“2026年13月1日”"},
		{"2026年2月30日", "无法识别的日期“2026年2月30日”"},
		{"2027-02-29", "无法识别的日期“2027-02-29”"},
		{"2026-12/07", "无法识别的日期“2026-12/07”"},
		{"2026-12-31 24:00:00", "无法识别的日期“2026-12-31 24:00:00”"},
		{"下月底", "无法识别的日期“下月底”"},
		{"长期", "无法识别的日期“长期”"},
		{"2026年", "无法识别的日期“2026年”"},
		{"2026.12", "无法识别的日期“2026.12”"},
		{"0", "无法识别的日期“0”"},
		{"60", "无法识别的日期“60”"},
		{"2958466", "无法识别的日期“2958466”"},
		{"0026-01-01", "无法识别的日期“0026-01-01”"},
		{"１２月", "无法识别的日期“12月”"},
	}
	for _, tt := range tests {
		got, err := ParseDeadline(tt.in)
		if err == nil {
			t.Errorf("ParseDeadline(%q) = %+v, want error", tt.in, got)
			continue
		}
		if err.Error() != tt.msg {
			t.Errorf("ParseDeadline(%q) error %q, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestExcelSerialDate(t *testing.T) {
	tests := []struct {
		serial int
		want   time.Time
		ok     bool
	}{
		{1, date(1900, 1, 1), true},
		{59, date(1900, 2, 28), true},
		{60, time.Time{}, false},
		{61, date(1900, 3, 1), true},
		{46387, date(2026, 12, 31), true},
		{46363, date(2026, 12, 7), true},
		{2958465, date(9999, 12, 31), true},
		{0, time.Time{}, false},
		{-1, time.Time{}, false},
		{2958466, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ExcelSerialDate(tt.serial)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ExcelSerialDate(%d) = %v, %v; want %v, %v", tt.serial, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	good := []struct {
		in   string
		want time.Time
	}{
		{"2026年12月8日", date(2026, 12, 8)},
		{"2026/12/8", date(2026, 12, 8)},
		{"46364", date(2026, 12, 8)},
		{"2026年12月底", date(2026, 12, 31)},
	}
	for _, tt := range good {
		got, err := ParseDate(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"长期坚持", "无法识别的日期“长期坚持”"},
		{"立行立改", "无法识别的日期“立行立改”"},
		{"2026年2月29日", "无法识别的日期“2026年2月29日”"},
		{"", "日期为空"},
	}
	for _, tt := range bad {
		got, err := ParseDate(tt.in)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("ParseDate(%q) = %v, %v; want error %q", tt.in, got, err, tt.msg)
		}
	}
	if _, err := ParseDate(" "); !errors.Is(err, ErrEmptyDate) {
		t.Errorf("ParseDate(blank) error %v, want ErrEmptyDate", err)
	}
}
