package ducha

import (
	"context"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Notifications. Every notice, return, new assignment and daily digest is
// written to the outbox in the transaction of the change that caused it;
// a sender then delivers each outbox message to every channel that
// carries its unit and its event, once per channel, with retries. The
// record is the outbox and the in-app inbox; channels only push.

// ChannelKind is what a channel talks to.
type ChannelKind string

const (
	ChannelEmail    ChannelKind = "email"    // SMTP, to the channel's addresses
	ChannelWeCom    ChannelKind = "wecom"    // 企业微信群机器人
	ChannelDingTalk ChannelKind = "dingtalk" // 钉钉自定义机器人 (signed)
	ChannelFeishu   ChannelKind = "feishu"   // 飞书自定义机器人 (signed)
	ChannelWebhook  ChannelKind = "webhook"  // plain JSON with an HMAC header
)

// ChannelKinds lists the kinds in the order forms show them.
var ChannelKinds = []ChannelKind{ChannelEmail, ChannelWeCom, ChannelDingTalk, ChannelFeishu, ChannelWebhook}

// Label is the kind's Chinese name.
func (k ChannelKind) Label() string {
	switch k {
	case ChannelEmail:
		return "电子邮件"
	case ChannelWeCom:
		return "企业微信群机器人"
	case ChannelDingTalk:
		return "钉钉机器人"
	case ChannelFeishu:
		return "飞书机器人"
	case ChannelWebhook:
		return "Webhook"
	}
	return string(k)
}

// Robot says whether the kind is a group robot, which its vendor
// throttles to RobotPerMinute messages a minute.
func (k ChannelKind) Robot() bool {
	return k == ChannelWeCom || k == ChannelDingTalk || k == ChannelFeishu
}

// ToPeople says whether the kind's messages are read by people, so that
// quiet hours hold them back; a webhook feeds another system.
func (k ChannelKind) ToPeople() bool { return k != ChannelWebhook }

// RobotPerMinute is the most messages a minute a group robot takes: WeCom
// and DingTalk both refuse more (DingTalk then throttles for 10 minutes).
const RobotPerMinute = 20

// The events an outbox message is about.
const (
	OutboxNotice   = "notice"   // a 督办单 issued
	OutboxReturned = "returned" // a submission returned (退回)
	OutboxAssigned = "assigned" // a problem or case handed to a unit
	OutboxDigest   = "digest"   // the daily digest of due-soon and overdue items
	OutboxTest     = "test"     // "send a test message", to one channel
)

// OutboxEvents lists the events a channel can carry (test goes to the
// channel tested, whatever it carries).
var OutboxEvents = []string{OutboxNotice, OutboxReturned, OutboxAssigned, OutboxDigest}

// OutboxEventLabel is an event's Chinese name.
func OutboxEventLabel(e string) string {
	switch e {
	case OutboxNotice:
		return "督办单"
	case OutboxReturned:
		return "退回"
	case OutboxAssigned:
		return "新交办"
	case OutboxDigest:
		return "每日提醒"
	case OutboxTest:
		return "测试消息"
	}
	return e
}

// Channel is a notification channel (通知渠道): where messages for some
// units and events are pushed besides the inbox.
type Channel struct {
	ID   int64       `json:"id"`
	Kind ChannelKind `json:"kind"`
	Name string      `json:"name"`
	URL  string      `json:"url"`
	// Secret signs the messages (DingTalk, Feishu, webhook). It is never
	// answered: SecretSet says whether there is one.
	Secret    string `json:"-"`
	SecretSet bool   `json:"secret_set"`
	// Keyword is a DingTalk robot's 自定义关键词, which every message must
	// contain.
	Keyword string `json:"keyword"`
	// To are an email channel's addresses.
	To []string `json:"to"`
	// Units it carries, by id; empty for every unit. Events it carries;
	// empty for every event.
	Units    []int64  `json:"units"`
	Events   []string `json:"events"`
	Disabled bool     `json:"disabled"`
	// PausedUntil is set while the vendor throttles the robot.
	PausedUntil *time.Time `json:"paused_until"`
	CreatedAt   time.Time  `json:"created_at"`
	Version     int        `json:"version"`
}

// MaskURL is a channel's address as answers, pages and the audit events
// show it: scheme://host/path, never its query (WeCom's key=, DingTalk's
// access_token=), fragment or credentials, and a path segment long enough
// to be a token (a Feishu hook's id) becomes ****. The sender alone gets
// the address whole.
func MaskURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "****"
	}
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if len(s) >= 16 && strings.ContainsAny(s, "0123456789") {
			segs[i] = "****"
		}
	}
	out := u.Scheme + "://" + u.Host + strings.Join(segs, "/")
	if u.RawQuery != "" {
		out += "?****"
	}
	return out
}

