package store_test

// Attack tests of the notification change (31784d4, 2446873): each test
// states what must hold and fails while it does not.

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// Robot URLs carry their credential: WeCom's key=, DingTalk's
// access_token=, Feishu's last path segment. Anyone holding one can post
// to the county's group as the system. notify treats them as secret
// (notify/errors.go site/sensitive), but the store answers them in every
// channel read, and writes them into the append-only, hash-chained audit
// events of the channel (create, update: old and new, delete), where no
// later change or deletion can remove them.
func TestAttackRobotTokenInAnswersAndEvents(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		tokens := map[string]*ducha.Channel{
			"WECOMKEY-0123456789abcdef": {Kind: ducha.ChannelWeCom, Name: "企业微信群",
				URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOMKEY-0123456789abcdef"},
			"DINGTOKEN0123456789abcdef": {Kind: ducha.ChannelDingTalk, Name: "钉钉群", Secret: "SECabc",
				URL: "https://oapi.dingtalk.com/robot/send?access_token=DINGTOKEN0123456789abcdef"},
			"FEISHUHOOK-0123456789abcdef": {Kind: ducha.ChannelFeishu, Name: "飞书群",
				URL: "https://open.feishu.cn/open-apis/bot/v2/hook/FEISHUHOOK-0123456789abcdef"},
		}
		for _, c := range tokens {
			newChannel(t, db, c)
		}
		list, err := db.FindChannels(sys)
		if err != nil {
			t.Fatal(err)
		}
		for tok := range tokens {
			for _, c := range list {
				if strings.Contains(c.URL, tok) {
					t.Errorf("GET /api/v1/channels answers the robot credential of %q: %s", c.Name, c.URL)
				}
			}
		}
		// Rotate the WeCom key (the old one leaked), then delete the channel.
		wc := tokens["WECOMKEY-0123456789abcdef"]
		newURL := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ROTATEDKEY-0123456789abcdef"
		if _, err := db.UpdateChannel(sys, wc.ID, ducha.ChannelUpdate{URL: &newURL, Version: wc.Version}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteChannel(sys, wc.ID); err != nil {
			t.Fatal(err)
		}
		for tok, c := range tokens {
			evs, err := store.ChannelEventsForAttack(db, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				for _, s := range []string{tok, "ROTATEDKEY-0123456789abcdef"} {
					if bytes.Contains(e.Before, []byte(s)) || bytes.Contains(e.After, []byte(s)) {
						t.Errorf("channel %q event %s keeps the robot credential %s for good: before %s after %s",
							c.Name, e.Action, s, e.Before, e.After)
					}
				}
			}
		}
	})
}

// A sender's lease ran out mid-attempt (a slow receiver), a second
// instance claimed the delivery and delivered it. The first sender's late
// answer (the receiver refused it for good, or it timed out at its last
// attempt) must not undo what the second recorded, and the second's
// success must not be dropped: FinishDelivery takes no lease token, and
// ignores a success once a stale sender wrote "failed". The outbox then
// says failed for a message the group has; a retry by hand sends it twice.
func TestAttackStaleFinishAfterLeaseExpiry(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		c := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "hook", URL: "http://127.0.0.1:1/hook"})
		if _, err := db.TestChannel(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		a := claim(t, db, clock.T, 10) // instance A
		if len(a) != 1 {
			t.Fatalf("A claimed %d", len(a))
		}
		b := claim(t, db, clock.T.Add(3*time.Minute), 10) // A's lease ran out: instance B
		if len(b) != 1 || b[0].ID != a[0].ID {
			t.Fatalf("B claimed %v", b)
		}
		// A's late answer: refused for good.
		if err := db.FinishDelivery(sys, a[0].ID, a[0].Attempts, clock.T.Add(3*time.Minute+time.Second), ducha.DeliveryResult{Err: "http_400"}); err != nil {
			t.Fatal(err)
		}
		// B delivered it.
		if err := db.FinishDelivery(sys, b[0].ID, b[0].Attempts, clock.T.Add(3*time.Minute+2*time.Second), ducha.DeliveryResult{}); err != nil {
			t.Fatal(err)
		}
		ds, _, err := db.FindDeliveries(sys, ducha.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if ds[0].Status != ducha.DeliverySent {
			t.Errorf("delivered by the current lease holder, recorded %s (%q): a stale sender's answer won", ds[0].Status, ds[0].LastError)
		}
	})
}

