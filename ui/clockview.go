package ui

import (
	"caseboard/model"
)

// clockNames are the clocks in words.
func clockName(cl model.Clock) string {
	if cl.Label != "" {
		return cl.Label
	}
	switch cl.Kind {
	case model.ClockInitialResponse:
		return "initial response"
	case model.ClockEscalationFollowup:
		return "escalation follow-up"
	case model.ClockEscalationUpdate:
		return "escalation update"
	case model.ClockAutoClose:
		return "auto-close"
	case model.ClockReopenWindow:
		return "reopen window"
	}
	return string(cl.Kind)
}

// stateCell is a running clock's short state for a queue row: a symbol, a
// word and a span, and the style of its colour slot.
func (th *theme) stateCell(cl model.Clock, st model.ClockStatus) (string, paint) {
	switch {
	case cl.CallRequired:
		return wordCall, th.pBreached
	case st.State == model.StateBreached:
		return wordBreached + " " + model.Span(st.Remaining), th.pBreached
	case st.DueSoon:
		return wordDueSoon + " " + model.Span(st.Remaining), th.pWarning
	case st.Paused:
		return wordPaused + " " + model.Span(st.Remaining), th.pPaused
	}
	return "● " + model.Span(st.Remaining) + " left", th.pOK
}

// clockLine is a clock in full for the detail pane: state, time to breach,
// due instant, working time left, paused and resumes-at.
func (d *Detail) clockLine(c *model.Case, cl model.Clock) (string, string) {
	cm := d.c
	p, now, th := cm.p, cm.now, cm.th
	when := cm.when
	name := fit(clockName(cl), 21)
	if cl.CallRequired {
		return name + th.Breached.Render(wordCall), "  the clock starts when the customer phones in"
	}
	st := cl.At(now, p)
	due := "due " + when(cl.Due)
	if !cl.Running() {
		switch st.State {
		case model.StateMet:
			return name + th.OK.Render("✔ met, "+model.Span(st.Remaining)+" to spare"), "  " + due
		case model.StateBreached:
			return name + th.Breached.Render("✖ breached by "+model.Span(st.Remaining)), "  " + due
		}
		return name + th.Faint.Render("■ stopped"), "  " + due
	}
	if cl.Kind == model.ClockReopenWindow {
		left, open := reopenLeft(cl.Start, p, now)
		if !open {
			return name + th.Faint.Render(left+" since "+when(cl.Due)), ""
		}
		return name + th.OK.Render(left) + th.Faint.Render(", until "+when(cl.Due)), ""
	}
	var head string
	switch {
	case st.State == model.StateBreached:
		head = th.Breached.Render(wordBreached + " " + model.Span(st.Remaining) + " ago")
	case st.DueSoon:
		head = th.Warning.Render(wordDueSoon + ": " + model.Span(st.Remaining) + " to breach")
	default:
		head = th.OK.Render("● " + model.Span(st.Remaining) + " to breach")
	}
	detail := "  " + due
	if st.State != model.StateBreached {
		detail += " · working left " + model.Span(st.WorkingLeft)
	}
	if st.Paused {
		detail += "\n  " + wordPaused + ", resumes " + when(st.ResumesAt)
	}
	return name + head, detail
}
