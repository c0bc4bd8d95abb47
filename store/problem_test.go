package store_test

import (
	"context"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// newProblem registers a problem for the unit as the coordinator and plans it.
func newProblem(t *testing.T, db *store.DB, f *storetest.Fixture, unit, desc string, deadline ducha.Date) *ducha.Problem {
	t.Helper()
	ctx := storetest.As(f.Users["coord"])
	p := &ducha.Problem{Source: "自查发现", Description: desc, Area: unit, Types: []string{"大气"}}
	if err := db.CreateProblem(ctx, p); err != nil {
		t.Fatalf("create: %v", err)
	}
	p, err := db.ActOnProblem(ctx, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version,
		LeadUnit: ducha.UnitRef(unit), Person: "张三", Measures: "清理整治", Deadline: deadline,
		ConfirmPastDeadline: true}) // tests plan overdue problems on purpose
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func clockAt(day string) *storetest.Clock {
	t, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", ducha.Location)
	return &storetest.Clock{T: t}
}

func TestProblemLifecycle(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		liaison := storetest.As(f.Users["liaison_yq"])
		p := newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘污染严重", "2026-12-20")
		if p.Code != "QS-2026-0001" || p.Status != ducha.StatusInProgress || p.Version != 2 {
			t.Fatalf("after plan: code %q status %q version %d", p.Code, p.Status, p.Version)
		}
		if p.OriginalDeadline != "2026-12-20" || p.LeadUnit != "永清镇" {
			t.Fatalf("original deadline %q lead %q", p.OriginalDeadline, p.LeadUnit)
		}
		// The liaison reports progress and applies for closure.
		p, err := db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: p.Version, Text: "已停产整顿"})
		if err != nil || p.Progress != "已停产整顿" {
			t.Fatalf("progress: %v %q", err, p.Progress)
		}
		p, err = db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: p.Version, Text: "已完成整改"})
		if err != nil || p.Status != ducha.StatusPendingVerification {
			t.Fatalf("apply closure: %v %q", err, p.Status)
		}
		// A liaison cannot verify; the coordinator returns it, then closes it.
		if _, err := db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Version: p.Version}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("liaison verify: %v", err)
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReturn, Version: p.Version}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("return without reason: %v", err)
		}
		p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReturn, Version: p.Version, Reason: "证据不足"})
		if err != nil || p.Status != ducha.StatusInProgress || p.ReturnReason != "证据不足" {
			t.Fatalf("return: %v %q", err, p.Status)
		}
		p, err = db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: p.Version, Text: "补充了照片"})
		if err != nil {
			t.Fatal(err)
		}
		p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify, Version: p.Version})
		if err != nil || p.Status != ducha.StatusClosed || p.ClosedAt == nil {
			t.Fatalf("verify: %v %q", err, p.Status)
		}
		p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReopen, Version: p.Version, Reason: "群众再次举报"})
		if err != nil || p.Status != ducha.StatusInProgress || p.ReopenCount != 1 || p.ClosedAt != nil {
			t.Fatalf("reopen: %v %+v", err, p)
		}
		events, err := db.FindProblemEvents(liaison, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "plan", "progress", "apply_closure", "return", "apply_closure", "verify", "reopen"}
		if len(actions) != len(want) {
			t.Fatalf("events %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("events %v, want %v", actions, want)
			}
		}
		if events[4].Actor != "coord" || events[4].Note != "证据不足" {
			t.Fatalf("return event: %+v", events[4])
		}
		if string(events[4].Before) != `{"status":"pending_verification"}` ||
			string(events[4].After) != `{"return_reason":"证据不足","status":"in_progress"}` {
			t.Fatalf("return event diff: %s -> %s", events[4].Before, events[4].After)
		}
	})
}

func TestStaleVersionConflicts(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := newProblem(t, db, f, "永清镇", "河道垃圾", "2027-01-31")
		desc := "河道垃圾堆放"
		if _, err := db.UpdateProblem(coord, p.ID, ducha.ProblemUpdate{Version: p.Version, Description: &desc}); err != nil {
			t.Fatal(err)
		}
		other := "被覆盖的描述"
		_, err := db.UpdateProblem(coord, p.ID, ducha.ProblemUpdate{Version: p.Version, Description: &other})
		if ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		_, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: p.Version, Text: "x"})
		if ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("stale action: %v", err)
		}
		got, err := db.FindProblemByID(coord, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Description != desc || got.Version != p.Version+1 || got.Progress != "" {
			t.Fatalf("after conflicts: %q v%d %q", got.Description, got.Version, got.Progress)
		}
		if _, err := db.UpdateProblem(coord, p.ID, ducha.ProblemUpdate{Description: &other}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("update without version: %v", err)
		}
	})
}