// A stale sender's temporary failure also clears the current holder's
// lease: a third claim sends it while the second is still on the wire.
func TestAttackStaleTemporaryFailureClearsLiveLease(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		c := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "hook", URL: "http://127.0.0.1:1/hook"})
		if _, err := db.TestChannel(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		a := claim(t, db, clock.T, 10)
		t1 := clock.T.Add(3 * time.Minute)
		b := claim(t, db, t1, 10) // B holds it until t1+2m
		if len(a) != 1 || len(b) != 1 {
			t.Fatalf("claims %d %d", len(a), len(b))
		}
		// A gives up with a timeout at t1 (its first attempt: 30 s backoff).
		if err := db.FinishDelivery(sys, a[0].ID, a[0].Attempts, t1, ducha.DeliveryResult{Err: "timeout", Temporary: true}); err != nil {
			t.Fatal(err)
		}
		// 90 s later (past A's backoff of 60 s) B is still sending; nobody else may have it.
		if again := claim(t, db, t1.Add(90*time.Second), 10); len(again) != 0 {
			t.Errorf("delivery %d leased to a third sender while B's lease (until %s) runs", again[0].ID, t1.Add(2*time.Minute).Format(time.TimeOnly))
		}
	})
}

// Deleting a channel while its delivery is on the wire: the receiver has
// the message, the outbox says it failed ("渠道已删除").
func TestAttackDeleteChannelWhileLeased(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		c := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "hook", URL: "http://127.0.0.1:1/hook"})
		if _, err := db.TestChannel(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		ds := claim(t, db, clock.T, 10)
		if err := db.DeleteChannel(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishDelivery(sys, ds[0].ID, ds[0].Attempts, clock.T.Add(time.Second), ducha.DeliveryResult{}); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.FindDeliveries(sys, ducha.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Status != ducha.DeliverySent {
			t.Errorf("a delivery the receiver answered is recorded %s (%q)", got[0].Status, got[0].LastError)
		}
	})
}

// A ledger re-import that changes a problem's lead unit (the office's
// file wins, store/ledger.go updateFromLedger) does not move the
// problem's open notices: the old unit keeps reading, signing and
// answering a 督办单 about a problem it can no longer read, and the new
// unit never sees it. moveNotices is only called from notifyProblem,
// which the import path does not call.
func TestAttackLedgerImportLeavesNoticeWithOldUnit(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘污染", "2026-12-08")
		issued, _ := supervise(t, db, coord, "2026-12-10")
		if len(issued) != 1 || issued[0].UnitID != f.Units["永清镇"].ID {
			t.Fatalf("issued %+v", issued)
		}
		// The office's ledger now names 红堡镇 as the lead unit.
		row := *p
		row.ID, row.LeadUnit, row.LeadUnitID = 0, "红堡镇", 0
		if _, err := db.ImportLedger(storetest.System(), []ducha.LedgerRow{{Row: 5, Problem: &row}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindProblemByID(coord, p.ID)
		if err != nil || got.LeadUnit != "红堡镇" {
			t.Fatalf("after import: %v %+v", err, got)
		}
		yq := storetest.As(f.Users["liaison_yq"])
		if _, err := db.FindProblemByID(yq, p.ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("永清镇 still reads the problem: %v", err)
		}
		if n, err := db.FindNoticeByID(yq, issued[0].ID); err == nil {
			t.Errorf("永清镇's liaison still reads (and may sign and answer) notice %s about 红堡镇's problem: %q", n.No, n.Text)
		}
		hb := storetest.As(f.Users["liaison_hb"])
		if _, err := db.FindNoticeByID(hb, issued[0].ID); err != nil {
			t.Errorf("红堡镇, now responsible, cannot see the notice: %v", err)
		}
	})
}

// Two senders claim at once on one store, many times, with a robot
// channel: no delivery is leased to both, and the robot never gets more
// than RobotPerMinute in a minute. (Expected to hold: the channel row is
// locked before counting.)
func TestAttackConcurrentClaimsRobotBudget(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		c := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWeCom, Name: "群", URL: "http://127.0.0.1:1/wecom?key=abcdefgh"})
		for range 60 {
			if _, err := db.TestChannel(sys, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ds, err := db.ClaimDeliveries(sys, clock.T, 100)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, d := range ds {
					seen[d.ID]++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		total := 0
		for id, n := range seen {
			total += n
			if n > 1 {
				t.Errorf("delivery %d leased %d times at once", id, n)
			}
		}
		if total > ducha.RobotPerMinute {
			t.Errorf("%d deliveries leased to one robot in one minute", total)
		}
	})
}

