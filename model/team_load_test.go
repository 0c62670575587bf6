package model

import (
	"testing"
	"time"
)

// TestTeamLoad: each person's open cases by severity, breached and due
// soon as the clock moves, escalations of their cases and the ones they
// asked for; every specialist and manager has a row even when idle, a TAM
// only once they own a case; the most at risk comes first; a change to the
// desk shows in the next computation.
func TestTeamLoad(t *testing.T) {
	f := newFixture(t)
	// lee: two severity-2 cases awaiting their first response, due two
	// hours after t0 (acme is Premium).
	a := f.caseIn(StatusAssigned, "lee", t0)
	b := f.caseIn(StatusAssigned, "lee", t0)
	// sam: one severity-1 case waiting for its call, one severity 3.
	s1 := f.open("acme", 1, t0)
	f.mustDo("maria", AssignCase{Number: s1, To: "sam"}, t0)
	s3 := f.open("initech", 3, t0)
	f.mustDo("maria", AssignCase{Number: s3, To: "sam"}, t0)
	// tina (a TAM) owns nothing but asks for an escalation of lee's case.
	f.mustDo("tina", Escalate{Number: a, By: "tina", Channel: ChannelPhone, Justification: "board meeting"}, t0.Add(7*24*time.Hour))
	f.open("acme", 4, t0) // nobody's

	ix := NewQueueIndex(f.p)
	ix.Load(f.d)
	loads := ix.TeamLoad(f.d.Users, t0)

	ids := map[string]PersonLoad{}
	for _, l := range loads {
		ids[l.User.ID] = l
	}
	for _, want := range []string{"maria", "sam", "lee", "eve", "max", "tina"} {
		if _, ok := ids[want]; !ok {
			t.Errorf("no row for %s", want)
		}
	}
	for _, not := range []string{"tom", "wally"} {
		if _, ok := ids[not]; ok {
			t.Errorf("a row for %s, who owns nothing and is no specialist or manager", not)
		}
	}
	lee, sam := ids["lee"], ids["sam"]
	if lee.Open != 2 || lee.BySeverity != [4]int{0, 2, 0, 0} || lee.Escalated != 1 {
		t.Errorf("lee = %+v, want 2 open S2, 1 escalated", lee)
	}
	if sam.Open != 2 || sam.BySeverity != [4]int{1, 0, 1, 0} || sam.CallRequired != 1 {
		t.Errorf("sam = %+v, want S1 + S3 open, 1 call required", sam)
	}
	if ids["tina"].Requested != 1 || ids["tina"].Open != 0 {
		t.Errorf("tina = %+v, want 1 requested escalation and nothing open", ids["tina"])
	}
	if lee.Breached != 0 || lee.DueSoon != 0 {
		t.Errorf("at t0 lee has %d breached, %d due soon; want none (due in 2h)", lee.Breached, lee.DueSoon)
	}
	// sam has a severity 1 (waiting for its call): first while nobody is breached.
	if loads[0].User.ID != "sam" {
		t.Errorf("first row %s, want sam (a severity 1)", loads[0].User.ID)
	}
	if got := sam.Words(); got != "2 open, 1 S1" {
		t.Errorf("sam's words %q", got)
	}
	if got := ids["eve"].Words(); got != "nothing open" {
		t.Errorf("eve's words %q", got)
	}

	// Within the due-soon threshold, then past due: lee first.
	near := ix.TeamLoad(f.d.Users, t0.Add(2*time.Hour-f.p.DueSoon/2))
	if l := LoadOf(near, "lee"); l.DueSoon != 2 || l.Breached != 0 {
		t.Errorf("near due lee = %+v, want 2 due soon", l)
	}
	late := ix.TeamLoad(f.d.Users, t0.Add(3*time.Hour))
	if late[0].User.ID != "lee" || late[0].Breached != 2 || late[0].Words() != "2 open, 2 breached" {
		t.Errorf("past due first row %+v, want lee with 2 breached", late[0])
	}

	// A change to the desk reaches the index, and the next load.
	ch := f.mustDo("maria", AssignCase{Number: b, To: "eve"}, t0)
	ix.Apply(f.d, ch)
	after := ix.TeamLoad(f.d.Users, t0)
	if LoadOf(after, "lee").Open != 1 || LoadOf(after, "eve").Open != 1 {
		t.Errorf("after assigning %d to eve: lee %+v, eve %+v", b, LoadOf(after, "lee"), LoadOf(after, "eve"))
	}
}

// BenchmarkTeamLoad10k: the Team tab's figures over 10,000 open cases,
// computed once per redraw while the tab is on show (one pass over the
// index). Reported, no floor: no goal names it.
func BenchmarkTeamLoad10k(b *testing.B) {
	d := indexDesk(10000)
	ix := NewQueueIndex(DefaultPolicy())
	ix.Load(d)
	users := map[string]*User{"sam": {ID: "sam", Role: Specialist}, "lee": {ID: "lee", Role: Specialist}}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var best time.Duration
	for i := 0; i < b.N; i++ {
		best = bestOf(5, 3, func() {
			if l := ix.TeamLoad(users, now); len(l) != 2 {
				b.Fatalf("%d rows", len(l))
			}
		})
	}
	b.ReportMetric(float64(best.Microseconds())/1000, "ms")
}
