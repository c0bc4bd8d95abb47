package ducha

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CaseStatus is where a complaint case stands (SPEC section 3).
type CaseStatus string

// Case statuses. Published is a flag, not a status.
const (
	CaseReceived      CaseStatus = "received"      // 已受理
	CaseAssigned      CaseStatus = "assigned"      // 已交办
	CaseInvestigating CaseStatus = "investigating" // 办理中
	CaseSubmitted     CaseStatus = "submitted"     // 待审核
	CaseStageClosed   CaseStatus = "stage_closed"  // 阶段性办结
	CaseClosed        CaseStatus = "closed"        // 已办结
)

// CaseStatuses lists the statuses in workflow order.
var CaseStatuses = []CaseStatus{CaseReceived, CaseAssigned, CaseInvestigating, CaseSubmitted, CaseStageClosed, CaseClosed}

// Label is the Chinese name of the status.
func (s CaseStatus) Label() string {
	switch s {
	case CaseReceived:
		return "已受理"
	case CaseAssigned:
		return "已交办"
	case CaseInvestigating:
		return "办理中"
	case CaseSubmitted:
		return "待审核"
	case CaseStageClosed:
		return "阶段性办结"
	case CaseClosed:
		return "已办结"
	}
	return string(s)
}

// Channels: how a complaint came in (SPEC section 2).
const (
	ChannelPhone  = "来电"
	ChannelLetter = "来信"
	ChannelWeChat = "微信"
	ChannelOnline = "网络"
	ChannelVisit  = "来访"
	ChannelOther  = "其他"
)

// Channels lists the channels in the order reports name them.
var Channels = []string{ChannelPhone, ChannelLetter, ChannelWeChat, ChannelOnline, ChannelVisit, ChannelOther}

// Verdicts: what the investigation found of a complaint.
const (
	VerdictTrue      = "属实"
	VerdictBasically = "基本属实"
	VerdictPartly    = "部分属实"
	VerdictFalse     = "不属实"
)

// Verdicts lists the verdicts, strongest first.
var Verdicts = []string{VerdictTrue, VerdictBasically, VerdictPartly, VerdictFalse}

// ParseVerdict reads a verdict as tables and people write it: one of
// Verdicts, or 是 (属实) and 否 (不属实) as a 是否属实 column says it.
// Spaces are ignored; ok is false for anything else, "" included. Callers
// reading files simplify traditional characters first (text.Clean).
func ParseVerdict(s string) (verdict string, ok bool) {
	s = strings.Join(strings.Fields(s), "")
	switch s {
	case "是":
		return VerdictTrue, true
	case "否":
		return VerdictFalse, true
	}
	return s, contains(Verdicts, s)
}

// Substantiated reports whether a verdict found the complaint true, wholly
// or in part: 属实, 基本属实 or 部分属实.
func Substantiated(verdict string) bool {
	return verdict == VerdictTrue || verdict == VerdictBasically || verdict == VerdictPartly
}

