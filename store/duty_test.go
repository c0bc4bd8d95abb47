package store_test

import (
	"context"
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// dutyRows is a responsibility list as a file gives it: each "unit|no|title|basis".
func dutyRows(lines ...string) []ducha.DutyRow {
	var out []ducha.DutyRow
	for i, l := range lines {
		p := strings.Split(l, "|")
		out = append(out, ducha.DutyRow{Row: i + 2, Unit: p[0], Duty: &ducha.Duty{No: p[1], Title: p[2], Basis: p[3]}})
	}
	return out
}

// fiveDuties is 永清镇's list of five duties and 红堡镇's of two.
var fiveDuties = []string{
	"永清镇|1|负责辖区大气污染防治，督促落实扬尘管控措施|《中华人民共和国大气污染防治法》第五条",
	"永清镇|2|负责辖区河道保洁和农村生活污水治理|《中华人民共和国水污染防治法》第四条",
	"永清镇|3|负责秸秆禁烧和综合利用|《甘肃省大气污染防治条例》",
	"永清镇|4|负责畜禽养殖污染防治的日常巡查|《畜禽规模养殖污染防治条例》第五条",
	"永清镇|5|负责农村生活垃圾收集转运|《中华人民共和国固体废物污染环境防治法》",
	"红堡镇|1|负责辖区大气污染防治，督促落实扬尘管控措施|《中华人民共和国大气污染防治法》第五条",
	"红堡镇|2|负责秸秆禁烧和综合利用|《甘肃省大气污染防治条例》",
}

func importDuties(t *testing.T, db *store.DB, f *storetest.Fixture, lines ...string) ducha.DutyImportResult {
	t.Helper()
	res, err := db.ImportDuties(storetest.As(f.Users["coord"]), dutyRows(lines...))
	if err != nil {
		t.Fatalf("import duties: %v", err)
	}
	return res
}

func eventCount(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.VerifyChain(storetest.System())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDutyImportIdempotent(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		res := importDuties(t, db, f, fiveDuties...)
		if res.Created != 7 || res.Updated != 0 || res.Unchanged != 0 || strings.Join(res.Units, ",") != "永清镇,红堡镇" {
			t.Fatalf("first import: %+v", res)
		}
		events := eventCount(t, db)
		res = importDuties(t, db, f, fiveDuties...)
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 7 {
			t.Fatalf("second import: %+v", res)
		}
		if n := eventCount(t, db); n != events {
			t.Fatalf("the same file again wrote %d events", n-events)
		}
		changed := append([]string{}, fiveDuties...)
		changed[2] = "永清镇|3|负责秸秆禁烧和综合利用|《甘肃省大气污染防治条例》第二十条"
		if res = importDuties(t, db, f, changed...); res.Updated != 1 || res.Unchanged != 6 {
			t.Fatalf("changed basis: %+v", res)
		}
		ds, total, err := db.FindDuties(storetest.As(f.Users["coord"]), ducha.DutyFilter{UnitID: f.Units["永清镇"].ID})
		if err != nil || total != 5 || len(ds) != 5 || ds[2].Basis != "《甘肃省大气污染防治条例》第二十条" || ds[0].No != "1" || ds[4].Unit != "永清镇" {
			t.Fatalf("list: %v %d %+v", err, total, ds)
		}
	})
}

func TestDutyImportBadRowChangesNothing(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		events := eventCount(t, db)
		for _, c := range []struct {
			rows []string
			row  int
			want string
		}{
			{append(append([]string{}, fiveDuties[:2]...), "柳湖镇|3|负责秸秆禁烧|x"), 4, "单位“柳湖镇”不存在"},
			{append(append([]string{}, fiveDuties[:2]...), "永清镇|3| |x"), 4, "职责事项不能为空"},
			{append(append([]string{}, fiveDuties[:3]...), "永清镇|9|负责辖区河道保洁和农村生活污水治理|y"), 5, "与第3行重复"},
		} {
			_, err := db.ImportDuties(coord, dutyRows(c.rows...))
			var e *ducha.Error
			if !asError(err, &e) || e.Code != ducha.EINVALID || e.Row != c.row || !strings.Contains(e.Message, c.want) {
				t.Errorf("%v: got %v, want row %d %q", c.rows, err, c.row, c.want)
			}
		}
		if _, total, _ := db.FindDuties(coord, ducha.DutyFilter{}); total != 0 {
			t.Fatalf("a refused file left %d duties", total)
		}
		if n := eventCount(t, db); n != events {
			t.Fatalf("a refused file wrote %d events", n-events)
		}
		for _, who := range []string{"liaison_yq", "head_yq", "leader", "discipline"} {
			if _, err := db.ImportDuties(storetest.As(f.Users[who]), dutyRows(fiveDuties...)); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s imports: %v", who, err)
			}
		}
	})
}

