package sheets_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/sheets"
)

// TestWriteNoticeList: the exported notice list has its title, the filter
// in words and the count, a header, and a row per notice in the order
// given; numbers, items and a text of digits are text cells, the days are
// date cells, and an overdue notice says so.
func TestWriteNoticeList(t *testing.T) {
	l := sheets.NoticeList{Title: "督办单", Left: "筛选：督办单位：永清镇", Today: "2026-12-14", Notices: []*ducha.Notice{
		{ID: 7, No: "清督办〔2026〕12号", Kind: ducha.NoticeSupervision, Unit: "永清镇", ProblemID: 3, Text: "13348532309",
			Reason: "逾期3天", IssuedOn: "2026-12-10", Due: "2026-12-12", Status: ducha.NoticeSigned},
		{ID: 2, No: "清催办〔2026〕2号", Kind: ducha.NoticeReminder, Unit: "永清镇", CaseID: 5, Text: "请整改",
			IssuedOn: "2026-12-09", Due: "2026-12-11", Status: ducha.NoticeAnswered},
	}}
	var buf bytes.Buffer
	if err := sheets.WriteNoticeList(&buf, l); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if sheet != "督办单" || len(rows) != 6 || rows[0][0] != "督办单" || rows[1][0] != "筛选：督办单位：永清镇" || !slices.Contains(rows[1], "共2张") {
		t.Fatalf("%s: %q", sheet, rows)
	}
	header := []string{"序号", "编号", "督办类型", "督办单位", "督办事项", "督办内容", "督办原因", "下发日期", "答复期限", "状态", "是否逾期"}
	if !slices.Equal(rows[2], header) {
		t.Fatalf("header %q", rows[2])
	}
	want := [][]string{
		{"1", "清督办〔2026〕12号", "督办", "永清镇", "问题 #3", "13348532309", "逾期3天", "2026-12-10", "2026-12-12", "已签收", "是"},
		{"2", "清催办〔2026〕2号", "催办", "永清镇", "交办件 #5", "请整改", "", "2026-12-09", "2026-12-11", "已答复", "否"},
	}
	for i, w := range want {
		if got := rows[4+i]; !slices.Equal(got, w) {
			t.Errorf("row %d: %q, want %q", i+1, got, w)
		}
	}
	for _, c := range []string{"B5", "E5", "F5"} {
		if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s is of type %v, want text", c, typ)
		}
	}
	for _, c := range []string{"A5", "H5", "I5"} {
		if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is of type %v, want a number or a date", c, typ)
		}
	}
	if raw, _ := f.GetCellValue(sheet, "I5", excelize.Options{RawCellValue: true}); raw != "46368" {
		t.Errorf("due date serial %s, want 46368 (2026-12-12)", raw)
	}
}