// AcceptanceKey is the identity of an acceptance number: the number as
// written (cleaned) with ASCII letters upper-cased, so that x3sx… and
// X3SX… name one case while the number keeps the case it was written in.
func AcceptanceKey(no string) string {
	b := []byte(no)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Links between cases: a case handed over again (重复件) and one that adds
// to an earlier case (补充办理件).
const (
	LinkDuplicate  = "duplicate"
	LinkSupplement = "supplement"
)

// CaseRepeat is a later hand-over of a case, shown on the first one: the
// same acceptance number again in a batch (logged, no case of its own), or
// a case of its own that a batch marks as a 重复件 or 补充办理件 of it.
type CaseRepeat struct {
	Kind         string `json:"kind"`              // LinkDuplicate or LinkSupplement
	CaseID       int64  `json:"case_id,omitempty"` // the repeat's own case; 0 for the same number again
	AcceptanceNo string `json:"acceptance_no"`
	Batch        int    `json:"batch"`
	Row          int    `json:"row,omitempty"` // the row of the batch file, for the same number again
}

// Measure kinds: the "five batches" and the enforcement counts of the daily
// report. Their words are in MeasureLabel.
const (
	MeasureOrderedToRectify        = "ordered_to_rectify"
	MeasureSuspended               = "suspended"
	MeasureClosedDown              = "closed_down"
	MeasureListedSupervision       = "listed_supervision"
	MeasurePenaltyCase             = "penalty_case"
	MeasureCriminalCase            = "criminal_case"
	MeasureAdministrativeDetention = "administrative_detention"
	MeasureCriminalDetention       = "criminal_detention"
	MeasureInterviewed             = "interviewed"
	MeasureHeldAccountable         = "held_accountable"
)

// MeasureKinds lists every kind.
var MeasureKinds = []string{MeasureOrderedToRectify, MeasureSuspended, MeasureClosedDown, MeasureListedSupervision,
	MeasurePenaltyCase, MeasureCriminalCase, MeasureAdministrativeDetention, MeasureCriminalDetention,
	MeasureInterviewed, MeasureHeldAccountable}

// MeasureCountsEnterprises reports the kinds counted in distinct enterprises.
func MeasureCountsEnterprises(kind string) bool {
	switch kind {
	case MeasureOrderedToRectify, MeasureSuspended, MeasureClosedDown, MeasureListedSupervision, MeasurePenaltyCase:
		return true
	}
	return false
}

// MeasureCountsPersons reports the kinds counted in persons.
func MeasureCountsPersons(kind string) bool {
	switch kind {
	case MeasureAdministrativeDetention, MeasureCriminalDetention, MeasureInterviewed, MeasureHeldAccountable:
		return true
	}
	return false
}

// Money is an amount in fen (1/100 yuan): sums are exact. JSON writes it as
// a decimal string of yuan, "251542.71".
type Money int64

// String writes yuan with two decimals.
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(m)/100, int64(m)%100)
}

