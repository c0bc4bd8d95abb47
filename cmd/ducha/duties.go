package main

import (
	"context"
	"fmt"
	"strings"

	"ducha"
	"ducha/sheets"
	"ducha/store"
)

// runImportDuties imports responsibility lists (责任清单): 序号, 责任单位,
// 职责事项, 依据; all rows or none, the same file twice changes nothing.
func runImportDuties(ctx context.Context, env Env, args []string) error {
	return importFile(ctx, env, "import duties", args, sheets.ReadDuties,
		func(ctx context.Context, db *store.DB, rows []ducha.DutyRow) (ducha.DutyImportResult, error) {
			return db.ImportDuties(ctx, rows)
		},
		func(res ducha.DutyImportResult) string {
			return fmt.Sprintf("责任清单导入完成：新增%d项，更新%d项，未变%d项（%s）",
				res.Created, res.Updated, res.Unchanged, strings.Join(res.Units, "、"))
		})
}
