package sheets_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/sheets"
)

const caseSamples = "../../shared/samples"

func readCaseSample(t *testing.T, name string, opts sheets.CaseFileOptions) *sheets.CaseFile {
	t.Helper()
	f, err := os.Open(filepath.Join(caseSamples, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cf, err := sheets.ReadCases(f, name, opts)
	if err != nil {
		t.Fatalf("ReadCases(%s): %v", name, err)
	}
	return cf
}

// modifiedSample returns a copy of a sample workbook changed by edit.
func modifiedSample(t *testing.T, name string, edit func(f *excelize.File, sheet string) error) []byte {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(caseSamples, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := edit(f, f.GetSheetName(0)); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readCaseBytes(data []byte, name string, opts sheets.CaseFileOptions) (*sheets.CaseFile, error) {
	return sheets.ReadCases(bytes.NewReader(data), name, opts)
}

func readCaseCSV(t *testing.T, csv, name string, opts sheets.CaseFileOptions) *sheets.CaseFile {
	t.Helper()
	cf, err := sheets.ReadCases(strings.NewReader(csv), name, opts)
	if err != nil {
		t.Fatalf("ReadCases(%s): %v", name, err)
	}
	return cf
}

// wantCaseError checks that err is an invalid-input *ducha.Error for row
// (0: the file) whose message names the column header and holds each
// fragment, and whose Fields has key.
func wantCaseError(t *testing.T, err error, row int, key, header string, fragments ...string) {
	t.Helper()
	var de *ducha.Error
	if !errors.As(err, &de) {
		t.Fatalf("want *ducha.Error, got %v", err)
	}
	if de.Code != ducha.EINVALID || de.Row != row {
		t.Errorf("code %q row %d, want invalid row %d (%v)", de.Code, de.Row, row, err)
	}
	if _, ok := de.Fields[key]; !ok {
		t.Errorf("Fields %v lacks %q (%v)", de.Fields, key, err)
	}
	for _, s := range append([]string{header}, fragments...) {
		if !strings.Contains(de.Message, s) {
			t.Errorf("message %q lacks %q", de.Message, s)
		}
	}
}

type caseColumns struct {
	nos, areas, details []string
	types               [][]string
	key                 []string // acceptance numbers of the key cases
	phone, letter       int
	rows                []int
}

func columnsOf(cf *sheets.CaseFile) caseColumns {
	var c caseColumns
	for _, r := range cf.Rows {
		c.nos = append(c.nos, r.AcceptanceNo)
		c.areas = append(c.areas, r.Area)
		c.types = append(c.types, r.Types)
		c.details = append(c.details, r.TypeDetail)
		c.rows = append(c.rows, r.Row)
		if r.Key {
			c.key = append(c.key, r.AcceptanceNo)
		}
		switch r.Channel {
		case "来电":
			c.phone++
		case "来信":
			c.letter++
		}
	}
	return c
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

func rowsOfFile(t *testing.T, cf *sheets.CaseFile, batch int, date ducha.Date) {
	t.Helper()
	for _, r := range cf.Rows {
		if r.Batch != batch || r.Date != date {
			t.Errorf("row %d: batch %d date %s, want %d %s", r.Row, r.Batch, r.Date, batch, date)
		}
		if r.Text == "" {
			t.Errorf("row %d: empty text", r.Row)
		}
	}
}

func TestReadCasesBatch03(t *testing.T) {
	cf := readCaseSample(t, "cases-batch-03.xlsx", sheets.CaseFileOptions{})
	eq(t, "batch", cf.Batch, 3)
	eq(t, "date", cf.Date, ducha.Date("2026-12-08"))
	eq(t, "title", cf.Title, []string{"中央第三生态环境保护督察组转办群众信访举报件（第三批）", "交办日期：2026年12月8日"})
	eq(t, "skipped", cf.Skipped, []int{16})
	c := columnsOf(cf)
	eq(t, "rows", c.rows, []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	eq(t, "acceptance numbers", c.nos, []string{
		"X3SX202612080001", "X3SX202612080002", "D3SX202612080003", "X3SX202612080004",
		"D3SX202612080005", "X3SX202612080006", "D3SX202612080007", "D3SX202612080008",
		"X3SX202612080009", "X3SX202612080010", "D3SX202612080011", "X3SX202612080012"})
	eq(t, "areas", c.areas, []string{"黄门镇", "山门镇", "郭川镇", "草川铺镇", "松树镇", "远门镇",
		"山门镇", "金集镇", "黄门镇", "永清镇", "丰望乡", "红堡镇"})
	eq(t, "types", c.types, [][]string{
		{"大气", "噪声"}, {"大气"}, {"土壤", "固废"}, {"大气", "噪声"}, {"大气", "固废"}, {"水", "大气", "土壤"},
		{"大气", "固废"}, {"大气", "噪声"}, {"水", "大气", "土壤"}, {"土壤", "固废"}, {"土壤", "固废"}, {"大气", "固废"}})
	eq(t, "type details", c.details, []string{"", "扬尘", "", "", "", "", "", "", "", "", "", ""})
	// The sample's 重点关注 column (G) holds empty strings only: no case is key.
	eq(t, "key", c.key, []string(nil))
	eq(t, "来电/来信", []int{c.phone, c.letter}, []int{5, 7})
	rowsOfFile(t, cf, 3, "2026-12-08")
	first := cf.Rows[0]
	eq(t, "text", first.Text, "黄门镇河湾村石材加工有限公司夜间生产，粉尘和噪声扰民，举报人吴志强（电话13348532309）称多次反映未解决。")
	for _, r := range cf.Rows {
		if r.Original != nil {
			t.Errorf("row %d: clean cells changed by cleaning: %v", r.Row, r.Original)
		}
	}
}

func TestReadCasesBatch04GB18030(t *testing.T) {
	// The csv has no title rows and no date anywhere: the batch comes from
	// the file name, the date must be given.
	_, err := sheets.ReadCases(mustOpen(t, "cases-batch-04-gb18030.csv"), "cases-batch-04-gb18030.csv", sheets.CaseFileOptions{})
	wantCaseError(t, err, 0, "date", "交办日期", "--date")
	if strings.Contains(err.Error(), "--batch") {
		t.Errorf("batch is in the file name, yet: %v", err)
	}

	cf := readCaseSample(t, "cases-batch-04-gb18030.csv", sheets.CaseFileOptions{Date: "2026-12-09"})
	eq(t, "batch", cf.Batch, 4)
	eq(t, "date", cf.Date, ducha.Date("2026-12-09"))
	eq(t, "title", cf.Title, []string(nil))
	eq(t, "skipped", cf.Skipped, []int(nil))
	c := columnsOf(cf)
	eq(t, "rows (csv lines)", c.rows, []int{2, 3, 4, 5, 6, 7, 8, 9, 10})
	eq(t, "acceptance numbers", c.nos, []string{
		"X3SX202612090001", "X3SX202612090002", "D3SX202612090003", "X3SX202612090004", "X3SX202612090005",
		"D3SX202612090006", "D3SX202612090007", "X3SX202612090008", "X3SX202612090009"})
	eq(t, "areas", c.areas, []string{"新城乡", "白沙镇", "白驼镇", "白驼镇", "金集镇", "陇东乡", "草川铺镇", "山门镇", "金集镇"})
	eq(t, "types", c.types, [][]string{
		{"生态"}, {"土壤", "固废"}, {"大气", "噪声"}, {"水"}, {"土壤", "固废"},
		{"水", "大气", "土壤"}, {"大气", "固废"}, {"水"}, {"水", "土壤"}})
	eq(t, "key", c.key, []string{"X3SX202612090001", "D3SX202612090006", "X3SX202612090009"})
	eq(t, "来电/来信", []int{c.phone, c.letter}, []int{3, 6})
	rowsOfFile(t, cf, 4, "2026-12-09")
	eq(t, "GB18030 text", cf.Rows[0].Text, "新城乡后川村混凝土搅拌厂擅自在林地内开挖取土，破坏植被约20亩。")
}

func mustOpen(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(caseSamples, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadCasesBatch05Merged(t *testing.T) {
	cf := readCaseSample(t, "cases-batch-05-merged.xlsx", sheets.CaseFileOptions{})
	eq(t, "batch", cf.Batch, 5)
	eq(t, "date", cf.Date, ducha.Date("2026-12-10"))
	eq(t, "skipped", cf.Skipped, []int(nil))
	c := columnsOf(cf)
	eq(t, "rows", c.rows, []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	eq(t, "acceptance numbers", c.nos, []string{
		"X3SX202612100005", "D3SX202612100001", "D3SX202612100006", "D3SX202612100003", "X3SX202612100002",
		"X3SX202612100008", "X3SX202612100009", "X3SX202612100010", "D3SX202612100007", "D3SX202612100004"})
	// D5:D6 and D8:D9 are merged: rows 6 and 9 take the area of the row above.
	eq(t, "areas", c.areas, []string{"土门镇", "松树镇", "松树镇", "永清镇", "王河镇", "王河镇", "秦亭镇", "远门镇", "金集镇", "陇东乡"})
	eq(t, "types", c.types, [][]string{
		{"生态"}, {"土壤", "固废"}, {"大气"}, {"生态"}, {"土壤", "固废"},
		{"水", "大气", "土壤"}, {"大气"}, {"水", "大气", "土壤"}, {"大气", "固废"}, {"土壤", "固废"}})
	eq(t, "type details", c.details, []string{"", "", "油烟", "", "", "", "扬尘", "", "", ""})
	// 是否重点 is 否 on every row.
	eq(t, "key", c.key, []string(nil))
	eq(t, "来电/来信", []int{c.phone, c.letter}, []int{5, 5})
	rowsOfFile(t, cf, 5, "2026-12-10")
	// Import keeps the ID number; masking is for publication.
	if !strings.Contains(cf.Rows[8].Text, "620521197608261595") {
		t.Errorf("row 12 text: %q", cf.Rows[8].Text)
	}
}

func TestReadCasesOptionsWin(t *testing.T) {
	cf := readCaseSample(t, "cases-batch-03.xlsx", sheets.CaseFileOptions{Batch: 7, Date: "2026-12-09"})
	eq(t, "batch", cf.Batch, 7)
	eq(t, "date", cf.Date, ducha.Date("2026-12-09"))
	rowsOfFile(t, cf, 7, "2026-12-09")

	_, err := sheets.ReadCases(mustOpen(t, "cases-batch-03.xlsx"), "cases-batch-03.xlsx", sheets.CaseFileOptions{Date: "2026/12/09"})
	wantCaseError(t, err, 0, "date", "交办日期", "2026/12/09")
}

func TestReadCasesBrokenSamples(t *testing.T) {
	set := func(cell, value string) func(*excelize.File, string) error {
		return func(f *excelize.File, sheet string) error { return f.SetCellValue(sheet, cell, value) }
	}
	tests := []struct {
		name, sample, file string
		edit               func(*excelize.File, string) error
		row                int
		key, header        string
		fragments          []string
	}{
		{"bad key flag", "cases-batch-03.xlsx", "", set("G5", "重要"), 5, "key", "重点关注", []string{"“重要”"}},
		{"empty acceptance number", "cases-batch-03.xlsx", "", set("B7", ""), 7, "acceptance_no", "受理编号", []string{"不能为空"}},
		{"duplicate acceptance number", "cases-batch-05-merged.xlsx", "", set("B9", "D3SX202612100001"), 9, "acceptance_no", "受理编号", []string{"D3SX202612100001", "第5行"}},
		{"duplicate written differently", "cases-batch-05-merged.xlsx", "", set("B13", " ｘ３ＳＸ２０２６１２１０００１０"), 13, "acceptance_no", "受理编号", []string{"x3SX202612100010", "X3SX202612100010", "第11行"}},
		{"empty acceptance number written as a dash", "cases-batch-05-merged.xlsx", "", set("B7", "—"), 7, "acceptance_no", "受理编号", []string{"不能为空"}},
		{"bad duplicate mark", "cases-batch-05-merged.xlsx", "", func(f *excelize.File, sheet string) error {
			if err := f.SetCellValue(sheet, "H3", "是否重复件"); err != nil {
				return err
			}
			return f.SetCellValue(sheet, "H6", "待查")
		}, 6, "duplicate", "是否重复件", []string{"待查"}},
		{"empty text", "cases-batch-05-merged.xlsx", "", set("C8", "  "), 8, "text", "交办问题基本情况", []string{"不能为空"}},
		{"missing text column", "cases-batch-05-merged.xlsx", "", func(f *excelize.File, sheet string) error {
			return f.RemoveCol(sheet, "C")
		}, 0, "text", "交办问题基本情况", []string{"缺少必需的列"}},
		{"no batch anywhere", "cases-batch-03.xlsx", "交办件.xlsx", set("A1", "中央第三生态环境保护督察组转办群众信访举报件"),
			0, "batch", "批次号", []string{"--batch"}},
		{"impossible date in title", "cases-batch-03.xlsx", "", set("A2", "交办日期：2026年2月30日"), 0, "date", "交办日期", []string{"2026年2月30日"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.file
			if name == "" {
				name = tt.sample
			}
			_, err := readCaseBytes(modifiedSample(t, tt.sample, tt.edit), name, sheets.CaseFileOptions{})
			wantCaseError(t, err, tt.row, tt.key, tt.header, tt.fragments...)
			if tt.row > 0 && !strings.HasPrefix(ducha.ErrorMessage(err), "第") {
				t.Errorf("message does not start with the row: %v", err)
			}
		})
	}
	// The same file without the edit reads: the edits, not the samples, broke it.
	if _, err := readCaseBytes(modifiedSample(t, "cases-batch-05-merged.xlsx", set("H4", "备注")), "cases-batch-05-merged.xlsx", sheets.CaseFileOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestReadCasesNoBatchNorDate(t *testing.T) {
	csv := "序号,受理编号,举报内容,区域\n1,D3SX202612100001,某厂夜间噪声扰民,永清镇\n"
	_, err := sheets.ReadCases(strings.NewReader(csv), "交办件.csv", sheets.CaseFileOptions{})
	wantCaseError(t, err, 0, "batch", "批次号", "交办日期", "--batch", "--date")
	var de *ducha.Error
	if errors.As(err, &de) && de.Fields["date"] == "" {
		t.Errorf("fields %v lack date", de.Fields)
	}
	cf := readCaseCSV(t, csv, "交办件.csv", sheets.CaseFileOptions{Batch: 2, Date: "2026-12-07"})
	eq(t, "batch, date", []any{cf.Batch, cf.Date, cf.Rows[0].Batch, cf.Rows[0].Date}, []any{2, ducha.Date("2026-12-07"), 2, ducha.Date("2026-12-07")})
}

func TestReadCasesTitleAndFileName(t *testing.T) {
	const body = "序号,受理编号,举报内容,区域\n1,D3SX202612100001,某厂夜间噪声扰民,永清镇\n"
	tests := []struct {
		title, file string
		batch       int
		date        ducha.Date
	}{
		{"中央第三生态环境保护督察组转办群众信访举报件（第十一批）\n交办日期：2026年12月10日\n", "x.csv", 11, "2026-12-10"},
		{"群众信访举报件（第３批）\n交办时间: 2026-12-10\n", "x.csv", 3, "2026-12-10"},
		{"第 二十三 批\n2026年12月10日交办\n", "x.csv", 23, "2026-12-10"},
		{"批次：7,交办日期：２０２６年１２月１０日\n", "x.csv", 7, "2026-12-10"},
		{"第一百零五批 2026.12.10交办\n", "x.csv", 105, "2026-12-10"},
		{"交办时间：2026年12月10日\n", "第5批交办件.csv", 5, "2026-12-10"},
		{"交办时间：2026年12月10日\n", "/tmp/up/cases-batch-05.csv", 5, "2026-12-10"},
		{"交办时间：2026年12月10日\n", `C:\下载\Batch_12.csv`, 12, "2026-12-10"},
		{"群众信访举报件（第三批）2026年12月8日\n", "x.csv", 3, "2026-12-08"},
		// The title beats the file name; an as-of line is no forwarding date.
		{"转办群众信访举报件（第三批）\n截至2026年12月20日\n交办日期：2026-12-09\n", "cases-batch-05.csv", 3, "2026-12-09"},
	}
	for _, tt := range tests {
		cf := readCaseCSV(t, tt.title+body, tt.file, sheets.CaseFileOptions{})
		if cf.Batch != tt.batch || cf.Date != tt.date || cf.Rows[0].Batch != tt.batch || cf.Rows[0].Date != tt.date {
			t.Errorf("%q %s: batch %d date %s, want %d %s", tt.title, tt.file, cf.Batch, cf.Date, tt.batch, tt.date)
		}
	}
	// An as-of date alone is not taken for the forwarding date.
	_, err := sheets.ReadCases(strings.NewReader("第三批\n截至2026年12月20日\n"+body), "x.csv", sheets.CaseFileOptions{})
	wantCaseError(t, err, 0, "date", "交办日期", "--date")
}

func TestReadCasesPerRowBatchAndDate(t *testing.T) {
	const head = "序号,受理编号,举报内容,批次,交办日期\n"
	cf := readCaseCSV(t, head+
		"1,D3SX202612100001,某厂夜间噪声扰民,第3批,2026-12-10\n"+
		"2,X3SX202612100002,某厂废水直排,三,2026/12/10\n"+
		"3,X3SX202612100003,某厂粉尘,,\n", "cases-batch-05.csv", sheets.CaseFileOptions{})
	// The rows beat a number guessed from the file name; an empty cell
	// takes the file's value.
	eq(t, "batch, date", []any{cf.Batch, cf.Date}, []any{3, ducha.Date("2026-12-10")})
	rowsOfFile(t, cf, 3, "2026-12-10")

	tests := []struct {
		name, csv, file string
		opts            sheets.CaseFileOptions
		row             int
		key, header     string
		fragments       []string
	}{
		{"rows disagree on batch", head + "1,D3SX202612100001,噪声,3,2026-12-10\n2,X3SX202612100002,废水,4,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{}, 3, "batch", "批次", []string{"第2行"}},
		{"rows disagree on date", head + "1,D3SX202612100001,噪声,3,2026-12-10\n2,X3SX202612100002,废水,3,2026-12-11\n",
			"x.csv", sheets.CaseFileOptions{}, 3, "date", "交办日期", []string{"第2行", "2026-12-10"}},
		{"rows contradict the title", "第五批\n" + head + "1,D3SX202612100001,噪声,3,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{}, 3, "batch", "批次", []string{"文件标题", "第5批"}},
		{"rows contradict --batch", head + "1,D3SX202612100001,噪声,3,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{Batch: 4}, 2, "batch", "批次", []string{"--batch"}},
		{"rows contradict --date", head + "1,D3SX202612100001,噪声,3,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{Date: "2026-12-11"}, 2, "date", "交办日期", []string{"--date"}},
		{"bad batch cell", head + "1,D3SX202612100001,噪声,第三轮,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{}, 2, "batch", "批次", []string{"第三轮"}},
		{"bad date cell", head + "1,D3SX202612100001,噪声,3,12月10日\n",
			"x.csv", sheets.CaseFileOptions{}, 2, "date", "交办日期", []string{"12月10日"}},
		{"no row has a batch", head + "1,D3SX202612100001,噪声,,2026-12-10\n",
			"x.csv", sheets.CaseFileOptions{}, 0, "batch", "批次号", []string{"--batch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sheets.ReadCases(strings.NewReader(tt.csv), tt.file, tt.opts)
			wantCaseError(t, err, tt.row, tt.key, tt.header, tt.fragments...)
		})
	}
}

func TestReadCasesCells(t *testing.T) {
	const csv = "第3批\n交办日期：2026年12月10日\n" +
		"序号,受理编号,信访内容,乡镇,问题类型,举报方式,重点\n" +
		"1,D3SX202612100001,某廠夜間噪聲擾民,永 清 镇,噪音,网络举报,★\n" +
		"2, ｘ３ＳＸ ２０２６１２１０ ０００２ ,废水直排,,大气（油烟、粉尘）/噪声,电话,√\n" +
		"3,D3SX202612100003,粉尘,,,,是\n" +
		"4,X3SX202612100004,垃圾,,,来信,Y\n" +
		"5,X3SX202612100005,扬尘,,,,重点\n" +
		"6,X3SX202612100006,夜间灯光刺眼,,光污染,,否\n" +
		"7,X3SX202612100007,恶臭,,,,-\n" +
		"8,X3SX202612100008,恶臭,,,, \n" +
		"9,,,,,,\n" +
		",合计：8件,,,,,\n" +
		",,合计8件,,,,\n" +
		"总计,8,,,,,\n"
	cf := readCaseCSV(t, csv, "x.csv", sheets.CaseFileOptions{})
	eq(t, "skipped", cf.Skipped, []int{12, 13, 14, 15})
	c := columnsOf(cf)
	// The number keeps the case it was written in (ｘ folds to x, not X).
	eq(t, "acceptance numbers", c.nos[:2], []string{"D3SX202612100001", "x3SX202612100002"})
	eq(t, "key", c.key, []string{"D3SX202612100001", "x3SX202612100002", "D3SX202612100003", "X3SX202612100004", "X3SX202612100005"})
	r1, r2, r3 := cf.Rows[0], cf.Rows[1], cf.Rows[2]
	// 网络举报 is 网络 even on a D number: the column wins.
	eq(t, "row 4", []any{r1.Channel, r1.Text, r1.Area, r1.Types},
		[]any{"网络", "某厂夜间噪声扰民", "永清镇", []string{"噪声"}})
	eq(t, "row 4 original", r1.Original, map[string]string{
		"text": "某廠夜間噪聲擾民", "area": "永 清 镇", "channel": "网络举报"})
	eq(t, "row 5", []any{r2.Channel, r2.Area, r2.Types, r2.TypeDetail},
		[]any{"来电", "", []string{"大气", "噪声"}, "油烟、粉尘"})
	eq(t, "row 5 original", r2.Original, map[string]string{
		"acceptance_no": "ｘ３ＳＸ ２０２６１２１０ ０００２", "channel": "电话"})
	// No channel column value: the number's letter decides.
	eq(t, "row 6", []any{r3.Channel, r3.Types, r3.Original}, []any{"来电", []string{}, map[string]string(nil)})
	eq(t, "row 9 type", []any{cf.Rows[5].Types, cf.Rows[5].TypeDetail}, []any{[]string{"其他"}, "光污染"})
}
