package model

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// sender plays a deliverer that remembers the ids it has sent: it walks
// now from `from` to `to` by `step` and records each id once, with the
// instant it was first seen and its alert.
type sender struct {
	t     *testing.T
	seen  map[string]Alert
	order []string
}

func newSender(t *testing.T) *sender { return &sender{t: t, seen: map[string]Alert{}} }

func (s *sender) take(now time.Time, as []Alert) {
	s.t.Helper()
	for _, a := range as {
		if old, ok := s.seen[a.ID]; ok {
			// The same id is the same fact: its instant and text never change.
			if !old.At.Equal(a.At) || old.Text != a.Text || old.Kind != a.Kind {
				s.t.Fatalf("at %s id %s changed: %+v then %+v", now.Format(time.RFC3339), a.ID, old, a)
			}
			continue
		}
		if a.At.After(now) {
			s.t.Fatalf("at %s: alert %s is in the future (%s)", now.Format(time.RFC3339), a.ID, a.At.Format(time.RFC3339))
		}
		s.seen[a.ID] = a
		s.order = append(s.order, a.ID)
	}
}

func (s *sender) walk(from, to time.Time, step time.Duration, f func(now time.Time) []Alert) {
	for now := from; !now.After(to); now = now.Add(step) {
		s.take(now, f(now))
	}
}

func wantIDs(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alerts sent:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func caseAlertsAt(c *Case, p *Policy) func(time.Time) []Alert {
	return func(now time.Time) []Alert { return CaseAlerts(c, nil, nil, p, now) }
}

// Basic NA sev 2 (8h) logged Thu 2026-12-24 13:20 ET: 7h40m on Thursday,
// Christmas Friday closed, the weekend, 20m from Mon 28 Dec 06:00: due
// 06:20 ET. The 60m and 30m steps (05:20, 05:50) fall while paused: both
// wait for the 06:00 opening, where only the 30m one is sent (20m left);
// 15m at 06:05; breached at 06:20:01.
func TestAlertLadderAcrossHolidayAndWeekend(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Number: 1042, Account: "umbrella", Severity: 2, Plan: Basic, Region: NA, Status: StatusNew,
		Title: "Index rebuild stuck", OpenedAt: at(t, "2026-12-24T13:20:00-05:00")}
	wantDue(t, ResponseClock(c, p), "2026-12-28T06:20:00-05:00")
	f := caseAlertsAt(c, p)
	for _, quiet := range []string{"2026-12-24T20:59:59-05:00", "2026-12-25T12:00:00-05:00",
		"2026-12-27T23:59:00-05:00", "2026-12-28T05:50:00-05:00", "2026-12-28T05:59:59-05:00"} {
		if as := f(at(t, quiet)); len(as) != 0 {
			t.Fatalf("at %s (paused): %+v", quiet, as)
		}
	}
	s := newSender(t)
	s.walk(at(t, "2026-12-24T13:20:00-05:00"), at(t, "2026-12-29T00:00:00-05:00"), 15*time.Second, f)
	due := at(t, "2026-12-28T06:20:00-05:00").Unix()
	id := func(kind, step string) string {
		return kind + "/00001042/initial-response/" + itoa(due) + "/" + step
	}
	wantIDs(t, s.order, id("due-soon", "30m"), id("due-soon", "15m"), id("breached", "breached"))
	a30 := s.seen[id("due-soon", "30m")]
	if !a30.At.Equal(at(t, "2026-12-28T06:00:00-05:00")) {
		t.Fatalf("30m step at %s, want the opening", a30.At)
	}
	if want := "00001042 umbrella sev 2: initial response due in 20m (Mon 28 Dec 06:20 ET)"; a30.Text != want {
		t.Fatalf("text %q, want %q", a30.Text, want)
	}
	if a := s.seen[id("due-soon", "15m")]; !a.At.Equal(at(t, "2026-12-28T06:05:00-05:00")) {
		t.Fatalf("15m step at %s", a.At)
	}
	b := s.seen[id("breached", "breached")]
	if !b.At.Equal(at(t, "2026-12-28T06:20:00-05:00")) || b.Kind != AlertBreached {
		t.Fatalf("breach %+v", b)
	}
	// Exactly at due nothing is breached yet.
	for _, a := range f(at(t, "2026-12-28T06:20:00-05:00")) {
		if a.Kind == AlertBreached {
			t.Fatalf("breached at due: %+v", a)
		}
	}
	// Unowned: for managers and the region's specialists.
	if !a30.ForUser(User{ID: "sam", Role: Specialist, Region: NA}) || a30.ForUser(User{ID: "eve", Role: Specialist, Region: EMEA}) ||
		!a30.ForUser(User{ID: "maria", Role: Manager}) || a30.ForUser(User{ID: "tom", Role: TAM}) {
		t.Fatalf("audience %+v", a30.For)
	}
}

