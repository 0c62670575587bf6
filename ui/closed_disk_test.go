package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// fakeArchive is the fake backend's desk seen as a store of closed cases:
// a desk the backend loads with archive on holds its open cases only and
// reads the closed ones through it, as one loaded from Badger does.
type fakeArchive struct{ f *fakeBackend }

func (a fakeArchive) ClosedCase(n int64) (*model.Case, []model.Escalation, bool, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.f.archiveReads++
	if a.f.trace {
		panic(fmt.Sprintf("read %d", n))
	}
	c, ok := a.f.desk.Cases[n]
	if !ok {
		return nil, nil, false, nil
	}
	cc := *c
	return &cc, slices.Clone(a.f.desk.Escalations[n]), true, nil
}

func (a fakeArchive) closed() []*model.Case {
	var out []*model.Case
	for _, n := range a.f.desk.CaseNumbers() {
		if c := a.f.desk.Cases[n]; !c.IsOpen() {
			cc := *c
			out = append(out, &cc)
		}
	}
	return out
}

func (a fakeArchive) EachClosed(fn func(*model.Case, []model.Escalation) bool) error {
	a.f.mu.Lock()
	a.f.archiveReads++
	list := a.closed()
	escs := map[int64][]model.Escalation{}
	for _, c := range list {
		escs[c.Number] = slices.Clone(a.f.desk.Escalations[c.Number])
	}
	a.f.mu.Unlock()
	for _, c := range list {
		if !fn(c, escs[c.Number]) {
			break
		}
	}
	return nil
}

func (a fakeArchive) ClosedSince(t time.Time, fn func(*model.Case, []model.Escalation) bool) error {
	list, err := a.NewestClosed(model.ClosedMark{}, 1<<30)
	if err != nil {
		return err
	}
	slices.Reverse(list)
	for _, c := range list {
		if c.ClosedAt.Before(t) {
			continue
		}
		_, es, _, _ := a.ClosedCase(c.Number)
		if !fn(c, es) {
			break
		}
	}
	return nil
}

func (a fakeArchive) NewestClosed(after model.ClosedMark, limit int) ([]*model.Case, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.f.archiveReads++
	list := a.closed()
	slices.SortFunc(list, func(x, y *model.Case) int { return model.CompareClosed(model.MarkOf(x), model.MarkOf(y)) })
	var out []*model.Case
	for _, c := range list {
		if after != (model.ClosedMark{}) && model.CompareClosed(model.MarkOf(c), after) <= 0 {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, c)
	}
	return out, nil
}

// archiveDesk is closedDesk with 450 more closed cases of acme, one closed
// every hour before the others (more than two of the Closed tab's pages).
func archiveDesk() *model.Desk {
	d := closedDesk()
	var cs []model.Case
	for i := 0; i < 450; i++ {
		closed := at("2026-09-30T12:00:00Z").Add(-time.Duration(i) * time.Hour)
		cs = append(cs, model.Case{Number: int64(2000 + i), Account: "acme", Severity: 3,
			Title: fmt.Sprintf("Old question %d", i), Status: model.StatusClosed, Plan: model.Premium,
			Region: model.NA, Owner: "sam", OpenedAt: closed.Add(-48 * time.Hour),
			RespondedAt: closed.Add(-47 * time.Hour), ClosedAt: closed, CloseReason: model.ReasonResolved})
	}
	d.Apply(&model.Change{Cases: cs}, testNow)
	return d
}

