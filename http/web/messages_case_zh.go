package web

import "ducha"

// caseMessagesZH are the Chinese messages of the case, batch, report and
// disclosure pages. They are part of the one catalogue: init adds them to
// messagesZH (and the English ones to messagesEN), refusing an id that is
// already there, so the catalogue test sees a single table. They live in
// their own file so that work on the problem pages and on the case pages
// does not meet in one file.
var caseMessagesZH = map[string]string{
	"nav.cases":   "交办件",
	"nav.batches": "批次",
	"nav.report":  "日报",

	"cases.title":      "信访交办件",
	"cases.total":      "共%d件",
	"cases.empty":      "没有符合条件的交办件",
	"cases.unassigned": "未交办",

	"case.title":     "交办件详情",
	"case.back":      "返回交办件列表",
	"case.published": "已公开",
	"case.overdue":   "已超期",
	"case.batch_n":   "第%d批",
	"case.key_mark":  "重点",

	"case.field.acceptance_no":  "受理编号",
	"case.field.batch":          "批次",
	"case.field.forwarded_date": "交办日期",
	"case.field.channel":        "来电/来信",
	"case.field.key":            "重点关注",
	"case.field.text":           "交办问题基本情况",
	"case.field.area":           "行政区域",
	"case.field.types":          "污染类型",
	"case.field.type_detail":    "污染类型说明",
	"case.field.units":          "承办单位",
	"case.field.parts":          "各承办单位办理情况",
	"case.field.deadline":       "办理时限",
	"case.field.status":         "状态",
	"case.field.findings":       "调查核实情况",
	"case.field.verdict":        "是否属实",
	"case.field.handling":       "处理和整改情况",
	"case.field.accountability": "责任人被处理情况",
	"case.field.measures":       "处理措施",
	"case.field.return_reason":  "退回理由",
	"case.field.published":      "已公开",
	"case.field.problem_ids":    "关联问题",

	"case.status.received":      ducha.CaseReceived.Label(),
	"case.status.assigned":      ducha.CaseAssigned.Label(),
	"case.status.investigating": ducha.CaseInvestigating.Label(),
	"case.status.submitted":     ducha.CaseSubmitted.Label(),
	"case.status.stage_closed":  ducha.CaseStageClosed.Label(),
	"case.status.closed":        ducha.CaseClosed.Label(),

	"case.verdict.true":      ducha.VerdictTrue,
	"case.verdict.partly":    ducha.VerdictPartly,
	"case.verdict.basically": ducha.VerdictBasically,
	"case.channel.wechat":    ducha.ChannelWeChat,
	"case.channel.online":    ducha.ChannelOnline,
	"case.channel.visit":     ducha.ChannelVisit,
	"case.channel.other":     ducha.ChannelOther,
	"case.verdict.false":     ducha.VerdictFalse,
	"case.channel.phone":     ducha.ChannelPhone,
	"case.channel.letter":    ducha.ChannelLetter,
	"case.persons_n":         "%d人",
	"case.fine_n":            "罚款%s元",
	"case.part.signed":       "%s由%s签收",
	"case.part.submitted":    "%s报送",
	"case.part.signed_at":    "签收",
	"case.part.submitted_at": "报送时间",
	"case.part.unsigned":     "未签收",
	"case.parts":             "承办单位办理情况",
	"case.parts_empty":       "尚未交办",
	"case.measures":          "处理措施",
	"case.measures_empty":    "暂无处理措施",

	"case.measure.ordered_to_rectify":       ducha.MeasureLabel(ducha.MeasureOrderedToRectify),
	"case.measure.suspended":                ducha.MeasureLabel(ducha.MeasureSuspended),
	"case.measure.closed_down":              ducha.MeasureLabel(ducha.MeasureClosedDown),
	"case.measure.listed_supervision":       ducha.MeasureLabel(ducha.MeasureListedSupervision),
	"case.measure.penalty_case":             ducha.MeasureLabel(ducha.MeasurePenaltyCase),
	"case.measure.criminal_case":            ducha.MeasureLabel(ducha.MeasureCriminalCase),
	"case.measure.administrative_detention": ducha.MeasureLabel(ducha.MeasureAdministrativeDetention),
	"case.measure.criminal_detention":       ducha.MeasureLabel(ducha.MeasureCriminalDetention),
	"case.measure.interviewed":              ducha.MeasureLabel(ducha.MeasureInterviewed),
	"case.measure.held_accountable":         ducha.MeasureLabel(ducha.MeasureHeldAccountable),
	"case.measure.kind":                     "措施",
	"case.measure.enterprise":               "企业",
	"case.measure.persons":                  "人数",
	"case.measure.fine":                     "罚款（元）",
	"case.measure.date":                     "日期",
	"case.measure.evidence":                 "依据（处理情况原文）",

	"case.deadline_default":       "留空则为交办日期后%d天（%s）",
	"case.deadline_default_plain": "留空则按督察轮次的默认办理天数计算",
	"case.sign_hint":              "确认本单位已收到该交办件。签收时间将被记录。",
	"case.submit_unit":            "替哪个承办单位报送",
	"case.proposed":               "已根据处理和整改情况识别出下列处理措施，请核对、补充企业名称后报送。",
	"case.propose_none":           "未从处理和整改情况中识别出新的处理措施，请手工填写。",
	"case.measures_hint":          "企业类措施（责令整改、停产整治、关停取缔、挂牌督办、立案处罚）须填写企业名称；约谈、拘留、问责须填写人数；只有立案处罚可填写罚款。",
	"case.propose":                "识别处理措施",
	"case.accept_as":              "审核结论",
	"case.publish_hint":           "公开后，该件的办理情况（隐去举报人姓名、电话和身份证号）将出现在本批次的公开情况一览表中。",

	"action.case_assign":  ducha.CaseActionLabel(ducha.CaseActAssign),
	"action.case_sign":    ducha.CaseActionLabel(ducha.CaseActSign),
	"action.case_submit":  ducha.CaseActionLabel(ducha.CaseActSubmit),
	"action.case_accept":  ducha.CaseActionLabel(ducha.CaseActAccept),
	"action.case_return":  ducha.CaseActionLabel(ducha.CaseActReturn),
	"action.case_publish": ducha.CaseActionLabel(ducha.CaseActPublish),

	"batches.title":       "交办批次",
	"batches.upload":      "导入一批交办件",
	"batches.unchanged":   "第%d批此前已导入，内容相同，未做任何改动。",
	"batches.created":     "第%d批（交办日期%s）导入完成：新增%d件（来电%d件、来信%d件，重点关注%d件）。",
	"batches.duplicates":  "其中%d件为此前批次已交办件的重复件，已记录，不重复计数：",
	"batches.row":         "行号",
	"batches.first_batch": "首次交办批次",
	"batches.view_cases":  "查看第%d批交办件",
	"batches.file":        "文件",
	"batches.file_hint":   "督察组或省办转来的xlsx或csv原表即可；整个文件全部导入或全部不导入，重复导入同一文件不会改变任何数据。",
	"batches.batch_hint":  "文件标题中没有批次号时填写",
	"batches.date_hint":   "文件中没有交办日期时填写",
	"batches.submit":      "导入",
	"batches.list":        "已导入的批次",
	"batches.total":       "件数",
	"batches.dups":        "重复件",
	"batches.imported":    "导入",
	"batches.disclosure":  "公开情况一览表",
	"batches.empty":       "尚未导入任何批次",

	"report.title":        "日报",
	"report.heading":      "中央生态环境保护督察信访件办理情况日报（截至%s）",
	"report.as_of":        "截至日期",
	"report.show":         "查看",
	"report.xlsx":         "下载Excel",
	"report.cases":        "信访件",
	"report.measures":     "处理措施",
	"report.by_area":      "按行政区域",
	"report.by_type":      "按污染类型",
	"report.by_type_hint": "一件可计入多个类型，各类型合计可能大于总件数。",
	"report.ledger":       "整改台账",
	"report.ledger_line":  "共%d个问题，已销号%d个、整改中%d个、待验收%d个，逾期%d个。",
	"report.batches":      "交办批次",
	"report.total":        "总件数",
	"report.open":         "未办结",
	"report.no_area":      "（未填写）",
	"report.none":         "无",
	"report.count":        "件数",
	"report.unit_only":    "本报告仅统计%s承办的交办件和负责的问题。",

	"report.m.ordered_to_rectify":       "责令整改（家）",
	"report.m.penalty_case":             "立案处罚（家）",
	"report.m.fines":                    "罚款（元）",
	"report.m.criminal_case":            "立案侦查（件）",
	"report.m.administrative_detention": "行政拘留（人）",
	"report.m.criminal_detention":       "刑事拘留（人）",
	"report.m.interviewed":              "约谈（人）",
	"report.m.held_accountable":         "问责（人）",
	"report.m.suspended":                "停产整治（家）",
	"report.m.closed_down":              "关停取缔（家）",
	"report.m.listed_supervision":       "挂牌督办（家）",

	"disclosure.title":   "群众信访举报件边督边改公开情况",
	"disclosure.heading": "中央第三生态环境保护督察组交办第%d批群众信访举报件边督边改公开情况一览表",
	"disclosure.choose":  "批次",
	"disclosure.show":    "查看",
	"disclosure.prev":    "上一批",
	"disclosure.next":    "下一批",
	"disclosure.xlsx":    "下载Excel",
	"disclosure.date":    "交办日期：%s",
	"disclosure.count":   "已公开%d件",
	"disclosure.seq":     "序号",
	"disclosure.empty":   "本批次暂无已公开的办理情况",
	"disclosure.masked":  "为保护举报人，举报人姓名、电话号码和身份证号码已作隐去处理。",
	"disclosure.intro":   "请输入批次号，查看该批交办件的边督边改公开情况。",
}

func init() {
	mergeMessages(messagesZH, caseMessagesZH)
	mergeMessages(messagesEN, caseMessagesEN)
}

// mergeMessages adds more messages to a language's catalogue. An id that
// is already there is a programming error: two texts would compete.
func mergeMessages(into, more map[string]string) {
	for id, msg := range more {
		if _, dup := into[id]; dup {
			panic("http: message id " + id + " is catalogued twice")
		}
		into[id] = msg
	}
}
