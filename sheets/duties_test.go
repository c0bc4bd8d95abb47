package sheets_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/excel"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

// dutyWorkbook writes a responsibility list as offices lay it out: a
// merged title row above the header, the unit written once over merged
// cells, traditional characters, a pinyin note and full-width digits.
func dutyWorkbook(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sh := x.GetSheetName(0)
	rows := [][]any{
		{"永清镇生态环境保护责任清单", nil, nil, nil},
		{"序号", "责任单位", "事项", "法律法规依据"},
		{"１", "永清镇", "負責轄區大氣污染防治，督促落實揚塵(yáng chén)管控措施", "《中华人民共和国大气污染防治法》第五条"},
		{"２", nil, "负责秸秆禁烧和综合利用", "《甘肃省大气污染防治条例》第二十条"},
		{"３", "红堡镇", "负责农村生活垃圾收集转运", ""},
		{"合计", nil, nil, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"A1", "D1"}, {"B3", "B4"}} {
		if err := x.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadDutiesWorkbook(t *testing.T) {
	rows, err := sheets.ReadDuties(bytes.NewReader(dutyWorkbook(t)), "责任清单.xlsx", excel.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{strconv.Itoa(r.Row), r.Unit, r.Duty.No, r.Duty.Title, r.Duty.Basis}, "|"))
	}
	want := []string{
		"3|永清镇|1|负责辖区大气污染防治，督促落实扬尘管控措施|《中华人民共和国大气污染防治法》第五条",
		"4|永清镇|2|负责秸秆禁烧和综合利用|《甘肃省大气污染防治条例》第二十条",
		"5|红堡镇|3|负责农村生活垃圾收集转运|",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadDutiesRefuses(t *testing.T) {
	for _, c := range []struct {
		name, csv string
		row       int
		want      string
	}{
		{"no title", "序号,责任单位,职责事项,依据\n1,永清镇,负责扬尘管控,x\n2,永清镇, ,y\n", 3, "“职责事项”列：职责事项不能为空"},
		{"no unit", "序号,责任单位,职责事项,依据\n1,,负责扬尘管控,x\n", 2, "“责任单位”列：责任单位不能为空"},
		{"no duty column", "序号,责任单位,依据\n1,永清镇,x\n", 0, "职责事项"},
		{"title too long", "序号,责任单位,职责事项\n1,永清镇," + strings.Repeat("责", ducha.MaxDutyTitleLen+1) + "\n", 2, "职责事项过长"},
		{"nothing", "序号,责任单位,职责事项\n合计,,\n", 0, "文件中没有职责事项"},
	} {
		_, err := sheets.ReadDuties(strings.NewReader(c.csv), "duties.csv", excel.Limits{})
		var e *ducha.Error
		if !errors.As(err, &e) || e.Code != ducha.EINVALID || e.Row != c.row || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s: %v, want row %d %q", c.name, err, c.row, c.want)
		}
	}
	// Bounded like the other readers: past a limit the file is refused, naming it.
	var b strings.Builder
	b.WriteString("序号,责任单位,职责事项\n")
	for i := 0; i < 20; i++ {
		b.WriteString("1,永清镇,负责扬尘管控" + strings.Repeat("x", i) + "\n")
	}
	_, err := sheets.ReadDuties(strings.NewReader(b.String()), "duties.csv", excel.Limits{MaxRows: 10})
	var e *ducha.Error
	if !errors.Is(err, excel.ErrLimit) || !errors.As(err, &e) || e.Code != ducha.EINVALID {
		t.Fatalf("past the row limit: %v", err)
	}
}

// A file read and imported: an unknown unit stops the import with its row
// and stores nothing; the same file twice changes nothing.
func TestImportDutiesFile(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		bad := "序号,责任单位,职责事项,依据\n1,永清镇,负责扬尘管控,x\n2,柳湖镇,负责秸秆禁烧,y\n"
		rows, err := sheets.ReadDuties(strings.NewReader(bad), "duties.csv", excel.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportDuties(coord, rows)
		if err == nil || err.Error() != "第3行：“责任单位”列：单位“柳湖镇”不存在" {
			t.Fatalf("unknown unit: %v", err)
		}
		if _, n, _ := db.FindDuties(coord, ducha.DutyFilter{}); n != 0 {
			t.Fatalf("a refused file stored %d duties", n)
		}
		for i, want := range []ducha.DutyImportResult{{Created: 3, Units: []string{"永清镇", "红堡镇"}}, {Unchanged: 3, Units: []string{"永清镇", "红堡镇"}}} {
			rows, err := sheets.ReadDuties(bytes.NewReader(dutyWorkbook(t)), "责任清单.xlsx", excel.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := db.ImportDuties(coord, rows)
			if err != nil || res.Created != want.Created || res.Unchanged != want.Unchanged || strings.Join(res.Units, ",") != "永清镇,红堡镇" {
				t.Fatalf("import %d: %v %+v", i, err, res)
			}
		}
	})
}
