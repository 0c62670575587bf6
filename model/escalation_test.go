package model

import (
	"strings"
	"testing"
	"time"
)

func TestEscalationEligibility(t *testing.T) {
	tests := []struct {
		name     string
		account  string
		sev      int
		opened   time.Time
		eligible time.Time
		msg      string
	}{
		// Severity 1 runs 24x7: one day is 24 hours, weekend or not.
		{"sev1 over a weekend", "acme", 1, time.Date(2026, 11, 21, 9, 0, 0, 0, et), time.Date(2026, 11, 22, 9, 0, 0, 0, et),
			"cannot escalate 00000001: not eligible before Sun 22 Nov 09:00 ET (severity 1 waits 1 day)"},
		// Severity 2, 2 business days of 15 h from Friday 10:00 ET: 11 h
		// Friday, 15 h Monday, 4 h Tuesday: Tuesday 10:00.
		{"sev2 across a weekend", "acme", 2, time.Date(2026, 11, 20, 10, 0, 0, 0, et), time.Date(2026, 11, 24, 10, 0, 0, 0, et),
			"cannot escalate 00000001: not eligible before Tue 24 Nov 10:00 ET (severity 2 waits 2 business days)"},
		// Severity 3, 5 business days = 75 h from Wednesday 23 Dec 10:00 ET:
		// 11 h Wed, 15 h Thu 24, Christmas closed, weekend, 15 h each
		// Mon 28, Tue 29, Wed 30 (56 + 15 = 71), 4 h Thu 31: 10:00.
		{"sev3 across Christmas", "acme", 3, time.Date(2026, 12, 23, 10, 0, 0, 0, et), time.Date(2026, 12, 31, 10, 0, 0, 0, et),
			"cannot escalate 00000001: not eligible before Thu 31 Dec 10:00 ET (severity 3 waits 5 business days)"},
		// EMEA severity 2 from Friday 23:30 GMT: 2h30m to Saturday 02:00,
		// 15 h Monday (17h30m), 12h30m Tuesday from 11:00: 23:30 Tuesday.
		{"sev2 EMEA across the midnight shift", "globex", 2, time.Date(2026, 11, 20, 23, 30, 0, 0, gmt), time.Date(2026, 11, 24, 23, 30, 0, 0, gmt),
			"cannot escalate 00000001: not eligible before Tue 24 Nov 23:30 GMT (severity 2 waits 2 business days)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			n := f.mustDo("maria", NewCase{Account: tc.account, Severity: tc.sev, Title: "x", Opened: tc.opened}, tc.opened).Cases[0].Number
			c := f.caseOf(n)
			if at, ok := EligibleAt(&c, f.p); !ok || !at.Equal(tc.eligible) {
				t.Fatalf("eligible at %v, want %v", at, tc.eligible)
			}
			esc := Escalate{Number: n, By: "maria", Channel: ChannelPhone, Justification: "go-live"}
			f.refused("maria", esc, tc.eligible.Add(-time.Second), tc.msg)
			ch := f.mustDo("maria", esc, tc.eligible)
			e := ch.Escalations[0]
			if e.Seq != 1 || e.Status != EscRequested || e.RecordedBy != "maria" || !e.RequestedAt.Equal(tc.eligible) {
				t.Fatalf("escalation %+v", e)
			}
		})
	}
	f := newFixture(t)
	n := f.open("acme", 4, t0)
	f.refused("maria", Escalate{Number: n, By: "maria", Channel: ChannelPhone, Justification: "x"}, t0.Add(400*24*time.Hour),
		"cannot escalate 00000001: severity 4 requests are not eligible (feature requests go to product management)")
}

// eligibleCase opens an acme severity-2 case owned by sam at t0 and
// returns it with an instant at which it is eligible.
func eligibleCase(f *fixture) (int64, time.Time) {
	n := f.caseIn(StatusInProgress, "sam", t0)
	return n, time.Date(2026, 11, 24, 10, 0, 0, 0, et)
}

