package ui

import (
	"net/http"
	"strconv"

	"ducha"
	"ducha/http/web"
)

// inboxPage is the user's to-dos (待办), grouped by kind in the order
// ducha.InboxKinds gives, each group with its count.
type inboxPage struct {
	page
	Groups []inboxGroup
	Total  int
}

// inboxGroup is one kind of to-do: its count, and the newest of them.
type inboxGroup struct {
	Kind  string
	Count int
	Items []ducha.InboxItem
}

// More reports whether the group lists fewer items than it counts.
func (g inboxGroup) More() bool { return g.Count > len(g.Items) }

// InboxKindLabel names a kind of to-do.
func (p *page) InboxKindLabel(kind string) string {
	return p.labelOr("inbox.kind."+kind, ducha.InboxKindLabel(kind))
}

// InboxLink is the page of a to-do: its notice, case or problem.
func (p *page) InboxLink(it ducha.InboxItem) string {
	switch {
	case it.NoticeID != 0:
		return "/notices/" + strconv.FormatInt(it.NoticeID, 10)
	case it.CaseID != 0:
		return itemPath(ducha.ItemCase, it.CaseID)
	case it.RequestID != 0:
		return "/requests#request-" + strconv.FormatInt(it.RequestID, 10)
	}
	return itemPath(ducha.ItemProblem, it.ProblemID)
}

func (s *handler) handleInboxPage(w http.ResponseWriter, r *http.Request) error {
	if s.Inbox == nil {
		return web.ErrNoInbox
	}
	in, err := s.Inbox.Inbox(r.Context(), false)
	if err != nil {
		return err
	}
	p := inboxPage{page: s.newPage(w, r, "inbox.title"), Total: in.Total}
	// The header counted a moment ago; the page's own count is the one
	// its groups add up to.
	p.InboxCount = in.Total
	for _, kind := range ducha.InboxKinds {
		g := inboxGroup{Kind: kind, Count: in.Counts[kind]}
		for _, it := range in.Items {
			if it.Kind == kind {
				g.Items = append(g.Items, it)
			}
		}
		if g.Count > 0 || len(g.Items) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	return s.render(w, http.StatusOK, "inbox", &p)
}
