package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// keyLog records the delivery keys a receiver accepted, and refuses the
// first throttle requests with the vendor's throttling answer.
type keyLog struct {
	next     http.Handler
	throttle int    // answer this many requests with the throttling code
	code     string // the vendor's throttling answer

	mu   sync.Mutex
	keys []string
}

func (k *keyLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	if k.throttle > 0 {
		k.throttle--
		k.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(k.code))
		return
	}
	k.mu.Unlock()
	rec := httptest.NewRecorder()
	k.next.ServeHTTP(rec, r)
	var answer struct {
		Errcode *int `json:"errcode"`
		Code    *int `json:"code"`
	}
	json.Unmarshal(rec.Body.Bytes(), &answer)
	ok := rec.Code/100 == 2 && (answer.Errcode == nil || *answer.Errcode == 0) && (answer.Code == nil || *answer.Code == 0)
	if ok {
		k.mu.Lock()
		k.keys = append(k.keys, r.Header.Get("Idempotency-Key"))
		k.mu.Unlock()
	}
	for h, v := range rec.Header() {
		w.Header()[h] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (k *keyLog) got() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.keys)
}

// testClock is the store's, the sender's and the receivers' clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The outbox end to end, on both stores, against real receivers: every
// robot kind (each checking its signature and body as the vendor does), a
// webhook that is down and comes back on the same port, and a real SMTP
// server. DingTalk throttles the first attempt (errcode 130101): its
// messages wait ten minutes. Once the webhook is up and the pause over,
// every message has arrived exactly once at every receiver, and no
// delivery is left pending.
func TestDispatcherEndToEnd(t *testing.T) {
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, ducha.Location)
	clk := &testClock{t: start}
	storetest.Each(t, store.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.t = start
		f := storetest.Seed(t, db)
		sys := storetest.System()

		ding := &keyLog{next: &dingTalkRobot{token: testToken, secret: testSecret, keyword: testKeyword, now: clk.Now},
			throttle: 1, code: `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`}
		wecom := &keyLog{next: &weComRobot{key: testToken}}
		feishu := &keyLog{next: &feishuBot{token: testToken, secret: testSecret, now: clk.Now}}
		hook := &keyLog{next: &hookReceiver{secret: testSecret, now: clk.Now}}
		box := &mailbox{}
		smtpConf := mailServer(t, box, nil, false)
		dingSrv, wecomSrv, feishuSrv := httptest.NewServer(ding), httptest.NewServer(wecom), httptest.NewServer(feishu)
		t.Cleanup(dingSrv.Close)
		t.Cleanup(wecomSrv.Close)
		t.Cleanup(feishuSrv.Close)
		// The webhook's port, with nobody listening yet.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hookAddr := l.Addr().String()
		l.Close()

		channels := []*ducha.Channel{
			{Kind: ducha.ChannelDingTalk, Name: "钉钉", URL: dingSrv.URL + "/robot/send?access_token=" + testToken, Secret: testSecret, Keyword: testKeyword},
			{Kind: ducha.ChannelWeCom, Name: "企业微信", URL: wecomSrv.URL + "/cgi-bin/webhook/send?key=" + testToken},
			{Kind: ducha.ChannelFeishu, Name: "飞书", URL: feishuSrv.URL + "/open-apis/bot/v2/hook/" + testToken, Secret: testSecret},
			{Kind: ducha.ChannelWebhook, Name: "平台", URL: "http://" + hookAddr + "/ducha/hook?token=" + testToken, Secret: testSecret},
			{Kind: ducha.ChannelEmail, Name: "邮件", To: []string{"liaison@yq.example.gov.cn", "office@county.example.gov.cn"},
				Units: []int64{f.Units["永清镇"].ID}},
		}
		for _, c := range channels {
			if err := db.CreateChannel(sys, c); err != nil {
				t.Fatal(err)
			}
		}
		coord := storetest.As(f.Users["coord"])
		for i, unit := range []string{"永清镇", "红堡镇", "永清镇"} {
			p := &ducha.Problem{Source: "自查发现", Description: "问题" + string(rune('甲'+i)), Area: unit, Types: []string{"大气"}}
			if err := db.CreateProblem(coord, p); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ActOnProblem(coord, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version, LeadUnit: ducha.UnitRef(unit),
				Person: "张三", Measures: "清理", Deadline: "2026-12-09", ConfirmPastDeadline: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := db.Supervise(coord, ""); err != nil { // three 催办
			t.Fatal(err)
		}
		d := &Dispatcher{Outbox: db, Sender: &Sender{Now: clk.Now, SMTP: smtpConf}, Now: clk.Now, BaseURL: "https://ducha.example.gov.cn"}
		run := func() {
			t.Helper()
			for {
				n, err := d.RunOnce(sys)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					return
				}
			}
		}
		run()
		// Six messages: three hand-overs, three notices. The email channel
		// carries 永清镇's four.
		want := map[*keyLog]int{wecom: 6, feishu: 6}
		for k, n := range want {
			if got := k.got(); len(got) != n {
				t.Errorf("first round: %d of %d", len(got), n)
			}
		}
		if got := ding.got(); len(got) != 0 {
			t.Errorf("DingTalk throttled, yet it got %d", len(got))
		}
		if len(box.got) != 4 {
			t.Errorf("email: %d, want 4", len(box.got))
		}
		pending, _, _ := db.FindDeliveries(sys, ducha.DeliveryFilter{Status: ducha.DeliveryPending})
		var hookErr string
		for _, p := range pending {
			if p.Kind == ducha.ChannelWebhook {
				hookErr = p.LastError
			}
		}
		if len(pending) != 12 || !strings.Contains(hookErr, "network") || strings.Contains(hookErr, testToken) || strings.Contains(hookErr, testSecret) {
			t.Errorf("pending %d, webhook's error %q", len(pending), hookErr)
		}

		// The webhook comes back on its port; ten minutes later the
		// DingTalk pause is over and every backoff has run out.
		l, err = net.Listen("tcp", hookAddr)
		if err != nil {
			t.Fatal(err)
		}
		hookSrv := httptest.NewUnstartedServer(hook)
		hookSrv.Listener.Close()
		hookSrv.Listener = l
		hookSrv.Start()
		t.Cleanup(hookSrv.Close)
		clk.add(5 * time.Minute)
		run()
		if got := ding.got(); len(got) != 0 {
			t.Errorf("DingTalk paused, yet it got %d", len(got))
		}
		clk.add(6 * time.Minute)
		run()
		clk.add(time.Hour)
		run()

		sent, total, err := db.FindDeliveries(sys, ducha.DeliveryFilter{Status: ducha.DeliverySent, Limit: 500})
		if err != nil || total != 28 { // 6 each to four group channels, 4 emails
			t.Fatalf("sent %d: %v", total, err)
		}
		byChannel := map[int64][]string{}
		for _, s := range sent {
			byChannel[s.ChannelID] = append(byChannel[s.ChannelID], s.Key)
		}
		for i, k := range []*keyLog{ding, wecom, feishu, hook} {
			got, want := k.got(), byChannel[channels[i].ID]
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s received %v, want each of %v once", channels[i].Name, got, want)
			}
		}
		var ids []string
		for _, m := range box.got {
			i := bytes.Index(m.data, []byte("Message-ID: <"))
			ids = append(ids, string(m.data[i+13:i+13+bytes.IndexByte(m.data[i+13:], '>')]))
			if !slices.Equal(m.to, channels[4].To) {
				t.Errorf("email to %v", m.to)
			}
		}
		slices.Sort(ids)
		wantIDs := []string{}
		for _, k := range byChannel[channels[4].ID] {
			wantIDs = append(wantIDs, k+"@ducha")
		}
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) {
			t.Errorf("emails %v, want %v", ids, wantIDs)
		}
		if left, n, _ := db.FindDeliveries(sys, ducha.DeliveryFilter{Status: ducha.DeliveryPending}); n != 0 {
			t.Errorf("still pending: %+v", left)
		}
		if _, n, _ := db.FindDeliveries(sys, ducha.DeliveryFilter{Status: ducha.DeliveryFailed}); n != 0 {
			t.Errorf("failed: %d", n)
		}
	})
}

// Start and Close: the dispatcher sends by itself and stops cleanly.
func TestDispatcherStartClose(t *testing.T) {
	clk := &testClock{t: time.Date(2026, 12, 10, 10, 0, 0, 0, ducha.Location)}
	db := storetest.Open(t, "sqlite", store.Options{Now: clk.Now})
	storetest.Seed(t, db)
	hook := &keyLog{next: &hookReceiver{now: clk.Now}}
	srv := httptest.NewServer(hook)
	t.Cleanup(srv.Close)
	c := &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "平台", URL: srv.URL + "/hook"}
	if err := db.CreateChannel(storetest.System(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TestChannel(storetest.System(), c.ID); err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{Outbox: db, Sender: &Sender{Now: clk.Now}, Now: clk.Now, Every: 10 * time.Millisecond}
	d.Start(context.WithoutCancel(storetest.System()))
	deadline := time.Now().Add(10 * time.Second)
	for len(hook.got()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	d.Close()
	if got := hook.got(); len(got) != 1 {
		t.Fatalf("the test message: %v", got)
	}
}