func TestUnitScoping(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		yq := newProblem(t, db, f, "永清镇", "永清镇问题", "2027-01-31")
		hb := newProblem(t, db, f, "红堡镇", "红堡镇问题", "2027-01-31")
		// A problem where 红堡镇 only cooperates is visible to it too.
		coord := storetest.As(f.Users["coord"])
		shared := newProblem(t, db, f, "县生态环境局", "两地共同问题", "2027-01-31")
		shared, err := db.ActOnProblem(coord, shared.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: shared.Version, CoopUnits: []ducha.UnitRef{"红堡镇"}})
		if err != nil {
			t.Fatal(err)
		}
		liaison := storetest.As(f.Users["liaison_yq"])
		if _, err := db.FindProblemByID(liaison, hb.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("other unit's problem: %v", err)
		}
		_, missing := db.FindProblemByID(liaison, 999999)
		_, other := db.FindProblemByID(liaison, hb.ID)
		if missing.Error() != other.Error() {
			t.Fatalf("another unit's problem answers %q, a missing one %q", other, missing)
		}
		ps, total, err := db.FindProblems(liaison, ducha.ProblemFilter{})
		if err != nil || total != 1 || len(ps) != 1 || ps[0].ID != yq.ID {
			t.Fatalf("liaison list: %v total %d", err, total)
		}
		// Filtering by another unit finds nothing rather than leaking it.
		if _, total, _ := db.FindProblems(liaison, ducha.ProblemFilter{UnitID: f.Units["红堡镇"].ID}); total != 0 {
			t.Fatalf("liaison filtering by other unit: total %d", total)
		}
		if st, _ := db.CountProblems(liaison, ducha.ProblemFilter{}); st.Total != 1 {
			t.Fatalf("liaison count: %+v", st)
		}
		if _, err := db.FindProblemEvents(liaison, hb.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("other unit's events: %v", err)
		}
		if _, err := db.ActOnProblem(liaison, hb.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: hb.Version, Text: "x"}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("acting on other unit's problem: %v", err)
		}
		hbHead := storetest.As(f.Users["head_hb"])
		_, total, _ = db.FindProblems(hbHead, ducha.ProblemFilter{})
		if total != 2 {
			t.Fatalf("红堡镇 head sees %d problems, want its own and the shared one", total)
		}
		// A cooperating unit reports progress but cannot apply for closure.
		hbLiaison := storetest.As(f.Users["liaison_hb"])
		shared, err = db.ActOnProblem(hbLiaison, shared.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: shared.Version, Text: "配合检查"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(hbLiaison, shared.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: shared.Version, Text: "x"}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("coop unit applying closure: %v", err)
		}
		for _, name := range []string{"leader", "discipline", "coord", "admin"} {
			_, total, err := db.FindProblems(storetest.As(f.Users[name]), ducha.ProblemFilter{})
			if err != nil || total != 3 {
				t.Fatalf("%s sees %d: %v", name, total, err)
			}
		}
		if _, _, err := db.FindProblems(context.Background(), ducha.ProblemFilter{}); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Fatalf("no user: %v", err)
		}
		if err := db.CreateProblem(liaison, &ducha.Problem{Description: "x"}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("liaison registering: %v", err)
		}
		if err := db.CreateProblem(storetest.As(f.Users["leader"]), &ducha.Problem{Description: "x"}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("leader registering: %v", err)
		}
	})
}

func TestExtensionKeepsOriginalDeadline(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		liaison := storetest.As(f.Users["liaison_yq"])
		p := newProblem(t, db, f, "永清镇", "污水直排", "2026-12-12")
		if p.Warning != ducha.WarningYellow {
			t.Fatalf("two days before the deadline: warning %q", p.Warning)
		}
		p, err := db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Version: p.Version, Deadline: "2027-01-31", Reason: "冬季停工"})
		if err != nil || p.Extension == nil {
			t.Fatalf("request: %v", err)
		}
		yes := true
		p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActDecideExtension, Version: p.Version, Approve: &yes})
		if err != nil {
			t.Fatal(err)
		}
		if p.Deadline != "2027-01-31" || p.OriginalDeadline != "2026-12-12" || p.Extension != nil || p.Warning != ducha.WarningNone {
			t.Fatalf("after approval: %q (original %q) ext %v warning %q", p.Deadline, p.OriginalDeadline, p.Extension, p.Warning)
		}
		// Past the deadline no extension can be asked for, and it is overdue.
		clock.Add(60 * 24 * time.Hour)
		got, _ := db.FindProblemByID(liaison, p.ID)
		if !got.Overdue || got.Warning != ducha.WarningRed {
			t.Fatalf("overdue %v warning %q", got.Overdue, got.Warning)
		}
		_, err = db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Version: got.Version, Deadline: "2027-06-30", Reason: "再延期"})
		if ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("late request: %v", err)
		}
	})
}

