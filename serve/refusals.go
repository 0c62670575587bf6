package serve

import (
	"log/slog"
	"sort"
	"sync"
	"time"
)

// refusalLog writes refusals (keys on no record, connections over the
// handshake limits) to the log without letting one address fill it: the
// first refusal from an address is logged in full, the ones after it
// within the interval are only counted, and at the end of each interval
// with any, one line gives their count. An address quiet for a whole
// interval starts again with a full line.
type refusalLog struct {
	log   *slog.Logger
	every time.Duration

	mu      sync.Mutex
	stopped bool
	addrs   map[string]*refusals
}

type refusals struct {
	since time.Time
	count int
	timer *time.Timer
	kinds map[string]int // how many of each kind were counted
}

func newRefusalLog(log *slog.Logger, every time.Duration) *refusalLog {
	return &refusalLog{log: log, every: every, addrs: map[string]*refusals{}}
}

// note logs one refusal from ip (msg and args as for slog), or counts it
// under kind (a short word: key, connection, dropped).
func (r *refusalLog) note(ip, kind, msg string, args ...any) {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return
	}
	w := r.addrs[ip]
	if w != nil {
		w.count++
		w.kinds[kind]++
		r.mu.Unlock()
		return
	}
	w = &refusals{since: time.Now(), kinds: map[string]int{}}
	w.timer = time.AfterFunc(r.every, func() { r.flush(ip) })
	r.addrs[ip] = w
	r.mu.Unlock()
	r.log.Warn(msg, append(args, "note", "more refusals from this address are counted, one line per "+r.every.String())...)
}

// flush ends ip's interval: its count logged if any (and a new interval
// begun), else the address forgotten.
func (r *refusalLog) flush(ip string) {
	r.mu.Lock()
	w := r.addrs[ip]
	if w == nil || r.stopped {
		r.mu.Unlock()
		return
	}
	if w.count == 0 {
		delete(r.addrs, ip)
		r.mu.Unlock()
		return
	}
	count, kinds, since := w.count, w.kinds, w.since
	w.count, w.kinds, w.since = 0, map[string]int{}, time.Now()
	w.timer.Reset(r.every)
	r.mu.Unlock()
	r.summary(ip, count, kinds, since)
}

func (r *refusalLog) summary(ip string, count int, kinds map[string]int, since time.Time) {
	args := []any{"remote", ip, "count", count, "during", time.Since(since).Round(time.Millisecond)}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		args = append(args, k, kinds[k])
	}
	r.log.Warn("serve: refusals from one address", args...)
}

// stop logs every count still held and stops the timers (at shutdown:
// the log closes after serve).
func (r *refusalLog) stop() {
	r.mu.Lock()
	r.stopped = true
	addrs := r.addrs
	r.addrs = map[string]*refusals{}
	r.mu.Unlock()
	for ip, w := range addrs {
		w.timer.Stop()
		if w.count > 0 {
			r.summary(ip, w.count, w.kinds, w.since)
		}
	}
}
