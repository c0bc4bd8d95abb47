package store_test

import (
	"context"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestAttack3ProblemRegisteredInPublicityIsStuck: the status words of a
// ledger (公示中, 销号公示, 公示) and the API's "status":"publicity" make a
// problem 公示中 with no notice on its closure record. No way leads out
// of it: the notice never ends (EndPublicity needs its period), an
// objection needs an open notice, verify needs 待验收, return needs 待验收,
// reopen needs 已销号; and it is on no public page. A new problem should
// not be registered in notice (or should get a notice it can end).
func TestAttack3ProblemRegisteredInPublicityIsStuck(t *testing.T) {
	clock := clockAt("2026-12-10")
	start := clock.T
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = start
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := &ducha.Problem{Source: "自查发现", Description: "永清镇砖厂扬尘", Area: "永清镇", Types: []string{"大气"},
			Status: ducha.StatusPublicity, LeadUnitID: f.Units["永清镇"].ID, Person: "张三", Measures: "围挡", Mode: ducha.ModeTimeBound,
			Deadline: "2026-12-20"}
		err := db.CreateProblem(coord, p)
		if err != nil {
			if ducha.ErrorCode(err) != ducha.EINVALID {
				t.Fatalf("create in publicity: %v (want a field error)", err)
			}
			return // refused: fine
		}
		clock.Add(90 * 24 * time.Hour)
		if _, _, err := db.Supervise(storetest.System(), ducha.Today(clock.T)); err != nil {
			t.Fatalf("supervise: %v", err)
		}
		got, err := db.FindProblemByID(coord, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != ducha.StatusPublicity {
			return // it left the notice: fine
		}
		var errs []string
		for _, in := range []ducha.ProblemAction{
			{Action: ducha.ActVerify}, {Action: ducha.ActObject, Text: "有异议"}, {Action: ducha.ActReturn, Reason: "退回"},
			{Action: ducha.ActReopen, Reason: "反弹"},
		} {
			if _, err := db.ActOnProblem(coord, p.ID, in); err == nil {
				return // some action leads out: fine
			} else {
				errs = append(errs, in.Action+": "+err.Error())
			}
		}
		if _, err := db.FindClosureNotice(context.Background(), p.ID); err == nil {
			return
		}
		t.Errorf("a problem registered 公示中 (closure %+v) stays in publicity 90 days on, on no public page, and no action moves it: %v",
			got.Closure, errs)
	})
}

// TestAttack3LedgerImportInPublicityIsStuck: the same through a ledger
// file whose 状态 column says 公示中 (our own export writes it so for a
// problem in notice: re-imported into another store, it is stuck).
func TestAttack3LedgerImportInPublicityIsStuck(t *testing.T) {
	clock := clockAt("2026-12-10")
	start := clock.T
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.T = start
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		row := ducha.LedgerRow{Row: 3, Problem: &ducha.Problem{Source: "督察反馈", Description: "红堡镇养殖场污水", Area: "红堡镇",
			Types: []string{"水"}, Status: ducha.StatusPublicity, LeadUnit: "红堡镇", Person: "王五", Measures: "截污",
			Mode: ducha.ModeTimeBound, Deadline: "2026-12-31", DeadlineText: "2026-12-31"}}
		if _, err := db.ImportLedger(coord, []ducha.LedgerRow{row}); err != nil {
			if ducha.ErrorCode(err) == ducha.EINVALID || ducha.ErrorCode(err) == ducha.ECONFLICT {
				return // refused with its row: fine
			}
			t.Fatalf("import: %v", err)
		}
		// Imported with no notice, it waits for verification, the file's
		// 公示中 kept on record; the next verify opens a notice of its own.
		ps, _, err := db.FindProblems(coord, ducha.ProblemFilter{Limit: 10, Q: "红堡镇养殖场污水"})
		if err != nil || len(ps) != 1 {
			t.Fatalf("imported: %d %v", len(ps), err)
		}
		p := ps[0]
		if p.Status == ducha.StatusPendingVerification {
			if got, _ := db.FindProblemByID(coord, p.ID); got.Original["status"] != "公示中" {
				t.Errorf("the file's status is not kept: %v", got.Original)
			}
			return
		}
		if p.Closure.Publicity != nil {
			return // imported with a notice: it can end
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActVerify}); err == nil {
			return
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "退回"}); err == nil {
			return
		}
		t.Errorf("an imported 公示中 problem has no notice and no action leads out of it (closure %+v)", p.Closure)
	})
}
