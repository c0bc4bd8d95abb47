package ducha

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Problem workflow actions (SPEC section 3).
const (
	ActPlan             = "plan"
	ActProgress         = "progress"
	ActApplyClosure     = "apply_closure"
	ActVerify           = "verify"
	ActReturn           = "return"
	ActReopen           = "reopen"
	ActRequestExtension = "request_extension"
	ActDecideExtension  = "decide_extension"
	ActSignoff          = "signoff"
	ActObject           = "object"
)

// ProblemActions lists every action, in the order pages offer them.
var ProblemActions = []string{ActPlan, ActProgress, ActApplyClosure, ActSignoff, ActVerify, ActObject, ActReturn, ActReopen, ActRequestExtension, ActDecideExtension}

// UnitRef names a unit by id or by exact name; JSON accepts a number or a string.
type UnitRef string

// UnmarshalJSON accepts 12 or "12" or "永清镇".
func (r *UnitRef) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		*r = UnitRef(strconv.FormatInt(n, 10))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*r = UnitRef(strings.TrimSpace(s))
	return nil
}

// ProblemAction is the input of one workflow action. The store resolves
// LeadUnit and CoopUnits into ids before the action is applied.
type ProblemAction struct {
	Action        string    `json:"-"`
	Version       int       `json:"version"`
	LeadUnit      UnitRef   `json:"lead_unit"`
	CoopUnits     []UnitRef `json:"coop_units"`
	Leader        string    `json:"leader"`
	Person        string    `json:"person"`
	Measures      string    `json:"measures"`
	Target        string    `json:"target"`
	Mode          string    `json:"mode"`
	Deadline      Date      `json:"deadline"`
	Text          string    `json:"text"`
	Reason        string    `json:"reason"`
	Approve       *bool     `json:"approve"`
	AttachmentIDs []int64   `json:"attachment_ids"`
	// Percent is a progress entry's 整治进度, 0 to 100.
	Percent *int `json:"percent"`
	// Opinion is a closure level's opinion; Level, when given, names the
	// level the caller means to sign, so that a level signed meanwhile by
	// someone else is not signed twice.
	Opinion string `json:"opinion"`
	Level   string `json:"level"`
	// ConfirmPastDeadline accepts a deadline that has already passed when it
	// is typed (an old problem registered late); without it such a date is
	// taken for a typing error and refused.
	ConfirmPastDeadline bool `json:"confirm_past_deadline"`

	// Resolved by the store: the rules and calendar of the problem's
	// campaign (the defaults when Rules has no closure levels).
	Rules    Rules    `json:"-"`
	Calendar Calendar `json:"-"`

	// Resolved by the store.
	LeadUnitID    int64    `json:"-"`
	LeadUnitName  string   `json:"-"`
	CoopUnitIDs   []int64  `json:"-"`
	CoopUnitNames []string `json:"-"`
}

// ApplyProblemAction runs one action on p for user u at time now: it checks
// the permission and the state, validates the input and changes p. It has
// no I/O; the store loads p, calls it, and writes p and the event. On error p
// is unchanged.
func ApplyProblemAction(p *Problem, in ProblemAction, u *User, now time.Time) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	if err := allowProblemAction(p, in, u); err != nil {
		return err
	}
	next := *p
	if err := stepProblem(&next, in, u, now); err != nil {
		return err
	}
	*p = next
	return nil
}

