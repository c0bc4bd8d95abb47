package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func newChannel(t *testing.T, db *store.DB, c *ducha.Channel) *ducha.Channel {
	t.Helper()
	if err := db.CreateChannel(storetest.System(), c); err != nil {
		t.Fatalf("channel %s: %v", c.Name, err)
	}
	return c
}

// claim claims at the clock's now as the system account.
func claim(t *testing.T, db *store.DB, now time.Time, max int) []*ducha.Delivery {
	t.Helper()
	ds, err := db.ClaimDeliveries(storetest.System(), now, max)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return ds
}

// A notice, a return and an assignment each write their message in their
// own transaction; the claim fans each out to the channels that carry its
// unit and event, once per channel, and a message claimed is leased: a
// second claim (another instance) gets nothing until the lease runs out.
// A channel's secret is never read back.
func TestOutboxFanOutAndLease(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq, hb := f.Units["永清镇"].ID, f.Units["红堡镇"].ID
		all := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "全县", URL: "http://127.0.0.1:1/hook", Secret: "s3cret-webhook"})
		yqOnly := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWeCom, Name: "永清镇群", URL: "http://127.0.0.1:1/wecom?key=abc",
			Units: []int64{yq}, Events: []string{ducha.OutboxNotice}})
		if all.SecretSet != true || all.Secret != "" {
			t.Errorf("created channel answers its secret: %+v", all)
		}
		got, err := db.FindChannelByID(storetest.System(), all.ID)
		if err != nil || got.Secret != "" || !got.SecretSet {
			t.Errorf("read channel: %v %+v", err, got)
		}
		if _, err := db.FindChannels(storetest.As(f.Users["liaison_yq"])); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("a liaison lists channels: %v", err)
		}

		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08") // assigned to 永清镇
		newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-20")     // assigned to 红堡镇
		issued, _ := supervise(t, db, coord, "2026-12-10")     // one 催办 to 永清镇
		if len(issued) != 1 {
			t.Fatalf("issued %d", len(issued))
		}
		ds := claim(t, db, clock.T, 100)
		// The webhook carries everything: two assignments and the notice;
		// 永清镇's group only the notice (10:00 is outside quiet hours).
		byChannel := map[int64][]string{}
		for _, d := range ds {
			byChannel[d.ChannelID] = append(byChannel[d.ChannelID], d.Event)
			if d.Target == nil || d.Target.ID != d.ChannelID {
				t.Fatalf("delivery %d without its channel", d.ID)
			}
			if d.Key != ducha.DeliveryKey(d.ID) || d.Attempts != 1 {
				t.Errorf("delivery %+v", d)
			}
		}
		if strings.Join(byChannel[all.ID], ",") != "assigned,assigned,notice" || strings.Join(byChannel[yqOnly.ID], ",") != "notice" {
			t.Fatalf("fanned out %v", byChannel)
		}
		for _, d := range ds {
			if d.ChannelID == all.ID && d.Target.Secret != "s3cret-webhook" {
				t.Errorf("the sender gets no secret")
			}
			if d.Event == ducha.OutboxNotice && (!strings.Contains(d.Title, issued[0].No) || !strings.Contains(d.Text, "2026-12-12")) {
				t.Errorf("notice message %q %q", d.Title, d.Text)
			}
			if d.Event == ducha.OutboxAssigned && d.UnitID != yq && d.UnitID != hb {
				t.Errorf("assigned to unit %d", d.UnitID)
			}
		}
		if again := claim(t, db, clock.T.Add(time.Minute), 100); len(again) != 0 {
			t.Fatalf("leased deliveries claimed again: %d", len(again))
		}
		// One finished, the others' leases run out: they come back.
		for _, d := range ds[:1] {
			if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, clock.T, ducha.DeliveryResult{}); err != nil {
				t.Fatal(err)
			}
		}
		back := claim(t, db, clock.T.Add(3*time.Minute), 100)
		if len(back) != len(ds)-1 {
			t.Fatalf("after the lease: %d, want %d", len(back), len(ds)-1)
		}
		for _, d := range back {
			if d.ID == ds[0].ID || d.Attempts != 2 {
				t.Errorf("claimed again %+v", d)
			}
		}

		// A return goes to the problem's unit.
		p, err = db.ActOnProblem(storetest.As(f.Users["liaison_yq"]), p.ID, ducha.ProblemAction{Action: ducha.ActApplyClosure,
			Text: "已整改", Version: p.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActReturn, Reason: "现场仍有扬尘", Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		ret := claim(t, db, clock.T.Add(10*time.Minute), 100)
		var found bool
		for _, d := range ret {
			if d.Event == ducha.OutboxReturned {
				found = d.ChannelID == all.ID && d.UnitID == yq && strings.Contains(d.Text, "现场仍有扬尘")
			}
		}
		if !found {
			t.Errorf("no return message: %+v", ret)
		}
		list, total, err := db.FindDeliveries(storetest.System(), ducha.DeliveryFilter{Status: ducha.DeliverySent})
		if err != nil || total != 1 || len(list) != 1 || list[0].SentAt == nil {
			t.Errorf("sent: %d %v %+v", total, err, list)
		}
	})
}