// Premium EMEA sev 2 (2h) logged Sat 2026-11-21 00:30Z, in Friday's shift:
// 1h30m until 02:00, 30m from Mon 11:00: due Mon 11:30Z. At Sat 01:30Z an
// hour of working time is left, but the clock is 58 hours from due: no
// warning. Mon 11:00 (the 60m step waited for the opening, the 30m step is
// the opening): one 30m alert; 15m at 11:15.
func TestAlertLadderAcrossEMEAWeekend(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Number: 7, Account: "globex", Severity: 2, Plan: Premium, Region: EMEA, Status: StatusAssigned,
		Owner: "eve", OpenedAt: at(t, "2026-11-21T00:30:00Z")}
	wantDue(t, ResponseClock(c, p), "2026-11-23T11:30:00Z")
	s := newSender(t)
	s.walk(at(t, "2026-11-21T00:30:00Z"), at(t, "2026-11-23T11:30:00Z"), time.Minute, caseAlertsAt(c, p))
	wantIDs(t, s.order, "due-soon/00000007/initial-response/"+itoa(at(t, "2026-11-23T11:30:00Z").Unix())+"/30m",
		"due-soon/00000007/initial-response/"+itoa(at(t, "2026-11-23T11:30:00Z").Unix())+"/15m")
	a := s.seen[s.order[0]]
	if !a.At.Equal(at(t, "2026-11-23T11:00:00Z")) {
		t.Fatalf("first warning at %s", a.At)
	}
	// Owned: for the owner and managers, not the other specialists.
	if !a.ForUser(User{ID: "eve", Role: Specialist, Region: EMEA}) || a.ForUser(User{ID: "ed", Role: Specialist, Region: EMEA}) {
		t.Fatalf("audience %+v", a.For)
	}
	// A response stops the clock: nothing more, not even the breach.
	c.RespondedAt, c.Status = at(t, "2026-11-23T11:20:00Z"), StatusInProgress
	if as := CaseAlerts(c, nil, nil, p, at(t, "2026-11-23T12:00:00Z")); len(as) != 0 {
		t.Fatalf("after the response: %+v", as)
	}
}

// Premium NA sev 1 opened Sat 2026-11-21 02:00Z with no call: call
// required at 02:10 (the weekend does not matter). Phoned at 03:00Z: due
// 04:00Z around the clock; the 60m step is the whole target (skipped),
// 30m at 03:30, 15m at 03:45, breached at 04:00:01.
func TestAlertSeverityOneAroundTheClock(t *testing.T) {
	p := DefaultPolicy()
	acme := &Account{ID: "acme", TAM: "tina", Region: NA}
	c := &Case{Number: 9, Account: "acme", Severity: 1, Plan: Premium, Region: NA, Status: StatusNew,
		OpenedAt: at(t, "2026-11-21T02:00:00Z")}
	f := func(now time.Time) []Alert { return CaseAlerts(c, nil, acme, p, now) }
	if as := f(at(t, "2026-11-21T02:09:59Z")); len(as) != 0 {
		t.Fatalf("before 10 minutes: %+v", as)
	}
	as := f(at(t, "2026-11-21T02:10:00Z"))
	if len(as) != 1 || as[0].ID != "call-required/00000009" || !as[0].At.Equal(at(t, "2026-11-21T02:10:00Z")) {
		t.Fatalf("at 10 minutes: %+v", as)
	}
	if !as[0].ForUser(User{ID: "sam", Role: Specialist, Region: NA}) {
		t.Fatalf("call-required not for the region's specialists: %+v", as[0].For)
	}
	s := newSender(t)
	s.walk(at(t, "2026-11-21T02:00:00Z"), at(t, "2026-11-21T02:59:00Z"), time.Minute, f)
	c.PhonedAt = at(t, "2026-11-21T03:00:00Z")
	s.walk(at(t, "2026-11-21T03:00:00Z"), at(t, "2026-11-21T05:00:00Z"), 30*time.Second, f)
	due := itoa(at(t, "2026-11-21T04:00:00Z").Unix())
	wantIDs(t, s.order, "call-required/00000009",
		"due-soon/00000009/initial-response/"+due+"/30m",
		"due-soon/00000009/initial-response/"+due+"/15m",
		"breached/00000009/initial-response/"+due+"/breached")
	if a := s.seen["due-soon/00000009/initial-response/"+due+"/30m"]; !a.At.Equal(at(t, "2026-11-21T03:30:00Z")) {
		t.Fatalf("30m at %s", a.At)
	}
	// The breach also reaches the account's TAM.
	if b := s.seen["breached/00000009/initial-response/"+due+"/breached"]; !b.ForUser(User{ID: "tina", Role: TAM}) {
		t.Fatalf("breach audience %+v", b.For)
	}
}