func asError(err error, e **ducha.Error) bool {
	de, ok := err.(*ducha.Error)
	*e = de
	return ok
}

func TestInspectionScoping(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		importDuties(t, db, f, fiveDuties...)
		yq, hb := f.Units["永清镇"].ID, f.Units["红堡镇"].ID
		as := func(u string) context.Context { return storetest.As(f.Users[u]) }
		// A unit's own list only, whatever it asks for.
		for _, c := range []struct {
			user   string
			unit   int64
			total  int
			absent string
		}{{"liaison_yq", 0, 5, "红堡镇"}, {"liaison_yq", hb, 0, "红堡镇"}, {"head_hb", 0, 2, "永清镇"}, {"leader", 0, 7, ""}, {"coord", hb, 2, "永清镇"}} {
			ds, total, err := db.FindDuties(as(c.user), ducha.DutyFilter{UnitID: c.unit})
			if err != nil || total != c.total || len(ds) != c.total {
				t.Errorf("%s unit %d: %v %d", c.user, c.unit, err, total)
			}
			for _, d := range ds {
				if c.absent != "" && d.Unit == c.absent {
					t.Errorf("%s sees %s's duty", c.user, c.absent)
				}
			}
		}
		// Starting: the unit for itself, the coordinator for any unit; readers never.
		own, created, err := db.StartInspection(as("liaison_yq"), 0)
		if err != nil || !created || own.UnitID != yq || own.Status != ducha.InspectionOpen || own.Duties != 5 || len(own.Items) != 5 {
			t.Fatalf("start own: %v %v %+v", err, created, own)
		}
		again, created, err := db.StartInspection(as("head_yq"), yq)
		if err != nil || created || again.ID != own.ID {
			t.Fatalf("second start: %v %v %+v", err, created, again)
		}
		for _, c := range []struct {
			user string
			unit int64
			code string
		}{{"liaison_hb", yq, ducha.EFORBIDDEN}, {"leader", yq, ducha.EFORBIDDEN}, {"discipline", hb, ducha.EFORBIDDEN},
			{"coord", 0, ducha.EINVALID}, {"coord", f.Units["县生态环境局"].ID, ducha.EINVALID}} {
			if _, _, err := db.StartInspection(as(c.user), c.unit); ducha.ErrorCode(err) != c.code {
				t.Errorf("%s starts %d: %v, want %s", c.user, c.unit, err, c.code)
			}
		}
		other, created, err := db.StartInspection(as("coord"), hb)
		if err != nil || !created || other.Unit != "红堡镇" || other.StartedBy != "coord" {
			t.Fatalf("coordinator starts: %v %+v", err, other)
		}
		// Another unit's inspection is not found, exactly like a missing one.
		for _, id := range []int64{own.ID, 999999} {
			if _, err := db.FindInspectionByID(as("liaison_hb"), id); ducha.ErrorCode(err) != ducha.ENOTFOUND {
				t.Errorf("liaison_hb reads %d: %v", id, err)
			}
			duty := own.Items[0].Duty.ID
			if _, err := db.MarkInspectionItem(as("liaison_hb"), id, duty, ducha.InspectionMark{Complied: true}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
				t.Errorf("liaison_hb marks %d: %v", id, err)
			}
			if _, err := db.SubmitInspection(as("liaison_hb"), id, 0); ducha.ErrorCode(err) != ducha.ENOTFOUND {
				t.Errorf("liaison_hb submits %d: %v", id, err)
			}
		}
		// A duty of another unit's list is no item of this inspection.
		if _, err := db.MarkInspectionItem(as("liaison_yq"), own.ID, other.Items[0].Duty.ID, ducha.InspectionMark{Complied: true}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("a duty of another unit: %v", err)
		}
		if _, err := db.MarkInspectionItem(as("leader"), own.ID, own.Items[0].Duty.ID, ducha.InspectionMark{Complied: true}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("leader marks: %v", err)
		}
		for _, c := range []struct {
			user  string
			total int
		}{{"liaison_yq", 1}, {"head_hb", 1}, {"leader", 2}, {"coord", 2}} {
			if _, total, err := db.FindInspections(as(c.user), ducha.InspectionFilter{}); err != nil || total != c.total {
				t.Errorf("%s lists: %v %d", c.user, err, total)
			}
		}
		if _, total, _ := db.FindInspections(as("liaison_yq"), ducha.InspectionFilter{UnitID: hb}); total != 0 {
			t.Errorf("liaison_yq lists 红堡镇's: %d", total)
		}
		if _, _, err := db.FindInspections(as("coord"), ducha.InspectionFilter{Status: "bogus"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("bad status: %v", err)
		}
	})
}

