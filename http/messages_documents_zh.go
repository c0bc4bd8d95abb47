package http

// documentMessagesZH are the Chinese messages of the document pages (文件库)
// and the document request list (调阅清单); init merges them into the
// catalogue.
var documentMessagesZH = map[string]string{
	"nav.documents": "文件库",
	"nav.requests":  "调阅清单",

	"documents.title":          "文件库",
	"documents.search":         "检索",
	"documents.kind":           "文件类型",
	"documents.date":           "文件日期",
	"documents.doc_title":      "标题",
	"documents.original":       "原件",
	"documents.uploaded":       "上传",
	"documents.total":          "共%d份文件",
	"documents.empty":          "没有符合条件的文件",
	"documents.upload":         "上传文件",
	"documents.upload.submit":  "上传",
	"documents.file":           "文件",
	"documents.file_hint":      "可上传 .txt（UTF-8 或 GBK）、.html/.htm 和 .docx；繁体字转为简体，拼音注音去掉，原件原样保存",
	"documents.title_hint":     "不填则取文件第一行",
	"document.title":           "文件",
	"document.back":            "返回文件库",
	"document.text":            "正文",
	"document.kind.work_plan":  "工作方案",
	"document.kind.notice":     "会议通知",
	"document.kind.minutes":    "会议纪要",
	"document.kind.feedback":   "督察反馈意见",
	"document.kind.other":      "其他",
	"action.document_upload":   "上传文件",
	"action.upload":            "上传",
	"action.request_add":       "添加调阅事项",
	"action.request_supply":    "提供资料",
	"action.request_check":     "审核通过",
	"action.request_return":    "退回",
	"action.request_hand_over": "移交督察组",

	"requests.title":             "调阅清单",
	"requests.total":             "共%d项",
	"requests.empty":             "没有调阅事项",
	"requests.add":               "添加调阅事项",
	"requests.add.submit":        "添加",
	"requests.no_hint":           "不填则顺延编号",
	"request.no":                 "序号",
	"request.item":               "调阅事项",
	"request.unit":               "提供单位",
	"request.due":                "提供期限",
	"request.status":             "状态",
	"request.file":               "资料",
	"request.actions":            "操作",
	"request.note":               "说明（可不填）",
	"request.supply":             "提供",
	"request.authentic":          "真实",
	"request.consistent":         "与原件一致",
	"request.check":              "审核通过",
	"request.reason":             "退回理由",
	"request.return":             "退回",
	"request.to":                 "接收方（默认督察组）",
	"request.hand_over":          "移交",
	"request.returned":           "已退回：%s",
	"request.checked_ok":         "经审核真实、统一",
	"request.handed_to":          "已移交：%s",
	"request.status.requested":   "待提供",
	"request.status.supplied":    "待审核",
	"request.status.checked":     "已审核",
	"request.status.handed_over": "已移交",
}

func init() {
	mergeMessages(messagesZH, documentMessagesZH)
	mergeMessages(messagesEN, documentMessagesEN)
}
