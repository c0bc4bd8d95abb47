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
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *n < 0 {
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
	return output(env, *f.format, res, fmt.Sprintf("演示数据已生成：%d条问题，用时%s", *n, time.Since(start).Round(time.Millisecond)))
}
