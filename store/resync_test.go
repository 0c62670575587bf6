package store

import (
	"testing"
	"time"

	"caseboard/model"
)

// TestReloadThenFeedCountsBankOnce covers the board's resync: it
// subscribes, then loads the desk; a change committed in between reaches
// it twice (in the loaded desk and on the feed). Applying the feed's copy
// must not count the time-bank minutes a second time.
func TestReloadThenFeedCountsBankOnce(t *testing.T) {
	s := openMem(t)
	sub := s.Feed(8)
	defer sub.Close()
	d := model.Date{Year: 2026, Month: time.November, Day: 3}
	if _, err := s.Apply(logTimeFn(1, "acme", 60, 600, d)); err != nil {
		t.Fatal(err)
	}
	desk, err := s.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	if got := desk.BankUsed("acme", d.MonthOf()); got != 60 {
		t.Fatalf("loaded desk: acme used %d minutes, want 60", got)
	}
	u := <-sub.C
	if !desk.Covers(u.Change) {
		t.Fatalf("the desk loaded after commit seq %d does not cover it (desk at %d)", u.Change.Events[0].Seq, desk.LastSeq())
	}
	if _, err := s.Apply(logTimeFn(2, "acme", 30, 600, d)); err != nil {
		t.Fatal(err)
	}
	u = <-sub.C
	if desk.Covers(u.Change) {
		t.Fatal("a change committed after the load counts as covered")
	}
	desk.Apply(u.Change, time.Time{})
	if got := desk.BankUsed("acme", d.MonthOf()); got != 90 {
		t.Fatalf("after the next change: acme used %d minutes, want 90", got)
	}
	if len(desk.Events) != 0 {
		t.Fatalf("a loaded desk holds %d events; it follows state only", len(desk.Events))
	}
}
