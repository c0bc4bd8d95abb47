package web

// publicityMessagesZH are the messages of the public 销号公示 pages.
var publicityMessagesZH = map[string]string{
	"case.signoff_hint":        "签发后，本单位的办理结果报送协调联络组办公室审核；如需修改，请退回联络员并说明理由。",
	"detail.percent":           "整治进度%d%%",
	"detail.behind_schedule":   "未达到序时进度",
	"detail.awaiting_signoff":  "待单位主要负责人签发",
	"detail.progress_entries":  "进展记录",
	"detail.imported":          "（导入台账时所附）",
	"detail.evidence":          "佐证材料",
	"detail.no_progress":       "尚未报送进展。",
	"detail.closure":           "验收销号",
	"detail.level_signed":      "%s于%s签署",
	"detail.level_document":    "验收文件",
	"detail.level_pending":     "待验收",
	"detail.head_signed":       "单位主要负责人%s于%s签发销号申请",
	"detail.public_page":       "查看公示页面",
	"detail.earlier_round":     "此前一轮验收因“%s”结束（%s）",
	"form.text.object":         "异议内容",
	"form.next_level":          "本次签署：%s",
	"form.opinion":             "验收意见",
	"form.level_document":      "本级验收文件（已上传的附件）",
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
