package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"ducha"
	"ducha/store"
)

// runSupervise is `ducha supervise [--date D]`: one pass of the escalation
// rules as of the end of day D, printing what it issued. A second pass for
// the same day issues nothing new (the store's uniqueness of item and
// level, store.DB.Supervise).
func runSupervise(ctx context.Context, env Env, args []string) error {
	f := newFlags("supervise", env)
	date := f.String("date", "", "按该日日终执行督办规则 YYYY-MM-DD（默认今天）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	today := ducha.Today(time.Now())
	asOf := today
	if *date != "" {
		d, err := ducha.ParseDateISO(*date)
		if err != nil {
			return ducha.FieldError("date", "--date 日期格式应为 YYYY-MM-DD")
		}
		// A day to come would issue notices no item has earned yet, and
		// each level is issued once.
		if d > today {
			return ducha.FieldError("date", "--date 不能是未来的日期（%s），今天是%s", d, today)
		}
		asOf = d
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	issued, closed, err := db.Supervise(system(ctx), asOf)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "截至%s日终：下发督办单%d份，关闭%d份", asOf, len(issued), closed)
	for _, n := range issued {
		fmt.Fprintf(&b, "\n%s  %s  %s  答复期限%s", n.No, n.Unit, n.Kind.Label(), n.Due)
	}
	return output(env, *f.format, map[string]any{"as_of": asOf, "issued": issued, "closed": closed}, b.String())
}

// superviser runs the escalation pass by itself while the server runs: at
// start and then every interval, as of the current day. Several instances
// may run it at once; the store issues each notice once.
type superviser struct {
	stop chan struct{}
	done sync.WaitGroup
}

// startSupervising starts the loop; an interval of 0 or less starts none.
func startSupervising(db *store.DB, every time.Duration, now func() time.Time) *superviser {
	s := &superviser{stop: make(chan struct{})}
	if every <= 0 {
		return s
	}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			asOf := ducha.Today(now())
			issued, closed, err := db.Supervise(system(context.Background()), asOf)
			if err != nil {
				slog.Warn("supervision pass", "as_of", asOf, "err", err)
			} else if len(issued) > 0 || closed > 0 {
				slog.Info("supervision pass", "as_of", asOf, "issued", len(issued), "closed", closed)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Close stops the loop and waits for a pass in progress.
func (s *superviser) Close() {
	if s == nil {
		return
	}
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.done.Wait()
}
