package model

import (
	"testing"
	"time"
)

func at(t *testing.T, s string) time.Time { t.Helper(); return mustInstant(t, s) }

func wantDue(t *testing.T, cl Clock, due string) {
	t.Helper()
	if want := at(t, due); !cl.Due.Equal(want) {
		t.Fatalf("%s %s due %s, want %s", cl.Kind, cl.Label, cl.Due.In(want.Location()).Format(time.RFC3339), due)
	}
}

func wantState(t *testing.T, cl Clock, now string, p *Policy, state ClockState) ClockStatus {
	t.Helper()
	st := cl.At(at(t, now), p)
	if st.State != state {
		t.Fatalf("%s %s at %s: %s, want %s", cl.Kind, cl.Label, now, st.State, state)
	}
	return st
}

// Basic NA sev 2 logged Fri 2026-11-20 10:00 ET: due 18:00 ET.
func TestClockAtDueAndAfter(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Severity: 2, Plan: Basic, Region: NA, Status: StatusNew, OpenedAt: at(t, "2026-11-20T10:00:00-05:00")}
	cl := ResponseClock(c, p)
	wantDue(t, cl, "2026-11-20T18:00:00-05:00")

	// INTERFACE.md's queue example, seen at 16:30: 1h30 left both ways.
	st := wantState(t, cl, "2026-11-20T16:30:00-05:00", p, StateRunning)
	if st.Remaining != 90*time.Minute || st.WorkingLeft != 90*time.Minute || st.Paused || st.DueSoon {
		t.Fatalf("at 16:30: %+v", st)
	}
	// Due soon: within 30 minutes, the 30th included.
	if st := wantState(t, cl, "2026-11-20T17:29:59-05:00", p, StateRunning); st.DueSoon {
		t.Fatalf("due soon 30m01s before due")
	}
	if st := wantState(t, cl, "2026-11-20T17:30:00-05:00", p, StateRunning); !st.DueSoon {
		t.Fatalf("not due soon 30m before due")
	}
	// Exactly at due: still running, 0 left, not breached.
	st = wantState(t, cl, "2026-11-20T18:00:00-05:00", p, StateRunning)
	if st.Remaining != 0 || st.WorkingLeft != 0 || st.Paused {
		t.Fatalf("at due: %+v", st)
	}
	// One second later: breached, nothing left, not paused, no resume.
	st = wantState(t, cl, "2026-11-20T18:00:01-05:00", p, StateBreached)
	if st.Remaining != -time.Second || st.WorkingLeft != 0 || st.Paused || !st.ResumesAt.IsZero() || st.DueSoon {
		t.Fatalf("after due: %+v", st)
	}
	// Breached over the weekend (calendar closed): still not paused.
	st = wantState(t, cl, "2026-11-21T12:00:00-05:00", p, StateBreached)
	if st.Paused || st.Remaining != -18*time.Hour {
		t.Fatalf("breached on Saturday: %+v", st)
	}

	// The first response at due is met; a second later is breached.
	c.RespondedAt = at(t, "2026-11-20T18:00:00-05:00")
	if st := wantState(t, ResponseClock(c, p), "2026-11-23T09:00:00-05:00", p, StateMet); st.Remaining != 0 {
		t.Fatalf("met at due: %+v", st)
	}
	c.RespondedAt = at(t, "2026-11-20T18:00:01-05:00")
	wantState(t, ResponseClock(c, p), "2026-11-23T09:00:00-05:00", p, StateBreached)
	c.RespondedAt = at(t, "2026-11-20T11:00:00-05:00")
	cl = ResponseClock(c, p)
	if cl.Running() {
		t.Fatal("runs after the first response")
	}
	if st := wantState(t, cl, "2026-11-20T11:30:00-05:00", p, StateMet); st.Remaining != 7*time.Hour {
		t.Fatalf("met 7h early: %+v", st)
	}
}

