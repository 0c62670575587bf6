package store

import (
	"testing"
	"time"

	"caseboard/model"
)

func TestFeedInOrder(t *testing.T) {
	s := openMem(t)
	sub := s.Feed(100)
	defer sub.Close()
	for n := int64(1); n <= 20; n++ {
		if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(n, "acme", t0), nil }); err != nil {
			t.Fatal(err)
		}
	}
	for n := int64(1); n <= 20; n++ {
		u := <-sub.C
		if u.Resync || u.Change.Cases[0].Number != n || u.Change.Events[0].Seq != n {
			t.Fatalf("update %d: %+v", n, u)
		}
	}
}

// TestFeedStalledSubscriber: a subscriber that reads nothing does not slow
// writers, and receives exactly one resync when it reads again.
func TestFeedStalledSubscriber(t *testing.T) {
	s := openMem(t)
	stalled := s.Feed(4)
	defer stalled.Close()
	done := make(chan time.Duration)
	go func() {
		start := time.Now()
		for n := int64(1); n <= 200; n++ {
			if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(n, "acme", t0), nil }); err != nil {
				t.Error(err)
			}
		}
		done <- time.Since(start)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("writers blocked on a stalled subscriber")
	}
	if !stalled.Behind() {
		t.Fatal("the stalled subscriber is not marked behind")
	}
	resyncs, changes := 0, 0
	timeout := time.After(2 * time.Second)
loop:
	for {
		select {
		case u := <-stalled.C:
			if u.Resync {
				resyncs++
			} else {
				changes++
			}
		case <-timeout:
			break loop
		case <-time.After(200 * time.Millisecond):
			break loop
		}
	}
	if resyncs != 1 || changes > 1 {
		t.Fatalf("%d resyncs and %d changes after stalling, want 1 resync (and at most the one in flight)", resyncs, changes)
	}
	// After the resync the feed goes on.
	s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(1000, "acme", t0), nil })
	select {
	case u := <-stalled.C:
		if u.Resync || u.Change.Cases[0].Number != 1000 {
			t.Fatalf("after resync: %+v", u)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no update after the resync")
	}
}

func TestFeedClosedWithStore(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	sub := s.Feed(1)
	s.Close()
	select {
	case _, ok := <-sub.C:
		if ok {
			t.Fatal("update after close")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("C not closed with the store")
	}
}

// TestSubscribeServesBoard: the board's Subscribe (ui.Backend) gets each
// commit as a model.Update on the feed's own channel, and cancel closes it
// (twice is harmless: the board cancels on quit and on a resync).
func TestSubscribeServesBoard(t *testing.T) {
	s := openMem(t)
	updates, cancel := s.Subscribe()
	if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(7, "acme", t0), nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case u := <-updates:
		if u.Resync || u.Change == nil || u.Change.Cases[0].Number != 7 {
			t.Fatalf("got %+v, want the change opening case 7", u)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no update for the commit")
	}
	cancel()
	cancel()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-updates:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the feed is not closed after cancel")
		}
	}
}