// walk marks an inspection's duties: complied unless findings names a
// finding for the duty's position, as 立行立改 for the first finding and
// 限时整改 for the others.
func walk(t *testing.T, db *store.DB, ctx context.Context, in *ducha.Inspection, findings map[int]string) *ducha.Inspection {
	t.Helper()
	first := true
	for i, it := range in.Items {
		m := ducha.InspectionMark{Complied: true}
		if f, ok := findings[i]; ok {
			m = ducha.InspectionMark{Finding: f, Mode: ducha.ModeTimeBound, Deadline: "2026-12-31"}
			if first {
				m = ducha.InspectionMark{Finding: f, Mode: ducha.ModeImmediate}
				first = false
			}
		}
		var err error
		if in, err = db.MarkInspectionItem(ctx, in.ID, it.Duty.ID, m); err != nil {
			t.Fatalf("mark %d: %v", i, err)
		}
	}
	return in
}

func TestInspectionSubmitMakesProblems(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		importDuties(t, db, f, fiveDuties...)
		liaison, coord := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["coord"])
		in, _, err := db.StartInspection(liaison, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Validation names the field.
		d0 := in.Items[0].Duty.ID
		for _, c := range []struct {
			m     ducha.InspectionMark
			field string
		}{
			{ducha.InspectionMark{Finding: "  "}, "finding"},
			{ducha.InspectionMark{Finding: "未巡查"}, "mode"},
			{ducha.InspectionMark{Finding: "未巡查", Mode: "马上改"}, "mode"},
			{ducha.InspectionMark{Finding: "未巡查", Mode: ducha.ModeTimeBound}, "deadline"},
			{ducha.InspectionMark{Finding: "未巡查", Mode: ducha.ModeTimeBound, Deadline: "2026-12-01"}, "deadline"},
			{ducha.InspectionMark{Complied: true, Version: 99}, ""},
		} {
			_, err := db.MarkInspectionItem(liaison, in.ID, d0, c.m)
			var e *ducha.Error
			if c.field == "" {
				if ducha.ErrorCode(err) != ducha.ECONFLICT {
					t.Errorf("stale version: %v", err)
				}
			} else if !asError(err, &e) || e.Fields[c.field] == "" {
				t.Errorf("%+v: %v, want field %s", c.m, err, c.field)
			}
		}
		// Three complied, then submit names the two unmarked.
		for _, it := range in.Items[:3] {
			if in, err = db.MarkInspectionItem(liaison, in.ID, it.Duty.ID, ducha.InspectionMark{Complied: true}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = db.SubmitInspection(liaison, in.ID, 0)
		var e *ducha.Error
		if !asError(err, &e) || e.Fields["items"] == "" || !strings.Contains(e.Message, "还有2项") || !strings.Contains(e.Message, "第4项") || !strings.Contains(e.Message, "第5项") {
			t.Fatalf("submit with two unmarked: %v", err)
		}
		in = walk(t, db, liaison, in, map[int]string{3: "辖区内两处养殖场未纳入巡查台账", 4: "垃圾转运站周边积存垃圾未及时清运"})
		if in.Marked != 5 || in.Wanting != 2 || in.Version != 9 {
			t.Fatalf("after marking: %+v", in)
		}
		ledger, _, _ := db.FindProblems(coord, ducha.ProblemFilter{})
		events := eventCount(t, db)
		done, err := db.SubmitInspection(liaison, in.ID, in.Version)
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		if done.Status != ducha.InspectionSubmitted || done.SubmittedBy != "liaison_yq" || len(done.Problems) != 2 {
			t.Fatalf("submitted: %+v", done)
		}
		// Two problems and events: each problem's create, the submit.
		if n := eventCount(t, db); n != events+3 {
			t.Fatalf("submit wrote %d events", n-events)
		}
		after, total, _ := db.FindProblems(liaison, ducha.ProblemFilter{})
		if total != len(ledger)+2 || len(after) != total {
			t.Fatalf("ledger after submit: %d", total)
		}
		if _, n, _ := db.FindProblems(liaison, ducha.ProblemFilter{Q: "养殖场未纳入巡查"}); n != 1 {
			t.Fatalf("search finds the finding %d times", n)
		}
		immediate, err := db.FindProblemByID(liaison, done.Problems[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if immediate.Source != "自查发现" || immediate.Status != ducha.StatusRegistered || immediate.LeadUnit != "永清镇" ||
			immediate.Mode != ducha.ModeImmediate || immediate.Deadline != "2026-12-10" || immediate.Description != "辖区内两处养殖场未纳入巡查台账" ||
			immediate.Duty == nil || immediate.Duty.ID != in.Items[3].Duty.ID || immediate.Duty.Title != "负责畜禽养殖污染防治的日常巡查" {
			t.Fatalf("the 立行立改 problem: %+v %+v", immediate, immediate.Duty)
		}
		timed, _ := db.FindProblemByID(coord, done.Problems[1].ID)
		if timed.Mode != ducha.ModeTimeBound || timed.Deadline != "2026-12-31" || timed.Duty.Title != "负责农村生活垃圾收集转运" {
			t.Fatalf("the 限时整改 problem: %+v", timed)
		}
		if _, err := db.FindProblemByID(storetest.As(f.Users["liaison_hb"]), timed.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("another unit reads the finding: %v", err)
		}
		// After submit nothing changes; a new start is a new inspection.
		if _, err := db.MarkInspectionItem(liaison, in.ID, d0, ducha.InspectionMark{Complied: true}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("mark after submit: %v", err)
		}
		if _, err := db.SubmitInspection(liaison, in.ID, 0); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("submit twice: %v", err)
		}
		got, _ := db.FindInspectionByID(storetest.As(f.Users["leader"]), in.ID)
		if len(got.Problems) != 2 || got.Items[3].ProblemCode != immediate.Code || got.Wanting != 2 || got.Duties != 5 {
			t.Fatalf("read back: %+v", got)
		}
		// 立行立改: planned, evidence attached, applied and closed the same day.
		p, err := db.ActOnProblem(liaison, immediate.ID, ducha.ProblemAction{Action: ducha.ActPlan, Person: "李四", Measures: "当日将两处养殖场纳入巡查台账"})
		if err != nil || p.Status != ducha.StatusInProgress {
			t.Fatalf("plan: %v %+v", err, p)
		}
		if err := db.AddAttachment(liaison, &ducha.Attachment{ProblemID: p.ID, Name: "巡查台账.png", Data: pngBytes}); err != nil {
			t.Fatalf("evidence: %v", err)
		}
		if p, err = db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已纳入巡查台账并完成首次巡查"}); err != nil {
			t.Fatalf("apply closure: %v", err)
		}
		if p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify}); err != nil || p.Status != ducha.StatusClosed {
			t.Fatalf("verify: %v %+v", err, p)
		}
		closed, _ := db.FindProblemByID(coord, p.ID)
		if ducha.DateOf(closed.ClosedAt.In(ducha.Location)) != "2026-12-10" || len(closed.Attachments) != 1 || closed.Duty == nil {
			t.Fatalf("closed: %+v", closed)
		}
		next, created, err := db.StartInspection(liaison, 0)
		if err != nil || !created || next.ID == in.ID || next.Marked != 0 {
			t.Fatalf("a new inspection: %v %+v", err, next)
		}
	})
}