// INTERFACE.md's sla example: Premium NA sev 3 logged Thu 24 Dec 20:00 ET,
// seen at 21:00: paused until Mon 28 06:00.
func TestClockPaused(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Severity: 3, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: at(t, "2026-12-24T20:00:00-05:00")}
	cl := ResponseClock(c, p)
	st := wantState(t, cl, "2026-12-24T21:00:00-05:00", p, StateRunning)
	if st.Remaining != 309600*time.Second || st.WorkingLeft != 18000*time.Second || !st.Paused ||
		!st.ResumesAt.Equal(at(t, "2026-12-28T06:00:00-05:00")) {
		t.Fatalf("%+v", st)
	}
	// While open: not paused, working time = wall time to due on the day.
	st = wantState(t, cl, "2026-12-28T08:00:00-05:00", p, StateRunning)
	if st.Paused || st.WorkingLeft != 3*time.Hour || st.Remaining != 3*time.Hour {
		t.Fatalf("Monday 08:00: %+v", st)
	}
	// A due on a closing instant: at due nothing is left to resume.
	c2 := &Case{Severity: 2, Plan: Basic, Region: NA, Status: StatusNew, OpenedAt: at(t, "2026-11-16T13:00:00-05:00")}
	cl2 := ResponseClock(c2, p)
	wantDue(t, cl2, "2026-11-16T21:00:00-05:00")
	if st := wantState(t, cl2, "2026-11-16T21:00:00-05:00", p, StateRunning); st.Paused || st.WorkingLeft != 0 || st.Remaining != 0 {
		t.Fatalf("at a due on closing: %+v", st)
	}
}

func TestSeverity1CallClock(t *testing.T) {
	p := DefaultPolicy()
	opened := at(t, "2026-11-20T10:00:00-05:00")
	c := &Case{Severity: 1, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: opened}
	cl := ResponseClock(c, p)
	if !cl.CallRequired || !cl.Running() {
		t.Fatalf("no call yet: %+v", cl)
	}
	if st := cl.At(at(t, "2026-11-25T10:00:00-05:00"), p); st.State != StateRunning || st.Remaining != 0 {
		t.Fatalf("call required is running, never breached: %+v", st)
	}
	if u, ok := Urgent([]Clock{{Kind: ClockCustomerFollowup, Due: opened}, cl}); !ok || !u.CallRequired {
		t.Fatalf("call required is not the most urgent: %+v", u)
	}
	// The call starts the 24x7 clock: Sat 22:00 + 1h = 23:00.
	c.PhonedAt = at(t, "2026-11-21T22:00:00-05:00")
	cl = ResponseClock(c, p)
	if cl.CallRequired || !cl.Start.Equal(c.PhonedAt) {
		t.Fatalf("after the call: %+v", cl)
	}
	wantDue(t, cl, "2026-11-21T23:00:00-05:00")
	if st := wantState(t, cl, "2026-11-21T22:45:00-05:00", p, StateRunning); st.Paused || st.WorkingLeft != 15*time.Minute {
		t.Fatalf("24x7 on a Saturday: %+v", st)
	}
	// A response before any call: met, the clock stops.
	c2 := &Case{Severity: 1, Plan: Basic, Region: EMEA, Status: StatusInProgress, OpenedAt: opened,
		RespondedAt: opened.Add(10 * time.Minute)}
	cl = ResponseClock(c2, p)
	if cl.CallRequired || cl.Running() {
		t.Fatalf("responded without a call: %+v", cl)
	}
	wantState(t, cl, "2026-11-21T00:00:00Z", p, StateMet)
	// Closed without a call or a response: no call required any more.
	c3 := &Case{Severity: 1, Plan: Basic, Region: NA, Status: StatusClosed, OpenedAt: opened,
		ClosedAt: opened.Add(time.Hour), CloseReason: ReasonDuplicate}
	cl = ResponseClock(c3, p)
	if cl.CallRequired || cl.Running() {
		t.Fatalf("closed without a call: %+v", cl)
	}
	wantState(t, cl, "2026-11-21T00:00:00Z", p, StateStopped)
	// Severities 2-4 run from logging, a call changes nothing.
	c4 := &Case{Severity: 2, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: opened, PhonedAt: opened.Add(3 * time.Hour)}
	cl = ResponseClock(c4, p)
	if cl.CallRequired || !cl.Start.Equal(opened) {
		t.Fatalf("sev 2 start %s", cl.Start)
	}
	wantDue(t, cl, "2026-11-20T12:00:00-05:00")
}

