package web

import (
	"ducha"
)

// Notification channels, the outbox and the inbox. Channels and the
// outbox are administration: their routes need PermManage, and the store
// checks it again. A channel's secret is written, never answered.

// ErrNoOutbox answers the channel and outbox routes of a server built
// without them; errNoInbox the inbox's.
var (
	ErrNoOutbox = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用通知渠道")
	ErrNoInbox  = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用待办")
)
