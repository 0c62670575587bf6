package model

import "time"

// ClockKind names a clock of a case (the interchange names).
type ClockKind string

// The clocks of a case.
const (
	ClockInitialResponse    ClockKind = "initial-response"
	ClockEscalationFollowup ClockKind = "escalation-follow-up"
	ClockEscalationUpdate   ClockKind = "escalation-update"
	ClockCustomerFollowup   ClockKind = "customer-follow-up"
	ClockAutoClose          ClockKind = "auto-close"
	ClockReopenWindow       ClockKind = "reopen-window"
)

// ClockState is a clock's state at an instant.
type ClockState string

// The clock states. A breached clock that has not stopped still runs.
const (
	StateRunning  ClockState = "running"
	StateMet      ClockState = "met"
	StateBreached ClockState = "breached"
	StateStopped  ClockState = "stopped"
)

// Clock is one clock of a case as its facts define it: where it started,
// when it is due, and when (if) it stopped. Nothing here depends on now, so
// a case's clocks change only when the case (or the policy) does.
type Clock struct {
	Kind ClockKind
	// Label tells apart clocks of one kind ("follow-up 1").
	Label    string
	Calendar *Calendar
	Start    time.Time
	Due      time.Time
	Target   time.Duration
	// StoppedAt is zero while the clock runs.
	StoppedAt time.Time
	// Cancelled marks a clock stopped by something other than its goal
	// (a reply, the escalation ending, the case closing).
	Cancelled bool
	// CallRequired marks a severity-1 response clock that has not started
	// because the customer has not phoned yet.
	CallRequired bool
}

// Running reports whether the clock has started and not stopped.
func (c Clock) Running() bool { return c.StoppedAt.IsZero() }

// ClockStatus is a clock seen at an instant.
type ClockStatus struct {
	State ClockState
	// Remaining is wall-clock time until due, negative once breached; for
	// a stopped clock, the margin it stopped with.
	Remaining time.Duration
	// WorkingLeft is covered time until due; 0 once breached or stopped.
	WorkingLeft time.Duration
	// Paused is true while the calendar is closed (never once breached).
	Paused    bool
	ResumesAt time.Time
	// DueSoon is true while running and due within the policy's threshold.
	DueSoon bool
}

// At sees the clock at now. Breached means now is after due: exactly 0
// remaining is not breached.
func (c Clock) At(now time.Time, p *Policy) ClockStatus {
	if c.CallRequired && c.Running() {
		return ClockStatus{State: StateRunning}
	}
	if !c.Running() {
		st := ClockStatus{Remaining: c.Due.Sub(c.StoppedAt)}
		switch {
		case c.StoppedAt.After(c.Due):
			st.State = StateBreached
		case c.Cancelled:
			st.State = StateStopped
		default:
			st.State = StateMet
		}
		return st
	}
	st := ClockStatus{State: StateRunning, Remaining: c.Due.Sub(now)}
	if now.After(c.Due) {
		st.State = StateBreached
		return st
	}
	from := now
	if from.Before(c.Start) {
		from = c.Start
	}
	st.WorkingLeft = c.Calendar.Covered(from, c.Due)
	// At due (a due on a closing instant included) nothing is left to
	// resume: the clock is not waiting for the calendar, it is due.
	if st.WorkingLeft > 0 && !c.Calendar.IsOpen(now) {
		st.Paused = true
		st.ResumesAt = c.Calendar.NextOpen(now)
	}
	st.DueSoon = p != nil && st.Remaining <= p.DueSoon
	return st
}

// Clocks returns every clock of a case: the initial response, the customer
// follow-ups and auto-close while waiting for the customer, the reopen
// window while closed, and the clocks of esc (the case's latest
// escalation, or nil).
func Clocks(c *Case, esc *Escalation, p *Policy) []Clock {
	// At most 6 clocks: the response, 2 of the escalation, 2 follow-ups
	// and auto-close. Build them on the stack and allocate once, exactly.
	var buf [6]Clock
	cls := appendClocks(buf[:0], c, esc, p)
	return append(make([]Clock, 0, len(cls)), cls...)
}

func appendClocks(out []Clock, c *Case, esc *Escalation, p *Policy) []Clock {
	out = append(out, ResponseClock(c, p))
	if esc != nil {
		out = appendEscalationClocks(out, c, esc, p)
	}
	switch c.Status {
	case StatusWaitingCustomer:
		out = appendCustomerClocks(out, c, p)
	case StatusClosed:
		out = append(out, Clock{Kind: ClockReopenWindow, Calendar: p.Always, Start: c.ClosedAt,
			Due: c.ClosedAt.Add(p.ReopenWindow), Target: p.ReopenWindow})
	}
	return out
}

