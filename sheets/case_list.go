package sheets

import (
	"fmt"
	"io"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// CaseList is a case list as exported from the list page: the cases of
// one filter in its order, with the list's columns. Mask hides
// complainants' names, phone and ID numbers in the complaint text as the
// disclosure table does, for the roles that do not handle the complaint.
type CaseList struct {
	Title string // the title row, e.g. 信访交办件
	Left  string // what was filtered: 筛选：第3批 · 永清镇
	Cases []*ducha.Case
	Mask  bool
}

// WriteCaseList writes the list as xlsx: acceptance numbers and every text
// as text cells (a number such as 2145 or a phone number never becomes a
// figure), the batch and the row number as whole numbers.
func WriteCaseList(w io.Writer, l CaseList) error {
	col := func(h string, width float64) excel.OutColumn { return excel.OutColumn{Header: h, Width: width} }
	layout := excel.Layout{
		Title: l.Title,
		Left:  l.Left,
		Right: fmt.Sprintf("共%d件", len(l.Cases)),
		Sheet: "信访交办件",
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "序号", Width: 6, Kind: excel.KindInt}, col("受理编号", 20), {Header: "批次", Width: 6, Kind: excel.KindInt},
			col("交办日期", 12), col("来电/来信", 8), col("重点关注", 8), col("交办问题基本情况", 40), col("行政区域", 10),
			col("污染类型", 12), col("承办单位", 16), col("办理时限", 12), col("办理状态", 10), col("是否属实", 10), col("是否公开", 8),
		}}},
		AutoFilter: true,
	}
	data := make([][]any, len(l.Cases))
	for i, c := range l.Cases {
		complaint := c.Text
		if l.Mask {
			complaint = text.Mask(complaint)
		}
		types := strings.Join(c.Types, "、")
		if c.TypeDetail != "" {
			types += "（" + c.TypeDetail + "）"
		}
		data[i] = []any{i + 1, c.AcceptanceNo, c.Batch, string(c.ForwardedDate), c.Channel, yesNo(c.Key), complaint, c.Area,
			types, strings.Join(c.Units, "、"), string(c.Deadline), c.Status.Label(), c.Verdict, yesNo(c.Published)}
	}
	return excel.Write(w, layout, data)
}