func TestFiltersAndCounts(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		newProblem(t, db, f, "永清镇", "甲", "2026-12-01") // overdue
		newProblem(t, db, f, "永清镇", "乙", "2026-12-12") // yellow
		newProblem(t, db, f, "红堡镇", "丙", "2027-03-01") // none
		closed := newProblem(t, db, f, "红堡镇", "丁", "2026-11-01")
		closed, _ = db.ActOnProblem(coord, closed.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Version: closed.Version, Text: "完成"})
		if _, err := db.ActOnProblem(coord, closed.ID, ducha.ProblemAction{Action: ducha.ActVerify, Version: closed.Version}); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		cases := []struct {
			name string
			f    ducha.ProblemFilter
			want []string
		}{
			{"overdue", ducha.ProblemFilter{Overdue: &yes}, []string{"甲"}},
			{"not overdue", ducha.ProblemFilter{Overdue: &no}, []string{"丁", "丙", "乙"}},
			{"red", ducha.ProblemFilter{Warning: ducha.WarningRed}, []string{"甲"}},
			{"yellow", ducha.ProblemFilter{Warning: ducha.WarningYellow}, []string{"乙"}},
			{"none", ducha.ProblemFilter{Warning: ducha.WarningNone}, []string{"丁", "丙"}},
			{"unit", ducha.ProblemFilter{UnitID: f.Units["红堡镇"].ID}, []string{"丁", "丙"}},
			{"area", ducha.ProblemFilter{Area: "永清镇"}, []string{"乙", "甲"}},
			{"status", ducha.ProblemFilter{Status: ducha.StatusClosed}, []string{"丁"}},
			{"type", ducha.ProblemFilter{Type: "大气"}, []string{"丁", "丙", "乙", "甲"}},
			{"type none", ducha.ProblemFilter{Type: "水"}, nil},
			{"page", ducha.ProblemFilter{Limit: 2, Offset: 1}, []string{"丙", "乙"}},
		}
		for _, c := range cases {
			ps, total, err := db.FindProblems(coord, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Description)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%s: got %v, want %v", c.name, got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("%s: got %v, want %v", c.name, got, c.want)
				}
			}
			if c.name != "page" && total != len(c.want) {
				t.Fatalf("%s: total %d", c.name, total)
			}
		}
		st, err := db.CountProblems(coord, ducha.ProblemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if st != (ducha.ProblemStats{Total: 4, Closed: 1, InProgress: 3, Overdue: 1}) {
			t.Fatalf("stats %+v", st)
		}
		if _, _, err := db.FindProblems(coord, ducha.ProblemFilter{Warning: "purple"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("bad warning: %v", err)
		}
	})
}

func TestSearch(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		a := &ducha.Problem{Source: "信访交办", Description: "建筑工地扬尘管控不到位，渣土车未密闭运输", Area: "永清镇", Subject: "永清镇宏达建材厂"}
		b := &ducha.Problem{Source: "信访交办", Description: "縣生態(tài)環(huán)境局督办的环保问题：污水直排", Area: "红堡镇", Address: "红堡镇西街"}
		c := &ducha.Problem{Source: "自查发现", Description: "垃圾填埋场渗滤液外溢", Area: "红堡镇"}
		for _, p := range []*ducha.Problem{a, b, c} {
			if err := db.CreateProblem(coord, p); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			q    string
			want []int64
		}{
			{"扬尘", []int64{a.ID}},
			{"揚塵", []int64{a.ID}},     // traditional query, simplified text
			{"环保", []int64{b.ID}},     // two characters
			{"生态环境局", []int64{b.ID}},  // traditional text with pinyin, simplified query
			{"渣土车未密闭", []int64{a.ID}}, // a phrase
			{"yqz", []int64{a.ID}},    // initials of the area
			{"hbz", []int64{c.ID, b.ID}},
			{"西街", []int64{b.ID}}, // address
			{a.Code, []int64{a.ID}},
			{"不存在的词", nil},
		}
		for _, c := range cases {
			ps, total, err := db.FindProblems(coord, ducha.ProblemFilter{Q: c.q})
			if err != nil {
				t.Fatalf("%q: %v", c.q, err)
			}
			if total != len(c.want) || len(ps) != len(c.want) {
				t.Fatalf("%q: total %d, want %v", c.q, total, c.want)
			}
			for i := range ps {
				if ps[i].ID != c.want[i] {
					t.Fatalf("%q: got id %d, want %v", c.q, ps[i].ID, c.want)
				}
			}
		}
		// Search follows edits.
		desc := "秸秆焚烧"
		if _, err := db.UpdateProblem(coord, c.ID, ducha.ProblemUpdate{Version: c.Version, Description: &desc}); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := db.FindProblems(coord, ducha.ProblemFilter{Q: "秸秆"}); total != 1 {
			t.Fatalf("after edit: total %d", total)
		}
		if _, total, _ := db.FindProblems(coord, ducha.ProblemFilter{Q: "渗滤液"}); total != 0 {
			t.Fatalf("old words still found: total %d", total)
		}
	})
}
