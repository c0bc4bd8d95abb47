package ducha

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Responsibility lists (责任清单) and self-inspection (自查自纠), SPEC
// sections 2 and 3: each unit keeps a list of its duties with their legal
// basis; a self-inspection walks the list, marks each duty complied or not,
// and on submit each duty found wanting becomes a problem (source 自查发现)
// linked to its duty.

// MaxDutyTitleLen bounds a duty's text (职责事项): a unit's list is unique
// by it, and an index entry must stay well under PostgreSQL's btree limit.
const MaxDutyTitleLen = 500

// SourceSelfInspection is the problem source of a self-inspection finding.
const SourceSelfInspection = "自查发现"

// Duty is one item of a unit's responsibility list (责任清单事项).
type Duty struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Unit   string `json:"unit"`
	// No is the 序号 as the list writes it ("1", "一", "1.2").
	No        string    `json:"no"`
	Title     string    `json:"title"` // 职责事项
	Basis     string    `json:"basis"` // 依据 (法律法规依据)
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a duty read from a list: its text is required, within
// its limits. It trims the fields in place.
func (d *Duty) Validate() error {
	d.No, d.Title, d.Basis = strings.TrimSpace(d.No), strings.TrimSpace(d.Title), strings.TrimSpace(d.Basis)
	if err := checkLengths(codeField("no", "序号", d.No), lenRule{"title", "职责事项", d.Title, MaxDutyTitleLen},
		textField("basis", "依据", d.Basis)); err != nil {
		return err
	}
	if d.Title == "" {
		return FieldError("title", "职责事项不能为空")
	}
	return nil
}

// DutyRef names a duty where another record shows it (a problem's duty).
type DutyRef struct {
	ID    int64  `json:"id"`
	No    string `json:"no"`
	Title string `json:"title"`
}

// DutyRow is one duty read from a responsibility list file, with the unit
// as the file names it and the row number the user sees.
type DutyRow struct {
	Row  int
	Unit string
	Duty *Duty
}

// DutyImportResult says what a responsibility list import did: duties
// created, changed (序号 or 依据 of a duty already listed) and already
// there as written, and the units whose lists it touched.
type DutyImportResult struct {
	Created   int      `json:"created"`
	Updated   int      `json:"updated"`
	Unchanged int      `json:"unchanged"`
	Units     []string `json:"units"`
}

// DutyFilter selects duties; a unit-scoped caller sees its own unit's only.
type DutyFilter struct {
	UnitID int64
	Offset int
	Limit  int // 0: MaxPerPage
}

// InspectionStatus is where a self-inspection stands.
type InspectionStatus string

// Inspection statuses.
const (
	InspectionOpen      InspectionStatus = "open"      // 自查中
	InspectionSubmitted InspectionStatus = "submitted" // 已提交
)

// Label is the status's Chinese name.
func (s InspectionStatus) Label() string {
	switch s {
	case InspectionOpen:
		return "自查中"
	case InspectionSubmitted:
		return "已提交"
	}
	return string(s)
}

