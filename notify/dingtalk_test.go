package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// dingTalkRobot speaks DingTalk's custom robot protocol: access_token in the
// query; with a secret, timestamp (ms, within an hour of its clock) and sign
// checked as the 加签 document computes them; with a keyword, the message
// must hold it; at most 20 messages a minute; errcode answers with HTTP 200.
type dingTalkRobot struct {
	token, secret, keyword string
	now                    func() time.Time

	mu    sync.Mutex
	got   []dingTalkGot
	times []time.Time
	busy  bool // answer errcode -1
}

type dingTalkGot struct {
	query       url.Values
	title, text string
}

func (rb *dingTalkRobot) answer(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, 200, map[string]any{"errcode": code, "errmsg": msg})
}

func (rb *dingTalkRobot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if msg := checkDelivery(r); msg != "" {
		rb.answer(w, 40035, "invalid parameter: "+msg)
		return
	}
	if rb.busy {
		rb.answer(w, -1, "系统繁忙")
		return
	}
	q := r.URL.Query()
	if r.URL.Path != "/robot/send" || q.Get("access_token") != rb.token {
		rb.answer(w, 300001, "token is not exist: "+q.Get("access_token"))
		return
	}
	if rb.secret != "" {
		ts := q.Get("timestamp")
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || rb.now().Sub(time.UnixMilli(ms)).Abs() > time.Hour {
			rb.answer(w, 310000, "invalid timestamp")
			return
		}
		mac := hmac.New(sha256.New, []byte(rb.secret))
		mac.Write([]byte(ts + "\n" + rb.secret))
		if q.Get("sign") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			rb.answer(w, 310000, "sign not match")
			return
		}
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown *struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"markdown"`
	}
	if err := decodeJSON(r, &body); err != nil {
		rb.answer(w, 40035, "invalid json")
		return
	}
	if body.MsgType != "markdown" || body.Markdown == nil || body.Markdown.Title == "" || body.Markdown.Text == "" {
		rb.answer(w, 40035, "缺少参数 markdown")
		return
	}
	if rb.keyword != "" && !strings.Contains(body.Markdown.Text, rb.keyword) {
		rb.answer(w, 310000, "keywords not in content")
		return
	}
	if len(body.Markdown.Text) > 20000 {
		rb.answer(w, 460101, "message too long")
		return
	}
	now := time.Now()
	recent := 0
	for _, t := range rb.times {
		if now.Sub(t) < time.Minute {
			recent++
		}
	}
	if recent >= 20 {
		rb.answer(w, 130101, "send too fast, exceed 20 times per minute")
		return
	}
	rb.times = append(rb.times, now)
	rb.got = append(rb.got, dingTalkGot{query: q, title: body.Markdown.Title, text: body.Markdown.Text})
	rb.answer(w, 0, "ok")
}

const testKeyword = "城关督查"

func newDingTalk(t *testing.T, secret, keyword string) (*dingTalkRobot, Channel, *Sender) {
	rb := &dingTalkRobot{token: testToken, secret: secret, keyword: keyword, now: clock}
	srv, s := serve(t, rb)
	return rb, Channel{Kind: DingTalk, URL: srv.URL + "/robot/send?access_token=" + testToken, Secret: secret, Keyword: keyword}, s
}

func TestDingTalkSigned(t *testing.T) {
	rb, ch, s := newDingTalk(t, testSecret, testKeyword)
	m := testMessage()
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	g := rb.got[0]
	if g.query.Get("timestamp") != strconv.FormatInt(testNow.UnixMilli(), 10) {
		t.Errorf("timestamp %q, want the sender's clock in ms", g.query.Get("timestamp"))
	}
	wantTitle := "【" + testKeyword + "】" + m.Title
	if g.title != wantTitle {
		t.Errorf("title %q, want %q", g.title, wantTitle)
	}
	wantText := "#### " + wantTitle + "\n\n请于三日内反馈整改情况。  \n责任单位：城关镇人民政府\n\n[查看详情](" + m.Link + ")"
	if g.text != wantText {
		t.Errorf("text %q, want %q", g.text, wantText)
	}
}

func TestDingTalkUnsigned(t *testing.T) {
	rb, ch, s := newDingTalk(t, "", "")
	m := testMessage()
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	g := rb.got[0]
	if g.query.Has("timestamp") || g.query.Has("sign") || g.title != m.Title {
		t.Errorf("unsigned request: query %v, title %q", g.query, g.title)
	}
}

func TestDingTalkURL(t *testing.T) {
	got, err := dingTalkURL("https://robot.example/robot/send", "s", 1700000000000)
	if err != nil || !strings.HasPrefix(got, "https://robot.example/robot/send?timestamp=1700000000000&sign=") {
		t.Errorf("no query: %q %v", got, err)
	}
	got, _ = dingTalkURL("https://robot.example/robot/send?access_token=t", "s", 1700000000000)
	if !strings.HasPrefix(got, "https://robot.example/robot/send?access_token=t&timestamp=1700000000000&sign=") {
		t.Errorf("with query: %q", got)
	}
	u, _ := url.Parse(got)
	if u.Query().Get("sign") != dingTalkSign("s", "1700000000000") {
		t.Errorf("sign does not decode to the signature: %q", got)
	}
}

func TestDingTalkWrongSecret(t *testing.T) {
	_, ch, s := newDingTalk(t, testSecret, "")
	ch.Secret = "SECwrong-" + testSecret
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "310000")
	noLeak(t, err, ch.Secret, testSecret, testToken)
}

func TestDingTalkStaleTimestamp(t *testing.T) {
	_, ch, s := newDingTalk(t, testSecret, "")
	s.Now = func() time.Time { return testNow.Add(-2 * time.Hour) }
	wantClass(t, s.Send(context.Background(), ch, testMessage()), false, false, "310000")
}

func TestDingTalkKeywordMissing(t *testing.T) {
	_, ch, s := newDingTalk(t, "", testKeyword)
	ch.Keyword = ""
	err := s.Send(context.Background(), ch, testMessage())
	e := wantClass(t, err, false, false, "310000")
	if !strings.Contains(e.Msg, "keywords not in content") {
		t.Errorf("message %q lost DingTalk's reason", e.Msg)
	}
}

func TestDingTalkBadToken(t *testing.T) {
	_, ch, s := newDingTalk(t, "", "")
	ch.URL = strings.Replace(ch.URL, testToken, "other-"+testToken, 1)
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "300001")
	noLeak(t, err, testToken)
}

func TestDingTalkThrottled(t *testing.T) {
	_, ch, s := newDingTalk(t, testSecret, "")
	for i := range 20 {
		if err := s.Send(context.Background(), ch, testMessage()); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	e := wantClass(t, s.Send(context.Background(), ch, testMessage()), true, true, "130101")
	if e.RetryAfter != 10*time.Minute {
		t.Errorf("RetryAfter = %v, want 10m", e.RetryAfter)
	}
}

func TestDingTalkBusy(t *testing.T) {
	rb, ch, s := newDingTalk(t, "", "")
	rb.busy = true
	wantClass(t, s.Send(context.Background(), ch, testMessage()), true, false, "-1")
}

func TestDingTalkLongText(t *testing.T) {
	rb, ch, s := newDingTalk(t, testSecret, testKeyword)
	m := testMessage()
	m.Text = longChinese(10000)
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	text := rb.got[0].text
	if len(text) > 20000 || len(text) < 19000 || !utf8.ValidString(text) {
		t.Errorf("text is %d bytes (valid UTF-8: %v), want at most 20000 and nearly that", len(text), utf8.ValidString(text))
	}
	if !strings.Contains(text, testKeyword) || !strings.HasSuffix(text, "…\n\n[查看详情]("+m.Link+")") {
		t.Errorf("cut text lost its keyword or link: … %q", text[len(text)-80:])
	}
}
