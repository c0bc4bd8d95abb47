package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

var _ ducha.NoticeService = (*store.DB)(nil)

// supervise runs a pass as ctx's user and fails the test on an error.
func supervise(t *testing.T, db *store.DB, ctx context.Context, day ducha.Date) ([]*ducha.Notice, int) {
	t.Helper()
	issued, closed, err := db.Supervise(ctx, day)
	if err != nil {
		t.Fatalf("supervise %s: %v", day, err)
	}
	return issued, closed
}

// allNotices lists every notice, oldest first.
func allNotices(t *testing.T, db *store.DB) []*ducha.Notice {
	t.Helper()
	ns, total, err := db.FindNotices(storetest.System(), ducha.NoticeFilter{})
	if err != nil || total != len(ns) {
		t.Fatalf("all notices: %d of %d, %v", len(ns), total, err)
	}
	slices.Reverse(ns)
	return ns
}

func numbers(ns []*ducha.Notice) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.No)
	}
	return out
}

// A red problem gets a 催办 the day after its deadline and a 督办 three
// days later; a pass run again, or after the store is closed and opened
// again, issues nothing twice.
func TestSuperviseEscalatesOnce(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			clock := clockAt("2026-12-10")
			opts := store.Options{Now: clock.Now}
			db := storetest.Open(t, engine, opts)
			f := storetest.Seed(t, db)
			coord := storetest.As(f.Users["coord"])
			p := newProblem(t, db, f, "永清镇", "永清镇砖厂露天堆放原料造成扬尘污染，周边群众反映强烈", "2026-12-09")
			newProblem(t, db, f, "红堡镇", "红堡镇养殖场污水", "2026-12-31") // not red: nothing

			issued, closed := supervise(t, db, coord, "2026-12-10")
			if len(issued) != 1 || closed != 0 {
				t.Fatalf("day D: issued %d, closed %d", len(issued), closed)
			}
			n := issued[0]
			if n.No != "清催办〔2026〕1号" || n.Kind != ducha.NoticeReminder || n.ProblemID != p.ID || n.CaseID != 0 ||
				n.Unit != "永清镇" || n.UnitID != f.Units["永清镇"].ID || n.IssuedBy != ducha.NoticeByRules ||
				n.Due != "2026-12-12" || n.Status != ducha.NoticeIssued || n.Reason != "逾期1天" || n.Version != 1 ||
				!n.IssuedAt.Equal(clock.T) {
				t.Fatalf("reminder: %+v", n)
			}
			if !strings.Contains(n.Text, p.Code+"（永清镇砖厂露天堆放原料造成扬尘污染，周边…）") || !strings.Contains(n.Text, "2026-12-12前") {
				t.Errorf("reminder text: %s", n.Text)
			}
			if got, err := db.FindNoticeByID(coord, n.ID); err != nil || !sameNotice(got, n) {
				t.Errorf("stored reminder:\n%+v\n%+v (%v)", got, n, err)
			}
			if issued, _ := supervise(t, db, coord, "2026-12-10"); len(issued) != 0 {
				t.Fatalf("the same day again issued %v", numbers(issued))
			}

			// The server restarts: the store is closed and opened again.
			db.Close()
			clock.Add(24 * 60 * 60 * 1e9)
			db, err := store.Open(context.Background(), db.DSN(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, day := range []ducha.Date{"2026-12-10", "2026-12-11"} {
				if issued, closed := supervise(t, db, coord, day); len(issued) != 0 || closed != 0 {
					t.Fatalf("after the restart, %s: issued %v, closed %d", day, numbers(issued), closed)
				}
			}
			issued, _ = supervise(t, db, storetest.System(), "2026-12-13")
			if len(issued) != 1 || issued[0].No != "清督办〔2026〕1号" || issued[0].Kind != ducha.NoticeSupervision ||
				issued[0].Reason != "逾期4天，催办单逾期未答复" || issued[0].Due != "2026-12-15" {
				t.Fatalf("three days later: %+v", issued)
			}
			if issued, _ := supervise(t, db, coord, "2026-12-13"); len(issued) != 0 {
				t.Fatalf("the 督办 again: %v", numbers(issued))
			}
			if got := numbers(allNotices(t, db)); !slices.Equal(got, []string{"清催办〔2026〕1号", "清督办〔2026〕1号"}) {
				t.Fatalf("notices on file: %v", got)
			}
			events, err := db.FindNoticeEvents(coord, issued[0].ID)
			if err != nil || len(events) != 1 || events[0].Action != "issue" || events[0].Actor != "system" ||
				events[0].Note != issued[0].Reason || !strings.Contains(string(events[0].After), `"issued_by":"rules"`) {
				t.Fatalf("issue event: %v %+v", err, events)
			}
			if broken, _, err := db.VerifyChain(storetest.System()); err != nil || broken != 0 {
				t.Fatalf("chain: broken at %d, %v", broken, err)
			}
		})
	}
}

