package ducha

import (
	"strings"
	"time"
)

// Case workflow actions (SPEC section 3).
const (
	CaseActAssign  = "assign"
	CaseActSign    = "sign"
	CaseActSubmit  = "submit"
	CaseActAccept  = "accept"
	CaseActReturn  = "return"
	CaseActPublish = "publish"
	CaseActSignoff = "signoff"
)

// CaseActions lists the case actions in workflow order.
var CaseActions = []string{CaseActAssign, CaseActSign, CaseActSubmit, CaseActSignoff, CaseActAccept, CaseActReturn, CaseActPublish}

// CaseAction is the input of one case action. The store resolves unit
// names into ids and fills DefaultDeadline (forwarded date + the campaign's
// days) before the action is applied.
type CaseAction struct {
	Action         string     `json:"-"`
	Version        int        `json:"version"`
	Units          []UnitRef  `json:"units"`
	Unit           UnitRef    `json:"unit"` // submit: whose part, when the coordinator submits for a unit
	Deadline       Date       `json:"deadline"`
	Findings       string     `json:"findings"`
	Verdict        string     `json:"verdict"`
	Handling       string     `json:"handling"`
	Accountability string     `json:"accountability"`
	Measures       []Measure  `json:"measures"`
	Status         CaseStatus `json:"status"`
	Reason         string     `json:"reason"`

	UnitIDs         []int64  `json:"-"`
	UnitNames       []string `json:"-"`
	UnitID          int64    `json:"-"`
	DefaultDeadline Date     `json:"-"`
	// HeadSignoff is the campaign's rule: a liaison's answer waits for the
	// unit head's sign-off.
	HeadSignoff bool `json:"-"`
}

// ApplyCaseAction runs one action on c for user u at time now: permission,
// state, guards. It has no I/O; on error c is unchanged.
func ApplyCaseAction(c *Case, in CaseAction, u *User, now time.Time) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	next := *c
	next.Parts = append([]CaseUnit(nil), c.Parts...)
	next.Measures = append([]Measure(nil), c.Measures...)
	if err := stepCase(&next, in, u, now); err != nil {
		return err
	}
	if err := next.checkLengths(); err != nil {
		return err
	}
	*c = next
	return nil
}

func caseStateError(c *Case, action string) error {
	return Errorf(ECONFLICT, "交办件当前状态为“%s”，不能执行“%s”", c.Status.Label(), CaseActionLabel(action))
}

