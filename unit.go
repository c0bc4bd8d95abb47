package ducha

import (
	"context"
	"strings"
)

// UnitKind is what sort of body a unit is.
type UnitKind string

// Unit kinds, with the words used in units.csv.
const (
	UnitTownship   UnitKind = "乡镇"
	UnitDepartment UnitKind = "部门"
	UnitOther      UnitKind = "其他"
)

// UnitKinds lists the kinds in the order forms show them.
var UnitKinds = []UnitKind{UnitTownship, UnitDepartment, UnitOther}

// ParseUnitKind maps the words offices use to a kind.
func ParseUnitKind(s string) (UnitKind, bool) {
	switch s {
	case "乡镇", "街道", "乡镇/街道", "乡", "镇", "township":
		return UnitTownship, true
	case "部门", "县直部门", "department":
		return UnitDepartment, true
	case "", "其他", "other":
		return UnitOther, true
	}
	return "", false
}

// Unit is a township, department or other body that is responsible for
// problems and cases.
type Unit struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Kind         UnitKind `json:"kind"`
	DivisionCode string   `json:"division_code,omitempty"`
	Member       bool     `json:"member"` // member of the coordination and liaison group
	Head         string   `json:"head,omitempty"`
	Liaison      string   `json:"liaison,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	Version      int      `json:"version"`

	// Given, when set, names the fields an import file carries (kind,
	// division_code, member, head, liaison, phone): importing it over an
	// existing unit leaves the others as they are, so a list without a
	// 成员单位 column does not take the membership away. Nil gives all.
	Given map[string]bool `json:"-"`
}

// KeepAbsent copies onto u the fields its import file did not give from
// old, the unit as stored.
func (u *Unit) KeepAbsent(old *Unit) {
	if u.Given == nil {
		return
	}
	if !u.Given["kind"] {
		u.Kind = old.Kind
	}
	if !u.Given["division_code"] {
		u.DivisionCode = old.DivisionCode
	}
	if !u.Given["member"] {
		u.Member = old.Member
	}
	if !u.Given["head"] {
		u.Head = old.Head
	}
	if !u.Given["liaison"] {
		u.Liaison = old.Liaison
	}
	if !u.Given["phone"] {
		u.Phone = old.Phone
	}
}

// Validate checks a unit before it is stored.
// Every wrong field is named at once.
func (u *Unit) Validate() error {
	var fe FieldErrors
	fe.Merge(checkLengths(nameField("name", "单位名称", u.Name), codeField("division_code", "区划代码", u.DivisionCode),
		nameField("head", "主要负责人", u.Head), nameField("liaison", "联络员", u.Liaison),
		lenRule{"phone", "电话", u.Phone, MaxPhoneLen}))
	if u.Name == "" {
		fe.Add("name", "单位名称不能为空")
	}
	if u.Kind == "" {
		u.Kind = UnitOther
	}
	if _, ok := ParseUnitKind(string(u.Kind)); !ok {
		fe.Add("kind", "单位类型“%s”无效", u.Kind)
	}
	return fe.Err()
}

// UnitUpdate is an administrator's change to a unit. Nil fields are left
// as they are.
type UnitUpdate struct {
	Version      int     `json:"version"`
	Name         *string `json:"name"`
	Kind         *string `json:"kind"` // as offices write it: 乡镇, 街道, 部门, township…
	DivisionCode *string `json:"division_code"`
	Member       *bool   `json:"member"`
	Head         *string `json:"head"`
	Liaison      *string `json:"liaison"`
	Phone        *string `json:"phone"`
}

// Apply copies the set fields of upd onto u. A kind offices write is
// turned into its canonical word; an unknown one is kept for Validate to
// refuse.
func (upd *UnitUpdate) Apply(u *Unit) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&u.Name, upd.Name)
	set(&u.DivisionCode, upd.DivisionCode)
	set(&u.Head, upd.Head)
	set(&u.Liaison, upd.Liaison)
	set(&u.Phone, upd.Phone)
	if upd.Kind != nil {
		k := strings.TrimSpace(*upd.Kind)
		if kind, ok := ParseUnitKind(k); ok {
			u.Kind = kind
		} else {
			u.Kind = UnitKind(k)
		}
	}
	if upd.Member != nil {
		u.Member = *upd.Member
	}
}

// UnitService manages units.
type UnitService interface {
	FindUnits(ctx context.Context) ([]*Unit, error)
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	// FindUnitByName finds a unit by its exact (normalized) name.
	FindUnitByName(ctx context.Context, name string) (*Unit, error)
	// ImportUnits creates or updates units by name, all or nothing.
	ImportUnits(ctx context.Context, units []*Unit) (created, updated int, err error)
	// CreateUnit adds one unit (administrators only); names are unique.
	CreateUnit(ctx context.Context, u *Unit) error
	// UpdateUnit changes a unit (administrators only).
	UpdateUnit(ctx context.Context, id int64, upd UnitUpdate) (*Unit, error)
}

// Phase is the stage an inspection campaign is in.
type Phase string

// Campaign phases.
const (
	PhasePreparation   Phase = "准备"
	PhaseOnSite        Phase = "进驻"
	PhaseFeedback      Phase = "反馈"
	PhaseRectification Phase = "整改"
)

// Phases lists the phases in their order.
var Phases = []Phase{PhasePreparation, PhaseOnSite, PhaseFeedback, PhaseRectification}

// Campaign is one round of inspection (督察轮次).
type Campaign struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Team     string `json:"team,omitempty"`
	Start    Date   `json:"start"`
	End      Date   `json:"end"`
	CaseDays int    `json:"case_days"`
	Phase    Phase  `json:"phase"`
	Version  int    `json:"version"`

	// WorkingDays counts CaseDays in working days (Calendar) instead of
	// calendar days; Holidays and Workdays (调休) are lists of dates.
	WorkingDays bool   `json:"working_days"`
	Holidays    string `json:"holidays,omitempty"`
	Workdays    string `json:"workdays,omitempty"`

	// Rules are the campaign's supervision rules (督办规则); a campaign
	// created without them gets DefaultRules from Validate.
	Rules Rules `json:"rules"`
}

// Validate checks a campaign before it is stored.
func (c *Campaign) Validate() error {
	if err := checkLengths(shortField("name", "督察轮次名称", c.Name), shortField("team", "督察组", c.Team),
		textField("holidays", "节假日", c.Holidays), textField("workdays", "调休上班日", c.Workdays)); err != nil {
		return err
	}
	if c.Name == "" {
		return FieldError("name", "督察轮次名称不能为空")
	}
	if c.CaseDays == 0 {
		c.CaseDays = 10
	}
	if c.CaseDays < 1 || c.CaseDays > 365 {
		return FieldError("case_days", "办理时限天数应在1到365之间")
	}
	if c.Phase == "" {
		c.Phase = PhasePreparation
	}
	switch c.Phase {
	case PhasePreparation, PhaseOnSite, PhaseFeedback, PhaseRectification:
	default:
		return FieldError("phase", "阶段“%s”无效", c.Phase)
	}
	if c.Start.Valid() && c.End.Valid() && c.End < c.Start {
		return FieldError("end", "结束日期早于开始日期")
	}
	if _, err := ParseDates(c.Holidays); err != nil {
		return err
	}
	if _, err := ParseDates(c.Workdays); err != nil {
		return FieldError("workdays", "调休上班日期格式应为 YYYY-MM-DD")
	}
	if c.Rules.zero() {
		c.Rules = DefaultRules()
	}
	return c.Rules.Validate()
}

// zero reports whether r is the zero value: rules never set, as on a
// campaign made without them, rather than rules set wrong.
func (r Rules) zero() bool {
	return r.ClosureLevels == nil && r.YellowDays == 0 && !r.ReminderOnRed && r.SupervisionAfterDays == 0 &&
		r.ListedAfterDays == 0 && r.AnswerDays == 0 && !r.WorkingDays && r.PublicityDays == 0 &&
		!r.PublicityWorkingDays && !r.HeadSignoff && r.QuietHours == ""
}

// CampaignUpdate is an administrator's change to a campaign. Nil fields
// are left as they are.
type CampaignUpdate struct {
	Version     int     `json:"version"`
	Name        *string `json:"name"`
	Team        *string `json:"team"`
	Start       *Date   `json:"start"`
	End         *Date   `json:"end"`
	CaseDays    *int    `json:"case_days"`
	Phase       *Phase  `json:"phase"`
	WorkingDays *bool   `json:"working_days"`
	Holidays    *string `json:"holidays"`
	Workdays    *string `json:"workdays"`
	// Rules replace the campaign's supervision rules as a whole (SPEC
	// section 6: yellow_days, supervision_after_days, …); Campaign.Validate
	// checks them after Apply. The API's PATCH merges the rules it is sent
	// over the campaign's before it gets here, so a key left out there is
	// kept.
	Rules *Rules `json:"rules"`
}

// Validate checks what Campaign.Validate cannot tell after Apply: a
// time limit set to zero, which a new campaign takes as the default, and
// rules left empty, which a new campaign takes as the defaults.
func (upd *CampaignUpdate) Validate() error {
	if upd.CaseDays != nil && *upd.CaseDays == 0 {
		return FieldError("case_days", "办理时限天数应在1到365之间")
	}
	// Rules replace the campaign's whole: an empty object would wipe
	// every one of them, which is never what was meant.
	if upd.Rules != nil && upd.Rules.zero() {
		return FieldError("rules", "督办规则不能为空：请提交完整的规则（可先读取当前规则再修改）")
	}
	return nil
}

// Apply copies the set fields of upd onto c.
func (upd *CampaignUpdate) Apply(c *Campaign) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&c.Name, upd.Name)
	set(&c.Team, upd.Team)
	set(&c.Holidays, upd.Holidays)
	set(&c.Workdays, upd.Workdays)
	if upd.Start != nil {
		c.Start = *upd.Start
	}
	if upd.End != nil {
		c.End = *upd.End
	}
	if upd.CaseDays != nil {
		c.CaseDays = *upd.CaseDays
	}
	if upd.Phase != nil {
		c.Phase = Phase(strings.TrimSpace(string(*upd.Phase)))
	}
	if upd.WorkingDays != nil {
		c.WorkingDays = *upd.WorkingDays
	}
	if upd.Rules != nil {
		r := *upd.Rules
		// A copy of the levels, so that Validate's trimming in place never
		// writes into the caller's update.
		r.ClosureLevels = append([]string(nil), upd.Rules.ClosureLevels...)
		if r.ClosureLevels == nil {
			r.ClosureLevels = []string{}
		}
		c.Rules = r
	}
}

// CampaignService manages campaigns.
type CampaignService interface {
	CreateCampaign(ctx context.Context, c *Campaign) error
	FindCampaigns(ctx context.Context) ([]*Campaign, error)
	FindCampaignByID(ctx context.Context, id int64) (*Campaign, error)
	// UpdateCampaign changes a campaign (administrators only).
	UpdateCampaign(ctx context.Context, id int64, upd CampaignUpdate) (*Campaign, error)
	// CurrentCampaign is the newest campaign; not found when there is none.
	CurrentCampaign(ctx context.Context) (*Campaign, error)
}
