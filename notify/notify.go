// Package notify delivers one message to one notification channel: an SMTP
// mailbox, a WeCom (企业微信) group robot, a DingTalk (钉钉) custom robot, a
// Feishu (飞书) custom bot, or a generic JSON webhook.
//
// It keeps no state and knows nothing of the rest of the program: the outbox
// sender that calls it owns retries, rate limits and bookkeeping, and decides
// from the *Error that Send returns whether to wait, retry or give up.
//
// Government editions of the vendors' services run on private hosts, so no
// vendor host is written here: every robot is reached at its Channel.URL.
package notify

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind names a channel's protocol.
type Kind string

// The kinds of channel.
const (
	Email    Kind = "email"
	WeCom    Kind = "wecom"
	DingTalk Kind = "dingtalk"
	Feishu   Kind = "feishu"
	Webhook  Kind = "webhook"
)

// Kinds lists every kind, in the order a form offers them.
var Kinds = []Kind{Email, WeCom, DingTalk, Feishu, Webhook}

// Channel is one configured destination.
type Channel struct {
	Kind Kind
	// URL is the robot's or webhook's own address, token included, as the
	// vendor issued it. Never shown in errors beyond its scheme and host.
	URL string
	// Secret signs requests: DingTalk's 加签 secret, Feishu's 签名校验 secret,
	// the webhook's HMAC key. Empty: requests go unsigned.
	Secret string
	// Keyword is the robot's 自定义关键词 (DingTalk, and Feishu's equivalent):
	// a message that lacks it is prefixed with 【Keyword】.
	Keyword string
	// To lists the email recipients.
	To []string
}

// Message is one delivery.
type Message struct {
	// Key is the delivery's idempotency key, e.g. "ducha-delivery-42": the
	// Idempotency-Key and X-Ducha-Delivery headers of every HTTP request and
	// the email's Message-ID <Key@ducha>, so a receiver can drop a repeat.
	Key   string
	Event string // "notice", "returned", "assigned", "digest", "test", …
	Title string // short subject
	Text  string // plain-text body, UTF-8, may be long
	Link  string // optional absolute http(s) URL of the item
}

// SMTP is the outgoing mail server shared by every email channel.
type SMTP struct {
	Host     string
	Port     int // 0: 465 for "tls", 587 for "starttls", 25 for "none"
	Username string
	Password string
	From     string
	// TLS is "tls" (implicit TLS, SMTPS), "starttls" (required, never
	// skipped) or "none"; empty means "starttls".
	TLS     string
	Timeout time.Duration // per connection step; 0: 30 s
	// RootCAs verifies the server's certificate; nil: the system's roots.
	// A county's mail server often carries a certificate of its own CA.
	RootCAs *x509.CertPool
}

// Sender delivers messages. Its zero value is ready to use for the robot kinds
// and the webhook; email needs SMTP.
type Sender struct {
	HTTP *http.Client     // nil: a client with a 10 s timeout
	SMTP SMTP             // used by email channels
	Now  func() time.Time // nil: time.Now; the signatures' timestamps
}

var defaultHTTP = &http.Client{Timeout: 10 * time.Second}

// Send delivers m on ch. A failure is always an *Error: Throttled (wait
// RetryAfter), Temporary (retry with backoff) or neither (give up). Its
// message names the receiver by scheme and host only and never holds the
// channel's secret, the credentials its URL carries (query values such as
// key= and access_token=, the last path segment), or the SMTP password.
func (s *Sender) Send(ctx context.Context, ch Channel, m Message) error {
	err := s.send(ctx, ch, m)
	if err == nil {
		return nil
	}
	e := asError(err)
	e.Msg = redact(e.Msg, sensitive(ch, s.SMTP)...)
	return e
}

