package web

// workbenchMessagesZH are the messages of the workbench (工作台).
var workbenchMessagesZH = map[string]string{
	"ledger_import.title":          "导入台账",
	"ledger_import.hint":           "上传问题台账（xlsx 或 csv），列为：序号、问题来源、问题描述、行政区域、污染类型、责任单位、配合单位、责任领导、责任人、整改措施、整改目标、整改时限、整改类型、整改进展、状态。整个文件要么全部导入，要么一行都不导入；有误的行会标明行号和原因。带问题编号的行（如本系统导出的台账）按编号更新，不会重复登记。",
	"ledger_import.file":           "台账文件",
	"ledger_import.submit":         "导入",
	"ledger_import.done":           "导入完成：新增%d条，更新%d条。",
	"ledger_import.to_ledger":      "查看问题台账",
	"ledger_import.template":       "下载当前台账作为模板",
	"nav.import":                   "导入台账",
	"disclosure.published_n":       "已公开%d件",
	"disclosure.none_published":    "尚未公开任何批次。",
	"workbench.title":              "工作台",
	"workbench.figures":            "今日数据",
	"workbench.figures_as_of":      "截至%s",
	"workbench.report":             "查看日报",
	"workbench.cases_total":        "交办总数",
	"workbench.cases_closed":       "已办结",
	"workbench.cases_stage":        "阶段性办结",
	"workbench.cases_open":         "未办结",
	"workbench.closed_rate":        "办结率",
	"workbench.penalty":            "立案处罚（家）",
	"workbench.fines":              "罚款（元）",
	"workbench.interviewed":        "约谈（人）",
	"workbench.accountable":        "问责（人）",
	"workbench.problems":           "问题总数",
	"workbench.problems_closed":    "已销号",
	"workbench.problems_publicity": "公示中",
	"workbench.overdue":            "逾期",
	"workbench.behind":             "未达到序时进度",
	"workbench.latest_batch":       "最新批次：第%d批（%s），%d件",
	"workbench.unassigned":         "%d件待交办",
	"workbench.unsigned":           "%d件已交办未签收",
	"workbench.ranking":            "单位排名（本年度，问题最多者在前）",
	"workbench.ranking_all":        "完整排名",
	"workbench.ranking_row":        "逾期%d件，督办未答复%d份，被退回%d次",
	"workbench.todo":               "待办",
	"workbench.all":                "全部",
	"nav.workbench":                "工作台",
}

func init() {
	mergeMessages(messagesZH, workbenchMessagesZH)
	mergeMessages(messagesEN, workbenchMessagesEN)
}
