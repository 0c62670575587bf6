package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// The daily report is the TAM's "daily monitoring and reporting of active
// cases", shared with the customer: every case of one account open at the
// end of a day, its clock at that instant, and what changed since the end
// of the previous business day. A case's state at the end of a past day is
// rebuilt from its events (ReplayCase), so the report of a day reads the
// same tomorrow as it did that evening.

// DailyReportData is an account's daily report.
type DailyReportData struct {
	Account Account
	// Date is the report's day and Previous the business day before it
	// (the account's region calendar), both civil dates in the home zone.
	Date     Date
	Previous Date
	// Since is the end of Previous and AsOf the end of Date, or now when
	// the day is not over yet: changes are the events in (Since, AsOf].
	Since time.Time
	AsOf  time.Time
	// Cases are the open cases at AsOf in queue order.
	Cases []DailyCase

	policy *Policy
}

// DailyCase is one open case of the daily report, as it stood at AsOf.
type DailyCase struct {
	Case Case
	// Item holds the case's clocks at AsOf; Status is its urgent clock
	// seen then (valid when Item.HasClock and not Item.CallRequired).
	Item   QueueItem
	Status ClockStatus
	// Step is the current step of an open escalation ("" without one).
	Step string
	// Changes are the case's events in (Since, AsOf], oldest first.
	Changes []DailyChange
}

// DailyChange is one event of a case told as a sentence.
type DailyChange struct {
	At   time.Time
	By   string
	Kind string
	// Text is the sentence ("note by sam"); not yet inert: renderers make
	// it so for their format.
	Text string
}

// DailyReport builds account's report for day, seen at now. events gives
// a case's audit trail in commit order (nil: none); it is asked only for
// the cases that may have been open in the day (a case without events is
// taken as it stands), and its error ends the report. A day after today
// is an error, as is an unknown account.
func DailyReport(d *Desk, p *Policy, account string, day Date, events func(int64) ([]Event, error), now time.Time) (*DailyReportData, error) {
	a, ok := d.Accounts[account]
	if !ok {
		return nil, fmt.Errorf("no account %q", account)
	}
	home := p.HomeZone()
	if today := DateOf(now, home); today.Before(day) {
		return nil, fmt.Errorf("%s is after today (%s): a daily report tells what happened", day, today)
	}
	r := &DailyReportData{Account: *a, Date: day, policy: p}
	r.Previous = previousBusinessDay(p.RegionCalendar(a.Region), day, home)
	r.Since = r.Previous.addDays(1).Start(home)
	r.AsOf = day.addDays(1).Start(home)
	if now.Before(r.AsOf) {
		r.AsOf = now
	}
	var items []*QueueItem
	byNumber := map[int64]*DailyCase{}
	var failed error
	err := d.EachCaseClosedAfter(r.Since, func(c *Case, escs []Escalation) bool {
		n := c.Number
		// A case closed by the previous day's end and not reopened since
		// was closed all day.
		if c.Account != account || c.OpenedAt.After(r.AsOf) || (!c.IsOpen() && !c.ClosedAt.After(r.Since)) {
			return true
		}
		var evs []Event
		if events != nil {
			var err error
			if evs, err = events(n); err != nil {
				failed = fmt.Errorf("the events of case %s: %w", CaseNumber(n), err)
				return false
			}
		}
		cs, esc := caseAsOf(c, escs, evs, r.AsOf)
		if !cs.IsOpen() {
			return true
		}
		dc := &DailyCase{Case: cs}
		dc.Item = NewQueueItem(&dc.Case, esc, p)
		if dc.Item.HasClock {
			dc.Status = dc.Item.Urgent.At(r.AsOf, p)
		}
		if dc.Item.Escalated {
			pr := EscalationProgress(esc, p)
			if pr.Current < len(pr.Steps) {
				dc.Step = pr.Steps[pr.Current].Name
			} else {
				dc.Step = pr.Steps[len(pr.Steps)-1].Name
			}
		}
		for _, ev := range evs {
			if ev.At.After(r.Since) && !ev.At.After(r.AsOf) && !IsNotCaseKind(ev.Kind) {
				dc.Changes = append(dc.Changes, DailyChange{At: ev.At, By: ev.Actor, Kind: ev.Kind, Text: eventSentence(&ev)})
			}
		}
		sort.SliceStable(dc.Changes, func(i, j int) bool { return dc.Changes[i].At.Before(dc.Changes[j].At) })
		byNumber[n] = dc
		items = append(items, &dc.Item)
		return true
	})
	if failed != nil {
		return nil, failed
	}
	if err != nil {
		return nil, fmt.Errorf("read the closed cases: %w", err)
	}
	sort.Slice(items, func(i, j int) bool { return Less(items[i], items[j], BySeverity) })
	for _, it := range items {
		r.Cases = append(r.Cases, *byNumber[it.Case.Number])
	}
	return r, nil
}

