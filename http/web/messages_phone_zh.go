package web

// phoneMessagesZH are the Chinese messages of the history timeline, the
// compact header and the accessibility helpers (skip link, menu).
var phoneMessagesZH = map[string]string{
	"timeline.extension_granted":   "批准延期至%s",
	"timeline.extension_refused":   "不予延期",
	"timeline.extension_requested": "申请延期至%s",
	"timeline.returned":            "退回理由：%s",
	"a11y.skip":                    "跳到正文",
	"a11y.menu":                    "菜单",
}

func init() {
	mergeMessages(messagesZH, phoneMessagesZH)
	mergeMessages(messagesEN, phoneMessagesEN)
}
