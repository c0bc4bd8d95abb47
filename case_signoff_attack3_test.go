package ducha_test

import (
	"testing"

	"ducha"
)

// TestAttack3CaseHeadResubmitStillAwaitsSignoff: a liaison's answer waits
// for the head (head_signoff). The head, rather than sign it off, writes
// the answer again and submits it: the submission records the head's
// sign-off, but the part's AwaitingSignoff stays set from the liaison's,
// so the case never reaches 待审核 and the head's own answer waits for the
// head. The same happens to the coordinator entering the unit's answer.
// A submit should settle AwaitingSignoff afresh, as apply_closure does for
// problems.
func TestAttack3CaseHeadResubmitStillAwaitsSignoff(t *testing.T) {
	for _, who := range []*ducha.User{head, coord} {
		c := caseIn(ducha.CaseInvestigating)
		in := validCaseInput(ducha.CaseActSubmit)
		in.HeadSignoff = true
		if err := ducha.ApplyCaseAction(&c, in, liaison, now); err != nil {
			t.Fatalf("liaison submit: %v", err)
		}
		if !c.Parts[0].AwaitingSignoff || c.Status != ducha.CaseInvestigating {
			t.Fatalf("after the liaison: awaiting %v status %s", c.Parts[0].AwaitingSignoff, c.Status)
		}
		in2 := validCaseInput(ducha.CaseActSubmit)
		in2.HeadSignoff, in2.Version = true, c.Version
		in2.Findings = "经查属实（" + who.Username + "重新填写）"
		if err := ducha.ApplyCaseAction(&c, in2, who, now); err != nil {
			t.Fatalf("%s submit: %v", who.Username, err)
		}
		if c.Parts[0].AwaitingSignoff || c.Status != ducha.CaseSubmitted {
			t.Errorf("after %s submits the unit's answer: awaiting_signoff %v, status %s (signed off by %q); want it submitted",
				who.Username, c.Parts[0].AwaitingSignoff, c.Status, c.Parts[0].SignedOffBy)
		}
	}
}

// TestAttack3CaseLiaisonSubmitAfterRuleOff: the rule is turned off while
// an answer waits; the liaison submits again, and the answer still waits
// for a sign-off no rule asks for any more (and no coordinator sees it).
func TestAttack3CaseLiaisonSubmitAfterRuleOff(t *testing.T) {
	c := caseIn(ducha.CaseInvestigating)
	in := validCaseInput(ducha.CaseActSubmit)
	in.HeadSignoff = true
	if err := ducha.ApplyCaseAction(&c, in, liaison, now); err != nil {
		t.Fatal(err)
	}
	in2 := validCaseInput(ducha.CaseActSubmit)
	in2.HeadSignoff = false
	if err := ducha.ApplyCaseAction(&c, in2, liaison, now); err != nil {
		t.Fatal(err)
	}
	if c.Parts[0].AwaitingSignoff || c.Status != ducha.CaseSubmitted {
		t.Errorf("a submission under no head_signoff rule: awaiting %v status %s", c.Parts[0].AwaitingSignoff, c.Status)
	}
}
