// Package sheets reads and writes the files county offices exchange, as they
// keep them (SPEC section 4): the problem ledger (问题台账/整改台账) and the
// unit list. Package excel finds the table in a file; this package turns its
// cells into domain values and back.
package sheets

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// Column keys and the header names offices use for them.
var LedgerSpec = excel.Spec{Columns: []excel.Column{
	{Key: "seq", Names: []string{"序号"}},
	{Key: "code", Names: []string{"问题编号", "编号"}},
	{Key: "source", Names: []string{"问题来源", "来源"}},
	{Key: "description", Names: []string{"问题描述", "问题", "存在问题", "问题内容"}, Required: true},
	{Key: "area", Names: []string{"行政区域", "所在乡镇", "乡镇", "区域"}},
	{Key: "address", Names: []string{"地址", "详细地址", "问题地点"}},
	{Key: "subject", Names: []string{"责任主体", "企业名称", "涉及企业"}},
	{Key: "types", Names: []string{"污染类型", "问题类型"}},
	{Key: "industry", Names: []string{"行业", "所属行业"}},
	{Key: "lead_unit", Names: []string{"责任单位", "牵头单位"}, Required: true},
	{Key: "coop_units", Names: []string{"配合单位"}},
	{Key: "leader", Names: []string{"责任领导", "包抓领导"}},
	{Key: "person", Names: []string{"责任人"}},
	{Key: "measures", Names: []string{"整改措施"}},
	{Key: "target", Names: []string{"整改目标"}},
	{Key: "deadline", Names: []string{"整改时限", "完成时限"}},
	{Key: "mode", Names: []string{"整改类型", "整改方式"}},
	{Key: "progress", Names: []string{"整改进展", "整改进展情况", "进展情况"}},
	{Key: "status", Names: []string{"状态", "整改状态", "完成情况"}},
	{Key: "note", Names: []string{"备注"}},
}}

// headers gives each key the header used in messages and in written files.
var headers = func() map[string]string {
	m := map[string]string{}
	for _, c := range LedgerSpec.Columns {
		m[c.Key] = c.Names[0]
	}
	return m
}()

// Header returns the header text of a column key (e.g. lead_unit → 责任单位).
func Header(key string) string { return headers[key] }

// fileError turns an error of package excel into the domain's: an invalid
// input with its row and, when fieldOf names the key of its column, that
// field. A refusal by the limits is also about the field "file" and stays
// recognisable: errors.Is(err, excel.ErrLimit). Other errors pass as they
// are.
func fileError(err error, fieldOf func(header string) string) error {
	var e *excel.Error
	if !errors.As(err, &e) {
		return err
	}
	de := &ducha.Error{Code: ducha.EINVALID, Row: e.Row, Message: e.Message}
	if fieldOf != nil {
		if key := fieldOf(e.Column); key != "" {
			de.Fields = map[string]string{key: e.Message}
		}
	}
	if errors.Is(e, excel.ErrLimit) {
		de.Fields = map[string]string{"file": e.Message}
		return &limitError{de}
	}
	return de
}

// limitError is a file refused by the limits: to callers an invalid input
// (*ducha.Error, so HTTP answers 400 and the CLI exits 1) that is also
// excel.ErrLimit.
type limitError struct{ err *ducha.Error }

func (e *limitError) Error() string   { return e.err.Error() }
func (e *limitError) Unwrap() []error { return []error{e.err, excel.ErrLimit} }

func rowError(row int, key, format string, args ...any) error {
	msg := fmt.Sprintf("“%s”列：", headers[key]) + fmt.Sprintf(format, args...)
	return &ducha.Error{Code: ducha.EINVALID, Row: row, Message: msg, Fields: map[string]string{key: msg}}
}

// ReadLedger reads a ledger file (xlsx or csv) into problems, one per data row.
// It checks every cell it can without the store (dates, statuses, sources,
// modes); unit names are resolved by the store. The first bad cell stops
// the read with its row and column. The file is read within lim (zero
// fields: excel.DefaultLimits).
func ReadLedger(r io.Reader, filename string, lim excel.Limits) ([]ducha.LedgerRow, error) {
	t, err := excel.ReadLimited(r, filename, LedgerSpec, lim)
	if err != nil {
		return nil, fileError(err, nil)
	}
	rows := make([]ducha.LedgerRow, 0, len(t.Records))
	for _, rec := range t.Records {
		if isSummary(rec.Values) {
			continue
		}
		p, err := problemOf(rec)
		if err != nil {
			return nil, err
		}
		rows = append(rows, ducha.LedgerRow{Row: rec.Row, Problem: p})
	}
	if len(rows) == 0 {
		return nil, ducha.Errorf(ducha.EINVALID, "文件中没有问题记录")
	}
	return rows, nil
}