// Quiet hours hold back what people read, not the webhook; a robot takes
// at most RobotPerMinute messages in any minute; a throttled robot waits
// for the vendor, a temporary failure backs off and fails after the last
// attempt; a failed delivery can be retried by hand.
func TestOutboxQuietHoursRateAndRetry(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		clock.Add(13 * time.Hour) // 23:00
		f := storetest.Seed(t, db)
		robot := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelDingTalk, Name: "钉钉群", URL: "http://127.0.0.1:1/robot/send?access_token=x", Secret: "SEC"})
		hook := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: "http://127.0.0.1:1/hook"})
		for i := range 25 {
			newProblem(t, db, f, "永清镇", "问题"+string(rune('A'+i)), "2026-12-20")
		}
		ds := claim(t, db, clock.T, 1000)
		for _, d := range ds {
			if d.ChannelID != hook.ID {
				t.Fatalf("at 23:00 a robot message went: %+v", d)
			}
		}
		if len(ds) != 25 {
			t.Fatalf("webhook got %d, want 25", len(ds))
		}
		for _, d := range ds {
			if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, clock.T, ducha.DeliveryResult{}); err != nil {
				t.Fatal(err)
			}
		}
		morning := clockAt("2026-12-11").T.Add(-3 * time.Hour) // 07:00
		if got := claim(t, db, morning.Add(-time.Second), 1000); len(got) != 0 {
			t.Fatalf("before 07:00: %d", len(got))
		}
		first := claim(t, db, morning, 1000)
		if len(first) != ducha.RobotPerMinute {
			t.Fatalf("the robot's first minute: %d, want %d", len(first), ducha.RobotPerMinute)
		}
		for _, d := range first {
			if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, morning, ducha.DeliveryResult{}); err != nil {
				t.Fatal(err)
			}
		}
		if got := claim(t, db, morning.Add(30*time.Second), 1000); len(got) != 0 {
			t.Fatalf("within the minute: %d more", len(got))
		}
		rest := claim(t, db, morning.Add(61*time.Second), 1000)
		if len(rest) != 5 {
			t.Fatalf("the next minute: %d, want 5", len(rest))
		}
		// DingTalk throttles: the channel waits ten minutes, the attempt
		// does not count.
		at := morning.Add(61 * time.Second)
		if err := db.FinishDelivery(storetest.System(), rest[0].ID, rest[0].Attempts, at, ducha.DeliveryResult{Err: "errcode 130101", Throttled: true, RetryAfter: 10 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		for _, d := range rest[1:] {
			if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, at, ducha.DeliveryResult{Err: "connection refused", Temporary: true}); err != nil {
				t.Fatal(err)
			}
		}
		ch, _ := db.FindChannelByID(storetest.System(), robot.ID)
		if ch.PausedUntil == nil || !ch.PausedUntil.Equal(at.Add(10*time.Minute).Truncate(time.Microsecond)) {
			t.Errorf("paused until %v", ch.PausedUntil)
		}
		if got := claim(t, db, at.Add(5*time.Minute), 1000); len(got) != 0 {
			t.Fatalf("while paused: %d", len(got))
		}
		// Temporary failures back off until they fail for good.
		now := at.Add(11 * time.Minute)
		var failed int
		for range 20 {
			got := claim(t, db, now, 1000)
			for _, d := range got {
				if d.ID == rest[0].ID {
					if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, now, ducha.DeliveryResult{}); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, now, ducha.DeliveryResult{Err: "503", Temporary: true}); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(2 * time.Hour)
		}
		list, total, _ := db.FindDeliveries(storetest.System(), ducha.DeliveryFilter{Status: ducha.DeliveryFailed})
		failed = total
		if failed != 4 || list[0].Attempts != ducha.MaxDeliveryAttempts || list[0].LastError != "503" {
			t.Fatalf("failed %d %+v", failed, list)
		}
		retried, err := db.RetryDelivery(storetest.System(), list[0].ID)
		if err != nil || retried.Status != ducha.DeliveryPending || retried.Attempts != 0 {
			t.Fatalf("retry: %v %+v", err, retried)
		}
		if _, err := db.RetryDelivery(storetest.System(), list[0].ID); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("retry of a pending delivery: %v", err)
		}
		clock.T = now
		retried, err = db.RetryDelivery(storetest.System(), list[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := claim(t, db, now, 1000); len(got) != 2 || got[0].ID != list[1].ID || got[1].ID != list[0].ID {
			t.Errorf("the retried delivery: %+v", got)
		}
	})
}

