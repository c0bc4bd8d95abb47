package sheets

import (
	"fmt"
	"io"
	"strconv"

	"ducha"
	"ducha/excel"
)

// NoticeList is a notice list as exported from the list page: the notices
// of one filter in its order, with the list's columns and whether each is
// overdue on Today.
type NoticeList struct {
	Title   string // the title row, e.g. 督办单
	Left    string // what was filtered: 筛选：状态：待签收 · 督办单位：永清镇
	Notices []*ducha.Notice
	Today   ducha.Date
}

// WriteNoticeList writes the list as xlsx: the numbers (清督办〔2026〕12号)
// and every text as text cells, the row number as a whole number, the
// day issued and the due date as date cells, and whether each is overdue
// (是/否) in a column of its own that the filter buttons can pick.
func WriteNoticeList(w io.Writer, l NoticeList) error {
	col := func(h string, width float64) excel.OutColumn { return excel.OutColumn{Header: h, Width: width} }
	layout := excel.Layout{
		Title: l.Title,
		Left:  l.Left,
		Right: fmt.Sprintf("共%d张", len(l.Notices)),
		Sheet: "督办单",
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "序号", Width: 6, Kind: excel.KindInt}, col("编号", 22), col("督办类型", 10), col("督办单位", 16),
			col("督办事项", 14), {Header: "督办内容", Width: 36, Wrap: true}, col("督办原因", 14),
			{Header: "下发日期", Width: 12, Kind: excel.KindDate}, {Header: "答复期限", Width: 12, Kind: excel.KindDate},
			col("状态", 8), col("是否逾期", 12),
		}}},
		AutoFilter: true,
	}
	data := make([][]any, len(l.Notices))
	for i, n := range l.Notices {
		data[i] = []any{i + 1, n.No, n.Kind.Label(), n.Unit, noticeItem(n), n.Text, n.Reason,
			dateCell(n.IssuedOn), dateCell(n.Due), n.Status.Label(), yesNo(n.Overdue(l.Today))}
	}
	return excel.Write(w, layout, data)
}

// noticeItem names a notice's item as the list does: 问题 #12, 交办件 #3.
func noticeItem(n *ducha.Notice) string {
	kind, id := n.Item()
	if kind == ducha.ItemCase {
		return "交办件 #" + strconv.FormatInt(id, 10)
	}
	return "问题 #" + strconv.FormatInt(id, 10)
}