func (s *Sender) send(ctx context.Context, ch Channel, m Message) error {
	if err := Validate(ch); err != nil {
		return err
	}
	if err := validateMessage(m); err != nil {
		return err
	}
	m.Title = strings.ToValidUTF8(m.Title, "\uFFFD")
	m.Text = strings.ToValidUTF8(m.Text, "\uFFFD")
	switch ch.Kind {
	case Email:
		return s.sendEmail(ctx, ch, m)
	case WeCom:
		return s.sendWeCom(ctx, ch, m)
	case DingTalk:
		return s.sendDingTalk(ctx, ch, m)
	case Feishu:
		return s.sendFeishu(ctx, ch, m)
	case Webhook:
		return s.sendWebhook(ctx, ch, m)
	}
	return invalid("类型：不支持的通知渠道「%s」", ch.Kind)
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return defaultHTTP
}

// maxURL bounds a channel's address; vendors' robot URLs are far shorter.
const maxURL = 2048

// Validate checks a channel's configuration. Its messages are Chinese and
// begin with the field they concern, e.g. "地址：必须是 http 或 https 网址".
func Validate(ch Channel) error {
	if !slices.Contains(Kinds, ch.Kind) {
		if ch.Kind == "" {
			return invalid("类型：必须选择通知渠道")
		}
		return invalid("类型：不支持的通知渠道「%s」", ch.Kind)
	}
	if ch.Kind == Email {
		if len(ch.To) == 0 {
			return invalid("收件人：至少填写一个邮箱地址")
		}
		for _, to := range ch.To {
			if !validAddress(to) {
				return invalid("收件人：「%s」不是有效的邮箱地址", to)
			}
		}
		return nil
	}
	if ch.URL == "" {
		return invalid("地址：必须填写")
	}
	if len(ch.URL) > maxURL {
		return invalid("地址：不能超过 %d 个字符", maxURL)
	}
	if _, err := parseURL(ch.URL); err != nil {
		return invalid("地址：必须是 http 或 https 网址")
	}
	if strings.ContainsAny(ch.Keyword, "\r\n") {
		return invalid("关键词：不能包含换行")
	}
	return nil
}

// parseURL accepts an absolute http or https URL with a host and no user
// information or fragment.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("not an absolute http(s) URL")
	}
	return u, nil
}

// validAddress accepts a bare address (user@host), not a display name form,
// since the field holds addresses only.
func validAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == strings.TrimSpace(s) && strings.Contains(a.Address, "@")
}

// keyPattern keeps the key usable as an HTTP header value and as the local
// part of a Message-ID.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$`)

func validateMessage(m Message) error {
	if !keyPattern.MatchString(m.Key) {
		return invalid("投递标识：必须是 1–200 个字母、数字、点、下划线或连字符")
	}
	if strings.TrimSpace(m.Title) == "" {
		return invalid("标题：必须填写")
	}
	if m.Link != "" {
		if _, err := parseURL(m.Link); err != nil {
			return invalid("链接：必须是 http 或 https 网址")
		}
	}
	return nil
}

// ellipsis marks a cut text; it counts inside the limit.
const ellipsis = "…"

// truncate returns s cut to at most max bytes on a rune boundary, ending in
// an ellipsis when cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max < len(ellipsis) {
		return ""
	}
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// fit joins head, body and tail within max bytes, cutting the body first,
// then dropping the tail, then cutting what is left: the title and the link
// matter more than the end of a long text.
func fit(max int, head, body, tail string) string {
	if len(head)+len(body)+len(tail) <= max {
		return head + body + tail
	}
	if room := max - len(head) - len(tail); room >= 64 {
		return head + truncate(body, room) + tail
	}
	return truncate(head+body, max)
}

// withKeyword prefixes text with 【keyword】 unless it already holds it.
func withKeyword(keyword, text string) string {
	if keyword == "" || strings.Contains(text, keyword) {
		return text
	}
	return "【" + keyword + "】" + text
}

// markdownLink renders an already validated URL so that its parentheses and
// spaces cannot end the link early.
func markdownLink(label, link string) string {
	r := strings.NewReplacer("(", "%28", ")", "%29", " ", "%20")
	return "[" + label + "](" + r.Replace(link) + ")"
}