// Inspection is one self-inspection (自查) of a unit: it walks the unit's
// responsibility list as it stands, one item per duty. Once submitted, the
// duties found wanting are problems of the ledger.
type Inspection struct {
	ID          int64            `json:"id"`
	UnitID      int64            `json:"unit_id"`
	Unit        string           `json:"unit"`
	CampaignID  int64            `json:"campaign_id,omitempty"`
	Status      InspectionStatus `json:"status"`
	StartedBy   string           `json:"started_by"`
	StartedAt   time.Time        `json:"started_at"`
	SubmittedBy string           `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time       `json:"submitted_at"`
	Version     int              `json:"version"`
	// Items are one per duty of the list, in its order (read with the
	// inspection's detail; lists leave them out).
	Items []*InspectionItem `json:"items,omitempty"`
	// Counts over the items: duties, marked, found wanting.
	Duties  int `json:"duties"`
	Marked  int `json:"marked"`
	Wanting int `json:"wanting"`
	// Problems are the problems the submit made, one per duty found wanting.
	Problems []*InspectionProblem `json:"problems"`
}

// InspectionItem is one duty of an inspection and what the unit found.
type InspectionItem struct {
	Duty     DutyRef `json:"duty"`
	Basis    string  `json:"basis"`
	Marked   bool    `json:"marked"`
	Complied bool    `json:"complied"`
	Finding  string  `json:"finding"`
	Mode     string  `json:"mode"`
	Deadline Date    `json:"deadline"`
	// MarkedBy is a username; MarkedAt nil while the duty is not marked.
	MarkedBy string     `json:"marked_by,omitempty"`
	MarkedAt *time.Time `json:"marked_at"`
	// ProblemID is the problem the finding became, once submitted.
	ProblemID   int64  `json:"problem,omitempty"`
	ProblemCode string `json:"problem_code,omitempty"`
}

// InspectionProblem is a problem a submitted inspection made.
type InspectionProblem struct {
	ID   int64   `json:"id"`
	Code string  `json:"code"`
	Duty DutyRef `json:"duty"`
}

// InspectionMark is what a unit records for one duty: complied or not,
// and for a duty found wanting the finding, the rectification mode and,
// for 限时整改, the deadline.
type InspectionMark struct {
	Complied bool   `json:"complied"`
	Finding  string `json:"finding"`
	Mode     string `json:"mode"`
	Deadline Date   `json:"deadline"`
	Version  int    `json:"version"`
}

// InspectionFilter selects inspections; a unit-scoped caller sees its
// own unit's only.
type InspectionFilter struct {
	UnitID int64
	Status InspectionStatus
	Offset int
	Limit  int // 0: MaxPerPage
}

// CheckInspector reports whether u may start, mark and submit a
// self-inspection of the unit: a unit liaison or unit head for their own
// unit, the coordinator and the administrator for any unit; readers
// (discipline, leaders) never.
func CheckInspector(u *User, unitID int64) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	if Can(u, PermRegister) {
		return nil
	}
	if Can(u, PermWork) && u.Role.UnitScoped() && u.UnitID != 0 && u.UnitID == unitID {
		return nil
	}
	return Forbidden()
}

// ApplyInspectionMark records m on item of inspection in for user u at
// time now: permission, state, validation; no I/O, and on error item is
// unchanged. A duty complied keeps no finding; one found wanting needs
// its finding and a mode, 限时整改 a deadline no earlier than today. A
// 立行立改 finding without a deadline is due today: it is fixed at once.
func ApplyInspectionMark(in *Inspection, item *InspectionItem, m InspectionMark, u *User, now time.Time) error {
	if err := CheckInspector(u, in.UnitID); err != nil {
		return err
	}
	if in.Status != InspectionOpen {
		return inspectionClosedError(in)
	}
	next := *item
	finding := strings.TrimSpace(m.Finding)
	mode := strings.TrimSpace(m.Mode)
	today := Today(now)
	if m.Complied {
		next.Complied, next.Finding, next.Mode, next.Deadline = true, "", "", ""
	} else {
		if err := checkLengths(textField("finding", "发现的问题", finding)); err != nil {
			return err
		}
		if finding == "" {
			return FieldError("finding", "未履行到位的职责须填写发现的问题（finding）")
		}
		if mode == "" {
			return FieldError("mode", "请选择整改类型（mode）：%s", strings.Join(ProblemModes, "、"))
		}
		if !contains(ProblemModes, mode) {
			return FieldError("mode", "整改类型“%s”无效，应为%s之一", mode, strings.Join(ProblemModes, "、"))
		}
		deadline := m.Deadline
		if deadline != "" && !deadline.Valid() {
			return FieldError("deadline", "整改时限“%s”格式应为 YYYY-MM-DD", string(deadline))
		}
		switch {
		case mode == ModeTimeBound && !deadline.Valid():
			return FieldError("deadline", "限时整改须填写整改时限（deadline）")
		case deadline.Valid() && deadline < today:
			return FieldError("deadline", "整改时限不能早于今天（%s）", today)
		case mode == ModeImmediate && !deadline.Valid():
			deadline = today
		}
		next.Complied, next.Finding, next.Mode, next.Deadline = false, finding, mode, deadline
	}
	t := now.UTC()
	next.Marked, next.MarkedBy, next.MarkedAt = true, u.Username, &t
	*item = next
	return nil
}

// ApplyInspectionSubmit submits inspection in for user u at time now once
// every duty of its list is marked, naming the first duties still
// unmarked; no I/O, and on error in is unchanged. The store then makes
// the problems.
func ApplyInspectionSubmit(in *Inspection, u *User, now time.Time) error {
	if err := CheckInspector(u, in.UnitID); err != nil {
		return err
	}
	if in.Status != InspectionOpen {
		return inspectionClosedError(in)
	}
	if len(in.Items) == 0 {
		return FieldError("items", "本单位责任清单为空，没有可提交的自查事项")
	}
	var unmarked []string
	for _, it := range in.Items {
		if !it.Marked {
			unmarked = append(unmarked, dutyName(it.Duty))
		}
	}
	if len(unmarked) > 0 {
		const shown = 3
		names := strings.Join(unmarked[:min(shown, len(unmarked))], "、")
		if len(unmarked) > shown {
			names += "等"
		}
		return FieldError("items", "还有%d项职责未自查：%s", len(unmarked), names)
	}
	t := now.UTC()
	in.Status, in.SubmittedBy, in.SubmittedAt = InspectionSubmitted, u.Username, &t
	return nil
}

// dutyName is how messages name a duty: its 序号 and the start of its text.
func dutyName(d DutyRef) string {
	title := d.Title
	if r := []rune(title); len(r) > 20 {
		title = string(r[:20]) + "…"
	}
	if d.No != "" {
		return "第" + d.No + "项“" + title + "”"
	}
	return "“" + title + "”"
}

func inspectionClosedError(in *Inspection) error {
	at := ""
	if in.SubmittedAt != nil {
		at = "于" + in.SubmittedAt.In(Location).Format("2006-01-02 15:04")
	}
	return Errorf(ECONFLICT, "该次自查已%s提交，不能再修改", at)
}

// FindingProblem is the problem a duty found wanting becomes on submit:
// source 自查发现, the finding as its description, the inspection's unit
// as lead unit, the item's mode and deadline, status 待交办 (the unit then
// plans it). The township's name is its area.
func FindingProblem(in *Inspection, unit *Unit, it *InspectionItem) *Problem {
	p := &Problem{Source: SourceSelfInspection, Description: it.Finding, LeadUnitID: unit.ID, LeadUnit: unit.Name,
		Mode: it.Mode, Deadline: it.Deadline, DeadlineText: string(it.Deadline), Status: StatusRegistered,
		CampaignID: in.CampaignID, Types: []string{}, CoopUnits: []string{},
		Note: "自查自纠（自查第" + strconv.FormatInt(in.ID, 10) + "号）发现，责任清单事项：" + dutyName(it.Duty)}
	if unit.Kind == UnitTownship {
		p.Area = unit.Name
	}
	return p
}

// InspectionSummary is the county view of self-inspection: each unit with
// a list or an inspection, and the duties found wanting in the most units.
type InspectionSummary struct {
	Units  []*UnitInspection `json:"units"`
	Duties []*DutyWanting    `json:"duties"`
}

// UnitInspection is one unit's self-inspection record: whether it has
// submitted one, how many and when last; its list's size; and how many
// duties its latest submitted inspection found wanting.
type UnitInspection struct {
	UnitID        int64  `json:"unit_id"`
	Unit          string `json:"unit"`
	Inspected     bool   `json:"inspected"`
	Submitted     int    `json:"submitted"`
	LastSubmitted Date   `json:"last_submitted"`
	Open          bool   `json:"open"` // an inspection is under way
	Duties        int    `json:"duties"`
	Wanting       int    `json:"wanting"`
}

// DutyWanting is a duty (by its text, across units) and the units whose
// latest submitted inspection found it wanting.
type DutyWanting struct {
	Title string   `json:"title"`
	Count int      `json:"count"`
	Units []string `json:"units"`
}

// DutyService keeps the responsibility lists and the self-inspections.
type DutyService interface {
	// ImportDuties stores the duties of a responsibility list file, all
	// or none; units are named exactly. Coordinator and admin.
	ImportDuties(ctx context.Context, rows []DutyRow) (DutyImportResult, error)
	// FindDuties lists duties by unit and 序号 order.
	FindDuties(ctx context.Context, f DutyFilter) ([]*Duty, int, error)
	// StartInspection starts a self-inspection of a unit (0: the caller's
	// own); when one is open already it answers that one, created false.
	StartInspection(ctx context.Context, unitID int64) (in *Inspection, created bool, err error)
	// FindInspections lists inspections newest first.
	FindInspections(ctx context.Context, f InspectionFilter) ([]*Inspection, int, error)
	// FindInspectionByID returns one with its items and problems; another
	// unit's is not found.
	FindInspectionByID(ctx context.Context, id int64) (*Inspection, error)
	// MarkInspectionItem records what the unit found for one duty
	// (ApplyInspectionMark); version 0 marks it as it is.
	MarkInspectionItem(ctx context.Context, id, dutyID int64, m InspectionMark) (*Inspection, error)
	// SubmitInspection submits it and makes one problem per duty found
	// wanting, in one transaction (ApplyInspectionSubmit).
	SubmitInspection(ctx context.Context, id int64, version int) (*Inspection, error)
	// FindInspectionEvents returns an inspection's history (start, each
	// mark, submit) to whoever may read it.
	FindInspectionEvents(ctx context.Context, id int64) ([]*Event, error)
	// InspectionSummary is the county view (PermOversee).
	InspectionSummary(ctx context.Context) (*InspectionSummary, error)
}