// allowProblemAction is the permission rule of each action.
func allowProblemAction(p *Problem, in ProblemAction, u *User) error {
	ownLead := !u.Role.UnitScoped() || (u.UnitID != 0 && p.LeadUnitID == u.UnitID)
	ownAny := !u.Role.UnitScoped() || p.InUnit(u.UnitID)
	switch in.Action {
	case ActPlan:
		if Can(u, PermRegister) {
			return nil
		}
		// A unit fills in its own plan; what the county decided is not its to change.
		if Can(u, PermWork) && ownLead && p.LeadUnitID != 0 {
			return unitPlanFields(p, in)
		}
	case ActProgress:
		if Can(u, PermWork) && ownAny {
			return nil
		}
	case ActApplyClosure, ActRequestExtension:
		if Can(u, PermWork) && ownLead {
			return nil
		}
	case ActSignoff:
		// The head of the lead unit signs off its own unit's application.
		if u.Role == RoleUnitHead && ownLead {
			return nil
		}
	case ActReturn:
		// The coordinator returns what it verifies; the unit head returns
		// an application waiting for its sign-off to the liaison.
		if Can(u, PermVerify) || (u.Role == RoleUnitHead && ownLead && p.AwaitingSignoff) {
			return nil
		}
	case ActVerify, ActObject, ActReopen, ActDecideExtension:
		if Can(u, PermVerify) {
			return nil
		}
	default:
		return FieldError("action", "未知的操作“%s”", in.Action)
	}
	return Forbidden()
}

// unitPlanFields is what a unit may put in its own plan: the person,
// measures and target, and a deadline only where none was set. The lead
// unit, the cooperating units, the responsible leader and the mode are the
// county's to decide (a unit choosing 长期坚持 would free itself of any
// deadline), and a deadline once set moves only by the coordinator or an
// approved extension. Every refused field is named at once.
func unitPlanFields(p *Problem, in ProblemAction) error {
	fields := map[string]string{}
	if in.LeadUnitID != 0 && in.LeadUnitID != p.LeadUnitID {
		fields["lead_unit"] = "责任单位由协调联络组办公室确定，本单位不能更改"
	}
	if in.CoopUnitIDs != nil && !sameIDs(in.CoopUnitIDs, p.CoopUnitIDs) {
		fields["coop_units"] = "配合单位由协调联络组办公室确定，本单位不能更改"
	}
	if v := strings.TrimSpace(in.Leader); v != "" && v != p.Leader {
		fields["leader"] = "责任领导由协调联络组办公室确定，本单位不能更改"
	}
	if v := strings.TrimSpace(in.Mode); v != "" && v != p.Mode {
		fields["mode"] = "整改类型由协调联络组办公室确定，本单位不能更改"
	}
	if in.Deadline.Valid() && p.Deadline.Valid() && in.Deadline != p.Deadline {
		fields["deadline"] = "整改时限已确定，如需延期请提出延期申请"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EFORBIDDEN, Message: joinFieldMessages(fields), Fields: fields}
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := make(map[int64]int, len(a))
	for _, id := range a {
		seen[id]++
	}
	for _, id := range b {
		if seen[id] == 0 {
			return false
		}
		seen[id]--
	}
	return true
}

