package ui

import (
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// closedBenchBoard is a manager's board on bigDesk(n) with every fifth
// case closed (20k of 100k), on the Closed tab. The desk is the board's
// own copy of the cached one, closed there.
func closedBenchBoard(b *testing.B, n int) *board {
	b.Helper()
	benchBoard(b, n) // the cached desks
	fb := newFakeBackend(benchDesks[n], model.DefaultPolicy(), 64)
	bd := newBoard(Options{Backend: fb, Policy: fb.p, Actor: "maria", Start: testNow, Renderer: asciiRenderer()})
	bd.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	d, _ := fb.LoadDesk()
	for num, c := range d.Cases {
		if num%5 == 0 && num >= 100000 {
			c.Status, c.Owner = model.StatusClosed, "sam"
			c.ClosedAt = testNow.Add(-time.Duration(num%(40*24*60)) * time.Minute)
			c.CloseReason = model.ReasonResolved
		}
	}
	bd.Update(startMsg{desk: d})
	for !bd.q.onClosed() {
		bd.Update(tea.KeyMsg{Type: tea.KeyTab})
	}
	return bd
}

// closeAndReopen is one change event on the Closed tab, then a tick and a
// redraw: an open case closes (it goes to the top of the list), and the
// next time reopens (it leaves it).
func closeAndReopen(bd *board) func(int) {
	var target *model.Case
	for _, c := range bd.desk.Cases {
		if c.IsOpen() && (target == nil || c.Number < target.Number) {
			target = c
		}
	}
	open := *target
	return func(i int) {
		c := open
		if i%2 == 0 {
			c.Status, c.ClosedAt, c.CloseReason = model.StatusClosed, bd.now, model.ReasonResolved
		}
		bd.Update(feedMsg{updates: []Update{{Change: &model.Change{Cases: []model.Case{c}}}}})
		bd.Update(tickMsg{gen: bd.tickGen})
		_ = bd.View()
	}
}

// BenchmarkClosedTabScales: on the Closed tab, a change event (a case
// closing or reopening), a tick and a redraw with 100,000 cases (20,000
// closed) against 1,000 (200 closed); and what building the tab from the
// desk costs at 100,000, which a change never pays.
func BenchmarkClosedTabScales(b *testing.B) {
	small, large := closedBenchBoard(b, 1000), closedBenchBoard(b, 100000)
	if large.q.cl.builds != 1 || len(large.q.cl.rows) < 20000 {
		b.Fatalf("the Closed tab holds %d rows after %d builds", len(large.q.cl.rows), large.q.cl.builds)
	}
	fs, fl := closeAndReopen(small), closeAndReopen(large)
	b.ResetTimer()
	var ts, tl time.Duration
	for i := 0; i < b.N; i++ {
		// Best of interleaved rounds, as benchPair, without its collections
		// (two 100k desks make each a second on a busy machine).
		ts, tl = time.Duration(1<<63-1), time.Duration(1<<63-1)
		for r := 0; r < 3; r++ {
			ts, tl = min(ts, timeReps(20, fs)), min(tl, timeReps(20, fl))
		}
	}
	if large.q.cl.builds != 1 {
		b.Fatalf("a change built the closed list again (%d builds)", large.q.cl.builds)
	}
	var build time.Duration
	for r := 0; r < 3; r++ {
		start := time.Now()
		large.q.cl.reset()
		large.q.rebuild()
		if d := time.Since(start); r == 0 || d < build {
			build = d
		}
	}
	b.ReportMetric(float64(ts.Nanoseconds()), "ns/change-1k")
	b.ReportMetric(float64(tl.Nanoseconds()), "ns/change-100k")
	b.ReportMetric(float64(tl)/float64(ts), "ratio-100k/1k")
	b.ReportMetric(float64(build.Nanoseconds()), "ns/build-100k")
}

// timeReps is the mean time of reps calls of f.
func timeReps(reps int, f func(int)) time.Duration {
	start := time.Now()
	for i := 0; i < reps; i++ {
		f(i)
	}
	return time.Since(start) / time.Duration(reps)
}
