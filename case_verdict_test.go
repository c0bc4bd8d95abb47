package ducha_test

import (
	"strings"
	"testing"

	"ducha"
)

func TestParseVerdict(t *testing.T) {
	for in, want := range map[string]string{
		"属实": "属实", "基本属实": "基本属实", "部分属实": "部分属实", "不属实": "不属实",
		"是": "属实", "否": "不属实", " 基本 属实 ": "基本属实",
	} {
		if got, ok := ducha.ParseVerdict(in); !ok || got != want {
			t.Errorf("ParseVerdict(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "也许", "属", "是否"} {
		if _, ok := ducha.ParseVerdict(in); ok {
			t.Errorf("ParseVerdict(%q) accepted", in)
		}
	}
	for v, want := range map[string]bool{"属实": true, "基本属实": true, "部分属实": true, "不属实": false, "": false} {
		if ducha.Substantiated(v) != want {
			t.Errorf("Substantiated(%q) != %v", v, want)
		}
	}
}

// submitAs submits a unit's part with the verdict as written.
func submitAs(t *testing.T, c *ducha.Case, u *ducha.User, verdict string) error {
	t.Helper()
	in := validCaseInput(ducha.CaseActSubmit)
	in.Verdict, in.Measures = verdict, nil
	return ducha.ApplyCaseAction(c, in, u, now)
}

func TestSubmitVerdictsAsWritten(t *testing.T) {
	a := actors[2].user
	for written, stored := range map[string]string{"是": "属实", "否": "不属实", "基本属实": "基本属实"} {
		c := caseIn(ducha.CaseInvestigating)
		if err := submitAs(t, &c, a, written); err != nil {
			t.Fatalf("%s: %v", written, err)
		}
		if c.Verdict != stored || c.Parts[0].Verdict != stored || c.Status != ducha.CaseSubmitted {
			t.Errorf("%s: verdict %q part %q status %s", written, c.Verdict, c.Parts[0].Verdict, c.Status)
		}
	}
	c := caseIn(ducha.CaseInvestigating)
	err := submitAs(t, &c, a, "大概属实")
	if ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(ducha.ErrorMessage(err), "基本属实") || c.Status != ducha.CaseInvestigating {
		t.Errorf("unknown verdict: %v (%s)", err, c.Status)
	}
}

// Two units' verdicts make the case's: 基本属实 stands when both found so.
func TestJointVerdicts(t *testing.T) {
	coord, a, b := actors[1].user, actors[2].user, actors[4].user
	for _, tt := range []struct{ va, vb, want string }{
		{"基本属实", "基本属实", "基本属实"},
		{"基本属实", "不属实", "部分属实"},
		{"基本属实", "属实", "属实"},
		{"否", "否", "不属实"},
	} {
		c := caseIn(ducha.CaseReceived)
		in := validCaseInput(ducha.CaseActAssign)
		in.UnitIDs, in.UnitNames = []int64{unitA, unitB}, []string{"永清镇", "红堡镇"}
		if err := ducha.ApplyCaseAction(&c, in, coord, now); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*ducha.User{a, b} {
			if err := ducha.ApplyCaseAction(&c, ducha.CaseAction{Action: ducha.CaseActSign}, u, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := submitAs(t, &c, a, tt.va); err != nil {
			t.Fatal(err)
		}
		if err := submitAs(t, &c, b, tt.vb); err != nil {
			t.Fatal(err)
		}
		if c.Verdict != tt.want {
			t.Errorf("%s + %s = %s, want %s", tt.va, tt.vb, c.Verdict, tt.want)
		}
	}
}

func TestReportTextChannelsAndDuplicates(t *testing.T) {
	r := &ducha.DailyReport{AsOf: "2026-12-17", Cases: ducha.ReportCases{Batches: 11, Total: 151, Phone: 102, Letter: 49, Key: 9,
		Closed: 40, StageClosed: 54, Open: 57, Substantiated: 93, PartlySubstantiated: 20, Unsubstantiated: 16}}
	const tail = "已办结40件、阶段性办结54件、未办结57件；"
	// SPEC's sentence, unchanged when only 来电 and 来信 came in.
	if got := ducha.ReportText(r); !strings.HasPrefix(got, "截至12月17日，累计收到督察组交办信访件11批151件（来电102件、来信49件，重点关注9件），"+tail+
		"经查属实93件、部分属实20件、不属实16件；") {
		t.Errorf("plain: %s", got)
	}
	r.Cases.Letter, r.Cases.WeChat, r.Cases.Duplicates, r.Cases.BasicallySubstantiated = 46, 3, 3, 2
	if got := ducha.ReportText(r); !strings.HasPrefix(got, "截至12月17日，累计收到督察组交办信访件11批151件（来电102件、来信46件、微信3件，重点关注9件；重复件3件），"+tail+
		"经查属实93件、基本属实2件、部分属实20件、不属实16件；") {
		t.Errorf("channels, duplicates, basically: %s", got)
	}
	// With other channels, those with no case are left out, 来信 too.
	r.Cases.Letter, r.Cases.Visit, r.Cases.Other = 0, 40, 6
	if got := ducha.ReportText(r); !strings.Contains(got, "（来电102件、微信3件、来访40件、其他6件，重点关注9件；重复件3件）") {
		t.Errorf("without letters: %s", got)
	}
}