// A severity change recomputes the response clock from the case's original
// timestamps, both ways.
func TestSeverityChangeRecomputes(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Severity: 3, Plan: Plus, Region: NA, Status: StatusAssigned, OpenedAt: at(t, "2026-11-20T20:00:00-05:00")}
	// sev 3 (12h): 1h Fri, 11h from Mon 06:00 -> 17:00.
	wantDue(t, ResponseClock(c, p), "2026-11-23T17:00:00-05:00")
	// Up to sev 1 with no call logged: call required.
	c.Severity = 1
	if cl := ResponseClock(c, p); !cl.CallRequired {
		t.Fatalf("sev 1 without a call: %+v", cl)
	}
	// A call Sat 09:00: Plus sev 1 is 2h around the clock -> 11:00.
	c.PhonedAt = at(t, "2026-11-21T09:00:00-05:00")
	wantDue(t, ResponseClock(c, p), "2026-11-21T11:00:00-05:00")
	// Back down to sev 2 (4h): region hours from opened_at, the call no
	// longer matters: 1h Fri, 3h from Mon 06:00 -> 09:00.
	c.Severity = 2
	cl := ResponseClock(c, p)
	if cl.CallRequired || !cl.Start.Equal(c.OpenedAt) || cl.Calendar != p.Regions[NA] {
		t.Fatalf("sev 2 after sev 1: %+v", cl)
	}
	wantDue(t, cl, "2026-11-23T09:00:00-05:00")
}

func TestEscalationClocks(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Number: 7, Severity: 2, Plan: Basic, Region: EMEA, Status: StatusInProgress,
		OpenedAt: at(t, "2026-11-10T12:00:00Z"), RespondedAt: at(t, "2026-11-10T13:00:00Z")}
	// Requested Mon 16:30 ET: 30m until 17:00, 30m from Tue 08:00 -> 08:30
	// (escalation hours are ET whatever the case's region).
	e := &Escalation{Case: 7, Status: EscRequested, RequestedAt: at(t, "2026-11-16T16:30:00-05:00")}
	cls := escalationClocks(c, e, p)
	if len(cls) != 1 || cls[0].Kind != ClockEscalationFollowup {
		t.Fatalf("requested: %+v", cls)
	}
	fu := cls[0]
	wantDue(t, fu, "2026-11-17T08:30:00-05:00")
	if st := wantState(t, fu, "2026-11-16T20:00:00-05:00", p, StateRunning); !st.Paused || st.WorkingLeft != 30*time.Minute {
		t.Fatalf("evening: %+v", st)
	}
	wantState(t, fu, "2026-11-17T08:30:01-05:00", p, StateBreached)
	// Severity 1: 24x7, requested Sat 22:30 -> 23:30.
	c1 := *c
	c1.Severity = 1
	e1 := &Escalation{Case: 7, Status: EscRequested, RequestedAt: at(t, "2026-11-21T22:30:00-05:00")}
	wantDue(t, escalationClocks(&c1, e1, p)[0], "2026-11-21T23:30:00-05:00")

	// The manager follows up at 08:10: met.
	e.FollowedUpAt = at(t, "2026-11-17T08:10:00-05:00")
	wantState(t, escalationClocks(c, e, p)[0], "2026-11-17T09:00:00-05:00", p, StateMet)
	// Accepting without a logged follow-up stops it too (at the decision).
	e.FollowedUpAt = time.Time{}
	e.Status, e.DecidedAt, e.UpdateEvery = EscAccepted, at(t, "2026-11-17T10:00:00-05:00"), 4*time.Hour
	cls = escalationClocks(c, e, p)
	wantState(t, cls[0], "2026-11-17T11:00:00-05:00", p, StateBreached) // decided after 08:30
	if len(cls) != 2 || cls[1].Kind != ClockEscalationUpdate {
		t.Fatalf("accepted: %+v", cls)
	}
	// The update clock runs from acceptance: 10:00 + 4h = 14:00.
	wantDue(t, cls[1], "2026-11-17T14:00:00-05:00")
	// Each update restarts it: 13:00 + 4h = 17:00, the closing instant.
	e.Updates = []EscalationUpdate{{At: at(t, "2026-11-17T13:00:00-05:00"), By: "maria"}}
	wantDue(t, escalationClocks(c, e, p)[1], "2026-11-17T17:00:00-05:00")
	// 16:00 + 4h: 1h to 17:00, 3h from Wed 08:00 -> 11:00.
	e.Updates = append(e.Updates, EscalationUpdate{At: at(t, "2026-11-17T16:00:00-05:00"), By: "sam"})
	up := escalationClocks(c, e, p)[1]
	wantDue(t, up, "2026-11-18T11:00:00-05:00")
	if !up.Start.Equal(at(t, "2026-11-17T16:00:00-05:00")) {
		t.Fatalf("update clock starts %s", up.Start)
	}
	// It stops when the escalation ends.
	e.Status, e.EndedAt = EscClosed, at(t, "2026-11-18T09:00:00-05:00")
	cls = escalationClocks(c, e, p)
	if cls[1].Running() {
		t.Fatal("update clock runs after the escalation closed")
	}
	wantState(t, cls[1], "2026-11-19T09:00:00-05:00", p, StateStopped)
	// A declined escalation has no update clock.
	d := &Escalation{Case: 7, Status: EscDeclined, RequestedAt: at(t, "2026-11-16T09:00:00-05:00"),
		DecidedAt: at(t, "2026-11-16T09:20:00-05:00"), EndedAt: at(t, "2026-11-16T09:20:00-05:00")}
	cls = escalationClocks(c, d, p)
	if len(cls) != 1 {
		t.Fatalf("declined: %+v", cls)
	}
	wantState(t, cls[0], "2026-11-16T10:00:00-05:00", p, StateMet)
	// Clocks() includes them.
	if got := Clocks(c, e, p); len(got) != 3 {
		t.Fatalf("Clocks: %d clocks", len(got))
	}
}

