package sheets

import (
	"fmt"
	"io"

	"ducha"
	"ducha/excel"
)

// DocumentList is the document list (文件库) as exported from the list
// page: the documents of one filter in its order, each as the list shows
// it, without its text or its file.
type DocumentList struct {
	Title     string // the title row, e.g. 文件库
	Left      string // what was filtered: 筛选：文件类型：工作方案
	Documents []*ducha.Document
}

// WriteDocumentList writes the list as xlsx: the document's number (its
// id, by which /documents/{id} finds it) and every text as text cells, the
// dates as the list's 2026-12-07 and upload times to the minute in
// Beijing time, the size in bytes as a whole number.
func WriteDocumentList(w io.Writer, l DocumentList) error {
	col := func(h string, width float64) excel.OutColumn { return excel.OutColumn{Header: h, Width: width} }
	layout := excel.Layout{
		Title: l.Title,
		Left:  l.Left,
		Right: fmt.Sprintf("共%d份", len(l.Documents)),
		Sheet: "文件库",
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "序号", Width: 6, Kind: excel.KindInt}, col("编号", 8), col("标题", 40), col("文件类型", 12),
			col("文件日期", 12), col("原件", 24), {Header: "大小（字节）", Width: 12, Kind: excel.KindInt},
			col("上传人", 12), col("上传时间", 17),
		}}},
		AutoFilter: true,
	}
	data := make([][]any, len(l.Documents))
	for i, d := range l.Documents {
		uploaded := ""
		if !d.UploadedAt.IsZero() {
			uploaded = d.UploadedAt.In(ducha.Location).Format("2006-01-02 15:04")
		}
		data[i] = []any{i + 1, d.ID, d.Title, d.Kind.Label(), string(d.Date), d.Original.Name, d.Original.Size,
			d.UploadedBy, uploaded}
	}
	return excel.Write(w, layout, data)
}