// A pass and a coordinator's manual notice for the same item and level
// race: one notice, numbers without gaps. (Expected to hold: the chain
// head lock and the unique key.)
func TestAttackPassRacesManualNotice(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		var ps []*ducha.Problem
		for i := range 20 {
			ps = append(ps, newProblem(t, db, f, "永清镇", fmt.Sprintf("问题%d扬尘", i), "2026-12-08"))
		}
		var wg sync.WaitGroup
		for _, p := range ps {
			wg.Add(1)
			go func(p *ducha.Problem) {
				defer wg.Done()
				n := &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: "请抓紧整改"}
				if err := db.IssueNotice(coord, n); err != nil && !strings.Contains(err.Error(), "不能重复下发") {
					t.Errorf("manual: %v", err)
				}
			}(p)
		}
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := db.Supervise(coord, "2026-12-10"); err != nil {
					t.Errorf("pass: %v", err)
				}
			}()
		}
		wg.Wait()
		ns := allNotices(t, db)
		per := map[string]int{}
		nos := map[string]bool{}
		for _, n := range ns {
			per[fmt.Sprint(n.ProblemID, n.Kind)]++
			nos[n.No] = true
		}
		for k, v := range per {
			if v > 1 {
				t.Errorf("%s issued %d times", k, v)
			}
		}
		reminders := 0
		for _, n := range ns {
			if n.Kind == ducha.NoticeReminder {
				reminders++
			}
		}
		for i := 1; i <= reminders; i++ {
			if !nos[ducha.NoticeNo("清", ducha.NoticeReminder, 2026, i)] {
				t.Errorf("reminder number %d missing (gap) among %d", i, reminders)
			}
		}
	})
}

// What the store accepts, the sender must be able to send: a channel the
// store saves but notify.Validate refuses fails every delivery for good,
// silently (found only on the outbox page). The store lets through a URL
// with user information (a password, then answered by GET /channels) or
// a fragment, and a DingTalk keyword with a line break; the sender
// refuses all three (notify/notify.go Validate, parseURL).
func TestAttackChannelStoreAcceptsWhatSenderRefuses(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		for _, c := range []*ducha.Channel{
			{Kind: ducha.ChannelWebhook, Name: "userinfo", URL: "https://ops:hunter2@hooks.county.example/x"},
			{Kind: ducha.ChannelWebhook, Name: "fragment", URL: "https://hooks.county.example/x#frag"},
			{Kind: ducha.ChannelDingTalk, Name: "keyword", URL: "https://oapi.dingtalk.com/robot/send?access_token=abcdefgh", Keyword: "督办\n通知"},
		} {
			if err := db.CreateChannel(sys, c); err == nil {
				t.Errorf("channel %q (%s, keyword %q) stored; the sender refuses it on every delivery", c.Name, c.URL, c.Keyword)
			}
		}
	})
}

// A unit's digest names only that unit's items, and a channel of one
// unit receives no other unit's digest nor the county's. (Expected to
// hold.)
func TestAttackDigestScoping(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		sys := storetest.System()
		yq := f.Units["永清镇"].ID
		newProblem(t, db, f, "永清镇", "永清镇砖厂扬尘", "2026-12-08")
		newProblem(t, db, f, "红堡镇", "红堡镇养殖场污水机密", "2026-12-08")
		c := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "永清镇", URL: "http://127.0.0.1:1/h",
			Units: []int64{yq}, Events: []string{ducha.OutboxDigest}})
		if _, err := db.Digest(sys, clock.T); err != nil {
			t.Fatal(err)
		}
		ds := claim(t, db, clock.T, 100)
		n := 0
		for _, d := range ds {
			if d.ChannelID != c.ID {
				continue
			}
			n++
			if d.UnitID != yq || strings.Contains(d.Text, "红堡镇") || !strings.Contains(d.Text, "永清镇砖厂扬尘") {
				t.Errorf("永清镇's channel got %q (unit %d)", d.Text, d.UnitID)
			}
		}
		if n != 1 {
			t.Errorf("永清镇's channel got %d digests, want 1 (one per unit and day, however many people)", n)
		}
	})
}

// TakeLease: one holder at a time, renewable by its holder, free after
// it runs out; of many takers at once exactly one wins. (Expected to
// hold on both engines.)
func TestAttackTakeLease(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		ctx := storetest.System()
		take := func(holder string) bool {
			ok, err := db.TakeLease(ctx, "supervise", holder, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !take("a") || take("b") || !take("a") {
			t.Fatal("first holder, second refused, renewal")
		}
		clock.Add(61 * time.Second)
		if !take("b") || take("a") {
			t.Fatal("after expiry")
		}
		clock.Add(61 * time.Second)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.TakeLease(ctx, "race", fmt.Sprint("h", i), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Errorf("%d takers won one lease", won)
		}
	})
}
