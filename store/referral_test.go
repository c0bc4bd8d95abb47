package store_test

import (
	"fmt"
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// referralLog records what ReferralPack streams, one line a row.
type referralLog struct{ lines []string }

func (l *referralLog) add(f string, args ...any) error {
	l.lines = append(l.lines, fmt.Sprintf(f, args...))
	return nil
}
func (l *referralLog) Start(u *ducha.Unit) error      { return l.add("unit %s", u.Name) }
func (l *referralLog) Problem(p *ducha.Problem) error { return l.add("problem %s", p.Description) }
func (l *referralLog) Case(c *ducha.Case) error       { return l.add("case %s %v", c.AcceptanceNo, c.Units) }
func (l *referralLog) Notice(n *ducha.Notice) error   { return l.add("notice %s", n.No) }
func (l *referralLog) Event(k, label string, e *ducha.Event) error {
	return l.add("event %s %s %s", k, label, e.Action)
}
func (l *referralLog) Accountability(a *ducha.Accountability) error {
	return l.add("accountability %s %v", a.Person, a.Problems)
}

// The pack holds the unit's items only, kind after kind, then their
// histories; only discipline and the administrator may take it.
func TestReferralPack(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-08")
		newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08")
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", []ducha.BatchRow{row(1, "X3SX202612090001", "红堡镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		act(t, db, coord, "X3SX202612090001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"县生态环境局", "红堡镇"}})
		issued, _ := supervise(t, db, coord, "2026-12-10")
		var no string
		for _, n := range issued {
			if n.ProblemID == p.ID {
				no = n.No
			}
		}
		record(t, db, f, "李四", "永清镇", "2026-12-09", []int64{p.ID}, nil) // another unit's person, on 红堡镇's problem
		record(t, db, f, "王五", "永清镇", "2026-12-09", nil, nil)

		for _, who := range []string{"coord", "leader", "liaison_hb"} {
			if _, err := db.ReferralPack(storetest.As(f.Users[who]), "红堡镇", &referralLog{}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s: %v", who, err)
			}
		}
		if _, err := db.ReferralPack(storetest.As(f.Users["discipline"]), "无此镇", &referralLog{}); !hasField(err, "unit") {
			t.Errorf("a missing unit: %v", err)
		}
		var log referralLog
		u, err := db.ReferralPack(storetest.As(f.Users["discipline"]), "红堡镇", &log)
		if err != nil || u.Name != "红堡镇" {
			t.Fatalf("pack: %v %+v", err, u)
		}
		want := []string{
			"unit 红堡镇",
			"problem 养殖场污水",
			"case X3SX202612090001 [县生态环境局 红堡镇]",
			"notice " + no,
			fmt.Sprintf("accountability 李四 [%d]", p.ID),
			"event problem QS-2026-0001 create", "event problem QS-2026-0001 plan",
			"event case X3SX202612090001 import", "event case X3SX202612090001 assign",
			"event notice " + no + " issue",
			"event accountability 李四 2026-12-09 create",
		}
		if !slices.Equal(log.lines, want) {
			t.Fatalf("pack:\n%q\nwant\n%q", log.lines, want)
		}
	})
}