// TAM 20 is 1200 minutes: 80% is 960. The highest threshold reached is
// the one alerted, once per month.
func TestAlertBankThresholds(t *testing.T) {
	p := DefaultPolicy()
	a := &Account{ID: "umbrella", TAMPlan: "tam20", TAM: "tom", Region: NA}
	// 2026-12-01 04:00Z is still 30 November in New York.
	now := at(t, "2026-12-01T04:00:00Z")
	for _, tc := range []struct {
		used int
		id   string
	}{{0, ""}, {959, ""}, {960, "bank/umbrella/2026-11/80"}, {1199, "bank/umbrella/2026-11/80"},
		{1200, "bank/umbrella/2026-11/100"}} {
		al, ok := BankAlert(a, tc.used, p, now)
		if tc.id == "" {
			if ok {
				t.Fatalf("used %d: %+v", tc.used, al)
			}
			continue
		}
		if !ok || al.ID != tc.id {
			t.Fatalf("used %d: %+v, want %s", tc.used, al, tc.id)
		}
		if !al.ForUser(User{ID: "tom", Role: TAM}) || al.ForUser(User{ID: "tina", Role: TAM}) {
			t.Fatalf("audience %+v", al.For)
		}
	}
	al, _ := BankAlert(a, 960, p, now)
	if want := "umbrella: 80% of 2026-11's TAM 20 bank used (16h00m of 20h00m)"; al.Text != want {
		t.Fatalf("text %q, want %q", al.Text, want)
	}
	if _, ok := BankAlert(&Account{ID: "globex", TAMPlan: TAMNone}, 5000, p, now); ok {
		t.Fatal("an account without a TAM plan has no bank alert")
	}
}

