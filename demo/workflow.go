package demo

import (
	"context"
	"fmt"

	"ducha"
	"ducha/store"
)

// A plan is the history one sample problem goes through after the import:
// it is imported in an earlier state, and its steps, run through
// db.ActOnProblem, bring it to the state the generator chose for it. The
// status mix of the whole run is therefore the same with or without the
// workflow.
type plan struct {
	problem *ducha.Problem // as imported; ImportLedger sets its ID
	steps   []step
}

// step is one workflow action.
type step struct {
	// byUnit: the lead unit's demo liaison acts when there is one, the
	// coordinator otherwise. Verify, return, reopen and decisions on
	// extensions are always the coordinator's.
	byUnit bool
	in     ducha.ProblemAction
}

func unitStep(action string, in ducha.ProblemAction) step {
	in.Action = action
	return step{byUnit: true, in: in}
}

func coordStep(action string, in ducha.ProblemAction) step {
	in.Action = action
	return step{in: in}
}

// planFor returns the problem to import instead of p (p in its final state)
// and the steps that lead from it to p.
func (g *generator) planFor(p *ducha.Problem, k *kind) (*ducha.Problem, *plan) {
	if p.Status == ducha.StatusRegistered {
		return p, nil
	}
	final := *p
	imp := *p
	pl := &plan{problem: &imp}
	progress := func() step {
		return unitStep(ducha.ActProgress, ducha.ProblemAction{Text: g.fill(pick(g, k.progress), &slots{})})
	}
	closure := func() step {
		return unitStep(ducha.ActApplyClosure, ducha.ProblemAction{Text: pick(g, k.closure)})
	}
	verify := func() step {
		return coordStep(ducha.ActVerify, ducha.ProblemAction{Text: pick(g, verifyTexts)})
	}
	giveBack := func() step {
		return coordStep(ducha.ActReturn, ducha.ProblemAction{Reason: pick(g, returnReasons)})
	}
	switch final.Status {
	case ducha.StatusInProgress:
		switch r := g.intn(100); {
		case r < 30:
			// Registered by the coordinator, then handed to the unit (交办).
			imp = ducha.Problem{CampaignID: p.CampaignID, Status: ducha.StatusRegistered, Source: p.Source,
				Description: p.Description, Area: p.Area, Address: p.Address, Subject: p.Subject,
				SubjectCreditCode: p.SubjectCreditCode, Types: p.Types, TypeDetail: p.TypeDetail,
				Industry: p.Industry, CoopUnits: []string{}}
			coops := make([]ducha.UnitRef, len(p.CoopUnits))
			for i, c := range p.CoopUnits {
				coops[i] = ducha.UnitRef(c)
			}
			pl.steps = append(pl.steps, coordStep(ducha.ActPlan, ducha.ProblemAction{
				LeadUnit: ducha.UnitRef(p.LeadUnit), CoopUnits: coops, Leader: p.Leader, Person: p.Person,
				Measures: p.Measures, Target: p.Target, Mode: p.Mode, Deadline: p.Deadline,
				// The ledger's own deadline, which may have passed already.
				ConfirmPastDeadline: true,
			}), progress())
		case r < 55:
			pl.steps = append(pl.steps, progress())
			if g.pct(50) {
				pl.steps = append(pl.steps, progress())
			}
		case r < 75:
			// The unit applied for closure; the coordinator sends it back.
			imp.Status, imp.ClosureText = ducha.StatusPendingVerification, pick(g, k.closure)
			pl.steps = append(pl.steps, giveBack(), progress())
		case r < 95 && p.Mode == ducha.ModeTimeBound:
			// The unit asks for more time before the deadline; the
			// coordinator mostly agrees.
			if imp.Deadline < g.today.AddDays(30) {
				imp.Deadline = g.today.AddDays(30 + g.intn(200))
				imp.DeadlineText = string(imp.Deadline)
			}
			imp.OriginalDeadline = ""
			approve := g.pct(70)
			pl.steps = append(pl.steps,
				unitStep(ducha.ActRequestExtension, ducha.ProblemAction{
					Deadline: imp.Deadline.AddDays(30 + g.intn(60)), Reason: pick(g, extensionReasons)}),
				coordStep(ducha.ActDecideExtension, ducha.ProblemAction{Approve: &approve, Reason: decisionReason(g, approve)}),
				progress())
		default:
			// Closed once, then the problem came back (反弹).
			at := g.today.AddDays(-10 - g.intn(60)).Time()
			imp.Status, imp.ClosureText, imp.ClosedAt = ducha.StatusClosed, pick(g, k.closure), &at
			pl.steps = append(pl.steps,
				coordStep(ducha.ActReopen, ducha.ProblemAction{Reason: pick(g, reopenReasons)}),
				progress())
		}
	case ducha.StatusPendingVerification:
		imp.Status, imp.ClosureText = ducha.StatusInProgress, ""
		pl.steps = append(pl.steps, progress(), closure())
	case ducha.StatusClosed:
		imp.Status, imp.ClosureText, imp.ClosedAt = ducha.StatusInProgress, "", nil
		switch {
		case p.Mode == ducha.ModeImmediate:
			// 立行立改: closed the same day, without an application.
			pl.steps = append(pl.steps, verify())
		case g.pct(80):
			pl.steps = append(pl.steps, progress(), closure(), verify())
		default:
			pl.steps = append(pl.steps, closure(), giveBack(), progress(), closure(), verify())
		}
	}
	return &imp, pl
}

// demoLiaisonUnits are the units that get a demo liaison, demo_liaison_1 …
var demoLiaisonUnits = []string{"永清镇", "红堡镇", "白驼镇", "县生态环境局", "县住房和城乡建设局", "县农业农村局"}

// actors are the contexts the workflow acts in.
type actors struct {
	coord   context.Context
	liaison map[string]context.Context // by unit name
}

// work runs the plans' steps. A step the rules refuse (the store's clock
// disagrees with Options.Today, or someone changed the problem meanwhile)
// ends that problem's plan and is counted as skipped; any other error stops
// the run.
func work(db *store.DB, a *actors, plans []*plan, res *Result, progress func(int)) error {
	for i, pl := range plans {
		if i%100 == 0 && progress != nil {
			progress(i)
		}
		p, err := db.FindProblemByID(a.coord, pl.problem.ID)
		if err != nil {
			return fmt.Errorf("demo workflow: %w", err)
		}
		for _, st := range pl.steps {
			ctx := a.coord
			if c, ok := a.liaison[p.LeadUnit]; ok && st.byUnit {
				ctx = c
			}
			in := st.in
			in.Version = p.Version
			next, err := db.ActOnProblem(ctx, p.ID, in)
			if err != nil {
				switch ducha.ErrorCode(err) {
				case ducha.EINVALID, ducha.ECONFLICT, ducha.EFORBIDDEN, ducha.ENOTFOUND:
					res.Skipped++
					res.SkipReasons = appendReason(res.SkipReasons, in.Action+": "+ducha.ErrorMessage(err))
				default:
					return fmt.Errorf("demo workflow: problem %d %s: %w", p.ID, in.Action, err)
				}
				break
			}
			p = next
			res.Actions++
		}
	}
	if progress != nil {
		progress(len(plans))
	}
	return nil
}

// appendReason keeps the first few distinct reasons a step was skipped.
func appendReason(list []string, r string) []string {
	if len(list) >= 5 || containsString(list, r) {
		return list
	}
	return append(list, r)
}