// Who may run a pass, and what it refuses.
func TestSupervisePermissions(t *testing.T) {
	storetest.Each(t, store.Options{Now: clockAt("2026-12-10").Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		newProblem(t, db, f, "永清镇", "扬尘", "2026-12-01")
		for _, name := range []string{"liaison_yq", "head_yq", "leader", "discipline"} {
			if _, _, err := db.Supervise(storetest.As(f.Users[name]), "2026-12-10"); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s runs a pass: %v", name, err)
			}
		}
		if _, _, err := db.Supervise(context.Background(), "2026-12-10"); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("nobody runs a pass: %v", err)
		}
		if _, _, err := db.Supervise(storetest.System(), "2026-13-01"); !hasField(err, "date") {
			t.Errorf("a wrong date: %v", err)
		}
		if got := len(allNotices(t, db)); got != 0 {
			t.Fatalf("refused passes wrote %d notices", got)
		}
		// No date is today (2026-12-10): nine days red, a 挂牌督办 alone.
		issued, _ := supervise(t, db, storetest.As(f.Users["admin"]), "")
		if len(issued) != 1 || issued[0].No != "清挂牌督办〔2026〕1号" {
			t.Fatalf("admin's pass for today: %+v", issued)
		}
	})
}

// Two passes at once, from two stores opened on one database (two
// instances, or the CLI next to the server), issue each notice once, and
// the numbers have neither duplicates nor gaps.
func TestSuperviseConcurrentPasses(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			clock := clockAt("2026-12-10")
			a := storetest.Open(t, engine, store.Options{Now: clock.Now})
			f := storetest.Seed(t, a)
			const problems = 24
			for i := range problems {
				unit := []string{"永清镇", "红堡镇", "县生态环境局"}[i%3]
				newProblem(t, a, f, unit, fmt.Sprintf("问题%d", i), "2026-12-09")
			}
			b, err := store.Open(context.Background(), a.DSN(), store.Options{Now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			coord := storetest.As(f.Users["coord"])
			race := func(day ducha.Date) int {
				var wg sync.WaitGroup
				var mu sync.Mutex
				var errs []error
				n := 0
				for _, db := range []*store.DB{a, b, a, b} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						issued, _, err := db.Supervise(coord, day)
						mu.Lock()
						defer mu.Unlock()
						n += len(issued)
						if err != nil {
							errs = append(errs, err)
						}
					}()
				}
				wg.Wait()
				if len(errs) > 0 {
					t.Fatalf("%s: %v", day, errs)
				}
				return n
			}
			if n := race("2026-12-10"); n != problems {
				t.Fatalf("day D: the passes say they issued %d, want %d", n, problems)
			}
			if n := race("2026-12-13"); n != problems {
				t.Fatalf("three days later: the passes say they issued %d, want %d", n, problems)
			}
			ns := allNotices(t, a)
			if len(ns) != 2*problems {
				t.Fatalf("%d notices on file, want %d", len(ns), 2*problems)
			}
			seen := map[string]bool{}
			perItem := map[string]int{}
			for _, n := range ns {
				if seen[n.No] {
					t.Fatalf("number %s twice", n.No)
				}
				seen[n.No] = true
				perItem[fmt.Sprintf("%d/%s", n.ProblemID, n.Kind)]++
			}
			for i := 1; i <= problems; i++ {
				for _, no := range []string{fmt.Sprintf("清催办〔2026〕%d号", i), fmt.Sprintf("清督办〔2026〕%d号", i)} {
					if !seen[no] {
						t.Fatalf("number %s missing: %v", no, numbers(ns))
					}
				}
			}
			if len(perItem) != 2*problems {
				t.Fatalf("items and levels: %v", perItem)
			}
			if broken, _, err := a.VerifyChain(storetest.System()); err != nil || broken != 0 {
				t.Fatalf("chain: broken at %d, %v", broken, err)
			}
		})
	}
}

