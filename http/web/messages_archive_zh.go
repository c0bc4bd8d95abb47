package web

// archiveMessagesZH are the Chinese messages of the 一案一档 download: its
// link and the labels of the fields only the archive lists (the pages
// leave them out). init adds them to the one catalogue.
var archiveMessagesZH = map[string]string{
	"archive.download": "下载一案一档",
	"archive.hint":     "压缩包：档案.xlsx（全部字段、办理记录、附件清单）和全部附件",
	"archive.empty":    "（空）",

	"field.id":             "系统编号",
	"field.campaign_id":    "督察轮次编号",
	"field.overdue":        "是否逾期",
	"field.original":       "导入原文",
	"field.text":           "内容",
	"field.percent":        "整治进度（%）",
	"field.at":             "时间",
	"field.by":             "经办人",
	"field.attachment_ids": "佐证材料（附件编号）",
	"field.imported":       "导入台账时所附",
	"field.signoff":        "单位主要负责人签发",
	"field.levels":         "验收",
	"field.level":          "验收层级",
	"field.opinion":        "验收意见",
	"field.attachment_id":  "验收文件（附件编号）",
	"field.publicity":      "销号公示",
	"field.from":           "公示起始日",
	"field.to":             "公示截止日",
	"field.days":           "公示天数",
	"field.working_days":   "按工作日计算",
	"field.objections":     "公示异议",
	"field.earlier":        "此前的验收轮次",
	"field.ended":          "结束方式",
	"field.reason":         "理由",

	"case.field.target":             "办结目标",
	"case.field.duplicate_of":       "重复件的首件（系统编号）",
	"case.field.supplement_of":      "补充办理的原件（系统编号）",
	"case.field.repeats":            "重复交办",
	"case.field.repeats.kind":       "类型",
	"case.field.repeats.case_id":    "交办件系统编号",
	"case.field.repeats.row":        "表格行号",
	"case.field.parts.unit":         "承办单位",
	"case.field.parts.signed_at":    "签收时间",
	"case.field.parts.signed_by":    "签收人",
	"case.field.parts.submitted_at": "报送时间",
}

func init() {
	mergeMessages(messagesZH, archiveMessagesZH)
	mergeMessages(messagesEN, archiveMessagesEN)
}
