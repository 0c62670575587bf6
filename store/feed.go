package store

import (
	"sync"

	"caseboard/model"
)

// Update is one message of the change feed: a committed Change, or
// Resync, which says that updates were dropped (the subscriber fell
// behind, or an import or restore replaced much of the store) and that
// the subscriber should reload (LoadDesk).
//
// A Change carries whole records, so a subscriber that reloads and then
// receives a Change already reflected in what it loaded may apply it again
// harmlessly; events it already holds have a Seq at or below the highest
// it loaded.
type Update struct {
	Change *model.Change
	Resync bool
}

// Subscription receives updates on C, in commit order, until Close (or the
// store's Close), after which C is closed.
type Subscription struct {
	C <-chan Update

	f      *feed
	out    chan Update
	mu     sync.Mutex
	queue  []Update
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

// Subscribe starts a subscription holding up to buf updates that its
// reader has not taken yet (at least 1). A reader that lets the queue fill
// up is marked behind: what is queued is dropped, later changes are dropped
// too, and the next message it receives is one Update{Resync: true}; after
// it the feed goes on normally.
func (s *Store) Subscribe(buf int) *Subscription {
	if buf < 1 {
		buf = 1
	}
	sub := &Subscription{f: &s.feed, out: make(chan Update), max: buf,
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

// Close ends the subscription; C is closed soon after.
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
func (sub *Subscription) offer(u Update) {
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
		var u Update
		have := true
		switch {
		case sub.behind:
			sub.behind = false
			u = Update{Resync: true}
		case len(sub.queue) > 0:
			u = sub.queue[0]
			sub.queue[0] = Update{}
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

func (f *feed) publish(u Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		sub.offer(u)
	}
}

func (f *feed) closeAll() {
	f.mu.Lock()
	subs := f.subs
	f.subs = nil
	f.mu.Unlock()
	for sub := range subs {
		sub.once.Do(func() { close(sub.done) })
	}
}
