package ducha

import (
	"context"
	"strings"
	"time"
)

// ProblemStatus is where a problem stands in its workflow.
type ProblemStatus string

// Problem statuses. Overdue is derived, never stored.
const (
	StatusRegistered          ProblemStatus = "registered"           // 待交办
	StatusInProgress          ProblemStatus = "in_progress"          // 整改中
	StatusPendingVerification ProblemStatus = "pending_verification" // 待验收
	StatusPublicity           ProblemStatus = "publicity"            // 公示中
	StatusClosed              ProblemStatus = "closed"               // 已销号
)

// ProblemStatuses lists the statuses in workflow order.
var ProblemStatuses = []ProblemStatus{StatusRegistered, StatusInProgress, StatusPendingVerification, StatusPublicity, StatusClosed}

// Label returns the Chinese name of the status as ledgers write it.
func (s ProblemStatus) Label() string {
	switch s {
	case StatusRegistered:
		return "待交办"
	case StatusInProgress:
		return "整改中"
	case StatusPendingVerification:
		return "待验收"
	case StatusPublicity:
		return "公示中"
	case StatusClosed:
		return "已销号"
	}
	return string(s)
}

// ParseProblemStatus maps a ledger's status words to a status.
func ParseProblemStatus(s string) (ProblemStatus, bool) {
	switch strings.TrimSpace(s) {
	case "", "registered", "待交办", "未启动", "未交办", "已登记":
		return StatusRegistered, true
	case "in_progress", "整改中", "正在整改", "推进中", "未完成":
		return StatusInProgress, true
	case "pending_verification", "待验收", "申请销号", "待销号":
		return StatusPendingVerification, true
	case "publicity", "公示中", "销号公示", "公示":
		return StatusPublicity, true
	case "closed", "已销号", "已完成", "完成整改", "已整改", "已办结":
		return StatusClosed, true
	}
	return "", false
}

// Problem sources.
var ProblemSources = []string{"自查发现", "重点问题", "信访交办", "督察反馈", "其他"}

// Rectification modes.
const (
	ModeImmediate = "立行立改"
	ModeTimeBound = "限时整改"
	ModeLongTerm  = "长期坚持"
)

// ProblemModes lists the rectification modes.
var ProblemModes = []string{ModeImmediate, ModeTimeBound, ModeLongTerm}

// Industries.
var Industries = []string{"工业", "矿山", "畜禽养殖", "城市管理", "农村环境", "自然保护区", "其他"}

// Warning is the deadline light of an open item.
type Warning string

// Warnings.
const (
	WarningNone   Warning = "none"
	WarningYellow Warning = "yellow"
	WarningRed    Warning = "red"
)

// DefaultYellowDays is how many days before the deadline a yellow warning shows.
const DefaultYellowDays = 3

// Problem is one row of the problem and rectification ledger.
type Problem struct {
	ID                int64         `json:"id"`
	Code              string        `json:"code"`
	CampaignID        int64         `json:"campaign_id,omitempty"`
	Status            ProblemStatus `json:"status"`
	Version           int           `json:"version"`
	Source            string        `json:"source"`
	Description       string        `json:"description"`
	Area              string        `json:"area"`
	Address           string        `json:"address"`
	Subject           string        `json:"subject"`
	SubjectCreditCode string        `json:"subject_credit_code,omitempty"`
	Types             []string      `json:"types"`
	TypeDetail        string        `json:"type_detail,omitempty"`
	Industry          string        `json:"industry,omitempty"`
	Mode              string        `json:"mode"`
	LeadUnitID        int64         `json:"lead_unit_id,omitempty"`
	LeadUnit          string        `json:"lead_unit"`
	CoopUnitIDs       []int64       `json:"coop_unit_ids,omitempty"`
	CoopUnits         []string      `json:"coop_units"`
	Leader            string        `json:"leader"`
	Person            string        `json:"person"`
	Measures          string        `json:"measures"`
	Target            string        `json:"target"`
	Deadline          Date          `json:"deadline"`
	DeadlineText      string        `json:"deadline_text"`
	OriginalDeadline  Date          `json:"original_deadline"`
	// Progress is the latest entry's text, as the ledger's 整改进展 shows
	// it (or the text an imported ledger carried); ProgressAt its time and
	// ProgressPercent the latest percentage any entry gave.
	Progress        string     `json:"latest_progress"`
	ProgressAt      *time.Time `json:"progress_at,omitempty"`
	ProgressPercent *int       `json:"progress_percent,omitempty"`
	// ProgressEntries are the dated entries, newest first: every one on a
	// problem's detail, the latest alone in a list.
	ProgressEntries []ProgressEntry `json:"progress"`
	// PlannedAt is when the plan first put the problem in progress: the
	// start of its schedule (序时进度).
	PlannedAt *time.Time `json:"planned_at,omitempty"`
	// BehindFrom is the day from which the problem is 未达到序时进度 unless
	// it reports again (ScheduleFrom); stored so that lists filter by it.
	BehindFrom  Date   `json:"behind_from,omitempty"`
	ClosureText string `json:"closure_text,omitempty"`
	// Closure is the closure record: the unit head's sign-off, each
	// level's sign-off, the public notice, and the rounds a return, a
	// reopening or an objection ended.
	Closure Closure `json:"closure"`
	// AwaitingSignoff is a closure application waiting for the unit
	// head's sign-off (签发) before the coordinator sees it.
	AwaitingSignoff bool              `json:"awaiting_signoff"`
	ClosedAt        *time.Time        `json:"closed_at,omitempty"`
	ReturnReason    string            `json:"return_reason,omitempty"`
	ReopenCount     int               `json:"reopen_count"`
	Extension       *Extension        `json:"extension,omitempty"`
	Note            string            `json:"note,omitempty"`
	Original        map[string]string `json:"original,omitempty"` // cells as the imported file wrote them, where they differ
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`

	// Derived on read for a given day; never stored.
	Overdue bool    `json:"overdue"`
	Warning Warning `json:"warning"`
	// BehindSchedule is 未达到序时进度 on that day.
	BehindSchedule bool `json:"behind_schedule"`

	Attachments []*Attachment `json:"attachments,omitempty"`
	// Cases are the acceptance numbers of the complaint cases this problem
	// was opened for (read with the problem's detail).
	Cases []string `json:"cases,omitempty"`
	// Duty is the responsibility list item a self-inspection found this
	// problem under (read with the problem's detail).
	Duty *DutyRef `json:"duty,omitempty"`
}

// Extension is a pending request for a later deadline.
type Extension struct {
	Deadline    Date      `json:"deadline"`
	Reason      string    `json:"reason"`
	RequestedBy string    `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
}

