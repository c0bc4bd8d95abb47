package store_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// A notice is its unit's: another unit's liaison cannot see it, list it,
// read its history or act on it, and is answered exactly as for a notice
// that does not exist. The unit signs for it and answers it, the
// coordinator closes it; each step checks the version and leaves an event.
func TestNoticeScopeAndActions(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq, head := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["head_yq"])
		hb := storetest.As(f.Users["liaison_hb"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-09")
		newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-08")
		issued, _ := supervise(t, db, coord, "2026-12-10")
		if len(issued) != 2 {
			t.Fatalf("issued %+v", issued)
		}
		n := issued[0]
		if n.ProblemID != p.ID {
			n = issued[1]
		}

		_, missing := db.FindNoticeByID(hb, 999999)
		if ducha.ErrorCode(missing) != ducha.ENOTFOUND {
			t.Fatalf("a missing notice: %v", missing)
		}
		if _, err := db.FindNoticeByID(hb, n.ID); ducha.ErrorMessage(err) != ducha.ErrorMessage(missing) || ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("another unit's notice: %v", err)
		}
		if _, err := db.FindNoticeEvents(hb, n.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("another unit's notice's history: %v", err)
		}
		for _, action := range ducha.NoticeActions {
			if _, err := db.ActOnNotice(hb, n.ID, action, 0, "答复"); ducha.ErrorMessage(err) != ducha.ErrorMessage(missing) {
				t.Errorf("another unit's liaison does %s: %v", action, err)
			}
		}
		for who, want := range map[string]int{"liaison_yq": 1, "head_yq": 1, "liaison_hb": 1, "liaison_sthj": 0, "coord": 2, "leader": 2} {
			ns, total, err := db.FindNotices(storetest.As(f.Users[who]), ducha.NoticeFilter{})
			if err != nil || total != want || len(ns) != want {
				t.Errorf("%s lists %d (%d), want %d: %v", who, len(ns), total, want, err)
			}
			for _, m := range ns {
				if u := f.Users[who]; u.Role.UnitScoped() && m.UnitID != u.UnitID {
					t.Errorf("%s sees %s of unit %d", who, m.No, m.UnitID)
				}
			}
		}
		// Asking for another unit's notices by filter finds none either.
		if _, total, _ := db.FindNotices(hb, ducha.NoticeFilter{UnitID: f.Units["永清镇"].ID}); total != 0 {
			t.Errorf("another unit by filter: %d", total)
		}
		if _, total, _ := db.FindNotices(hb, ducha.NoticeFilter{ProblemID: p.ID}); total != 0 {
			t.Errorf("another unit's problem by filter: %d", total)
		}

		// Signing: the unit's liaison, not the coordinator, once.
		if _, err := db.ActOnNotice(coord, n.ID, ducha.NoticeActSign, n.Version, ""); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("the coordinator signs: %v", err)
		}
		clock.Add(3600e9)
		signed, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActSign, 1, "")
		if err != nil || signed.Status != ducha.NoticeSigned || signed.Version != 2 || signed.SignedAt == nil ||
			!signed.SignedAt.Equal(clock.T) || signed.SignedBy != "liaison_yq" {
			t.Fatalf("sign: %v %+v", err, signed)
		}
		if _, err := db.ActOnNotice(head, n.ID, ducha.NoticeActSign, 0, ""); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("signed twice: %v", err)
		}
		// Answering: a stale version conflicts, an empty text is refused naming it.
		if _, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActAnswer, 1, "已整改"); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("answer on a stale version: %v", err)
		}
		if _, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActAnswer, 2, "  "); !hasField(err, "text") {
			t.Errorf("answer without text: %v", err)
		}
		if _, err := db.ActOnNotice(yq, n.ID, "approve", 2, ""); !hasField(err, "action") {
			t.Errorf("an unknown action: %v", err)
		}
		answered, err := db.ActOnNotice(head, n.ID, ducha.NoticeActAnswer, 2, " 已停产整治，完成覆盖 ")
		if err != nil || answered.Status != ducha.NoticeAnswered || answered.Answer != "已停产整治，完成覆盖" || answered.Version != 3 ||
			answered.AnsweredBy != "head_yq" || answered.SignedBy != "liaison_yq" || answered.AnsweredAt == nil {
			t.Fatalf("answer: %v %+v", err, answered)
		}
		if _, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActAnswer, 0, "再答复"); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("answered twice: %v", err)
		}
		// Closing: the coordinator only; version 0 takes the notice as it is.
		if _, err := db.ActOnNotice(yq, n.ID, ducha.NoticeActClose, 3, ""); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("the liaison closes: %v", err)
		}
		closed, err := db.ActOnNotice(coord, n.ID, ducha.NoticeActClose, 0, "答复属实")
		if err != nil || closed.Status != ducha.NoticeClosed || closed.Version != 4 || closed.ClosedBy != "coord" || closed.CloseNote != "答复属实" {
			t.Fatalf("close: %v %+v", err, closed)
		}
		if _, err := db.ActOnNotice(coord, n.ID, ducha.NoticeActClose, 0, ""); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("closed twice: %v", err)
		}
		back, err := db.FindNoticeByID(yq, n.ID)
		if err != nil || !sameNotice(back, closed) {
			t.Fatalf("stored:\n%+v\n%+v (%v)", back, closed, err)
		}
		events, err := db.FindNoticeEvents(yq, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			got = append(got, e.Action+" "+e.Actor+" "+e.Note)
		}
		want := []string{"issue coord 逾期1天", "sign liaison_yq ", "answer head_yq 已停产整治，完成覆盖", "close coord 答复属实"}
		if !slices.Equal(got, want) {
			t.Fatalf("events %q, want %q", got, want)
		}
		at, _ := json.Marshal(closed.SignedAt)
		if string(events[1].After) != `{"signed_at":`+string(at)+`,"status":"signed"}` {
			t.Errorf("sign event: %s", events[1].After)
		}

		// The filters.
		for _, c := range []struct {
			f    ducha.NoticeFilter
			want int
		}{
			{ducha.NoticeFilter{Status: ducha.NoticeClosed}, 1},
			{ducha.NoticeFilter{Status: ducha.NoticeIssued}, 1},
			{ducha.NoticeFilter{Kind: ducha.NoticeReminder}, 2},
			{ducha.NoticeFilter{Kind: ducha.NoticeListed}, 0},
			{ducha.NoticeFilter{UnitID: f.Units["红堡镇"].ID}, 1},
			{ducha.NoticeFilter{ProblemID: p.ID}, 1},
			{ducha.NoticeFilter{CaseID: p.ID}, 0},
			{ducha.NoticeFilter{Limit: 1}, 2},
		} {
			ns, total, err := db.FindNotices(coord, c.f)
			page := c.want
			if c.f.Limit > 0 {
				page = min(page, c.f.Limit)
			}
			if err != nil || total != c.want || len(ns) != page {
				t.Errorf("%+v: %d of %d, want %d (%v)", c.f, len(ns), total, c.want, err)
			}
		}
		if ns, _, _ := db.FindNotices(coord, ducha.NoticeFilter{}); len(ns) != 2 || ns[0].ID < ns[1].ID {
			t.Errorf("not newest first: %+v", ns)
		}
		if _, _, err := db.FindNotices(coord, ducha.NoticeFilter{Status: "open"}); !hasField(err, "status") {
			t.Errorf("a wrong status: %v", err)
		}
	})
}

