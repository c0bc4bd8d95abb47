package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"ducha"
	"ducha/sheets"
)

func runImportCases(ctx context.Context, env Env, args []string) error {
	f := newFlags("import cases", env)
	batch := f.Int("batch", 0, "批次号（文件标题中没有时）")
	date := f.String("date", "", "交办日期 YYYY-MM-DD（文件标题中没有时）")
	confirm := f.Bool("confirm-measures", false, "把从处理和整改情况中识别出的处理措施直接存为处理措施（否则只列出供确认）")
	limits := limitFlags(f)
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	d, err := ducha.ParseDateISO(*date)
	if err != nil {
		return ducha.FieldError("date", "--date 日期格式应为 YYYY-MM-DD")
	}
	file, err := openFile(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := sheets.ImportCases(system(ctx), db, file, filepath.Base(pos[0]), sheets.CaseFileOptions{Batch: *batch, Date: d, Limits: lim, ConfirmMeasures: *confirm})
	if err != nil {
		return err
	}
	b := res.Batch
	channels := fmt.Sprintf("来电%d件、来信%d件", b.Phone, b.Letter)
	for _, ch := range []struct {
		name string
		n    int
	}{{ducha.ChannelWeChat, b.WeChat}, {ducha.ChannelOnline, b.Online}, {ducha.ChannelVisit, b.Visit}, {ducha.ChannelOther, b.Other}} {
		if ch.n > 0 {
			channels += fmt.Sprintf("、%s%d件", ch.name, ch.n)
		}
	}
	text := fmt.Sprintf("第%d批（%s）导入完成：新增%d件（%s，重点关注%d件）", b.Number, b.Date, res.Created, channels, b.Key)
	if res.Unchanged {
		text = fmt.Sprintf("第%d批此前已导入，内容相同，未做改动", b.Number)
	}
	for _, d := range res.Duplicates {
		text += fmt.Sprintf("\n  第%d行 %s 为第%d批已交办件的重复件，已记录，不重复计数", d.Row, d.AcceptanceNo, d.FirstBatch)
	}
	for _, p := range res.Proposals {
		for _, m := range p.Items {
			state := "待确认（--confirm-measures 存入）"
			switch {
			case m.Stored:
				state = "已存入"
			case m.Problem != "":
				state = "未存入：" + m.Problem
			}
			text += fmt.Sprintf("\n  第%d行 %s 处理措施：%s（%s）%s", p.Row, p.AcceptanceNo, m.Label, m.Evidence, state)
		}
	}
	for _, n := range res.Notes {
		text += fmt.Sprintf("\n  第%d行：%s", n.Row, n.Message)
	}
	return output(env, *f.format, res, text)
}

func runExportDisclosure(ctx context.Context, env Env, args []string) error {
	f := newFlags("export disclosure", env)
	batch := f.Int("batch", 0, "批次号")
	out := f.String("out", "", "输出文件 .xlsx")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *batch <= 0 || *out == "" {
		return errUsage
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	n := 0
	err = writeFile(*out, func(w io.Writer) (err error) {
		n, err = sheets.ExportDisclosure(system(ctx), db, w, *batch)
		return err
	})
	if err != nil {
		return err
	}
	return output(env, *f.format, map[string]any{"out": *out, "cases": n},
		fmt.Sprintf("已导出第%d批公开情况一览表（%d件已公开）：%s", *batch, n, *out))
}

func runReportDaily(ctx context.Context, env Env, args []string) error {
	f := newFlags("report daily", env)
	date := f.String("date", "", "截至日期 YYYY-MM-DD（默认今天）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	d, err := ducha.ParseDateISO(*date)
	if err != nil {
		return ducha.FieldError("date", "--date 日期格式应为 YYYY-MM-DD")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.DailyReport(system(ctx), d)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(r.Text)
	if len(r.ByArea) > 0 {
		b.WriteString("\n\n按行政区域：")
		for _, a := range r.ByArea {
			area := a.Area
			if area == "" {
				area = "（未填写）"
			}
			fmt.Fprintf(&b, "\n  %s %d件（已办结%d、阶段性办结%d、未办结%d）", area, a.Total, a.Closed, a.StageClosed, a.Open)
		}
	}
	if len(r.ByType) > 0 {
		b.WriteString("\n按污染类型（一件可计入多个类型）：")
		for _, t := range r.ByType {
			fmt.Fprintf(&b, "\n  %s %d件", t.Type, t.Count)
		}
	}
	l := r.Ledger
	fmt.Fprintf(&b, "\n整改台账：共%d个问题，已销号%d个、整改中%d个、待验收%d个，逾期%d个。", l.Total, l.Closed, l.InProgress, l.PendingVerification, l.Overdue)
	return output(env, *f.format, r, b.String())
}
