package ducha

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// NoticeKind is the level of a supervision notice (督办单).
type NoticeKind string

// Notice kinds, from the mildest up.
const (
	NoticeReminder    NoticeKind = "reminder"    // 催办
	NoticeSupervision NoticeKind = "supervision" // 督办
	NoticeListed      NoticeKind = "listed"      // 挂牌督办
)

// NoticeKinds lists the kinds in level order.
var NoticeKinds = []NoticeKind{NoticeReminder, NoticeSupervision, NoticeListed}

// Label is the Chinese name of the kind, as a notice's number and title
// write it.
func (k NoticeKind) Label() string {
	switch k {
	case NoticeReminder:
		return "催办"
	case NoticeSupervision:
		return "督办"
	case NoticeListed:
		return "挂牌督办"
	}
	return string(k)
}

// Level is 1 for a 催办, 2 for a 督办 and 3 for a 挂牌督办; 0 for an unknown
// kind, which therefore never counts as a notice already issued.
func (k NoticeKind) Level() int {
	for i, kind := range NoticeKinds {
		if k == kind {
			return i + 1
		}
	}
	return 0
}

// NoticeStatus is where a notice stands: issued to the unit, signed for,
// answered, and closed by the coordinator.
type NoticeStatus string

// Notice statuses.
const (
	NoticeIssued   NoticeStatus = "issued"   // 待签收
	NoticeSigned   NoticeStatus = "signed"   // 已签收
	NoticeAnswered NoticeStatus = "answered" // 已答复
	NoticeClosed   NoticeStatus = "closed"   // 已关闭
)

// NoticeStatuses lists the statuses in their order.
var NoticeStatuses = []NoticeStatus{NoticeIssued, NoticeSigned, NoticeAnswered, NoticeClosed}

// Label is the Chinese name of the status.
func (s NoticeStatus) Label() string {
	switch s {
	case NoticeIssued:
		return "待签收"
	case NoticeSigned:
		return "已签收"
	case NoticeAnswered:
		return "已答复"
	case NoticeClosed:
		return "已关闭"
	}
	return string(s)
}

// open reports whether the unit still owes an answer to the notice.
func (s NoticeStatus) open() bool { return s == NoticeIssued || s == NoticeSigned }

// Kinds of supervised item.
const (
	ItemProblem = "problem"
	ItemCase    = "case"
)

// SupervisedItem is what the escalation pass needs to know of a problem or
// a case; the store builds it, so Escalate needs neither.
type SupervisedItem struct {
	Kind   string `json:"kind"` // ItemProblem or ItemCase
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	// Title is the item's code and a short description, as notices name it.
	Title    string `json:"title"`
	Deadline Date   `json:"deadline"`
	// Closed is a problem closed (已销号), or a case accepted as
	// stage_closed or closed: nothing more is owed on it.
	Closed bool `json:"closed"`
	// BehindFrom is the day from which a problem in progress is 未达到序时进度
	// (ducha.Problem.ScheduleFrom): from then it is owed a 催办 too.
	BehindFrom Date `json:"behind_from,omitempty"`
}

// ExistingNotice is a notice already on file for an item, whoever issued it.
type ExistingNotice struct {
	ID       int64        `json:"id"`
	ItemKind string       `json:"item_kind"`
	ItemID   int64        `json:"item_id"`
	Kind     NoticeKind   `json:"kind"`
	Status   NoticeStatus `json:"status"`
	Due      Date         `json:"due"`
}

// NoticeDraft is a notice the rules call for. The store numbers it
// (NoticeNo), records the rules as its issuer and queues it for sending.
type NoticeDraft struct {
	ItemKind string     `json:"item_kind"`
	ItemID   int64      `json:"item_id"`
	UnitID   int64      `json:"unit_id"`
	Kind     NoticeKind `json:"kind"`
	Due      Date       `json:"due"`
	Text     string     `json:"text"`
	// Reason says in Chinese why the rules issued it: "逾期3天",
	// "催办单逾期未答复".
	Reason string `json:"reason"`
}

