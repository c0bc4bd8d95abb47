package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// record creates an accountability record as discipline.
func record(t *testing.T, db *store.DB, f *storetest.Fixture, person, unit string, date ducha.Date, problems, cases []int64) *ducha.Accountability {
	t.Helper()
	a, err := db.CreateAccountability(storetest.As(f.Users["discipline"]), &ducha.AccountabilityInput{
		Person: person, Post: "副镇长", Unit: ducha.UnitRef(unit), Form: "通报批评", Reason: "整改不力",
		DecidedBy: "县纪委监委", Date: date, Problems: problems, Cases: cases})
	if err != nil {
		t.Fatalf("record %s: %v", person, err)
	}
	return a
}

// Discipline writes records; everyone reads them within their scope, and
// another unit's record is not found exactly like a missing one. A change
// checks the version and leaves an event.
func TestAccountabilityScopeAndWrites(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		disc := storetest.As(f.Users["discipline"])
		yqp := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-20")
		hbp := newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-20")
		in := ducha.AccountabilityInput{Person: "王五", Post: "副镇长", Unit: "永清镇", Form: "诫勉谈话", Reason: "扬尘整治不力",
			DecidedBy: "县纪委监委", Date: "2026-12-09", Problems: []int64{yqp.ID}}
		for _, who := range []string{"coord", "leader", "liaison_yq", "head_yq"} {
			if _, err := db.CreateAccountability(storetest.As(f.Users[who]), &in); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s writes: %v", who, err)
			}
		}
		for _, bad := range []struct {
			change func(in *ducha.AccountabilityInput)
			field  string
			msg    string
		}{
			{func(in *ducha.AccountabilityInput) { in.Problems = []int64{yqp.ID, 999999} }, "problems", "关联的问题999999不存在"},
			{func(in *ducha.AccountabilityInput) { in.Cases = []int64{4242} }, "cases", "关联的交办件4242不存在"},
			{func(in *ducha.AccountabilityInput) { in.Unit = "不存在镇" }, "unit", "单位“不存在镇”不存在"},
			{func(in *ducha.AccountabilityInput) { in.Unit = "" }, "unit", "请填写被问责人所在单位"},
			{func(in *ducha.AccountabilityInput) { in.Form = "罚款" }, "form", "问责方式“罚款”无效"},
			{func(in *ducha.AccountabilityInput) { in.Date = "2026-12-11" }, "date", "不能晚于今天"},
		} {
			x := in
			bad.change(&x)
			_, err := db.CreateAccountability(disc, &x)
			if !hasField(err, bad.field) || !strings.Contains(ducha.ErrorMessage(err), bad.msg) {
				t.Errorf("%s: %v", bad.field, err)
			}
		}
		own, err := db.CreateAccountability(disc, &in)
		if err != nil {
			t.Fatal(err)
		}
		if own.ID == 0 || own.Unit != "永清镇" || own.Form != ducha.FormAdmonition || own.Version != 1 || own.CreatedBy != "discipline" ||
			!slices.Equal(own.Problems, []int64{yqp.ID}) || len(own.Cases) != 0 || !own.CreatedAt.Equal(clock.T) {
			t.Fatalf("created: %+v", own)
		}
		// A 永清镇 person, for a 红堡镇 problem: both units see it.
		cross := record(t, db, f, "李四", "永清镇", "2026-12-08", []int64{hbp.ID}, nil)
		// A department's person on nothing of the townships.
		dept := record(t, db, f, "赵六", "县生态环境局", "2026-12-07", nil, nil)

		for who, want := range map[string][]int64{
			"liaison_yq": {own.ID, cross.ID}, "head_yq": {own.ID, cross.ID}, "liaison_hb": {cross.ID},
			"liaison_sthj": {dept.ID}, "coord": {own.ID, cross.ID, dept.ID}, "leader": {own.ID, cross.ID, dept.ID},
		} {
			as, total, err := db.FindAccountability(storetest.As(f.Users[who]), ducha.AccountabilityFilter{})
			var got []int64
			for _, a := range as {
				got = append(got, a.ID)
			}
			if err != nil || total != len(want) || !slices.Equal(got, want) {
				t.Errorf("%s lists %v (%d), want %v: %v", who, got, total, want, err)
			}
		}
		hb := storetest.As(f.Users["liaison_hb"])
		_, missing := db.FindAccountabilityByID(hb, 999999)
		if ducha.ErrorCode(missing) != ducha.ENOTFOUND {
			t.Fatalf("missing: %v", missing)
		}
		if _, err := db.FindAccountabilityByID(hb, own.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND || ducha.ErrorMessage(err) != ducha.ErrorMessage(missing) {
			t.Errorf("another unit's record: %v", err)
		}
		if _, err := db.FindAccountabilityEvents(hb, own.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("another unit's history: %v", err)
		}
		if got, err := db.FindAccountabilityByID(hb, cross.ID); err != nil || got.Person != "李四" {
			t.Errorf("a record linking the unit's problem: %v", err)
		}
		// The filters.
		if _, total, _ := db.FindAccountability(storetest.As(f.Users["coord"]), ducha.AccountabilityFilter{ProblemID: hbp.ID}); total != 1 {
			t.Errorf("by problem: %d", total)
		}
		if _, total, _ := db.FindAccountability(storetest.As(f.Users["coord"]), ducha.AccountabilityFilter{UnitID: f.Units["永清镇"].ID}); total != 2 {
			t.Errorf("by unit: %d", total)
		}

		// PATCH: the version must be given and current.
		post, form := "镇长", "party_discipline"
		if _, err := db.UpdateAccountability(disc, own.ID, ducha.AccountabilityUpdate{Post: &post}); !hasField(err, "version") {
			t.Errorf("no version: %v", err)
		}
		if _, err := db.UpdateAccountability(disc, own.ID, ducha.AccountabilityUpdate{Version: 5, Post: &post}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("stale: %v", err)
		}
		if _, err := db.UpdateAccountability(storetest.As(f.Users["liaison_yq"]), own.ID, ducha.AccountabilityUpdate{Version: 1, Post: &post}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("a liaison patches: %v", err)
		}
		clock.Add(time.Hour)
		cases := []int64{}
		changed, err := db.UpdateAccountability(disc, own.ID, ducha.AccountabilityUpdate{Version: 1, Post: &post, Form: &form, Problems: &cases})
		if err != nil || changed.Version != 2 || changed.Post != "镇长" || changed.Form != ducha.FormParty || len(changed.Problems) != 0 {
			t.Fatalf("patch: %v %+v", err, changed)
		}
		back, err := db.FindAccountabilityByID(storetest.As(f.Users["liaison_yq"]), own.ID)
		if err != nil || back.Version != 2 || back.Post != "镇长" || len(back.Problems) != 0 || back.CreatedBy != "discipline" {
			t.Fatalf("stored: %v %+v", err, back)
		}
		events, err := db.FindAccountabilityEvents(storetest.As(f.Users["liaison_yq"]), own.ID)
		if err != nil || len(events) != 2 || events[0].Action != "create" || events[0].Note != "诫勉谈话" || events[1].Action != "update" {
			t.Fatalf("events: %v %+v", err, events)
		}
		var diff map[string]json.RawMessage
		_ = json.Unmarshal(events[1].After, &diff)
		if string(diff["post"]) != `"镇长"` || string(diff["form"]) != `"party_discipline"` || len(diff) != 2 {
			t.Errorf("update event: %s / %s", events[1].Before, events[1].After)
		}
		if broken, _, err := db.VerifyChain(storetest.System()); err != nil || broken != 0 {
			t.Fatalf("chain: %d %v", broken, err)
		}
	})
}

