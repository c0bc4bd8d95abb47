package excel

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func rowNumbers(tab *Table) []int {
	var out []int
	for _, r := range tab.Records {
		out = append(out, r.Row)
	}
	return out
}

func column(tab *Table, key string) []string {
	var out []string
	for _, r := range tab.Records {
		out = append(out, r.Values[key])
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func assertEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestReadLedgerSample(t *testing.T) {
	tab := readSample(t, "ledger.xlsx", ledgerSpec())
	assertEqual(t, "sheet", tab.Sheet, "Sheet1")
	assertEqual(t, "title", tab.Title, []string{
		"清水县中央生态环境保护督察反馈问题整改台账",
		"填报单位：县保障中央环境保护督察协调联络组办公室",
		"截至2026年12月20日",
	})
	assertEqual(t, "header row", tab.HeaderRow, 3)
	wantCols := map[string]int{
		"序号": 0, "问题来源": 1, "问题描述": 2, "行政区域": 3, "污染类型": 4,
		"责任单位": 5, "配合单位": 6, "责任领导": 7, "责任人": 8,
		"整改措施": 9, "整改目标": 10, "整改时限": 11,
		"整改类型": 12, "整改进展": 13, "状态": 14,
	}
	assertEqual(t, "columns", tab.Columns, wantCols)
	assertEqual(t, "unknown", tab.Unknown, []string{"备注"})
	assertEqual(t, "rows", rowNumbers(tab), seq(5, 24))
	assertEqual(t, "row 5", tab.Records[0].Values, map[string]string{
		"序号": "1", "问题来源": "信访交办",
		"问题描述": "城區(qū)建筑工地揚塵管控不到位，渣土車未密閉運輸。",
		"行政区域": "陇东乡", "污染类型": "固废",
		"责任单位": "縣生態(tài)環(huán)境局", "配合单位": "县工业和信息化局、陇东乡",
		"责任领导": "副县长段海燕", "责任人": "黄志强",
		"整改措施": "一是开展排查；二是制定方案；三是落实整改并建立长效机制。",
		"整改目标": "问题整改到位，群众满意。", "整改时限": "2026-12-31",
		"整改类型": "限时整改", "整改进展": "已完成排查，正在推进。", "状态": "待验收",
	})
	// L5 and L15 are Excel dates (46387, numFmt 31); the rest is text as typed.
	assertEqual(t, "整改时限", column(tab, "整改时限"), []string{
		"2026-12-31", "2026-12-31", "2027/6/30", "2027年6月底前", "2026.12.07",
		"长期坚持", "立行立改", "２０２７年３月３１日", "2026年12月底", "2027年12月31日前",
		"2026-12-31", "2026-12-31", "2027/6/30", "2027年6月底前", "2026.12.07",
		"长期坚持", "立行立改", "２０２７年３月３１日", "2026年12月底", "2027年12月31日前",
	})
	assertEqual(t, "序号", column(tab, "序号")[19], "20")
	assertEqual(t, "责任人 of row 24", tab.Records[19].Values["责任人"], "马小军")
	assertEqual(t, "整改类型 of row 10", tab.Records[5].Values["整改类型"], "长期坚持")
}

func TestReadCasesBatch03Sample(t *testing.T) {
	tab := readSample(t, "cases-batch-03.xlsx", casesSpec())
	assertEqual(t, "title", tab.Title, []string{
		"中央第三生态环境保护督察组转办群众信访举报件（第三批）",
		"交办日期：2026年12月8日",
	})
	assertEqual(t, "header row", tab.HeaderRow, 3)
	assertEqual(t, "columns", tab.Columns, map[string]int{
		"seq": 0, "no": 1, "content": 2, "area": 3, "type": 4, "via": 5, "key": 6})
	assertEqual(t, "unknown", tab.Unknown, []string{"备注"})
	assertEqual(t, "rows", rowNumbers(tab), seq(4, 16))
	assertEqual(t, "row 4", tab.Records[0].Values, map[string]string{
		"seq": "1", "no": "X3SX202612080001",
		"content": "黄门镇河湾村石材加工有限公司夜间生产，粉尘和噪声扰民，举报人吴志强（电话13348532309）称多次反映未解决。",
		"area":    "黄门镇", "type": "大气、噪声", "via": "来信", "key": "",
	})
	assertEqual(t, "row 8 content", tab.Records[4].Values["content"],
		"松树镇河湾村附近化工作坊焚烧废旧轮胎，黑烟刺鼻，身份证号620521196505177794的村民反映家中老人咳嗽。")
	assertEqual(t, "types", column(tab, "type")[:6], []string{
		"大气、噪声", "大气/扬尘", "固废、土壤", "大气、噪声", "大气，固废", "水,土壤,大气"})
	// The 合计 row is a record; callers skip it.
	assertEqual(t, "合计 row", tab.Records[12], Record{Row: 16, Values: map[string]string{
		"seq": "合计", "no": "12件", "content": "", "area": "", "type": "", "via": "", "key": ""}})
}

func TestReadCasesBatch04GB18030Sample(t *testing.T) {
	tab := readSample(t, "cases-batch-04-gb18030.csv", casesSpec())
	assertEqual(t, "sheet", tab.Sheet, "")
	assertEqual(t, "title", len(tab.Title), 0)
	assertEqual(t, "header row", tab.HeaderRow, 1)
	assertEqual(t, "unknown", len(tab.Unknown), 0)
	assertEqual(t, "rows", rowNumbers(tab), seq(2, 10))
	assertEqual(t, "row 4", tab.Records[2].Values, map[string]string{
		"seq": "3", "no": "D3SX202612090003",
		"content": "白驼镇上寨村洗煤有限公司夜间生产，粉尘和噪声扰民，举报人张红霞（电话19898053976）称多次反映未解决。",
		"area":    "白驼镇", "type": "大气、噪声", "via": "来电", "key": "",
	})
	assertEqual(t, "重点关注", column(tab, "key"), []string{"*", "", "", "", "", "*", "", "", "*"})
	assertEqual(t, "quoted type", tab.Records[5].Values["type"], "水,土壤,大气")
	assertEqual(t, "area", column(tab, "area")[8], "金集镇")
}

func TestReadCasesBatch05MergedSample(t *testing.T) {
	tab := readSample(t, "cases-batch-05-merged.xlsx", casesSpec())
	assertEqual(t, "title", tab.Title, []string{
		"中央第三生态环境保护督察组转办群众信访举报件（第五批）",
		"交办日期：2026年12月10日",
	})
	assertEqual(t, "header row", tab.HeaderRow, 3)
	// "序 号" (with a space) is still 序号; the other headers are synonyms.
	assertEqual(t, "columns", tab.Columns, map[string]int{
		"seq": 0, "no": 1, "content": 2, "area": 3, "type": 4, "via": 5, "key": 6})
	assertEqual(t, "rows", rowNumbers(tab), seq(4, 13))
	// D5:D6 and D8:D9 are merged; D6 and D9 are empty in the file.
	assertEqual(t, "area", column(tab, "area"), []string{
		"土门镇", "松树镇", "松树镇", "永清镇", "王河镇", "王河镇", "秦亭镇", "远门镇", "金集镇", "陇东乡"})
	assertEqual(t, "key", column(tab, "key"), []string{"否", "否", "否", "否", "否", "否", "否", "否", "否", "否"})
	assertEqual(t, "via", column(tab, "via")[:3], []string{"来信", "来电", "来电"})
	assertEqual(t, "row 12 content", tab.Records[8].Values["content"],
		"金集镇东关村附近汽修作坊焚烧废旧轮胎，黑烟刺鼻，身份证号620521197608261595的村民反映家中老人咳嗽。")
}

func TestReadUnitsSample(t *testing.T) {
	tab := readSample(t, "units.csv", unitsSpec())
	assertEqual(t, "header row", tab.HeaderRow, 1)
	assertEqual(t, "rows", rowNumbers(tab), seq(2, 34))
	assertEqual(t, "row 2", tab.Records[0].Values, map[string]string{
		"名称": "永清镇", "类型": "乡镇", "区划代码": "620521100000",
		"主要负责人": "牛文博", "联络员": "刘立军", "电话": "19313867508"})
	assertEqual(t, "row 34", tab.Records[32].Values, map[string]string{
		"名称": "县政府办公室", "类型": "部门", "区划代码": "",
		"主要负责人": "段红霞", "联络员": "马玉兰", "电话": "15813625193"})
	for _, r := range tab.Records {
		if p := r.Values["电话"]; len(p) != 11 || strings.ContainsAny(p, "E+.") {
			t.Errorf("row %d: phone %q", r.Row, p)
		}
	}
}

func TestReadGB18030SameAsUTF8BOM(t *testing.T) {
	raw, err := io.ReadAll(sample(t, "cases-batch-04-gb18030.csv"))
	if err != nil {
		t.Fatal(err)
	}
	utf, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(raw, utf) {
		t.Fatal("sample is not GB18030-encoded")
	}
	withBOM := append([]byte{0xEF, 0xBB, 0xBF}, utf...)
	gb, err := Read(bytes.NewReader(raw), "a.csv", casesSpec())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{withBOM, utf} {
		u, err := Read(bytes.NewReader(in), "b.csv", casesSpec())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gb, u) {
			t.Errorf("GB18030 and UTF-8 read differently:\n%v\n%v", gb, u)
		}
	}
	assertEqual(t, "content", gb.Records[0].Values["content"], "新城乡后川村混凝土搅拌厂擅自在林地内开挖取土，破坏植被约20亩。")
}

func TestReadMissingRequiredColumn(t *testing.T) {
	// cases-batch-03 has a header (序号, 行政区域, 污染类型) but no 问题描述.
	_, err := Read(sample(t, "cases-batch-03.xlsx"), "cases-batch-03.xlsx", ledgerSpec())
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("want *Error, got %v", err)
	}
	assertEqual(t, "message", xe.Message, "缺少必需的列“问题描述”")
	assertEqual(t, "column", xe.Column, "问题描述")
	assertEqual(t, "row", xe.Row, 0)
	assertEqual(t, "Error()", err.Error(), "缺少必需的列“问题描述”")
}
