package ducha

import (
	"context"
	"strings"
	"time"
)

// NoticeByRules is the issuer of a notice the escalation pass issued, as
// Notice.IssuedBy writes it.
const NoticeByRules = "rules"

// Notice is a supervision notice (督办单) on file: a 催办, 督办 or 挂牌督办
// to one unit about one problem or one case, issued by the rules or by a
// person, signed for and answered by the unit and closed by the
// coordinator (or by the pass, once its item is closed).
type Notice struct {
	ID     int64      `json:"id"`
	No     string     `json:"no"` // 清督办〔2026〕12号 (NoticeNo)
	Kind   NoticeKind `json:"kind"`
	Unit   string     `json:"unit"`
	UnitID int64      `json:"unit_id"`
	// ProblemID or CaseID names the item; the other is 0.
	ProblemID int64  `json:"problem,omitempty"`
	CaseID    int64  `json:"case,omitempty"`
	Text      string `json:"text"`
	// Reason says why the rules issued it ("逾期3天"); "" by hand.
	Reason   string    `json:"reason"`
	IssuedAt time.Time `json:"issued_at"`
	// IssuedBy is NoticeByRules or the issuer's username.
	IssuedBy   string       `json:"issued_by"`
	Due        Date         `json:"due"`
	Status     NoticeStatus `json:"status"`
	SignedAt   *time.Time   `json:"signed_at"`
	Answer     string       `json:"answer"`
	AnsweredAt *time.Time   `json:"answered_at"`
	ClosedAt   *time.Time   `json:"closed_at"`
	CloseNote  string       `json:"close_note"`
	Version    int          `json:"version"`

	// IssuedOn is the day the notice was issued as of: the day the pass
	// ran for, or the day a person issued it. Its year is the number's.
	IssuedOn Date `json:"-"`
	// Who signed, answered and closed it, by username; ClosedBy is "" when
	// the pass closed it with its item.
	SignedBy   string `json:"-"`
	AnsweredBy string `json:"-"`
	ClosedBy   string `json:"-"`
}

// Item returns the kind (ItemProblem or ItemCase) and id of the notice's item.
func (n *Notice) Item() (string, int64) {
	if n.CaseID != 0 {
		return ItemCase, n.CaseID
	}
	return ItemProblem, n.ProblemID
}

// ValidateNew checks a notice a person issues by hand: its kind, one item,
// the text, and a due date no earlier than today. It trims the text in
// place. The store sets the unit, the number and the due date when none
// is given.
func (n *Notice) ValidateNew(today Date) error {
	n.Text = strings.TrimSpace(n.Text)
	if err := checkLengths(textField("text", "督办内容", n.Text)); err != nil {
		return err
	}
	if n.Kind.Level() == 0 {
		return FieldError("kind", "督办类型“%s”无效，应为 reminder（催办）、supervision（督办）或 listed（挂牌督办）", n.Kind)
	}
	switch {
	case n.ProblemID == 0 && n.CaseID == 0:
		return FieldError("problem", "请指定督办的问题或交办件")
	case n.ProblemID != 0 && n.CaseID != 0:
		return FieldError("case", "一张督办单只能针对一个问题或一个交办件")
	case n.ProblemID < 0:
		return FieldError("problem", "问题编号无效")
	case n.CaseID < 0:
		return FieldError("case", "交办件编号无效")
	}
	if n.Text == "" {
		return FieldError("text", "请填写督办内容")
	}
	if n.Due.Valid() && n.Due < today {
		return FieldError("due", "答复期限不能早于今天（%s）", today)
	}
	return nil
}

// Overdue reports whether n is past its due date on day today and still
// owed an answer (issued or signed): answered and closed notices never
// are, whatever their date.
func (n *Notice) Overdue(today Date) bool {
	return n.Status.open() && n.Due.Valid() && n.Due < today
}

// NoticeFilter selects notices for a list; zero fields select all. A
// unit-scoped caller sees only its own unit's notices, whatever it says.
type NoticeFilter struct {
	Status    NoticeStatus
	Kind      NoticeKind
	UnitID    int64
	ProblemID int64
	CaseID    int64
	// Overdue keeps the notices overdue today (Notice.Overdue), or with
	// false those that are not.
	Overdue *bool
	// Q keeps the notices whose number or text contains it.
	Q string
	// Sort is one of NoticeSorts ("" is the newest first); Desc turns it.
	// Ties are broken on id, in the same direction.
	Sort   string
	Desc   bool
	Offset int
	Limit  int // 0: MaxPerPage
}

// NoticeSorts lists the columns a notice list may be sorted by: the
// number (by kind, year and sequence, as people count them), the kind by
// level, the unit's name, the item (problems, then cases, by id), the
// day it was issued, the due date and the status in workflow order.
var NoticeSorts = []string{"no", "kind", "unit", "item", "issued_on", "due", "status"}

