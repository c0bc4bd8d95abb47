package store_test

import (
	"reflect"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// The discipline ranking, from the history: exact numbers per unit, worst
// first, and the same for a past period whatever was done after it.
func TestDisciplineReport(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq, hb := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["liaison_hb"])
		p1 := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-05")
		p2 := newProblem(t, db, f, "永清镇", "河道垃圾", "2026-12-20")
		newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-08")
		p4 := newProblem(t, db, f, "红堡镇", "露天焚烧", "2026-12-08")
		// 红堡镇 hands p4 in, and it is returned: overdue again.
		p4, err := db.ActOnProblem(hb, p4.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已整改"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(coord, p4.ID, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "佐证材料不全"}); err != nil {
			t.Fatal(err)
		}
		// 永清镇 asks to extend p2, refused.
		if _, err := db.ActOnProblem(yq, p2.ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Deadline: "2026-12-31", Reason: "雨季施工困难"}); err != nil {
			t.Fatal(err)
		}
		no := false
		if _, err := db.ActOnProblem(coord, p2.ID, ducha.ProblemAction{Action: ducha.ActDecideExtension, Approve: &no, Reason: "理由不充分"}); err != nil {
			t.Fatal(err)
		}
		// A case of 11-25 assigned to the department: due 12-05, overdue.
		if _, err := db.ImportBatch(coord, 1, "2026-11-25", "b1.xlsx", []ducha.BatchRow{row(1, "X3SX202611250001", "永清镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		act(t, db, coord, "X3SX202611250001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"县生态环境局"}})
		issued, _ := supervise(t, db, coord, "2026-12-10") // a 催办 each to p1, p3, p4 and the case, due 12-12
		if len(issued) != 4 {
			t.Fatalf("issued %d", len(issued))
		}
		record(t, db, f, "王五", "永清镇", "2026-12-09", []int64{p1.ID}, nil)
		record(t, db, f, "李四", "永清镇", "2026-11-20", nil, nil) // before the period

		clock.Add(24 * time.Hour) // 12-11: 永清镇 answers its notice.
		for _, n := range issued {
			if n.UnitID == f.Units["永清镇"].ID {
				if _, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActAnswer, 0, "已整改到位"); err != nil {
					t.Fatal(err)
				}
			}
		}
		then, err := db.DisciplineReport(coord, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if then.From != "2026-12-01" || then.To != "2026-12-11" {
			t.Fatalf("default period %s..%s", then.From, then.To)
		}

		clock.Add(2 * 24 * time.Hour) // 12-13
		r, err := db.DisciplineReport(storetest.As(f.Users["discipline"]), "2026-12-01", "2026-12-12")
		if err != nil {
			t.Fatal(err)
		}
		row := func(unit string, problems, overdue, returned, refused, notices, unanswered, acc int) ducha.DisciplineRow {
			return ducha.DisciplineRow{Unit: unit, UnitID: f.Units[unit].ID, Problems: problems, Overdue: overdue, Returned: returned,
				RefusedExtensions: refused, Notices: notices, NoticesUnanswered: unanswered, Accountability: acc}
		}
		want := []ducha.DisciplineRow{
			row("红堡镇", 2, 2, 1, 0, 2, 2, 0),
			row("县生态环境局", 0, 1, 0, 0, 1, 1, 0),
			row("永清镇", 2, 1, 0, 1, 1, 0, 1),
		}
		if !reflect.DeepEqual(r.Items, want) {
			t.Fatalf("12-01..12-12:\n%+v\nwant\n%+v", r.Items, want)
		}
		// Up to 12-10 no notice was due yet.
		r, _ = db.DisciplineReport(coord, "2026-12-10", "2026-12-10")
		want = []ducha.DisciplineRow{
			row("红堡镇", 2, 2, 1, 0, 2, 0, 0),
			row("永清镇", 2, 1, 0, 1, 1, 0, 0),
			row("县生态环境局", 0, 1, 0, 0, 1, 0, 0),
		}
		if !reflect.DeepEqual(r.Items, want) {
			t.Fatalf("12-10:\n%+v\nwant\n%+v", r.Items, want)
		}

		// What happens after a period changes nothing of it: 红堡镇 answers,
		// p1 is closed, a record dated 12-11 is written, a unit renamed not.
		for _, n := range issued {
			if n.UnitID == f.Units["红堡镇"].ID {
				if _, err := db.ActOnNotice(hb, n.ID, ducha.NoticeActAnswer, 0, "正在整改"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := db.ActOnProblem(yq, p1.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已整改"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(coord, p1.ID, ducha.ProblemAction{Action: ducha.ActVerify}); err != nil {
			t.Fatal(err)
		}
		record(t, db, f, "赵六", "红堡镇", "2026-12-11", nil, nil)
		again, err := db.DisciplineReport(coord, "2026-12-01", "2026-12-11")
		if err != nil || !reflect.DeepEqual(again, then) {
			t.Fatalf("12-01..12-11 computed later:\n%+v\nthen\n%+v (%v)", again, then, err)
		}
		now, _ := db.DisciplineReport(coord, "2026-12-01", "2026-12-13")
		for _, x := range now.Items {
			if x.Unit == "永清镇" && (x.Overdue != 0 || x.Accountability != 1) || x.Unit == "红堡镇" && (x.NoticesUnanswered != 0 || x.Accountability != 1) {
				t.Errorf("today: %+v", x)
			}
		}

		// Who may see it, and the dates.
		if _, err := db.DisciplineReport(yq, "", ""); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("a liaison: %v", err)
		}
		if _, err := db.DisciplineReport(storetest.As(f.Users["leader"]), "", ""); err != nil {
			t.Errorf("the leader: %v", err)
		}
		if _, err := db.DisciplineReport(coord, "", "2026-12-14"); !hasField(err, "to") {
			t.Errorf("a future end: %v", err)
		}
		if _, err := db.DisciplineReport(coord, "2026-12-12", "2026-12-11"); !hasField(err, "from") {
			t.Errorf("from after to: %v", err)
		}
	})
}