// TestClosedCasesOnDiskOnTheBoard: on a desk that keeps its closed cases on
// disk, the Closed tab reads the newest page when shown and more as the
// cursor goes down; `#` goes to a closed case no page has read yet, with
// its detail; a case closed while it is shown leaves memory without the
// board going blank, comes first in the Closed tab, and `#` shows it.
func TestClosedCasesOnDiskOnTheBoard(t *testing.T) {
	fb := newFakeBackend(archiveDesk(), model.DefaultPolicy(), 64)
	fb.archive = true
	fb.trace = true
	b, _ := testBoard(t, Options{Actor: "maria", Backend: fb}, 120, 40)
	for n, c := range b.desk.Cases {
		if !c.IsOpen() {
			t.Fatalf("closed case %d is in the board's memory", n)
		}
	}
	if fb.archiveReads != 0 {
		t.Fatalf("the start read %d times from disk", fb.archiveReads)
	}
	fb.trace = false // (set: a read panics with its stack, to find it)

	// `#` to the oldest closed case, before the Closed tab was ever shown.
	jumpTo(b, "2449")
	if got := selectedRow(b); got != "00002449" || !strings.Contains(tabsLine(b), "[Closed]") {
		t.Fatalf("# 2449: %q in %q", got, tabsLine(b))
	}
	if !strings.HasPrefix(detailHead(b), "00002449") || !strings.Contains(b.View(), "Old question 449") {
		t.Fatalf("the detail of 2449 does not show: %q\n%s", detailHead(b), b.View())
	}
	if !statusShows(t, b, "case 00002449 (closed, window over)", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	if n := len(b.q.cl.cases); n >= 454 {
		t.Errorf("the Closed tab read all %d closed cases for one jump", n)
	}

	// From the top: the newest first; paging down reads the older ones.
	press(b, "g")
	if got := strings.Join(rowsOf(b)[:4], " "); got != "00001015 00001012 00001013 00001014" {
		t.Fatalf("the Closed tab's first rows: %s", got)
	}
	if _, _, _, rows := statusOf(t, b); rows >= 454 {
		t.Errorf("%d rows listed before any scrolling", rows)
	}
	press(b, "G")
	if _, _, row, rows := statusOf(t, b); rows != 454 || row != 454 {
		t.Errorf("after paging down: row %d of %d, want 454 of 454", row, rows)
	}
	// The rows read stay in the list: a redraw, a tick, reads nothing.
	reads := fb.archiveReads
	b.now = b.now.Add(time.Second)
	b.dirty = true
	_ = b.View()
	if fb.archiveReads != reads {
		t.Errorf("a redraw read the disk %d times", fb.archiveReads-reads)
	}

	// 1003 is shown (selected, its detail) when it is closed.
	jumpTo(b, "1003")
	if !strings.HasPrefix(detailHead(b), "00001003") {
		t.Fatalf("the detail of 1003 does not show: %q", detailHead(b))
	}
	feed, cancel := fb.Subscribe()
	defer cancel()
	if _, err := fb.Do("maria", model.CloseCase{Number: 1003, Reason: model.ReasonResolved}, testNow); err != nil {
		t.Fatal(err)
	}
	feedIn(b, <-feed)
	if _, ok := b.desk.Cases[1003]; ok {
		t.Error("1003 closed and stayed in the board's memory")
	}
	if v := b.View(); detailHead(b) == "" || !strings.Contains(v, "│") {
		t.Fatalf("the board went blank after 1003 closed:\n%s", v)
	}
	jumpTo(b, "1003")
	if got := selectedRow(b); got != "00001003" || !strings.HasPrefix(detailHead(b), "00001003") {
		t.Fatalf("# 1003 after its close: %q, detail %q", got, detailHead(b))
	}
	if got := rowsOf(b); len(got) == 0 || got[0] != "00001003" {
		t.Errorf("the Closed tab does not list 1003 first: %v", got)
	}
	if !strings.Contains(b.View(), "reopen 29d23h left") {
		t.Errorf("1003's reopen window does not show:\n%s", b.View())
	}

	// `o` reopens it from the Closed tab: back in memory, selected where
	// it now is.
	press(b, "o")
	if !strings.Contains(b.View(), "Reopen a closed case") {
		t.Fatalf("no reopen form:\n%s", b.View())
	}
	press(b, "enter")
	feedIn(b, <-feed)
	if c, ok := b.desk.Cases[1003]; !ok || !c.IsOpen() {
		t.Fatalf("1003 reopened is not open in memory")
	}
	if got := selectedRow(b); got != "00001003" || strings.Contains(tabsLine(b), "[Closed]") {
		t.Errorf("after o: %q in %q", got, tabsLine(b))
	}
	if _, listed := b.q.cl.at[1003]; listed {
		t.Error("1003 is still in the Closed tab's list")
	}
}