// Limits of a channel.
const (
	maxChannelName    = 50
	maxChannelURL     = 2000
	maxChannelSecret  = 500
	maxChannelKeyword = 50
	maxChannelTo      = 50
)

// Validate checks a channel before it is stored and trims its fields.
func (c *Channel) Validate() error {
	c.Name, c.URL, c.Keyword = strings.TrimSpace(c.Name), strings.TrimSpace(c.URL), strings.TrimSpace(c.Keyword)
	if !slices.Contains(ChannelKinds, c.Kind) {
		return FieldError("kind", "渠道类型应为 email、wecom、dingtalk、feishu 或 webhook，收到“%s”", c.Kind)
	}
	if c.Name == "" {
		return FieldError("name", "渠道名称不能为空")
	}
	if len([]rune(c.Name)) > maxChannelName {
		return FieldError("name", "渠道名称不能超过%d个字", maxChannelName)
	}
	if len(c.Secret) > maxChannelSecret || len(c.Keyword) > maxChannelKeyword*4 {
		return FieldError("secret", "密钥或关键词过长")
	}
	if c.Kind == ChannelEmail {
		c.URL = ""
		if len(c.To) == 0 {
			return FieldError("to", "电子邮件渠道至少要有一个收件地址")
		}
		if len(c.To) > maxChannelTo {
			return FieldError("to", "收件地址不能超过%d个", maxChannelTo)
		}
		for i, a := range c.To {
			a = strings.TrimSpace(a)
			addr, err := mail.ParseAddress(a)
			if err != nil || addr.Name != "" || addr.Address != a {
				return FieldError("to", "第%d个收件地址“%s”不是有效的电子邮件地址", i+1, a)
			}
			c.To[i] = a
		}
	} else {
		c.To = nil
		if len(c.URL) > maxChannelURL {
			return FieldError("url", "地址过长")
		}
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return FieldError("url", "地址必须是 http 或 https 网址，收到“%s”", MaskURL(c.URL))
		}
		// What the sender refuses is refused here, when it can be said.
		if u.User != nil {
			return FieldError("url", "地址不能含用户名或密码")
		}
		if u.Fragment != "" || strings.Contains(c.URL, "#") {
			return FieldError("url", "地址不能含“#”片段")
		}
	}
	if c.Kind != ChannelDingTalk && c.Kind != ChannelFeishu {
		c.Keyword = ""
	}
	if strings.ContainsFunc(c.Keyword, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return FieldError("keyword", "关键词不能含换行或控制字符")
	}
	for _, e := range c.Events {
		if !slices.Contains(OutboxEvents, e) {
			return FieldError("events", "事件应为 notice、returned、assigned 或 digest，收到“%s”", e)
		}
	}
	slices.Sort(c.Events)
	c.Events = slices.Compact(c.Events)
	slices.Sort(c.Units)
	c.Units = slices.Compact(c.Units)
	if c.Units == nil {
		c.Units = []int64{}
	}
	if c.Events == nil {
		c.Events = []string{}
	}
	return nil
}

// Carries says whether the channel pushes a message about event for
// unit (0: a message for no unit in particular, which only channels of
// every unit carry).
func (c *Channel) Carries(event string, unit int64) bool {
	if c.Disabled {
		return false
	}
	if len(c.Events) > 0 && !slices.Contains(c.Events, event) {
		return false
	}
	return len(c.Units) == 0 || slices.Contains(c.Units, unit)
}

