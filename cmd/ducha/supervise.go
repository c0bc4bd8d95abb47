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
	// The notices before 销号 that ended first (the pass does it too), so
	// that what they closed is printed.
	ended, err := db.EndPublicity(system(ctx), ducha.Date(asOf))
	if err != nil {
		return err
	}
	issued, closed, err := db.Supervise(system(ctx), asOf)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "截至%s日终：下发督办单%d份，关闭%d份", asOf, len(issued), closed)
	if ended > 0 {
		fmt.Fprintf(&b, "；销号公示期满销号%d个问题", ended)
	}
	for _, n := range issued {
		fmt.Fprintf(&b, "\n%s  %s  %s  答复期限%s", n.No, n.Unit, n.Kind.Label(), n.Due)
	}
	return output(env, *f.format, map[string]any{"as_of": asOf, "issued": issued, "closed": closed, "publicity_ended": ended}, b.String())
}

// superviser runs the escalation pass and the daily digests by itself
// while the server runs: at start and then every interval, as of the
// current day. Several instances run one pass an interval between them:
// each takes the store's lease "supervise" first (store.DB.TakeLease),
// and only its holder runs. Should two run anyway (a lease run out
// mid-pass), the store still issues each notice once.
type superviser struct {
	stop  chan struct{}
	done  sync.WaitGroup
	swept ducha.Date // the day of the last full pass (Supervise, not SuperviseQuick)
}

// startSupervising starts the loop; an interval of 0 or less starts no
// pass, only a refresh of the rules every minute.
// holder names this instance to the lease.
func startSupervising(db *store.DB, every time.Duration, now func() time.Time, holder string) *superviser {
	s := &superviser{stop: make(chan struct{})}
	// Without a pass here, the rules another instance changes still reach
	// this one's warnings within a minute.
	interval := every
	if every <= 0 {
		interval = time.Minute
	}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.pass(db, every, now, holder)
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// pass is one round of the loop.
func (s *superviser) pass(db *store.DB, every time.Duration, now func() time.Time, holder string) {
	ctx := system(context.Background())
	if err := db.RefreshRules(ctx); err != nil {
		slog.Warn("supervision rules", "err", err)
	}
	if every <= 0 {
		return // no pass on this instance
	}
	// Held a little less than the interval, so that the next round (here
	// or on another instance) finds it free.
	ok, err := db.TakeLease(ctx, "supervise", holder, every*9/10)
	if err != nil {
		slog.Warn("supervision lease", "err", err)
		return
	}
	if !ok {
		return // another instance runs this round
	}
	t := now()
	asOf := ducha.Today(t)
	// The sweep for notices of items closed some other way runs on the
	// first round of a day here (and so at start), the quick pass else.
	pass := db.SuperviseQuick
	if asOf != s.swept {
		pass, s.swept = db.Supervise, asOf
	}
	issued, closed, err := pass(ctx, asOf)
	if err != nil {
		slog.Warn("supervision pass", "as_of", asOf, "err", err)
	} else if len(issued) > 0 || closed > 0 {
		slog.Info("supervision pass", "as_of", asOf, "issued", len(issued), "closed", closed)
	}
	if n, err := db.Digest(ctx, t); err != nil {
		slog.Warn("daily digest", "err", err)
	} else if n > 0 {
		slog.Info("daily digest", "day", asOf, "messages", n)
	}
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
