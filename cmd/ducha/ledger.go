package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"ducha"
	"ducha/sheets"
	"ducha/store"
)

func runImportLedger(ctx context.Context, env Env, args []string) error {
	return importFile(ctx, env, "import ledger", args, sheets.ReadLedger,
		func(ctx context.Context, db *store.DB, rows []ducha.LedgerRow) (ducha.ImportResult, error) {
			return db.ImportLedger(ctx, rows)
		},
		func(res ducha.ImportResult) string {
			return fmt.Sprintf("台账导入完成：新增%d条，更新%d条", res.Created, res.Updated)
		})
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
