package sheets

import (
	"io"
	"strconv"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// UnitSpec are the columns of a unit list (units.csv).
var UnitSpec = excel.Spec{MinMatch: 2, Columns: []excel.Column{
	{Key: "name", Names: []string{"名称", "单位名称", "单位"}, Required: true},
	{Key: "kind", Names: []string{"类型", "单位类型"}},
	{Key: "code", Names: []string{"区划代码", "统计用区划代码"}},
	{Key: "head", Names: []string{"主要负责人", "负责人"}},
	{Key: "liaison", Names: []string{"联络员"}},
	{Key: "phone", Names: []string{"电话", "联系电话", "联络员电话"}},
	{Key: "member", Names: []string{"成员单位", "是否成员单位"}},
}}

// ReadUnits reads a unit list (csv or xlsx) within lim (zero fields:
// excel.DefaultLimits). A bad cell stops the read with its row.
func ReadUnits(r io.Reader, filename string, lim excel.Limits) ([]*ducha.Unit, error) {
	t, err := excel.ReadLimited(r, filename, UnitSpec, lim)
	if err != nil {
		return nil, fileError(err, nil)
	}
	var out []*ducha.Unit
	seen := map[string]int{}
	given := map[string]bool{}
	for key, field := range map[string]string{"kind": "kind", "code": "division_code", "member": "member",
		"head": "head", "liaison": "liaison", "phone": "phone"} {
		if _, ok := t.Columns[key]; ok {
			given[field] = true
		}
	}
	for _, rec := range t.Records {
		v := rec.Values
		u := &ducha.Unit{Name: text.Clean(v["name"]), DivisionCode: text.Clean(v["code"]),
			Head: text.Clean(v["head"]), Liaison: text.Clean(v["liaison"]), Phone: text.Clean(v["phone"])}
		if u.Name == "" {
			return nil, &ducha.Error{Code: ducha.EINVALID, Row: rec.Row, Message: "“名称”列：单位名称不能为空"}
		}
		if first, ok := seen[u.Name]; ok {
			return nil, &ducha.Error{Code: ducha.EINVALID, Row: rec.Row, Message: "“名称”列：单位“" + u.Name + "”与第" + strconv.Itoa(first) + "行重复"}
		}
		seen[u.Name] = rec.Row
		kind, ok := ducha.ParseUnitKind(text.Clean(v["kind"]))
		if !ok {
			return nil, &ducha.Error{Code: ducha.EINVALID, Row: rec.Row, Message: "“类型”列：“" + v["kind"] + "”不是有效的单位类型（乡镇、部门或其他）"}
		}
		u.Kind, u.Given = kind, given
		switch strings.TrimSpace(v["member"]) {
		case "是", "*", "√", "Y", "y", "1":
			u.Member = true
		}
		out = append(out, u)
	}
	return out, nil
}
