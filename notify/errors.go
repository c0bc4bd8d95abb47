package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is the one error Send and Validate return. The caller decides from it:
// Throttled means wait RetryAfter, Temporary means retry with backoff, and
// neither means the delivery has failed for good.
type Error struct {
	// Temporary: the same delivery may succeed later (network, timeout,
	// HTTP 5xx, SMTP 4xx). Always true when Throttled.
	Temporary bool
	// RetryAfter is the least wait before the next try; 0 leaves it to the
	// caller's backoff.
	RetryAfter time.Duration
	// Throttled: the receiver limits this channel's rate.
	Throttled bool
	// Code says what failed: a vendor's errcode ("130101", "45009",
	// "11232"), "http_<status>", "smtp_<reply code>", or one of the Code
	// constants.
	Code string
	// Msg is Chinese, for the operator; it never holds a secret, a token or
	// a password.
	Msg string
}

// Codes of failures that have no vendor, HTTP or SMTP code of their own.
const (
	CodeInvalid  = "invalid"  // the channel, the message or the SMTP settings are wrong
	CodeNetwork  = "network"  // the receiver could not be reached
	CodeTimeout  = "timeout"  // the receiver did not answer in time
	CodeCanceled = "canceled" // the caller's context ended first
	CodeTLS      = "tls"      // the receiver's certificate was refused
	CodeRedirect = "redirect" // the receiver answered with a redirect, which is not followed
	CodeAnswer   = "answer"   // the receiver's answer could not be understood
	CodeInternal = "internal" // anything else
)

func (e *Error) Error() string { return e.Msg }

// How long a throttled channel waits when the receiver does not say.
const (
	dingTalkWait = 10 * time.Minute // DingTalk: over 20 a minute is limited for 10 minutes
	weComWait    = time.Minute      // WeCom: 20 a minute
	feishuWait   = time.Minute      // Feishu: 100 a minute, 5 a second
	httpWait     = time.Minute      // HTTP 429 without Retry-After
)

func invalid(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)}
}

func permanent(code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

func temporary(code, format string, args ...any) *Error {
	return &Error{Temporary: true, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func throttled(wait time.Duration, code, format string, args ...any) *Error {
	return &Error{Temporary: true, Throttled: true, RetryAfter: wait, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// asError returns err as an *Error; any other error is internal and final.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		return &c
	}
	return permanent(CodeInternal, "通知发送失败：%v", err)
}

// transportError classifies a failure to reach the receiver or to read its
// answer. where names the channel ("钉钉（https://host）").
func transportError(ctx context.Context, where string, err error) *Error {
	// url.Error's text repeats the whole URL, token included: keep its cause.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return temporary(CodeCanceled, "%s：发送被取消", where)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()):
		return temporary(CodeTimeout, "%s：连接或应答超时", where)
	case certificateError(err):
		return permanent(CodeTLS, "%s：服务器证书未通过校验：%v", where, err)
	}
	return temporary(CodeNetwork, "%s：网络错误：%v", where, err)
}

// certificateError reports whether err is a refused certificate, which no
// retry mends.
func certificateError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// statusError classifies a non-2xx HTTP answer; nil for 2xx.
func statusError(where string, a *answer, now time.Time) *Error {
	st := a.status
	code := "http_" + strconv.Itoa(st)
	switch {
	case st >= 200 && st < 300:
		return nil
	case st == http.StatusTooManyRequests:
		wait := retryAfter(a.header, now, httpWait)
		return throttled(wait, code, "%s：发送过于频繁（HTTP 429），%s后再试", where, wait)
	case st >= 500 || st == http.StatusRequestTimeout || st == http.StatusTooEarly:
		e := temporary(code, "%s：服务暂不可用（HTTP %d）%s", where, st, snippet(a.body))
		e.RetryAfter = retryAfter(a.header, now, 0)
		return e
	case st >= 300 && st < 400:
		return permanent(CodeRedirect, "%s：应答为重定向（HTTP %d），请检查地址", where, st)
	}
	return permanent(code, "%s：请求被拒绝（HTTP %d）%s", where, st, snippet(a.body))
}

// retryAfter reads Retry-After (seconds or an HTTP date), then Feishu's
// x-ogw-ratelimit-reset (seconds); def when neither is usable.
func retryAfter(h http.Header, now time.Time, def time.Duration) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			d = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	} else if v := strings.TrimSpace(h.Get("X-Ogw-Ratelimit-Reset")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			d = time.Duration(n) * time.Second
		}
	}
	if d <= 0 {
		return def
	}
	if d < time.Second {
		d = time.Second
	}
	return d
}

// snippet is the start of an answer's body for an error message: one line,
// at most 200 bytes, valid UTF-8, prefixed with "：" when not empty.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "")), " ")
	if s == "" {
		return ""
	}
	return "：" + truncate(s, 200)
}

// site shows a URL as its scheme and host only: the path (Feishu's hook
// token) and the query (WeCom's key=, DingTalk's access_token=) are secret.
func site(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "（地址无效）"
	}
	return u.Scheme + "://" + u.Host
}

// redact replaces every occurrence of each secret in s with "***", longest
// first so that no part of a longer secret survives a shorter one's
// replacement. Empty secrets are skipped.
func redact(s string, secrets ...string) string {
	list := slices.Clone(secrets)
	list = slices.DeleteFunc(list, func(x string) bool { return x == "" })
	slices.SortFunc(list, func(a, b string) int { return len(b) - len(a) })
	for _, x := range slices.Compact(list) {
		s = strings.ReplaceAll(s, x, "***")
	}
	return s
}

// minTokenPart is the shortest URL part treated as a credential: shorter
// query values ("1", "zh") are not tokens, and blanking them would garble
// the message.
const minTokenPart = 6

// sensitive lists what must never appear in an error about ch: the signing
// secret, the SMTP password (and its PLAIN blob), and the credentials a robot
// URL carries in its query (key=, access_token=) or its last path segment
// (Feishu's hook token), in both their raw and decoded forms.
func sensitive(ch Channel, s SMTP) []string {
	list := []string{ch.Secret, s.Password}
	if s.Password != "" {
		list = append(list, base64.StdEncoding.EncodeToString([]byte("\x00"+s.Username+"\x00"+s.Password)))
	}
	if ch.URL == "" {
		return list
	}
	list = append(list, ch.URL)
	u, err := url.Parse(ch.URL)
	if err != nil {
		return list
	}
	list = append(list, u.String(), u.RawQuery, u.Query().Encode())
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		_, v, _ := strings.Cut(part, "=")
		list = appendToken(list, v)
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			list = appendToken(list, v)
		}
	}
	if i := strings.LastIndexByte(u.Path, '/'); i >= 0 {
		list = appendToken(list, u.Path[i+1:])
	}
	if i := strings.LastIndexByte(u.EscapedPath(), '/'); i >= 0 {
		list = appendToken(list, u.EscapedPath()[i+1:])
	}
	return list
}

func appendToken(list []string, v string) []string {
	if utf8.RuneCountInString(v) >= minTokenPart {
		list = append(list, v, url.QueryEscape(v))
	}
	return list
}