// A failure in the middle of a submit (the second finding's problem code
// already taken) leaves no problem, no event and the inspection open.
func TestInspectionSubmitAtomic(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		importDuties(t, db, f, fiveDuties...)
		liaison, coord := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["coord"])
		taken := &ducha.Problem{Code: "QS-2026-0002", Source: "其他", Description: "编号被占用的问题"}
		if err := db.CreateProblem(coord, taken); err != nil {
			t.Fatal(err)
		}
		in, _, _ := db.StartInspection(liaison, 0)
		in = walk(t, db, liaison, in, map[int]string{1: "河道存在垃圾", 3: "养殖场未巡查"})
		events := eventCount(t, db)
		_, err := db.SubmitInspection(liaison, in.ID, 0)
		if ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(err.Error(), "QS-2026-0002") || !strings.Contains(err.Error(), "第4项") {
			t.Fatalf("submit: %v", err)
		}
		if _, total, _ := db.FindProblems(coord, ducha.ProblemFilter{}); total != 1 {
			t.Fatalf("a failed submit left %d problems", total-1)
		}
		if _, total, _ := db.FindProblems(coord, ducha.ProblemFilter{Source: "自查发现"}); total != 0 {
			t.Fatalf("a failed submit left %d findings", total)
		}
		if n := eventCount(t, db); n != events {
			t.Fatalf("a failed submit wrote %d events", n-events)
		}
		got, _ := db.FindInspectionByID(liaison, in.ID)
		if got.Status != ducha.InspectionOpen || len(got.Problems) != 0 || got.Version != in.Version {
			t.Fatalf("after the failure: %+v", got)
		}
		// The codes the failed submit took were given back with it.
		next := &ducha.Problem{Source: "其他", Description: "下一个问题"}
		if err := db.CreateProblem(coord, next); err != nil || next.Code != "QS-2026-0001" {
			t.Fatalf("next problem: %v %q", err, next.Code)
		}
	})
}