// ResponseClock is the initial-response clock: from the call (24x7
// severities) or from logging (region hours), stopped by the first response.
func ResponseClock(c *Case, p *Policy) Clock {
	cl := Clock{Kind: ClockInitialResponse, Target: p.Target(c.Plan, c.Severity),
		Calendar: p.ResponseCalendar(c.Region, c.Severity)}
	if cl.Calendar.AlwaysOpen() && c.Severity >= 1 && c.Severity <= 4 && p.AroundTheClock[c.Severity] {
		if c.PhonedAt.IsZero() {
			if !c.RespondedAt.IsZero() {
				// A response before any call stops the clock as met.
				cl.Start, cl.Due, cl.StoppedAt = c.RespondedAt, c.RespondedAt, c.RespondedAt
				return cl
			}
			if !c.IsOpen() {
				// Closed without a call: no call is required any more.
				cl.StoppedAt, cl.Cancelled = c.ClosedAt, true
				cl.Start, cl.Due = c.ClosedAt, c.ClosedAt
				return cl
			}
			cl.CallRequired = true
			return cl
		}
		cl.Start = c.PhonedAt
	} else {
		cl.Start = c.OpenedAt
	}
	cl.Due = cl.Calendar.Add(cl.Start, cl.Target)
	switch {
	case !c.RespondedAt.IsZero():
		cl.StoppedAt = c.RespondedAt
	case !c.IsOpen():
		cl.StoppedAt, cl.Cancelled = c.ClosedAt, true
	}
	return cl
}

func escalationClocks(c *Case, e *Escalation, p *Policy) []Clock {
	return appendEscalationClocks(nil, c, e, p)
}

func appendEscalationClocks(out []Clock, c *Case, e *Escalation, p *Policy) []Clock {
	cal := p.EscalationCalendar(c.Severity)
	fu := Clock{Kind: ClockEscalationFollowup, Calendar: cal, Start: e.RequestedAt,
		Target: p.EscalationFollowup, Due: cal.Add(e.RequestedAt, p.EscalationFollowup)}
	switch {
	case !e.FollowedUpAt.IsZero():
		fu.StoppedAt = e.FollowedUpAt
	case !e.DecidedAt.IsZero():
		fu.StoppedAt = e.DecidedAt
	case !e.EndedAt.IsZero():
		fu.StoppedAt, fu.Cancelled = e.EndedAt, true
	}
	out = append(out, fu)
	if e.UpdateEvery > 0 && !e.DecidedAt.IsZero() && (e.Status == EscAccepted || e.Status == EscClosed || e.Status == EscDeescalated) {
		last := e.DecidedAt
		for _, u := range e.Updates {
			if u.At.After(last) {
				last = u.At
			}
		}
		up := Clock{Kind: ClockEscalationUpdate, Calendar: cal, Start: last, Target: e.UpdateEvery,
			Due: cal.Add(last, e.UpdateEvery)}
		if !e.EndedAt.IsZero() {
			up.StoppedAt, up.Cancelled = e.EndedAt, true
		}
		out = append(out, up)
	}
	return out
}

func appendCustomerClocks(out []Clock, c *Case, p *Policy) []Clock {
	cal := p.RegionCalendar(c.Region)
	stops := [2]time.Time{c.Followup1At, c.Followup2At}
	labels := [2]string{"follow-up 1", "follow-up 2"}
	// A reply normally moves the case out of waiting-customer; should one be
	// recorded while it still waits, it stops these clocks all the same.
	replied := !c.RepliedAt.IsZero() && !c.RepliedAt.Before(c.WaitingSince)
	for i, days := range p.FollowupDays {
		cl := Clock{Kind: ClockCustomerFollowup, Label: labels[i], Calendar: cal, Start: c.WaitingSince,
			Target: time.Duration(days) * cal.BusinessDay, Due: cal.AddDays(c.WaitingSince, days),
			StoppedAt: stops[i]}
		if cl.StoppedAt.IsZero() && replied {
			cl.StoppedAt, cl.Cancelled = c.RepliedAt, true
		}
		out = append(out, cl)
	}
	if !c.Followup1At.IsZero() && !c.Followup2At.IsZero() {
		due := autoCloseDue(c, p)
		ac := Clock{Kind: ClockAutoClose, Calendar: cal, Start: c.WaitingSince,
			Target: time.Duration(p.AutoCloseDays) * cal.BusinessDay, Due: due}
		if replied {
			ac.StoppedAt, ac.Cancelled = c.RepliedAt, true
		}
		out = append(out, ac)
	}
	return out
}

// AutoCloseDue is when a waiting-customer case with both follow-ups logged
// closes for no response: the later of +AutoCloseDays business days and
// follow-up 2. ok is false when the case cannot auto-close.
func AutoCloseDue(c *Case, p *Policy) (due time.Time, ok bool) {
	if c.Status != StatusWaitingCustomer || c.Followup1At.IsZero() || c.Followup2At.IsZero() {
		return time.Time{}, false
	}
	if !c.RepliedAt.IsZero() && !c.RepliedAt.Before(c.WaitingSince) {
		return time.Time{}, false // the customer answered
	}
	return autoCloseDue(c, p), true
}

func autoCloseDue(c *Case, p *Policy) time.Time {
	due := p.RegionCalendar(c.Region).AddDays(c.WaitingSince, p.AutoCloseDays)
	if c.Followup2At.After(due) {
		due = c.Followup2At
	}
	return due
}

// Urgent returns the most urgent running clock: a call-required clock
// first, else the running clock (breached or not) with the earliest due.
// The reopen window never counts. ok is false when no clock runs.
func Urgent(clocks []Clock) (Clock, bool) {
	var best Clock
	found := false
	for _, cl := range clocks {
		if !cl.Running() || cl.Kind == ClockReopenWindow {
			continue
		}
		if cl.CallRequired {
			return cl, true
		}
		if !found || cl.Due.Before(best.Due) {
			best, found = cl, true
		}
	}
	return best, found
}
