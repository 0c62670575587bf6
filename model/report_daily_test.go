package model

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// dailyFixture is acme's desk around Tue 24 Nov 2026 (previous business
// day Mon 23), seen at Wed 25 Nov 12:00 ET:
//
//	1 sev 3, sam, in-progress since Fri 20: Tue 10:00 note, 11:00 waiting-customer;
//	  Wed 09:00 the customer replied (after the day: not in the report)
//	2 sev 4, lee, in-progress since Thu 19, hostile title: no change on Tue
//	3 sev 2, sam, escalated Tue 13:00 by sam, followed up 13:30 by maria
//	  (Identification); accepted Wed 10:00 (after the day)
//	4 sev 2 opened Tue 09:00, never answered: due 11:00, breached
//	5 sev 3 opened Tue 20:00: 1h of 6h covered, paused until Wed 06:00
//	6 closed Tue 15:00, 7 opened Wed, 8 globex's: none in the report
func dailyFixture(t *testing.T) *fixture {
	f := newFixture(t)
	fri := t0                                      // Fri 20 Nov 10:00 ET
	tue := time.Date(2026, 11, 24, 0, 0, 0, 0, et) // the report's day
	at := func(day time.Time, h, m int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	wed := tue.Add(24 * time.Hour)

	c1 := f.open("acme", 3, fri)
	f.mustDo("maria", AssignCase{Number: c1, To: "sam"}, fri)
	f.mustDo("sam", RespondCase{Number: c1}, fri.Add(30*time.Minute))
	f.mustDo("sam", NoteCase{Number: c1, Text: "=cmd|' /C calc'!A0 | asked for logs"}, at(tue, 10, 0))
	f.mustDo("sam", SetStatus{Number: c1, To: StatusWaitingCustomer}, at(tue, 11, 0))
	f.mustDo("sam", ReplyCase{Number: c1}, at(wed, 9, 0))

	c2 := f.mustDo("maria", NewCase{Account: "acme", Severity: 4, Title: "=HYPERLINK(\"http://evil\") | pipe \x1b[31mred",
		Contact: "Ana Ruiz"}, fri.Add(-24*time.Hour)).Cases[0].Number
	f.mustDo("maria", AssignCase{Number: c2, To: "lee"}, fri.Add(-24*time.Hour))
	f.mustDo("lee", RespondCase{Number: c2}, fri.Add(-23*time.Hour))

	c3 := f.caseIn(StatusInProgress, "sam", fri)
	f.mustDo("sam", Escalate{Number: c3, By: "sam", Channel: ChannelPhone, Justification: "production down"}, at(tue, 13, 0))
	f.mustDo("maria", EscalationFollowup{Number: c3}, at(tue, 13, 30))
	f.mustDo("maria", AcceptEscalation{Number: c3, Every: 4 * time.Hour}, at(wed, 10, 0))

	f.open("acme", 2, at(tue, 9, 0))
	f.open("acme", 3, at(tue, 20, 0))

	c6 := f.caseIn(StatusInProgress, "lee", at(tue.Add(-24*time.Hour), 9, 0))
	f.mustDo("lee", CloseCase{Number: c6, Reason: ReasonResolved}, at(tue, 15, 0))
	f.open("acme", 2, at(wed, 8, 0))
	f.open("initech", 2, at(tue, 9, 0))
	return f
}

func dailyEvents(d *Desk) func(int64) ([]Event, error) {
	m := map[int64][]Event{}
	for _, ev := range d.Events {
		if ev.Case != 0 {
			m[ev.Case] = append(m[ev.Case], ev)
		}
	}
	return func(n int64) ([]Event, error) { return m[n], nil }
}

func renderDaily(t *testing.T, f func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDailyReportGolden renders acme's report of Tue 24 Nov in its three
// formats; the figures are checked by hand in TestDailyReportFigures.
func TestDailyReportGolden(t *testing.T) {
	f := dailyFixture(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, et)
	r, err := DailyReport(f.d, f.p, "acme", Date{2026, time.November, 24}, dailyEvents(f.d), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		name   string
		render func(io.Writer) error
	}{{"daily-acme.md", r.RenderMarkdown}, {"daily-acme.csv", r.RenderCSV}, {"daily-acme.json", r.RenderJSON}} {
		got := renderDaily(t, x.render)
		t.Run(x.name, func(t *testing.T) { requireGolden(t, got) })
		if bytes.ContainsRune(got, '\x1b') {
			t.Errorf("%s: an escape reached the report", x.name)
		}
	}
}

// TestDailyReportFigures checks the report's rows by hand.
func TestDailyReportFigures(t *testing.T) {
	f := dailyFixture(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, et)
	r, err := DailyReport(f.d, f.p, "acme", Date{2026, time.November, 24}, dailyEvents(f.d), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Previous != (Date{2026, time.November, 23}) || !r.AsOf.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, et)) {
		t.Fatalf("previous %s, as of %s", r.Previous, r.AsOf)
	}
	var b bytes.Buffer
	if err := r.RenderJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []dailyCaseJSON `json:"cases"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[int64]dailyCaseJSON{}
	var order []int64
	for _, c := range doc.Cases {
		got[c.Number] = c
		order = append(order, c.Number)
	}
	if len(order) != 5 {
		t.Fatalf("cases %v, want 1..5 (closed, later and other accounts' left out)", order)
	}
	texts := func(c dailyCaseJSON) string {
		var s []string
		for _, ch := range c.Changes {
			s = append(s, ch.Text)
		}
		return strings.Join(s, "; ")
	}
	// The desk has moved on since: the report must show Tuesday's state.
	if f.caseOf(1).Status == StatusWaitingCustomer {
		t.Fatal("case 1 is still waiting for the customer: the fixture does not test the replay")
	}
	if e, _ := f.d.Escalation(3); e.Status != EscAccepted {
		t.Fatalf("case 3's escalation is %s now, want accepted", e.Status)
	}
	// 1 changed that day; the reply of Wednesday is not in it.
	if c := got[1]; c.Status != "waiting-customer" || texts(c) != "note by sam; status in-progress -> waiting-customer by sam" ||
		c.Clock == nil || *c.Clock != "customer-follow-up" {
		t.Errorf("case 1: %+v (%s)", c, texts(c))
	}
	// 2 did not change.
	if c := got[2]; len(c.Changes) != 0 || c.Status != "in-progress" {
		t.Errorf("case 2: %+v", c)
	}
	// 3 escalated on the day, still requested at its end.
	if c := got[3]; c.Escalation == nil || *c.Escalation != EscRequested || c.EscalationStep == nil ||
		*c.EscalationStep != "Identification" ||
		texts(c) != "escalation requested (recorded by sam); escalation followed up by maria" {
		t.Errorf("case 3: %+v (%s)", c, texts(c))
	}
	// 4 breached at 11:00: 13h late at midnight.
	if c := got[4]; !c.Breached || c.RemainingSeconds == nil || *c.RemainingSeconds != -13*3600 || c.Due == nil ||
		*c.Due != "2026-11-24T11:00:00-05:00" || texts(c) != "opened by maria: Sev 2" {
		t.Errorf("case 4: %+v", c)
	}
	// 5 paused overnight with 5h of 6h left.
	if c := got[5]; !c.Paused || c.Breached || c.ResumesAt == nil || *c.ResumesAt != "2026-11-25T06:00:00-05:00" {
		t.Errorf("case 5: %+v", c)
	}
}

// TestDailyReportRefuses: a day after today and an unknown account.
func TestDailyReportRefuses(t *testing.T) {
	f := dailyFixture(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, et)
	if _, err := DailyReport(f.d, f.p, "acme", Date{2026, time.November, 26}, nil, now); err == nil ||
		err.Error() != "2026-11-26 is after today (2026-11-25): a daily report tells what happened" {
		t.Errorf("tomorrow: %v", err)
	}
	if _, err := DailyReport(f.d, f.p, "nope", Date{2026, time.November, 24}, nil, now); err == nil {
		t.Error("unknown account: no error")
	}
	// Today: as of now, not the day's end.
	r, err := DailyReport(f.d, f.p, "acme", Date{2026, time.November, 25}, dailyEvents(f.d), now)
	if err != nil || !r.AsOf.Equal(now) || r.Previous != (Date{2026, time.November, 24}) {
		t.Fatalf("today: %v %+v", err, r)
	}
}
