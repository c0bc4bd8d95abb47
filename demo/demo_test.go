package demo_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"ducha"
	"ducha/demo"
	"ducha/internal/pgtest"
	"ducha/internal/storetest"
	"ducha/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

const fillProblems = 3000

// fill fills db with n problems in batches of 1000, the default workflow
// sample included, and checks the progress reports.
func fill(t *testing.T, db *store.DB, seed int64, n int) demo.Result {
	t.Helper()
	calls, last := 0, 0
	res, err := demo.Fill(context.Background(), db, demo.Options{
		Problems: n, Seed: seed, Batch: 1000, Password: "demo password",
		Progress: func(done, total int) {
			calls++
			if done < last || done > total {
				t.Errorf("progress %d of %d after %d", done, total, last)
			}
			last = done
		},
	})
	if err != nil {
		t.Fatalf("Fill: %v", err)
	}
	if total := n + min(n, 2000); calls < 3 || last != total {
		t.Errorf("progress called %d times, last %d; want at least 3 calls ending at %d", calls, last, total)
	}
	return res
}

func TestFill(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		res := fill(t, db, 42, fillProblems)
		t.Logf("%s: %d problems, %d actions, %d events in %v (import %.0f problems/s)",
			db.Engine(), res.Problems, res.Actions, res.Events, res.Elapsed, res.Rate())
		ctx := storetest.System()

		if res.Units != 33 || res.UnitsCreated != 33 || res.Problems != fillProblems {
			t.Errorf("units %d (created %d), problems %d; want 33, 33, %d", res.Units, res.UnitsCreated, res.Problems, fillProblems)
		}
		units, err := db.FindUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[ducha.UnitKind]int{}
		for _, u := range units {
			kinds[u.Kind]++
		}
		if len(units) != 33 || kinds[ducha.UnitTownship] != 18 || kinds[ducha.UnitDepartment] != 15 {
			t.Errorf("units: %d, by kind %v; want 18 townships and 15 departments", len(units), kinds)
		}

		st, err := db.CountProblems(ctx, ducha.ProblemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != fillProblems {
			t.Fatalf("CountProblems total %d, want %d", st.Total, fillProblems)
		}
		for _, c := range []struct {
			status string
			n      int
			want   float64
		}{
			{"registered", st.Registered, 15},
			{"in_progress", st.InProgress, 45},
			{"pending_verification", st.PendingVerification, 15},
			{"closed", st.Closed, 25},
		} {
			got := 100 * float64(c.n) / float64(st.Total)
			if got < c.want-8 || got > c.want+8 {
				t.Errorf("%s: %.1f%% of problems, want %.0f%% ± 8", c.status, got, c.want)
			}
		}
		open := st.Total - st.Closed
		overdue := 100 * float64(st.Overdue) / float64(open)
		if overdue < 5 || overdue > 20 {
			t.Errorf("overdue: %d of %d open problems (%.1f%%), want about 10–15%%", st.Overdue, open, overdue)
		}

		for _, q := range []string{"扬尘", "油烟", "环保", "畜禽", "永清镇"} {
			_, n, err := db.FindProblems(ctx, ducha.ProblemFilter{Q: q, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || n >= fillProblems/2 {
				t.Errorf("search %q: %d of %d problems, want some but not most", q, n, fillProblems)
			}
		}

		broken, checked, err := db.VerifyChain(ctx)
		if err != nil || broken != 0 {
			t.Fatalf("VerifyChain: broken at %d, err %v", broken, err)
		}
		if checked != res.Events {
			t.Errorf("chain holds %d events, Fill reports %d", checked, res.Events)
		}

		if res.Skipped != 0 || res.Actions < 2000 {
			t.Errorf("workflow: %d actions, %d skipped (%v); want over 2000 and none skipped", res.Actions, res.Skipped, res.SkipReasons)
		}
		actions, actors := map[string]int{}, map[string]int{}
		for id := int64(1); id <= 600; id++ {
			evs, err := db.FindProblemEvents(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				actions[e.Action]++
				actors[strings.TrimRight(e.Actor, "0123456789")]++
			}
		}
		for _, a := range []string{"import", ducha.ActPlan, ducha.ActProgress, ducha.ActApplyClosure, ducha.ActVerify,
			ducha.ActReturn, ducha.ActRequestExtension, ducha.ActDecideExtension} {
			if actions[a] == 0 {
				t.Errorf("no %q event among the first 600 problems; events by action: %v", a, actions)
			}
		}
		if actors["demo_coord"] == 0 || actors["demo_liaison_"] == 0 {
			t.Errorf("events by actor: %v; want demo_coord and demo liaisons", actors)
		}

		// A second run adds nothing but what it is asked for.
		again, err := demo.Fill(context.Background(), db, demo.Options{Problems: 0, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		if again.UnitsCreated != 0 || again.Events != 0 || len(again.Users) != 0 || again.Password != "" || again.CampaignID != res.CampaignID {
			t.Errorf("second Fill: %+v; want no new units, users, campaign or events", again)
		}
	})
}

// TestFillProblems checks single problems: a registered one has no unit, an
// assigned one has everything a ledger row needs.
func TestFillProblems(t *testing.T) {
	db := storetest.Open(t, "sqlite", store.Options{})
	if _, err := demo.Fill(context.Background(), db, demo.Options{Problems: 500, Seed: 7, Workflow: -1}); err != nil {
		t.Fatal(err)
	}
	ps, _, err := db.FindProblems(storetest.System(), ducha.ProblemFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Source] = true
		if p.Area == "" || !strings.HasSuffix(p.Area, "镇") && !strings.HasSuffix(p.Area, "乡") {
			t.Errorf("%s: area %q is not a township", p.Code, p.Area)
		}
		if len(p.Types) == 0 || p.TypeDetail == "" || p.Industry == "" || !strings.HasSuffix(p.Description, "。") {
			t.Errorf("%s: types %v (%s), industry %q, description %q", p.Code, p.Types, p.TypeDetail, p.Industry, p.Description)
		}
		if p.Status == ducha.StatusRegistered {
			if p.LeadUnit != "" || p.Deadline.Valid() {
				t.Errorf("%s: registered with unit %q, deadline %q", p.Code, p.LeadUnit, p.Deadline)
			}
			continue
		}
		if p.LeadUnit == "" || p.Person == "" || p.Measures == "" || p.Target == "" || !strings.Contains(p.Leader, "县") || p.Progress == "" {
			t.Errorf("%s: assigned but lead %q, person %q, leader %q, measures %q, target %q, progress %q",
				p.Code, p.LeadUnit, p.Person, p.Leader, p.Measures, p.Target, p.Progress)
		}
		for _, c := range p.CoopUnits {
			if c == p.LeadUnit {
				t.Errorf("%s: %s both leads and cooperates", p.Code, c)
			}
		}
		if p.Mode == ducha.ModeTimeBound && !p.Deadline.Valid() {
			t.Errorf("%s: 限时整改 without a deadline", p.Code)
		}
		if p.Status == ducha.StatusClosed && (p.ClosedAt == nil || p.ClosureText == "") {
			t.Errorf("%s: closed without closure", p.Code)
		}
	}
	if len(seen) != len(ducha.ProblemSources) {
		t.Errorf("sources seen: %v, want all of %v", seen, ducha.ProblemSources)
	}
}

// TestFillDeterministic fills two stores with one seed and a third with
// another.
func TestFillDeterministic(t *testing.T) {
	const n = 1200
	first := func(seed int64) []*ducha.Problem {
		db := storetest.Open(t, "sqlite", store.Options{})
		fill(t, db, seed, n)
		// Pages run newest first: the last page holds the first problems.
		ps, _, err := db.FindProblems(storetest.System(), ducha.ProblemFilter{Offset: n - 20, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 20 {
			t.Fatalf("%d problems, want 20", len(ps))
		}
		return ps
	}
	a, b, c := first(99), first(99), first(100)
	same := 0
	for i := range a {
		if a[i].Description != b[i].Description || a[i].Deadline != b[i].Deadline {
			t.Errorf("problem %d: %q (%s) and %q (%s) from the same seed", a[i].ID, a[i].Description, a[i].Deadline, b[i].Description, b[i].Deadline)
		}
		if a[i].Description == c[i].Description {
			same++
		}
	}
	if same > 2 {
		t.Errorf("seeds 99 and 100 share %d of 20 descriptions", same)
	}
}
