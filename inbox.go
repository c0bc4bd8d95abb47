package ducha

import (
	"context"
	"time"
)

// The inbox (待办): what each user has to do, computed from the store with
// the user's unit scoping; reading it writes nothing.

// The kinds of to-do (SPEC section 6).
const (
	InboxToSign    = "to_sign"    // a hand-over not yet signed for (签收)
	InboxDueSoon   = "due_soon"   // an open item whose deadline is within the yellow days
	InboxOverdue   = "overdue"    // an open item past its deadline
	InboxReturned  = "returned"   // a submission returned to the unit
	InboxNotice    = "notice"     // a 督办单 to sign for and answer; for the coordinator, one answered to close
	InboxToReview  = "to_review"  // a case's answer to accept or return
	InboxToVerify  = "to_verify"  // a problem's rectification to verify (验收)
	InboxExtension = "extension"  // an extension request to decide
	InboxToSignoff = "to_signoff" // a submission the unit head signs off (when the rules ask)
)

// InboxKinds lists the kinds in the order pages show them.
var InboxKinds = []string{InboxNotice, InboxOverdue, InboxReturned, InboxToSign, InboxDueSoon,
	InboxToReview, InboxToVerify, InboxExtension, InboxToSignoff, InboxToSupply, InboxToCheck}

// The document request list's to-dos (调阅清单); its items also come as
// due_soon and overdue, with the request's id.
const (
	InboxToSupply = "to_supply" // a requested document the unit must supply
	InboxToCheck  = "to_check"  // a supplied document the coordinator checks
)

// InboxKindLabel is a kind's Chinese name.
func InboxKindLabel(k string) string {
	switch k {
	case InboxToSign:
		return "待签收"
	case InboxDueSoon:
		return "即将到期"
	case InboxOverdue:
		return "已逾期"
	case InboxReturned:
		return "被退回"
	case InboxNotice:
		return "督办单"
	case InboxToReview:
		return "待审核"
	case InboxToVerify:
		return "待验收"
	case InboxExtension:
		return "延期待审批"
	case InboxToSignoff:
		return "待签批"
	case InboxToSupply:
		return "待提供资料"
	case InboxToCheck:
		return "资料待审核"
	}
	return k
}

// InboxItem is one to-do: a problem, a case or a notice.
type InboxItem struct {
	Kind      string `json:"kind"`
	ProblemID int64  `json:"problem,omitempty"`
	CaseID    int64  `json:"case,omitempty"`
	NoticeID  int64  `json:"notice,omitempty"`
	RequestID int64  `json:"request,omitempty"`
	Title     string `json:"title"`
	// Note is what the item says beside its title: a return's reason.
	Note string `json:"note,omitempty"`
	Due  Date   `json:"due,omitempty"`
	// At is when it became a to-do as far as the store knows (the item's
	// last change, the notice's issue): the order, newest first.
	At time.Time `json:"at"`
}

// Inbox is a user's to-dos: the newest InboxPerKind of each kind, and how
// many there are of each.
type Inbox struct {
	Items  []InboxItem    `json:"items"`
	Total  int            `json:"total"`
	Counts map[string]int `json:"counts"`
}

// InboxPerKind is how many items of each kind the inbox lists.
const InboxPerKind = 20

// InboxService computes inboxes.
type InboxService interface {
	// Inbox returns the caller's to-dos; countOnly leaves Items empty
	// (the header's count).
	Inbox(ctx context.Context, countOnly bool) (*Inbox, error)
}
