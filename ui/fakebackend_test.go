package ui

import (
	"sync"
	"time"

	"caseboard/model"
)

// fakeBackend is a store in memory for tests: a desk under a mutex,
// hand-built changes, and a fan-out with bounded buffers that sends a
// lagging subscriber one Resync.
type fakeBackend struct {
	mu     sync.Mutex
	p      *model.Policy
	desk   *model.Desk
	buf    int
	subs   map[int]*fakeSub
	nextID int
	loads  int
	dos    []model.Action
	// gate, when set, holds the first LoadDesk until closed, so a test can
	// fill a subscriber's buffer before the board reads it.
	gate       chan struct{}
	subscribed chan struct{}
	// archive, when set, makes LoadDesk keep the closed cases "on disk":
	// the desk holds the open ones and reads the rest through fakeArchive
	// (closed_disk_test.go), counted in archiveReads.
	archive      bool
	archiveReads int
	trace        bool
	alerts       []model.Alert
	alertSubs    []chan model.Alert
	acks         map[string]map[string]bool
}

type fakeSub struct {
	ch     chan Update
	closed bool
}

func newFakeBackend(d *model.Desk, p *model.Policy, buf int) *fakeBackend {
	return &fakeBackend{p: p, desk: d, buf: buf, subs: map[int]*fakeSub{}}
}

func (f *fakeBackend) LoadDesk() (*model.Desk, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loads++
	d := copyDesk(f.desk)
	if f.archive {
		for n, c := range d.Cases {
			d.NoteCaseNumber(n)
			if !c.IsOpen() {
				delete(d.Cases, n)
				delete(d.Escalations, n)
			}
		}
		d.Closed = fakeArchive{f}
	}
	return d, nil
}

func (f *fakeBackend) loadCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.loads
}

func (f *fakeBackend) Subscribe() (<-chan Update, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextID
	f.nextID++
	s := &fakeSub{ch: make(chan Update, f.buf)}
	f.subs[id] = s
	if f.subscribed != nil {
		close(f.subscribed)
		f.subscribed = nil
	}
	return s.ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !s.closed {
			s.closed = true
			close(s.ch)
		}
		delete(f.subs, id)
	}
}

// commit applies a change and sends it to every subscriber; one whose
// buffer is full loses its queue and gets a single Resync instead.
func (f *fakeBackend) commit(ch *model.Change, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.desk.Apply(ch, now)
	f.publish(ch)
}

// publish fans a change out; the caller holds the lock.
func (f *fakeBackend) publish(ch *model.Change) {
	for _, s := range f.subs {
		select {
		case s.ch <- Update{Change: ch}:
		default:
			for drained := false; !drained; {
				select {
				case <-s.ch:
				default:
					drained = true
				}
			}
			s.ch <- Update{Resync: true}
		}
	}
}

// Do checks and applies an action with the rules (model.Do via Desk.Do)
// and sends the change to the subscribers.
func (f *fakeBackend) Do(actor string, a model.Action, now time.Time) (*model.Change, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dos = append(f.dos, a)
	ch, err := f.desk.Do(f.p, actor, a, now, now)
	if err != nil {
		return nil, err
	}
	f.publish(ch)
	return ch, nil
}

func (f *fakeBackend) doCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.dos)
}

func (f *fakeBackend) Events(n int64) ([]model.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.Event
	for _, e := range f.desk.Events {
		if e.Case == n {
			out = append(out, e)
		}
	}
	return out, nil
}

// copyDesk is a deep enough copy for the board: records, not events.
func copyDesk(d *model.Desk) *model.Desk {
	n := model.NewDesk()
	for k, v := range d.Cases {
		c := *v
		n.Cases[k] = &c
	}
	for k, v := range d.Escalations {
		es := make([]model.Escalation, len(v))
		for i, e := range v {
			e.Updates = append([]model.EscalationUpdate(nil), e.Updates...)
			es[i] = e
		}
		n.Escalations[k] = es
	}
	for k, v := range d.Accounts {
		a := *v
		a.Contacts = append([]model.Contact(nil), v.Contacts...)
		n.Accounts[k] = &a
	}
	for k, v := range d.Users {
		u := *v
		n.Users[k] = &u
	}
	for k, v := range d.TimeEntries {
		e := *v
		n.TimeEntries[k] = &e
	}
	for k, v := range d.Bank {
		n.Bank[k] = v
	}
	for k, v := range d.Projects {
		n.Projects[k] = v
	}
	n.SetLastSeq(d.LastSeq()) // as the store's snapshot says what it holds
	return n
}

// RecentAlerts lists the newest n alerts raised on the fake, in raise
// order.
func (f *fakeBackend) RecentAlerts(n int) ([]model.Alert, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]model.Alert(nil), f.alerts[max(0, len(f.alerts)-n):]...), nil
}

// SubscribeAlerts feeds the alerts raise sends from now on.
func (f *fakeBackend) SubscribeAlerts(buf int) (<-chan model.Alert, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan model.Alert, buf)
	f.alertSubs = append(f.alertSubs, ch)
	return ch, func() {}
}

// raise stores alerts and sends them to the alert subscribers.
func (f *fakeBackend) raise(as ...model.Alert) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.alerts = append(f.alerts, as...)
	for _, ch := range f.alertSubs {
		for _, a := range as {
			select {
			case ch <- a:
			default:
			}
		}
	}
}

// RecentAcks lists the ones of the newest n alerts a user acknowledged.
func (f *fakeBackend) RecentAcks(user string, n int) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, a := range f.alerts[max(0, len(f.alerts)-n):] {
		if f.acks[user][a.ID] {
			out = append(out, a.ID)
		}
	}
	return out, nil
}

// Acks lists a user's acknowledged alert ids (the tests' view).
func (f *fakeBackend) Acks(user string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for id := range f.acks[user] {
		out = append(out, id)
	}
	return out, nil
}

// Ack records an acknowledgement.
func (f *fakeBackend) Ack(user, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.acks == nil {
		f.acks = map[string]map[string]bool{}
	}
	if f.acks[user] == nil {
		f.acks[user] = map[string]bool{}
	}
	f.acks[user][id] = true
	return nil
}
