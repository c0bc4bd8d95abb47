package ducha

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Rules are a campaign's supervision rules (督办规则): when an item turns
// yellow, when an overdue item gets a 催办, a 督办 or a 挂牌督办, how long a
// unit has to answer a notice, how closure is signed off, and when nothing
// may be sent to people. A campaign keeps them as one JSON object; decode it
// into DefaultRules() so that keys an older campaign lacks keep their
// defaults.
type Rules struct {
	// YellowDays is how many days before its deadline an item turns yellow.
	YellowDays int `json:"yellow_days"`
	// ReminderOnRed issues a 催办 as soon as an item is overdue; without it
	// the first notice is the 督办 after SupervisionAfterDays.
	ReminderOnRed bool `json:"reminder_on_red"`
	// SupervisionAfterDays is how many days an item may stay overdue before
	// a 督办, and ListedAfterDays before a 挂牌督办.
	SupervisionAfterDays int `json:"supervision_after_days"`
	ListedAfterDays      int `json:"listed_after_days"`
	// AnswerDays is how many days a unit has to sign for and answer a notice.
	AnswerDays int `json:"answer_days"`
	// WorkingDays counts all the days above in working days (Calendar).
	WorkingDays bool `json:"working_days"`
	// ClosureLevels are the sign-offs 销号 needs, in order (县级, 市级, …).
	ClosureLevels []string `json:"closure_levels"`
	// PublicityDays is the public notice (销号公示) before 销号; 0 for none.
	PublicityDays        int  `json:"publicity_days"`
	PublicityWorkingDays bool `json:"publicity_working_days"`
	// PublicityOffice and PublicityPhone are who takes objections during
	// the notice (受理单位, 监督电话), as the public page prints them.
	PublicityOffice string `json:"publicity_office"`
	PublicityPhone  string `json:"publicity_phone"`
	// HeadSignoff makes a unit head sign off (签发) a liaison's case
	// submission and closure application before the coordinator sees them.
	HeadSignoff bool `json:"head_signoff"`
	// ProgressPeriodMonths is the period by which long-term and
	// multi-month tasks report (序时进度): 3, a quarter, by default.
	ProgressPeriodMonths int `json:"progress_period_months"`
	// QuietHours is "HH:MM-HH:MM" in the county's time, during which nothing
	// is pushed to people; "" for none.
	QuietHours string `json:"quiet_hours"`
}

// DefaultRules returns the rules a new campaign starts with (SPEC section 6).
func DefaultRules() Rules {
	return Rules{
		YellowDays:           3,
		ReminderOnRed:        true,
		SupervisionAfterDays: 3,
		ListedAfterDays:      7,
		AnswerDays:           2,
		WorkingDays:          false,
		// A fresh slice each time, so that decoding into the defaults never
		// writes into another campaign's levels.
		ClosureLevels:        []string{"县级"},
		PublicityDays:        0,
		PublicityWorkingDays: true,
		HeadSignoff:          false,
		ProgressPeriodMonths: 3,
		QuietHours:           "22:00-07:00",
	}
}

// Limits of the rules, named in the messages of Validate.
const (
	maxYellowDays        = 30
	maxEscalationDays    = 365
	maxAnswerDays        = 30
	maxClosureLevels     = 10
	maxClosureLevelName  = 20
	maxPublicityDaysRule = 60
	maxPublicityText     = 100
)

// Validate checks the rules before they are stored. It trims the closure
// level names and the quiet hours in place, as Campaign.Validate fills in
// its defaults, so that what is stored is what was checked.
func (r *Rules) Validate() error {
	if r.YellowDays < 0 || r.YellowDays > maxYellowDays {
		return FieldError("yellow_days", "黄色预警天数应在0到%d之间", maxYellowDays)
	}
	if r.SupervisionAfterDays < 1 || r.SupervisionAfterDays > maxEscalationDays {
		return FieldError("supervision_after_days", "逾期转督办天数应在1到%d之间", maxEscalationDays)
	}
	if r.ListedAfterDays < 1 || r.ListedAfterDays > maxEscalationDays {
		return FieldError("listed_after_days", "逾期转挂牌督办天数应在1到%d之间", maxEscalationDays)
	}
	// A 挂牌督办 due no later than the 督办 would skip the 督办 altogether.
	if r.ListedAfterDays <= r.SupervisionAfterDays {
		return FieldError("listed_after_days", "逾期转挂牌督办天数（%d）应大于逾期转督办天数（%d）", r.ListedAfterDays, r.SupervisionAfterDays)
	}
	if r.AnswerDays < 1 || r.AnswerDays > maxAnswerDays {
		return FieldError("answer_days", "督办答复期限天数应在1到%d之间", maxAnswerDays)
	}
	if err := r.validateClosureLevels(); err != nil {
		return err
	}
	if r.PublicityDays < 0 || r.PublicityDays > maxPublicityDaysRule {
		return FieldError("publicity_days", "销号公示天数应在0到%d之间", maxPublicityDaysRule)
	}
	r.PublicityOffice, r.PublicityPhone = strings.TrimSpace(r.PublicityOffice), strings.TrimSpace(r.PublicityPhone)
	if utf8.RuneCountInString(r.PublicityOffice) > maxPublicityText {
		return FieldError("publicity_office", "公示受理单位超过%d个字", maxPublicityText)
	}
	if utf8.RuneCountInString(r.PublicityPhone) > maxPublicityText {
		return FieldError("publicity_phone", "监督电话超过%d个字", maxPublicityText)
	}
	switch r.ProgressPeriodMonths {
	case 1, 2, 3, 6, 12:
	default:
		return FieldError("progress_period_months", "序时进度的报送周期应为1、2、3、6或12个月")
	}
	r.QuietHours = strings.TrimSpace(r.QuietHours)
	if r.QuietHours != "" {
		start, end, ok := parseQuietHours(r.QuietHours)
		if !ok {
			return FieldError("quiet_hours", "免打扰时段“%s”格式应为 HH:MM-HH:MM，如22:00-07:00", r.QuietHours)
		}
		if start == end {
			return FieldError("quiet_hours", "免打扰时段“%s”的开始与结束时间不能相同", r.QuietHours)
		}
	}
	return nil
}

