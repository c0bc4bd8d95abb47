package http

// publicityMessagesZH are the messages of the public 销号公示 pages.
var publicityMessagesZH = map[string]string{
	"publicity.title":          "销号公示",
	"publicity.intro":          "以下问题已完成整改并通过验收，现予公示，接受社会监督。公示期间如有异议，请向受理单位反映。",
	"publicity.empty":          "目前没有正在公示的问题。",
	"publicity.heading":        "关于%s问题整改销号的公示",
	"publicity.problem":        "问题",
	"publicity.acceptance":     "验收情况",
	"publicity.period":         "公示时间",
	"publicity.office":         "受理单位",
	"publicity.phone":          "监督电话",
	"publicity.objection_hint": "公示期间，如有异议，请以书面或电话形式向受理单位反映。",
	"publicity.back":           "全部公示",
	"publicity.text":           "公示文本（供网站发布）",
	"publicity.print_hint":     "打印本页即为A4公示",
}

func init() {
	mergeMessages(messagesZH, publicityMessagesZH)
	mergeMessages(messagesEN, publicityMessagesEN)
}