func stepCase(c *Case, in CaseAction, u *User, now time.Time) error {
	t := now.UTC()
	switch in.Action {
	case CaseActAssign:
		if !Can(u, PermRegister) {
			return Forbidden()
		}
		if c.Status != CaseReceived && c.Status != CaseAssigned {
			return caseStateError(c, in.Action)
		}
		if len(in.UnitIDs) == 0 {
			return FieldError("units", "请指定承办单位")
		}
		parts := make([]CaseUnit, 0, len(in.UnitIDs))
		for i, id := range in.UnitIDs {
			for _, p := range parts {
				if p.UnitID == id {
					return FieldError("units", "承办单位“%s”重复", in.UnitNames[i])
				}
			}
			part := CaseUnit{UnitID: id, Unit: in.UnitNames[i]}
			if old := c.part(id); old != nil {
				part = *old // a unit kept keeps its sign-for
			}
			parts = append(parts, part)
		}
		c.Parts, c.Units = parts, append([]string(nil), in.UnitNames...)
		c.Deadline = in.Deadline
		if !c.Deadline.Valid() {
			c.Deadline = in.DefaultDeadline
		}
		if c.Deadline.Valid() && c.ForwardedDate.Valid() && c.Deadline < c.ForwardedDate {
			return FieldError("deadline", "办理时限不能早于交办日期")
		}
		c.Status = CaseAssigned
	case CaseActSign:
		if !Can(u, PermWork) || !u.Role.UnitScoped() {
			return Forbidden()
		}
		p := c.part(u.UnitID)
		if p == nil {
			return Forbidden()
		}
		if c.Status != CaseAssigned && c.Status != CaseInvestigating {
			return caseStateError(c, in.Action)
		}
		if p.SignedAt != nil {
			return Errorf(ECONFLICT, "本单位已于%s签收", p.SignedAt.In(Location).Format("2006-01-02 15:04"))
		}
		p.SignedAt, p.SignedBy = &t, u.Username
		c.Status = CaseInvestigating
	case CaseActSubmit:
		var p *CaseUnit
		switch {
		case u.Role.UnitScoped() && Can(u, PermWork):
			p = c.part(u.UnitID)
		case Can(u, PermVerify):
			if c.Status != CaseInvestigating {
				return caseStateError(c, in.Action)
			}
			p = c.part(in.UnitID) // the coordinator enters a unit's answer for it
			if p == nil {
				return FieldError("unit", "请指定替哪个承办单位报送")
			}
		}
		if p == nil {
			return Forbidden()
		}
		if c.Status != CaseInvestigating {
			return caseStateError(c, in.Action)
		}
		if p.SignedAt == nil {
			return Errorf(ECONFLICT, "请先签收再报送办理结果")
		}
		findings, handling := strings.TrimSpace(in.Findings), strings.TrimSpace(in.Handling)
		verdict, verdictOK := ParseVerdict(in.Verdict) // 是/否 as 是否属实 columns write them
		// Every missing answer is named at once.
		var fe FieldErrors
		if findings == "" {
			fe.Add("findings", "请填写调查核实情况")
		}
		if !verdictOK {
			fe.Add("verdict", "请选择是否属实（属实、基本属实、部分属实、不属实）")
		}
		if handling == "" {
			fe.Add("handling", "请填写处理和整改情况")
		}
		if len(in.Measures) > MaxMeasures {
			fe.Add("measures", "一次报送的处理措施最多%d项，现有%d项", MaxMeasures, len(in.Measures))
		}
		kept := c.Measures[:0:0]
		for _, m := range c.Measures {
			if m.UnitID != p.UnitID {
				kept = append(kept, m)
			}
		}
		for i := range in.Measures {
			m := in.Measures[i]
			m.ID = 0 // a submission adds measures; ids are the store's to give
			if err := m.Validate(); err != nil {
				if !fe.Merge(err) {
					return err
				}
				continue
			}
			m.UnitID, m.CaseID = p.UnitID, c.ID
			if !m.Date.Valid() {
				m.Date = Today(now)
			}
			kept = append(kept, m)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		c.Measures = kept
		p.Findings, p.Verdict, p.Handling, p.Accountable = findings, verdict, handling, strings.TrimSpace(in.Accountability)
		p.SubmittedAt = &t
		p.ReturnReason, p.SignedOffBy, p.SignedOffAt, p.AwaitingSignoff = "", "", nil, false
		switch {
		case u.Role == RoleUnitHead:
			p.SignedOffBy, p.SignedOffAt = u.Username, &t
		case u.Role == RoleUnitLiaison && in.HeadSignoff:
			p.AwaitingSignoff = true
		}
		if allSubmitted(c.Parts) {
			c.aggregate()
			c.ReturnReason = ""
			c.Status = CaseSubmitted
		}
	case CaseActAccept:
		if !Can(u, PermVerify) {
			return Forbidden()
		}
		switch {
		case c.Status == CaseSubmitted && (in.Status == CaseStageClosed || in.Status == CaseClosed):
		case c.Status == CaseStageClosed && in.Status == CaseClosed:
		case in.Status != CaseStageClosed && in.Status != CaseClosed:
			return FieldError("status", "请选择阶段性办结（stage_closed）或已办结（closed）")
		default:
			return caseStateError(c, in.Action)
		}
		c.Status = in.Status
	case CaseActSignoff:
		if u.Role != RoleUnitHead {
			return Forbidden()
		}
		p := c.part(u.UnitID)
		if p == nil {
			return Forbidden()
		}
		if c.Status != CaseInvestigating || !p.AwaitingSignoff {
			return Errorf(ECONFLICT, "本单位没有待签发的办理结果")
		}
		p.AwaitingSignoff, p.SignedOffBy, p.SignedOffAt = false, u.Username, &t
		if allSubmitted(c.Parts) {
			c.aggregate()
			c.ReturnReason = ""
			c.Status = CaseSubmitted
		}
	case CaseActReturn:
		if u.Role == RoleUnitHead {
			// The head sends the unit's answer back to its liaison.
			// Only what waits for its sign-off; returning a submitted
			// case is the coordinator's.
			p := c.part(u.UnitID)
			if p == nil || c.Status != CaseInvestigating || !p.AwaitingSignoff {
				return Forbidden()
			}
			reason := strings.TrimSpace(in.Reason)
			if reason == "" {
				return FieldError("reason", "退回必须填写理由")
			}
			p.AwaitingSignoff, p.SubmittedAt, p.ReturnReason = false, nil, reason
			return nil
		}
		if !Can(u, PermVerify) {
			return Forbidden()
		}
		if c.Status != CaseSubmitted {
			return caseStateError(c, in.Action)
		}
		reason := strings.TrimSpace(in.Reason)
		if reason == "" {
			return FieldError("reason", "退回必须填写理由")
		}
		for i := range c.Parts {
			c.Parts[i].SubmittedAt = nil
		}
		c.ReturnReason = reason
		c.Status = CaseInvestigating
	case CaseActPublish:
		if !Can(u, PermVerify) {
			return Forbidden()
		}
		if c.Status != CaseStageClosed && c.Status != CaseClosed {
			return caseStateError(c, in.Action)
		}
		if c.Published {
			return Errorf(ECONFLICT, "该交办件已公开")
		}
		c.Published = true
	default:
		return FieldError("action", "未知的操作“%s”", in.Action)
	}
	return nil
}

func allSubmitted(parts []CaseUnit) bool {
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if p.SubmittedAt == nil || p.AwaitingSignoff {
			return false
		}
	}
	return true
}