// Two senders claiming at once (two instances) never lease one delivery
// twice, and together stay within a robot's minute.
func TestOutboxConcurrentClaims(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWeCom, Name: "群", URL: "http://127.0.0.1:1/wecom?key=abc"})
		for i := range 30 {
			newProblem(t, db, f, "红堡镇", "问题"+string(rune('A'+i)), "2026-12-20")
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ds, err := db.ClaimDeliveries(storetest.System(), clock.T, 100)
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
		if len(seen) != ducha.RobotPerMinute {
			t.Errorf("claimed %d distinct, want %d", len(seen), ducha.RobotPerMinute)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("delivery %d claimed %d times", id, n)
			}
		}
	})
}

// A lease is held by one holder until it runs out.
func TestLease(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		take := func(holder string) bool {
			ok, err := db.TakeLease(ctx, "supervise", holder, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !take("a") || take("b") || !take("a") {
			t.Fatal("a takes, b waits, a renews")
		}
		clock.Add(6 * time.Minute)
		if !take("b") || take("a") {
			t.Fatal("after it ran out b takes it")
		}
	})
}

// The digest: once a day per user, outside the quiet hours, for units
// with overdue or due-soon work and for the coordinator; a unit's
// channel receives its unit's digest once however many of its people
// have one.
func TestDigest(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		sys := storetest.System()
		yq := f.Units["永清镇"].ID
		group := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWeCom, Name: "永清镇群", URL: "http://127.0.0.1:1/w?key=k",
			Units: []int64{yq}, Events: []string{ducha.OutboxDigest}})
		newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08")
		newProblem(t, db, f, "永清镇", "河道垃圾", "2026-12-11")
		newProblem(t, db, f, "红堡镇", "养殖场污水", "2026-12-30") // nothing due: no digest for 红堡镇
		night := clock.T.Add(13 * time.Hour)               // 23:00
		if n, err := db.Digest(sys, night); err != nil || n != 0 {
			t.Fatalf("in the quiet hours: %d %v", n, err)
		}
		n, err := db.Digest(sys, clock.T)
		if err != nil || n != 3 { // liaison_yq, head_yq, coord
			t.Fatalf("digests %d: %v", n, err)
		}
		if again, _ := db.Digest(sys, clock.T.Add(time.Hour)); again != 0 {
			t.Errorf("a second digest the same day: %d", again)
		}
		ds := claim(t, db, clock.T.Add(time.Hour), 100)
		var got []*ducha.Delivery
		for _, d := range ds {
			if d.ChannelID == group.ID {
				got = append(got, d)
			}
		}
		if len(got) != 1 || !strings.Contains(got[0].Text, "已逾期问题1个、即将到期问题1个") || !strings.Contains(got[0].Text, "砖厂扬尘") {
			t.Fatalf("the group's digest: %+v", got)
		}
		if n, _ := db.Digest(sys, clockAt("2026-12-11").T); n != 3 {
			t.Errorf("the next day: %d", n)
		}
	})
}