// Derive sets Overdue and Warning for the given day.
func (p *Problem) Derive(today Date, yellowDays int) {
	p.Overdue, p.Warning = false, WarningNone
	p.BehindSchedule = p.Status == StatusInProgress && p.BehindFrom.Valid() && p.BehindFrom <= today
	if p.Status == StatusClosed || !p.Deadline.Valid() {
		return
	}
	switch {
	case p.Deadline < today:
		p.Overdue, p.Warning = true, WarningRed
	case today.DaysUntil(p.Deadline) <= yellowDays:
		p.Warning = WarningYellow
	}
}

// InUnit reports whether the unit is the lead or a cooperating unit of p.
func (p *Problem) InUnit(unitID int64) bool {
	if unitID == 0 {
		return false
	}
	if p.LeadUnitID == unitID {
		return true
	}
	for _, id := range p.CoopUnitIDs {
		if id == unitID {
			return true
		}
	}
	return false
}

// Validate checks the fields a problem must have when it is stored. It
// reports every wrong field at once (see FieldErrors).
func (p *Problem) Validate() error {
	var fe FieldErrors
	fe.Merge(p.checkLengths())
	if strings.TrimSpace(p.Description) == "" {
		fe.Add("description", "问题描述不能为空")
	}
	if p.Source == "" {
		p.Source = "其他"
	}
	if p.SubjectCreditCode = NormalizeCreditCode(p.SubjectCreditCode); p.SubjectCreditCode != "" {
		if err := CheckCreditCode(p.SubjectCreditCode); err != nil {
			fe.Add("subject_credit_code", "%s", err.Error())
		}
	}
	if !contains(ProblemSources, p.Source) {
		fe.Add("source", "问题来源“%s”无效，应为%s之一", p.Source, strings.Join(ProblemSources, "、"))
	}
	if p.Mode != "" && !contains(ProblemModes, p.Mode) {
		fe.Add("mode", "整改类型“%s”无效，应为%s之一", p.Mode, strings.Join(ProblemModes, "、"))
	}
	if p.Industry != "" && !contains(Industries, p.Industry) {
		fe.Add("industry", "行业“%s”无效", p.Industry)
	}
	for _, t := range p.Types {
		if !contains(PollutionTypes, t) {
			fe.Add("types", "污染类型“%s”无效", t)
		}
	}
	// Each type once, in canonical order (as imports give them).
	types := []string{}
	for _, t := range PollutionTypes {
		if contains(p.Types, t) {
			types = append(types, t)
		}
	}
	p.Types = types
	if p.Status == "" {
		p.Status = StatusRegistered
	}
	if _, ok := ParseProblemStatus(string(p.Status)); !ok {
		fe.Add("status", "状态“%s”无效", p.Status)
	} else if p.Status != StatusRegistered && p.LeadUnitID == 0 {
		fe.Add("lead_unit", "已交办的问题必须有责任单位")
	}
	return fe.Err()
}

