package notify

import (
	"context"
	"strconv"
)

// WeCom group robot (企业微信群机器人), developer.work.weixin.qq.com
// document 91770 (群机器人配置说明): POST JSON to the webhook URL as issued
// (key= in its query); markdown content at most 4096 bytes of UTF-8 (text
// 2048); answer {"errcode":0,"errmsg":"ok"}; at most 20 messages a minute,
// beyond which errcode 45009 (api freq out of limit) answers.
const (
	weComMarkdownLimit = 4096
	titleLimit         = 256 // a title longer than this is cut before the body
)

const (
	weComBusy      = -1    // 系统繁忙: retry
	weComFreqLimit = 45009 // 接口调用超过限制
)

type weComMarkdown struct {
	MsgType  string            `json:"msgtype"`
	Markdown map[string]string `json:"markdown"`
}

// weComContent renders the message as WeCom markdown: the title in bold, the
// text, then the link, within the markdown limit.
func weComContent(m Message) string {
	head := "**" + truncate(m.Title, titleLimit) + "**\n"
	tail := ""
	if m.Link != "" {
		tail = "\n" + markdownLink("查看详情", m.Link)
	}
	return fit(weComMarkdownLimit, head, m.Text, tail)
}

func (s *Sender) sendWeCom(ctx context.Context, ch Channel, m Message) error {
	where := "企业微信（" + site(ch.URL) + "）"
	body := marshal(weComMarkdown{MsgType: "markdown", Markdown: map[string]string{"content": weComContent(m)}})
	a, err := s.post(ctx, where, ch.URL, m.Key, body, nil)
	if err != nil {
		return err
	}
	return robotAnswer(where, a, s, func(code int, msg string, a *answer) *Error {
		switch code {
		case weComFreqLimit:
			return throttled(weComWait, strconv.Itoa(code), "%s：发送过于频繁，已被限流（错误码 %d）%s", where, code, snippet([]byte(msg)))
		case weComBusy:
			return temporary(strconv.Itoa(code), "%s：系统繁忙（错误码 %d）%s", where, code, snippet([]byte(msg)))
		}
		return otherCode(where, code, msg, a)
	})
}
