package ui

import (
	"sync"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// Shared is the desk a holder (a board or serve) shares with its boards
// and with the commands it runs: ONE desk and ONE queue index in memory,
// read under a read lock by every session, written by one goroutine that
// applies each change of the store's feed (a resync reloads it once).
// Each board keeps only its view (tab, filter, cursor, size) and the
// queue views it registered on the shared index, dropped when it ends.
//
// Locking: a board holds the read lock while its Update and View run
// (board.Update takes it, nothing inside takes it again: a read lock
// taken twice deadlocks against a waiting writer); a tea.Cmd goroutine
// never touches the desk; a command holds the read lock from its first
// read to its end (Desk) and may call Do meanwhile: the store never waits
// for a reader of its feed, and the writer here applies the change once
// the command is done.
type Shared struct {
	backend Backend
	p       *model.Policy

	mu   sync.RWMutex
	desk *model.Desk
	ix   *model.QueueIndex

	// viewMu orders the view registrations of boards that hold the read
	// lock at once (the index's list of views is not safe for that).
	viewMu sync.Mutex
	views  int
	keyed  map[string]*keyedView
	byView map[*model.Queue]string

	startOnce sync.Once
	startErr  error
	cancel    func()
	private   bool

	// subMu guards the boards' subscriptions and the broadcast of applied
	// sequence numbers.
	subMu   sync.Mutex
	subs    map[*sharedSub]struct{}
	seqWake chan struct{} // closed and replaced after every apply

	// closeMu guards the auto-closes in flight (true) or refused (false):
	// each due case is closed once by the holder, whichever board's tick
	// finds it first; a change to the case clears it.
	closeMu sync.Mutex
	closing map[int64]bool
}

// NewShared returns the shared desk over a store; it loads the desk and
// subscribes on Start (or the first board, or the first Desk).
func NewShared(b Backend, p *model.Policy) *Shared {
	if p == nil {
		p = model.DefaultPolicy()
	}
	return &Shared{backend: b, p: p, ix: model.NewQueueIndex(p), subs: map[*sharedSub]struct{}{},
		seqWake: make(chan struct{}), closing: map[int64]bool{},
		keyed: map[string]*keyedView{}, byView: map[*model.Queue]string{}}
}

// newPrivate is the desk a board keeps for itself when it is given none
// (tests): the board loads and applies it in its own Update, under the
// write lock, as boards used to.
func newPrivate(b Backend, p *model.Policy) *Shared {
	sh := NewShared(b, p)
	sh.private = true
	return sh
}

// Start loads the desk and subscribes to the store's feed once; later
// calls return the first call's error.
func (sh *Shared) Start() error {
	sh.startOnce.Do(func() {
		feed, cancel := sh.backend.Subscribe()
		d, err := sh.backend.LoadDesk()
		if err != nil {
			cancel()
			sh.startErr = err
			return
		}
		sh.mu.Lock()
		sh.load(d)
		sh.mu.Unlock()
		sh.cancel = cancel
		go sh.pump(feed)
	})
	return sh.startErr
}

// Stop ends the subscription; the boards' feeds close.
func (sh *Shared) Stop() {
	if sh.cancel != nil {
		sh.cancel()
	}
}

// pump applies the store's updates in commit order and tells the boards.
func (sh *Shared) pump(feed <-chan Update) {
	for u := range feed {
		if u.Resync {
			sh.resync()
			continue
		}
		if u.Change == nil {
			continue
		}
		sh.mu.Lock()
		n, ok := sh.apply(u.Change, time.Now())
		lost := sh.desk != nil && sh.desk.ClosedErr() != nil
		sh.mu.Unlock()
		if ok {
			sh.notify(n)
		}
		if lost {
			// A reopened case's escalations could not be read from the
			// store: reload rather than show it without them.
			sh.resync()
		}
	}
	sh.subMu.Lock()
	for s := range sh.subs {
		s.close()
	}
	sh.subMu.Unlock()
}

// resync reloads the desk once for every board: read outside the lock,
// swapped in under it; the changes after the snapshot follow on the feed
// (those it already holds are skipped by Covers).
func (sh *Shared) resync() {
	d, err := sh.backend.LoadDesk()
	if err != nil {
		sh.notify(note{resync: true, err: err})
		return
	}
	sh.mu.Lock()
	sh.load(d)
	sh.mu.Unlock()
	sh.notify(note{resync: true})
}

// load replaces the desk and refills the index and every view. The caller
// holds the write lock.
func (sh *Shared) load(d *model.Desk) {
	if d == nil {
		d = model.NewDesk()
	}
	sh.desk = d
	sh.ix.Load(d)
	sh.closeMu.Lock()
	clear(sh.closing)
	sh.closeMu.Unlock()
}

// apply applies one committed change to the desk and the index; ok is
// false for a change the desk already holds. The caller holds the write
// lock.
func (sh *Shared) apply(ch *model.Change, now time.Time) (note, bool) {
	if sh.desk == nil || sh.desk.Covers(ch) {
		return note{}, false
	}
	n := note{ch: ch}
	reopened := map[int64]bool{}
	for _, ev := range ch.Events {
		if ev.Kind == "reopened" {
			reopened[ev.Case] = true // it was on disk, not new
		}
	}
	for _, c := range ch.Cases {
		if _, ok := sh.desk.Cases[c.Number]; !ok && (sh.desk.Closed == nil || !reopened[c.Number]) {
			n.newCases = append(n.newCases, c.Number)
		}
		if it, ok := sh.ix.Get(c.Number); ok {
			if n.prior == nil {
				n.prior = map[int64]*model.QueueItem{}
			}
			n.prior[c.Number] = it
		}
	}
	sh.desk.Apply(ch, now)
	sh.ix.Apply(sh.desk, ch)
	sh.closeMu.Lock()
	for _, c := range ch.Cases {
		delete(sh.closing, c.Number)
	}
	sh.closeMu.Unlock()
	return n, true
}

// notify queues an applied change for every board and wakes the
// commands waiting for it.
func (sh *Shared) notify(n note) {
	sh.subMu.Lock()
	for s := range sh.subs {
		s.push(n)
	}
	close(sh.seqWake)
	sh.seqWake = make(chan struct{})
	sh.subMu.Unlock()
}

// lastSeqer is a backend that tells the last committed event
// (*store.Store is one).
type lastSeqer interface {
	LastSeq() (int64, error)
}

// catchUpWait bounds how long Desk waits for the feed to bring the desk
// up to what the store has committed.
const catchUpWait = 2 * time.Second

// Desk returns the shared desk under the read lock and the function that
// releases it (once; later calls do nothing). It first waits, a bounded
// time, until the desk reflects every event the store had committed when
// it was called, so a command sees what the commands before it wrote.
// Never call it while holding the read lock (inside a board's Update).
func (sh *Shared) Desk() (*model.Desk, func(), error) {
	if err := sh.Start(); err != nil {
		return nil, nil, err
	}
	var target int64
	if ls, ok := sh.backend.(lastSeqer); ok {
		if n, err := ls.LastSeq(); err == nil {
			target = n
		}
	}
	deadline := time.NewTimer(catchUpWait)
	defer deadline.Stop()
	for waiting := true; ; {
		sh.subMu.Lock()
		wake := sh.seqWake
		sh.subMu.Unlock()
		sh.mu.RLock()
		if !waiting || sh.desk.LastSeq() >= target {
			break
		}
		sh.mu.RUnlock()
		select {
		case <-wake:
		case <-deadline.C:
			waiting = false // late: read what there is
		}
	}
	var once sync.Once
	return sh.desk, func() { once.Do(sh.mu.RUnlock) }, nil
}

// AutoCloseDue lists the open cases whose auto-close is due at now, from
// the shared index. The caller holds the read lock (Desk).
func (sh *Shared) AutoCloseDue(now time.Time) []int64 { return sh.ix.AutoCloseDue(now) }

// claimClose marks an auto-close as issued; false: it is in flight or was
// refused since the case last changed.
func (sh *Shared) claimClose(n int64) bool {
	sh.closeMu.Lock()
	defer sh.closeMu.Unlock()
	if _, busy := sh.closing[n]; busy {
		return false
	}
	sh.closing[n] = true
	return true
}

// closeDone records an auto-close's result: done, or refused (not again
// until the case changes).
func (sh *Shared) closeDone(n int64, err error) {
	sh.closeMu.Lock()
	defer sh.closeMu.Unlock()
	if err != nil {
		sh.closing[n] = false
		return
	}
	delete(sh.closing, n)
}

// closeState is the auto-close bookkeeping of one case (tests).
func (sh *Shared) closeState(n int64) (busy, ok bool) {
	sh.closeMu.Lock()
	defer sh.closeMu.Unlock()
	busy, ok = sh.closing[n]
	return
}

// view registers a board's view on the shared index; boards asking for
// the same key (what the view's predicate and order depend on; "": none
// alike) share one view. The caller holds the read (or write) lock.
func (sh *Shared) view(s *sharedSub, key string, pred func(*model.QueueItem) bool, o model.Order) *model.Queue {
	sh.viewMu.Lock()
	defer sh.viewMu.Unlock()
	if s != nil && s.ended {
		// The board has ended: the view is filled once and not kept.
		v := sh.ix.View(pred, o)
		sh.ix.Drop(v)
		return v
	}
	var v *model.Queue
	if kv, ok := sh.keyed[key]; ok && key != "" && s != nil {
		kv.refs++
		v = kv.v
	} else {
		v = sh.ix.View(pred, o)
		if key != "" && s != nil {
			sh.keyed[key] = &keyedView{v: v, key: key, refs: 1}
			sh.byView[v] = key
		}
	}
	if s != nil {
		s.views[v]++
	}
	sh.views++
	return v
}

// drop unregisters a board's view (a shared one goes with its last
// board). The caller holds the read (or write) lock.
func (sh *Shared) drop(s *sharedSub, v *model.Queue) {
	sh.viewMu.Lock()
	defer sh.viewMu.Unlock()
	if s != nil {
		if s.views[v] == 0 {
			return
		}
		if s.views[v]--; s.views[v] == 0 {
			delete(s.views, v)
		}
	}
	sh.release(v)
}

// release lets one registration of v go (viewMu held).
func (sh *Shared) release(v *model.Queue) {
	sh.views--
	if key, ok := sh.byView[v]; ok {
		kv := sh.keyed[key]
		if kv.refs--; kv.refs > 0 {
			return
		}
		delete(sh.keyed, key)
		delete(sh.byView, v)
	}
	sh.ix.Drop(v)
}

// keyedView is a view boards share, with how many hold it.
type keyedView struct {
	v    *model.Queue
	key  string
	refs int
}

// Boards is how many boards are attached, and Views how many queue views
// they keep on the shared index (what a board that ended must give back).
func (sh *Shared) Boards() int {
	sh.subMu.Lock()
	defer sh.subMu.Unlock()
	return len(sh.subs)
}

// Views: see Boards.
func (sh *Shared) Views() int {
	sh.viewMu.Lock()
	defer sh.viewMu.Unlock()
	return sh.views
}

// note is one applied change as a board hears of it: the change, the
// cases it opened; or a resync (the desk was reloaded).
type note struct {
	ch       *model.Change
	newCases []int64
	// prior is each changed case's queue item before the change (absent:
	// it was not open): what the wall compares to flash what is new. Items
	// are never changed once made, so the old one stays true to its time.
	prior  map[int64]*model.QueueItem
	resync bool
	err    error
}

// sharedBoardQueue is how many notes a board may leave unread; past that
// it gets one resync in their place (it re-reads its views).
const sharedBoardQueue = 1024

// sharedSub is one board's subscription to the shared desk and the views
// it registered.
type sharedSub struct {
	sh     *Shared
	mu     sync.Mutex
	queue  []note
	behind bool
	closed bool
	wake   chan struct{}
	views  map[*model.Queue]int // (viewMu)
	ended  bool                 // (viewMu)
}

// attach subscribes a board.
func (sh *Shared) attach() *sharedSub {
	s := &sharedSub{sh: sh, wake: make(chan struct{}, 1), views: map[*model.Queue]int{}}
	sh.subMu.Lock()
	sh.subs[s] = struct{}{}
	sh.subMu.Unlock()
	return s
}

// detach ends a board: its subscription and every view it registered.
// Safe to call from any goroutine, more than once, while the board's
// program may still be finishing: it takes the read lock itself, so the
// caller must not hold it.
func (s *sharedSub) detach() {
	sh := s.sh
	sh.subMu.Lock()
	delete(sh.subs, s)
	sh.subMu.Unlock()
	s.close()
	sh.mu.RLock()
	sh.viewMu.Lock()
	for v, n := range s.views {
		for ; n > 0; n-- {
			sh.release(v)
		}
	}
	clear(s.views)
	s.ended = true
	sh.viewMu.Unlock()
	sh.mu.RUnlock()
}

func (s *sharedSub) push(n note) {
	s.mu.Lock()
	if !s.closed {
		switch {
		case s.behind:
		case len(s.queue) >= sharedBoardQueue:
			s.queue = s.queue[:0]
			s.behind = true
		default:
			s.queue = append(s.queue, n)
		}
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *sharedSub) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take returns what is queued: the notes, or one resync when the board
// fell behind; closed when the subscription ended.
func (s *sharedSub) take() (notes []note, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.behind {
		s.behind = false
		s.queue = s.queue[:0]
		return []note{{resync: true}}, s.closed
	}
	notes = s.queue
	s.queue = nil
	return notes, s.closed
}

// waitNotes blocks until the shared desk has news for the board.
func waitNotes(s *sharedSub) tea.Cmd {
	return func() tea.Msg {
		for {
			<-s.wake
			notes, closed := s.take()
			if len(notes) > 0 || closed {
				return feedMsg{notes: notes, closed: closed}
			}
		}
	}
}