// A problem closed (verify) and a case accepted close their open notices
// in their own transaction, with an event each, and only once; a notice
// left open by some other path is closed by the pass's sweep (Supervise),
// not by the quick pass.
func TestSuperviseClosesNoticesOfClosedItems(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		liaison := storetest.As(f.Users["liaison_yq"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-07")
		if _, err := db.ImportBatch(coord, 1, "2026-12-01", "b1.xlsx", []ducha.BatchRow{row(1, "D3SX202612010001", "永清镇", "大气", false)}); err != nil {
			t.Fatal(err)
		}
		c := act(t, db, coord, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇", "红堡镇"}, Deadline: "2026-12-05"})
		issued, _ := supervise(t, db, coord, "2026-12-10")
		if len(issued) != 2 {
			t.Fatalf("issued %v", numbers(issued))
		}
		// Cases sort before problems (by item kind, then id); the case's
		// notice goes to its first unit.
		if issued[1].ProblemID != p.ID || issued[0].CaseID != c.ID || issued[0].Unit != "永清镇" || issued[0].ProblemID != 0 ||
			issued[0].No != "清督办〔2026〕1号" || issued[1].No != "清督办〔2026〕2号" ||
			!strings.Contains(issued[0].Text, "D3SX202612010001（群众反映永清镇某企业污染环境D3SX20…）") {
			t.Fatalf("issued %+v\n%+v", issued[0], issued[1])
		}
		problemNotice := issued[1].ID
		// The liaison answers the problem's notice; the problem is closed.
		if _, err := db.ActOnNotice(liaison, issued[1].ID, ducha.NoticeActAnswer, 0, "已完成整改"); err != nil {
			t.Fatal(err)
		}
		listed := &ducha.Notice{Kind: ducha.NoticeListed, ProblemID: p.ID, Text: "挂牌督办：限期完成整改"}
		if err := db.IssueNotice(coord, listed); err != nil {
			t.Fatal(err)
		}
		p, err := db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成整改"})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify}); err != nil || p.Status != ducha.StatusClosed {
			t.Fatalf("verify: %v %v", err, p.Status)
		}
		issued, closed := supervise(t, db, coord, "2026-12-11")
		if len(issued) != 0 || closed != 0 {
			t.Fatalf("after the problem's closing: issued %v, closed %d", numbers(issued), closed)
		}
		n, err := db.FindNoticeByID(coord, problemNotice)
		if err != nil || n.Status != ducha.NoticeClosed || n.CloseNote != "问题已销号，督办单随之关闭" || n.ClosedBy != "" ||
			n.ClosedAt == nil || n.Answer != "已完成整改" || n.Version != 3 {
			t.Fatalf("the problem's notice: %v %+v", err, n)
		}
		events, _ := db.FindNoticeEvents(coord, n.ID)
		if len(events) != 3 || events[2].Action != "close" || events[2].Note != n.CloseNote ||
			string(events[2].Before) != `{"status":"answered"}` {
			t.Fatalf("events: %+v", events)
		}

		// The case is worked and accepted: its notice closes at the next pass.
		act(t, db, liaison, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActSign})
		hb := storetest.As(f.Users["liaison_hb"])
		act(t, db, hb, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActSign})
		act(t, db, liaison, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经查属实", Verdict: ducha.VerdictTrue, Handling: "已责令整改"})
		act(t, db, hb, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经查属实", Verdict: ducha.VerdictTrue, Handling: "已责令整改"})
		if c = act(t, db, coord, "D3SX202612010001", ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseStageClosed}); c.Status != ducha.CaseStageClosed {
			t.Fatalf("accept: %s", c.Status)
		}
		ns, _, _ := db.FindNotices(coord, ducha.NoticeFilter{CaseID: c.ID})
		if len(ns) != 1 || ns[0].Status != ducha.NoticeClosed || ns[0].CloseNote != "交办件已办结，督办单随之关闭" {
			t.Fatalf("the case's notice: %+v", ns)
		}
		// A listed notice left open with its item closed (closed before
		// items closed their notices): the quick pass leaves it, the sweep
		// closes it.
		if err := store.ReopenNotice(db, listed.ID); err != nil {
			t.Fatal(err)
		}
		if issued, closed, err := db.SuperviseQuick(coord, "2026-12-12"); err != nil || len(issued) != 0 || closed != 0 {
			t.Fatalf("quick pass: issued %v, closed %d, %v", numbers(issued), closed, err)
		}
		if issued, closed := supervise(t, db, coord, "2026-12-12"); len(issued) != 0 || closed != 1 {
			t.Fatalf("the sweep: issued %v, closed %d", numbers(issued), closed)
		}
		// Nothing more to do, whenever the pass runs.
		if issued, closed := supervise(t, db, coord, "2026-12-31"); len(issued) != 0 || closed != 0 {
			t.Fatalf("later: issued %v, closed %d", numbers(issued), closed)
		}
	})
}