// previousBusinessDay is the last day before day with covered time in cal
// (days in home); a calendar with none in two weeks gives the day before.
func previousBusinessDay(cal *Calendar, day Date, home *time.Location) Date {
	for i := 1; i <= 14; i++ {
		prev := day.addDays(-i)
		if cal.Covered(prev.Start(home), prev.addDays(1).Start(home)) > 0 {
			return prev
		}
	}
	return day.addDays(-1)
}

// caseAsOf is a case and its latest escalation as they stood at asOf:
// the current records when no event of the case is later, else the
// replay of its events up to asOf. A history that cannot be replayed (a
// case imported later as one record) gives the current records, the best
// the desk knows.
func caseAsOf(c *Case, escs []Escalation, evs []Event, asOf time.Time) (Case, *Escalation) {
	latest := func() *Escalation {
		if len(escs) == 0 {
			return nil
		}
		e := escs[len(escs)-1]
		return &e
	}
	var upTo []Event
	later := false
	for _, ev := range evs {
		if IsNotCaseKind(ev.Kind) {
			continue
		}
		if ev.At.After(asOf) {
			later = true
		} else {
			upTo = append(upTo, ev)
		}
	}
	if !later {
		return *c, latest()
	}
	rec, erecs, err := ReplayCase(upTo)
	if err != nil {
		return *c, latest()
	}
	cs, err := CaseFromRecord(rec)
	if err != nil {
		return *c, latest()
	}
	if len(erecs) == 0 {
		return cs, nil
	}
	e, err := EscalationFromRecord(&erecs[len(erecs)-1])
	if err != nil {
		return cs, nil
	}
	e.Case, e.Seq = c.Number, len(erecs)
	return cs, &e
}

// eventSentence tells one event of a case for the customer: who did what,
// with the changed value where it matters ("status in-progress ->
// waiting-customer by sam"). Note and update texts are not repeated: they
// are the desk's own words, and the report goes to the customer.
func eventSentence(ev *Event) string {
	before, after := eventObject(ev.Before), eventObject(ev.After)
	by := ev.Actor
	str := func(m map[string]json.RawMessage, k string) string { return rawString(m[k]) }
	change := func(field, name string) string {
		return fmt.Sprintf("%s %s -> %s by %s", name, OrDash(str(before, field), "none"), OrDash(str(after, field), "none"), by)
	}
	switch ev.Kind {
	case "opened":
		return fmt.Sprintf("opened by %s: Sev %s", by, str(after, "severity"))
	case "taken":
		return "taken by " + by
	case "assigned":
		return fmt.Sprintf("assigned to %s by %s", OrDash(str(after, "owner"), "nobody"), by)
	case "called":
		return "customer phoned (logged by " + by + ")"
	case "responded":
		return "first response by " + by
	case "noted":
		return "note by " + by
	case "status":
		return change("status", "status")
	case "severity":
		return change("severity", "severity")
	case "replied":
		return "customer replied (logged by " + by + ")"
	case "followed-up":
		if _, ok := after["followup2_at"]; ok {
			return "follow-up 2 by " + by
		}
		return "follow-up 1 by " + by
	case "closed":
		return fmt.Sprintf("closed by %s: %s", by, OrDash(str(after, "close_reason"), "closed"))
	case "auto-closed":
		return "closed by caseboard: no response from the customer"
	case "reopened":
		return "reopened by " + by
	case "escalated":
		return "escalation requested (recorded by " + by + ")"
	case "escalation-followed-up":
		return "escalation followed up by " + by
	case "accepted":
		if every := str(after, "update_every"); every != "" {
			return fmt.Sprintf("escalation accepted by %s: updates every %s", by, every)
		}
		return "escalation accepted by " + by
	case "declined":
		return "escalation declined by " + by
	case "updated":
		return "escalation update by " + by
	case "de-escalated":
		return "de-escalated by " + by
	case "escalation-closed":
		if o := str(after, "outcome"); o != "" {
			return fmt.Sprintf("escalation closed by %s: %s", by, OutcomeName(o))
		}
		return "escalation closed by " + by
	case "imported":
		return "imported by " + by
	}
	return ev.Kind + " by " + by
}

// eventObject reads an event's before or after object (nil for none).
func eventObject(raw json.RawMessage) map[string]json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