func TestEscalationRequesters(t *testing.T) {
	ok := []string{"sam", "lee", "maria", "max", "tina"}
	for _, k := range RequesterKinds() {
		ok = append(ok, k+":Somebody Else")
	}
	for _, by := range ok {
		f := newFixture(t)
		n, at := eligibleCase(f)
		ch := f.mustDo("lee", Escalate{Number: n, By: by, Channel: ChannelPortal, Justification: "x"}, at)
		if e := ch.Escalations[0]; e.RequestedBy != by || e.RecordedBy != "lee" {
			t.Fatalf("by %s: %+v", by, e)
		}
	}
	refusals := map[string]string{
		"tom":              "cannot escalate 00000001: tom is not the TAM of acme",
		"wally":            "cannot escalate 00000001: wally is a wall and may not request an escalation",
		"zed":              "cannot escalate 00000001: zed is not a user (outside the team, give KIND:NAME)",
		"boss:Big Boss":    `cannot escalate 00000001: "boss" is not a requester kind (contact, customer-admin, developer, partner, community, csm, customer-manager)`,
		"contact:":         "cannot escalate 00000001: the requester contact needs a name (contact:NAME)",
		"":                 "cannot escalate 00000001: who requests it? a user id or KIND:NAME (contact, customer-admin, developer, partner, community, csm, customer-manager)",
		"customer-admin: ": "cannot escalate 00000001: the requester customer-admin needs a name (customer-admin:NAME)",
	}
	for by, msg := range refusals {
		f := newFixture(t)
		n, at := eligibleCase(f)
		f.refused("sam", Escalate{Number: n, By: by, Channel: ChannelPhone, Justification: "x"}, at, msg)
	}
	f := newFixture(t)
	n, at := eligibleCase(f)
	f.refused("sam", Escalate{Number: n, By: "sam", Channel: "email", Justification: "x"}, at, `cannot escalate 00000001: channel "email" is not phone or portal`)
	f.refused("sam", Escalate{Number: n, By: "sam", Channel: "phone"}, at, "cannot escalate 00000001: a written justification is needed")
	f.refused("tom", Escalate{Number: n, By: "contact:Ana", Channel: "phone", Justification: "x"}, at, "tom may not escalate 00000001: tom is not the TAM of acme")
	f.mustDo("tina", Escalate{Number: n, By: "contact:Ana", Channel: "phone", Justification: "x"}, at)
	f.refused("sam", Escalate{Number: n, By: "sam", Channel: "phone", Justification: "x"}, at, "cannot escalate 00000001: its escalation is already open (requested)")
}

func TestEscalationOutcomes(t *testing.T) {
	for _, outcome := range []string{"accept+close:root-cause", "accept+close:timeline", "accept+close:fix", "decline", "deescalate"} {
		t.Run(outcome, func(t *testing.T) {
			f := newFixture(t)
			n, at := eligibleCase(f)
			f.mustDo("sam", Escalate{Number: n, By: "contact:Ana Ruiz", Channel: ChannelPhone, Justification: "go-live Friday"}, at)
			f.refused("maria", UpdateEscalation{Number: n, Summary: "x"}, at, "cannot update the escalation of 00000001: its escalation is requested, not accepted")
			f.refused("maria", CloseEscalation{Number: n, Outcome: "fix", Summary: "x"}, at, "cannot close the escalation of 00000001: its escalation is requested, not accepted")
			f.refused("maria", DeescalateEscalation{Number: n, Reason: "x"}, at, "cannot de-escalate 00000001: its escalation is requested, not accepted")
			step := func(e Escalation) int { return EscalationProgress(&e, f.p).Current }
			e, _ := f.d.Escalation(n)
			if step(e) != 1 {
				t.Fatalf("requested: step %d, want 1 (Identification)", step(e))
			}
			dec := at.Add(25 * time.Minute)
			switch outcome {
			case "decline":
				f.refused("maria", DeclineEscalation{Number: n}, dec, "cannot decline the escalation of 00000001: the reason told to the customer is needed")
				f.mustDo("maria", DeclineEscalation{Number: n, Reason: "within normal process"}, dec)
				e, _ := f.d.Escalation(n)
				if e.Status != EscDeclined || !e.FollowedUpAt.Equal(dec) || !e.DecidedAt.Equal(dec) || !e.EndedAt.Equal(dec) {
					t.Fatalf("declined %+v", e)
				}
				if p := EscalationProgress(&e, f.p); !p.Ended || p.Current != 2 {
					t.Fatalf("declined progress %+v", p)
				}
				// A new escalation may follow an ended one.
				ch := f.mustDo("sam", Escalate{Number: n, By: "sam", Channel: ChannelPortal, Justification: "again"}, dec.Add(time.Hour))
				if ch.Escalations[0].Seq != 2 {
					t.Fatalf("second escalation seq %d", ch.Escalations[0].Seq)
				}
				checkReplay(t, f)
				return
			}
			f.mustDo("maria", EscalationFollowup{Number: n, At: at.Add(10 * time.Minute)}, dec)
			f.refused("maria", EscalationFollowup{Number: n}, dec, "cannot follow up the escalation of 00000001: the follow-up was already logged at Tue 24 Nov 10:10 ET")
			f.refused("maria", AcceptEscalation{Number: n}, dec, "cannot accept the escalation of 00000001: the agreed update frequency is needed (like 4h)")
			f.mustDo("maria", AcceptEscalation{Number: n, Every: 4 * time.Hour}, dec)
			f.refused("maria", AcceptEscalation{Number: n, Every: time.Hour}, dec, "cannot accept the escalation of 00000001: its escalation is accepted, not requested")
			e, _ = f.d.Escalation(n)
			if e.Status != EscAccepted || !e.FollowedUpAt.Equal(at.Add(10*time.Minute)) || e.UpdateEvery != 4*time.Hour {
				t.Fatalf("accepted %+v", e)
			}
			f.refused("lee", UpdateEscalation{Number: n, Summary: "x"}, dec, "lee may not update the escalation of 00000001: it is owned by sam")
			f.refused("sam", UpdateEscalation{Number: n}, dec, "cannot update the escalation of 00000001: the update needs a summary")
			ch := f.mustDo("sam", UpdateEscalation{Number: n, Summary: "patch in QA"}, dec.Add(time.Hour))
			if ev := ch.Events[0]; string(ev.Before) != `{"updates":[]}` ||
				string(ev.After) != `{"updates":[{"at":"2026-11-24T11:25:00-05:00","by":"sam","summary":"patch in QA"}]}` {
				t.Fatalf("updated event %s -> %s", ev.Before, ev.After)
			}
			f.mustDo("maria", UpdateEscalation{Number: n, Summary: "deployed to staging"}, dec.Add(2*time.Hour))
			end := dec.Add(3 * time.Hour)
			if outcome == "deescalate" {
				f.refused("maria", DeescalateEscalation{Number: n}, end, "cannot de-escalate 00000001: the reason told to the customer is needed")
				f.mustDo("maria", DeescalateEscalation{Number: n, Reason: "no test environment provided"}, end)
				e, _ = f.d.Escalation(n)
				if e.Status != EscDeescalated || !e.EndedAt.Equal(end) {
					t.Fatalf("de-escalated %+v", e)
				}
			} else {
				oc := strings.TrimPrefix(outcome, "accept+close:")
				f.refused("maria", CloseEscalation{Number: n, Outcome: "done", Summary: "x"}, end,
					`cannot close the escalation of 00000001: "done" is not an outcome (root-cause, timeline, fix)`)
				f.refused("maria", CloseEscalation{Number: n, Outcome: oc}, end, "cannot close the escalation of 00000001: the final summary is needed")
				f.refused("sam", CloseEscalation{Number: n, Outcome: oc, Summary: "x"}, end, "sam may not close the escalation of 00000001: only a manager may")
				f.mustDo("maria", CloseEscalation{Number: n, Outcome: oc, Summary: "root cause was a stale lock"}, end)
				e, _ = f.d.Escalation(n)
				if e.Status != EscClosed || e.Outcome != oc || !e.EndedAt.Equal(end) {
					t.Fatalf("closed %+v", e)
				}
				if p := EscalationProgress(&e, f.p); p.Current != 4 {
					t.Fatalf("closed progress %+v", p)
				}
			}
			f.refused("maria", UpdateEscalation{Number: n, Summary: "x"}, end, "cannot update the escalation of 00000001: its escalation is "+e.Status+", not accepted")
			f.mustDo("sam", CloseCase{Number: n, Reason: ReasonResolved}, end)
			f.refused("sam", Escalate{Number: n, By: "sam", Channel: "phone", Justification: "x"}, end, "cannot escalate 00000001: it is closed")
			checkReplay(t, f)
		})
	}
	f := newFixture(t)
	n := f.open("acme", 2, t0)
	f.refused("maria", AcceptEscalation{Number: n, Every: time.Hour}, t0, "cannot accept the escalation of 00000001: it has no escalation")
	f.refused("sam", EscalationFollowup{Number: n}, t0, "sam may not follow up the escalation of 00000001: only a manager may")
}

