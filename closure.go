package ducha

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ProgressEntry is one dated report of a problem's rectification (整改进展):
// its text, an optional percentage done (整治进度) and its evidence. Entries
// are appended, never changed.
type ProgressEntry struct {
	ID            int64     `json:"id,omitempty"`
	Text          string    `json:"text"`
	Percent       *int      `json:"percent,omitempty"`
	At            time.Time `json:"at"`
	By            string    `json:"by"`
	AttachmentIDs []int64   `json:"attachment_ids,omitempty"`
	// Imported marks the text an imported ledger carried, shown as the
	// problem's first entry.
	Imported bool `json:"imported,omitempty"`
}

// Closure is a problem's closure record (验收销号): the unit head's
// sign-off of the application, each level's sign-off in order, the public
// notice (销号公示), and the earlier rounds that a return, a reopening or
// an objection ended. Nothing in it is ever removed.
type Closure struct {
	Signoff   *Signoff       `json:"signoff,omitempty"`
	Levels    []LevelSignoff `json:"levels"`
	Publicity *Publicity     `json:"publicity,omitempty"`
	Earlier   []ClosureRound `json:"earlier,omitempty"`
}

// Signoff is who signed something off, and when.
type Signoff struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// LevelSignoff is one level's acceptance (县级验收, 市级验收, …): who
// recorded it, when, the opinion and the level's document.
type LevelSignoff struct {
	Level        string    `json:"level"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	Opinion      string    `json:"opinion,omitempty"`
	AttachmentID int64     `json:"attachment_id,omitempty"`
}

// Publicity is the public notice before 销号: from and to (both days
// included), its length as the rules count it, and the objections.
type Publicity struct {
	From        Date        `json:"from"`
	To          Date        `json:"to"`
	Days        int         `json:"days"`
	WorkingDays bool        `json:"working_days"`
	Objections  []Objection `json:"objections"`
}

// Objection is an objection received during the notice.
type Objection struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// ClosureRound is a round of sign-offs that ended before 销号, and why.
type ClosureRound struct {
	Signoff   *Signoff       `json:"signoff,omitempty"`
	Levels    []LevelSignoff `json:"levels,omitempty"`
	Publicity *Publicity     `json:"publicity,omitempty"`
	Ended     string         `json:"ended"` // 退回, 重新打开, 公示异议
	Reason    string         `json:"reason"`
	At        time.Time      `json:"at"`
}

// Span is how the public notice's length reads: 共10个工作日, 共7天.
func (pb *Publicity) Span() string {
	if pb.WorkingDays {
		return fmt.Sprintf("共%d个工作日", pb.Days)
	}
	return fmt.Sprintf("共%d天", pb.Days)
}

// Open reports whether day d is within the notice.
func (pb *Publicity) Open(d Date) bool { return pb != nil && pb.From <= d && d <= pb.To }

// endRound moves the current round to Earlier, with why it ended; it
// reports whether any level had been signed (the levels start again).
func (c *Closure) endRound(ended, reason string, at time.Time) bool {
	signed := len(c.Levels) > 0
	if c.Signoff == nil && len(c.Levels) == 0 && c.Publicity == nil {
		return false
	}
	c.Earlier = append(c.Earlier, ClosureRound{Signoff: c.Signoff, Levels: c.Levels, Publicity: c.Publicity, Ended: ended, Reason: reason, At: at})
	c.Signoff, c.Levels, c.Publicity = nil, nil, nil
	return signed
}

// LevelLabel is how a level is named: 县级 → 县级验收.
func LevelLabel(level string) string {
	if strings.HasSuffix(level, "验收") {
		return level
	}
	return level + "验收"
}

// publicityPeriod is the notice that opens on day d: calendar days from d,
// or working days from the first working day on or after d; both ends
// included.
func publicityPeriod(d Date, rules Rules, cal Calendar) *Publicity {
	n := rules.PublicityDays
	pb := &Publicity{Days: n, WorkingDays: rules.PublicityWorkingDays, Objections: []Objection{}}
	if !rules.PublicityWorkingDays {
		pb.From, pb.To = d, d.AddDays(n-1)
		return pb
	}
	for !cal.IsWorkday(d) {
		d = d.AddDays(1)
	}
	pb.From = d
	pb.To = d
	if n > 1 {
		pb.To = cal.AddWorkdays(d, n-1)
	}
	return pb
}

// EndPublicity closes a problem whose public notice ended before day
// today with no objection (the escalation pass runs it as of the end of a
// day, so today is the day after). It reports whether p changed.
func EndPublicity(p *Problem, today Date, now time.Time) bool {
	pb := p.Closure.Publicity
	if p.Status != StatusPublicity || pb == nil || pb.To >= today {
		return false
	}
	t := now.UTC()
	p.ClosedAt = &t
	p.Extension = nil
	p.Status = StatusClosed
	return true
}

// ActEndPublicity is the event of a notice that ended with no objection.
const ActEndPublicity = "end_publicity"

// Schedule (序时进度): long-term (长期坚持) and multi-month tasks report by
// period, quarterly unless the rules say otherwise. A task is behind
// (未达到序时进度) when a whole period passed since its plan or its last
// entry without a new entry, or when its latest percentage is below the
// share of its time that has elapsed.

// MultiMonthDays is how long a 限时整改 task must run, from its plan to its
// deadline, to report by period.
const MultiMonthDays = 60

// ScheduleFrom is the first day on which p is behind schedule as its
// fields stand (it moves with each entry), or "" when p is not judged by
// schedule: not in progress, not yet planned, or a short task.
func (p *Problem) ScheduleFrom(periodMonths int) Date {
	if p.Status != StatusInProgress || p.PlannedAt == nil {
		return ""
	}
	if periodMonths <= 0 {
		periodMonths = 3
	}
	planned := Today(*p.PlannedAt)
	long := p.Mode == ModeLongTerm
	span := 0
	if p.Deadline.Valid() {
		span = planned.DaysUntil(p.Deadline)
	}
	if !long && span < MultiMonthDays {
		return ""
	}
	last := planned
	if p.ProgressAt != nil && Today(*p.ProgressAt) > last {
		last = Today(*p.ProgressAt)
	}
	// The period after the one of the last report must hold an entry: it
	// is behind from the start of the period after that.
	from := periodStart(last, periodMonths, 2)
	if span > 0 && p.ProgressPercent != nil && *p.ProgressPercent < 100 {
		// Behind once the elapsed share passes the percentage done.
		due := planned.AddDays(span**p.ProgressPercent/100 + 1)
		if due < from {
			from = due
		}
	}
	return from
}

// periodStart is the first day of the period k periods after the one
// holding d; periods of n months start in January.
func periodStart(d Date, n, k int) Date {
	t := d.Time()
	m := (int(t.Month())-1)/n*n + k*n
	return DateOf(time.Date(t.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC))
}

// ClosureNotice is one problem's public notice before 销号 (销号公示), as the
// county publishes it: only what the usual form prints, nothing internal
// (no person, no history, no attachment). The server masks the texts as
// it masks the disclosure table.
type ClosureNotice struct {
	ProblemID   int64          `json:"id"`
	Code        string         `json:"code"`
	Description string         `json:"description"` // 问题
	Area        string         `json:"area"`
	LeadUnit    string         `json:"lead_unit"`
	Target      string         `json:"target"`    // 整改目标
	Measures    string         `json:"measures"`  // 整改措施
	Done        string         `json:"done"`      // 整改完成情况
	Levels      []LevelSignoff `json:"levels"`    // 验收情况
	Publicity   Publicity      `json:"publicity"` // 公示时间
	Office      string         `json:"office"`    // 受理单位
	Phone       string         `json:"phone"`     // 监督电话
}

// DefaultPublicityOffice takes objections when the rules name no office.
const DefaultPublicityOffice = "县生态环境保护督察整改工作领导小组办公室"

// ChineseDate writes d as 2026年12月7日.
func ChineseDate(d Date) string {
	if !d.Valid() {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// Acceptance is the 验收情况 line: each level, the day it signed and its
// opinion.
func (n *ClosureNotice) Acceptance() string {
	var parts []string
	for _, l := range n.Levels {
		s := fmt.Sprintf("%s于%s通过", LevelLabel(l.Level), ChineseDate(Today(l.At)))
		if l.Opinion != "" {
			s += "（" + l.Opinion + "）"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}

// Period is the 公示时间 line: 2026年12月10日至2026年12月23日（共10个工作日）.
func (n *ClosureNotice) Period() string {
	return fmt.Sprintf("%s至%s（%s）", ChineseDate(n.Publicity.From), ChineseDate(n.Publicity.To), n.Publicity.Span())
}

// Text is the notice as the county website posts it.
func (n *ClosureNotice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "关于%s问题整改销号的公示\n\n", n.Code)
	fmt.Fprintf(&b, "根据中央生态环境保护督察整改工作要求，现将%s问题整改完成及验收情况予以公示，接受社会监督。\n\n", n.Code)
	for _, f := range [][2]string{
		{"问题", n.Description}, {"行政区域", n.Area}, {"责任单位", n.LeadUnit}, {"整改目标", n.Target},
		{"整改措施", n.Measures}, {"整改完成情况", n.Done}, {"验收情况", n.Acceptance()},
		{"公示时间", n.Period()}, {"受理单位", n.Office}, {"监督电话", n.Phone},
	} {
		if f[1] != "" {
			fmt.Fprintf(&b, "%s：%s\n", f[0], f[1])
		}
	}
	b.WriteString("\n公示期间，如有异议，请以书面或电话形式向受理单位反映。\n")
	return b.String()
}

// ClosureNoticeService reads the public notices; no login is needed.
type ClosureNoticeService interface {
	FindClosureNotices(ctx context.Context) ([]*ClosureNotice, error)
	FindClosureNotice(ctx context.Context, id int64) (*ClosureNotice, error)
}

// ProgressCell is the ledger's 整改进展 cell: the latest entry with its
// date (（2026年12月1日）…), or the text an imported ledger carried as it was.
func (p *Problem) ProgressCell() string {
	if p.Progress == "" || p.ProgressAt == nil {
		return p.Progress
	}
	return "（" + ChineseDate(Today(*p.ProgressAt)) + "）" + p.Progress
}