// held_accountable counts each person once, as of the report's day
// (docs/decisions/007): measures per case, records as they stood at the
// day's end and dated by it.
func TestHeldAccountableCountsPersonsOnce(t *testing.T) {
	clock := clockAt("2026-12-09")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-09")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", []ducha.BatchRow{
			row(1, "D3SX202612090001", "永清镇", "大气", false), row(2, "D3SX202612090002", "红堡镇", "水", false),
			row(3, "D3SX202612090003", "永清镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		// Case 1: its measures name 2 persons; case 2: 1 person; case 3 none.
		work(t, db, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue, ducha.Measure{Kind: ducha.MeasureHeldAccountable, Persons: 2})
		work(t, db, f, "D3SX202612090002", "红堡镇", "liaison_hb", ducha.VerdictTrue, ducha.Measure{Kind: ducha.MeasureHeldAccountable, Persons: 1})
		c1, _ := db.FindCaseByAcceptanceNo(coord, "D3SX202612090001")
		c2, _ := db.FindCaseByAcceptanceNo(coord, "D3SX202612090002")
		c3, _ := db.FindCaseByAcceptanceNo(coord, "D3SX202612090003")
		held := func(who string, day ducha.Date) int {
			t.Helper()
			r, err := db.DailyReport(storetest.As(f.Users[who]), day)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, "问责") {
				t.Fatalf("text: %s", r.Text)
			}
			return r.Measures.HeldAccountable
		}
		if got := held("coord", "2026-12-09"); got != 3 {
			t.Fatalf("measures only: %d", got)
		}

		clock.Add(24 * time.Hour) // 12-10
		// 王五 for case 1 (its measures' 2 persons include him), 李四 for
		// cases 1 and 2 (counted in case 1), 赵六 twice with no case, 钱七
		// for case 3 (no measure), 孙八 dated tomorrow's eve is not yet.
		record(t, db, f, "王五", "永清镇", "2026-12-09", nil, []int64{c1.ID})
		record(t, db, f, "李四", "永清镇", "2026-12-10", nil, []int64{c2.ID, c1.ID})
		record(t, db, f, "赵六", "永清镇", "2026-12-10", nil, nil)
		zhao := record(t, db, f, "赵 六", "永清镇", "2026-12-10", nil, nil)
		record(t, db, f, "钱七", "红堡镇", "2026-12-10", nil, []int64{c3.ID})
		// case 1: max(2, 王五+李四=2) = 2; case 2: max(1, 0) = 1; case 3:
		// max(0, 1) = 1; no case: 赵六 once = 1. Total 5.
		if got := held("coord", "2026-12-10"); got != 5 {
			t.Fatalf("12-10: %d, want 5", got)
		}
		// As of 12-09, computed on 12-10: the records did not exist at its end.
		if got := held("coord", "2026-12-09"); got != 3 {
			t.Fatalf("12-09 computed later: %d, want 3", got)
		}
		// The unit of 永清镇 sees case 1 (2, 王五 and 李四 in it), its
		// people's 赵六 (1); case 3 is no unit's yet, so 钱七 of 红堡镇 is
		// not its to see. Total 3.
		if got := held("liaison_yq", "2026-12-10"); got != 3 {
			t.Fatalf("永清镇: %d, want 3", got)
		}
		// 红堡镇: case 2 (1) and 李四, whose case 1 is not its own: he
		// belongs to case 2 there, max(1, 1) = 1; 钱七 of its own unit, for
		// a case not its own: 1. Total 2.
		if got := held("liaison_hb", "2026-12-10"); got != 2 {
			t.Fatalf("红堡镇: %d, want 2", got)
		}

		clock.Add(24 * time.Hour) // 12-11
		// 赵 六 turns out to be 钱七 of 红堡镇 for case 3: one person fewer
		// from now on; the report of 12-10 stays.
		person, unit, cases := "钱七", ducha.UnitRef("红堡镇"), []int64{c3.ID}
		if _, err := db.UpdateAccountability(storetest.As(f.Users["discipline"]), zhao.ID,
			ducha.AccountabilityUpdate{Version: 1, Person: &person, Unit: &unit, Cases: &cases}); err != nil {
			t.Fatal(err)
		}
		if got := held("coord", "2026-12-11"); got != 5 {
			t.Fatalf("12-11: %d, want 5 (赵六 still has his first record)", got)
		}
		if got := held("coord", "2026-12-10"); got != 5 {
			t.Fatalf("12-10 after the change: %d, want 5", got)
		}
		// A record dated in the past counts from the day it was written.
		record(t, db, f, "周九", "县生态环境局", "2026-12-09", nil, nil)
		if got, was := held("coord", "2026-12-11"), held("coord", "2026-12-10"); got != 6 || was != 5 {
			t.Fatalf("a record dated back: %d then %d", got, was)
		}
	})
}