func stepProblem(p *Problem, in ProblemAction, u *User, now time.Time) error {
	today := Today(now)
	text := strings.TrimSpace(in.Text)
	reason := strings.TrimSpace(in.Reason)
	switch in.Action {
	case ActPlan:
		if p.Status != StatusRegistered && p.Status != StatusInProgress {
			return stateError(p, in.Action)
		}
		if in.LeadUnitID != 0 {
			p.LeadUnitID, p.LeadUnit = in.LeadUnitID, in.LeadUnitName
		}
		// A unit's form sends the cooperating units back as it got them;
		// only the coordinator reorders them.
		if in.CoopUnitIDs != nil && !(u.Role.UnitScoped() && sameIDs(in.CoopUnitIDs, p.CoopUnitIDs)) {
			p.CoopUnitIDs, p.CoopUnits = in.CoopUnitIDs, in.CoopUnitNames
		}
		for _, id := range p.CoopUnitIDs {
			if id == p.LeadUnitID {
				return FieldError("coop_units", "配合单位不能与责任单位相同")
			}
		}
		setIf(&p.Leader, in.Leader)
		setIf(&p.Person, in.Person)
		setIf(&p.Measures, in.Measures)
		setIf(&p.Target, in.Target)
		setIf(&p.Mode, in.Mode)
		if p.Mode == "" {
			p.Mode = ModeTimeBound
		}
		if !contains(ProblemModes, p.Mode) {
			return FieldError("mode", "整改类型“%s”无效，应为%s之一", p.Mode, strings.Join(ProblemModes, "、"))
		}
		// Once set, a deadline moves only by an approved extension, unless
		// the coordinator re-plans (unitPlanFields refuses it to units).
		if in.Deadline.Valid() && in.Deadline != p.Deadline {
			if err := CheckTypedDeadline(in.Deadline, today, in.ConfirmPastDeadline); err != nil {
				return err
			}
			p.Deadline, p.DeadlineText = in.Deadline, string(in.Deadline)
		}
		// Everything 整改中 needs, each missing field named at once.
		missing := map[string]string{}
		if p.LeadUnitID == 0 {
			missing["lead_unit"] = "请指定责任单位"
		}
		if p.Person == "" {
			missing["person"] = "请填写责任人"
		}
		if p.Measures == "" {
			missing["measures"] = "请填写整改措施"
		}
		if !p.Deadline.Valid() && p.Mode == ModeTimeBound {
			missing["deadline"] = "限时整改的问题必须有整改时限"
		}
		if len(missing) > 0 {
			return &Error{Code: EINVALID, Message: "整改方案不完整：" + joinFieldMessages(missing), Fields: missing}
		}
		if p.Deadline.Valid() && !p.OriginalDeadline.Valid() {
			p.OriginalDeadline = p.Deadline
		}
		if p.PlannedAt == nil {
			t := now.UTC()
			p.PlannedAt = &t
		}
		p.Status = StatusInProgress
	case ActProgress:
		if p.Status != StatusInProgress && p.Status != StatusPendingVerification {
			return stateError(p, in.Action)
		}
		if text == "" {
			return FieldError("text", "请填写整改进展")
		}
		if in.Percent != nil && (*in.Percent < 0 || *in.Percent > 100) {
			return FieldError("percent", "整治进度应为0到100之间的整数")
		}
		t := now.UTC()
		p.Progress, p.ProgressAt = text, &t
		if in.Percent != nil {
			v := *in.Percent
			p.ProgressPercent = &v
		}
	case ActApplyClosure:
		if p.Status != StatusInProgress {
			return stateError(p, in.Action)
		}
		if text == "" {
			return FieldError("text", "请填写整改完成情况")
		}
		p.ClosureText = text
		p.ReturnReason = ""
		p.Status = StatusPendingVerification
		p.Closure.Signoff, p.AwaitingSignoff = nil, false
		switch {
		case u.Role == RoleUnitHead:
			// The head's own application is signed off by applying.
			p.Closure.Signoff = &Signoff{By: u.Username, At: now.UTC()}
		case u.Role == RoleUnitLiaison && in.Rules.HeadSignoff:
			p.AwaitingSignoff = true
		}
	case ActSignoff:
		if p.Status != StatusPendingVerification || !p.AwaitingSignoff {
			return Errorf(ECONFLICT, "该问题没有待签发的销号申请")
		}
		p.AwaitingSignoff = false
		p.Closure.Signoff = &Signoff{By: u.Username, At: now.UTC()}
	case ActVerify:
		return verifyLevel(p, in, u, now)
	case ActObject:
		if p.Status != StatusPublicity {
			return stateError(p, in.Action)
		}
		pb := p.Closure.Publicity
		if pb == nil {
			return stateError(p, in.Action)
		}
		if !pb.Open(today) {
			return Errorf(ECONFLICT, "不在公示期内（%s至%s），不能登记异议", pb.From, pb.To)
		}
		if text == "" {
			return FieldError("text", "请填写异议内容")
		}
		if err := checkLengths(textField("text", "异议内容", text)); err != nil {
			return err
		}
		pb.Objections = append(pb.Objections, Objection{Text: text, By: u.Username, At: now.UTC()})
		p.Closure.endRound("公示异议", text, now.UTC())
		p.ReturnReason = "公示期间收到异议：" + text
		p.AwaitingSignoff = false
		p.Status = StatusInProgress
	case ActReturn:
		if p.Status != StatusPendingVerification {
			return stateError(p, in.Action)
		}
		if reason == "" {
			return FieldError("reason", "退回必须填写理由")
		}
		ended := "退回"
		if u.Role == RoleUnitHead {
			ended = "单位主要负责人退回"
		}
		p.Closure.endRound(ended, reason, now.UTC())
		p.ReturnReason = reason
		p.AwaitingSignoff = false
		p.Status = StatusInProgress
	case ActReopen:
		if p.Status != StatusClosed {
			return stateError(p, in.Action)
		}
		if reason == "" {
			return FieldError("reason", "重新打开（反弹）必须填写理由")
		}
		p.Closure.endRound("重新打开", reason, now.UTC())
		p.ReturnReason = reason
		p.ClosedAt = nil
		p.ReopenCount++
		p.Status = StatusInProgress
	case ActRequestExtension:
		if p.Status != StatusInProgress {
			return stateError(p, in.Action)
		}
		if p.Extension != nil {
			return Errorf(ECONFLICT, "已有待审批的延期申请")
		}
		if !p.Deadline.Valid() {
			return FieldError("deadline", "该问题没有整改时限，无需延期")
		}
		if p.Deadline < today {
			return FieldError("deadline", "已超过整改时限（%s），不能再申请延期", p.Deadline)
		}
		if !in.Deadline.Valid() || in.Deadline <= p.Deadline {
			return FieldError("deadline", "申请的新时限必须晚于现有时限（%s）", p.Deadline)
		}
		if reason == "" {
			return FieldError("reason", "延期申请必须填写理由")
		}
		p.Extension = &Extension{Deadline: in.Deadline, Reason: reason, RequestedBy: u.Username, RequestedAt: now.UTC()}
	case ActDecideExtension:
		if p.Status != StatusInProgress && p.Status != StatusPendingVerification {
			return stateError(p, in.Action)
		}
		if p.Extension == nil {
			return Errorf(EINVALID, "没有待审批的延期申请")
		}
		if in.Approve == nil {
			return FieldError("approve", "请选择同意或不同意")
		}
		if !*in.Approve && reason == "" {
			return FieldError("reason", "不同意延期须填写理由")
		}
		if *in.Approve {
			if !p.OriginalDeadline.Valid() {
				p.OriginalDeadline = p.Deadline
			}
			p.Deadline, p.DeadlineText = p.Extension.Deadline, string(p.Extension.Deadline)
		}
		p.Extension = nil
	default:
		return FieldError("action", "未知的操作“%s”", in.Action)
	}
	return nil
}