// An escalation requested Mon 2026-11-23 16:30 ET: 30m of escalation
// hours on Monday, 30m from Tuesday 08:00: the follow-up is due Tue
// 08:30 ET. No warning in the evening; 30m at 08:00, 15m at 08:15, then
// overdue. The request itself alerts once, from its event.
func TestAlertEscalationFollowUp(t *testing.T) {
	f := newFixture(t)
	n := f.open("acme", 2, at(t, "2026-11-16T09:00:00-05:00"))
	f.mustDo("maria", AssignCase{Number: n, To: "sam"}, at(t, "2026-11-16T09:00:00-05:00"))
	f.mustDo("sam", RespondCase{Number: n}, at(t, "2026-11-16T09:30:00-05:00"))
	f.mustDo("sam", Escalate{Number: n, By: "sam", Channel: ChannelPhone, Justification: "go-live\x1b[31m"}, at(t, "2026-11-23T16:30:00-05:00"))
	s := newSender(t)
	s.walk(at(t, "2026-11-23T16:30:00-05:00"), at(t, "2026-11-24T09:00:00-05:00"), time.Minute,
		func(now time.Time) []Alert { return DueAlerts(f.d, f.p, now) })
	due := itoa(at(t, "2026-11-24T08:30:00-05:00").Unix())
	cn := CaseNumber(n)
	wantIDs(t, s.order, "new-case/"+cn,
		"escalation-requested/"+cn+"/"+itoa(at(t, "2026-11-23T16:30:00-05:00").Unix()),
		"escalation-follow-up-due/"+cn+"/escalation-follow-up/"+due+"/30m",
		"escalation-follow-up-due/"+cn+"/escalation-follow-up/"+due+"/15m",
		"escalation-follow-up-due/"+cn+"/escalation-follow-up/"+due+"/breached")
	fu := s.seen["escalation-follow-up-due/"+cn+"/escalation-follow-up/"+due+"/30m"]
	if !fu.At.Equal(at(t, "2026-11-24T08:00:00-05:00")) || !fu.ForUser(User{ID: "max", Role: Manager}) || fu.ForUser(User{ID: "sam", Role: Specialist, Region: NA}) {
		t.Fatalf("follow-up alert %+v", fu)
	}
	req := s.seen["escalation-requested/"+cn+"/"+itoa(at(t, "2026-11-23T16:30:00-05:00").Unix())]
	if !req.ForUser(User{ID: "tina", Role: TAM}) || !req.ForUser(User{ID: "sam", Role: Specialist}) {
		t.Fatalf("request audience %+v", req.For)
	}
}

// Every event kind that alerts, and text made inert.
func TestAlertEventsAndInertText(t *testing.T) {
	f := newFixture(t)
	t0 := at(t, "2026-11-16T09:00:00-05:00")
	ch := f.mustDo("maria", NewCase{Account: "acme", Severity: 1, Title: "down\x1b]8;;evil\x07 now", Contact: "Ana Ruiz"}, t0)
	n := ch.Cases[0].Number
	as := DueAlerts(f.d, f.p, t0)
	if len(as) != 1 || as[0].Kind != AlertNewCase || as[0].At != t0 {
		t.Fatalf("after opening: %+v", as)
	}
	if strings.ContainsAny(as[0].Text, "\x1b\x07") || !strings.Contains(as[0].Text, "down^[]8;;evil^G now") {
		t.Fatalf("text not inert: %q", as[0].Text)
	}
	// Severity 1: managers, the TAM and the region's specialists.
	for _, u := range []User{{ID: "maria", Role: Manager}, {ID: "tina", Role: TAM}, {ID: "sam", Role: Specialist, Region: NA}} {
		if !as[0].ForUser(u) {
			t.Fatalf("new sev 1 case not for %s: %+v", u.ID, as[0].For)
		}
	}
	if as[0].ForUser(User{ID: "tom", Role: TAM}) || as[0].ForUser(User{ID: "eve", Role: Specialist, Region: EMEA}) {
		t.Fatalf("new case for the wrong people: %+v", as[0].For)
	}
	f.mustDo("maria", AssignCase{Number: n, To: "sam"}, t0)
	f.mustDo("sam", CallCase{Number: n}, t0)
	f.mustDo("sam", RespondCase{Number: n}, t0)
	f.mustDo("sam", CloseCase{Number: n, Reason: ReasonResolved}, t0.Add(time.Hour))
	f.mustDo("sam", ReopenCase{Number: n}, t0.Add(2*time.Hour))
	var kinds []string
	for _, a := range DueAlerts(f.d, f.p, t0.Add(3*time.Hour)) {
		kinds = append(kinds, string(a.Kind))
	}
	if got := strings.Join(kinds, ","); got != "new-case,reopened" {
		t.Fatalf("kinds %s", got)
	}
}