// PollutionTypes are the canonical pollution types, in canonical order.
var PollutionTypes = []string{"水", "大气", "土壤", "固废", "噪声", "生态", "辐射", "海洋", "其他"}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ProblemFilter selects problems. Zero values select everything; the store
// adds the user's unit scope on its own.
type ProblemFilter struct {
	ID      int64
	Status  ProblemStatus
	UnitID  int64 // lead or cooperating
	Area    string
	Type    string
	Source  string
	Overdue *bool
	Warning Warning
	// Behind keeps the problems 未达到序时进度 on Today.
	Behind bool
	// NotAwaiting leaves out what waits for a unit head's sign-off.
	NotAwaiting bool
	Q           string
	CampaignID  int64
	Today       Date // the day overdue and warnings are judged on; the store's today when empty
	Offset      int
	Limit       int

	// BeforeID pages by key: only problems older than it (id < BeforeID),
	// so that a page deep in the ledger costs what the first one does.
	BeforeID int64

	// ExactCount asks for the exact total of a search (Q): without it a
	// search counts at most SearchCountCap+1 matches.
	ExactCount bool

	// For walking the whole ledger (exports): oldest first, after an id,
	// without counting.
	Ascending bool
	AfterID   int64
	SkipCount bool

	// Sort orders the list by one of ProblemSorts, descending with Desc;
	// empty, newest first. A sorted list pages by Offset (at most
	// MaxSortOffset), never by key.
	Sort string
	Desc bool
}

// SearchCountCap is how many matches of a search are counted unless the
// exact total is asked for: a total above it means "more than 1,000".
const SearchCountCap = 1000

// MaxOffset bounds how many problems a numbered page may skip: deeper pages
// are reached by key (BeforeID).
const MaxOffset = 1 << 30

// MaxPerPage bounds list pages.
const MaxPerPage = 500

// ProblemUpdate is a PATCH of a problem's descriptive fields. Workflow
// fields change only through actions. Nil fields are left as they are.
type ProblemUpdate struct {
	Version           int       `json:"version"`
	Source            *string   `json:"source"`
	Description       *string   `json:"description"`
	Area              *string   `json:"area"`
	Address           *string   `json:"address"`
	Subject           *string   `json:"subject"`
	SubjectCreditCode *string   `json:"subject_credit_code"`
	Types             *[]string `json:"types"`
	TypeDetail        *string   `json:"type_detail"`
	Industry          *string   `json:"industry"`
	Note              *string   `json:"note"`
}

// Apply copies the set fields of upd onto p.
func (upd *ProblemUpdate) Apply(p *Problem) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&p.Source, upd.Source)
	set(&p.Description, upd.Description)
	set(&p.Area, upd.Area)
	set(&p.Address, upd.Address)
	set(&p.Subject, upd.Subject)
	set(&p.SubjectCreditCode, upd.SubjectCreditCode)
	set(&p.TypeDetail, upd.TypeDetail)
	set(&p.Industry, upd.Industry)
	set(&p.Note, upd.Note)
	if upd.Types != nil {
		p.Types = append([]string{}, (*upd.Types)...)
	}
}

// ProblemStats are the ledger's numbers for the daily report and dashboards.
type ProblemStats struct {
	Total               int `json:"total"`
	Closed              int `json:"closed"`
	InProgress          int `json:"in_progress"`
	PendingVerification int `json:"pending_verification"`
	Publicity           int `json:"publicity"`
	Registered          int `json:"registered"`
	Overdue             int `json:"overdue"`
	// BehindSchedule counts 未达到序时进度; it is filled where a page asks
	// for it (CountBehind), not by every count.
	BehindSchedule int `json:"behind_schedule"`
}

// ImportResult says what a ledger import did.
type ImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// ProblemService is the problem ledger.
type ProblemService interface {
	FindProblemByID(ctx context.Context, id int64) (*Problem, error)
	FindProblems(ctx context.Context, f ProblemFilter) ([]*Problem, int, error)
	CreateProblem(ctx context.Context, p *Problem) error
	UpdateProblem(ctx context.Context, id int64, upd ProblemUpdate) (*Problem, error)
	// ActOnProblem runs one workflow action (see problem_flow.go).
	ActOnProblem(ctx context.Context, id int64, in ProblemAction) (*Problem, error)
	FindProblemEvents(ctx context.Context, id int64) ([]*Event, error)
	CountProblems(ctx context.Context, f ProblemFilter) (ProblemStats, error)
	// ProblemAreas lists the areas (行政区域) the user's problems name,
	// for the ledger's filter.
	ProblemAreas(ctx context.Context) ([]string, error)
	// ProblemsVersion is the data version of the ledger as the user sees
	// it: it moves with every change to a problem the user may see, or to
	// a unit, and not with other writes. Ledger caches are keyed on it.
	ProblemsVersion(ctx context.Context) (int64, error)
	// EventMark is the audit chain's head now.
	EventMark(ctx context.Context) (EventMark, error)
	// ProblemChanges lists the problems the events after since (up to
	// the head, returned) changed, and whether any of them may have moved
	// a problem into, out of or within a list; more than max is "moved".
	ProblemChanges(ctx context.Context, since EventMark, max int) (ids []int64, moved bool, head EventMark, err error)
	// ImportLedger stores all rows or none.
	ImportLedger(ctx context.Context, rows []LedgerRow) (ImportResult, error)
}

// LedgerRow is one problem read from a ledger file, with the row number the
// user sees in Excel, so that every error can name it.
type LedgerRow struct {
	Row     int
	Problem *Problem
}

// TodayOr returns the filter's day, or d when none is set.
func (f ProblemFilter) TodayOr(d Date) Date {
	if f.Today.Valid() {
		return f.Today
	}
	return d
}
