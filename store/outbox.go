package store

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// The outbox keeps "neither lost nor repeated" with two rules: an alert is
// written (al/ID, and ob/ for each hook that takes it) in the same
// transaction as the change that raised it, or as the tick that found it
// due; and an alert id already stored is never raised again. A kill -9
// before the commit loses the change and its alerts together; after it,
// the outbox has them and the next holder delivers them.

// Pending is an alert waiting in the outbox for one hook.
type Pending struct {
	Seq   int64       `json:"seq"`
	Hook  string      `json:"hook"`
	Alert model.Alert `json:"alert"`
	// Attempt is how many attempts were made (0: none yet).
	Attempt int       `json:"attempt"`
	NextAt  time.Time `json:"next_at"`
	// Since is the real instant it entered the outbox (the retry period
	// counts from it; the alert's own At may be a pinned --now).
	Since time.Time `json:"since"`
}

// storedAlert is an alert as al/ID holds it, numbered in raise order.
type storedAlert struct {
	Seq   int64       `json:"seq"`
	Alert model.Alert `json:"alert"`
}

// alertHub fans newly raised alerts out to watchers (watch --alerts, the
// board). Nobody waits for a slow watcher: its alerts are dropped.
type alertHub struct {
	mu      sync.Mutex
	subs    map[chan model.Alert]struct{}
	pending []model.Alert
}

// SubscribeAlerts returns a channel receiving every alert raised from now
// on (buf of them may wait; more are dropped), and a function ending it:
// it closes the channel, so a reader blocked on it (a board's feed read)
// ends too.
func (s *Store) SubscribeAlerts(buf int) (<-chan model.Alert, func()) {
	if buf < 1 {
		buf = 1
	}
	ch := make(chan model.Alert, buf)
	h := &s.alerts
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[chan model.Alert]struct{}{}
	}
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			// publish sends under h.mu: none is in flight once deleted.
			h.mu.Lock()
			delete(h.subs, ch)
			close(ch)
			h.mu.Unlock()
		})
	}
}

// hold keeps alerts of a transaction until it commits (writeMu held).
func (h *alertHub) hold(as []model.Alert) {
	h.mu.Lock()
	h.pending = append(h.pending, as...)
	h.mu.Unlock()
}

// drop forgets the held alerts of a transaction that did not commit.
func (h *alertHub) drop() {
	h.mu.Lock()
	h.pending = nil
	h.mu.Unlock()
}

// publish sends the held alerts, after their commit.
func (h *alertHub) publish() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range h.pending {
		for ch := range h.subs {
			select {
			case ch <- a:
			default:
			}
		}
	}
	h.pending = nil
}

