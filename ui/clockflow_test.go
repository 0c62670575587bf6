package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// TestFlowCallStartsCountdown: logging the call on a severity-1 case turns
// "call required" into a running countdown (Premium: 1h), which ticks.
func TestFlowCallStartsCountdown(t *testing.T) {
	fb := newFakeBackend(actionDesk(), model.DefaultPolicy(), 64)
	tm := startFlow(t, Options{Actor: "maria", tickEvery: flowTick}, fb)
	waitFor(t, tm, "00001001 S1 ☎ call required")
	send(tm, "/", "00001001", "enter", "c", "enter")
	waitFor(t, tm, "logged a call")
	// The clock started at the call (now) and counts down from 1h.
	waitFor(t, tm, "00001001 S1 ● 59m5")
	b := finalBoard(t, tm)
	if c := fb.desk.Cases[1001]; c.PhonedAt.IsZero() {
		t.Fatal("no call recorded")
	}
	row := ""
	for _, l := range strings.Split(b.View(), "\n") {
		if strings.Contains(l, "00001001 S1") {
			row = l
		}
	}
	if strings.Contains(row, "call required") || !strings.Contains(row, "left") {
		t.Errorf("after the call the row is %q", row)
	}
}

// TestFlowEscalationUpdateClock: escalate, follow up, accept with 2h: the
// update clock starts, due two hours after the acceptance.
func TestFlowEscalationUpdateClock(t *testing.T) {
	fb := newFakeBackend(actionDesk(), model.DefaultPolicy(), 64)
	tm := startFlow(t, Options{Actor: "maria"}, fb)
	waitFor(t, tm, "(maria)")
	send(tm, "/", "00001020", "enter")
	send(tm, "e", "tab", "tab", "tab", "Go-live Friday", "enter")
	waitFor(t, tm, "escalation follow-up")
	send(tm, "F", "enter")
	// The status line says so at once; the board's desk has it when the
	// feed brings the change (the detail's checklist), and only then is
	// accept offered: typed before, "2h" went to the queue.
	waitFor(t, tm, "followed up", "[x] followed up with the customer")
	send(tm, "A", "2h", "enter")
	waitFor(t, tm, "escalation update", "updates every 2h")
	b := finalBoard(t, tm)
	e := fb.desk.Escalations[1020]
	if len(e) != 1 || e[0].Status != model.EscAccepted || e[0].UpdateEvery.Hours() != 2 || e[0].FollowedUpAt.IsZero() {
		t.Fatalf("escalation %+v", e)
	}
	running := false
	for _, l := range screenLines(b) {
		// A running clock counts down to its breach; a stopped one says so.
		if strings.Contains(l, "escalation update") && strings.Contains(l, "to breach") {
			running = true
		}
	}
	if !running {
		t.Fatalf("no running update clock in the detail:\n%s", b.View())
	}
}