// verifyLevel signs the next closure level (验收). 立行立改 problems may be
// signed straight from in-progress, the same day. The last level closes
// the problem, or opens its public notice when the rules set one.
func verifyLevel(p *Problem, in ProblemAction, u *User, now time.Time) error {
	if p.Status != StatusPendingVerification && !(p.Status == StatusInProgress && p.Mode == ModeImmediate) {
		return stateError(p, in.Action)
	}
	if p.AwaitingSignoff {
		return Errorf(ECONFLICT, "该销号申请尚待单位主要负责人签发")
	}
	rules := in.Rules
	if len(rules.ClosureLevels) == 0 {
		rules = DefaultRules()
	}
	levels := rules.ClosureLevels
	next := len(p.Closure.Levels)
	if want := strings.TrimSpace(in.Level); want != "" {
		for _, l := range p.Closure.Levels {
			if l.Level == want || LevelLabel(l.Level) == want {
				return Errorf(ECONFLICT, "%s已于%s签署", LevelLabel(l.Level), l.At.In(Location).Format("2006-01-02 15:04"))
			}
		}
		if next < len(levels) && want != levels[next] && want != LevelLabel(levels[next]) {
			return FieldError("level", "应先签署%s", LevelLabel(levels[next]))
		}
	}
	opinion := strings.TrimSpace(in.Opinion)
	if err := checkLengths(textField("opinion", "验收意见", opinion)); err != nil {
		return err
	}
	if next < len(levels) {
		s := LevelSignoff{Level: levels[next], By: u.Username, At: now.UTC(), Opinion: opinion}
		if len(in.AttachmentIDs) > 0 {
			s.AttachmentID = in.AttachmentIDs[0]
		}
		p.Closure.Levels = append(p.Closure.Levels, s)
		next++
	}
	if next < len(levels) {
		// Signed straight from in-progress, it now waits for the next level.
		p.Status = StatusPendingVerification
		return nil
	}
	if rules.PublicityDays > 0 {
		p.Closure.Publicity = publicityPeriod(Today(now), rules, in.Calendar)
		p.Status = StatusPublicity
		return nil
	}
	t := now.UTC()
	p.ClosedAt = &t
	p.Extension = nil
	p.Status = StatusClosed
	return nil
}

