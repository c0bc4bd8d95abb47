package sheets

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/text"
)

// DisclosureRow is one line of the public disclosure table, already masked.
type DisclosureRow struct {
	Seq            int    `json:"seq"`
	AcceptanceNo   string `json:"acceptance_no"`
	Text           string `json:"text"`
	Area           string `json:"area"`
	Types          string `json:"types"`
	Findings       string `json:"findings"`
	Verdict        string `json:"verdict"`
	Handling       string `json:"handling"`
	Accountability string `json:"accountability"`
}

// Disclosure turns cases into the rows of the disclosure table
// (公开情况一览表), masking complainants' names, phone numbers and ID numbers
// in every text.
func Disclosure(cases []*ducha.Case) []DisclosureRow {
	out := make([]DisclosureRow, len(cases))
	for i, c := range cases {
		types := strings.Join(c.Types, "、")
		if c.TypeDetail != "" {
			types += "（" + c.TypeDetail + "）"
		}
		out[i] = DisclosureRow{Seq: i + 1, AcceptanceNo: c.AcceptanceNo, Text: text.Mask(c.Text), Area: c.Area, Types: types,
			Findings: text.Mask(c.Findings), Verdict: c.Verdict, Handling: text.Mask(c.Handling),
			Accountability: text.Mask(c.Accountability)}
	}
	return out
}

// PublishedCases returns the published cases of a batch that the user in
// ctx may see (unit roles: their unit's), in the order of the batch file.
func PublishedCases(ctx context.Context, cases ducha.CaseService, batch int) ([]*ducha.Case, error) {
	published := true
	f := ducha.CaseFilter{Batch: batch, Published: &published, Limit: ducha.MaxPerPage}
	var all []*ducha.Case
	for {
		page, total, err := cases.FindCases(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
		f.Offset += len(page)
	}
	// Import order is the order of the batch file.
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// ForwardedDate is the date a batch was handed over, as its cases say.
func ForwardedDate(cs []*ducha.Case) ducha.Date {
	if len(cs) == 0 {
		return ""
	}
	return cs[0].ForwardedDate
}

// ExportDisclosure writes the disclosure table of a batch as xlsx: the
// published cases the user in ctx may see, masked. It returns how many.
func ExportDisclosure(ctx context.Context, cases ducha.CaseService, w io.Writer, batch int) (int, error) {
	cs, err := PublishedCases(ctx, cases, batch)
	if err != nil {
		return 0, err
	}
	return len(cs), WriteDisclosure(w, batch, ForwardedDate(cs), Disclosure(cs))
}

// WriteDisclosure writes the disclosure table of a batch as xlsx.
func WriteDisclosure(w io.Writer, batch int, date ducha.Date, rows []DisclosureRow) error {
	col := func(h string, width float64) excel.OutColumn { return excel.OutColumn{Header: h, Width: width} }
	layout := excel.Layout{
		Title: fmt.Sprintf("中央第三生态环境保护督察组交办第%d批群众信访举报件边督边改公开情况一览表", batch),
		Left:  "交办日期：" + chineseDate(date),
		Right: fmt.Sprintf("共%d件", len(rows)),
		Sheet: fmt.Sprintf("第%d批", batch),
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "序号", Width: 6, Kind: excel.KindInt}, col("受理编号", 20), col("交办问题基本情况", 40), col("行政区域", 10),
			col("污染类型", 12), col("调查核实情况", 40), col("是否属实", 10), col("处理和整改情况", 40), col("责任人被处理情况", 24),
		}}},
	}
	data := make([][]any, len(rows))
	for i, r := range rows {
		data[i] = []any{r.Seq, r.AcceptanceNo, r.Text, r.Area, r.Types, r.Findings, r.Verdict, r.Handling, r.Accountability}
	}
	return excel.Write(w, layout, data)
}

// WriteDailyReport writes the daily report as xlsx: the sentence, the
// numbers, and the breakdowns by area and by type.
func WriteDailyReport(w io.Writer, r *ducha.DailyReport) error {
	c, m := r.Cases, r.Measures
	rows := [][]any{
		{"交办信访件批次", c.Batches}, {"交办信访件总数", c.Total}, {"来电", c.Phone}, {"来信", c.Letter}, {"重点关注", c.Key},
		{"已办结", c.Closed}, {"阶段性办结", c.StageClosed}, {"未办结", c.Open},
		{"属实", c.Substantiated}, {"部分属实", c.PartlySubstantiated}, {"不属实", c.Unsubstantiated},
		{"责令整改（家）", m.OrderedToRectify}, {"立案处罚（家）", m.PenaltyCases}, {"罚款（元）", m.FinesYuan.String()},
		{"立案侦查（件）", m.CriminalCases}, {"行政拘留（人）", m.AdministrativeDetention}, {"刑事拘留（人）", m.CriminalDetention},
		{"约谈（人）", m.Interviewed}, {"问责（人）", m.HeldAccountable}, {"停产整治（家）", m.Suspended},
		{"关停取缔（家）", m.ClosedDown}, {"挂牌督办（家）", m.ListedSupervision},
		{"整改台账问题总数", r.Ledger.Total}, {"已销号", r.Ledger.Closed}, {"整改中", r.Ledger.InProgress},
		{"待验收", r.Ledger.PendingVerification}, {"逾期", r.Ledger.Overdue},
	}
	rows = append(rows, []any{"", ""}, []any{"行政区域", "交办件数（已办结/阶段性办结/未办结）"})
	for _, a := range r.ByArea {
		area := a.Area
		if area == "" {
			area = "（未填写）"
		}
		rows = append(rows, []any{area, fmt.Sprintf("%d（%d/%d/%d）", a.Total, a.Closed, a.StageClosed, a.Open)})
	}
	rows = append(rows, []any{"", ""}, []any{"污染类型", "件数（一件可计入多个类型）"})
	for _, t := range r.ByType {
		rows = append(rows, []any{t.Type, t.Count})
	}
	layout := excel.Layout{
		Title: "中央生态环境保护督察信访件办理情况日报",
		Left:  r.Text,
		Right: "截至" + chineseDate(r.AsOf),
		Sheet: "日报",
		Groups: []excel.Group{{Columns: []excel.OutColumn{
			{Header: "项目", Width: 30}, {Header: "数量", Width: 40},
		}}},
	}
	for i := range rows {
		if n, ok := rows[i][1].(int); ok {
			rows[i][1] = fmt.Sprint(n)
		}
	}
	return excel.Write(w, layout, rows)
}

// chineseDate writes 2026年12月9日; "" for no date.
func chineseDate(d ducha.Date) string {
	if !d.Valid() {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}
