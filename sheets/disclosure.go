package sheets

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
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

// WriteDailyReport writes the daily report as the sheet an office hands
// upward (SPEC section 4): a title with the day, the report's paragraph in
// full, then one table per breakdown — cases, measures, by area (with a
// 合计 row), by type, the rectification ledger and the ledger by lead unit
// — every figure a number cell, money with two decimals.
func WriteDailyReport(w io.Writer, r *ducha.DailyReport) error {
	c, m, l := r.Cases, r.Measures, r.Ledger
	fines, err := strconv.ParseFloat(m.FinesYuan.String(), 64)
	if err != nil {
		return fmt.Errorf("daily report: fines %s: %w", m.FinesYuan, err)
	}
	name := func(h string) excel.OutColumn { return excel.OutColumn{Header: h, Span: 3} }
	count := func(h string) excel.OutColumn { return excel.OutColumn{Header: h, Kind: excel.KindInt} }
	byArea := excel.ReportTable{Columns: []excel.OutColumn{name("行政区域"), count("合计"), count("已办结"),
		count("阶段性办结"), count("未办结")}, Total: true}
	var areas ducha.ReportArea
	for _, a := range r.ByArea {
		area := a.Area
		if area == "" {
			area = "（未填写）"
		}
		byArea.Rows = append(byArea.Rows, []any{area, a.Total, a.Closed, a.StageClosed, a.Open})
		areas.Total, areas.Closed, areas.StageClosed, areas.Open = areas.Total+a.Total, areas.Closed+a.Closed,
			areas.StageClosed+a.StageClosed, areas.Open+a.Open
	}
	byArea.Rows = append(byArea.Rows, []any{"合计", areas.Total, areas.Closed, areas.StageClosed, areas.Open})
	// 来电 and 来信 always, the other channels when cases came by them (as
	// the paragraph has it); 重复件 count in none of the other numbers.
	received := []figure{{"批次", c.Batches}, {"总数", c.Total}, {"来电", c.Phone}, {"来信", c.Letter}}
	for _, ch := range []figure{{ducha.ChannelWeChat, c.WeChat}, {ducha.ChannelOnline, c.Online},
		{ducha.ChannelVisit, c.Visit}, {ducha.ChannelOther, c.Other}} {
		if ch.value.(int) > 0 {
			received = append(received, ch)
		}
	}
	received = append(received, figure{"重点关注", c.Key}, figure{"重复件", c.Duplicates})
	byType := excel.ReportTable{Columns: []excel.OutColumn{name("污染类型"), count("件数")}}
	for _, t := range r.ByType {
		byType.Rows = append(byType.Rows, []any{t.Type, t.Count})
	}
	return excel.WriteReport(w, excel.Report{
		Sheet:     "日报",
		Title:     "中央生态环境保护督察信访件办理情况日报（截至" + chineseDate(r.AsOf) + "）",
		Paragraph: r.Text,
		Sections: []excel.Section{
			{Heading: "一、交办信访件办理情况", Tables: append(figures(received...),
				figures(figure{"已办结", c.Closed}, figure{"阶段性办结", c.StageClosed}, figure{"未办结", c.Open},
					figure{"属实", c.Substantiated}, figure{"基本属实", c.BasicallySubstantiated},
					figure{"部分属实", c.PartlySubstantiated}, figure{"不属实", c.Unsubstantiated})...)},
			{Heading: "二、处理措施", Tables: append(
				figures(figure{"责令整改\n（家）", m.OrderedToRectify}, figure{"立案处罚\n（家）", m.PenaltyCases},
					figure{"罚款\n（元）", fines}, figure{"立案侦查\n（件）", m.CriminalCases},
					figure{"行政拘留\n（人）", m.AdministrativeDetention}, figure{"刑事拘留\n（人）", m.CriminalDetention},
					figure{"约谈\n（人）", m.Interviewed}, figure{"问责\n（人）", m.HeldAccountable}),
				figures(figure{"停产整治\n（家）", m.Suspended}, figure{"关停取缔\n（家）", m.ClosedDown},
					figure{"挂牌督办\n（家）", m.ListedSupervision})...)},
			{Heading: "三、按行政区域", Tables: []excel.ReportTable{byArea}},
			{Heading: "四、按污染类型", Tables: []excel.ReportTable{byType},
				Note: "注：一件信访件可涉及多个污染类型，分别计入各类型，各类型件数之和可能大于交办件总数。"},
			{Heading: "五、整改台账", Tables: figures(figure{"总数", l.Total}, figure{"已销号", l.Closed},
				figure{"整改中", l.InProgress}, figure{"待验收", l.PendingVerification}, figure{"逾期", l.Overdue})},
			{Heading: "六、整改台账（按责任单位）", Tables: []excel.ReportTable{ledgerByUnit(l)},
				Note: "注：逾期指截至当日已过整改时限、尚未销号的问题。"},
		},
	})
}

// figure is one number of a one-row table: a count, or an amount in yuan
// (float64).
type figure struct {
	header string
	value  any
}

// reportGrid is the daily report's width in grid columns: the widest
// table's, the ledger by unit (a unit's name over three, five figures).
const reportGrid = 8

// figures makes one-row tables of figures, at most reportGrid to a table.
func figures(fs ...figure) []excel.ReportTable {
	var out []excel.ReportTable
	for len(fs) > 0 {
		n := min(len(fs), reportGrid)
		t := excel.ReportTable{Rows: [][]any{make([]any, n)}}
		for i, f := range fs[:n] {
			kind := excel.KindInt
			if _, ok := f.value.(float64); ok {
				kind = excel.KindAmount
			}
			t.Columns = append(t.Columns, excel.OutColumn{Header: f.header, Kind: kind})
			t.Rows[0][i] = f.value
		}
		out, fs = append(out, t), fs[n:]
	}
	return out
}

// ledgerByUnit is the ledger's table by lead unit with its 合计 row (the
// ledger's totals); problems no unit leads yet make a line of their own.
func ledgerByUnit(l ducha.ReportLedger) excel.ReportTable {
	t := excel.ReportTable{Total: true, Columns: []excel.OutColumn{{Header: "责任单位", Span: 3}}}
	for _, h := range []string{"总数", "已销号", "整改中", "待验收", "逾期"} {
		t.Columns = append(t.Columns, excel.OutColumn{Header: h, Kind: excel.KindInt})
	}
	line := func(name string, u ducha.ReportLedgerUnit) []any {
		return []any{name, u.Total, u.Closed, u.InProgress, u.PendingVerification, u.Overdue}
	}
	rest := ducha.ReportLedgerUnit{Total: l.Total, Closed: l.Closed, InProgress: l.InProgress,
		PendingVerification: l.PendingVerification, Overdue: l.Overdue}
	for _, u := range l.ByUnit {
		t.Rows = append(t.Rows, line(u.Unit, u))
		rest.Total, rest.Closed, rest.InProgress = rest.Total-u.Total, rest.Closed-u.Closed, rest.InProgress-u.InProgress
		rest.PendingVerification, rest.Overdue = rest.PendingVerification-u.PendingVerification, rest.Overdue-u.Overdue
	}
	if rest != (ducha.ReportLedgerUnit{}) {
		t.Rows = append(t.Rows, line("（未明确责任单位）", rest))
	}
	t.Rows = append(t.Rows, []any{"合计", l.Total, l.Closed, l.InProgress, l.PendingVerification, l.Overdue})
	return t
}

// chineseDate writes 2026年12月9日; "" for no date.
func chineseDate(d ducha.Date) string {
	if !d.Valid() {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}