// The coordinator issues a notice by hand; the rules then issue nothing at
// that level or below, and a second notice of the same item and kind is
// refused.
func TestIssueNoticeByHand(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now, NoticePrefix: "永"}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := newProblem(t, db, f, "红堡镇", "养殖场污水直排", "2026-12-09")
		for _, bad := range []struct {
			n     ducha.Notice
			field string
		}{
			{ducha.Notice{Kind: ducha.NoticeSupervision, Text: "请整改"}, "problem"},
			{ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, CaseID: 1, Text: "请整改"}, "case"},
			{ducha.Notice{Kind: "urgent", ProblemID: p.ID, Text: "请整改"}, "kind"},
			{ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: " "}, "text"},
			{ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "请整改", Due: "2026-12-09"}, "due"},
			{ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: 999999, Text: "请整改"}, "problem"},
			{ducha.Notice{Kind: ducha.NoticeSupervision, CaseID: 999999, Text: "请整改"}, "case"},
		} {
			n := bad.n
			if err := db.IssueNotice(coord, &n); !hasField(err, bad.field) {
				t.Errorf("%s: %v", bad.field, err)
			}
		}
		n := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: " 请于两日内完成整改并书面报告 "}
		if err := db.IssueNotice(storetest.As(f.Users["liaison_hb"]), n); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("a liaison issues: %v", err)
		}
		if err := db.IssueNotice(coord, n); err != nil {
			t.Fatal(err)
		}
		if n.ID == 0 || n.No != "永督办〔2026〕1号" || n.IssuedBy != "coord" || n.Unit != "红堡镇" || n.Due != "2026-12-12" ||
			n.IssuedOn != "2026-12-10" || n.Text != "请于两日内完成整改并书面报告" || n.Status != ducha.NoticeIssued {
			t.Fatalf("issued by hand: %+v", n)
		}
		if back, err := db.FindNoticeByID(coord, n.ID); err != nil || !sameNotice(back, n) {
			t.Fatalf("stored:\n%+v\n%+v (%v)", back, n, err)
		}
		again := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "再次督办"}
		if err := db.IssueNotice(coord, again); !hasField(err, "kind") || !strings.Contains(ducha.ErrorMessage(err), "该问题已有督办单（永督办〔2026〕1号）") {
			t.Fatalf("a second 督办: %v", err)
		}
		// The rules see the 督办: no 催办 under it, and the counter did not
		// move for the refused one.
		if issued, _ := supervise(t, db, coord, "2026-12-10"); len(issued) != 0 {
			t.Fatalf("the pass after a 督办 by hand: %v", numbers(issued))
		}
		q := newProblem(t, db, f, "永清镇", "另一个问题", "2026-12-31")
		other := &ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: q.ID, Text: "提前督办", Due: "2026-12-20"}
		if err := db.IssueNotice(coord, other); err != nil || other.No != "永督办〔2026〕2号" || other.Due != "2026-12-20" {
			t.Fatalf("another 督办: %v %+v", err, other)
		}

		// A case goes to its first unit; a closed problem gets none.
		if _, err := db.ImportBatch(coord, 1, "2026-12-01", "b1.xlsx", []ducha.BatchRow{row(1, "X3SX202612010002", "永清镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		c, _ := db.FindCaseByAcceptanceNo(coord, "X3SX202612010002")
		cn := &ducha.Notice{Kind: ducha.NoticeListed, CaseID: c.ID, Text: "挂牌督办"}
		if err := db.IssueNotice(coord, cn); !hasField(err, "case") {
			t.Fatalf("a case with no unit yet: %v", err)
		}
		act(t, db, coord, "X3SX202612010002", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"县生态环境局", "永清镇"}})
		if err := db.IssueNotice(coord, cn); err != nil || cn.Unit != "县生态环境局" || cn.CaseID != c.ID || cn.No != "永挂牌督办〔2026〕1号" {
			t.Fatalf("a case's notice: %v %+v", err, cn)
		}
		if _, total, _ := db.FindNotices(storetest.As(f.Users["liaison_sthj"]), ducha.NoticeFilter{CaseID: c.ID}); total != 1 {
			t.Errorf("the case's unit lists %d", total)
		}
	})
}

