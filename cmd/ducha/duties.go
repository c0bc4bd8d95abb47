package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"ducha/sheets"
)

// runImportDuties imports responsibility lists (责任清单): 序号, 责任单位,
// 职责事项, 依据; all rows or none, the same file twice changes nothing.
func runImportDuties(ctx context.Context, env Env, args []string) error {
	f := newFlags("import duties", env)
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
	rows, err := sheets.ReadDuties(file, filepath.Base(pos[0]), lim)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportDuties(system(ctx), rows)
	if err != nil {
		return err
	}
	return output(env, *f.format, res, fmt.Sprintf("责任清单导入完成：新增%d项，更新%d项，未变%d项（%s）",
		res.Created, res.Updated, res.Unchanged, strings.Join(res.Units, "、")))
}
