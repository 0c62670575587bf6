package model

import (
	"fmt"
	"testing"
	"time"
)

// TestCheckAnswersAsDo: Check, the board's probe, gives exactly Do's
// answer (pass, or the same refusal) for every case action, by every
// role, on cases in every status, escalated or not.
func TestCheckAnswersAsDo(t *testing.T) {
	f := newFixture(t)
	var cases []int64
	for _, st := range []Status{StatusNew, StatusAssigned, StatusInProgress, StatusWaitingCustomer,
		StatusWaitingDevelopment, StatusFixAvailable, StatusClosed} {
		cases = append(cases, f.caseIn(st, "sam", t0))
	}
	esc := f.caseIn(StatusInProgress, "lee", t0.Add(-30*24*time.Hour))
	f.mustDo("sam", Escalate{Number: esc, By: "contact:Ana Ruiz", Channel: "phone", Justification: "go-live"}, t0)
	cases = append(cases, esc)
	now := t0.Add(time.Hour)
	compared := 0
	for _, n := range cases {
		for _, a := range []Action{
			TakeCase{Number: n}, AssignCase{Number: n, To: "lee"}, CallCase{Number: n}, RespondCase{Number: n},
			NoteCase{Number: n, Text: "?"}, SetStatus{Number: n, To: StatusWaitingCustomer},
			SetStatus{Number: n, To: StatusInProgress}, ChangeSeverity{Number: n, To: 1, AgreedBy: "Ana"},
			ReplyCase{Number: n}, FollowupCase{Number: n}, CloseCase{Number: n, Reason: ReasonResolved},
			ReopenCase{Number: n}, Escalate{Number: n, By: "sam", Channel: "portal", Justification: "?"},
			EscalationFollowup{Number: n}, AcceptEscalation{Number: n, Every: time.Hour},
			DeclineEscalation{Number: n, Reason: "?"}, UpdateEscalation{Number: n, Summary: "?"}, DeescalateEscalation{Number: n, Reason: "?"},
			CloseEscalation{Number: n, Outcome: "fix", Summary: "?"},
			NewCase{Number: 99999, Account: "acme", Severity: 2, Title: "?"},
			LogTime{ID: 99999, Account: "acme", Minutes: 30, Category: "cadence-call"},
		} {
			for _, actor := range []string{"maria", "sam", "lee", "tina", "wally"} {
				_, derr := Do(f.d, f.p, actor, a, now)
				cerr := Check(f.d, f.p, actor, a, now)
				if fmt.Sprint(derr) != fmt.Sprint(cerr) {
					t.Errorf("%s %T on %d: Do says %v, Check says %v", actor, a, n, derr, cerr)
				}
				compared++
			}
		}
	}
	if compared < 800 {
		t.Fatalf("only %d answers compared", compared)
	}
}
