package notify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// weComRobot speaks WeCom's group robot protocol as document 91770 gives
// it: the key in the query, a markdown content of at most 4096 bytes, at
// most 20 messages a minute, errcode answers with HTTP 200.
type weComRobot struct {
	key string

	mu    sync.Mutex
	got   []string // accepted contents
	times []time.Time
	down  bool // answer 503 with a page that echoes the request URL
}

func (rb *weComRobot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "<html>upstream failed for %s</html>", r.URL)
		return
	}
	if msg := checkDelivery(r); msg != "" {
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "invalid parameter: " + msg})
		return
	}
	if r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != rb.key {
		writeJSON(w, 200, map[string]any{"errcode": 93000, "errmsg": "invalid webhook url, key " + r.URL.Query().Get("key")})
		return
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown *struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := decodeJSON(r, &body); err != nil {
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "invalid json: " + err.Error()})
		return
	}
	if body.MsgType != "markdown" || body.Markdown == nil {
		writeJSON(w, 200, map[string]any{"errcode": 40008, "errmsg": "invalid message type"})
		return
	}
	if c := body.Markdown.Content; c == "" || len(c) > 4096 {
		writeJSON(w, 200, map[string]any{"errcode": 40058, "errmsg": fmt.Sprintf("markdown.content exceed max length 4096, got %d", len(c))})
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
		writeJSON(w, 200, map[string]any{"errcode": 45009, "errmsg": "api freq out of limit"})
		return
	}
	rb.times = append(rb.times, now)
	rb.got = append(rb.got, body.Markdown.Content)
	writeJSON(w, 200, map[string]any{"errcode": 0, "errmsg": "ok"})
}

func newWeCom(t *testing.T) (*weComRobot, Channel, *Sender) {
	rb := &weComRobot{key: testToken}
	srv, s := serve(t, rb)
	return rb, Channel{Kind: WeCom, URL: srv.URL + "/cgi-bin/webhook/send?key=" + testToken}, s
}

func TestWeComSend(t *testing.T) {
	rb, ch, s := newWeCom(t)
	m := testMessage()
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	want := "**" + m.Title + "**\n" + m.Text + "\n[查看详情](" + m.Link + ")"
	if len(rb.got) != 1 || rb.got[0] != want {
		t.Errorf("robot got %q, want %q", rb.got, want)
	}
}

func TestWeComLongText(t *testing.T) {
	rb, ch, s := newWeCom(t)
	m := testMessage()
	m.Text = longChinese(10000)
	if err := s.Send(context.Background(), ch, m); err != nil {
		t.Fatal(err)
	}
	c := rb.got[0]
	if len(c) > 4096 || len(c) < 4000 || !utf8.ValidString(c) {
		t.Errorf("content is %d bytes (valid UTF-8: %v), want at most 4096 and nearly that", len(c), utf8.ValidString(c))
	}
	if !strings.HasPrefix(c, "**"+m.Title+"**\n") || !strings.HasSuffix(c, "…\n[查看详情]("+m.Link+")") {
		t.Errorf("cut content lost its title or link: %q … %q", c[:60], c[len(c)-80:])
	}
}

func TestWeComThrottled(t *testing.T) {
	_, ch, s := newWeCom(t)
	for i := range 20 {
		if err := s.Send(context.Background(), ch, testMessage()); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	e := wantClass(t, s.Send(context.Background(), ch, testMessage()), true, true, "45009")
	if e.RetryAfter != time.Minute {
		t.Errorf("RetryAfter = %v, want 1m", e.RetryAfter)
	}
}

func TestWeComBadKey(t *testing.T) {
	_, ch, s := newWeCom(t)
	wrong := "wrongkey-" + testToken[:12]
	ch.URL = strings.Replace(ch.URL, testToken, wrong, 1)
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, false, false, "93000")
	noLeak(t, err, wrong)
	if !strings.Contains(err.Error(), "企业微信") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %q does not name the channel", err)
	}
}

func TestWeComDown(t *testing.T) {
	rb, ch, s := newWeCom(t)
	rb.down = true
	err := s.Send(context.Background(), ch, testMessage())
	wantClass(t, err, true, false, "http_503")
	noLeak(t, err, testToken, "key=")
}
