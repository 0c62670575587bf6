package notify

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// Options tune a Deliverer; zero values take the defaults.
type Options struct {
	// Tick is how often the clocks are checked for due alerts and the
	// outbox for retries (default 15 s).
	Tick time.Duration
	// Backoff is the wait before attempt n+1 after n failed ones (default
	// 30 s doubling, at most 10 min).
	Backoff func(n int) time.Duration
	// RetryFor is how long an alert is retried before it is given up
	// (default 6 h: "at least an hour", with room for a receiver's outage).
	RetryFor time.Duration
	// Timeout bounds one attempt (default 10 s).
	Timeout time.Duration
	// Clock is the real clock (tests replace it).
	Clock  func() time.Time
	Client *http.Client
	Log    *slog.Logger
	// AfterCycle, when set, is called after each look at the clocks and
	// the outbox (tests wait on it instead of sleeping).
	AfterCycle func()
}

// DefaultBackoff waits 30 s, 1 min, 2 min... up to 10 min between attempts.
func DefaultBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 10*time.Minute; i++ {
		d *= 2
	}
	if d > 10*time.Minute {
		d = 10 * time.Minute
	}
	return d
}

// Deliverer raises the alerts the clocks owe and delivers the outbox, in
// its own goroutine: no command and no screen waits for a webhook.
type Deliverer struct {
	st     *store.Store
	o      Options
	cancel context.CancelFunc
	done   chan struct{}
	wake   chan struct{}
	once   sync.Once
	// changed: a change committed since the clocks were last looked at
	// (it may have moved a due instant earlier).
	changed atomic.Bool
}

// rescanEvery bounds how long the clocks go unlooked at on a quiet desk
// (a month's turn, a policy the scan has not seen).
const rescanEvery = 10 * time.Minute

// Start runs a deliverer over st until Stop.
func Start(st *store.Store, o Options) *Deliverer {
	if o.Tick <= 0 {
		o.Tick = 15 * time.Second
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 6 * time.Hour
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Client == nil {
		o.Client = NewClient()
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &Deliverer{st: st, o: o, cancel: cancel, done: make(chan struct{}), wake: make(chan struct{}, 1)}
	alerts, stop := st.SubscribeAlerts(64)
	changes := st.Feed(1)
	go func() {
		defer stop()
		defer changes.Close()
		for {
			select {
			case <-alerts:
				d.Wake()
			case _, ok := <-changes.C:
				if !ok {
					return
				}
				d.changed.Store(true)
			case <-ctx.Done():
				return
			}
		}
	}()
	go d.run(ctx)
	return d
}

// Wake makes the deliverer look at the outbox now (a new alert).
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Stop ends the deliverer and waits for it (an attempt in flight is
// cancelled; it stays in the outbox for the next holder).
func (d *Deliverer) Stop() {
	d.once.Do(func() {
		d.cancel()
		<-d.done
	})
}

func (d *Deliverer) run(ctx context.Context) {
	defer close(d.done)
	t := time.NewTicker(d.o.Tick)
	defer t.Stop()
	var next, scanned time.Time
	for {
		now := d.o.Clock().Truncate(time.Second)
		// Every open case is read only when something may have fallen
		// due: a change since the last look, the next step or breach it
		// found, or the rescan bound. A quiet desk costs nothing per tick.
		if scanned.IsZero() || d.changed.Swap(false) || (!next.IsZero() && !now.Before(next)) || now.Sub(scanned) >= rescanEvery {
			var err error
			if _, next, err = d.st.RaiseDue(now); err != nil && ctx.Err() == nil {
				d.o.Log.Warn("alerts: raise due", "err", err)
				next = time.Time{}
			}
			scanned = now
		}
		d.deliver(ctx)
		if d.o.AfterCycle != nil {
			d.o.AfterCycle()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// deliver makes one attempt at every pending alert whose time has come,
// oldest first.
func (d *Deliverer) deliver(ctx context.Context) {
	pending, err := d.st.Outbox()
	if err != nil {
		if ctx.Err() == nil {
			d.o.Log.Warn("alerts: read the outbox", "err", err)
		}
		return
	}
	hooks := map[string]*model.Hook{}
	for i := range pending {
		p := pending[i]
		now := d.o.Clock()
		if p.NextAt.After(now) {
			continue
		}
		h, ok := hooks[p.Hook]
		if !ok {
			hk, err := d.st.Hook(p.Hook)
			if err != nil {
				continue // removed meanwhile: RemoveHook drops its outbox
			}
			h, hooks[p.Hook] = &hk, &hk
		}
		r := Post(ctx, d.o.Client, h, &p.Alert, d.st.Policy(), d.o.Timeout)
		if ctx.Err() != nil {
			return // stopping: the attempt does not count, the alert stays
		}
		attempt := p.Attempt + 1
		l := store.DeliveryLog{At: d.o.Clock().Truncate(time.Second), Hook: p.Hook, Alert: p.Alert.ID,
			Attempt: attempt, Status: r.Status, Error: r.Err}
		var next time.Time
		switch {
		case r.OK():
			l.Final = true
		case !r.Retry():
			l.Final = true
		default:
			next = d.o.Clock().Add(d.o.Backoff(attempt))
			if next.Sub(p.Since) > d.o.RetryFor {
				l.Final, l.Error = true, l.Error+" (given up after "+model.Span(d.o.RetryFor)+")"
			}
		}
		if err := d.st.Delivered(p, l, next); err != nil {
			d.o.Log.Warn("alerts: record a delivery", "hook", p.Hook, "alert", p.Alert.ID, "err", err)
			return
		}
		level := slog.LevelInfo
		if !r.OK() {
			level = slog.LevelWarn
		}
		d.o.Log.Log(ctx, level, "alert delivery", "hook", p.Hook, "alert", p.Alert.ID, "attempt", attempt,
			"status", r.Status, "error", r.Err, "final", l.Final)
	}
}