func TestCustomerClocks(t *testing.T) {
	p := DefaultPolicy()
	// Waiting since Mon 16 Nov 10:00 ET. A business day is 15h covered:
	// +1: 11h Mon, 4h Tue -> Tue 10:00; +3 -> Thu 10:00; +4 -> Fri 10:00.
	c := &Case{Number: 9, Severity: 3, Plan: Basic, Region: NA, Status: StatusWaitingCustomer,
		OpenedAt: at(t, "2026-11-13T10:00:00-05:00"), RespondedAt: at(t, "2026-11-13T11:00:00-05:00"),
		WaitingSince: at(t, "2026-11-16T10:00:00-05:00")}
	cls := Clocks(c, nil, p)
	if len(cls) != 3 || cls[1].Kind != ClockCustomerFollowup || cls[2].Kind != ClockCustomerFollowup {
		t.Fatalf("waiting: %+v", cls)
	}
	wantDue(t, cls[1], "2026-11-17T10:00:00-05:00")
	wantDue(t, cls[2], "2026-11-19T10:00:00-05:00")
	if u, _ := Urgent(cls); u.Label != "follow-up 1" {
		t.Fatalf("urgent %+v", u)
	}
	if _, ok := AutoCloseDue(c, p); ok {
		t.Fatal("auto-close without follow-ups")
	}
	// Follow-up 1 logged: its clock met; follow-up 2 still runs; no auto-close.
	c.Followup1At = at(t, "2026-11-17T09:00:00-05:00")
	cls = Clocks(c, nil, p)
	wantState(t, cls[1], "2026-11-18T09:00:00-05:00", p, StateMet)
	wantState(t, cls[2], "2026-11-18T09:00:00-05:00", p, StateRunning)
	if len(cls) != 3 {
		t.Fatalf("auto-close with one follow-up: %+v", cls)
	}
	// Both logged: auto-close at +4 business days, Fri 10:00.
	c.Followup2At = at(t, "2026-11-19T09:00:00-05:00")
	cls = Clocks(c, nil, p)
	if len(cls) != 4 || cls[3].Kind != ClockAutoClose {
		t.Fatalf("both follow-ups: %+v", cls)
	}
	wantDue(t, cls[3], "2026-11-20T10:00:00-05:00")
	if due, ok := AutoCloseDue(c, p); !ok || !due.Equal(cls[3].Due) {
		t.Fatalf("AutoCloseDue %s %v", due, ok)
	}
	// ... or at follow-up 2 if that came later (Fri 12:00).
	c.Followup2At = at(t, "2026-11-20T12:00:00-05:00")
	wantDue(t, Clocks(c, nil, p)[3], "2026-11-20T12:00:00-05:00")
	// A reply stops them all; the case does not auto-close.
	c.RepliedAt = at(t, "2026-11-20T11:00:00-05:00")
	cls = Clocks(c, nil, p)
	for _, cl := range cls[1:] {
		if cl.Running() {
			t.Fatalf("%s %s runs after a reply", cl.Kind, cl.Label)
		}
	}
	wantState(t, cls[3], "2026-11-21T00:00:00-05:00", p, StateStopped)
	if _, ok := AutoCloseDue(c, p); ok {
		t.Fatal("auto-close after a reply")
	}
	// Over Christmas: waiting since Thu 24 Dec 10:00 -> +1 Mon 28 10:00;
	// +3 Wed 30 10:00; +4 Thu 31 10:00.
	x := &Case{Severity: 3, Plan: Basic, Region: NA, Status: StatusWaitingCustomer,
		OpenedAt: at(t, "2026-12-20T10:00:00-05:00"), RespondedAt: at(t, "2026-12-21T10:00:00-05:00"),
		WaitingSince: at(t, "2026-12-24T10:00:00-05:00"), Followup1At: at(t, "2026-12-28T10:00:00-05:00"),
		Followup2At: at(t, "2026-12-29T10:00:00-05:00")}
	cls = Clocks(x, nil, p)
	wantDue(t, cls[1], "2026-12-28T10:00:00-05:00")
	wantDue(t, cls[2], "2026-12-30T10:00:00-05:00")
	wantDue(t, cls[3], "2026-12-31T10:00:00-05:00")
	// Leaving waiting-customer drops these clocks.
	c.Status = StatusInProgress
	if got := Clocks(c, nil, p); len(got) != 1 {
		t.Fatalf("in progress: %+v", got)
	}
}

