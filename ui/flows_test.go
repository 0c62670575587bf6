package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// flowTick makes each board second pass in a few milliseconds.
const flowTick = 50 * time.Millisecond

func startFlow(t *testing.T, o Options, fb *fakeBackend) *teatest.TestModel {
	t.Helper()
	if fb == nil {
		fb = newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	}
	o.Backend, o.Policy, o.Renderer = fb, fb.p, asciiRenderer()
	if o.ReportDir == "" {
		o.ReportDir = t.TempDir()
	}
	if o.Start.IsZero() {
		o.Start = testNow
	}
	if o.tickEvery == 0 {
		o.tickEvery = time.Hour // the clock stands still unless a test moves it
	}
	return teatest.NewTestModel(t, New(o), teatest.WithInitialTermSize(120, 40))
}

func waitFor(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(bts []byte) bool {
		for _, w := range what {
			if !bytes.Contains(bts, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func finalBoard(t *testing.T, tm *teatest.TestModel) *board {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*board)
}

// TestFlowTickBreaches: the countdown moves each second and the case turns
// breached at its due second (1006 is due at 12:15:00Z).
func TestFlowTickBreaches(t *testing.T) {
	tm := startFlow(t, Options{Actor: "sam", Start: at("2026-11-23T12:14:57Z"), tickEvery: flowTick}, nil)
	waitFor(t, tm, "00001006 S1 ▲ due soon 1s")
	waitFor(t, tm, "00001006 S1 ✖ BREACHED", "✖ BREACHED 3")
	b := finalBoard(t, tm)
	if n := countsLine(b); !strings.Contains(n, wordBreached+" 3  ") {
		t.Errorf("header counts %q, want 3 breached", n)
	}
}

// TestTickExactSecond steps the clock by hand: due at 12:15:00 is still
// "due soon 0s" at that second and breached one second later.
func TestTickExactSecond(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam", Start: at("2026-11-23T12:14:59Z"), tickEvery: time.Hour}, 120, 40)
	step := func() {
		_, cmd := b.Update(tickMsg{gen: b.tickGen})
		if cmd == nil {
			t.Fatal("the tick did not re-arm itself")
		}
	}
	row := func() string {
		for _, l := range strings.Split(b.View(), "\n") {
			if strings.Contains(l, "00001006") {
				return l
			}
		}
		return ""
	}
	if r := row(); !strings.Contains(r, "▲ due soon 1s") {
		t.Fatalf("at 12:14:59: %q", r)
	}
	step()
	if r := row(); !strings.Contains(r, "▲ due soon 0s") {
		t.Fatalf("at 12:15:00: %q", r)
	}
	step()
	if r := row(); !strings.Contains(r, "✖ BREACHED 1s") {
		t.Fatalf("at 12:15:01: %q", r)
	}
	// A stale tick (an old generation) neither moves the clock nor re-arms.
	clock := screenLines(b)[0] // the header's clock
	if _, cmd := b.Update(tickMsg{gen: b.tickGen - 1}); cmd != nil || screenLines(b)[0] != clock {
		t.Error("a stale tick was taken")
	}
	// Keys never arm a tick.
	gen := b.tickGen
	press(b, "j", "k", "s", "s")
	if b.tickGen != gen {
		t.Error("a key press re-armed the tick")
	}
}

// TestFlowChangeAppears: a change committed by another goroutine shows
// without a key press.
func TestFlowChangeAppears(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	tm := startFlow(t, Options{Actor: "sam"}, fb)
	waitFor(t, tm, "Sam Ortiz")
	go fb.commit(&model.Change{Cases: []model.Case{{Number: 1020, Account: "hooli", Severity: 2, Title: "Brand new outage",
		Status: model.StatusNew, Plan: model.Basic, Region: model.NA, OpenedAt: testNow}}}, testNow)
	waitFor(t, tm, "Brand new outage")
	b := finalBoard(t, tm)
	if n := countsLine(b); !strings.HasPrefix(n, "open 12 ") {
		t.Errorf("header counts %q, want open 12", n)
	}
}

// TestFlowOverflowResyncs: a board that falls behind the feed gets one
// Resync, reloads once, and shows every change.
func TestFlowOverflowResyncs(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 4)
	fb.gate, fb.subscribed = make(chan struct{}), make(chan struct{})
	sub := fb.subscribed
	tm := startFlow(t, Options{Actor: "maria"}, fb)
	<-sub // the board subscribed and is held in LoadDesk: it reads nothing
	for i := 0; i < 10; i++ {
		fb.commit(&model.Change{Cases: []model.Case{{Number: int64(2000 + i), Account: "globex", Severity: 3,
			Title: fmt.Sprintf("burst case %d", i), Status: model.StatusNew, Plan: model.Basic, Region: model.EMEA,
			OpenedAt: testNow}}}, testNow)
	}
	close(fb.gate)
	waitFor(t, tm, "resynchronised")
	b := finalBoard(t, tm)
	if got := fb.loadCount(); got != 2 {
		t.Errorf("LoadDesk called %d times, want 2 (start + one resync)", got)
	}
	if n := countsLine(b); !strings.HasPrefix(n, "open 21 ") {
		t.Errorf("header counts %q after resync, want open 21", n)
	}
	if v := b.View(); !strings.Contains(v, "open 21") {
		t.Errorf("header does not show the burst:\n%s", v)
	}
}

// TestFlowCursorFollowsCase: when the order changes above the cursor, the
// cursor stays on its case.
func TestFlowCursorFollowsCase(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	tm := startFlow(t, Options{Actor: "sam"}, fb)
	waitFor(t, tm, "Sam Ortiz")
	// Region order: 1001 1006 1002 1011 1007 1003 1010; go to 1003.
	for i := 0; i < 5; i++ {
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	}
	waitFor(t, tm, "▸ 00001003")
	// 1002 is answered: its clock stops and it drops to the end of S2.
	c := *fb.desk.Cases[1002]
	c.Status, c.RespondedAt = model.StatusInProgress, testNow
	go fb.commit(&model.Change{Cases: []model.Case{c}}, testNow)
	waitFor(t, tm, "00001002 S2 · no clock")
	b := finalBoard(t, tm)
	if sel := selectedRow(b); sel != "00001003" {
		t.Fatalf("cursor on %s, want 00001003", sel)
	}
	if !strings.Contains(b.View(), "▸ 00001003") {
		t.Errorf("the marker left 1003:\n%s", b.View())
	}
}

// TestFlowFilter: `/` narrows the queue as one types; esc clears it.
func TestFlowFilter(t *testing.T) {
	tm := startFlow(t, Options{Actor: "maria"}, nil)
	waitFor(t, tm, "1/11")
	tm.Type("/globex")
	waitFor(t, tm, "filter: /globex", "1/2")
	tm.Send(tea.KeyMsg{Type: tea.KeyEscape})
	waitFor(t, tm, "6/11") // all cases back, the cursor still on 00001004
	b := finalBoard(t, tm)
	_, _, _, rows := statusOf(t, b)
	if tabs := tabsLine(b); strings.Contains(tabs, "filter:") || rows != 11 || selectedRow(b) != "00001004" {
		t.Errorf("tabs %q, %d rows, on %s after esc", tabs, rows, selectedRow(b))
	}
}

// TestFlowAutoClose: at its due second the board closes an unanswered
// case once, as the system, and it leaves the queue.
func TestFlowAutoClose(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	// 1008 auto-closes at Tue 24 Nov 12:00:00Z.
	tm := startFlow(t, Options{Actor: "maria", Start: at("2026-11-24T11:59:58Z"), tickEvery: flowTick}, fb)
	// The status comes with the action's result, the queue's change with
	// the feed: both before the board is stopped (CI saw the quit overtake
	// the feed).
	waitFor(t, tm, "auto-closed 00001008", "open 10 ")
	b := finalBoard(t, tm)
	if n := fb.doCount(); n != 1 {
		t.Errorf("%d auto-closes issued, want 1", n)
	}
	if strings.Contains(b.View(), " 00001008 S") {
		t.Error("1008 still in the queue")
	}
	if c := fb.desk.Cases[1008]; c.Status != model.StatusClosed || !c.ClosedAt.Equal(at("2026-11-24T12:00:00Z")) {
		t.Errorf("1008 is %s closed at %s", c.Status, c.ClosedAt)
	}
}
