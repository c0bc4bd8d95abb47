package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// answer is a receiver's HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// maxAnswer bounds how much of an answer is read: vendors answer in a few
// dozen bytes, and a misconfigured URL may point at a large page.
const maxAnswer = 64 << 10

// post sends body as JSON to target with the delivery's idempotency headers
// and extra headers. Redirects are not followed: a robot URL that redirects
// is misconfigured, and following it would hand the signed request to
// another host.
func (s *Sender) post(ctx context.Context, where, target, key string, body []byte, extra http.Header) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, invalid("地址：必须是 http 或 https 网址")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("X-Ducha-Delivery", key)
	req.Header.Set("User-Agent", "ducha-notify/1")
	for k, v := range extra {
		req.Header[k] = v
	}
	c := *s.client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return nil, transportError(ctx, where, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, transportError(ctx, where, err)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// marshal encodes v as JSON without HTML escaping, so that the byte limits
// count the characters the vendor sees (a "<" stays one byte, not six).
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only strings and maps of strings are encoded here.
		panic("notify: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// errcodeAnswer is the answer of WeCom and DingTalk robots.
type errcodeAnswer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// robotAnswer reads a WeCom or DingTalk answer: classify turns a non-zero
// errcode into an error. HTTP 429 comes first (its Retry-After is the most
// precise wait), then the vendor's code, then the HTTP status; a 2xx answer
// without an errcode is not understood and not retried, since the message
// may have been delivered.
func robotAnswer(where string, a *answer, s *Sender, classify func(code int, msg string, a *answer) *Error) error {
	if a.status == http.StatusTooManyRequests {
		return statusError(where, a, s.now())
	}
	var r errcodeAnswer
	if json.Unmarshal(a.body, &r) == nil && r.ErrCode != nil && *r.ErrCode != 0 {
		return classify(*r.ErrCode, r.ErrMsg, a)
	}
	if e := statusError(where, a, s.now()); e != nil {
		return e
	}
	if r.ErrCode == nil {
		return permanent(CodeAnswer, "%s：无法识别的应答%s", where, snippet(a.body))
	}
	return nil
}

// otherCode classifies a vendor code this package does not know: a 5xx
// answer is the server's trouble, anything else is the request's.
func otherCode(where string, code int, msg string, a *answer) *Error {
	c := strconv.Itoa(code)
	if a.status >= 500 {
		return temporary(c, "%s：服务暂不可用（错误码 %d）%s", where, code, snippet([]byte(msg)))
	}
	return permanent(c, "%s：发送失败（错误码 %d）%s", where, code, snippet([]byte(msg)))
}