func TestReopenWindow(t *testing.T) {
	p := DefaultPolicy()
	closed := at(t, "2026-11-20T15:00:00-05:00")
	c := &Case{Severity: 2, Plan: Basic, Region: NA, Status: StatusClosed, OpenedAt: closed.Add(-48 * time.Hour),
		RespondedAt: closed.Add(-47 * time.Hour), ClosedAt: closed, CloseReason: ReasonResolved}
	cls := Clocks(c, nil, p)
	if len(cls) != 2 || cls[1].Kind != ClockReopenWindow {
		t.Fatalf("closed: %+v", cls)
	}
	rw := cls[1]
	// 30 x 24h of real time, across the calendar: the last second included.
	if !rw.Due.Equal(closed.Add(720 * time.Hour)) {
		t.Fatalf("due %s", rw.Due)
	}
	if st := rw.At(closed.Add(720*time.Hour), p); st.State != StateRunning || st.Remaining != 0 {
		t.Fatalf("at the last second: %+v", st)
	}
	if st := rw.At(closed.Add(720*time.Hour+time.Second), p); st.State != StateBreached {
		t.Fatalf("a second later: %+v", st)
	}
	// The reopen window never counts as the most urgent clock.
	if u, ok := Urgent(cls); ok {
		t.Fatalf("urgent on a closed case: %+v", u)
	}
}

func TestUrgent(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	a := Clock{Kind: ClockInitialResponse, Due: t0.Add(3 * time.Hour)}
	b := Clock{Kind: ClockEscalationFollowup, Due: t0.Add(time.Hour)}
	stopped := Clock{Kind: ClockCustomerFollowup, Due: t0, StoppedAt: t0}
	reopen := Clock{Kind: ClockReopenWindow, Due: t0.Add(-time.Hour)}
	if u, ok := Urgent([]Clock{a, stopped, b, reopen}); !ok || u.Kind != ClockEscalationFollowup {
		t.Fatalf("urgent %+v %v", u, ok)
	}
	if _, ok := Urgent([]Clock{stopped, reopen}); ok {
		t.Fatal("urgent among stopped clocks")
	}
	if _, ok := Urgent(nil); ok {
		t.Fatal("urgent of nothing")
	}
}
