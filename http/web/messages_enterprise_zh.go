package web

// enterpriseMessagesZH are the Chinese messages of the enterprise pages
// and of turning a case into a ledger problem. Like the case messages,
// init merges them into the one catalogue.
var enterpriseMessagesZH = map[string]string{
	"nav.enterprises": "企业",

	"enterprises.title":  "企业档案",
	"enterprises.total":  "共%d家企业",
	"enterprises.empty":  "没有符合条件的企业",
	"enterprises.export": "导出Excel（当前筛选结果）",

	"enterprise.title":          "企业详情",
	"enterprise.back":           "返回企业列表",
	"enterprise.name":           "企业名称",
	"enterprise.credit_code":    "统一社会信用代码",
	"enterprise.address":        "地址",
	"enterprise.industry":       "行业",
	"enterprise.cases":          "交办件数",
	"enterprise.measures":       "处理措施数",
	"enterprise.fines":          "罚款合计（元）",
	"enterprise.problems":       "问题数",
	"enterprise.repeat":         "多次被举报",
	"enterprise.case_list":      "涉及的交办件",
	"enterprise.cases_empty":    "没有可查看的交办件",
	"enterprise.problem_list":   "问题台账中的问题",
	"enterprise.problems_empty": "问题台账中没有以该企业为责任主体的问题",

	"case.open_problem":      "转入问题台账",
	"case.open_problem_hint": "经查属实的交办件可转入问题台账，问题来源为信访交办，并与本件互相关联。留空的内容按本件填写：问题描述为交办问题基本情况，行政区域、污染类型与本件相同，责任单位为第一个承办单位。",
	"field.cases":            "关联交办件",
	"flash.from_case":        "已转入问题台账，并与交办件关联",

	"action.case_open_problem": "转入问题台账",
	"action.link_case":         "关联交办件",
}

func init() {
	mergeMessages(messagesZH, enterpriseMessagesZH)
	mergeMessages(messagesEN, enterpriseMessagesEN)
}
