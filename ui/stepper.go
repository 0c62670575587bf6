package ui

import (
	"fmt"

	"caseboard/model"
)

// stepperLines draws the four steps, the current one highlighted, its
// checklist, the follow-up countdown, the update clock and the outcome.
func (d *Detail) stepperLines(e *model.QueueItem, w int) []string {
	cm := d.c
	th := cm.th
	esc := e.Esc
	pr := model.EscalationProgress(esc, cm.p)
	cur, done := pr.ShownStep(esc), pr.Done
	var out []string
	for i, s := range pr.Steps {
		label := fmt.Sprintf("%d %s", i+1, s.Name)
		switch {
		case i == cur:
			out = append(out, th.Accent.Render("▶ "+label))
			for j, sub := range s.Sub {
				box := "[ ]"
				if done[i][j] {
					box = "[x]"
				}
				out = append(out, "    "+box+" "+sub)
			}
		case i < cur:
			out = append(out, th.OK.Render("✔ "+label))
		default:
			out = append(out, th.Faint.Render("· "+label))
		}
	}
	who := model.Inert(esc.RequestedBy)
	out = append(out, th.Faint.Render(fmt.Sprintf("  requested by %s via %s: %s", who, model.Inert(esc.Channel), model.Inert(esc.Justification))))
	for _, cl := range e.Clocks() {
		if cl.Kind != model.ClockEscalationFollowup && cl.Kind != model.ClockEscalationUpdate {
			continue
		}
		if cl.Kind == model.ClockEscalationUpdate {
			out = append(out, fmt.Sprintf("  updates every %s, %d sent", model.Span(esc.UpdateEvery), len(esc.Updates)))
		}
		l1, _ := d.clockLine(e.Case, cl)
		out = append(out, "  "+l1)
	}
	out = append(out, "  outcome: "+escOutcome(esc))
	return out
}

func escOutcome(e *model.Escalation) string {
	switch e.Status {
	case model.EscRequested:
		return "awaiting the manager's decision"
	case model.EscAccepted:
		return "accepted"
	case model.EscDeclined:
		return "declined: " + model.Inert(e.Reason)
	case model.EscDeescalated:
		return "de-escalated: " + model.Inert(e.Reason)
	case model.EscClosed:
		s := "closed, " + model.OutcomeName(e.Outcome)
		if e.Summary != "" {
			s += ": " + model.Inert(e.Summary)
		}
		return s
	}
	return model.Inert(e.Status)
}
