package notify

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// Two instances, one store. A claim leases a whole batch (up to 100; a
// robot's 20) for deliveryLease (2 minutes) at once, but the dispatcher
// sends a channel's deliveries one after another, each bounded only by
// the client timeout (10 s HTTP; SMTP 30 s per step, no overall bound).
// A receiver that takes 5 s an answer (well inside the timeout) makes the
// 25th delivery of the batch go out after its lease has run out; the
// other instance, claiming every 10 s, has by then leased and sent the
// rest of the batch, and the first instance sends them again. The
// receiver gets those messages twice, though each answered the first
// time (issue 9: "never sent twice once it answered"; a WeCom or DingTalk
// group cannot drop repeats by Idempotency-Key).
func TestAttackBatchOutlivesItsLease(t *testing.T) {
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, ducha.Location)
	clk := &testClock{t: start}
	storetest.Each(t, store.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.t = start
		storetest.Seed(t, db)
		sys := storetest.System()

		var b *Dispatcher
		var mu sync.Mutex
		got := map[string]int{}
		served, triggered := 0, false
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got[r.Header.Get("Idempotency-Key")]++
			served++
			fire := served == 25 && !triggered
			if fire {
				triggered = true
			}
			mu.Unlock()
			clk.add(5 * time.Second) // a slow receiver: 5 s an answer
			if fire {
				// Meanwhile instance B's ticker fires: A's leases ran out.
				if _, err := b.RunOnce(sys); err != nil {
					t.Errorf("B: %v", err)
				}
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)

		c := &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "县平台", URL: srv.URL + "/hook", Secret: "s3cret"}
		if err := db.CreateChannel(sys, c); err != nil {
			t.Fatal(err)
		}
		for range 40 {
			if _, err := db.TestChannel(sys, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		a := &Dispatcher{Outbox: db, Sender: &Sender{Now: clk.Now}, Now: clk.Now}
		b = &Dispatcher{Outbox: db, Sender: &Sender{Now: clk.Now}, Now: clk.Now}
		if _, err := a.RunOnce(sys); err != nil {
			t.Fatalf("A: %v", err)
		}
		dup := 0
		for key, n := range got {
			if n > 1 {
				dup++
				if dup <= 3 {
					t.Errorf("%s delivered %d times", key, n)
				}
			}
		}
		if dup > 0 {
			t.Errorf("%d of %d messages delivered more than once", dup, len(got))
		}
	})
}

// A receiver's Retry-After is taken as it comes, without an upper bound
// (notify/errors.go retryAfter; store FinishDelivery: max(RetryAfter, 1
// minute)). A webhook (another system, not the county's to trust) that
// answers one 429 with "Retry-After: 9000000000" parks the delivery and
// pauses its whole channel for 285 years. The delivery stays pending,
// which RetryDelivery refuses ("只有发送失败的投递可以重发"): lost in all
// but name.
func TestAttackHostileRetryAfterParksChannel(t *testing.T) {
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, ducha.Location)
	clk := &testClock{t: start}
	storetest.Each(t, store.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.t = start
		storetest.Seed(t, db)
		sys := storetest.System()
		var mu sync.Mutex
		calls, delivered := 0, 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				w.Header().Set("Retry-After", "9000000000")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			delivered++
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)
		c := &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: srv.URL + "/hook"}
		if err := db.CreateChannel(sys, c); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TestChannel(sys, c.ID); err != nil {
			t.Fatal(err)
		}
		d := &Dispatcher{Outbox: db, Sender: &Sender{Now: clk.Now}, Now: clk.Now}
		if _, err := d.RunOnce(sys); err != nil {
			t.Fatal(err)
		}
		chs, _ := db.FindChannels(sys)
		if chs[0].PausedUntil != nil {
			t.Logf("channel paused until %s", chs[0].PausedUntil.Format(time.DateOnly))
		}
		clk.add(24 * time.Hour)
		if _, err := d.RunOnce(sys); err != nil {
			t.Fatal(err)
		}
		if delivered != 1 {
			t.Errorf("a day after one hostile 429, the message is still not delivered (channel paused until %v)", chs[0].PausedUntil)
		}
		ds, _, _ := db.FindDeliveries(sys, ducha.DeliveryFilter{})
		if _, err := db.RetryDelivery(sys, ds[0].ID); err != nil && delivered == 0 {
			t.Logf("and it cannot be retried by hand: %v", err)
		}
	})
}
