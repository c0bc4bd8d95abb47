package ducha_test

import (
	"strings"
	"testing"

	"ducha"
)

// TestFieldLengths: each bounded field, just at its limit and one past it;
// the error names the field and says the limit.
func TestFieldLengths(t *testing.T) {
	long := func(n int) string { return strings.Repeat("扬", n) }
	type check struct {
		name, field string
		max         int
		validate    func(v string) error
	}
	problem := func(set func(p *ducha.Problem, v string)) func(string) error {
		return func(v string) error {
			p := ducha.Problem{Description: "扬尘", Source: "其他"}
			set(&p, v)
			return p.Validate()
		}
	}
	checks := []check{
		{"unit name", "name", ducha.MaxNameLen, func(v string) error { u := ducha.Unit{Name: v}; return u.Validate() }},
		{"unit phone", "phone", ducha.MaxPhoneLen, func(v string) error { u := ducha.Unit{Name: "永清镇", Phone: v}; return u.Validate() }},
		{"unit head", "head", ducha.MaxNameLen, func(v string) error { u := ducha.Unit{Name: "永清镇", Head: v}; return u.Validate() }},
		{"division code", "division_code", ducha.MaxCodeLen, func(v string) error { u := ducha.Unit{Name: "永清镇", DivisionCode: v}; return u.Validate() }},
		{"username", "username", ducha.MaxNameLen, func(v string) error { u := ducha.User{Username: v, Role: ducha.RoleLeader}; return u.Validate() }},
		{"campaign", "name", ducha.MaxShortLen, func(v string) error { c := ducha.Campaign{Name: v}; return c.Validate() }},
		{"description", "description", ducha.MaxTextLen, problem(func(p *ducha.Problem, v string) { p.Description = v })},
		{"person", "person", ducha.MaxNameLen, problem(func(p *ducha.Problem, v string) { p.Person = v })},
		{"measures", "measures", ducha.MaxTextLen, problem(func(p *ducha.Problem, v string) { p.Measures = v })},
		{"area", "area", ducha.MaxShortLen, problem(func(p *ducha.Problem, v string) { p.Area = v })},
		{"progress", "progress", ducha.MaxTextLen, problem(func(p *ducha.Problem, v string) { p.Progress = v })},
		{"extension reason", "reason", ducha.MaxTextLen, problem(func(p *ducha.Problem, v string) {
			p.Extension = &ducha.Extension{Deadline: "2027-01-01", Reason: v}
		})},
		{"enterprise", "measures", ducha.MaxNameLen, func(v string) error {
			m := ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: v}
			return m.Validate()
		}},
		{"acceptance number", "acceptance_no", ducha.MaxCodeLen, func(v string) error {
			c := ducha.Case{AcceptanceNo: v, Text: "噪声"}
			return c.ValidateLengths()
		}},
		{"case text", "text", ducha.MaxTextLen, func(v string) error {
			c := ducha.Case{AcceptanceNo: "D1", Text: v}
			return c.ValidateLengths()
		}},
	}
	for _, c := range checks {
		if err := c.validate(long(c.max)); err != nil {
			t.Errorf("%s at its limit %d: %v", c.name, c.max, err)
		}
		err := c.validate(long(c.max + 1))
		de, ok := err.(*ducha.Error)
		if !ok || de.Code != ducha.EINVALID || !strings.Contains(de.Fields[c.field], "过长") {
			t.Errorf("%s past its limit: %v, want invalid naming %s", c.name, err, c.field)
			continue
		}
		if want := "最多"; !strings.Contains(de.Message, want) {
			t.Errorf("%s: message %q does not say the limit", c.name, de.Message)
		}
	}
	// A phone number of 5,000 digits and a 3.5-million-character unit name.
	u := ducha.Unit{Name: strings.Repeat("镇", 3_500_000), Phone: strings.Repeat("1", 5000)}
	err := u.Validate()
	de, _ := err.(*ducha.Error)
	if de == nil || de.Fields["name"] == "" || de.Fields["phone"] == "" {
		t.Fatalf("huge unit: %v", err)
	}
}

// A case action whose text is too long is refused and changes nothing.
func TestCaseActionLength(t *testing.T) {
	k := caseIn(ducha.CaseSubmitted)
	before := k
	coord := &ducha.User{ID: 2, Username: "coord", Role: ducha.RoleCoordinator}
	err := ducha.ApplyCaseAction(&k, ducha.CaseAction{Action: ducha.CaseActReturn, Reason: strings.Repeat("x", ducha.MaxTextLen+1)}, coord, now)
	if de, ok := err.(*ducha.Error); !ok || de.Fields["reason"] == "" || k.Status != before.Status || k.ReturnReason != "" {
		t.Fatalf("over-long reason: %v, status %s", err, k.Status)
	}
	if err := ducha.ApplyCaseAction(&k, ducha.CaseAction{Action: ducha.CaseActReturn, Reason: "证据不足"}, coord, now); err != nil {
		t.Fatalf("a short reason: %v", err)
	}
}

// TestMeasureBounds: one submission cannot flood the report: at most
// MaxMeasures measures, persons and fines within their bounds.
func TestMeasureBounds(t *testing.T) {
	ok := ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "宏达公司", FineYuan: ducha.MaxFine}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a fine at the cap: %v", err)
	}
	for _, m := range []ducha.Measure{
		{Kind: ducha.MeasurePenaltyCase, Enterprise: "宏达公司", FineYuan: ducha.MaxFine + 1},
		{Kind: ducha.MeasurePenaltyCase, Enterprise: "宏达公司", FineYuan: 999999999999999},
		{Kind: ducha.MeasureInterviewed, Persons: ducha.MaxPersons + 1},
		{Kind: ducha.MeasureInterviewed, Persons: -3},
	} {
		if err := m.Validate(); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("%+v accepted: %v", m, err)
		}
	}
	k := caseIn(ducha.CaseInvestigating)
	in := ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经查属实", Verdict: ducha.VerdictTrue, Handling: "已责令整改"}
	for i := 0; i <= ducha.MaxMeasures; i++ {
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: "企业" + strings.Repeat("甲", i%5+1)})
	}
	liaison := &ducha.User{ID: 3, Username: "a", Role: ducha.RoleUnitLiaison, UnitID: unitA}
	err := ducha.ApplyCaseAction(&k, in, liaison, now)
	if de, ok := err.(*ducha.Error); !ok || de.Fields["measures"] == "" {
		t.Fatalf("%d measures in one submission: %v", len(in.Measures), err)
	}
	in.Measures = in.Measures[:ducha.MaxMeasures]
	if err := ducha.ApplyCaseAction(&k, in, liaison, now); err != nil {
		t.Fatalf("%d measures: %v", len(in.Measures), err)
	}
}
