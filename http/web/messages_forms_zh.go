package web

// formsMessagesZH are the messages forms share: the error summary, the
// unit picker, dates, files, proposed measures and stale saves.
var formsMessagesZH = map[string]string{
	"forms.summary":           "有%d处需要修改：",
	"forms.filter_units":      "筛选单位",
	"forms.filter_units_hint": "输入名称或拼音首字母，如 yqz",
	"forms.picker_hint":       "可多选；输入名称或拼音首字母可筛选",
	"forms.date_hint":         "如2026年12月7日，也可输入20261207",
	"forms.file_again":        "上传未完成：浏览器不允许网页替你保留所选文件，请重新选择文件后再上传。",
	"forms.photo":             "拍照上传（手机相机）",
	"forms.document_file":     "选择文件（图片、PDF、Office文档）",
	"forms.preview":           "所选图片预览",
	"forms.proposals":         "从办理情况中识别的处理措施",
	"forms.proposals_hint":    "输入办理情况后自动识别；勾选即填入下方处理措施，取消勾选即移除。",
	"forms.proposal_accept":   "采纳",
	"forms.missing_heading":   "办理情况中写明、但报送的处理措施中没有的：",
	"forms.missing_row":       "办理情况写明“%s”（%s）",
	"forms.missing_confirm":   "确认不计入%s",
	"forms.missing_error":     "办理情况写明“%s”，但报送的处理措施中没有%s：请在处理措施中添加，或勾选“确认不计入%s”",
	"forms.stale":             "你编辑期间，这条记录已被他人修改。你填写的内容已保留；请核对下列差异，确认后可以新版本再次保存（将以你的值为准）。",
	"forms.stale_field":       "字段",
	"forms.stale_theirs":      "对方修改后的值",
	"forms.stale_yours":       "你填写的值",
	"forms.stale_who":         "修改人、时间",
	"forms.save_again":        "以新版本再次保存",
	"forms.stale_none":        "对方的修改不涉及你填写的字段。",
	"forms.fine_n":            "罚款%s元",
	"forms.persons_n":         "%d人",
}

func init() {
	mergeMessages(messagesZH, formsMessagesZH)
	mergeMessages(messagesEN, formsMessagesEN)
}