func TestAlertPolicy(t *testing.T) {
	p := DefaultPolicy()
	if got := p.Alerts; len(got.Before) != 3 || got.Before[0] != time.Hour || got.Before[2] != 15*time.Minute ||
		len(got.Bank) != 2 || got.Bank[1] != 100 || got.CallAfter != 10*time.Minute {
		t.Fatalf("default alerts %+v", got)
	}
	// A policy file from before alerts: the defaults.
	src := string(DefaultPolicyTOML())
	old := src[:strings.Index(src, "\n[alerts]")]
	q, err := ParsePolicy([]byte(old), "old.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Alerts.Before) != 3 || len(q.Alerts.Bank) != 2 {
		t.Fatalf("old policy alerts %+v", q.Alerts)
	}
	q, err = ParsePolicy(edit(t, `before = ["60m", "30m", "15m"]`, `before = ["5m", "2h"]`), "p.toml")
	if err != nil || q.Alerts.Before[0] != 2*time.Hour || q.Alerts.Before[1] != 5*time.Minute {
		t.Fatalf("ladder in order: %+v %v", q, err)
	}
	for _, tc := range []struct{ old, new, msg string }{
		{`bank = [80, 100]`, `bank = [80, 120]`, "policy p.toml: alerts.bank[1]: 120 is not a percent from 1 to 100"},
		{`before = ["60m", "30m", "15m"]`, `before = ["60m", "1h"]`, "policy p.toml: alerts.before: 1h is given twice"},
		{`call_required_after = "10m"`, `call_required_after = "soon"`, `policy p.toml: alerts.call_required_after: "soon" is not a duration (like "90m" or "4h")`},
	} {
		_, err := ParsePolicy(edit(t, tc.old, tc.new), "p.toml")
		if err == nil || err.Error() != tc.msg {
			t.Errorf("%s: %v, want %s", tc.new, err, tc.msg)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// auto-closed goes to the owner and the TAM; an event of no alerting kind
// raises nothing.
func TestAlertAutoClosedEvent(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Number: 5, Account: "acme", Severity: 3, Region: NA, Status: StatusClosed, Owner: "lee"}
	acme := &Account{ID: "acme", TAM: "tina"}
	ev := &Event{Case: 5, Kind: "auto-closed", At: at(t, "2026-11-27T10:00:00-05:00")}
	as := EventAlerts(ev, c, acme, p)
	if len(as) != 1 || as[0].Kind != AlertAutoClosed || as[0].ID != "auto-closed/00000005/"+itoa(ev.At.Unix()) ||
		!as[0].ForUser(User{ID: "lee", Role: Specialist}) || !as[0].ForUser(User{ID: "tina", Role: TAM}) ||
		as[0].ForUser(User{ID: "maria", Role: Manager}) {
		t.Fatalf("auto-closed: %+v", as)
	}
	if as := EventAlerts(&Event{Case: 5, Kind: "noted"}, c, acme, p); len(as) != 0 {
		t.Fatalf("noted: %+v", as)
	}
}

// NextAlertAt names each instant the holiday ladder changes, so a holder
// that sleeps until it misses nothing: walking from one to the next gives
// the alerts of a walk by the second.
func TestNextAlertAtFollowsTheLadder(t *testing.T) {
	p := DefaultPolicy()
	c := &Case{Number: 1042, Account: "umbrella", Severity: 2, Plan: Basic, Region: NA, Status: StatusNew,
		OpenedAt: at(t, "2026-12-24T13:20:00-05:00")}
	var stops []string
	s := newSender(t)
	now := c.OpenedAt
	for i := 0; i < 10; i++ {
		s.take(now, CaseAlerts(c, nil, nil, p, now))
		next := NextAlertAt(c, nil, p, now)
		if next.IsZero() {
			break
		}
		stops = append(stops, next.Format(time.RFC3339))
		now = next
	}
	want := "2026-12-28T06:00:00-05:00 2026-12-28T06:05:00-05:00 2026-12-28T06:20:01-05:00"
	if got := strings.Join(stops, " "); got != want {
		t.Fatalf("stops %s, want %s", got, want)
	}
	if len(s.order) != 3 {
		t.Fatalf("sent %v", s.order)
	}
	// Severity 1 without a call: call-required at +10m, then nothing until a call.
	c1 := &Case{Number: 9, Severity: 1, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: at(t, "2026-11-21T02:00:00Z")}
	if got := NextAlertAt(c1, nil, p, c1.OpenedAt); !got.Equal(at(t, "2026-11-21T02:10:00Z")) {
		t.Fatalf("sev 1 next %s", got)
	}
	if got := NextAlertAt(c1, nil, p, at(t, "2026-11-21T02:10:00Z")); !got.IsZero() {
		t.Fatalf("after call-required: %s", got)
	}
}