// A problem handed to another unit takes its open notices along, each
// with an event, and the new unit is told; a joint case's notice is its
// first unit's.
func TestNoticesFollowTheUnit(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		p := newProblem(t, db, f, "永清镇", "砖厂扬尘", "2026-12-08")
		issued, _ := supervise(t, db, coord, "2026-12-10")
		if len(issued) != 1 || issued[0].Unit != "永清镇" {
			t.Fatalf("issued %+v", issued)
		}
		if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version, LeadUnit: "红堡镇",
			Person: "李四", Measures: "清理整治", Deadline: "2026-12-08", ConfirmPastDeadline: true}); err != nil {
			t.Fatal(err)
		}
		n, err := db.FindNoticeByID(storetest.As(f.Users["liaison_hb"]), issued[0].ID)
		if err != nil || n.Unit != "红堡镇" || n.Version != 2 {
			t.Fatalf("after the move: %v %+v", err, n)
		}
		if _, err := db.FindNoticeByID(storetest.As(f.Users["liaison_yq"]), issued[0].ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("the old unit still sees it: %v", err)
		}
		events, _ := db.FindNoticeEvents(coord, n.ID)
		if len(events) != 2 || events[1].Action != "transfer" {
			t.Errorf("events %+v", events)
		}
		if _, err := db.ActOnNotice(storetest.As(f.Users["liaison_hb"]), n.ID, ducha.NoticeActSign, 0, ""); err != nil {
			t.Errorf("the new unit signs: %v", err)
		}
		newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: "http://127.0.0.1:1/h"})
		var told bool
		for _, d := range claim(t, db, clock.T, 100) {
			told = told || d.Event == ducha.OutboxNotice && d.UnitID == f.Units["红堡镇"].ID
		}
		if !told {
			t.Error("the new unit was not told")
		}
	})
}

// A ledger import tells each unit once how many problems it handed it;
// an import that hands nothing over writes no message.
func TestLedgerImportNotifiesOncePerUnit(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		hook := newChannel(t, db, &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: "http://127.0.0.1:1/h"})
		var rows []ducha.LedgerRow
		for i, unit := range []string{"永清镇", "红堡镇", "永清镇", "永清镇"} {
			rows = append(rows, ducha.LedgerRow{Row: i + 3, Problem: &ducha.Problem{Code: fmt.Sprintf("DR-2026-%04d", i+1),
				Source: "自查发现", Description: "导入问题" + string(rune('甲'+i)),
				Area: unit, Types: []string{"大气"}, LeadUnit: unit, Person: "张三", Measures: "整治", Deadline: "2026-12-30",
				Status: ducha.StatusInProgress}})
		}
		res, err := db.ImportLedger(coord, rows)
		if err != nil || res.Created != 4 {
			t.Fatalf("import: %+v %v", res, err)
		}
		got := map[int64]string{}
		for _, d := range claim(t, db, clock.T, 100) {
			if d.ChannelID == hook.ID && d.Event == ducha.OutboxAssigned {
				got[d.UnitID] += d.Title
			}
			if err := db.FinishDelivery(storetest.System(), d.ID, d.Attempts, clock.T, ducha.DeliveryResult{}); err != nil {
				t.Fatal(err)
			}
		}
		if got[f.Units["永清镇"].ID] != "新交办问题3个（台账导入）" || got[f.Units["红堡镇"].ID] != "新交办问题1个（台账导入）" || len(got) != 2 {
			t.Fatalf("messages %v", got)
		}
		// The same file again changes nothing and tells nobody.
		if _, err := db.ImportLedger(coord, rows); err != nil {
			t.Fatal(err)
		}
		if again := claim(t, db, clock.T.Add(time.Hour), 100); len(again) != 0 {
			t.Errorf("a second import told %d", len(again))
		}
	})
}
