package ducha

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// AccountabilityForm is the form an accountability decision (问责) takes.
type AccountabilityForm string

// The forms of SPEC section 2, mildest first. The codes are stable for
// scripts; the Chinese labels are what decisions write, and both are read.
const (
	FormAdmonition     AccountabilityForm = "admonition"          // 诫勉谈话
	FormCriticism      AccountabilityForm = "criticism"           // 通报批评
	FormOrganizational AccountabilityForm = "organizational"      // 组织处理
	FormParty          AccountabilityForm = "party_discipline"    // 党纪处分
	FormGovernment     AccountabilityForm = "government_sanction" // 政务处分
	FormJudicial       AccountabilityForm = "judicial_referral"   // 移送司法机关
)

// AccountabilityForms lists the forms in their order.
var AccountabilityForms = []AccountabilityForm{FormAdmonition, FormCriticism, FormOrganizational, FormParty, FormGovernment, FormJudicial}

var formLabels = map[AccountabilityForm]string{
	FormAdmonition:     "诫勉谈话",
	FormCriticism:      "通报批评",
	FormOrganizational: "组织处理",
	FormParty:          "党纪处分",
	FormGovernment:     "政务处分",
	FormJudicial:       "移送司法机关",
}

// Label is the form's Chinese name; an unknown form is named as written.
func (f AccountabilityForm) Label() string {
	if l, ok := formLabels[f]; ok {
		return l
	}
	return string(f)
}

// ParseAccountabilityForm reads a form by its code or its Chinese label.
func ParseAccountabilityForm(s string) (AccountabilityForm, bool) {
	s = strings.TrimSpace(s)
	for _, f := range AccountabilityForms {
		if s == string(f) || s == formLabels[f] {
			return f, true
		}
	}
	return "", false
}

