package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
)

// Feishu custom bot (飞书自定义机器人), open.feishu.cn 自定义机器人使用指南:
// POST JSON to the webhook URL (the token is its last path segment); with
// 签名校验 the body carries "timestamp" (seconds, within an hour) and "sign"
// = base64(HmacSHA256(key=timestamp+"\n"+secret, msg="")); the request body
// may not exceed 20 KB; 100 messages a minute and 5 a second, beyond which
// code 11232 answers. Success is {"code":0,"msg":"success",…}; older
// deployments answer {"StatusCode":0,"StatusMessage":"success"}.
//
// The body, not only the text, is held to 20000 bytes: under 20 KB however
// the vendor counts a kilobyte.
const feishuBodyLimit = 20000

const (
	feishuFreqLimit    = 11232    // frequency limited
	feishuGatewayLimit = 99991400 // request trigger frequency limit (the gateway's, HTTP 400 or 429)
	feishuSignFail     = 19021    // sign match fail or timestamp is not within one hour from current time
	feishuIPNotAllowed = 19022    // ip not allowed
	feishuKeyword      = 19024    // key words not found
)

type feishuText struct {
	Timestamp string            `json:"timestamp,omitempty"`
	Sign      string            `json:"sign,omitempty"`
	MsgType   string            `json:"msg_type"`
	Content   map[string]string `json:"content"`
}

type feishuAnswer struct {
	Code          *int   `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int   `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// feishuSign is Feishu's signature: the HMAC key is the string to sign and
// the message is empty, the reverse of DingTalk's.
func feishuSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// feishuBody renders the message as a text message of at most
// feishuBodyLimit bytes, cutting the text until the encoded body fits (JSON
// escapes make the body longer than the text).
func feishuBody(ch Channel, m Message, sec int64) []byte {
	msg := feishuText{MsgType: "text"}
	if ch.Secret != "" {
		msg.Timestamp = strconv.FormatInt(sec, 10)
		msg.Sign = feishuSign(ch.Secret, msg.Timestamp)
	}
	head := withKeyword(ch.Keyword, truncate(m.Title, titleLimit)) + "\n"
	tail := ""
	if m.Link != "" {
		tail = "\n" + m.Link
	}
	room := feishuBodyLimit
	for {
		msg.Content = map[string]string{"text": fit(room, head, m.Text, tail)}
		b := marshal(msg)
		if len(b) <= feishuBodyLimit || room <= 0 {
			return b
		}
		room -= len(b) - feishuBodyLimit
	}
}

func (s *Sender) sendFeishu(ctx context.Context, ch Channel, m Message) error {
	where := "飞书（" + site(ch.URL) + "）"
	now := s.now()
	a, err := s.post(ctx, where, ch.URL, m.Key, feishuBody(ch, m, now.Unix()), nil)
	if err != nil {
		return err
	}
	if a.status == http.StatusTooManyRequests {
		return statusError(where, a, now)
	}
	var r feishuAnswer
	known := json.Unmarshal(a.body, &r) == nil && (r.Code != nil || r.StatusCode != nil)
	code, msg := 0, ""
	switch {
	case r.Code != nil:
		code, msg = *r.Code, r.Msg
	case r.StatusCode != nil:
		code, msg = *r.StatusCode, r.StatusMessage
	}
	if code != 0 {
		c := strconv.Itoa(code)
		switch code {
		case feishuFreqLimit:
			return throttled(feishuWait, c, "%s：发送过于频繁，已被限流（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case feishuGatewayLimit:
			return throttled(retryAfter(a.header, now, feishuWait), c, "%s：发送过于频繁，已被限流（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case feishuSignFail:
			return permanent(c, "%s：签名校验失败，请检查密钥和服务器时间（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case feishuIPNotAllowed:
			return permanent(c, "%s：本机 IP 不在机器人白名单内（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case feishuKeyword:
			return permanent(c, "%s：消息不含机器人关键词，请检查关键词（错误码 %d）%s", where, code, snippet([]byte(msg)))
		}
		return otherCode(where, code, msg, a)
	}
	if e := statusError(where, a, now); e != nil {
		return e
	}
	if !known {
		return permanent(CodeAnswer, "%s：无法识别的应答%s", where, snippet(a.body))
	}
	return nil
}