// planFieldOrder is the order in which plan fields are named in a message.
var planFieldOrder = []string{"lead_unit", "coop_units", "leader", "person", "measures", "target", "mode", "deadline"}

// joinFieldMessages joins field messages in the form's order.
func joinFieldMessages(fields map[string]string) string {
	var msgs []string
	for _, k := range planFieldOrder {
		if m, ok := fields[k]; ok {
			msgs = append(msgs, m)
		}
	}
	for k, m := range fields {
		if !contains(planFieldOrder, k) {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "；")
}

// CheckTypedDeadline refuses a deadline typed into a form or the API that has
// already passed, unless the user confirmed it. Imports of existing ledgers
// keep theirs: the check is for what people type, not for what files hold.
func CheckTypedDeadline(d, today Date, confirmed bool) error {
	if d.Valid() && d < today && !confirmed {
		return FieldError("deadline", "整改时限%s早于今天（%s）；如确需登记已过期的时限，请勾选确认后再提交", d, today)
	}
	return nil
}

// ExtensionRefusedNote starts the note of a refused extension: the
// discipline ranking counts refusals by it.
const ExtensionRefusedNote = "不同意延期"

// ExtensionDecisionNote is what the history says of a decision on an
// extension: the outcome, the new deadline if approved, and the reason.
func ExtensionDecisionNote(approved bool, deadline Date, reason string) string {
	note := ExtensionRefusedNote
	if approved {
		note = "同意延期至" + string(deadline)
	}
	if reason = strings.TrimSpace(reason); reason != "" {
		note += "：" + reason
	}
	return note
}

func setIf(dst *string, v string) {
	if v = strings.TrimSpace(v); v != "" {
		*dst = v
	}
}

func stateError(p *Problem, action string) error {
	return Errorf(ECONFLICT, "问题当前状态为“%s”，不能执行“%s”", p.Status.Label(), ActionLabel(action))
}

// ActionLabel is the Chinese name of a workflow action.
func ActionLabel(action string) string {
	switch action {
	case ActPlan:
		return "制定整改方案"
	case ActProgress:
		return "报送进展"
	case ActApplyClosure:
		return "申请销号"
	case ActVerify:
		return "验收销号"
	case ActReturn:
		return "退回"
	case ActReopen:
		return "重新打开"
	case ActRequestExtension:
		return "申请延期"
	case ActDecideExtension:
		return "审批延期"
	case ActSignoff:
		return "签发"
	case ActObject:
		return "登记公示异议"
	case ActEndPublicity:
		return "公示期满销号"
	case "create":
		return "登记"
	case "update":
		return "修改"
	case "import":
		return "导入"
	case "attach":
		return "上传附件"
	}
	return action
}
