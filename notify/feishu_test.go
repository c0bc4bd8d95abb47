package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// feishuBot speaks Feishu's custom bot protocol: the token as the last path
// segment; with a secret, timestamp (seconds, within an hour of its clock)
// and sign in the body, checked as the 签名校验 document computes them; a
// body of at most 20 KB; at most 5 messages a second; code answers.
type feishuBot struct {
	token, secret, keyword string
	now                    func() time.Time

	mu      sync.Mutex
	got     []feishuGot
	times   []time.Time
	legacy  bool // answer in the old StatusCode form
	gateway bool // answer as the gateway does when its limit is hit
}

type feishuGot struct {
	raw  []byte
	text string
}

func (b *feishuBot) answer(w http.ResponseWriter, code int, msg string) {
	if b.legacy {
		writeJSON(w, 200, map[string]any{"Extra": nil, "StatusCode": code, "StatusMessage": msg})
		return
	}
	writeJSON(w, 200, map[string]any{"code": code, "msg": msg, "data": map[string]any{}})
}

func (b *feishuBot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if msg := checkDelivery(r); msg != "" {
		b.answer(w, 9499, "bad request: "+msg)
		return
	}
	if b.gateway {
		w.Header().Set("X-Ogw-Ratelimit-Limit", "100")
		w.Header().Set("X-Ogw-Ratelimit-Reset", "52")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": 99991400, "msg": "request trigger frequency limit"})
		return
	}
	if r.URL.Path != "/open-apis/bot/v2/hook/"+b.token {
		b.answer(w, 19001, "param invalid: incoming webhook access token invalid")
		return
	}
	raw, _ := io.ReadAll(r.Body)
	if len(raw) > 20000 {
		b.answer(w, 9499, "request body too large: "+strconv.Itoa(len(raw)))
		return
	}
	var body struct {
		Timestamp string `json:"timestamp"`
		Sign      string `json:"sign"`
		MsgType   string `json:"msg_type"`
		Content   *struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	r.Body = io.NopCloser(strings.NewReader(string(raw)))
	if err := decodeJSON(r, &body); err != nil {
		b.answer(w, 9499, "Bad Request: "+err.Error())
		return
	}
	if b.secret != "" {
		sec, err := strconv.ParseInt(body.Timestamp, 10, 64)
		mac := hmac.New(sha256.New, []byte(body.Timestamp+"\n"+b.secret))
		if err != nil || b.now().Sub(time.Unix(sec, 0)).Abs() > time.Hour ||
			body.Sign != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			b.answer(w, 19021, "sign match fail or timestamp is not within one hour from current time")
			return
		}
	}
	if body.MsgType != "text" || body.Content == nil || body.Content.Text == "" {
		b.answer(w, 9499, "Bad Request")
		return
	}
	if b.keyword != "" && !strings.Contains(body.Content.Text, b.keyword) {
		b.answer(w, 19024, "Key Words Not Found")
		return
	}
	now := time.Now()
	recent := 0
	for _, t := range b.times {
		if now.Sub(t) < time.Second {
			recent++
		}
	}
	if recent >= 5 {
		b.answer(w, 11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[-1]")
		return
	}
	b.times = append(b.times, now)
	b.got = append(b.got, feishuGot{raw: raw, text: body.Content.Text})
	b.answer(w, 0, "success")
}

func newFeishu(t *testing.T, secret, keyword string) (*feishuBot, Channel, *Sender) {
	b := &feishuBot{token: testToken, secret: secret, keyword: keyword, now: clock}
	srv, s := serve(t, b)
	return b, Channel{Kind: Feishu, URL: srv.URL + "/open-apis/bot/v2/hook/" + testToken, Secret: secret, Keyword: keyword}, s
}

func TestFeishuSigned(t *testing.T) {
	b, ch, s := newFeishu(t, testSecret, "")
	m := testMessage()
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	g := b.got[0]
	if want := m.Title + "\n" + m.Text + "\n" + m.Link; g.text != want {
		t.Errorf("text %q, want %q", g.text, want)
	}
	if !strings.Contains(string(g.raw), `"timestamp":"`+strconv.FormatInt(testNow.Unix(), 10)+`"`) {
		t.Errorf("body %s lacks the timestamp in seconds as a string", g.raw)
	}
}

func TestFeishuUnsignedKeyword(t *testing.T) {
	b, ch, s := newFeishu(t, "", testKeyword)
	if err := s.Send(context.Background(), ch, testMessage()); err != nil {
		t.Fatal(err)
	}
	g := b.got[0]
	if strings.Contains(string(g.raw), "timestamp") || strings.Contains(string(g.raw), "sign") {
		t.Errorf("unsigned body carries a signature: %s", g.raw)
	}
	if !strings.HasPrefix(g.text, "【"+testKeyword+"】") {
		t.Errorf("text %q lacks the keyword", g.text)
	}
}

func TestFeishuWrongSecret(t *testing.T) {
	_, ch, s := newFeishu(t, testSecret, "")
	ch.Secret = "wrong-" + testSecret
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "19021")
	noLeak(t, err, ch.Secret, testSecret, testToken)
}

func TestFeishuKeywordMissing(t *testing.T) {
	_, ch, s := newFeishu(t, "", testKeyword)
	ch.Keyword = ""
	wantClass(t, s.Send(context.Background(), ch, testMessage()), false, false, "19024")
}

func TestFeishuBadToken(t *testing.T) {
	_, ch, s := newFeishu(t, "", "")
	ch.URL += "x"
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "19001")
	noLeak(t, err, testToken)
}

func TestFeishuThrottled(t *testing.T) {
	_, ch, s := newFeishu(t, testSecret, "")
	var err error
	for range 6 {
		if err = s.Send(context.Background(), ch, testMessage()); err != nil {
			break
		}
	}
	e := wantClass(t, err, true, true, "11232")
	if e.RetryAfter != time.Minute {
		t.Errorf("RetryAfter = %v, want 1m", e.RetryAfter)
	}
}

func TestFeishuGatewayLimit(t *testing.T) {
	b, ch, s := newFeishu(t, "", "")
	b.gateway = true
	e := wantClass(t, s.Send(context.Background(), ch, testMessage()), true, true, "http_429")
	if e.RetryAfter != 52*time.Second {
		t.Errorf("RetryAfter = %v, want the gateway's 52s", e.RetryAfter)
	}
}

func TestFeishuLegacyAnswer(t *testing.T) {
	b, ch, s := newFeishu(t, testSecret, "")
	b.legacy = true
	if err := s.Send(context.Background(), ch, testMessage()); err != nil {
		t.Fatalf("StatusCode 0: %v", err)
	}
	ch.Secret = "wrong"
	wantClass(t, s.Send(context.Background(), ch, testMessage()), false, false, "19021")
}

func TestFeishuLongText(t *testing.T) {
	b, ch, s := newFeishu(t, testSecret, "")
	m := testMessage()
	m.Text = longChinese(10000)
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	g := b.got[0]
	if len(g.raw) > 20000 || len(g.raw) < 19000 || !utf8.ValidString(g.text) {
		t.Errorf("body is %d bytes (text valid UTF-8: %v), want at most 20000 and nearly that", len(g.raw), utf8.ValidString(g.text))
	}
	if !strings.HasPrefix(g.text, m.Title+"\n") || !strings.HasSuffix(g.text, "…\n"+m.Link) {
		t.Errorf("cut text lost its title or link: … %q", g.text[len(g.text)-80:])
	}
}
