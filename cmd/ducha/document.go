package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"ducha"
	"ducha/doctext"
)

// runImportDocument stores one document (txt, html, docx): its text
// simplified with pinyin notes removed, its original kept as it is.
func runImportDocument(ctx context.Context, env Env, args []string) error {
	f := newFlags("import document", env)
	kind := f.String("kind", "", "文件类型：work_plan 工作方案、notice 会议通知、minutes 会议纪要、feedback 督察反馈意见、other 其他（默认）")
	title := f.String("title", "", "标题（默认取文件第一行）")
	date := f.String("date", "", "文件日期 YYYY-MM-DD")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	k, err := ducha.ParseDocumentKind(*kind)
	if err != nil {
		return ducha.FieldError("kind", "--kind %s", ducha.ErrorMessage(err))
	}
	d, err := ducha.ParseDateISO(strings.TrimSpace(*date))
	if err != nil {
		return ducha.FieldError("date", "--date 日期格式应为 YYYY-MM-DD")
	}
	file, err := openFile(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	lim := doctext.DefaultLimits
	data, err := io.ReadAll(io.LimitReader(file, lim.MaxFileBytes+1))
	if err != nil {
		return ducha.Errorf(ducha.EINVALID, "无法读取文件：%v", err)
	}
	name := filepath.Base(pos[0])
	res, err := doctext.Extract(name, data, lim)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	doc := &ducha.Document{Kind: k, Title: *title, Date: d, Text: res.Text, Data: data,
		Original: ducha.FileInfo{Name: name, ContentType: res.ContentType}}
	if err := db.AddDocument(system(ctx), doc); err != nil {
		return err
	}
	doc.Text = ""
	return output(env, *f.format, doc, fmt.Sprintf("已导入文件 %d：%s", doc.ID, doc.Title))
}
