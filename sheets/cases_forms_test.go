package sheets_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ducha"
	"ducha/sheets"
)

// Tables of the forms published in real inspection rounds, made here: the
// numbers every office uses, channels beyond 来电/来信, 所属区县/所属乡镇,
// traditional characters, an intake window in the title.

// realTitle is the title of a batch as the provincial tables of 2017 write it.
var realTitle = []string{"中央第二环境保护督察组转办群众信访举报件", "第三十二批 2017年5月25日12时-5月26日12时"}

var realHeader = []string{"序号", "受理编号", "交办问题基本情况", "所属区县", "所属乡镇", "问题类型", "举报方式", "重点关注"}

var realRows = [][]string{
	{"1", "D3SX202505280018", "某石材厂夜间生产噪声扰民", "清水县", "永清镇", "大气污染 / 噪聲 / 生态破坏、土壤污染", "来电", ""},
	{"2", "访受〔2021〕0517031号", "群眾反映某養殖場糞污直排河道", "清水县", " 红 堡 镇 ", "水", "来访", ""},
	{"3", "BCD2022092601", "某洗煤厂粉尘污染", "清水县", "", "大气（粉尘）", "微信公众号", "否"},
	{"4", "信20170816134", "某砖厂烟尘", "", "白沙镇", "大气", "", ""},
	{"5", "X370000201811280030", "某化工厂异味", "", "金集镇", "大气", "", ""},
	{"6", "2145", "某餐馆油烟扰民", "", "永清镇", "油烟", "网上举报", ""},
	{"7", "X2HA202104270093*", "某矿山破坏植被", "", "山门镇", "生态", "", ""},
	{"8", "ｄ３ＳＸ２０２５０５２８００１９＊", "某厂废水直排", "", "永清镇", "水", "", ""},
	{"9", "D3SX202505280020", "某公司危废乱堆", "", "红堡镇", "固废", "电子邮件", ""},
	{"10", "D3SX202505280021", "某工地夜间施工", "", "红堡镇", "噪音", "信访局转办", ""},
	{"11", "D3SX202505280022", "某垃圾场渗滤液外溢", "", "金集镇", "垃圾、水污染", "12345热线", "★"},
}

