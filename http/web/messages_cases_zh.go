package web

// casesMessagesZH are the messages of the case list as a table: its
// filters, columns, export and actions on a selection.
var casesMessagesZH = map[string]string{
	"cases.clear":               "清除筛选",
	"cases.q_hint":              "受理编号、举报内容或行政区域，简体繁体均可；行政区域、承办单位和举报内容中的企业、地名也可用拼音首字母（如hxhg：红星化工）",
	"cases.per_page":            "每页",
	"cases.per_page_n":          "%d条",
	"cases.cols":                "显示列",
	"cases.cols_legend":         "勾选要显示的列，点“查询”生效",
	"cases.export":              "导出Excel（当前筛选结果）",
	"cases.sort_by":             "按%s排序",
	"cases.select":              "选择",
	"cases.select_case":         "选择%s",
	"cases.select_all":          "全选本页",
	"cases.select_none":         "取消全选",
	"cases.bulk.title":          "批量操作（对勾选的交办件）",
	"cases.bulk.assign":         "批量交办",
	"cases.bulk.assign_submit":  "交办勾选的交办件",
	"cases.bulk.choose_unit":    "请选择承办单位",
	"cases.bulk.deadline_hint":  "留空则按交办日期加本轮督察规定的办理天数",
	"cases.bulk.publish":        "批量公开",
	"cases.bulk.publish_hint":   "只有阶段性办结或已办结的交办件可以公开。",
	"cases.bulk.publish_submit": "公开勾选的交办件",
	"cases.bulk.notice":         "批量督办",
	"cases.bulk.notice_submit":  "对勾选的交办件下发督办单",
	"cases.bulk.done":           "%s：成功%d件。",
	"cases.bulk.failed":         "未成功%d件，原因如下：",
	"cases.bulk.reason":         "原因",
	"batches.publish":           "公开本批已办结件",
}

func init() {
	mergeMessages(messagesZH, casesMessagesZH)
	mergeMessages(messagesEN, casesMessagesEN)
}