// Rules stored on a campaign round-trip and are what the pass applies, each
// item by its own campaign's.
func TestCampaignRulesDriveThePass(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			clock := clockAt("2026-12-10")
			db := storetest.Open(t, engine, store.Options{Now: clock.Now})
			dsn := db.DSN()
			f := storetest.Seed(t, db)
			admin, coord := storetest.As(f.Users["admin"]), storetest.As(f.Users["coord"])
			c := f.Campaign
			if got, _ := db.FindCampaignByID(coord, c.ID); got == nil || !equalRules(got.Rules, ducha.DefaultRules()) {
				t.Fatalf("a new campaign's rules: %+v", got)
			}
			for _, bad := range []struct {
				edit  func(r *ducha.Rules)
				field string
			}{
				{func(r *ducha.Rules) { r.ListedAfterDays = r.SupervisionAfterDays }, "listed_after_days"},
				{func(r *ducha.Rules) { r.SupervisionAfterDays = 0 }, "supervision_after_days"},
				{func(r *ducha.Rules) { r.QuietHours = "22点" }, "quiet_hours"},
				{func(r *ducha.Rules) { r.ClosureLevels = nil }, "closure_levels"},
				{func(r *ducha.Rules) { *r = ducha.Rules{} }, "rules"},
			} {
				r := ducha.DefaultRules()
				bad.edit(&r)
				if _, err := db.UpdateCampaign(admin, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &r}); !hasField(err, bad.field) {
					t.Errorf("%s: %v", bad.field, err)
				}
			}
			rules := ducha.DefaultRules()
			rules.ReminderOnRed, rules.SupervisionAfterDays, rules.ListedAfterDays = false, 5, 9
			rules.ClosureLevels = []string{" 县级", "市级"}
			got, err := db.UpdateCampaign(admin, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules})
			if err != nil || got.Version != c.Version+1 || got.Rules.SupervisionAfterDays != 5 || !slices.Equal(got.Rules.ClosureLevels, []string{"县级", "市级"}) {
				t.Fatalf("update rules: %v %+v", err, got)
			}
			back, err := db.FindCampaignByID(coord, c.ID)
			if err != nil || !equalRules(back.Rules, got.Rules) {
				t.Fatalf("stored rules: %v %+v", err, back)
			}
			if list, _ := db.FindCampaigns(admin); len(list) != 1 || list[0].Rules.ListedAfterDays != 9 {
				t.Fatalf("campaign list: %+v", list)
			}

			// A rules object an older version wrote, without most keys:
			// they keep their defaults.
			raw := rawDB(t, engine, dsn)
			if _, err := raw.Exec(rebind(engine, `UPDATE campaigns SET rules = ? WHERE id = ?`), `{"supervision_after_days":4,"listed_after_days":8}`, c.ID); err != nil {
				t.Fatal(err)
			}
			back, _ = db.FindCampaignByID(coord, c.ID)
			want := ducha.DefaultRules()
			want.SupervisionAfterDays, want.ListedAfterDays = 4, 8
			if !equalRules(back.Rules, want) {
				t.Fatalf("partial rules read as %+v", back.Rules)
			}
			stored, _ := json.Marshal(got.Rules)
			if _, err := raw.Exec(rebind(engine, `UPDATE campaigns SET rules = ? WHERE id = ?`), string(stored), c.ID); err != nil {
				t.Fatal(err)
			}
			if back, _ = db.FindCampaignByID(coord, c.ID); !equalRules(back.Rules, got.Rules) {
				t.Fatalf("rules written back: %+v", back.Rules)
			}

			// A problem of this campaign, and one of a newer campaign with
			// rules of its own.
			old := newProblem(t, db, f, "永清镇", "旧轮次的问题", "2026-12-01")
			newer := &ducha.Campaign{Name: "第四轮", Rules: ducha.DefaultRules()}
			newer.Rules.SupervisionAfterDays, newer.Rules.ListedAfterDays = 1, 2
			if err := db.CreateCampaign(admin, newer); err != nil {
				t.Fatal(err)
			}
			fresh := newProblem(t, db, f, "红堡镇", "新轮次的问题", "2026-12-01")
			if fresh.CampaignID != newer.ID || old.CampaignID != c.ID {
				t.Fatalf("campaigns %d %d", old.CampaignID, fresh.CampaignID)
			}
			// The newer campaign's problem is listed after two days red; the
			// older one's gets no 催办 and its 督办 after five days.
			for _, step := range []struct {
				day  ducha.Date
				want []string
			}{
				{"2026-12-03", []string{"清挂牌督办〔2026〕1号"}},
				{"2026-12-05", []string{}},
				{"2026-12-06", []string{"清督办〔2026〕1号"}},
				{"2026-12-10", []string{"清挂牌督办〔2026〕2号"}},
			} {
				issued, _ := supervise(t, db, coord, step.day)
				if got := numbers(issued); !slices.Equal(got, step.want) {
					t.Fatalf("%s: issued %v, want %v", step.day, got, step.want)
				}
			}
			ns := allNotices(t, db)
			if len(ns) != 3 || ns[0].ProblemID != fresh.ID || ns[1].ProblemID != old.ID || ns[2].ProblemID != old.ID {
				t.Fatalf("notices: %+v", ns)
			}
		})
	}
}

