package main

import (
	"context"
	"fmt"
	"time"

	"ducha"
	"ducha/demo"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	f := newFlags("demo", env)
	n := f.Int("problems", 1000, "问题条数")
	seed := f.Int64("seed", 1, "随机种子（相同种子生成相同数据）")
	cases := f.Int("cases", 0, "交办件件数（按天分批交办并办理）")
	days := f.Int("days", 20, "交办件分几批（每天一批），截至昨天")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *n < 0 || *cases < 0 {
		return ducha.FieldError("problems", "--problems 不能为负数")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	res, err := demo.Fill(system(ctx), db, demo.Options{Problems: *n, Seed: *seed, Today: ducha.Today(time.Now()),
		Progress: func(done, total int) {
			if *f.format == "text" {
				fmt.Fprintf(env.Stderr, "\r已生成 %d/%d", done, total)
			}
		}})
	if *f.format == "text" {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	cr, err := demo.FillCases(system(ctx), db, demo.CaseOptions{Cases: *cases, Days: *days, Seed: *seed,
		Progress: func(day, days int) {
			if *f.format == "text" {
				fmt.Fprintf(env.Stderr, "\r已交办并办理 %d/%d 批", day, days)
			}
		}})
	if *f.format == "text" && *cases > 0 {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	return output(env, *f.format, map[string]any{"problems": res, "cases": cr},
		fmt.Sprintf("演示数据已生成：%d条问题、%d件交办件（%d批，%d次办理操作），用时%s", *n, cr.Cases, cr.Batches, cr.Actions, time.Since(start).Round(time.Millisecond)))
}