// aggregate writes the case's answer from its units' parts: one part is
// the answer; several are put together under each unit's name. The verdict
// is 属实 when any unit found it so, 不属实 when every unit did, 基本属实
// when every unit found it basically true, else 部分属实.
func (c *Case) aggregate() {
	if len(c.Parts) == 1 {
		p := c.Parts[0]
		c.Findings, c.Verdict, c.Handling, c.Accountability = p.Findings, p.Verdict, p.Handling, p.Accountable
		return
	}
	var f, h, a []string
	all, any, basically := true, false, true
	for _, p := range c.Parts {
		f = append(f, "【"+p.Unit+"】"+p.Findings)
		h = append(h, "【"+p.Unit+"】"+p.Handling)
		if p.Accountable != "" {
			a = append(a, "【"+p.Unit+"】"+p.Accountable)
		}
		all = all && p.Verdict == VerdictFalse
		any = any || p.Verdict == VerdictTrue
		basically = basically && p.Verdict == VerdictBasically
	}
	c.Findings, c.Handling, c.Accountability = strings.Join(f, "\n"), strings.Join(h, "\n"), strings.Join(a, "\n")
	switch {
	case any:
		c.Verdict = VerdictTrue
	case all:
		c.Verdict = VerdictFalse
	case basically:
		c.Verdict = VerdictBasically
	default:
		c.Verdict = VerdictPartly
	}
}

// CaseActionLabel is the Chinese name of a case action.
func CaseActionLabel(action string) string {
	switch action {
	case CaseActAssign:
		return "交办"
	case CaseActSign:
		return "签收"
	case CaseActSubmit:
		return "报送办理结果"
	case CaseActAccept:
		return "审核办结"
	case CaseActReturn:
		return "退回"
	case CaseActPublish:
		return "公开"
	case CaseActSignoff:
		return "签发"
	}
	return action
}
