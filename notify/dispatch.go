package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"ducha"
)

// Outbox is what the dispatcher needs of the store: deliveries leased to
// it, and a place to say how each attempt went (store.DB implements it).
type Outbox interface {
	ClaimDeliveries(ctx context.Context, now time.Time, max int) ([]*ducha.Delivery, error)
	StartDelivery(ctx context.Context, id int64, attempt int, now time.Time) (bool, error)
	FinishDelivery(ctx context.Context, id int64, attempt int, now time.Time, r ducha.DeliveryResult) error
}

// attemptTimeout bounds one attempt, well inside the store's two-minute
// lease, which StartDelivery renews before each attempt: a delivery is
// never sent by two senders at once, however slow a receiver answers.
const attemptTimeout = time.Minute

// feishuSpacing keeps a Feishu robot under its 5 messages a second.
const feishuSpacing = 250 * time.Millisecond

// Dispatcher sends the outbox: every Every it claims the deliveries due
// (the store leases them, so several instances never send one at once,
// and keeps each robot within its minute), sends each through Sender, and
// records the outcome. A channel's deliveries go one after another, in
// their order; different channels in parallel.
type Dispatcher struct {
	Outbox Outbox
	Sender *Sender
	// BaseURL is the server's address as people reach it
	// (https://ducha.example.gov.cn); links are made from it, and left
	// out without it.
	BaseURL string
	Now     func() time.Time
	Every   time.Duration // 0: 10 seconds
	Batch   int           // deliveries claimed at once; 0: 100
	Logger  *slog.Logger

	stop chan struct{}
	done sync.WaitGroup
}

// Start runs the dispatcher until Close, as the user ctx carries (the
// system account).
func (d *Dispatcher) Start(ctx context.Context) {
	d.stop = make(chan struct{})
	every := d.Every
	if every <= 0 {
		every = 10 * time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	d.done.Add(1)
	go func() {
		defer d.done.Done()
		defer cancel()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			for {
				n, err := d.RunOnce(ctx)
				if err != nil && ctx.Err() == nil { // not the stop
					d.logger().Warn("outbox", "err", err)
				}
				if err != nil || n < d.batch() {
					break // caught up: wait for the next tick
				}
			}
			select {
			case <-d.stop:
				return
			case <-t.C:
			}
		}
	}()
	go func() {
		<-d.stop
		cancel()
	}()
}

// Close stops the dispatcher and waits for the attempts in flight.
func (d *Dispatcher) Close() {
	if d == nil || d.stop == nil {
		return
	}
	select {
	case <-d.stop:
	default:
		close(d.stop)
	}
	d.done.Wait()
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}

func (d *Dispatcher) batch() int {
	if d.Batch > 0 {
		return d.Batch
	}
	return 100
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// RunOnce claims and sends one batch; it returns how many it claimed.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	ds, err := d.Outbox.ClaimDeliveries(ctx, d.now(), d.batch())
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	byChannel := map[int64][]*ducha.Delivery{}
	var order []int64
	for _, del := range ds {
		if _, ok := byChannel[del.ChannelID]; !ok {
			order = append(order, del.ChannelID)
		}
		byChannel[del.ChannelID] = append(byChannel[del.ChannelID], del)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ds))
	for _, id := range order {
		wg.Add(1)
		go func(list []*ducha.Delivery) {
			defer wg.Done()
			var throttled *ducha.DeliveryResult
			for i, del := range list {
				var r ducha.DeliveryResult
				switch {
				case throttled != nil:
					// The vendor throttles the robot: the rest of the batch
					// waits with it, untried.
					r = *throttled
				case i > 0 && del.Kind == ducha.ChannelFeishu:
					// Feishu also takes at most 5 a second.
					select {
					case <-time.After(feishuSpacing):
					case <-ctx.Done():
					}
					fallthrough
				default:
					mine, err := d.Outbox.StartDelivery(ctx, del.ID, del.Attempts, d.now())
					if err != nil {
						errs <- err
						return
					}
					if !mine {
						continue // its lease ran out and another sender has it
					}
					actx, cancel := context.WithTimeout(ctx, attemptTimeout)
					r = d.attempt(actx, del)
					cancel()
					if r.Throttled {
						throttled = &ducha.DeliveryResult{Err: "渠道限流，暂缓发送", Throttled: true, RetryAfter: r.RetryAfter}
					}
				}
				// Recorded even when ctx ended meanwhile: an answer the
				// receiver gave must not be lost to a shutdown.
				if err := d.Outbox.FinishDelivery(context.WithoutCancel(ctx), del.ID, del.Attempts, d.now(), r); err != nil {
					errs <- err
					return
				}
			}
		}(byChannel[id])
	}
	wg.Wait()
	close(errs)
	return len(ds), errors.Join(collect(errs)...)
}

func collect(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}

// attempt sends one delivery and says how it went.
func (d *Dispatcher) attempt(ctx context.Context, del *ducha.Delivery) ducha.DeliveryResult {
	c := del.Target
	if c == nil {
		return ducha.DeliveryResult{Err: "渠道不存在"}
	}
	ch := Channel{Kind: Kind(c.Kind), URL: c.URL, Secret: c.Secret, Keyword: c.Keyword, To: c.To}
	m := Message{Key: del.Key, Event: del.Event, Title: del.Title, Text: del.Text}
	if d.BaseURL != "" && del.Link != "" {
		m.Link = strings.TrimRight(d.BaseURL, "/") + del.Link
	}
	err := d.Sender.Send(ctx, ch, m)
	if err == nil {
		return ducha.DeliveryResult{}
	}
	var e *Error
	if !errors.As(err, &e) {
		return ducha.DeliveryResult{Err: err.Error(), Temporary: true}
	}
	msg := e.Msg
	if e.Code != "" {
		msg = e.Code + "：" + msg
	}
	return ducha.DeliveryResult{Err: msg, Temporary: e.Temporary, Throttled: e.Throttled, RetryAfter: e.RetryAfter}
}
