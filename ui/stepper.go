package ui

import (
	"fmt"

	"caseboard/model"
)

// escStep is one of the four steps of an escalation with its checklist.
// Defined here until the rules branch provides the step data.
type escStep struct {
	name string
	subs []string
}

func escSteps() [4]escStep {
	return [4]escStep{
		{"Request", []string{"need identified", "support contacted by phone or portal",
			"information gathered, manager contacted"}},
		{"Identification", []string{"request and case reviewed",
			"customer followed up within 60 minutes", "paths discussed, expectations set"}},
		{"Resolution cycle", []string{"manager works with the teams", "updates at the agreed frequency"}},
		{"Closure", []string{"resolution status agreed", "final summary sent"}},
	}
}

// escProgress is which step an escalation is at and which sub-steps are done.
func escProgress(e *model.Escalation) (current int, done [4][]bool) {
	followed := !e.FollowedUpAt.IsZero() || !e.DecidedAt.IsZero()
	decided := !e.DecidedAt.IsZero()
	ended := !e.EndedAt.IsZero()
	done[0] = []bool{true, true, true}
	done[1] = []bool{followed, followed, decided}
	done[2] = []bool{e.Status == model.EscAccepted || e.Status == model.EscClosed || e.Status == model.EscDeescalated, len(e.Updates) > 0}
	done[3] = []bool{ended, e.Summary != ""}
	switch {
	case ended:
		current = 3
	case e.Status == model.EscAccepted:
		current = 2
	default:
		current = 1
	}
	return current, done
}

// stepperLines draws the four steps, the current one highlighted, its
// checklist, the follow-up countdown, the update clock and the outcome.
func (b *board) stepperLines(e *entry, w int) []string {
	th := b.th
	esc := &e.esc
	cur, done := escProgress(esc)
	steps := escSteps()
	var out []string
	for i, s := range steps {
		label := fmt.Sprintf("%d %s", i+1, s.name)
		switch {
		case i == cur:
			out = append(out, th.Accent.Render("▶ "+label))
			for j, sub := range s.subs {
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
	for _, cl := range e.it.Clocks {
		if cl.Kind != model.ClockEscalationFollowup && cl.Kind != model.ClockEscalationUpdate {
			continue
		}
		if cl.Kind == model.ClockEscalationUpdate {
			out = append(out, fmt.Sprintf("  updates every %s, %d sent", model.Span(esc.UpdateEvery), len(esc.Updates)))
		}
		l1, _ := b.clockLine(&e.c, cl)
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
		s := "closed, " + model.OutcomeNames[e.Outcome]
		if e.Summary != "" {
			s += ": " + model.Inert(e.Summary)
		}
		return s
	}
	return model.Inert(e.Status)
}