// Accountability is an accountability record (问责): a person of a unit,
// held to account in one form by a deciding organ on a date, for the
// problems and cases it names.
type Accountability struct {
	ID     int64  `json:"id"`
	Person string `json:"person"`
	Post   string `json:"post"`
	// UnitID is the person's unit; Unit its name.
	Unit      string             `json:"unit"`
	UnitID    int64              `json:"unit_id"`
	Form      AccountabilityForm `json:"form"`
	Reason    string             `json:"reason"`
	DecidedBy string             `json:"decided_by"` // the deciding organ: 县纪委监委
	Date      Date               `json:"date"`
	Problems  []int64            `json:"problems"`
	Cases     []int64            `json:"cases"`
	Version   int                `json:"version"`
	CreatedBy string             `json:"created_by"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Validate checks a record before it is stored, as of today; it trims
// the texts and sorts the linked ids, each once. The store resolves the
// unit first (UnitID) and checks that the linked items exist.
func (a *Accountability) Validate(today Date) error {
	a.Person, a.Post = strings.TrimSpace(a.Person), strings.TrimSpace(a.Post)
	a.Reason, a.DecidedBy = strings.TrimSpace(a.Reason), strings.TrimSpace(a.DecidedBy)
	fields := map[string]string{}
	var first string
	bad := func(field, msg string) {
		if _, ok := fields[field]; ok {
			return
		}
		fields[field] = msg
		if first == "" {
			first = msg
		}
	}
	// Too long a text is named along with the other mistakes.
	var long *Error
	if err := checkLengths(nameField("person", "被问责人", a.Person), shortField("post", "职务", a.Post),
		textField("reason", "问责事由", a.Reason), shortField("decided_by", "决定机关", a.DecidedBy)); errors.As(err, &long) {
		for _, k := range []string{"person", "post", "reason", "decided_by"} {
			if msg, ok := long.Fields[k]; ok {
				bad(k, msg)
			}
		}
	}
	if a.Person == "" {
		bad("person", "请填写被问责人姓名")
	}
	if a.UnitID == 0 {
		bad("unit", "请填写被问责人所在单位")
	}
	if _, ok := formLabels[a.Form]; !ok {
		bad("form", "问责方式“"+string(a.Form)+"”无效，应为"+formChoices())
	}
	if a.Reason == "" {
		bad("reason", "请填写问责事由")
	}
	if a.DecidedBy == "" {
		bad("decided_by", "请填写决定机关（如县纪委监委）")
	}
	switch {
	case !a.Date.Valid():
		bad("date", "请填写问责决定日期")
	case a.Date > today:
		bad("date", "问责决定日期不能晚于今天（"+string(today)+"）")
	}
	var ok bool
	if a.Problems, ok = cleanIDs(a.Problems); !ok {
		bad("problems", "关联问题编号无效")
	}
	if a.Cases, ok = cleanIDs(a.Cases); !ok {
		bad("cases", "关联交办件编号无效")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: first, Fields: fields}
	}
	return nil
}

// formChoices lists the forms for the message that refuses a wrong one.
func formChoices() string {
	parts := make([]string, len(AccountabilityForms))
	for i, f := range AccountabilityForms {
		parts[i] = formLabels[f] + "（" + string(f) + "）"
	}
	return strings.Join(parts, "、")
}

// cleanIDs sorts ids, each once; ok is false when one is not positive.
func cleanIDs(ids []int64) ([]int64, bool) {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []int64{}
	}
	return out, len(out) == 0 || out[0] > 0
}

// AccountabilityInput is a new record as forms and the API write it: the
// unit by id or exact name, the form by code or label.
type AccountabilityInput struct {
	Person    string  `json:"person"`
	Post      string  `json:"post"`
	Unit      UnitRef `json:"unit"`
	Form      string  `json:"form"`
	Reason    string  `json:"reason"`
	DecidedBy string  `json:"decided_by"`
	Date      Date    `json:"date"`
	Problems  []int64 `json:"problems"`
	Cases     []int64 `json:"cases"`
}

// AccountabilityUpdate is a change to a record; nil fields stay. Version
// must be the record's.
type AccountabilityUpdate struct {
	Version   int      `json:"version"`
	Person    *string  `json:"person"`
	Post      *string  `json:"post"`
	Unit      *UnitRef `json:"unit"`
	Form      *string  `json:"form"`
	Reason    *string  `json:"reason"`
	DecidedBy *string  `json:"decided_by"`
	Date      *Date    `json:"date"`
	Problems  *[]int64 `json:"problems"`
	Cases     *[]int64 `json:"cases"`
}

// Apply copies the set fields of upd onto a but the unit, which the store
// resolves. A form it cannot read is kept as written, for Validate to name.
func (upd *AccountabilityUpdate) Apply(a *Accountability) {
	set := func(dst, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Person, upd.Person)
	set(&a.Post, upd.Post)
	set(&a.Reason, upd.Reason)
	set(&a.DecidedBy, upd.DecidedBy)
	if upd.Form != nil {
		a.Form = parseFormOrRaw(*upd.Form)
	}
	if upd.Date != nil {
		a.Date = *upd.Date
	}
	if upd.Problems != nil {
		a.Problems = *upd.Problems
	}
	if upd.Cases != nil {
		a.Cases = *upd.Cases
	}
}

// Input is the new record an update's fields describe (a POST carries
// the same fields as a PATCH).
func (upd *AccountabilityUpdate) Input() *AccountabilityInput {
	in := &AccountabilityInput{}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	in.Person, in.Post, in.Form = deref(upd.Person), deref(upd.Post), deref(upd.Form)
	in.Reason, in.DecidedBy = deref(upd.Reason), deref(upd.DecidedBy)
	if upd.Unit != nil {
		in.Unit = *upd.Unit
	}
	if upd.Date != nil {
		in.Date = *upd.Date
	}
	if upd.Problems != nil {
		in.Problems = *upd.Problems
	}
	if upd.Cases != nil {
		in.Cases = *upd.Cases
	}
	return in
}

// Record makes the record an input describes, but its unit.
func (in *AccountabilityInput) Record() *Accountability {
	return &Accountability{Person: in.Person, Post: in.Post, Form: parseFormOrRaw(in.Form), Reason: in.Reason,
		DecidedBy: in.DecidedBy, Date: in.Date, Problems: in.Problems, Cases: in.Cases}
}

func parseFormOrRaw(s string) AccountabilityForm {
	if f, ok := ParseAccountabilityForm(s); ok {
		return f
	}
	return AccountabilityForm(strings.TrimSpace(s))
}

// AccountabilityFilter selects records for a list; zero fields select all
// the caller may see.
type AccountabilityFilter struct {
	UnitID    int64
	ProblemID int64
	CaseID    int64
	Offset    int
	Limit     int // 0: MaxPerPage
}

// AccountablePerson is one record in force, as the daily report counts
// it (CountHeldAccountable): who, of which unit, for which cases.
type AccountablePerson struct {
	Person string
	UnitID int64
	Cases  []int64
}

// personKey is who a record names, for counting persons once: the name in
// its compatibility form (NFKC: full-width letters as half-width) without
// any space or invisible format character (a zero-width space pasted from a
// document), and the unit.
func (p AccountablePerson) key() string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, norm.NFKC.String(p.Person))
	return name + "\x00" + strconv.FormatInt(p.UnitID, 10)
}

// CountHeldAccountable counts the persons held accountable (问责, in
// persons) from the held_accountable measures in force, as persons per case
// (measures), and the accountability records in force (records), so that
// nobody is counted twice (docs/decisions/007):
//
//   - a person is a name (spaces ignored) of a unit; their records count
//     once, whatever their number;
//   - a person whose records name cases belongs to one of them and to no
//     other: the lowest whose held_accountable measures still name fewer
//     persons than belong to it, else the lowest with such a measure, else
//     the lowest (persons taken in the order of their keys);
//   - each case counts max(its measures' persons, the persons who belong
//     to it): a measure and a record of the same case are taken to name the
//     same people as far as they can;
//   - a person whose records name no case counts once more.
//
// Without records the count is the measures' sum, as before.
func CountHeldAccountable(measures map[int64]int, records []AccountablePerson) int {
	cases := map[string][]int64{} // person → the cases their records name
	for _, r := range records {
		k := r.key()
		list := cases[k]
		for _, c := range r.Cases {
			if c > 0 && !slices.Contains(list, c) {
				list = append(list, c)
			}
		}
		cases[k] = list
	}
	keys := make([]string, 0, len(cases))
	for k := range cases {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	byCase := map[int64]int{}
	total := 0
	for _, k := range keys {
		list := cases[k]
		if len(list) == 0 {
			total++
			continue
		}
		slices.Sort(list)
		home, measured := list[0], int64(0)
		for _, c := range list {
			if measures[c] > 0 {
				if measured == 0 {
					measured = c
				}
				if byCase[c] < measures[c] {
					home, measured = c, -1
					break
				}
			}
		}
		if measured > 0 {
			home = measured
		}
		byCase[home]++
	}
	for c, n := range measures {
		total += max(n, byCase[c])
		delete(byCase, c)
	}
	for _, n := range byCase {
		total += n
	}
	return total
}

// DisciplineRow is one unit's line of the discipline ranking (SPEC
// section 6), over a period and as of its end.
type DisciplineRow struct {
	Unit   string `json:"unit"`
	UnitID int64  `json:"unit_id"`
	// Problems the unit leads, and of them and its cases those overdue,
	// as they stood at the end of the period.
	Problems int `json:"problems"`
	Overdue  int `json:"overdue"`
	// Returned submissions and refused extensions within the period.
	Returned          int `json:"returned"`
	RefusedExtensions int `json:"refused_extensions"`
	// Notices issued to the unit within the period; those issued by its
	// end, due by then and neither answered nor closed at its end.
	Notices           int `json:"notices"`
	NoticesUnanswered int `json:"notices_unanswered"`
	// Accountability records of the unit's people dated within the period.
	Accountability int `json:"accountability"`
}

// DisciplineReport is the ranking of the units over [From, To].
type DisciplineReport struct {
	From  Date            `json:"from"`
	To    Date            `json:"to"`
	Items []DisciplineRow `json:"items"`
}

// RankDiscipline sorts the rows worst first (docs/decisions/007): by
// overdue items, then unanswered notices, returned submissions, refused
// extensions, notices issued, accountability records and problems, each
// the more the worse; ties by unit name.
func RankDiscipline(rows []DisciplineRow) {
	slices.SortStableFunc(rows, func(a, b DisciplineRow) int {
		ka := []int{a.Overdue, a.NoticesUnanswered, a.Returned, a.RefusedExtensions, a.Notices, a.Accountability, a.Problems}
		kb := []int{b.Overdue, b.NoticesUnanswered, b.Returned, b.RefusedExtensions, b.Notices, b.Accountability, b.Problems}
		for i := range ka {
			if ka[i] != kb[i] {
				return kb[i] - ka[i]
			}
		}
		return strings.Compare(a.Unit, b.Unit)
	})
}

// DisciplinePeriod settles a ranking's period (either end may be unset):
// to defaults to today, from to the campaign's start when it has one by
// to, else 30 days before to. Neither may lie after today, nor from
// after to.
func DisciplinePeriod(from, to, today, campaignStart Date) (Date, Date, error) {
	if !to.Valid() {
		to = today
	}
	if to > today {
		return "", "", FieldError("to", "截止日期不能晚于今天（%s）", today)
	}
	if !from.Valid() {
		from = to.AddDays(-30)
		if campaignStart.Valid() && campaignStart <= to {
			from = campaignStart
		}
	}
	if from > to {
		return "", "", FieldError("from", "起始日期（%s）不能晚于截止日期（%s）", from, to)
	}
	return from, to, nil
}

// ParseReportDate reads a date a report's query names (YYYY-MM-DD, or ""
// for none), naming the field when it cannot.
func ParseReportDate(field, label, s string) (Date, error) {
	s = strings.TrimSpace(s)
	d, err := ParseDateISO(s)
	if err != nil {
		return "", FieldError(field, "%s“%s”格式应为 YYYY-MM-DD", label, s)
	}
	return d, nil
}

// ReferralWriter receives one unit's referral pack (移交材料) as the store
// reads it, a row at a time and one kind after the other: problems,
// cases, notices, accountability records, then the history of all of
// them. Each call may write the row out; nothing is kept.
type ReferralWriter interface {
	// Start names the unit, before any row.
	Start(u *Unit) error
	Problem(p *Problem) error
	Case(c *Case) error
	Notice(n *Notice) error
	Accountability(a *Accountability) error
	// Event is one event of the item named by kind (ItemProblem, ItemCase,
	// "notice" or "accountability") and label (its code or number).
	Event(kind, label string, e *Event) error
}

// AccountabilityService keeps the accountability records and computes
// what discipline reads from the ledger.
type AccountabilityService interface {
	// CreateAccountability stores a record (PermAccountability).
	CreateAccountability(ctx context.Context, in *AccountabilityInput) (*Accountability, error)
	// UpdateAccountability changes a record whose version is upd.Version.
	UpdateAccountability(ctx context.Context, id int64, upd AccountabilityUpdate) (*Accountability, error)
	// FindAccountability lists records, latest decision first, with the
	// count of all that match. A unit-scoped caller sees the records of its
	// unit's people and those linking a problem or case of its unit.
	FindAccountability(ctx context.Context, f AccountabilityFilter) ([]*Accountability, int, error)
	// FindAccountabilityByID returns one record; one the caller may not see
	// is not found, like a missing one.
	FindAccountabilityByID(ctx context.Context, id int64) (*Accountability, error)
	// FindAccountabilityEvents returns a record's history.
	FindAccountabilityEvents(ctx context.Context, id int64) ([]*Event, error)
	// DisciplineReport ranks the units over [from, to] as of to's end
	// (PermOversee).
	DisciplineReport(ctx context.Context, from, to Date) (*DisciplineReport, error)
	// ReferralPack streams every item of one unit with its history to w
	// (PermAccountability and PermExport) and returns the unit.
	ReferralPack(ctx context.Context, unit UnitRef, w ReferralWriter) (*Unit, error)
}
