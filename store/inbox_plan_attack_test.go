package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ducha"
)

// TestAttackInboxPlans prints SQLite's plan and the time of every query
// the inbox runs, for the liaison of the unit with the most problems and
// for the coordinator, over a store filled with `ducha demo` (set
// DUCHA_ATTACK_DB to its path; skipped otherwise). A plan line "SCAN p"
// or "SCAN c" without an index is a scan of the ledger or of the cases.
func TestAttackInboxPlans(t *testing.T) {
	path := os.Getenv("DUCHA_ATTACK_DB")
	if path == "" {
		t.Skip("DUCHA_ATTACK_DB not set")
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var unit int64
	var most int
	if err := db.reader.QueryRowContext(ctx, `SELECT unit_id, COUNT(*) n FROM problem_units WHERE lead = 1 GROUP BY unit_id ORDER BY n DESC LIMIT 1`).Scan(&unit, &most); err != nil {
		t.Fatal(err)
	}
	t.Logf("unit %d leads %d problems", unit, most)
	plan := func(label, q string, args ...any) {
		rows, err := db.reader.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Errorf("%s: %v", label, err)
			return
		}
		var lines []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			lines = append(lines, detail)
		}
		rows.Close()
		began := time.Now()
		r2, err := db.reader.QueryContext(ctx, q, args...)
		n := 0
		if err == nil {
			for r2.Next() {
				n++
			}
			r2.Close()
		}
		took := time.Since(began)
		scan := false
		for _, l := range lines {
			if (strings.HasPrefix(l, "SCAN p") || strings.HasPrefix(l, "SCAN c")) && !strings.Contains(l, "INDEX") {
				scan = true
			}
		}
		mark := ""
		if scan {
			mark = "  <-- full scan"
		}
		t.Logf("%-28s %8s rows %d%s\n    %s\n      %s", label, took.Round(time.Microsecond), n, mark, q, strings.Join(lines, "\n      "))
	}
	today := ducha.Today(time.Now())
	soon := today.AddDays(3)
	unitCase := ` FROM cases c JOIN case_units cu ON cu.case_id = c.id AND cu.unit_id = ? WHERE `
	openCase := `c.status IN ('assigned', 'investigating')`
	for _, q := range []struct {
		label, sql string
		args       []any
	}{
		{"liaison notice", `SELECT COUNT(*) FROM notices n WHERE n.unit_id = ? AND n.status IN ('issued', 'signed')`, []any{unit}},
		{"liaison returned problems", `SELECT COUNT(*) FROM problems p INDEXED BY problems_returned WHERE p.return_reason <> '' AND p.status = 'in_progress' AND EXISTS (SELECT 1 FROM problem_units pu WHERE pu.problem_id = p.id AND pu.unit_id = ?)`, []any{unit}},
		{"liaison returned cases", `SELECT COUNT(*)` + unitCase + `c.status = 'investigating' AND c.return_reason <> ''`, []any{unit}},
		{"liaison to_sign cases", `SELECT COUNT(*)` + unitCase + openCase + ` AND cu.signed_at IS NULL`, []any{unit}},
		{"liaison overdue cases", `SELECT COUNT(*)` + unitCase + openCase + ` AND c.deadline < ?`, []any{unit, string(today)}},
		{"liaison due_soon cases", `SELECT COUNT(*)` + unitCase + openCase + ` AND c.deadline >= ? AND c.deadline <= ?`, []any{unit, string(today), string(soon)}},
		{"coord notice", `SELECT COUNT(*) FROM notices n WHERE n.status = 'answered'`, nil},
		{"coord to_review", `SELECT COUNT(*) FROM cases c WHERE c.status = 'submitted'`, nil},
		{"coord extension", `SELECT COUNT(*) FROM problems p INDEXED BY problems_extension WHERE p.extension IS NOT NULL`, nil},
		{"coord to_sign", `SELECT COUNT(*) FROM cases c WHERE c.status = 'assigned' AND EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.signed_at IS NULL)`, nil},
		{"coord to_sign list", `SELECT c.id FROM cases c WHERE c.status = 'assigned' AND EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.signed_at IS NULL) ORDER BY c.id DESC LIMIT 20`, nil},
		{"coord to_review list", `SELECT c.id FROM cases c WHERE c.status = 'submitted' ORDER BY c.id DESC LIMIT 20`, nil},
	} {
		plan(q.label, q.sql, q.args...)
	}
	liaison := &ducha.User{ID: -2, Role: ducha.RoleUnitLiaison, UnitID: unit}
	coord := &ducha.User{ID: -1, Role: ducha.RoleCoordinator}
	for _, c := range []struct {
		label string
		u     *ducha.User
		f     ducha.ProblemFilter
	}{
		{"liaison overdue problems", liaison, ducha.ProblemFilter{UnitID: unit, Warning: ducha.WarningRed}},
		{"liaison due_soon problems", liaison, ducha.ProblemFilter{UnitID: unit, Warning: ducha.WarningYellow}},
		{"coord to_verify problems", coord, ducha.ProblemFilter{Status: ducha.StatusPendingVerification}},
	} {
		q := db.problemQuery(c.u, today, c.f)
		plan(c.label+" count", q.count, q.countArgs...)
		plan(c.label+" list", `SELECT p.id FROM problems p WHERE p.id IN (SELECT `+q.key+q.from+q.where+q.order+` LIMIT ?) ORDER BY p.id DESC`, append(q.args, 20)...)
	}
	for _, u := range []*ducha.User{liaison, coord} {
		uctx := ducha.NewContextWithUser(ctx, u)
		for _, countOnly := range []bool{true, false} {
			began := time.Now()
			in, err := db.Inbox(uctx, countOnly)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("Inbox(%s, countOnly %v): %s, total %d, counts %v, items %d", u.Role, countOnly,
				time.Since(began).Round(time.Microsecond), in.Total, in.Counts, len(in.Items))
			if !countOnly {
				byKind := map[string]int{}
				for _, it := range in.Items {
					byKind[it.Kind]++
				}
				for k, n := range byKind {
					if n > in.Counts[k] {
						t.Errorf("%s: %d items listed, %d counted", k, n, in.Counts[k])
					}
				}
				fmt.Fprint(os.Stderr)
			}
		}
	}
}

// TestAttackInboxAtMidnight: the first inboxes of a new day, before the
// tally catches up (tallyFilter: "a new day: counts come from the rows
// until it is done"), over the demo store of DUCHA_ATTACK_DB.
func TestAttackInboxAtMidnight(t *testing.T) {
	path := os.Getenv("DUCHA_ATTACK_DB")
	if path == "" {
		t.Skip("DUCHA_ATTACK_DB not set")
	}
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	db, err := Open(ctx, path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var unit int64
	if err := db.reader.QueryRowContext(ctx, `SELECT unit_id FROM problem_units WHERE lead = 1 GROUP BY unit_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	uctx := ducha.NewContextWithUser(ctx, &ducha.User{ID: -2, Role: ducha.RoleUnitLiaison, UnitID: unit})
	y, m, d := time.Now().In(ducha.Location).Date()
	mu.Lock()
	now = time.Date(y, m, d+1, 0, 0, 1, 0, ducha.Location)
	mu.Unlock()
	for i := range 5 {
		began := time.Now()
		in, err := db.Inbox(uctx, true)
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(began)
		t.Logf("inbox count #%d just after midnight: %s (total %d)", i+1, took.Round(time.Millisecond), in.Total)
		if took > 2*time.Second {
			t.Errorf("a liaison's header count took %s after midnight", took.Round(time.Millisecond))
		}
	}
}