// csvOf writes title lines, a header and rows as a csv file.
func csvOf(title, header []string, rows [][]string) string {
	var b strings.Builder
	for _, t := range title {
		b.WriteString(t + "\n")
	}
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(",")
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// xlsxOf writes the same as a workbook: each title line merged across the
// header's width, the header below them, the rows from there.
func xlsxOf(t *testing.T, title, header []string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	put := func(row int, cells []string) {
		for i, c := range cells {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellStr(sheet, ref, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	for i, line := range title {
		put(i+1, []string{line})
		if err := f.MergeCell(sheet, "A"+strconv.Itoa(i+1), last+strconv.Itoa(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	put(len(title)+1, header)
	for i, r := range rows {
		put(len(title)+2+i, r)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ducha.Location)
	if err != nil {
		panic(err)
	}
	return t
}

// wantRealRows are the rows of realRows as read, field by field.
var wantRealRows = []struct {
	no, channel, area string
	key               bool
	types             []string
	detail            string
	original          map[string]string
}{
	{"D3SX202505280018", "来电", "永清镇", false, []string{"大气", "土壤", "噪声", "生态"}, "",
		map[string]string{"types": "大气污染 / 噪聲 / 生态破坏、土壤污染"}},
	{"访受〔2021〕0517031号", "来访", "红堡镇", false, []string{"水"}, "",
		map[string]string{"text": "群眾反映某養殖場糞污直排河道", "area": "红 堡 镇"}},
	// Only the county is named: it is the area.
	{"BCD2022092601", "微信", "清水县", false, []string{"大气"}, "粉尘", map[string]string{"channel": "微信公众号"}},
	// Neither D nor X: the channel is 其他.
	{"信20170816134", "其他", "白沙镇", false, []string{"大气"}, "", nil},
	{"X370000201811280030", "来信", "金集镇", false, []string{"大气"}, "", nil},
	{"2145", "网络", "永清镇", false, []string{"大气"}, "油烟", map[string]string{"channel": "网上举报"}},
	{"X2HA202104270093", "来信", "山门镇", true, []string{"生态"}, "", map[string]string{"acceptance_no": "X2HA202104270093*"}},
	// Full-width folded, the letter's case kept, the full-width star a key mark.
	{"d3SX202505280019", "来电", "永清镇", true, []string{"水"}, "", map[string]string{"acceptance_no": "ｄ３ＳＸ２０２５０５２８００１９＊"}},
	{"D3SX202505280020", "网络", "红堡镇", false, []string{"固废"}, "", map[string]string{"channel": "电子邮件"}},
	{"D3SX202505280021", "其他", "红堡镇", false, []string{"噪声"}, "", map[string]string{"channel": "信访局转办"}},
	{"D3SX202505280022", "来电", "金集镇", true, []string{"水", "固废"}, "", map[string]string{"channel": "12345热线"}},
}

func checkRealRows(t *testing.T, cf *sheets.CaseFile, firstRow int) {
	t.Helper()
	eq(t, "batch, date", []any{cf.Batch, cf.Date}, []any{32, ducha.Date("2017-05-26")})
	if cf.WindowFrom == nil || cf.WindowTo == nil || !cf.WindowFrom.Equal(cst("2017-05-25 12:00")) || !cf.WindowTo.Equal(cst("2017-05-26 12:00")) {
		t.Errorf("window %v – %v", cf.WindowFrom, cf.WindowTo)
	}
	if cf.AsKept {
		t.Error("a plain hand-over read as a table with results")
	}
	if len(cf.Rows) != len(wantRealRows) {
		t.Fatalf("%d rows", len(cf.Rows))
	}
	for i, w := range wantRealRows {
		r := cf.Rows[i]
		eq(t, w.no+" row", r.Row, firstRow+i)
		eq(t, w.no+" number", r.AcceptanceNo, w.no)
		eq(t, w.no+" channel", r.Channel, w.channel)
		eq(t, w.no+" area", r.Area, w.area)
		eq(t, w.no+" key", r.Key, w.key)
		eq(t, w.no+" types", r.Types, w.types)
		eq(t, w.no+" detail", r.TypeDetail, w.detail)
		eq(t, w.no+" original", r.Original, w.original)
		eq(t, w.no+" batch, date", []any{r.Batch, r.Date}, []any{32, ducha.Date("2017-05-26")})
		if r.Results != nil || r.LinkKind != "" || r.RepeatOf != 0 {
			t.Errorf("%s: results %+v link %q repeat %d", w.no, r.Results, r.LinkKind, r.RepeatOf)
		}
	}
	eq(t, "traditional text", cf.Rows[1].Text, "群众反映某养殖场粪污直排河道")
}

func TestReadCasesRealForms(t *testing.T) {
	cf := readCaseCSV(t, csvOf(realTitle, realHeader, realRows), "x.csv", sheets.CaseFileOptions{})
	checkRealRows(t, cf, 4)
	x, err := readCaseBytes(xlsxOf(t, realTitle, realHeader, realRows), "x.xlsx", sheets.CaseFileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRealRows(t, x, 4)
}

func TestReadCasesWindows(t *testing.T) {
	const body = "序号,受理编号,举报内容,区域\n1,D3SX202612100001,某厂夜间噪声扰民,永清镇\n"
	tests := []struct {
		title    string
		from, to string
		date     ducha.Date
	}{
		{"第三十二批 2017年5月25日12时-5月26日12时\n", "2017-05-25 12:00", "2017-05-26 12:00", "2017-05-26"},
		{"第3批（2018年11月28日18时至29日18时）\n", "2018-11-28 18:00", "2018-11-29 18:00", "2018-11-29"},
		// 受理时间 names the window, not the forwarding: the end is the date.
		{"第3批\n受理时间：2021年4月27日12:00—4月28日12:00\n", "2021-04-27 12:00", "2021-04-28 12:00", "2021-04-28"},
		{"第3批 2017年12月31日12時－1月1日12時\n", "2017-12-31 12:00", "2018-01-01 12:00", "2018-01-01"},
		// Whole days without hours.
		{"第3批 2026年12月8日-12月9日\n", "2026-12-08 00:00", "2026-12-10 00:00", "2026-12-09"},
		// A line that names the forwarding date wins over the window's end.
		{"第3批 2017年5月25日12时-5月26日12时\n交办日期：2017年5月27日\n", "2017-05-25 12:00", "2017-05-26 12:00", "2017-05-27"},
	}
	for _, tt := range tests {
		cf := readCaseCSV(t, tt.title+body, "x.csv", sheets.CaseFileOptions{})
		if cf.WindowFrom == nil || !cf.WindowFrom.Equal(cst(tt.from)) || !cf.WindowTo.Equal(cst(tt.to)) || cf.Date != tt.date || cf.Batch == 0 {
			t.Errorf("%q: window %v – %v, date %s", tt.title, cf.WindowFrom, cf.WindowTo, cf.Date)
		}
	}
	// No window: none is made up.
	cf := readCaseCSV(t, "第3批\n交办日期：2026年12月8日\n"+body, "x.csv", sheets.CaseFileOptions{})
	if cf.WindowFrom != nil || cf.WindowTo != nil {
		t.Errorf("window from nothing: %v %v", cf.WindowFrom, cf.WindowTo)
	}
	for _, bad := range []string{"第3批 2017年2月30日12时-3月1日12时\n", "第3批 2017年5月26日12时-5月25日12时\n", "第3批 2017年5月25日25时-5月26日12时\n"} {
		_, err := sheets.ReadCases(strings.NewReader(bad+body), "x.csv", sheets.CaseFileOptions{})
		wantCaseError(t, err, 0, "window", "受理时段")
	}
}

// resultsHeader is a disclosure-style table kept by a county with its results.
var resultsHeader = []string{"序号", "受理编号", "交办问题基本情况", "行政区域", "污染类型", "调查核实情况", "是否属实", "办结目标",
	"处理和整改情况", "是否办结", "责任人被处理情况", "责任单位", "办结时间"}

var resultsRows = [][]string{
	{"1", "D3SX202612100001", "宏达建材有限公司粉尘扰民", "永清镇", "大气", "经查，该公司露天堆放砂石", "是", "立即整改",
		"已责令清水县宏达建材有限公司立即整改，罚款5万元，约谈企业负责人2人。", "已办结", "给予王某诫勉谈话", "永清镇人民政府", "2026-12-12"},
	{"2", "X3SX202612100002", "石料厂废水外排", "红堡镇", "水", "经查，沉淀池破损", "基本属实", "2027年3月底前完成",
		"已责令整改", "阶段性办结", "", "红堡镇", ""},
	{"3", "D3SX202612100003", "汽修厂噪声", "永清镇", "噪声", "经现场核查未发现噪声超标", "否", "", "向举报人做好解释", "是", "", "县生态环境局", ""},
	{"4", "X3SX202612100004", "养殖场粪污", "永清镇", "水、土壤", "經查部分屬實", "部分屬實", "", "正在清理", "正在办理", "", "永清镇、县生态环境局", ""},
	{"5", "D3SX202612100005", "砖厂烟尘", "红堡镇", "大气", "", "", "", "", "", "", "", ""},
	{"6", "X3SX202612100006", "餐馆油烟", "红堡镇", "大气（油烟）", "经查属实", "经查属实", "", "已处理", "", "", "红堡镇", ""},
	{"7", "D3SX202612100007", "采砂破坏河道", "红堡镇", "生态", "经查属实", "属实", "", "已约谈", "未办结", "", "不存在的单位", ""},
}

func TestReadCasesResults(t *testing.T) {
	title := []string{"第2批", "交办日期：2026年12月10日", "截至2026年12月15日"}
	cf := readCaseCSV(t, csvOf(title, resultsHeader, resultsRows), "x.csv", sheets.CaseFileOptions{})
	eq(t, "as kept, as of", []any{cf.AsKept, cf.AsOf, cf.Date}, []any{true, ducha.Date("2026-12-15"), ducha.Date("2026-12-10")})
	want := []sheets.RowResults{
		{Findings: "经查，该公司露天堆放砂石", Verdict: "属实", Target: "立即整改", Handling: resultsRows[0][8], Accountability: "给予王某诫勉谈话",
			Status: ducha.CaseClosed, Units: []string{"永清镇人民政府"}, Date: "2026-12-12"},
		{Findings: "经查，沉淀池破损", Verdict: "基本属实", Target: "2027年3月底前完成", Handling: "已责令整改", Status: ducha.CaseStageClosed, Units: []string{"红堡镇"}},
		{Findings: "经现场核查未发现噪声超标", Verdict: "不属实", Handling: "向举报人做好解释", Status: ducha.CaseClosed, Units: []string{"县生态环境局"}},
		{Findings: "经查部分属实", Verdict: "部分属实", Handling: "正在清理", Status: ducha.CaseInvestigating, Units: []string{"永清镇", "县生态环境局"}},
		{},
		{Findings: "经查属实", Verdict: "属实", Handling: "已处理", Units: []string{"红堡镇"}},
		{Findings: "经查属实", Verdict: "属实", Handling: "已约谈", Status: ducha.CaseInvestigating, Units: []string{"不存在的单位"}},
	}
	for i, w := range want {
		r := cf.Rows[i]
		if i == 4 {
			if r.Results != nil {
				t.Errorf("row 5 has no results, got %+v", r.Results)
			}
			continue
		}
		if r.Results == nil {
			t.Fatalf("%s: no results", r.AcceptanceNo)
		}
		eq(t, r.AcceptanceNo+" results", *r.Results, w)
	}
	eq(t, "是 kept as written", cf.Rows[0].Original["verdict"], "是")
	eq(t, "status kept as written", cf.Rows[2].Original["status"], "是")
	eq(t, "traditional verdict kept", cf.Rows[3].Original["verdict"], "部分屬實")

	bad := []struct {
		cell, value string
		key, header string
	}{
		{"verdict", "待核实", "verdict", "是否属实"},
		{"status", "已上报", "status", "是否办结"},
		{"date", "2026年13月1日", "result_date", "办结时间"},
	}
	for _, b := range bad {
		rows := append([][]string(nil), resultsRows...)
		row := append([]string(nil), rows[2]...)
		switch b.cell {
		case "verdict":
			row[6] = b.value
		case "status":
			row[9] = b.value
		case "date":
			row[12] = b.value
		}
		rows[2] = row
		_, err := sheets.ReadCases(strings.NewReader(csvOf(title, resultsHeader, rows)), "x.csv", sheets.CaseFileOptions{})
		wantCaseError(t, err, 7, b.key, b.header, b.value)
	}
	// A forwarding table whose result columns are empty is no table with results.
	empty := [][]string{{"1", "D3SX202612100001", "粉尘扰民", "永清镇", "大气", "", "", "", "", "", "", "", ""}}
	cf = readCaseCSV(t, csvOf(title, resultsHeader, empty), "x.csv", sheets.CaseFileOptions{})
	if cf.AsKept || cf.Rows[0].Results != nil {
		t.Errorf("empty result columns: as kept %v, %+v", cf.AsKept, cf.Rows[0].Results)
	}
}

func TestReadCasesRepeatsAndLinks(t *testing.T) {
	head := "第2批\n交办日期：2026年12月10日\n序号,受理编号,交办问题基本情况,行政区域,是否重复件,备注\n"
	cf := readCaseCSV(t, head+
		"1,D3SX202612100001,某厂噪声扰民,永清镇,,\n"+
		"2,d3sx202612100001,某厂噪声扰民,永清镇,,\n"+
		"3,X3SX202612100002,另一件,永清镇,是,与第1批D3SX202612090009重复\n"+
		"4,X3SX202612100003,又一件,永清镇,D3SX202612090001,\n"+
		"5,X3SX202612100004,补充件,永清镇,,补充办理件，与第1批访受〔2021〕0517031号相关\n"+
		"6,X3SX202612100005,普通件,永清镇,,群众多次反映\n"+
		"7,X3SX202612100006,普通件二,永清镇,否,\n", "x.csv", sheets.CaseFileOptions{})
	r := cf.Rows
	eq(t, "in-file repeat", []any{r[1].RepeatOf, r[1].AcceptanceNo, r[0].RepeatOf}, []any{4, "d3sx202612100001", 0})
	eq(t, "marked with a note", []any{r[2].LinkKind, r[2].LinkRefs, r[2].LinkNote},
		[]any{ducha.LinkDuplicate, []string{"D3SX202612090009"}, "是；与第1批D3SX202612090009重复"})
	eq(t, "number in the column", []any{r[3].LinkKind, r[3].LinkRefs}, []any{ducha.LinkDuplicate, []string{"D3SX202612090001"}})
	if r[4].LinkKind != ducha.LinkSupplement || !slices.Contains(r[4].LinkRefs, "访受〔2021〕0517031号") {
		t.Errorf("supplement: %q %q", r[4].LinkKind, r[4].LinkRefs)
	}
	for _, i := range []int{5, 6} {
		if r[i].LinkKind != "" || r[i].LinkRefs != nil {
			t.Errorf("row %d marked: %q %q", r[i].Row, r[i].LinkKind, r[i].LinkRefs)
		}
	}
	// The same number with another text is no repeat: the office must say which is right.
	_, err := sheets.ReadCases(strings.NewReader(head+"1,D3SX202612100001,某厂噪声扰民,永清镇,,\n2,D3SX202612100001,另一个问题,永清镇,,\n"), "x.csv", sheets.CaseFileOptions{})
	wantCaseError(t, err, 5, "acceptance_no", "受理编号", "D3SX202612100001", "第4行", "不同")
}

// Values the reader refused before issue 7 are meaningful and read.
func TestReadCasesOnceRefused(t *testing.T) {
	const head = "第5批\n交办日期：2026年12月10日\n序号,受理编号,举报内容,行政区域,来电/来信\n"
	cf := readCaseCSV(t, head+
		"1,受理编号待定,某厂噪声,永清镇,来电\n"+
		"2,D3SX,某厂废水,永清镇,来信\n"+
		"3,A3SX202612100009,某厂粉尘,永清镇,来电\n"+
		"4,X3SX202612100010,某厂异味,永清镇,上访\n", "x.csv", sheets.CaseFileOptions{})
	got := [][]string{}
	for _, r := range cf.Rows {
		got = append(got, []string{r.AcceptanceNo, r.Channel})
	}
	eq(t, "numbers and channels", got, [][]string{{"受理编号待定", "来电"}, {"D3SX", "来信"}, {"A3SX202612100009", "来电"}, {"X3SX202612100010", "来访"}})
}
