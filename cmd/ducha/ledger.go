package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"ducha"
	"ducha/sheets"
)

func runImportLedger(ctx context.Context, env Env, args []string) error {
	f := newFlags("import ledger", env)
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
	file, err := openFile(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	rows, err := sheets.ReadLedger(file, filepath.Base(pos[0]), lim)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportLedger(system(ctx), rows)
	if err != nil {
		return err
	}
	return output(env, *f.format, res, fmt.Sprintf("台账导入完成：新增%d条，更新%d条", res.Created, res.Updated))
}

func runExportLedger(ctx context.Context, env Env, args []string) error {
	f := newFlags("export ledger", env)
	out := f.String("out", "", "输出文件 .xlsx")
	title := f.String("title", sheets.LedgerTitle, "表头标题")
	org := f.String("org", sheets.LedgerOrg, "填报单位")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errUsage
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	err = writeFile(*out, func(w io.Writer) error {
		return sheets.ExportLedger(system(ctx), db, w, *title, *org, ducha.Today(time.Now()))
	})
	if err != nil {
		return err
	}
	return output(env, *f.format, map[string]string{"out": *out}, "已导出台账："+*out)
}