func TestInspectionSummary(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = clockAt("2026-12-10").T // each engine from the same day
		f := storetest.Seed(t, db)
		importDuties(t, db, f, fiveDuties...)
		yq, hb := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["liaison_hb"])
		// 永清镇 inspects twice: the first found 2 wanting, the latest 1.
		in, _, _ := db.StartInspection(yq, 0)
		in = walk(t, db, yq, in, map[int]string{0: "工地未全覆盖", 2: "发现焚烧秸秆"})
		if _, err := db.SubmitInspection(yq, in.ID, 0); err != nil {
			t.Fatal(err)
		}
		clock.Add(24 * 60 * 60 * 1e9)
		in, _, _ = db.StartInspection(yq, 0)
		in = walk(t, db, yq, in, map[int]string{0: "仍有工地未覆盖"})
		if _, err := db.SubmitInspection(yq, in.ID, 0); err != nil {
			t.Fatal(err)
		}
		// 红堡镇 found both wanting; its duty 1 has the same text as 永清镇's.
		in, _, _ = db.StartInspection(hb, 0)
		in = walk(t, db, hb, in, map[int]string{0: "扬尘管控不到位", 1: "秸秆焚烧"})
		if _, err := db.SubmitInspection(hb, in.ID, 0); err != nil {
			t.Fatal(err)
		}
		// The 县生态环境局 has a list but has not inspected.
		importDuties(t, db, f, "县生态环境局|1|负责排污许可监督管理|《排污许可管理条例》")
		if _, _, err := db.StartInspection(storetest.As(f.Users["liaison_sthj"]), 0); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"liaison_yq", "head_yq"} {
			if _, err := db.InspectionSummary(storetest.As(f.Users[who])); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s reads the county view: %v", who, err)
			}
		}
		s, err := db.InspectionSummary(storetest.As(f.Users["leader"]))
		if err != nil {
			t.Fatal(err)
		}
		want := []ducha.UnitInspection{
			{Unit: "永清镇", Inspected: true, Submitted: 2, LastSubmitted: "2026-12-11", Duties: 5, Wanting: 1},
			{Unit: "红堡镇", Inspected: true, Submitted: 1, LastSubmitted: "2026-12-11", Duties: 2, Wanting: 2},
			{Unit: "县生态环境局", Open: true, Duties: 1},
		}
		if len(s.Units) != len(want) {
			t.Fatalf("units: %+v", s.Units)
		}
		for i, w := range want {
			g := *s.Units[i]
			g.UnitID = 0
			if g != w {
				t.Errorf("unit %d: %+v, want %+v", i, g, w)
			}
		}
		if len(s.Duties) != 2 || s.Duties[0].Title != "负责辖区大气污染防治，督促落实扬尘管控措施" || s.Duties[0].Count != 2 ||
			strings.Join(s.Duties[0].Units, ",") != "永清镇,红堡镇" || s.Duties[1].Title != "负责秸秆禁烧和综合利用" || s.Duties[1].Count != 1 {
			t.Fatalf("duties wanting: %+v %+v", s.Duties[0], s.Duties)
		}
	})
}
