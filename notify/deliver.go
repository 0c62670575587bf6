package notify

import (
	"container/heap"
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
	// changed: the store's feed was lost (a resync) since the clocks
	// were last looked at: every open case is read again.
	changed atomic.Bool
	// touched are the cases changed since the clocks were last looked at
	// (a change may have moved a due instant earlier); only they are read
	// again: a commit raises its own alerts, and re-reading every open
	// case per change made each command cost the whole desk.
	touchMu sync.Mutex
	touched map[int64]bool
}

// touch records the cases a change touched.
func (d *Deliverer) touch(ch *model.Change) {
	if ch == nil {
		return
	}
	d.touchMu.Lock()
	defer d.touchMu.Unlock()
	if d.touched == nil {
		d.touched = map[int64]bool{}
	}
	for i := range ch.Cases {
		d.touched[ch.Cases[i].Number] = true
	}
	for i := range ch.Escalations {
		d.touched[ch.Escalations[i].Case] = true
	}
}

// takeTouched returns and forgets the touched cases.
func (d *Deliverer) takeTouched() []int64 {
	d.touchMu.Lock()
	defer d.touchMu.Unlock()
	out := make([]int64, 0, len(d.touched))
	for n := range d.touched {
		out = append(out, n)
	}
	clear(d.touched)
	return out
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
	changes := st.Feed(256)
	go func() {
		defer stop()
		defer changes.Close()
		for {
			select {
			case <-alerts:
				d.Wake()
			case u, ok := <-changes.C:
				if !ok {
					return
				}
				if u.Resync {
					d.changed.Store(true)
				} else {
					d.touch(u.Change)
				}
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
	var scanned time.Time
	dues := newDueIndex()
	for {
		now := d.o.Clock().Truncate(time.Second)
		// Every open case is read only when something may have fallen
		// due: a change since the last look, the next step or breach it
		// found, or the rescan bound. A quiet desk costs nothing per tick.
		// Every open case is read at the start, after a lost feed and at
		// the rescan bound; otherwise only the cases a change touched and
		// those whose next instant came (the index of next instants). A
		// quiet desk costs nothing per tick, a busy one what changed.
		if scanned.IsZero() || d.changed.Swap(false) || now.Sub(scanned) >= rescanEvery {
			d.takeTouched() // the scan reads them too
			dues.reset()
			if _, _, err := d.st.RaiseDueCases(now, nil, dues.set); err != nil && ctx.Err() == nil {
				d.o.Log.Warn("alerts: raise due", "err", err)
				d.changed.Store(true)
			}
			scanned = now
		} else if ns := dues.due(now, d.takeTouched()); len(ns) > 0 {
			if _, _, err := d.st.RaiseDueCases(now, ns, dues.set); err != nil && ctx.Err() == nil {
				d.o.Log.Warn("alerts: raise due", "err", err)
				d.changed.Store(true) // read everything next time
			}
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

// dueIndex is each open case's next alert instant, earliest first (a heap
// whose stale entries are skipped), so a tick visits only the due cases.
type dueIndex struct {
	at map[int64]time.Time
	h  dueHeap
}

func newDueIndex() *dueIndex { return &dueIndex{at: map[int64]time.Time{}} }

func (x *dueIndex) reset() {
	clear(x.at)
	x.h = x.h[:0]
}

// set records a case's next instant (zero: none).
func (x *dueIndex) set(n int64, at time.Time) {
	if at.IsZero() {
		delete(x.at, n)
		return
	}
	x.at[n] = at
	heap.Push(&x.h, dueItem{at: at, n: n})
}

// due takes out the cases due at now and adds them to also (deduplicated).
func (x *dueIndex) due(now time.Time, also []int64) []int64 {
	seen := map[int64]bool{}
	out := also[:0:0]
	for _, n := range also {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for len(x.h) > 0 && !now.Before(x.h[0].at) {
		it := heap.Pop(&x.h).(dueItem)
		if cur, ok := x.at[it.n]; !ok || !cur.Equal(it.at) {
			continue // stale: the case moved on since
		}
		delete(x.at, it.n)
		if !seen[it.n] {
			seen[it.n] = true
			out = append(out, it.n)
		}
	}
	return out
}

type dueItem struct {
	at time.Time
	n  int64
}

type dueHeap []dueItem

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueItem)) }
func (h *dueHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}