// NoticeNo is the number of a notice in the county's form: the prefix, the
// kind, the year in 〔〕 and the sequence, as in 清督办〔2026〕12号.
func NoticeNo(prefix string, kind NoticeKind, year, seq int) string {
	return fmt.Sprintf("%s%s〔%d〕%d号", prefix, kind.Label(), year, seq)
}

// Escalate decides, as of the end of day asOf, which notices the rules call
// for and which notices are to be closed because their item is closed. It
// has no I/O and reads no clock: the caller loads the open items and every
// notice on them, calls it, and writes the drafts and the closings in one
// transaction, so that a pass run twice, after a restart or on another
// instance, issues nothing twice.
//
// An item is red when it is open, has a deadline and the deadline is before
// asOf. The days it has been red call for a level: 挂牌督办 from
// ListedAfterDays, 督办 from SupervisionAfterDays, else a 催办 when
// ReminderOnRed. A notice left unsigned or unanswered past its due date
// calls for the level above it, red or not. The level called for is issued
// only when the item has no notice of that level or higher, in any status
// and by any issuer, so a level is never issued twice and never after a
// higher one: an item first seen ten days red gets the 挂牌督办 alone.
//
// Issue is sorted by item kind, item id and level, close ascending; an item
// listed twice counts once, as its first listing says. Notices of items not
// in items are left alone. The rules are taken as validated.
func Escalate(asOf Date, rules Rules, cal Calendar, items []SupervisedItem, notices []ExistingNotice) (issue []NoticeDraft, close []int64) {
	return EscalateOn(asOf, asOf, rules, cal, items, notices)
}

// EscalateOn is Escalate for a pass run on day issueOn as of an earlier
// day asOf (a pass catching up on a day the server missed): the rules are
// judged as of asOf, and the answer is due AnswerDays after issueOn, so a
// unit is never handed a notice already past its due date.
func EscalateOn(asOf, issueOn Date, rules Rules, cal Calendar, items []SupervisedItem, notices []ExistingNotice) (issue []NoticeDraft, close []int64) {
	if issueOn < asOf {
		issueOn = asOf
	}
	type itemKey struct {
		kind string
		id   int64
	}
	byItem := map[itemKey][]ExistingNotice{}
	for _, n := range notices {
		k := itemKey{n.ItemKind, n.ItemID}
		byItem[k] = append(byItem[k], n)
	}
	seen := map[itemKey]bool{}
	closing := map[int64]bool{}
	for _, it := range items {
		k := itemKey{it.Kind, it.ID}
		if seen[k] {
			continue
		}
		seen[k] = true
		if it.Closed {
			for _, n := range byItem[k] {
				if n.Status != NoticeClosed {
					closing[n.ID] = true
				}
			}
			continue
		}
		if d, ok := escalateItem(asOf, issueOn, rules, cal, it, byItem[k]); ok {
			issue = append(issue, d)
		}
	}
	for id := range closing {
		close = append(close, id)
	}
	slices.Sort(close)
	slices.SortFunc(issue, func(a, b NoticeDraft) int {
		return cmp.Or(cmp.Compare(a.ItemKind, b.ItemKind), cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.Kind.Level(), b.Kind.Level()))
	})
	return issue, close
}

