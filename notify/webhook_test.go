package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hookReceiver is a receiver written as the webhook's documentation asks:
// it recomputes the signature over the raw body, refuses a stale timestamp,
// and drops a delivery whose Idempotency-Key it has seen.
type hookReceiver struct {
	secret string
	now    func() time.Time

	mu     sync.Mutex
	got    []webhookBody
	seen   map[string]bool
	status int         // answer this status instead, when set
	header http.Header // with these headers
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.status != 0 {
		for k, v := range h.header {
			w.Header()[k] = v
		}
		w.WriteHeader(h.status)
		fmt.Fprintf(w, "refused %s", r.URL)
		return
	}
	if msg := checkDelivery(r); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	if h.secret != "" {
		ts := r.Header.Get("X-Ducha-Timestamp")
		sec, err := strconv.ParseInt(ts, 10, 64)
		mac := hmac.New(sha256.New, []byte(h.secret))
		mac.Write([]byte(ts + "."))
		mac.Write(raw)
		want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		if err != nil || h.now().Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute ||
			!hmac.Equal([]byte(r.Header.Get("X-Ducha-Signature")), []byte(want)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
	}
	var body webhookBody
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if h.seen == nil {
		h.seen = map[string]bool{}
	}
	if h.seen[r.Header.Get("Idempotency-Key")] {
		w.WriteHeader(http.StatusOK)
		return
	}
	h.seen[r.Header.Get("Idempotency-Key")] = true
	h.got = append(h.got, body)
	w.WriteHeader(http.StatusAccepted)
}

func newHook(t *testing.T, secret string) (*hookReceiver, Channel, *Sender) {
	h := &hookReceiver{secret: secret, now: clock}
	srv, s := serve(t, h)
	return h, Channel{Kind: Webhook, URL: srv.URL + "/ducha/hook?token=" + testToken, Secret: secret}, s
}

func TestWebhookSigned(t *testing.T) {
	h, ch, s := newHook(t, testSecret)
	m := testMessage()
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	// A repeat is dropped by the receiver and still succeeds for the sender.
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	want := webhookBody{Key: m.Key, Event: m.Event, Title: m.Title, Text: m.Text, Link: m.Link, SentAt: "2026-03-14T09:30:00+08:00"}
	if len(h.got) != 1 || h.got[0] != want {
		t.Errorf("receiver got %+v, want one %+v", h.got, want)
	}
}

func TestWebhookUnsigned(t *testing.T) {
	h, ch, s := newHook(t, "")
	if err := s.Send(context.Background(), ch, testMessage()); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 1 {
		t.Errorf("receiver got %d deliveries", len(h.got))
	}
}

func TestWebhookWrongSecret(t *testing.T) {
	_, ch, s := newHook(t, testSecret)
	ch.Secret = "wrong-" + testSecret
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "http_401")
	noLeak(t, err, ch.Secret, testSecret, testToken)
}

func TestWebhookSignature(t *testing.T) {
	// The documented example: a receiver in another language must agree.
	got := WebhookSignature("key", "1700000000", []byte(`{"a":1}`))
	mac := hmac.New(sha256.New, []byte("key"))
	mac.Write([]byte(`1700000000.{"a":1}`))
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("WebhookSignature = %s, want %s", got, want)
	}
}

func TestHTTPStatusClasses(t *testing.T) {
	tests := []struct {
		status    int
		header    http.Header
		temporary bool
		throttled bool
		code      string
		wait      time.Duration
	}{
		{429, http.Header{"Retry-After": {"120"}}, true, true, "http_429", 120 * time.Second},
		{429, nil, true, true, "http_429", time.Minute},
		{500, nil, true, false, "http_500", 0},
		{503, http.Header{"Retry-After": {"30"}}, true, false, "http_503", 30 * time.Second},
		{404, nil, false, false, "http_404", 0},
		{413, nil, false, false, "http_413", 0},
		{302, http.Header{"Location": {"https://elsewhere.example/"}}, false, false, CodeRedirect, 0},
	}
	for _, tt := range tests {
		h, ch, s := newHook(t, testSecret)
		h.status, h.header = tt.status, tt.header
		err := s.Send(context.Background(), ch, testMessage())
		e := wantClass(t, err, tt.temporary, tt.throttled, tt.code)
		if e.RetryAfter != tt.wait {
			t.Errorf("%d: RetryAfter = %v, want %v", tt.status, e.RetryAfter, tt.wait)
		}
		// The receiver's page echoes the URL: its token must not come back.
		noLeak(t, err, testToken, testSecret)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	other := &hookReceiver{now: clock}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	h, ch, s := newHook(t, "")
	h.status, h.header = http.StatusTemporaryRedirect, http.Header{"Location": {otherSrv.URL + "/"}}
	wantClass(t, s.Send(context.Background(), ch, testMessage()), false, false, CodeRedirect)
	if len(other.got) != 0 {
		t.Errorf("the redirect was followed: %+v", other.got)
	}
}

// Every HTTP kind, its receiver gone: connection refused is temporary, and
// the error names the host but not the token in the URL.
func TestConnectionRefused(t *testing.T) {
	s := &Sender{Now: clock}
	for _, ch := range []Channel{
		{Kind: WeCom, URL: closedURL(t, "/cgi-bin/webhook/send?key="+testToken)},
		{Kind: DingTalk, URL: closedURL(t, "/robot/send?access_token="+testToken), Secret: testSecret},
		{Kind: Feishu, URL: closedURL(t, "/open-apis/bot/v2/hook/"+testToken), Secret: testSecret},
		{Kind: Webhook, URL: closedURL(t, "/hook?token="+testToken), Secret: testSecret},
	} {
		err := s.Send(context.Background(), ch, testMessage())
		wantClass(t, err, true, false, CodeNetwork)
		noLeak(t, err, testToken, testSecret, "access_token", "key=")
		if !strings.Contains(err.Error(), "127.0.0.1") || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: %q does not say where or why", ch.Kind, err)
		}
	}
}

func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	s := &Sender{HTTP: &http.Client{Timeout: 50 * time.Millisecond}, Now: clock}
	ch := Channel{Kind: DingTalk, URL: srv.URL + "/robot/send?access_token=" + testToken}
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, true, false, CodeTimeout)
	noLeak(t, err, testToken)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wantClass(t, (&Sender{}).Send(ctx, ch, testMessage()), true, false, CodeCanceled)
}

func TestUnintelligibleAnswer(t *testing.T) {
	srv, s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>welcome to the proxy</html>")
	}))
	for _, k := range []Kind{WeCom, DingTalk, Feishu} {
		err := s.Send(context.Background(), Channel{Kind: k, URL: srv.URL + "/x?key=" + testToken}, testMessage())
		wantClass(t, err, false, false, CodeAnswer)
	}
}
