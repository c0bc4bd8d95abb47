package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"ducha"
	"ducha/demo"
	"ducha/store"
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
	if *days < 1 {
		return ducha.FieldError("days", "--days 至少为1")
	}
	// The store runs on the demo's own clock, so that what it makes is
	// dated on the day it happened: the units, campaign and ledger on the
	// team's arrival, each day's batch and its handling on that day. The
	// daily report as of any of those days then has something to count.
	today := ducha.Today(time.Now())
	clk := &demoClock{}
	clk.set(today, time.Now())
	if *cases > 0 {
		clk.set(today.AddDays(-*days-1), time.Time{})
	}
	db, err := f.openWith(ctx, store.Options{Now: clk.now})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	caseDays := 0
	if *cases > 0 {
		caseDays = *days
	}
	res, err := demo.Fill(system(ctx), db, demo.Options{Problems: *n, Seed: *seed, Today: today, CaseDays: caseDays,
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
		Start:  today.AddDays(-*days),
		NewDay: func(d ducha.Date) { clk.set(d, time.Time{}) },
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

// demoClock is the demo's store clock: a day's working hours, advancing a
// little with each reading so that the events of a day keep their order.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

// set moves the clock to day, at at's time of day, or 09:00 when at is zero.
func (c *demoClock) set(day ducha.Date, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.IsZero() {
		midnight, _ := time.ParseInLocation(ducha.DateLayout, string(day), ducha.Location)
		c.t = midnight.Add(9 * time.Hour)
		return
	}
	c.t = at
}

func (c *demoClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}