// ChannelUpdate is a PATCH of a channel: nil fields stay.
type ChannelUpdate struct {
	Name     *string   `json:"name"`
	URL      *string   `json:"url"`
	Secret   *string   `json:"secret"`
	Keyword  *string   `json:"keyword"`
	To       *[]string `json:"to"`
	Units    *[]int64  `json:"units"`
	Events   *[]string `json:"events"`
	Disabled *bool     `json:"disabled"`
	Version  int       `json:"version"`
}

// Apply writes u over c.
func (u ChannelUpdate) Apply(c *Channel) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Name, u.Name)
	set(&c.URL, u.URL)
	set(&c.Secret, u.Secret)
	set(&c.Keyword, u.Keyword)
	if u.To != nil {
		c.To = slices.Clone(*u.To)
	}
	if u.Units != nil {
		c.Units = slices.Clone(*u.Units)
	}
	if u.Events != nil {
		c.Events = slices.Clone(*u.Events)
	}
	if u.Disabled != nil {
		c.Disabled = *u.Disabled
	}
}

// DeliveryStatus is where one delivery stands.
type DeliveryStatus string

const (
	DeliveryPending DeliveryStatus = "pending" // waiting for its time, or being sent
	DeliverySent    DeliveryStatus = "sent"    // the receiver answered that it has it
	DeliveryFailed  DeliveryStatus = "failed"  // refused for good, or out of attempts: retry by hand
)

// MaxDeliveryAttempts is how often a delivery is tried before it fails.
const MaxDeliveryAttempts = 12

// Delivery is one outbox message to one channel.
type Delivery struct {
	ID        int64          `json:"id"`
	OutboxID  int64          `json:"outbox_id"`
	Event     string         `json:"event"`
	UnitID    int64          `json:"unit_id,omitempty"`
	Title     string         `json:"title"`
	Text      string         `json:"text"`
	Link      string         `json:"link,omitempty"`
	ChannelID int64          `json:"channel_id"`
	Channel   string         `json:"channel"`
	Kind      ChannelKind    `json:"kind"`
	Status    DeliveryStatus `json:"status"`
	Attempts  int            `json:"attempts"`
	NextAt    time.Time      `json:"next_at"`
	LastError string         `json:"last_error"`
	SentAt    *time.Time     `json:"sent_at"`
	CreatedAt time.Time      `json:"created_at"`
	// Key names the delivery to its receiver, the same on every attempt,
	// so that a receiver can drop a message it already has.
	Key string `json:"key"`

	// Target is the channel as the sender needs it, secret included; only
	// ClaimDeliveries fills it in.
	Target *Channel `json:"-"`
}

// DeliveryKey is the idempotency key of delivery id.
func DeliveryKey(id int64) string { return "ducha-delivery-" + strconv.FormatInt(id, 10) }

// DeliveryResult is how one attempt went.
type DeliveryResult struct {
	// Err is "" when the receiver has the message.
	Err string
	// Temporary: try again after a backoff. Throttled: the vendor asks to
	// wait RetryAfter, for every message of the channel.
	Temporary  bool
	Throttled  bool
	RetryAfter time.Duration
}

// MaxThrottleWait bounds the wait a vendor's throttling answer can ask
// for (DingTalk's ten minutes): a hostile or broken Retry-After must not
// park a channel for years.
const MaxThrottleWait = 10 * time.Minute

// DeliveryBackoff is the wait after the attempts-th failed attempt: 30
// seconds, doubling, at most an hour.
func DeliveryBackoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// DeliveryFilter selects deliveries for the outbox page.
type DeliveryFilter struct {
	Status DeliveryStatus
	Limit  int
	Offset int
}

// OutboxService keeps the channels and the deliveries.
type OutboxService interface {
	FindChannels(ctx context.Context) ([]*Channel, error)
	FindChannelByID(ctx context.Context, id int64) (*Channel, error)
	CreateChannel(ctx context.Context, c *Channel) error
	UpdateChannel(ctx context.Context, id int64, upd ChannelUpdate) (*Channel, error)
	DeleteChannel(ctx context.Context, id int64) error
	TestChannel(ctx context.Context, id int64) (*Delivery, error)
	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, int, error)
	RetryDelivery(ctx context.Context, id int64) (*Delivery, error)
}
