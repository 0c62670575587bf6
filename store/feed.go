package store

import (
	"sync"

	"caseboard/model"
)

// boardFeed is how many updates a board's subscription holds for it
// (Subscribe): a burst the size of a large bulk action, read by the board
// in batches, without a resync.
const boardFeed = 256

// Subscription receives updates (model.Update) on C, in commit order,
// until Close (or the store's Close), after which C is closed.
type Subscription struct {
	C <-chan model.Update

	f      *feed
	out    chan model.Update
	mu     sync.Mutex
	queue  []model.Update
	max    int
	behind bool
	wake   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// feed fans committed changes out to the subscribers. Writers never wait
// for a reader: each subscriber has its own bounded queue, filled without
// blocking and drained by its own goroutine onto C.
type feed struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// Subscribe opens the change feed the way a board reads it (ui.Backend):
// the subscription's own channel, with room for boardFeed updates, and
// the function that closes it. The board reads the channel the feed's
// pump writes, so a commit reaches the screen in one goroutine hop.
func (s *Store) Subscribe() (updates <-chan model.Update, cancel func()) {
	sub := s.Feed(boardFeed)
	return sub.C, sub.Close
}

// Feed starts a subscription holding up to buf updates that its reader
// has not taken yet (at least 1). A reader that lets the queue fill up is
// marked behind: what is queued is dropped, later changes are dropped too,
// and the next message it receives is one model.Update{Resync: true};
// after it the feed goes on normally.
func (s *Store) Feed(buf int) *Subscription {
	if buf < 1 {
		buf = 1
	}
	sub := &Subscription{f: &s.feed, out: make(chan model.Update), max: buf,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	sub.C = sub.out
	s.feed.mu.Lock()
	if s.feed.subs == nil {
		s.feed.subs = map[*Subscription]struct{}{}
	}
	s.feed.subs[sub] = struct{}{}
	s.feed.mu.Unlock()
	go sub.pump()
	return sub
}

// Close ends the subscription; C is closed soon after. Closing again does
// nothing.
func (sub *Subscription) Close() {
	sub.f.mu.Lock()
	delete(sub.f.subs, sub)
	sub.f.mu.Unlock()
	sub.once.Do(func() { close(sub.done) })
}

// Behind reports whether the subscription is waiting to deliver a resync.
func (sub *Subscription) Behind() bool {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.behind
}

// offer queues u without blocking; a full queue makes the subscriber
// behind.
func (sub *Subscription) offer(u model.Update) {
	sub.mu.Lock()
	switch {
	case sub.behind:
	case u.Resync || len(sub.queue) >= sub.max:
		sub.queue = nil
		sub.behind = true
	default:
		sub.queue = append(sub.queue, u)
	}
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

// pump hands queued updates to the reader. The behind flag is cleared when
// the resync is taken from the queue, before it is handed over: every
// change offered after that is queued behind the resync, and every change
// dropped before it was committed before the reader reloads.
func (sub *Subscription) pump() {
	defer close(sub.out)
	for {
		sub.mu.Lock()
		var u model.Update
		have := true
		switch {
		case sub.behind:
			sub.behind = false
			u = model.Update{Resync: true}
		case len(sub.queue) > 0:
			u = sub.queue[0]
			sub.queue[0] = model.Update{}
			sub.queue = sub.queue[1:]
		default:
			have = false
		}
		sub.mu.Unlock()
		if !have {
			select {
			case <-sub.wake:
				continue
			case <-sub.done:
				return
			}
		}
		select {
		case sub.out <- u:
		case <-sub.done:
			return
		}
	}
}

func (f *feed) publish(u model.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		sub.offer(u)
	}
}

// resync tells every subscriber to reload: an import or restore replaced
// more than a change can carry.
func (f *feed) resync() { f.publish(model.Update{Resync: true}) }

func (f *feed) closeAll() {
	f.mu.Lock()
	subs := f.subs
	f.subs = nil
	f.mu.Unlock()
	for sub := range subs {
		sub.once.Do(func() { close(sub.done) })
	}
}
