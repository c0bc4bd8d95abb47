package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// DingTalk custom robot (钉钉自定义机器人), open.dingtalk.com 自定义机器人
// 接入 and 自定义机器人安全设置: POST JSON to the webhook URL (access_token=
// in its query); with 加签, append &timestamp=<ms>&sign=<urlencode(base64(
// HmacSHA256(key=secret, msg=timestamp+"\n"+secret)))>, the timestamp within
// an hour of DingTalk's clock; with 自定义关键词 the message must hold one
// of the keywords. At most 20 messages a minute, beyond which errcode 130101
// (send too fast) answers and the robot is limited for 10 minutes.
//
// The documents give no byte limit for markdown text; 20000 bytes is used,
// well under what DingTalk accepts in practice and far more than a group
// chat reader wants to scroll.
const dingTalkTextLimit = 20000

const (
	dingTalkBusy       = -1     // 系统繁忙: retry
	dingTalkTooFast    = 130101 // send too fast, exceed 20 times per minute
	dingTalkTooFastOld = 410100 // the older code for the same limit
	dingTalkSecurity   = 310000 // keywords not in content, sign not match, invalid timestamp, ip not in whitelist
	dingTalkNoToken    = 300001 // token is not exist
)

type dingTalkMarkdown struct {
	MsgType  string            `json:"msgtype"`
	Markdown map[string]string `json:"markdown"`
}

// dingTalkSign is DingTalk's 加签 signature of timestamp (milliseconds),
// before URL encoding.
func dingTalkSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// dingTalkURL appends the signature to the robot's URL, after its own query.
func dingTalkURL(raw, secret string, ms int64) (string, error) {
	u, err := parseURL(raw)
	if err != nil {
		return "", err
	}
	ts := strconv.FormatInt(ms, 10)
	q := "timestamp=" + ts + "&sign=" + url.QueryEscape(dingTalkSign(secret, ts))
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	u.RawQuery = q
	return u.String(), nil
}

// dingTalkMessage renders the message as DingTalk markdown: a title (shown
// in the chat list), and a text of a heading, the body with its line breaks
// kept, and the link. Both carry the keyword when one is set.
func dingTalkMessage(ch Channel, m Message) (title, text string) {
	title = withKeyword(ch.Keyword, truncate(m.Title, titleLimit))
	head := "#### " + title + "\n\n"
	tail := ""
	if m.Link != "" {
		tail = "\n\n" + markdownLink("查看详情", m.Link)
	}
	// DingTalk's markdown joins single newlines; two trailing spaces break.
	body := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "  \n")
	// The keyword is in the title, hence in the head: the text holds it too.
	return title, fit(dingTalkTextLimit, head, body, tail)
}

func (s *Sender) sendDingTalk(ctx context.Context, ch Channel, m Message) error {
	where := "钉钉（" + site(ch.URL) + "）"
	target := ch.URL
	if ch.Secret != "" {
		var err error
		if target, err = dingTalkURL(ch.URL, ch.Secret, s.now().UnixMilli()); err != nil {
			return invalid("地址：必须是 http 或 https 网址")
		}
	}
	title, text := dingTalkMessage(ch, m)
	body := marshal(dingTalkMarkdown{MsgType: "markdown", Markdown: map[string]string{"title": title, "text": text}})
	a, err := s.post(ctx, where, target, m.Key, body, nil)
	if err != nil {
		return err
	}
	return robotAnswer(where, a, s, func(code int, msg string, a *answer) *Error {
		c := strconv.Itoa(code)
		switch code {
		case dingTalkTooFast, dingTalkTooFastOld:
			return throttled(dingTalkWait, c, "%s：发送过于频繁，已被限流 10 分钟（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case dingTalkBusy:
			return temporary(c, "%s：系统繁忙（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case dingTalkSecurity:
			return permanent(c, "%s：未通过机器人安全设置（关键词、加签或 IP 白名单），请检查密钥和关键词（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case dingTalkNoToken:
			return permanent(c, "%s：机器人地址中的令牌无效（错误码 %d）%s", where, code, snippet([]byte(msg)))
		}
		return otherCode(where, code, msg, a)
	})
}