func equalRules(a, b ducha.Rules) bool {
	return rulesText(a) == rulesText(b)
}

func rulesText(r ducha.Rules) string {
	return fmt.Sprintf("%+v", r)
}

// TestSuperviseSkipsItemsWithTheCoordinator: a problem whose unit applied
// for closure waits for the coordinator to verify it; its days past the
// deadline are not the unit's, and the pass issues it nothing until it is
// returned.
func TestSuperviseSkipsItemsWithTheCoordinator(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		liaison := storetest.As(f.Users["liaison_yq"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-07")
		if _, err := db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已完成整改"}); err != nil {
			t.Fatal(err)
		}
		if issued, _ := supervise(t, db, coord, "2026-12-10"); len(issued) != 0 {
			t.Fatalf("pending verification, issued %v", numbers(issued))
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "证据不足"}); err != nil {
			t.Fatal(err)
		}
		if issued, _ := supervise(t, db, coord, "2026-12-10"); len(issued) != 1 || issued[0].ProblemID != p.ID || issued[0].Kind != ducha.NoticeSupervision {
			t.Fatalf("returned, issued %+v", issued)
		}
	})
}

// What changes between a pass's plan and its writes counts: a deadline
// moved meanwhile (no longer overdue) gets no notice, an item closed
// meanwhile none either, and the others are issued as planned.
func TestPassDecidesAgainUnderTheLock(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq := storetest.As(f.Users["liaison_yq"])
		extended := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08")
		closed := newProblem(t, db, f, "永清镇", "河道垃圾", "2026-12-08")
		kept := newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-08")
		store.AfterPlan(db, func() {
			store.AfterPlan(db, nil)
			if _, err := db.ActOnProblem(coord, extended.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: extended.Version,
				LeadUnit: "永清镇", Person: "张三", Measures: "清理整治", Deadline: "2026-12-31"}); err != nil {
				t.Fatal(err)
			}
			c, err := db.ActOnProblem(yq, closed.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure, Text: "已清理", Version: closed.Version})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ActOnProblem(coord, c.ID, ducha.ProblemAction{Action: ducha.ActVerify, Text: "验收合格", Version: c.Version}); err != nil {
				t.Fatal(err)
			}
		})
		issued, _ := supervise(t, db, coord, "2026-12-10")
		if len(issued) != 1 || issued[0].ProblemID != kept.ID {
			t.Fatalf("issued %+v, want only %s's", issued, kept.Code)
		}
	})
}
