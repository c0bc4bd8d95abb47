package ducha

import "context"

// UnitKind is what sort of body a unit is.
type UnitKind string

// Unit kinds, with the words used in units.csv.
const (
	UnitTownship   UnitKind = "乡镇"
	UnitDepartment UnitKind = "部门"
	UnitOther      UnitKind = "其他"
)

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
}

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	if u.Name == "" {
		return FieldError("name", "单位名称不能为空")
	}
	if u.Kind == "" {
		u.Kind = UnitOther
	}
	if _, ok := ParseUnitKind(string(u.Kind)); !ok {
		return FieldError("kind", "单位类型“%s”无效", u.Kind)
	}
	return nil
}

// UnitService manages units.
type UnitService interface {
	FindUnits(ctx context.Context) ([]*Unit, error)
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	// FindUnitByName finds a unit by its exact (normalized) name.
	FindUnitByName(ctx context.Context, name string) (*Unit, error)
	// ImportUnits creates or updates units by name, all or nothing.
	ImportUnits(ctx context.Context, units []*Unit) (created, updated int, err error)
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
}

// Validate checks a campaign before it is stored.
func (c *Campaign) Validate() error {
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
	return nil
}

// CampaignService manages campaigns.
type CampaignService interface {
	CreateCampaign(ctx context.Context, c *Campaign) error
	FindCampaigns(ctx context.Context) ([]*Campaign, error)
	// CurrentCampaign is the newest campaign; not found when there is none.
	CurrentCampaign(ctx context.Context) (*Campaign, error)
}