// A backup carries the notices and their counters: the restored store
// shows the same notices and numbers on after them.
func TestBackupCarriesNotices(t *testing.T) {
	for _, from := range storetest.Engines {
		for _, to := range storetest.Engines {
			t.Run(from+"_to_"+to, func(t *testing.T) {
				// A clock that moves on at every reading: a problem's states
				// written at one instant would dump in each engine's order
				// of NULLs (valid_to), not by their times.
				clock := clockAt("2026-12-10")
				tick := func() time.Time { clock.Add(time.Millisecond); return clock.T }
				src := storetest.Open(t, from, store.Options{Now: tick})
				f := storetest.Seed(t, src)
				coord := storetest.As(f.Users["coord"])
				p := newProblem(t, src, f, "永清镇", "砖厂扬尘", "2026-12-09")
				issued, _ := supervise(t, src, coord, "2026-12-10")
				if len(issued) != 1 {
					t.Fatalf("issued %+v", issued)
				}
				if _, err := src.ActOnNotice(storetest.As(f.Users["liaison_yq"]), issued[0].ID, ducha.NoticeActSign, 0, ""); err != nil {
					t.Fatal(err)
				}
				ctx := storetest.System()
				var buf bytes.Buffer
				if err := src.Backup(ctx, &buf); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(gunzip(t, buf.Bytes()), `"table":"notices"`) {
					t.Fatal("the backup has no notices")
				}
				dst := storetest.Open(t, to, store.Options{Now: tick})
				if err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatalf("restore: %v", err)
				}
				if a, b := dumpTables(t, src), dumpTables(t, dst); a != b {
					t.Fatalf("restored store differs:\n%s\n---\n%s", a, b)
				}
				want, _ := src.FindNoticeByID(coord, issued[0].ID)
				got, err := dst.FindNoticeByID(coord, issued[0].ID)
				if err != nil || !sameNotice(got, want) {
					t.Fatalf("restored notice:\n%+v\n%+v (%v)", got, want, err)
				}
				// The pass goes on where the old store stood, numbers and ids too.
				if issued, _ := supervise(t, dst, coord, "2026-12-10"); len(issued) != 0 {
					t.Fatalf("the same day after the restore: %v", numbers(issued))
				}
				q := newProblem(t, dst, f, "红堡镇", "养殖场污水", "2026-12-12")
				issued2, _ := supervise(t, dst, coord, "2026-12-13")
				if got := numbers(issued2); !slices.Equal(got, []string{"清督办〔2026〕1号", "清催办〔2026〕2号"}) ||
					issued2[0].ProblemID != p.ID || issued2[1].ProblemID != q.ID || issued2[1].ID <= issued[0].ID {
					t.Fatalf("after the restore: %+v", issued2)
				}
			})
		}
	}
}

// sameNotice compares two notices field by field, the ones JSON leaves out too.
func sameNotice(a, b *ducha.Notice) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb) && a.IssuedOn == b.IssuedOn && a.SignedBy == b.SignedBy &&
		a.AnsweredBy == b.AnsweredBy && a.ClosedBy == b.ClosedBy
}