// isSummary reports a 合计 row or one with nothing but a sequence number.
func isSummary(v map[string]string) bool {
	seq := strings.ReplaceAll(text.Clean(v["seq"]), " ", "")
	if seq == "合计" || seq == "总计" || seq == "小计" {
		return true
	}
	for k, s := range v {
		if k != "seq" && strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// problemOf turns one record into a problem. Text is normalized (simplified
// characters, half-width digits, no pinyin); where that changed a cell, the
// cell as written is kept in Original.
func problemOf(rec excel.Record) (*ducha.Problem, error) {
	v := rec.Values
	p := &ducha.Problem{Original: map[string]string{}}
	clean := func(key string) string {
		raw := strings.TrimSpace(v[key])
		c := text.Clean(raw)
		if c != raw {
			p.Original[key] = raw
		}
		return c
	}
	p.Code = clean("code")
	p.Source = clean("source")
	if p.Source == "" {
		p.Source = "其他"
	}
	if !containsStr(ducha.ProblemSources, p.Source) {
		return nil, rowError(rec.Row, "source", "“%s”不是有效的问题来源（应为%s之一）", p.Source, strings.Join(ducha.ProblemSources, "、"))
	}
	p.Description = clean("description")
	if p.Description == "" {
		return nil, rowError(rec.Row, "description", "问题描述不能为空")
	}
	p.Area = clean("area")
	p.Address = clean("address")
	p.Subject = clean("subject")
	p.Types, p.TypeDetail = text.ParseTypes(clean("types"))
	if p.Types == nil {
		p.Types = []string{}
	}
	p.Industry = clean("industry")
	if p.Industry != "" && !containsStr(ducha.Industries, p.Industry) {
		return nil, rowError(rec.Row, "industry", "“%s”不是有效的行业", p.Industry)
	}
	p.LeadUnit = clean("lead_unit")
	if coop := clean("coop_units"); coop != "" {
		p.CoopUnits = text.SplitList(coop)
	}
	p.Leader = clean("leader")
	p.Person = clean("person")
	p.Measures = clean("measures")
	p.Target = clean("target")
	p.Progress = clean("progress")
	p.Note = clean("note")
	d, err := text.ParseDeadline(v["deadline"])
	if err != nil {
		return nil, rowError(rec.Row, "deadline", "%s", err.Error())
	}
	p.DeadlineText = d.Text
	if d.Text != strings.TrimSpace(v["deadline"]) && strings.TrimSpace(v["deadline"]) != "" {
		p.Original["deadline"] = strings.TrimSpace(v["deadline"])
	}
	if d.HasDate {
		p.Deadline = ducha.DateOf(d.Date)
	}
	p.Mode = clean("mode")
	switch {
	case p.Mode == "" && d.Word != "":
		p.Mode = d.Word
	case p.Mode == "" && d.HasDate:
		p.Mode = ducha.ModeTimeBound
	case p.Mode != "" && !containsStr(ducha.ProblemModes, p.Mode):
		return nil, rowError(rec.Row, "mode", "“%s”不是有效的整改类型（应为%s之一）", p.Mode, strings.Join(ducha.ProblemModes, "、"))
	}
	status, ok := ducha.ParseProblemStatus(clean("status"))
	if !ok {
		return nil, rowError(rec.Row, "status", "“%s”不是有效的状态（如未启动、整改中、待验收、已销号）", clean("status"))
	}
	p.Status = status
	if p.Status != ducha.StatusRegistered && p.LeadUnit == "" {
		return nil, rowError(rec.Row, "lead_unit", "状态为“%s”的问题必须有责任单位", p.Status.Label())
	}
	if len(p.Original) == 0 {
		p.Original = nil
	}
	return p, nil
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// LedgerLayout is the sheet WriteLedger produces: the layout of the ledgers
// offices hand upward, with the problem code last so a re-import updates
// rather than duplicates. Text wraps in every column but the code's (rows
// are sized to it), the header row carries filter buttons, and the panes
// are frozen below it.
func LedgerLayout(title, org string, asOf ducha.Date) excel.Layout {
	col := func(key string, width float64, kind excel.Kind) excel.OutColumn {
		return excel.OutColumn{Header: headers[key], Width: width, Kind: kind, Wrap: kind == excel.KindText && key != "code"}
	}
	alone := func(cols ...excel.OutColumn) excel.Group { return excel.Group{Columns: cols} }
	return excel.Layout{
		Title:      title,
		Left:       "填报单位：" + org,
		Right:      "截至" + chineseDate(asOfOrToday(asOf)),
		Sheet:      "问题台账",
		AutoFilter: true,
		Groups: []excel.Group{
			alone(col("seq", 6, excel.KindInt), col("source", 10, excel.KindText), col("description", 40, excel.KindText),
				col("area", 10, excel.KindText), col("types", 12, excel.KindText)),
			{Name: "整改责任", Columns: []excel.OutColumn{col("lead_unit", 22, excel.KindText), col("coop_units", 22, excel.KindText),
				col("leader", 14, excel.KindText), col("person", 10, excel.KindText)}},
			{Name: "整改要求", Columns: []excel.OutColumn{col("measures", 40, excel.KindText), col("target", 28, excel.KindText),
				col("deadline", 12, excel.KindDate)}},
			alone(col("mode", 10, excel.KindText), col("progress", 32, excel.KindText), col("status", 8, excel.KindText),
				col("note", 16, excel.KindText), col("code", 15, excel.KindText)),
		},
	}
}

// WriteLedger writes problems as a ledger file. Dates are written as dates;
// deadlines given in words (长期坚持) as their words.
func WriteLedger(w io.Writer, title, org string, asOf ducha.Date, ps []*ducha.Problem) error {
	rows := make([][]any, len(ps))
	for i, p := range ps {
		var deadline any = p.DeadlineText
		if p.Deadline.Valid() {
			deadline = p.Deadline.Time()
		}
		types := strings.Join(p.Types, "、")
		if p.TypeDetail != "" {
			types += "（" + p.TypeDetail + "）"
		}
		rows[i] = []any{i + 1, p.Source, p.Description, p.Area, types,
			p.LeadUnit, strings.Join(p.CoopUnits, "、"), p.Leader, p.Person,
			p.Measures, p.Target, deadline,
			p.Mode, p.ProgressCell(), p.Status.Label(), p.Note, p.Code}
	}
	return excel.Write(w, LedgerLayout(title, org, asOf), rows)
}

// asOfOrToday is asOf, or today when no day is given.
func asOfOrToday(asOf ducha.Date) ducha.Date {
	if asOf.Valid() {
		return asOf
	}
	return ducha.Today(time.Now())
}
