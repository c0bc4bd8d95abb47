package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"ducha"
	"ducha/text"
)

// demoTexts renders the texts the demo writes with several seeds: every
// template as it stands, and for each seed the complaint texts, findings
// and handling of generated cases and the free texts of generated problems.
func demoTexts() []string {
	var out []string
	for _, k := range kinds {
		for _, list := range [][]string{k.withEnt, k.plain, k.measures, k.targets, k.progress, k.closure} {
			out = append(out, list...)
		}
	}
	for _, list := range [][]string{returnReasons, extensionReasons, verifyTexts, reopenReasons, caseSubjectForms, approvalReasons, refusalReasons, leaders} {
		out = append(out, list...)
	}
	today := ducha.Date("2026-06-01")
	for _, seed := range []int64{1, 2, 3, 5, 42, 2026} {
		g := newGenerator(seed, today, 1, 300, 0)
		r := rand.New(rand.NewPCG(uint64(seed), 77))
		for range 300 {
			p, _ := g.next()
			out = append(out, "群众反映，"+p.Description, p.Description, p.Address, p.Subject, p.Person,
				p.Measures, p.Target, p.Progress, p.ClosureText)
			a := answer(r, today, p.Subject+"砖瓦厂")
			out = append(out, a.Findings, a.Handling)
		}
	}
	return out
}

// TestMaskLeavesDemoTextsAlone: publication must not alter a text that
// names no complainant and carries no number to hide, and no demo text
// does.
func TestMaskLeavesDemoTextsAlone(t *testing.T) {
	texts := demoTexts()
	seen := map[string]bool{}
	for _, s := range texts {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if got := text.Mask(s); got != s {
			t.Errorf("Mask(%q) = %q, want it unchanged", s, got)
		}
	}
	if len(seen) < 500 {
		t.Errorf("only %d distinct demo texts", len(seen))
	}
}

// insertion is a way of naming a complainant and their numbers in a text;
// %[1]s is the name, %[2]s a mobile number, %[3]s an ID number.
var insertions = []string{
	"举报人%[1]s反映，",
	"来电人：%[1]s，联系电话%[2]s。",
	"投诉人%[1]s称，",
	"来信人%[1]s（电话%[2]s）反映：",
	"举报人%[1]s（身份证号%[3]s）多次来电反映，",
	"信访人%[1]s表示，",
}

// TestMaskDemoTextsWithComplainants puts a complainant's name, phone and
// ID number in front of generated texts and checks that exactly they are
// hidden: the name but its surname, the numbers but their first 3 and last
// 2 characters, and nothing of the text after them.
func TestMaskDemoTextsWithComplainants(t *testing.T) {
	texts := demoTexts()
	r := rand.New(rand.NewPCG(7, 7))
	n := 0
	for i, s := range texts {
		if s == "" || i%3 != 0 {
			continue
		}
		surname := surnames[r.IntN(len(surnames))]
		given := givenNames[r.IntN(len(givenNames))]
		phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
		id := fmt.Sprintf("620521%04d%02d%02d%03d%d", 1950+r.IntN(50), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), r.IntN(10))
		ins := insertions[r.IntN(len(insertions))]
		in := fmt.Sprintf(ins, surname+given, phone, id) + s
		want := fmt.Sprintf(ins, surname+strings.Repeat("*", utf8.RuneCountInString(given)),
			phone[:3]+strings.Repeat("*", len(phone)-5)+phone[len(phone)-2:],
			id[:3]+strings.Repeat("*", len(id)-5)+id[len(id)-2:]) + s
		if got := text.Mask(in); got != want {
			t.Errorf("Mask(%q)\n got  %q\n want %q", in, got, want)
		}
		n++
	}
	if n < 500 {
		t.Errorf("only %d texts with complainants", n)
	}
}