// validateClosureLevels checks the closure levels after trimming each name:
// a name of spaces is empty, and " 县级" is the same level as "县级".
func (r *Rules) validateClosureLevels() error {
	if len(r.ClosureLevels) == 0 {
		return FieldError("closure_levels", "验收层级至少设置一级")
	}
	if len(r.ClosureLevels) > maxClosureLevels {
		return FieldError("closure_levels", "验收层级最多设置%d级", maxClosureLevels)
	}
	levels := make([]string, len(r.ClosureLevels))
	seen := make(map[string]bool, len(levels))
	for i, name := range r.ClosureLevels {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			return FieldError("closure_levels", "第%d个验收层级名称不能为空", i+1)
		case utf8.RuneCountInString(name) > maxClosureLevelName:
			return FieldError("closure_levels", "验收层级名称“%s”超过%d个字", name, maxClosureLevelName)
		case seen[name]:
			return FieldError("closure_levels", "验收层级“%s”重复", name)
		}
		seen[name] = true
		levels[i] = name
	}
	r.ClosureLevels = levels
	return nil
}

// parseQuietHours reads "HH:MM-HH:MM" into minutes of the day. Start and
// end may cross midnight (22:00-07:00).
func parseQuietHours(s string) (start, end int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		return 0, 0, false
	}
	start, okA := parseClock(a)
	end, okB := parseClock(b)
	return start, end, okA && okB
}

// parseClock reads "HH:MM", 00:00 to 23:59, into minutes of the day. It
// wants both digits of each part so that "7:00" is refused rather than
// guessed at.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := twoDigits(s[0:2]), twoDigits(s[3:5])
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// twoDigits reads two ASCII digits; -1 for anything else.
func twoDigits(s string) int {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

// quietWindow returns the quiet hours in minutes of the day; ok is false
// when there are none. Malformed hours, which Validate refuses, count as
// none: a notice sent at night is a lesser harm than one never sent.
func (r Rules) quietWindow() (start, end int, ok bool) {
	start, end, ok = parseQuietHours(r.QuietHours)
	return start, end, ok && start != end
}

// Quiet reports whether t, read in its own location, falls within the quiet
// hours: the start minute is quiet, the end minute is not.
func (r Rules) Quiet(t time.Time) bool {
	start, end, ok := r.quietWindow()
	if !ok {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if start < end {
		return start <= m && m < end
	}
	return m >= start || m < end
}

// NextSend returns when something due at t may be sent: t itself outside
// the quiet hours, else the end of the quiet period, in t's location.
func (r Rules) NextSend(t time.Time) time.Time {
	if !r.Quiet(t) {
		return t
	}
	start, end, _ := r.quietWindow()
	y, mo, d := t.Date()
	// Late in a period that crosses midnight, it ends tomorrow.
	if start > end && t.Hour()*60+t.Minute() >= start {
		d++
	}
	return time.Date(y, mo, d, end/60, end%60, 0, 0, t.Location())
}

// AddDays returns the date n days after d, counting calendar days or, when
// the rules say so, working days of cal.
func (r Rules) AddDays(cal Calendar, d Date, n int) Date {
	if r.WorkingDays {
		return cal.AddWorkdays(d, n)
	}
	return d.AddDays(n)
}

// DaysBetween counts the days after from up to and including to: calendar
// days, or the working days of cal when the rules say so. It is 0 when to
// is not after from, or either date is not set. An item due on 12-01 is
// thus one day overdue on 12-02.
func (r Rules) DaysBetween(cal Calendar, from, to Date) int {
	if !from.Valid() || !to.Valid() || to <= from {
		return 0
	}
	if !r.WorkingDays {
		return from.DaysUntil(to)
	}
	n := 0
	for d := from.AddDays(1); d <= to; d = d.AddDays(1) {
		if cal.IsWorkday(d) {
			n++
		}
	}
	return n
}
