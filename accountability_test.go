package ducha

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAccountabilityForm(t *testing.T) {
	for _, f := range AccountabilityForms {
		if got, ok := ParseAccountabilityForm(" " + f.Label() + " "); !ok || got != f {
			t.Errorf("label %s: %q %v", f.Label(), got, ok)
		}
		if got, ok := ParseAccountabilityForm(string(f)); !ok || got != f {
			t.Errorf("code %s: %q %v", f, got, ok)
		}
	}
	if _, ok := ParseAccountabilityForm("警告"); ok {
		t.Error("警告 is not a form")
	}
	if FormJudicial.Label() != "移送司法机关" || FormAdmonition.Label() != "诫勉谈话" {
		t.Error("labels")
	}
}

func TestAccountabilityValidate(t *testing.T) {
	good := func() *Accountability {
		return &Accountability{Person: " 王五 ", Post: "副镇长", UnitID: 1, Form: FormCriticism, Reason: "整改不力",
			DecidedBy: "县纪委监委", Date: "2026-12-10", Problems: []int64{3, 1, 3}, Cases: nil}
	}
	a := good()
	if err := a.Validate("2026-12-10"); err != nil {
		t.Fatal(err)
	}
	if a.Person != "王五" || !slices.Equal(a.Problems, []int64{1, 3}) || a.Cases == nil || len(a.Cases) != 0 {
		t.Fatalf("cleaned: %+v", a)
	}
	for _, c := range []struct {
		change func(a *Accountability)
		field  string
		msg    string
	}{
		{func(a *Accountability) { a.Person = "  " }, "person", "请填写被问责人姓名"},
		{func(a *Accountability) { a.UnitID = 0 }, "unit", "请填写被问责人所在单位"},
		{func(a *Accountability) { a.Form = "警告" }, "form", "问责方式“警告”无效"},
		{func(a *Accountability) { a.Reason = "" }, "reason", "请填写问责事由"},
		{func(a *Accountability) { a.DecidedBy = "" }, "decided_by", "请填写决定机关"},
		{func(a *Accountability) { a.Date = "" }, "date", "请填写问责决定日期"},
		{func(a *Accountability) { a.Date = "2026-12-11" }, "date", "问责决定日期不能晚于今天（2026-12-10）"},
		{func(a *Accountability) { a.Cases = []int64{2, -1} }, "cases", "关联交办件编号无效"},
		{func(a *Accountability) { a.Problems = []int64{0} }, "problems", "关联问题编号无效"},
		{func(a *Accountability) { a.Person = strings.Repeat("王", MaxNameLen+1) }, "person", "被问责人过长"},
	} {
		a := good()
		c.change(a)
		err := a.Validate("2026-12-10")
		e, ok := err.(*Error)
		if !ok || e.Code != EINVALID || !strings.Contains(e.Fields[c.field], c.msg) || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	// Every wrong field is named at once.
	a = &Accountability{Date: "2026-12-10"}
	e, _ := a.Validate("2026-12-10").(*Error)
	if e == nil || len(e.Fields) != 5 {
		t.Fatalf("all at once: %+v", e)
	}
}

func TestAccountabilityUpdateApply(t *testing.T) {
	a := &Accountability{Person: "王五", Form: FormCriticism, Problems: []int64{1}}
	form, person, cases := "党纪处分", "王 五", []int64{7}
	(&AccountabilityUpdate{Form: &form, Person: &person, Cases: &cases}).Apply(a)
	if a.Form != FormParty || a.Person != "王 五" || !slices.Equal(a.Cases, []int64{7}) || !slices.Equal(a.Problems, []int64{1}) {
		t.Fatalf("%+v", a)
	}
	bad := "警告"
	(&AccountabilityUpdate{Form: &bad}).Apply(a)
	if a.Form != "警告" {
		t.Fatalf("a wrong form is kept for Validate: %q", a.Form)
	}
}

// The counting rule of docs/decisions/007, edge by edge.
func TestCountHeldAccountable(t *testing.T) {
	p := func(name string, unit int64, cases ...int64) AccountablePerson {
		return AccountablePerson{Person: name, UnitID: unit, Cases: cases}
	}
	for _, c := range []struct {
		name     string
		measures map[int64]int
		records  []AccountablePerson
		want     int
	}{
		{"nothing", nil, nil, 0},
		{"measures only: their sum", map[int64]int{1: 2, 2: 3}, nil, 5},
		{"records only, no case: persons", nil, []AccountablePerson{p("王五", 1), p("赵六", 1), p("王五", 2)}, 3},
		{"the same person twice counts once", nil, []AccountablePerson{p("王五", 1), p("王 五", 1), p("王五　", 1)}, 1},
		{"a case's measure names its record's person", map[int64]int{1: 1}, []AccountablePerson{p("王五", 1, 1)}, 1},
		{"more records than the measure says", map[int64]int{1: 1}, []AccountablePerson{p("王五", 1, 1), p("赵六", 1, 1)}, 2},
		{"fewer records than the measure says", map[int64]int{1: 3}, []AccountablePerson{p("王五", 1, 1)}, 3},
		{"a case with records but no measure", map[int64]int{2: 2}, []AccountablePerson{p("王五", 1, 1)}, 3},
		{"one person for two cases belongs where a measure names them", map[int64]int{1: 0, 2: 1}, []AccountablePerson{p("王五", 1, 2, 1)}, 1},
		{"two persons, a measure naming one: the second counts", map[int64]int{5: 1}, []AccountablePerson{p("王五", 1, 3, 5), p("赵六", 1, 5)}, 2},
		{"no measure on any of their cases: the lowest", map[int64]int{9: 1}, []AccountablePerson{p("王五", 1, 4, 3)}, 2},
		{"full-width and zero-width variants of a name are one person", nil, []AccountablePerson{p("王五Ａ", 1), p("王​五A", 1)}, 1},
		{"one person, two records, two cases", nil, []AccountablePerson{p("王五", 1, 2), p("王五", 1, 1)}, 1},
		{"a person with a case and without counts once", nil, []AccountablePerson{p("王五", 1), p("王五", 1, 4)}, 1},
		{"the same name in two units is two persons", map[int64]int{1: 1}, []AccountablePerson{p("王五", 1, 1), p("王五", 2, 1)}, 2},
	} {
		if got := CountHeldAccountable(c.measures, c.records); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestRankDiscipline(t *testing.T) {
	rows := []DisciplineRow{
		{Unit: "甲", Problems: 9},
		{Unit: "乙", Overdue: 1},
		{Unit: "丙", Overdue: 1, NoticesUnanswered: 1},
		{Unit: "丁", Returned: 2, Problems: 1},
		{Unit: "戊", Returned: 2, RefusedExtensions: 1},
		{Unit: "己"},
		{Unit: "庚", Accountability: 1},
		{Unit: "辛", Notices: 1},
	}
	RankDiscipline(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Unit)
	}
	if want := []string{"丙", "乙", "戊", "丁", "辛", "庚", "甲", "己"}; !slices.Equal(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
}

func TestDisciplinePeriod(t *testing.T) {
	for _, c := range []struct {
		from, to, start Date
		wantFrom        Date
		wantTo          Date
		field           string
	}{
		{"", "", "2026-12-01", "2026-12-01", "2026-12-20", ""},
		{"", "", "", "2026-11-20", "2026-12-20", ""},
		{"", "", "2027-01-01", "2026-11-20", "2026-12-20", ""}, // a campaign not begun by to
		{"", "2026-12-05", "2026-12-01", "2026-12-01", "2026-12-05", ""},
		{"2026-12-03", "2026-12-04", "", "2026-12-03", "2026-12-04", ""},
		{"2026-12-05", "2026-12-04", "", "", "", "from"},
		{"", "2026-12-21", "", "", "", "to"},
	} {
		from, to, err := DisciplinePeriod(c.from, c.to, "2026-12-20", c.start)
		if c.field != "" {
			if e, ok := err.(*Error); !ok || e.Fields[c.field] == "" {
				t.Errorf("%+v: %v", c, err)
			}
			continue
		}
		if err != nil || from != c.wantFrom || to != c.wantTo {
			t.Errorf("%+v: %s %s %v", c, from, to, err)
		}
	}
	if _, err := ParseReportDate("from", "起始日期", "2026/12/01"); err == nil || !strings.Contains(err.Error(), "起始日期“2026/12/01”格式应为 YYYY-MM-DD") {
		t.Errorf("parse: %v", err)
	}
}
