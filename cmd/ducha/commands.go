package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"ducha"
	"ducha/excel"
	"ducha/sheets"
	"ducha/store"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	f := newFlags("migrate", env)
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx) // Open migrates.
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(env.Stdout, "数据库结构已是最新")
	return nil
}

func runUnitImport(ctx context.Context, env Env, args []string) error {
	return importFile(ctx, env, "unit import", args, sheets.ReadUnits,
		func(ctx context.Context, db *store.DB, units []*ducha.Unit) (map[string]int, error) {
			created, updated, err := db.ImportUnits(ctx, units)
			return map[string]int{"created": created, "updated": updated}, err
		},
		func(res map[string]int) string {
			return fmt.Sprintf("单位导入完成：新增%d个，更新%d个", res["created"], res["updated"])
		})
}

// importFile is every `ducha … import FILE`: the file read within the
// limits the flags set, then stored in one call as the system, and what
// was done printed.
func importFile[R, T any](ctx context.Context, env Env, name string, args []string,
	read func(io.Reader, string, excel.Limits) (R, error),
	save func(context.Context, *store.DB, R) (T, error), say func(T) string) error {
	f := newFlags(name, env)
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
	rows, err := read(file, filepath.Base(pos[0]), lim)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := save(system(ctx), db, rows)
	if err != nil {
		return err
	}
	return output(env, *f.format, res, say(res))
}

func runUserAdd(ctx context.Context, env Env, args []string) error {
	f := newFlags("user add", env)
	username := f.String("username", "", "用户名")
	role := f.String("role", "", "角色: admin coordinator unit_liaison unit_head discipline leader")
	unit := f.String("unit", "", "所属单位名称")
	name := f.String("name", "", "姓名")
	stdin := f.Bool("password-stdin", false, "从标准输入读取密码")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *username == "" || *role == "" || !*stdin {
		return errUsage
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return ducha.FieldError("password", "没有从标准输入读到密码")
	}
	password := strings.TrimRight(line, "\r\n")
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// The operator chose this password, not its user, who must change it
	// at the first login.
	u := &ducha.User{Username: *username, DisplayName: *name, Role: ducha.Role(*role), UnitName: *unit, MustChangePassword: true}
	if err := db.CreateUser(system(ctx), u, password); err != nil {
		return err
	}
	return output(env, *f.format, u, fmt.Sprintf("已添加用户 %s（%s）", u.Username, u.Role))
}

func runCampaignAdd(ctx context.Context, env Env, args []string) error {
	f := newFlags("campaign add", env)
	c := &ducha.Campaign{}
	f.StringVar(&c.Name, "name", "", "名称，如 第三轮中央生态环境保护督察")
	f.StringVar(&c.Team, "team", "", "督察组")
	start := f.String("start", "", "进驻开始日期 YYYY-MM-DD")
	end := f.String("end", "", "进驻结束日期 YYYY-MM-DD")
	f.IntVar(&c.CaseDays, "case-days", 10, "交办件办理时限（天）")
	phase := f.String("phase", "", "阶段：准备/进驻/反馈/整改")
	f.BoolVar(&c.WorkingDays, "working-days", false, "交办件办理时限按工作日计算（除周末和节假日）")
	f.StringVar(&c.Holidays, "holidays", "", "节假日，逗号分隔 YYYY-MM-DD")
	f.StringVar(&c.Workdays, "workdays", "", "调休上班的周末日期，逗号分隔 YYYY-MM-DD")
	if _, err := f.parse(args); err != nil {
		return err
	}
	var err error
	if c.Start, err = ducha.ParseDateISO(*start); err != nil {
		return ducha.FieldError("start", "--start 日期格式应为 YYYY-MM-DD")
	}
	if c.End, err = ducha.ParseDateISO(*end); err != nil {
		return ducha.FieldError("end", "--end 日期格式应为 YYYY-MM-DD")
	}
	c.Phase = ducha.Phase(*phase)
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateCampaign(system(ctx), c); err != nil {
		return err
	}
	return output(env, *f.format, c, fmt.Sprintf("已添加督察轮次：%s", c.Name))
}

// limitFlags adds to f the flags that bound an imported file: --max-file-mb,
// --max-unzipped-mb, --max-rows, --max-cell-chars and --max-total-chars,
// defaulting to excel.DefaultLimits. The function it returns reads them
// once f is parsed.
func limitFlags(f *flags) func() (excel.Limits, error) {
	d := excel.DefaultLimits
	fileMB := f.Int64("max-file-mb", d.MaxFileBytes>>20, "导入文件的大小上限（MB）")
	unzippedMB := f.Int64("max-unzipped-mb", d.MaxUnzippedBytes>>20, "xlsx 文件解压后的大小上限（MB）")
	rows := f.Int("max-rows", d.MaxRows, "导入文件的数据行数上限")
	cellChars := f.Int("max-cell-chars", d.MaxCellChars, "一个单元格的字符数上限")
	totalChars := f.Int64("max-total-chars", d.MaxTotalChars, "导入文件中全部单元格的字符总数上限（重复引用的文字每次都计入）")
	return func() (excel.Limits, error) {
		for _, v := range []struct {
			name string
			n    int64
		}{{"max-file-mb", *fileMB}, {"max-unzipped-mb", *unzippedMB}, {"max-rows", int64(*rows)}, {"max-cell-chars", int64(*cellChars)},
			{"max-total-chars", *totalChars}} {
			if v.n <= 0 || v.n > 1<<30 {
				return excel.Limits{}, ducha.FieldError(v.name, "--%s 应为 1 到 %d 之间的整数", v.name, 1<<30)
			}
		}
		return excel.Limits{MaxFileBytes: *fileMB << 20, MaxUnzippedBytes: *unzippedMB << 20,
			MaxRows: *rows, MaxCellChars: *cellChars, MaxTotalChars: *totalChars}, nil
	}
}

// output prints v as JSON or the text line.
func output(env Env, format string, v any, text string) error {
	if format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := fmt.Fprintln(env.Stdout, text)
	return err
}
