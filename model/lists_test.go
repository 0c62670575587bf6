package model

import (
	"strings"
	"testing"
)

// TestListsAreCopies: a caller that changes a list it was given (one
// session sorting a form's choices) does not change the desk's rules for
// the others sharing the process.
func TestListsAreCopies(t *testing.T) {
	lists := map[string]func() []string{
		"plans":               func() []string { return strs(Plans()) },
		"roles":               func() []string { return strs(Roles()) },
		"statuses":            func() []string { return strs(Statuses()) },
		"close reasons":       CloseReasons,
		"requester kinds":     RequesterKinds,
		"escalation statuses": EscalationStatuses,
		"channels":            Channels,
		"outcomes":            Outcomes,
		"modes":               Modes,
		"categories":          Categories,
		"event kinds":         EventKinds,
		"capabilities":        func() []string { return strs(Capabilities()) },
		"moves from new":      func() []string { return moveStrs(MovesFrom(StatusNew)) },
		"time entry csv":      TimeEntryCSVHeader,
		"sla csv":             SLACSVHeader,
	}
	for name, list := range lists {
		before := strings.Join(list(), ",")
		if before == "" {
			t.Errorf("%s: empty", name)
		}
		got := list()
		for i := range got {
			got[i] = "changed"
		}
		if after := strings.Join(list(), ","); after != before {
			t.Errorf("%s: a caller's change reached the table: %s, was %s", name, after, before)
		}
	}
	mv := MovesFrom(StatusNew)
	mv[0].To = StatusClosed
	if !CanMove(StatusNew, StatusAssigned, "take") {
		t.Error("changing MovesFrom's result changed the lifecycle")
	}
}

// TestListsInMessages: the lists read as the refusals and the import
// check word them.
func TestListsInMessages(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{strings.Join(CloseReasons(), ", "), "resolved, no-response, duplicate"},
		{strings.Join(EscalationStatuses(), ", "), "requested, accepted, declined, closed, de-escalated"},
		{strings.Join(Channels(), ", "), "phone, portal"},
		{strings.Join(Outcomes(), ", "), "root-cause, timeline, fix"},
		{strings.Join(Modes(), ", "), "consultative, managed"},
		{strings.Join(strs(Plans()), ", "), "basic, plus, premium"},
		{strings.Join(strs(Roles()), ", "), "specialist, manager, tam, wall"},
		{SeverityName(0) + SeverityName(5) + SeverityHelp(-1), ""},
		{SeverityName(1), "Critical service impact"},
		{OutcomeName(OutcomeFix), "permanent fix deployed"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	if !ValidEventKind("imported") || ValidEventKind("made-up") || !IsEscalationKind("accepted") || !IsNotCaseKind("time-voided") {
		t.Error("event kind lookups")
	}
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

func moveStrs(in []Move) []string {
	out := make([]string, len(in))
	for i, m := range in {
		out[i] = string(m.To) + " by " + m.By
	}
	return out
}
