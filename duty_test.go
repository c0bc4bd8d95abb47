package ducha

import (
	"strings"
	"testing"
	"time"
)

// TestInspectionRules: who may act on which unit's inspection, what a mark
// needs, and what submit needs, over every role.
func TestInspectionRules(t *testing.T) {
	now := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)
	users := map[string]*User{
		"admin": {Username: "admin", Role: RoleAdmin}, "coord": {Username: "coord", Role: RoleCoordinator},
		"liaison": {Username: "l", Role: RoleUnitLiaison, UnitID: 1}, "head": {Username: "h", Role: RoleUnitHead, UnitID: 1},
		"other": {Username: "o", Role: RoleUnitLiaison, UnitID: 2}, "discipline": {Username: "d", Role: RoleDiscipline},
		"leader": {Username: "x", Role: RoleLeader},
	}
	may := map[string]bool{"admin": true, "coord": true, "liaison": true, "head": true}
	for key, u := range users {
		if err := CheckInspector(u, 1); (err == nil) != may[key] || (err != nil && ErrorCode(err) != EFORBIDDEN) {
			t.Errorf("%s on unit 1: %v", key, err)
		}
	}
	if ErrorCode(CheckInspector(nil, 1)) != EUNAUTHORIZED {
		t.Error("nobody may inspect")
	}
	open := func() *Inspection {
		return &Inspection{ID: 7, UnitID: 1, Status: InspectionOpen, Items: []*InspectionItem{
			{Duty: DutyRef{ID: 1, No: "1", Title: "负责扬尘管控"}}, {Duty: DutyRef{ID: 2, No: "2", Title: "负责秸秆禁烧"}}}}
	}
	for _, c := range []struct {
		m     InspectionMark
		field string
		want  InspectionItem
	}{
		{InspectionMark{Complied: true, Finding: "x", Mode: ModeTimeBound, Deadline: "2026-12-31"}, "", InspectionItem{Complied: true}},
		{InspectionMark{Finding: " "}, "finding", InspectionItem{}},
		{InspectionMark{Finding: "未巡查"}, "mode", InspectionItem{}},
		{InspectionMark{Finding: "未巡查", Mode: "马上"}, "mode", InspectionItem{}},
		{InspectionMark{Finding: "未巡查", Mode: ModeTimeBound}, "deadline", InspectionItem{}},
		{InspectionMark{Finding: "未巡查", Mode: ModeLongTerm, Deadline: "2026-12-09"}, "deadline", InspectionItem{}},
		{InspectionMark{Finding: "未巡查", Mode: ModeLongTerm, Deadline: "12/31"}, "deadline", InspectionItem{}},
		{InspectionMark{Finding: " 未巡查 ", Mode: ModeImmediate}, "", InspectionItem{Finding: "未巡查", Mode: ModeImmediate, Deadline: "2026-12-10"}},
		{InspectionMark{Finding: "未巡查", Mode: ModeLongTerm}, "", InspectionItem{Finding: "未巡查", Mode: ModeLongTerm}},
		{InspectionMark{Finding: strings.Repeat("长", MaxTextLen+1), Mode: ModeLongTerm}, "finding", InspectionItem{}},
	} {
		in := open()
		it := in.Items[0]
		err := ApplyInspectionMark(in, it, c.m, users["liaison"], now)
		if c.field != "" {
			e, ok := err.(*Error)
			if !ok || e.Fields[c.field] == "" || it.Marked {
				t.Errorf("%+v: %v, want field %s and the item unchanged", c.m, err, c.field)
			}
			continue
		}
		if err != nil || !it.Marked || it.MarkedBy != "l" || it.Complied != c.want.Complied || it.Finding != c.want.Finding ||
			it.Mode != c.want.Mode || it.Deadline != c.want.Deadline {
			t.Errorf("%+v: %v %+v", c.m, err, it)
		}
	}
	in := open()
	if err := ApplyInspectionMark(in, in.Items[0], InspectionMark{Complied: true}, users["other"], now); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("another unit marks: %v", err)
	}
	err := ApplyInspectionSubmit(in, users["liaison"], now)
	if e, ok := err.(*Error); !ok || e.Fields["items"] != "还有2项职责未自查：第1项“负责扬尘管控”、第2项“负责秸秆禁烧”" {
		t.Fatalf("submit unmarked: %v", err)
	}
	for _, it := range in.Items {
		if err := ApplyInspectionMark(in, it, InspectionMark{Complied: true}, users["head"], now); err != nil {
			t.Fatal(err)
		}
	}
	if err := ApplyInspectionSubmit(in, users["leader"], now); ErrorCode(err) != EFORBIDDEN || in.Status != InspectionOpen {
		t.Fatalf("leader submits: %v", err)
	}
	if err := ApplyInspectionSubmit(in, users["coord"], now); err != nil || in.Status != InspectionSubmitted || in.SubmittedBy != "coord" {
		t.Fatalf("submit: %v %+v", err, in)
	}
	for _, err := range []error{ApplyInspectionSubmit(in, users["coord"], now),
		ApplyInspectionMark(in, in.Items[0], InspectionMark{Complied: true}, users["liaison"], now)} {
		if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "已于2026-12-10 10:00提交") {
			t.Errorf("after submit: %v", err)
		}
	}
	empty := &Inspection{UnitID: 1, Status: InspectionOpen}
	if e, ok := ApplyInspectionSubmit(empty, users["liaison"], now).(*Error); !ok || e.Fields["items"] == "" {
		t.Errorf("an empty list submits")
	}
	// Five items: the message names three and says there are more.
	many := &Inspection{UnitID: 1, Status: InspectionOpen}
	for i := 1; i <= 5; i++ {
		many.Items = append(many.Items, &InspectionItem{Duty: DutyRef{No: string(rune('0' + i)), Title: "职责"}})
	}
	if err := ApplyInspectionSubmit(many, users["liaison"], now); !strings.HasSuffix(err.Error(), "第3项“职责”等") || !strings.Contains(err.Error(), "还有5项") {
		t.Errorf("five unmarked: %v", err)
	}
	p := FindingProblem(&Inspection{ID: 3, CampaignID: 2}, &Unit{ID: 1, Name: "永清镇", Kind: UnitTownship},
		&InspectionItem{Duty: DutyRef{No: "4", Title: "负责巡查"}, Finding: "未巡查", Mode: ModeTimeBound, Deadline: "2026-12-31"})
	if p.Source != "自查发现" || p.Area != "永清镇" || p.LeadUnitID != 1 || p.Status != StatusRegistered || p.Deadline != "2026-12-31" ||
		p.DeadlineText != "2026-12-31" || p.CampaignID != 2 || !strings.Contains(p.Note, "第4项“负责巡查”") || p.Validate() != nil {
		t.Errorf("finding problem: %+v", p)
	}
}