func TestEscalationStepsAndStakeholders(t *testing.T) {
	p := DefaultPolicy()
	steps := EscalationSteps(p)
	if len(steps) != 4 || steps[0].Name != "Request" || steps[3].Name != "Closure" ||
		!strings.Contains(steps[1].Sub[1], "within 60 minutes") {
		t.Fatalf("steps %+v", steps)
	}
	e := Escalation{Status: EscRequested, RequestedBy: "contact:Ana Ruiz", RecordedBy: "sam"}
	pr := EscalationProgress(&e, p)
	if pr.Current != 1 || !pr.Done[0][2] || pr.Done[1][1] {
		t.Fatalf("requested progress %+v", pr)
	}
	e.FollowedUpAt = t0
	if pr := EscalationProgress(&e, p); !pr.Done[1][1] || pr.Done[1][2] {
		t.Fatalf("followed-up progress %+v", pr)
	}
	e.Status, e.DecidedAt = EscAccepted, t0
	e.Updates = []EscalationUpdate{{At: t0, By: "maria", Summary: "x"}}
	if pr := EscalationProgress(&e, p); pr.Current != 3 {
		t.Fatalf("accepted progress %+v", pr)
	}
	c := Case{Contact: "Ana Ruiz", Owner: "sam"}
	a := Account{ID: "acme", TAM: "tina", Contacts: []Contact{{Name: "Ana Ruiz", Kind: "contact"},
		{Name: "Dev Dan", Kind: "developer"}, {Name: "Cora", Kind: "csm"}, {Name: "Carl", Kind: "customer-manager"}}}
	var got []string
	for _, s := range Stakeholders(&c, &a, &e) {
		got = append(got, s.Side+"/"+s.Role+"/"+s.Name)
	}
	want := "customer/primary contact/Ana Ruiz, customer/contact (developer)/Dev Dan, customer/management or executives (if required)/, " +
		"support/support management/, support/customer success manager/Cora, support/customer manager/Carl, " +
		"support/case owner/sam, support/TAM/tina, support/sent updates/maria"
	if strings.Join(got, ", ") != want {
		t.Fatalf("stakeholders\n got %s\nwant %s", strings.Join(got, ", "), want)
	}
}