// Notice actions (SPEC section 6: POST /api/v1/notices/{id}/actions/{action}).
const (
	NoticeActSign   = "sign"   // the unit signs for it (签收)
	NoticeActAnswer = "answer" // the unit answers it in writing (答复)
	NoticeActClose  = "close"  // the coordinator closes it (关闭)
)

// NoticeActions lists the notice actions in workflow order.
var NoticeActions = []string{NoticeActSign, NoticeActAnswer, NoticeActClose}

// NoticeActionLabel is the Chinese name of a notice action.
func NoticeActionLabel(action string) string {
	switch action {
	case NoticeActSign:
		return "签收"
	case NoticeActAnswer:
		return "答复"
	case NoticeActClose:
		return "关闭"
	}
	return action
}

// ApplyNoticeAction runs one action on n for user u at time now:
// permission, state, guards; no I/O, and on error n is unchanged.
//
//   - sign: a liaison or head of the notice's unit; issued → signed.
//   - answer: the same; issued or signed → answered, text required. An
//     answer to a notice not yet signed for signs for it too.
//   - close: the coordinator (PermRegister); any open notice → closed,
//     text an optional note.
func ApplyNoticeAction(n *Notice, action, text string, u *User, now time.Time) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	next := *n
	t := now.UTC()
	text = strings.TrimSpace(text)
	switch action {
	case NoticeActSign, NoticeActAnswer:
		if !Can(u, PermWork) || !u.Role.UnitScoped() || u.UnitID != n.UnitID {
			return Forbidden()
		}
		if action == NoticeActSign {
			if n.Status == NoticeSigned && n.SignedAt != nil {
				return Errorf(ECONFLICT, "本单位已于%s签收该督办单", n.SignedAt.In(Location).Format("2006-01-02 15:04"))
			}
			if n.Status != NoticeIssued {
				return noticeStateError(n, action)
			}
			next.Status, next.SignedAt, next.SignedBy = NoticeSigned, &t, u.Username
			break
		}
		if !n.Status.open() {
			return noticeStateError(n, action)
		}
		if text == "" {
			return FieldError("text", "请填写答复内容")
		}
		if err := checkLengths(textField("text", "答复内容", text)); err != nil {
			return err
		}
		if next.SignedAt == nil {
			next.SignedAt, next.SignedBy = &t, u.Username
		}
		next.Status, next.Answer, next.AnsweredAt, next.AnsweredBy = NoticeAnswered, text, &t, u.Username
	case NoticeActClose:
		if !Can(u, PermRegister) {
			return Forbidden()
		}
		if n.Status == NoticeClosed {
			return noticeStateError(n, action)
		}
		if err := checkLengths(textField("text", "关闭说明", text)); err != nil {
			return err
		}
		next.Status, next.ClosedAt, next.ClosedBy, next.CloseNote = NoticeClosed, &t, u.Username, text
	default:
		return FieldError("action", "未知的督办单操作“%s”，应为 sign、answer 或 close", action)
	}
	*n = next
	return nil
}

func noticeStateError(n *Notice, action string) error {
	return Errorf(ECONFLICT, "督办单当前状态为“%s”，不能%s", n.Status.Label(), NoticeActionLabel(action))
}

// NoticeService keeps the supervision notices and runs the escalation pass.
type NoticeService interface {
	// Supervise runs one escalation pass as of the end of day asOf
	// (Escalate): it issues the notices the rules call for and closes the
	// open notices of items closed meanwhile. A second pass for the same
	// day issues nothing new, on any instance.
	Supervise(ctx context.Context, asOf Date) (issued []*Notice, closed int, err error)
	// IssueNotice issues a notice by hand (the coordinator): Kind,
	// ProblemID or CaseID, Text, optionally Due. It fills in the rest.
	IssueNotice(ctx context.Context, n *Notice) error
	// FindNotices lists notices in the filter's order (newest first by
	// default), with the count of all that match; unit-scoped callers see
	// their own unit's only.
	FindNotices(ctx context.Context, f NoticeFilter) ([]*Notice, int, error)
	// FindNoticeByID returns one notice; another unit's is not found.
	FindNoticeByID(ctx context.Context, id int64) (*Notice, error)
	// ActOnNotice runs one action (ApplyNoticeAction); version 0 acts on
	// the notice as it is, another stale version is a conflict.
	ActOnNotice(ctx context.Context, id int64, action string, version int, text string) (*Notice, error)
	// FindNoticeEvents returns a notice's history to whoever may read it.
	FindNoticeEvents(ctx context.Context, id int64) ([]*Event, error)
}