// escalateItem is the decision for one open item and its notices.
func escalateItem(asOf, issueOn Date, rules Rules, cal Calendar, it SupervisedItem, notices []ExistingNotice) (NoticeDraft, bool) {
	red := it.Deadline.Valid() && it.Deadline < asOf
	days, byDays := 0, 0
	if red {
		days = rules.DaysBetween(cal, it.Deadline, asOf)
		switch {
		case days >= rules.ListedAfterDays:
			byDays = NoticeListed.Level()
		case days >= rules.SupervisionAfterDays:
			byDays = NoticeSupervision.Level()
		case rules.ReminderOnRed:
			byDays = NoticeReminder.Level()
		}
	}

	// have is the highest level on file; late the highest notice the unit
	// let pass its due date without an answer (due at the end of its day).
	have := 0
	var late *ExistingNotice
	for i := range notices {
		n := &notices[i]
		lv := n.Kind.Level()
		if lv == 0 {
			continue
		}
		have = max(have, lv)
		if n.Status.open() && n.Due.Valid() && n.Due < asOf && (late == nil || lv > late.Kind.Level()) {
			late = n
		}
	}
	byLate := 0
	if late != nil {
		byLate = min(late.Kind.Level()+1, NoticeListed.Level())
	}
	behind := it.BehindFrom.Valid() && it.BehindFrom <= asOf
	byBehind := 0
	if behind {
		byBehind = NoticeReminder.Level()
	}

	level := max(byDays, byLate, byBehind)
	if level == 0 || level <= have {
		return NoticeDraft{}, false
	}
	kind := NoticeKinds[level-1]
	due := rules.AddDays(cal, issueOn, rules.AnswerDays)
	w := itemWordingFor(it.Kind)

	var reasons, facts []string
	if red {
		overdue := fmt.Sprintf("已逾期%s", dayCount(days, rules.WorkingDays))
		if days == 0 {
			// Past a Friday deadline on the Saturday: overdue, but not yet
			// by a working day.
			overdue = "已超过" + w.limit
		}
		facts = append(facts, fmt.Sprintf("%s%s为%s，截至%s%s", w.noun, w.limit, it.Deadline, asOf, overdue))
		if byDays == level {
			reasons = append(reasons, strings.TrimPrefix(overdue, "已"))
		}
	} else if it.Deadline.Valid() {
		facts = append(facts, fmt.Sprintf("%s%s为%s", w.noun, w.limit, it.Deadline))
	}
	if behind {
		facts = append(facts, fmt.Sprintf("截至%s未达到序时进度（应按期报送整改进展，且进度不低于时间进度）", asOf))
		if byBehind == level && byDays < level && byLate < level {
			reasons = append(reasons, "未达到序时进度")
		}
	}
	if byLate == level {
		reasons = append(reasons, late.Kind.Label()+"单逾期未答复")
		switch {
		case red:
			facts = append(facts, fmt.Sprintf("此前下发的%s通知要求于%s前答复，至今未答复", late.Kind.Label(), late.Due))
		case it.Deadline.Valid():
			facts = append(facts, fmt.Sprintf("此前下发的%s通知要求于%s前答复，截至%s仍未答复", late.Kind.Label(), late.Due, asOf))
		default:
			facts = append(facts, fmt.Sprintf("此前就%s下发的%s通知要求于%s前答复，截至%s仍未答复", w.noun, late.Kind.Label(), late.Due, asOf))
		}
	}
	text := fmt.Sprintf("关于%s的%s通知：%s。请于%s前签收并书面答复%s。",
		it.Title, kind.Label(), strings.Join(facts, "，"), due, w.answer)

	return NoticeDraft{
		ItemKind: it.Kind,
		ItemID:   it.ID,
		UnitID:   it.UnitID,
		Kind:     kind,
		Due:      due,
		Text:     text,
		Reason:   strings.Join(reasons, "，"),
	}, true
}

// itemWording is how a notice speaks of its item: a problem has a 整改时限
// and answers on its rectification, a case has a 办理时限 and answers on
// its handling.
type itemWording struct {
	noun, limit, answer string
}

func itemWordingFor(kind string) itemWording {
	switch kind {
	case ItemCase:
		return itemWording{"该交办件", "办理时限", "办理情况"}
	case ItemProblem:
		return itemWording{"该问题", "整改时限", "整改情况"}
	}
	return itemWording{"该事项", "办理时限", "办理情况"}
}

// dayCount writes n days, or n working days when the rules count those.
func dayCount(n int, working bool) string {
	if working {
		return fmt.Sprintf("%d个工作日", n)
	}
	return fmt.Sprintf("%d天", n)
}
