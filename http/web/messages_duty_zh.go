package web

// dutyMessagesZH are the Chinese messages of the responsibility list and
// self-inspection pages; init merges them into the catalogue.
var dutyMessagesZH = map[string]string{
	"nav.inspections": "自查自纠",
	"field.duty":      "责任清单事项",

	"duties.title":     "责任清单",
	"duties.total":     "共%d项职责",
	"duties.empty":     "没有可查看的责任清单",
	"duties.upload":    "导入责任清单",
	"duties.file":      "责任清单文件（xlsx或csv）",
	"duties.file_hint": "列：序号、责任单位、职责事项（或事项）、依据（或法律法规依据）；全部成功或全部不导入，同一文件再导入不变",
	"duties.submit":    "导入",
	"duties.imported":  "导入完成：新增%d项，更新%d项，未变%d项",
	"duty.field.unit":  "责任单位",
	"duty.field.no":    "序号",
	"duty.field.title": "职责事项",
	"duty.field.basis": "依据",

	"inspections.title":           "自查自纠",
	"inspections.total":           "共%d次自查",
	"inspections.empty":           "还没有自查",
	"inspections.start":           "开展自查",
	"inspections.start_hint":      "对照责任清单逐项自查；已有进行中的自查时继续该次自查",
	"inspections.back":            "返回自查列表",
	"inspections.report.title":    "自查自纠情况",
	"inspection.title":            "自查",
	"inspection.heading":          "%s自查（第%d号）",
	"inspection.summary":          "%s：已自查%d/%d项，发现问题%d个",
	"inspection.problems":         "本次自查发现的问题（%d个）",
	"inspection.field.id":         "编号",
	"inspection.field.status":     "状态",
	"inspection.field.progress":   "已自查",
	"inspection.field.wanting":    "发现问题",
	"inspection.field.started":    "开始",
	"inspection.field.submitted":  "提交",
	"inspection.field.result":     "自查结果",
	"inspection.field.complied":   "是否履行到位",
	"inspection.field.finding":    "发现的问题",
	"inspection.field.mode":       "整改类型",
	"inspection.field.deadline":   "整改时限",
	"inspection.complied.yes":     "履行到位",
	"inspection.complied.no":      "未履行到位",
	"inspection.unmarked":         "未自查",
	"inspection.marked_by":        "已保存（%s）",
	"inspection.save":             "保存本项",
	"inspection.submit":           "提交自查",
	"inspection.submit_hint":      "每项职责都自查后方可提交；未履行到位的事项各转为一个问题（来源：自查发现）",
	"inspection.status.open":      "自查中",
	"inspection.status.submitted": "已提交",

	"report.inspections.inspected":    "是否已自查",
	"report.inspections.submitted":    "提交次数",
	"report.inspections.last":         "最近提交",
	"report.inspections.duties":       "职责事项",
	"report.inspections.wanting":      "发现问题（最近一次）",
	"report.inspections.yes":          "已自查",
	"report.inspections.no":           "未自查",
	"report.inspections.open":         "自查中",
	"report.inspections.empty":        "还没有单位导入责任清单",
	"report.inspections.worst":        "未履行到位最多的职责事项",
	"report.inspections.units":        "单位数",
	"report.inspections.which":        "单位",
	"report.inspections.none_wanting": "最近一次自查均未发现问题",

	"action.inspection_start":  "开展自查",
	"action.inspection_mark":   "保存自查结果",
	"action.inspection_submit": "提交自查",
}

func init() {
	mergeMessages(messagesZH, dutyMessagesZH)
	mergeMessages(messagesEN, dutyMessagesEN)
}