// raise stores the alerts not raised before and puts each in the outbox
// of every hook that takes it; it returns the new ones.
func raise(txn *badger.Txn, as []model.Alert, now time.Time) ([]model.Alert, error) {
	if len(as) == 0 {
		return nil, nil
	}
	var hooks []model.Hook
	if err := eachJSON(txn, []byte(pHook), func(h *model.Hook) error { hooks = append(hooks, *h); return nil }); err != nil {
		return nil, err
	}
	seq, err := getInt(txn, []byte(kAlertSeq))
	if err != nil {
		return nil, err
	}
	var out []model.Alert
	for i := range as {
		a := &as[i]
		_, err := txn.Get(alertKey(a.ID))
		if err == nil {
			continue
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return nil, err
		}
		seq++
		if err := txn.Set(alertKey(a.ID), encode(&storedAlert{Seq: seq, Alert: *a})); err != nil {
			return nil, err
		}
		if err := txn.Set(alertSeqKey(seq), []byte(a.ID)); err != nil {
			return nil, err
		}
		for j := range hooks {
			if !hooks[j].Matches(a) {
				continue
			}
			p := Pending{Seq: seq, Hook: hooks[j].ID, Alert: *a, Since: time.Now().Truncate(time.Second)}
			if err := txn.Set(outboxKey(seq, hooks[j].ID), encode(&p)); err != nil {
				return nil, err
			}
		}
		out = append(out, *a)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, txn.Set([]byte(kAlertSeq), encInt(seq))
}

// raiseForChange raises, inside the change's transaction, what the change
// causes: its events' alerts and the clock and bank alerts of what it
// touched, at the change's instant. Apply calls it after writeChange, so
// v reads the records as the change left them.
func (s *Store) raiseForChange(txn *badger.Txn, v *txnView, ch *model.Change) error {
	now := time.Now().Truncate(time.Second)
	for i := range ch.Events {
		if i == 0 || ch.Events[i].At.After(now) {
			now = ch.Events[i].At
		}
	}
	var as []model.Alert
	for i := range ch.Events {
		ev := &ch.Events[i]
		if ev.Case == 0 {
			continue
		}
		c, ok := v.Case(ev.Case)
		if !ok {
			continue
		}
		a, _ := v.Account(c.Account)
		as = append(as, model.EventAlerts(ev, &c, &a, s.policy)...)
	}
	for i := range ch.Cases {
		as = append(as, s.caseAlerts(v, ch.Cases[i].Number, now)...)
	}
	for _, b := range ch.Bank {
		if a, ok := v.Account(b.Account); ok {
			month := model.DateOf(now, s.policy.TAMZone).MonthOf()
			if al, ok := model.BankAlert(&a, v.BankUsed(a.ID, month), s.policy, now); ok {
				as = append(as, al)
			}
		}
	}
	if v.err != nil {
		return fmt.Errorf("read the store: %w", v.err)
	}
	raised, err := raise(txn, as, now)
	if err != nil {
		return fmt.Errorf("raise alerts: %w", err)
	}
	s.alerts.hold(raised)
	return nil
}

func (s *Store) caseAlerts(v *txnView, n int64, now time.Time) []model.Alert {
	as, _ := s.caseAlertsNext(v, n, now)
	return as
}

// caseAlertsNext is the case's clock alerts at now and the next instant
// they may change (model.NextAlertAt).
func (s *Store) caseAlertsNext(v *txnView, n int64, now time.Time) ([]model.Alert, time.Time) {
	c, ok := v.Case(n)
	if !ok || !c.IsOpen() {
		return nil, time.Time{}
	}
	var esc *model.Escalation
	if e, ok := v.Escalation(n); ok {
		esc = &e
	}
	a, _ := v.Account(c.Account)
	return model.CaseAlerts(&c, esc, &a, s.policy, now), model.NextAlertAt(&c, esc, s.policy, now)
}

// RaiseDue raises the alerts the clocks owe at now (the holder's tick):
// the ladder steps and breaches of open cases, call-required, and the
// accounts' bank thresholds; next is the earliest instant after now at
// which another may fall due without a change (zero: none). Reading every
// open case happens outside the writers' mutex; only the cases with a new
// alert are read again and written under it, a few hundred at a time, so a
// tick never holds up a command for long.
func (s *Store) RaiseDue(now time.Time) (raised []model.Alert, next time.Time, err error) {
	return s.RaiseDueCases(now, nil, nil)
}

// RaiseDueCases is RaiseDue over every open case and account (only nil),
// or over only the given cases (those a change touched or whose next
// instant came: a holder's alert tick, which keeps each case's next
// instant so that it never reads every open case per tick); each, when
// set, is told every visited case's next instant (zero: none).
func (s *Store) RaiseDueCases(now time.Time, only []int64, each func(n int64, next time.Time)) (raised []model.Alert, next time.Time, err error) {
	var cases []int64
	var accounts []string
	err = s.view(func(txn *badger.Txn) error {
		v := &txnView{txn: txn}
		visit := func(n int64) {
			as, at := s.caseAlertsNext(v, n, now)
			if each != nil {
				each(n, at)
			}
			if !at.IsZero() && (next.IsZero() || at.Before(next)) {
				next = at
			}
			for _, a := range as {
				if _, err := txn.Get(alertKey(a.ID)); errors.Is(err, badger.ErrKeyNotFound) {
					cases = append(cases, n)
					break
				}
			}
		}
		if only != nil {
			for _, n := range only {
				visit(n)
			}
			return v.err
		}
		err := eachKey(txn, []byte(pOpen), func(rest []byte) error {
			visit(decNum(rest))
			return nil
		})
		if err != nil {
			return err
		}
		month := model.DateOf(now, s.policy.TAMZone).MonthOf()
		err = eachJSON(txn, []byte(pAccount), func(a *model.Account) error {
			if al, ok := model.BankAlert(a, v.BankUsed(a.ID, month), s.policy, now); ok {
				if _, err := txn.Get(alertKey(al.ID)); errors.Is(err, badger.ErrKeyNotFound) {
					accounts = append(accounts, a.ID)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return v.err
	})
	if err != nil || (len(cases) == 0 && len(accounts) == 0) {
		return nil, next, err
	}
	// Written in parts of at most raiseChunk cases (halved when one is too
	// big for a transaction), each part's alerts with their outbox entries
	// in one transaction and under the writers' mutex for that part alone:
	// a desk of 100,000 cases that owes tens of thousands of alerts at once
	// (a first start, a store imported with its breaches) raises them all,
	// and commands go on between the parts. A part reads its cases again,
	// so a command between two parts is seen, and raise never raises an
	// alert twice.
	chunk := raiseChunk
	for len(cases) > 0 || len(accounts) > 0 {
		nc := min(chunk, len(cases))
		na := min(chunk-nc, len(accounts))
		got, err := s.raiseDueTxn(cases[:nc], accounts[:na], now)
		if errors.Is(err, badger.ErrTxnTooBig) && nc+na > 1 {
			chunk = max(1, (nc+na)/2)
			continue
		}
		if err != nil {
			return raised, next, fmt.Errorf("raise due alerts: %w", err)
		}
		raised = append(raised, got...)
		cases, accounts = cases[nc:], accounts[na:]
	}
	return raised, next, nil
}

// raiseChunk is how many cases RaiseDueCases writes in one transaction at
// the most.
const raiseChunk = 500

// raiseDueTxn raises the due alerts of the cases and accounts in one
// transaction, under the writers' mutex, and publishes them.
func (s *Store) raiseDueTxn(cases []int64, accounts []string, now time.Time) (raised []model.Alert, err error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		raised = nil
		err = s.db.Update(func(txn *badger.Txn) error {
			v := &txnView{txn: txn}
			var as []model.Alert
			for _, n := range cases {
				as = append(as, s.caseAlerts(v, n, now)...)
			}
			month := model.DateOf(now, s.policy.TAMZone).MonthOf()
			for _, id := range accounts {
				if a, ok := v.Account(id); ok {
					if al, ok := model.BankAlert(&a, v.BankUsed(id, month), s.policy, now); ok {
						as = append(as, al)
					}
				}
			}
			if v.err != nil {
				return v.err
			}
			var err error
			raised, err = raise(txn, as, now)
			return err
		})
		if !errors.Is(err, badger.ErrConflict) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	s.alerts.hold(raised)
	s.alerts.publish()
	return raised, nil
}

// Outbox lists what waits to be delivered, in raise order.
func (s *Store) Outbox() ([]Pending, error) { return collect[Pending](s, []byte(pOutbox)) }

// Delivered records an attempt's outcome. final (delivered, refused, or
// given up) takes the alert out of the outbox; otherwise it waits until
// next for another attempt. Both in one transaction with the log line,
// so a crash leaves either the attempt unrecorded (it is made again) or
// recorded whole.
func (s *Store) Delivered(p Pending, l DeliveryLog, next time.Time) error {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err := s.db.Update(func(txn *badger.Txn) error {
			key := outboxKey(p.Seq, p.Hook)
			if _, err := txn.Get(key); errors.Is(err, badger.ErrKeyNotFound) {
				return nil // the hook was removed meanwhile
			} else if err != nil {
				return err
			}
			if err := putLog(txn, &l); err != nil {
				return err
			}
			if l.Final {
				return txn.Delete(key)
			}
			p.Attempt, p.NextAt = l.Attempt, next
			return txn.Set(key, encode(&p))
		})
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("record a delivery: %d attempts conflicted", maxAttempts)
}

// Alerts lists every alert raised, in raise order.
func (s *Store) Alerts() ([]model.Alert, error) {
	stored, err := collect[storedAlert](s, []byte(pAlert))
	if err != nil {
		return nil, err
	}
	// Keys are in id order; raise order is the sequence.
	sort.Slice(stored, func(i, j int) bool { return stored[i].Seq < stored[j].Seq })
	out := make([]model.Alert, len(stored))
	for i := range stored {
		out[i] = stored[i].Alert
	}
	return out, nil
}
