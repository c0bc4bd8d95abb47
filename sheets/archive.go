package sheets

import (
	"io"
	"strings"
	"time"

	"ducha"
	"ducha/excel"
)

// Archive (一案一档, SPEC section 4) is the workbook of one problem or
// case as a closure application or an archive takes it: its fields, its
// history, for a case its measures and the problems it opened, and its
// attachments. The caller prepares the rows (labels and values as text,
// in the reader's language); this writes them in the ledger's layout.
type Archive struct {
	// Title names the item: 问题 QX-2026-001 or 交办件 D2026120301.
	Title string
	// Org is the office the archive is exported for (row 2, left).
	Org string
	// AsOf is when the archive was made.
	AsOf time.Time
	// Case says the item is a case: the workbook then has the sheets
	// 处理措施 and 关联问题.
	Case        bool
	Fields      []ArchiveField
	Events      []ArchiveEvent
	Measures    []ArchiveMeasure
	Problems    []ArchiveProblem
	Attachments []ArchiveAttachment
}

// ArchiveField is one row of 基本信息: a field's label and its value.
type ArchiveField struct{ Label, Value string }

// ArchiveEvent is one row of 历史记录; Changes are the changed fields as
// "label：before → after", one a line.
type ArchiveEvent struct {
	At                  time.Time
	Actor, Action, Note string
	Changes             []string
}

// ArchiveMeasure is one row of 处理措施.
type ArchiveMeasure struct {
	Kind, Enterprise string
	Persons          int
	Fine             string // yuan with two decimals, "" for none
	Date             time.Time
	Unit             string
}

// ArchiveProblem is one row of 关联问题.
type ArchiveProblem struct {
	Code, Status, Description, LeadUnit, Deadline string
}

// ArchiveAttachment is one row of 附件; Path is where its bytes are in the
// zip.
type ArchiveAttachment struct {
	Problem, Name, Type string
	Size                int64
	SHA256, UploadedBy  string
	At                  time.Time
	Path                string
}

// Archive sheet names.
const (
	ArchiveFieldsSheet      = "基本信息"
	ArchiveHistorySheet     = "历史记录"
	ArchiveMeasuresSheet    = "处理措施"
	ArchiveProblemsSheet    = "关联问题"
	ArchiveAttachmentsSheet = "附件"
)

// WriteArchive writes a's workbook to w.
func WriteArchive(w io.Writer, a *Archive) error {
	wb, err := excel.NewWorkbook()
	if err != nil {
		return err
	}
	defer wb.Close()
	sheet := func(name string, cols []excel.OutColumn) error {
		return wb.Sheet(excel.Layout{Title: a.Title + "（" + name + "）", Left: a.Org,
			Right: "导出时间：" + wallClock(a.AsOf), Sheet: name, Groups: []excel.Group{{Columns: cols}}})
	}
	if err := sheet(ArchiveFieldsSheet, []excel.OutColumn{{Header: "项目", Width: 24}, {Header: "内容", Width: 80, Wrap: true}}); err != nil {
		return err
	}
	for _, f := range a.Fields {
		if err := wb.Row([]any{f.Label, f.Value}); err != nil {
			return err
		}
	}
	if err := sheet(ArchiveHistorySheet, []excel.OutColumn{{Header: "序号", Width: 6}, {Header: "时间", Width: 18},
		{Header: "操作人", Width: 20}, {Header: "操作", Width: 14}, {Header: "说明", Width: 30, Wrap: true},
		{Header: "变更内容", Width: 60, Wrap: true}}); err != nil {
		return err
	}
	for i, e := range a.Events {
		if err := wb.Row([]any{i + 1, wall(e.At), e.Actor, e.Action, e.Note, strings.Join(e.Changes, "\n")}); err != nil {
			return err
		}
	}
	if a.Case {
		if err := sheet(ArchiveMeasuresSheet, []excel.OutColumn{{Header: "序号", Width: 6}, {Header: "措施", Width: 14},
			{Header: "企业", Width: 28, Wrap: true}, {Header: "人数", Width: 8, Kind: excel.KindInt},
			{Header: "罚款（元）", Width: 14}, {Header: "日期", Width: 12, Kind: excel.KindDate},
			{Header: "承办单位", Width: 16}}); err != nil {
			return err
		}
		for i, m := range a.Measures {
			var persons any
			if m.Persons > 0 {
				persons = m.Persons
			}
			if err := wb.Row([]any{i + 1, m.Kind, m.Enterprise, persons, m.Fine, m.Date, m.Unit}); err != nil {
				return err
			}
		}
		if err := sheet(ArchiveProblemsSheet, []excel.OutColumn{{Header: "序号", Width: 6}, {Header: "问题编号", Width: 18},
			{Header: "状态", Width: 10}, {Header: "问题描述", Width: 50, Wrap: true}, {Header: "责任单位", Width: 16},
			{Header: "整改时限", Width: 14}}); err != nil {
			return err
		}
		for i, p := range a.Problems {
			if err := wb.Row([]any{i + 1, p.Code, p.Status, p.Description, p.LeadUnit, p.Deadline}); err != nil {
				return err
			}
		}
	}
	cols := []excel.OutColumn{{Header: "序号", Width: 6}}
	if a.Case {
		cols = append(cols, excel.OutColumn{Header: "所属问题", Width: 18})
	}
	cols = append(cols, []excel.OutColumn{{Header: "文件名", Width: 30, Wrap: true}, {Header: "文件类型", Width: 24},
		{Header: "大小（字节）", Width: 12}, {Header: "SHA-256 校验值", Width: 66}, {Header: "上传人", Width: 16},
		{Header: "上传时间", Width: 18}, {Header: "包内路径", Width: 40, Wrap: true}}...)
	if err := sheet(ArchiveAttachmentsSheet, cols); err != nil {
		return err
	}
	for i, at := range a.Attachments {
		row := []any{i + 1}
		if a.Case {
			row = append(row, at.Problem)
		}
		// The size is written as text like every id: it is evidence, not a
		// number to sum.
		row = append(row, at.Name, at.Type, at.Size, at.SHA256, at.UploadedBy, wall(at.At), at.Path)
		if err := wb.Row(row); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(w)
	return err
}

func wallClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ducha.Location).Format("2006-01-02 15:04")
}
