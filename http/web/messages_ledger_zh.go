package web

// ledgerMessagesZH are the messages of the ledger table (问题台账): its
// columns, sorting, page sizes, export of what is filtered and the bulk
// notices; they must have the same ids as ledgerMessagesEN.
var ledgerMessagesZH = map[string]string{
	"enterprises.industry":     "行业",
	"enterprises.fined":        "有罚款",
	"ledger.clear":             "清除筛选",
	"ledger.schedule":          "序时进度",
	"ledger.per_page":          "每页条数",
	"ledger.columns":           "显示列",
	"ledger.export":            "导出台账（xlsx）",
	"ledger.export_filtered":   "导出筛选结果（xlsx）",
	"ledger.sort_asc":          "按%s升序排列",
	"ledger.sort_desc":         "按%s降序排列",
	"ledger.select_one":        "选择%s",
	"ledger.select_page":       "全选本页（%d条）",
	"ledger.bulk_kind":         "督办类型",
	"ledger.bulk_text":         "督办内容",
	"ledger.bulk_default_text": "请抓紧整改，并于答复期限前书面报告整改进展。",
	"ledger.bulk_submit":       "对所选问题下发督办单",
	"ledger.bulk_hint":         "勾选表中的问题，或勾选“全选本页”；每个问题单独下发，某个问题未能下发不影响其他问题。",
	"ledger.bulk_title":        "批量督办结果",
	"ledger.bulk_summary":      "已下发%d张督办单，%d个问题未下发。",
	"ledger.bulk_issued":       "%s（答复期限%s）",
	"ledger.bulk_problem":      "问题",
	"ledger.bulk_result":       "结果",
	"ledger.bulk_back":         "返回问题台账",
	"ledger.bulk_failed":       "未下发",
	"ledger.bulk_ok":           "已下发",
}

func init() {
	mergeMessages(messagesZH, ledgerMessagesZH)
	mergeMessages(messagesEN, ledgerMessagesEN)
}