// ParseMoney reads yuan written as 251542.71, 12500, +12500 or "12,500.5":
// at most one sign, at the front; digits with thousands separators in groups
// of three; at most two decimals. Anything else is an error naming the
// value, and so is a negative amount (a fine is never negative).
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := fmt.Errorf("金额“%s”无效（应为数字，最多两位小数，如 251542.71）", s)
	body := s
	switch body[0] {
	case '-':
		return 0, fmt.Errorf("金额“%s”不能为负数", s)
	case '+':
		body = body[1:]
	}
	whole, frac, dot := strings.Cut(body, ".")
	if dot && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac)) {
		if len(frac) > 2 && allDigits(frac) {
			return 0, fmt.Errorf("金额“%s”无效（最多两位小数）", s)
		}
		return 0, bad
	}
	if groups := strings.Split(whole, ","); len(groups) > 1 {
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !allDigits(whole) || len(whole) > 13 {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Money(w*100 + f), nil
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MarshalJSON writes the decimal string.
func (m Money) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

// UnmarshalJSON accepts "1234.56" or 1234.56.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" {
		*m = 0
		return nil
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Measure is one thing done to a violator, counted in every report.
type Measure struct {
	ID           int64  `json:"id,omitempty"`
	CaseID       int64  `json:"case_id,omitempty"`
	UnitID       int64  `json:"unit_id,omitempty"`
	Kind         string `json:"kind"`
	EnterpriseID int64  `json:"enterprise_id,omitempty"`
	Enterprise   string `json:"enterprise,omitempty"`
	Persons      int    `json:"persons,omitempty"`
	FineYuan     Money  `json:"fine_yuan"`
	Date         Date   `json:"date"`
}

// Bounds of one submission's measures: far above any real case (the largest
// published fines are a few hundred million yuan), far below what
// would overflow the report's exact sums.
const (
	MaxMeasures  = 100                        // measures per unit's submission of a case
	MaxPersons   = 1000                       // persons of one measure
	MaxFine      = Money(1_000_000_000 * 100) // 10亿元 per measure, in fen
	maxFineLabel = "10亿元"
)

// Validate checks a measure as submitted.
func (m *Measure) Validate() error {
	m.Kind = strings.TrimSpace(m.Kind)
	m.Enterprise = strings.TrimSpace(m.Enterprise)
	if err := checkLengths(nameField("measures", "企业名称", m.Enterprise)); err != nil {
		return err
	}
	if !contains(MeasureKinds, m.Kind) {
		return FieldError("measures", "处理措施类型“%s”无效", m.Kind)
	}
	switch {
	case MeasureCountsEnterprises(m.Kind) && m.Enterprise == "" && m.EnterpriseID == 0:
		return FieldError("measures", "“%s”须填写企业名称", MeasureLabel(m.Kind))
	case MeasureCountsPersons(m.Kind) && m.Persons <= 0:
		return FieldError("measures", "“%s”须填写人数", MeasureLabel(m.Kind))
	case m.Persons < 0 || m.Persons > MaxPersons:
		return FieldError("measures", "“%s”的人数应在1到%d之间", MeasureLabel(m.Kind), MaxPersons)
	case m.FineYuan > MaxFine:
		return FieldError("measures", "罚款金额%s元超过单项上限%s，请核对", m.FineYuan, maxFineLabel)
	case m.FineYuan < 0:
		return FieldError("measures", "罚款金额不能为负")
	case m.FineYuan > 0 && m.Kind != MeasurePenaltyCase:
		return FieldError("measures", "只有立案处罚可以填写罚款金额")
	}
	return nil
}

// MeasureLabel is the Chinese name of a measure kind.
func MeasureLabel(kind string) string {
	switch kind {
	case MeasureOrderedToRectify:
		return "责令整改"
	case MeasureSuspended:
		return "停产整治"
	case MeasureClosedDown:
		return "关停取缔"
	case MeasureListedSupervision:
		return "挂牌督办"
	case MeasurePenaltyCase:
		return "立案处罚"
	case MeasureCriminalCase:
		return "立案侦查"
	case MeasureAdministrativeDetention:
		return "行政拘留"
	case MeasureCriminalDetention:
		return "刑事拘留"
	case MeasureInterviewed:
		return "约谈"
	case MeasureHeldAccountable:
		return "问责"
	}
	return kind
}

// CaseUnit is one unit a case is assigned to, with its sign-for and its
// part of the answer (合办件: each unit answers its part).
type CaseUnit struct {
	UnitID      int64      `json:"unit_id"`
	Unit        string     `json:"unit"`
	SignedAt    *time.Time `json:"signed_at,omitempty"`
	SignedBy    string     `json:"signed_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Findings    string     `json:"findings,omitempty"`
	Verdict     string     `json:"verdict,omitempty"`
	Handling    string     `json:"handling,omitempty"`
	Accountable string     `json:"accountability,omitempty"`
	// AwaitingSignoff is a liaison's answer waiting for the unit head's
	// sign-off (签发); SignedOffBy and SignedOffAt record the sign-off, and
	// ReturnReason why the head sent an answer back.
	AwaitingSignoff bool       `json:"awaiting_signoff,omitempty"`
	SignedOffBy     string     `json:"signed_off_by,omitempty"`
	SignedOffAt     *time.Time `json:"signed_off_at,omitempty"`
	ReturnReason    string     `json:"return_reason,omitempty"`
}

// Case is a public complaint forwarded by the inspection team (交办件).
type Case struct {
	ID             int64      `json:"id"`
	AcceptanceNo   string     `json:"acceptance_no"`
	CampaignID     int64      `json:"campaign_id,omitempty"`
	Batch          int        `json:"batch"`
	ForwardedDate  Date       `json:"forwarded_date"`
	Channel        string     `json:"channel"`
	Key            bool       `json:"key"`
	Text           string     `json:"text"`
	Area           string     `json:"area"`
	Types          []string   `json:"types"`
	TypeDetail     string     `json:"type_detail,omitempty"`
	Units          []string   `json:"units"`
	Parts          []CaseUnit `json:"parts,omitempty"`
	Deadline       Date       `json:"deadline"`
	Status         CaseStatus `json:"status"`
	Findings       string     `json:"findings"`
	Verdict        string     `json:"verdict"`
	Target         string     `json:"target"` // 办结目标, as a table brought in with results says it
	Handling       string     `json:"handling"`
	Accountability string     `json:"accountability"`
	Measures       []Measure  `json:"measures"`
	Published      bool       `json:"published"`
	ReturnReason   string     `json:"return_reason,omitempty"`
	ProblemIDs     []int64    `json:"problem_ids,omitempty"`
	// DuplicateOf is the first case when this one is a 重复件 of it: it is
	// kept as its own case and not counted again. SupplementOf is the
	// earlier case a 补充办理件 adds to; it counts as a case of its own.
	DuplicateOf  *int64 `json:"duplicate_of"`
	SupplementOf *int64 `json:"supplement_of"`
	// Repeats are the later hand-overs of this case, oldest first.
	Repeats   []CaseRepeat      `json:"repeats,omitempty"`
	Original  map[string]string `json:"original,omitempty"`
	Version   int               `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// MarshalJSON writes verdict as null when there is none.
func (c Case) MarshalJSON() ([]byte, error) {
	type plain Case
	var verdict any
	if c.Verdict != "" {
		verdict = c.Verdict
	}
	if c.Types == nil {
		c.Types = []string{}
	}
	if c.Units == nil {
		c.Units = []string{}
	}
	if c.Measures == nil {
		c.Measures = []Measure{}
	}
	return json.Marshal(struct {
		plain
		Verdict any `json:"verdict"`
	}{plain(c), verdict})
}

// InUnit reports whether the case is assigned to the unit.
func (c *Case) InUnit(unitID int64) bool {
	for _, p := range c.Parts {
		if p.UnitID == unitID {
			return true
		}
	}
	return false
}

// part returns the unit's part of the case, or nil.
func (c *Case) part(unitID int64) *CaseUnit {
	for i := range c.Parts {
		if c.Parts[i].UnitID == unitID {
			return &c.Parts[i]
		}
	}
	return nil
}

// CaseFilter selects cases; the store adds the user's unit scope.
type CaseFilter struct {
	Batch     int
	Status    CaseStatus
	UnitID    int64
	Area      string
	Type      string
	Verdict   string
	Q         string
	Published *bool
	Channel   string // one of Channels
	Key       *bool  // 重点件 or not
	// Sort is one of CaseSorts ("" is the newest first); Desc turns it.
	// Ties are broken on id, in the same direction.
	Sort   string
	Desc   bool
	Offset int
	Limit  int
}

// CaseSorts lists the columns a case list may be sorted by.
var CaseSorts = []string{"acceptance_no", "batch", "forwarded_date", "channel", "key", "area", "deadline", "status", "verdict", "published"}

// CaseService is the complaint cases and their batches.
type CaseService interface {
	// ImportBatch imports plain rows: ImportCaseBatch with no window and
	// no results.
	ImportBatch(ctx context.Context, number int, date Date, fileName string, rows []BatchRow) (*BatchResult, error)
	// ImportCaseBatch imports a batch file as read (SPEC section 4), all
	// or nothing, idempotent by acceptance number.
	ImportCaseBatch(ctx context.Context, in *BatchImport) (*BatchResult, error)
	FindBatches(ctx context.Context) ([]*Batch, error)
	FindCaseByID(ctx context.Context, id int64) (*Case, error)
	FindCaseByAcceptanceNo(ctx context.Context, no string) (*Case, error)
	FindCases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// FindCaseAreas lists the areas of the cases the user may see, once
	// each, in order: the choices of the list's area filter.
	FindCaseAreas(ctx context.Context) ([]string, error)
	ActOnCase(ctx context.Context, id int64, in CaseAction) (*Case, error)
	FindCaseEvents(ctx context.Context, id int64) ([]*Event, error)
	// FindPublishedCases needs no user: it returns only published cases of
	// a batch, for the public disclosure page.
	FindPublishedCases(ctx context.Context, batch int) ([]*Case, error)
	// FindPublishedBatches needs no user either: the batches that have a
	// published case, with how many are published, the newest first.
	FindPublishedBatches(ctx context.Context) ([]PublishedBatch, error)
}

// ValidateImport checks a case as a batch file brings it: the limits of
// ValidateLengths and the 办结目标 of a table that carries results.
func (c *Case) ValidateImport() error {
	if err := c.checkLengths(); err != nil {
		return err
	}
	return checkLengths(textField("target", "办结目标", c.Target))
}

// PublishedBatch is a batch as the public disclosure lists it: its number,
// the day it was forwarded and how many of its cases are published.
type PublishedBatch struct {
	Number    int  `json:"batch"`
	Date      Date `json:"date"`
	Published int  `json:"published"`
}
