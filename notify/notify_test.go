package notify

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcdef", 5, "ab…"},
		{"督办通知", 12, "督办通知"},
		{"督办通知", 11, "督办…"}, // 11-3 = 8 bytes leave two runes
		{"督办通知", 8, "督…"},   // 5 bytes: one rune, not half of the next
		{"督办通知", 5, "…"},    // 2 bytes: no whole rune fits before the ellipsis
		{"督办通知", 4, "…"},    // 1 byte: no rune at all
		{"督办通知", 2, ""},     // not even the ellipsis
		{"a督办", 6, "a…"},    // 3 bytes: "a" and half a rune
		{strings.Repeat("x", 10), 0, ""},
	}
	for _, tt := range tests {
		got := truncate(tt.in, tt.max)
		if got != tt.want || len(got) > tt.max || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestFit(t *testing.T) {
	if got := fit(100, "H\n", "body", "\nT"); got != "H\nbody\nT" {
		t.Errorf("short: %q", got)
	}
	long := longChinese(1000)
	got := fit(200, "标题\n", long, "\n[链接](https://x)")
	if len(got) > 200 || !strings.HasPrefix(got, "标题\n") || !strings.HasSuffix(got, "…\n[链接](https://x)") || !utf8.ValidString(got) {
		t.Errorf("long body: %d bytes %q", len(got), got)
	}
	// No room for the body: the tail goes, the head stays.
	got = fit(80, strings.Repeat("头", 20), long, strings.Repeat("尾", 20))
	if len(got) > 80 || !strings.HasPrefix(got, "头") || strings.Contains(got, "尾") {
		t.Errorf("no room: %d bytes %q", len(got), got)
	}
}

func TestWithKeyword(t *testing.T) {
	if got := withKeyword("督办", "城关镇督办通知"); got != "城关镇督办通知" {
		t.Errorf("present: %q", got)
	}
	if got := withKeyword("督办", "整改通知"); got != "【督办】整改通知" {
		t.Errorf("absent: %q", got)
	}
	if got := withKeyword("", "整改通知"); got != "整改通知" {
		t.Errorf("none: %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		ch   Channel
		want string // "" for valid; else a prefix of the message
	}{
		{"wecom", Channel{Kind: WeCom, URL: "https://wecom.example.gov.cn/cgi-bin/webhook/send?key=k"}, ""},
		{"dingtalk http", Channel{Kind: DingTalk, URL: "http://10.1.2.3:8080/robot/send?access_token=t"}, ""},
		{"feishu", Channel{Kind: Feishu, URL: "https://feishu.example/open-apis/bot/v2/hook/abc"}, ""},
		{"webhook", Channel{Kind: Webhook, URL: "https://hooks.example/ducha"}, ""},
		{"email", Channel{Kind: Email, To: []string{"zhang@example.gov.cn", "li@example.gov.cn"}}, ""},
		{"no kind", Channel{URL: "https://x"}, "类型："},
		{"unknown kind", Channel{Kind: "sms", URL: "https://x"}, "类型：不支持的通知渠道「sms」"},
		{"no url", Channel{Kind: WeCom}, "地址：必须填写"},
		{"relative url", Channel{Kind: WeCom, URL: "/cgi-bin/webhook/send"}, "地址：必须是 http 或 https 网址"},
		{"ftp url", Channel{Kind: DingTalk, URL: "ftp://x/robot"}, "地址：必须是 http 或 https 网址"},
		{"no host", Channel{Kind: Feishu, URL: "https:///hook"}, "地址：必须是 http 或 https 网址"},
		{"user info", Channel{Kind: Webhook, URL: "https://u:p@x/hook"}, "地址：必须是 http 或 https 网址"},
		{"control character", Channel{Kind: Webhook, URL: "https://x/\nhook"}, "地址：必须是 http 或 https 网址"},
		{"long url", Channel{Kind: Webhook, URL: "https://x/" + strings.Repeat("a", 2048)}, "地址：不能超过 2048 个字符"},
		{"keyword newline", Channel{Kind: DingTalk, URL: "https://x/robot", Keyword: "督\n办"}, "关键词："},
		{"no recipient", Channel{Kind: Email}, "收件人：至少填写一个邮箱地址"},
		{"bad recipient", Channel{Kind: Email, To: []string{"zhang@example.gov.cn", "not-an-address"}}, "收件人：「not-an-address」不是有效的邮箱地址"},
		{"display name", Channel{Kind: Email, To: []string{"张三 <zhang@example.gov.cn>"}}, "收件人："},
	}
	for _, tt := range tests {
		err := Validate(tt.ch)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e := asNotifyError(t, err)
		if !strings.HasPrefix(e.Error(), tt.want) || e.Code != CodeInvalid || e.Temporary {
			t.Errorf("%s: %+v, want a permanent invalid error starting %q", tt.name, e, tt.want)
		}
	}
}

func TestSendRefusesBadMessage(t *testing.T) {
	s := &Sender{Now: clock}
	ch := Channel{Kind: Webhook, URL: "http://127.0.0.1:1/never"}
	for _, m := range []Message{
		{Key: "", Title: "t"},
		{Key: "a b", Title: "t"},
		{Key: "k\r\nX-Evil: 1", Title: "t"},
		{Key: "k", Title: " "},
		{Key: "k", Title: "t", Link: "javascript:alert(1)"},
	} {
		e := wantClass(t, s.Send(context.Background(), ch, m), false, false, CodeInvalid)
		if !strings.Contains(e.Msg, "：") {
			t.Errorf("%+v: message names no field", e)
		}
	}
}

func TestRedact(t *testing.T) {
	msg := `Post "https://oapi.example/robot/send?access_token=` + testToken + `&timestamp=1&sign=x": secret ` + testSecret
	got := redact(msg, "", testToken, testSecret, "https://oapi.example/robot/send?access_token="+testToken)
	for _, s := range []string{testToken, testSecret, "access_token=" + testToken} {
		if strings.Contains(got, s) {
			t.Errorf("redact left %q in %q", s, got)
		}
	}
	if !strings.Contains(got, "***") || !strings.HasPrefix(got, `Post "`) {
		t.Errorf("redact(%q) = %q", msg, got)
	}
	// Longest first: a secret that contains another goes whole.
	if got := redact("abcdef", "cd", "abcdef"); got != "***" {
		t.Errorf("longest first: %q", got)
	}
	if got := redact("nothing here", "", ""); got != "nothing here" {
		t.Errorf("empty secrets: %q", got)
	}
}

func TestSensitive(t *testing.T) {
	tests := []struct {
		url   string
		token string
	}{
		{"https://qyapi.example/cgi-bin/webhook/send?key=" + testToken, testToken},
		{"https://oapi.example/robot/send?access_token=" + testToken, testToken},
		{"https://open.example/open-apis/bot/v2/hook/" + testToken, testToken},
		{"https://x.example/hook?access_token=a%2Bb%2Fc%3Dtoken", "a+b/c=token"},
	}
	for _, tt := range tests {
		ch := Channel{Kind: WeCom, URL: tt.url, Secret: testSecret}
		list := sensitive(ch, SMTP{Password: "smtp-pass-123"})
		text := "error at " + tt.url + " token " + tt.token + " secret " + testSecret + " password smtp-pass-123"
		got := redact(text, list...)
		for _, s := range []string{tt.token, testSecret, "smtp-pass-123", tt.url} {
			if strings.Contains(got, s) {
				t.Errorf("%s: %q left in %q", tt.url, s, got)
			}
		}
		if !strings.HasPrefix(got, "error at ") {
			t.Errorf("%s: redacted too much: %q", tt.url, got)
		}
	}
	// Short query values are not tokens: "zh" stays readable.
	list := sensitive(Channel{URL: "https://x.example/hook?lang=zh"}, SMTP{})
	if got := redact("lang zh", list...); got != "lang zh" {
		t.Errorf("short value redacted: %q", got)
	}
}

func TestSite(t *testing.T) {
	if got := site("https://oapi.example:8443/robot/send?access_token=" + testToken); got != "https://oapi.example:8443" {
		t.Errorf("site = %q", got)
	}
}

func TestRetryAfter(t *testing.T) {
	h := func(k, v string) http.Header { return http.Header{k: {v}} }
	tests := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{}, time.Minute},
		{h("Retry-After", "120"), 120 * time.Second},
		{h("Retry-After", testNow.Add(90*time.Second).UTC().Format(http.TimeFormat)), 90 * time.Second},
		{h("Retry-After", "soon"), time.Minute},
		{h("Retry-After", "0"), time.Minute},
		{h("X-Ogw-Ratelimit-Reset", "52"), 52 * time.Second},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.h, testNow, time.Minute); got != tt.want {
			t.Errorf("retryAfter(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestStatusError(t *testing.T) {
	tests := []struct {
		status    int
		temporary bool
		throttled bool
		code      string
	}{
		{200, false, false, ""},
		{204, false, false, ""},
		{302, false, false, CodeRedirect},
		{400, false, false, "http_400"},
		{403, false, false, "http_403"},
		{404, false, false, "http_404"},
		{408, true, false, "http_408"},
		{429, true, true, "http_429"},
		{500, true, false, "http_500"},
		{503, true, false, "http_503"},
	}
	for _, tt := range tests {
		e := statusError("测试", &answer{status: tt.status, header: http.Header{}}, testNow)
		if tt.code == "" {
			if e != nil {
				t.Errorf("%d: %+v", tt.status, e)
			}
			continue
		}
		if e == nil || e.Temporary != tt.temporary || e.Throttled != tt.throttled || e.Code != tt.code {
			t.Errorf("%d: %+v, want temporary=%v throttled=%v code=%s", tt.status, e, tt.temporary, tt.throttled, tt.code)
		}
	}
}
