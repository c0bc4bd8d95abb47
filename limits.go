package ducha

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Field lengths, in characters. Text fields allow what one Excel cell holds
// (32,767), so that no ledger a county keeps today is refused; names, numbers
// and codes allow far more than any real one and far less than an attack.
const (
	MaxTextLen  = 32767 // descriptions, measures, findings, handling, reasons
	MaxNameLen  = 100   // units, people, usernames, enterprises
	MaxShortLen = 200   // areas, addresses, titles, type details, deadlines as written
	MaxCodeLen  = 64    // acceptance numbers, problem codes, credit and division codes
	MaxPhoneLen = 40    // one or two phone numbers as offices write them
)

// lenRule is one field to check: its key, its label and its value.
type lenRule struct {
	field, label, value string
	max                 int
}

// checkLengths names every field longer than its limit, all at once.
func checkLengths(rules ...lenRule) error {
	fields := map[string]string{}
	var keys []string
	for _, r := range rules {
		// A NUL is in no text anyone typed, and PostgreSQL cannot store one.
		if strings.IndexByte(r.value, 0) >= 0 {
			if _, dup := fields[r.field]; !dup {
				keys = append(keys, r.field)
			}
			fields[r.field] = fmt.Sprintf("%s含有无效字符（NUL）", r.label)
			continue
		}
		// Nor is invalid UTF-8 (raw bytes of another encoding): PostgreSQL
		// refuses it, SQLite would keep it.
		if !utf8.ValidString(r.value) {
			if _, dup := fields[r.field]; !dup {
				keys = append(keys, r.field)
			}
			fields[r.field] = fmt.Sprintf("%s含有无效字符（不是UTF-8编码的文字）", r.label)
			continue
		}
		if len(r.value) <= r.max { // bytes ≥ characters: the common case costs nothing
			continue
		}
		if n := utf8.RuneCountInString(r.value); n > r.max {
			if _, dup := fields[r.field]; !dup {
				keys = append(keys, r.field)
			}
			fields[r.field] = fmt.Sprintf("%s过长：最多%d个字符，现有%d个", r.label, r.max, n)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	sort.Strings(keys)
	msg := fields[keys[0]]
	if len(keys) > 1 {
		msg = fmt.Sprintf("%s（另有%d个字段有误）", msg, len(keys)-1)
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

func textField(field, label, v string) lenRule  { return lenRule{field, label, v, MaxTextLen} }
func nameField(field, label, v string) lenRule  { return lenRule{field, label, v, MaxNameLen} }
func shortField(field, label, v string) lenRule { return lenRule{field, label, v, MaxShortLen} }
func codeField(field, label, v string) lenRule  { return lenRule{field, label, v, MaxCodeLen} }

// names checks each of a list of names under one field.
func nameFields(field, label string, vs []string) []lenRule {
	out := make([]lenRule, len(vs))
	for i, v := range vs {
		out[i] = nameField(field, label, v)
	}
	return out
}

// checkLengths of a problem: every field a user or a file can fill.
func (p *Problem) checkLengths() error {
	rules := []lenRule{
		codeField("code", "问题编号", p.Code),
		textField("description", "问题描述", p.Description),
		shortField("area", "行政区域", p.Area),
		shortField("address", "地址", p.Address),
		shortField("subject", "责任主体", p.Subject),
		codeField("subject_credit_code", "统一社会信用代码", p.SubjectCreditCode),
		shortField("type_detail", "污染类型说明", p.TypeDetail),
		nameField("leader", "责任领导", p.Leader),
		nameField("person", "责任人", p.Person),
		textField("measures", "整改措施", p.Measures),
		textField("target", "整改目标", p.Target),
		shortField("deadline_text", "整改时限", p.DeadlineText),
		textField("progress", "整改进展", p.Progress),
		textField("text", "整改完成情况", p.ClosureText),
		textField("reason", "理由", p.ReturnReason),
		textField("note", "备注", p.Note),
	}
	if p.Extension != nil {
		rules = append(rules, textField("reason", "延期理由", p.Extension.Reason))
	}
	rules = append(rules, nameFields("coop_units", "配合单位名称", p.CoopUnits)...)
	return checkLengths(rules...)
}

// checkLengths of a case: what the batch file and the units' answers fill.
func (c *Case) checkLengths() error {
	rules := []lenRule{
		codeField("acceptance_no", "受理编号", c.AcceptanceNo),
		textField("text", "交办问题基本情况", c.Text),
		shortField("area", "行政区域", c.Area),
		shortField("type_detail", "污染类型说明", c.TypeDetail),
		textField("findings", "调查核实情况", c.Findings),
		textField("handling", "处理和整改情况", c.Handling),
		textField("accountability", "责任人被处理情况", c.Accountability),
		textField("reason", "退回理由", c.ReturnReason),
	}
	rules = append(rules, nameFields("units", "承办单位名称", c.Units)...)
	for i := range c.Parts {
		pt := &c.Parts[i]
		rules = append(rules, textField("findings", "调查核实情况", pt.Findings), textField("handling", "处理和整改情况", pt.Handling),
			textField("accountability", "责任人被处理情况", pt.Accountable))
	}
	for i := range c.Measures {
		rules = append(rules, nameField("measures", "企业名称", c.Measures[i].Enterprise))
	}
	return checkLengths(rules...)
}

// ValidateLengths checks a case's fields against their limits; the batch
// import calls it for every row, naming the row.
func (c *Case) ValidateLengths() error { return c.checkLengths() }
