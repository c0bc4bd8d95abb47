package sheets

import (
	"fmt"
	"io"

	"ducha"
	"ducha/excel"
)

// EnterpriseList is an enterprise list as exported from the list page:
// the enterprises of one filter in its order, with their counts as the
// user may see them.
type EnterpriseList struct {
	Title       string // the title row, e.g. 企业档案
	Left        string // what was filtered: 筛选：行业：工业 · 多次被举报
	Enterprises []*ducha.Enterprise
}

// WriteEnterpriseList writes the list as xlsx: the credit code and every
// text as text cells (an all-digit 统一社会信用代码 never becomes
// 9.13E+17), the counts as whole numbers and the fines as yuan with two
// decimals.
func WriteEnterpriseList(w io.Writer, l EnterpriseList) error {
	col := func(h string, width float64) excel.OutColumn { return excel.OutColumn{Header: h, Width: width} }
	count := func(h string) excel.OutColumn { return excel.OutColumn{Header: h, Width: 10, Kind: excel.KindInt} }
	layout := excel.Layout{
		Title: l.Title,
		Left:  l.Left,
		Right: fmt.Sprintf("共%d家", len(l.Enterprises)),
		Sheet: "企业档案",
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "序号", Width: 6, Kind: excel.KindInt}, col("企业名称", 30), col("统一社会信用代码", 22), col("行业", 10),
			col("地址", 30), count("交办件数"), count("处理措施数"), {Header: "罚款合计（元）", Width: 14, Kind: excel.KindAmount},
			count("问题数"),
		}}},
		AutoFilter: true,
	}
	data := make([][]any, len(l.Enterprises))
	for i, e := range l.Enterprises {
		data[i] = []any{i + 1, e.Name, e.CreditCode, e.Industry, e.Address, e.Cases, e.Measures, yuan(e.Fines), e.Problems}
	}
	return excel.Write(w, layout, data)
}

// yuan is an amount as a figure of yuan for an amount cell.
func yuan(m ducha.Money) float64 { return float64(m) / 100 }
