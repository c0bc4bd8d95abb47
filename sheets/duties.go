package sheets

import (
	"fmt"
	"io"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// DutySpec are the columns of a responsibility list (责任清单, SPEC section
// 4): 序号, 责任单位, 职责事项 (or 事项), 依据 (or 法律法规依据). A title row
// or merged cells may sit above the header.
var DutySpec = excel.Spec{MinMatch: 2, Columns: []excel.Column{
	{Key: "no", Names: []string{"序号", "编号"}},
	{Key: "unit", Names: []string{"责任单位", "单位", "单位名称"}, Required: true},
	{Key: "title", Names: []string{"职责事项", "事项", "责任事项", "主要职责", "职责内容"}, Required: true},
	{Key: "basis", Names: []string{"依据", "法律法规依据", "职责依据", "法律依据", "设定依据"}},
}}

// dutyHeaders name each column in row errors as the spec names it first.
var dutyHeaders = map[string]string{"no": "序号", "unit": "责任单位", "title": "职责事项", "basis": "依据"}

// ReadDuties reads a responsibility list (xlsx or csv) within lim (zero
// fields: excel.DefaultLimits). Text is cleaned (simplified characters,
// half-width digits and letters, pinyin notes removed); a 合计 row or a row
// with nothing but its 序号 is skipped. A row without its unit or its duty
// stops the read with its row number; the store resolves the units, all
// rows or none.
func ReadDuties(r io.Reader, filename string, lim excel.Limits) ([]ducha.DutyRow, error) {
	t, err := excel.ReadLimited(r, filename, DutySpec, lim)
	if err != nil {
		return nil, fileError(err, func(header string) string {
			for k, h := range dutyHeaders {
				if h == header {
					return k
				}
			}
			return ""
		})
	}
	rows := make([]ducha.DutyRow, 0, len(t.Records))
	for _, rec := range t.Records {
		v := rec.Values
		if isSummary(map[string]string{"seq": v["no"], "unit": v["unit"], "title": v["title"], "basis": v["basis"]}) {
			continue
		}
		d := &ducha.Duty{No: text.Clean(strings.TrimSpace(v["no"])), Title: cleanText(v["title"]), Basis: cleanText(v["basis"])}
		// A unit written once over merged cells is filled down by package
		// excel; an empty cell is an error, never the row above's unit.
		unit := text.Clean(strings.TrimSpace(v["unit"]))
		if unit == "" {
			return nil, dutyRowError(rec.Row, "unit", "责任单位不能为空")
		}
		if d.Title == "" {
			return nil, dutyRowError(rec.Row, "title", "职责事项不能为空")
		}
		if err := d.Validate(); err != nil {
			if e, ok := err.(*ducha.Error); ok {
				for k := range e.Fields {
					return nil, dutyRowError(rec.Row, k, "%s", e.Fields[k])
				}
			}
			return nil, err
		}
		rows = append(rows, ducha.DutyRow{Row: rec.Row, Unit: unit, Duty: d})
	}
	if len(rows) == 0 {
		return nil, ducha.FieldError("file", "文件中没有职责事项")
	}
	return rows, nil
}

// cleanText normalizes a cell of prose, keeping its line breaks.
func cleanText(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = text.Clean(strings.TrimSpace(l))
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func dutyRowError(row int, key, format string, args ...any) error {
	msg := "“" + dutyHeaders[key] + "”列：" + fmt.Sprintf(format, args...)
	return &ducha.Error{Code: ducha.EINVALID, Row: row, Message: msg, Fields: map[string]string{key: msg}}
}
