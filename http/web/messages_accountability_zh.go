package web

// accountabilityMessagesZH are the Chinese messages of the accountability
// pages and the discipline ranking; init merges them into the catalogue.
var accountabilityMessagesZH = map[string]string{
	"nav.accountability": "问责",
	"nav.discipline":     "问责排名",

	"accountability.title":      "问责记录",
	"accountability.total":      "共%d条问责记录",
	"accountability.empty":      "没有可查看的问责记录",
	"accountability.new":        "登记问责",
	"accountability.edit":       "修改问责记录",
	"accountability.detail":     "问责记录详情",
	"accountability.back":       "返回问责记录",
	"accountability.save":       "保存",
	"accountability.person":     "被问责人",
	"accountability.post":       "职务",
	"accountability.unit":       "所在单位",
	"accountability.form":       "问责方式",
	"accountability.reason":     "问责事由",
	"accountability.decided_by": "决定机关",
	"accountability.date":       "决定日期",
	"accountability.problems":   "关联问题（编号）",
	"accountability.cases":      "关联交办件（编号）",
	"accountability.ids_hint":   "填写内部编号，多个以逗号分隔",
	"accountability.created_by": "登记人",

	"accountability.form.admonition":          "诫勉谈话",
	"accountability.form.criticism":           "通报批评",
	"accountability.form.organizational":      "组织处理",
	"accountability.form.party_discipline":    "党纪处分",
	"accountability.form.government_sanction": "政务处分",
	"accountability.form.judicial_referral":   "移送司法机关",

	"action.accountability_create": "登记问责",
	"action.accountability_update": "修改问责记录",

	"field.post":       "职务",
	"field.unit":       "单位",
	"field.form":       "问责方式",
	"field.decided_by": "决定机关",
	"field.date":       "日期",
	"field.problems":   "关联问题",
	"field.created_by": "登记人",

	"discipline.title":          "问责排名",
	"discipline.from":           "起始日期",
	"discipline.to":             "截止日期",
	"discipline.order":          "按逾期事项、未按期答复的督办单、被退回、延期未获批准、督办单、问责记录、问题数依次排序，越多越靠前；各数为截止日期当日结束时的情况。",
	"discipline.rank":           "排名",
	"discipline.unit":           "单位",
	"discipline.problems":       "问题数",
	"discipline.overdue":        "逾期事项",
	"discipline.returned":       "被退回",
	"discipline.refused":        "延期未获批准",
	"discipline.notices":        "督办单",
	"discipline.unanswered":     "未按期答复",
	"discipline.accountability": "问责记录",
	"discipline.referral":       "移交材料",
	"discipline.download":       "下载",
}

func init() {
	mergeMessages(messagesZH, accountabilityMessagesZH)
	mergeMessages(messagesEN, accountabilityMessagesEN)
}
