package ui

import (
	"net/http"

	"ducha"
)

// The workbench (工作台) is where everyone lands after logging in: what
// is theirs to do, by kind, from the inbox, each a click from its item;
// and for the roles that read every unit, the day's figures (the daily
// report of today, the same numbers as its JSON), for discipline the
// units ranked worst first, for the coordinator the batches to assign.

// workbenchPage is one user's workbench.
type workbenchPage struct {
	page
	Groups []inboxGroup
	Total  int
	// Report is today's daily report, for the roles that read every unit.
	Report *ducha.DailyReport
	// Ranking is the worst units of the discipline ranking this year.
	Ranking []ducha.DisciplineRow
	// Unassigned counts the cases received and not yet handed over;
	// Unsigned those handed over that no unit has signed for yet.
	Unassigned int
	Unsigned   int
	Latest     *ducha.Batch
}

// ClosedRate is the share of cases closed or stage-closed, as the
// offices write it (85.3%); "—" with no case.
func (p *workbenchPage) ClosedRate() string {
	c := p.Report.Cases
	if c.Total == 0 {
		return "—"
	}
	n := (c.Closed + c.StageClosed) * 1000 / c.Total
	return itoa(n/10) + "." + itoa(n%10) + "%"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// InboxAll is the list a kind of to-do belongs to, to see all of it.
func (p *page) InboxAll(kind string) string {
	switch kind {
	case ducha.InboxNotice:
		return "/notices"
	case ducha.InboxOverdue:
		return "/problems?overdue=true"
	case ducha.InboxDueSoon:
		return "/problems?warning=yellow"
	case ducha.InboxToVerify:
		return "/problems?status=pending_verification"
	case ducha.InboxToReview:
		return "/cases?status=submitted"
	case ducha.InboxToSign:
		return "/cases?status=assigned"
	case ducha.InboxToSupply, ducha.InboxToCheck:
		return "/requests"
	}
	return "/inbox#inbox-" + kind
}

func (s *handler) handleWorkbenchPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := workbenchPage{page: s.newPage(w, r, "workbench.title")}
	if s.Inbox != nil {
		in, err := s.Inbox.Inbox(ctx, false)
		if err != nil {
			return err
		}
		p.Total, p.InboxCount = in.Total, in.Total
		for _, kind := range ducha.InboxKinds {
			g := inboxGroup{Kind: kind, Count: in.Counts[kind]}
			for _, it := range in.Items {
				if it.Kind == kind && len(g.Items) < 5 {
					g.Items = append(g.Items, it)
				}
			}
			if g.Count > 0 {
				p.Groups = append(p.Groups, g)
			}
		}
	}
	u := p.User
	if ducha.Can(u, ducha.PermOversee) && s.Reports != nil {
		rep, err := s.Reports.DailyReport(ctx, s.Today())
		if err != nil {
			return err
		}
		p.Report = rep
	}
	if u.Role == ducha.RoleDiscipline && s.Accountability != nil {
		today := s.Today()
		d, err := s.Accountability.DisciplineReport(ctx, ducha.Date(string(today)[:4]+"-01-01"), today)
		if err != nil {
			return err
		}
		p.Ranking = d.Items[:min(5, len(d.Items))]
	}
	if ducha.Can(u, ducha.PermRegister) && s.Cases != nil {
		_, n, err := s.Cases.FindCases(ctx, ducha.CaseFilter{Status: ducha.CaseReceived, Limit: 1})
		if err != nil {
			return err
		}
		p.Unassigned = n
		if _, p.Unsigned, err = s.Cases.FindCases(ctx, ducha.CaseFilter{Status: ducha.CaseAssigned, Limit: 1}); err != nil {
			return err
		}
		batches, err := s.Cases.FindBatches(ctx)
		if err != nil {
			return err
		}
		if len(batches) > 0 {
			p.Latest = batches[0] // the newest first
		}
	}
	return s.render(w, http.StatusOK, "workbench", &p)
}
