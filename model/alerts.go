package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// AlertKind names what an alert is about (the interchange names).
type AlertKind string

// The alert kinds.
const (
	AlertNewCase               AlertKind = "new-case"
	AlertCallRequired          AlertKind = "call-required"
	AlertDueSoon               AlertKind = "due-soon"
	AlertBreached              AlertKind = "breached"
	AlertEscalationRequested   AlertKind = "escalation-requested"
	AlertEscalationFollowupDue AlertKind = "escalation-follow-up-due"
	AlertEscalationUpdateDue   AlertKind = "escalation-update-due"
	AlertBank                  AlertKind = "bank"
	AlertAutoClosed            AlertKind = "auto-closed"
	AlertReopened              AlertKind = "reopened"
	// AlertTest is what hook test sends; no rule raises it.
	AlertTest AlertKind = "test"
)

// The event kinds that raise alerts, and the last step of a ladder.
const (
	alertStepBreached    = "breached"
	alertEventOpened     = "opened"
	alertEventEscalated  = "escalated"
	alertEventAutoClosed = "auto-closed"
	alertEventReopened   = "reopened"
)

// AlertKinds lists the kinds a hook may subscribe to, in the interface's
// order (test is only sent by hook test).
var AlertKinds = []AlertKind{AlertNewCase, AlertCallRequired, AlertDueSoon, AlertBreached,
	AlertEscalationRequested, AlertEscalationFollowupDue, AlertEscalationUpdateDue,
	AlertBank, AlertAutoClosed, AlertReopened}

// ParseAlertKind reads an alert kind.
func ParseAlertKind(s string) (AlertKind, bool) {
	for _, k := range AlertKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Audience is who an alert is for: every user of Roles (specialists only
// of the alert's region) and the named Users.
type Audience struct {
	Roles []Role
	Users []string
}

// Alert is one thing the desk tells people once. ID is stable: the same
// fact at a later now gives the same ID, so a store that remembers IDs
// sends each alert once.
type Alert struct {
	ID   string
	Kind AlertKind
	// At is when the alert became due (the event's instant, the ladder
	// step, the breach), not when it was computed.
	At time.Time
	// Case is 0 for an account's alert (bank).
	Case     int64
	Severity int
	Region   Region
	Account  string
	// Text is one line, made inert (Inert): safe in a terminal or a chat.
	Text string
	For  Audience
}

// ForUser reports whether the alert is for u: u is named, or has one of
// the roles (a specialist only for alerts of their region, or of none).
func (a *Alert) ForUser(u User) bool {
	for _, id := range a.For.Users {
		if id == u.ID {
			return true
		}
	}
	for _, r := range a.For.Roles {
		if r != u.Role {
			continue
		}
		if r == Specialist && a.Region != "" && u.Region != a.Region {
			continue
		}
		return true
	}
	return false
}

// CaseAlerts are the alerts one case's clocks owe at now: for every
// running clock the highest step of the ladder it has reached (or its
// breach), and call-required for a 24x7 case nobody has phoned about. Steps
// an offline holder missed are not sent late one by one: only the latest
// reached, so nobody is paged three times at once. esc is the case's latest
// escalation or nil; acct gives the TAM.
func CaseAlerts(c *Case, esc *Escalation, acct *Account, p *Policy, now time.Time) []Alert {
	if !c.IsOpen() {
		return nil
	}
	var out []Alert
	base := alertBase(c, acct)
	for _, cl := range Clocks(c, esc, p) {
		if cl.CallRequired && cl.Running() {
			at := c.OpenedAt.Add(p.Alerts.CallAfter)
			if !now.Before(at) {
				a := base
				a.ID = fmt.Sprintf("%s/%s", AlertCallRequired, CaseNumber(c.Number))
				a.Kind, a.At = AlertCallRequired, at
				a.Text = caseText(c, "no call logged "+Span(p.Alerts.CallAfter)+" after opening: phone the customer")
				a.For = Audience{Roles: []Role{Manager, Specialist}, Users: nonEmpty(c.Owner)}
				out = append(out, a)
			}
			continue
		}
		if a, ok := clockAlert(c, &cl, base, acct, p, now); ok {
			out = append(out, a)
		}
	}
	return out
}

// clockAlert is the alert a running clock owes at now, if any.
func clockAlert(c *Case, cl *Clock, base Alert, acct *Account, p *Policy, now time.Time) (Alert, bool) {
	if !cl.Running() || cl.CallRequired {
		return Alert{}, false
	}
	var soon, late AlertKind
	var what string
	who := Audience{Roles: []Role{Manager}, Users: nonEmpty(c.Owner)}
	if c.Owner == "" {
		who.Roles = append(who.Roles, Specialist)
	}
	switch cl.Kind {
	case ClockInitialResponse:
		soon, late, what = AlertDueSoon, AlertBreached, "initial response"
	case ClockCustomerFollowup:
		soon, late, what = AlertDueSoon, AlertBreached, "customer "+cl.Label
	case ClockEscalationFollowup:
		soon, late, what = AlertEscalationFollowupDue, AlertEscalationFollowupDue, "escalation follow-up"
		who = Audience{Roles: []Role{Manager}}
	case ClockEscalationUpdate:
		soon, late, what = AlertEscalationUpdateDue, AlertEscalationUpdateDue, "escalation update"
	default:
		return Alert{}, false
	}
	clockID := string(cl.Kind)
	if cl.Label != "" {
		clockID += "-" + strings.ReplaceAll(cl.Label, " ", "")
	}
	loc := cl.Calendar.Location()
	due := When(cl.Due, loc, cl.Calendar.Label)
	a := base
	a.For = who
	if now.After(cl.Due) {
		a.Kind, a.At = late, cl.Due
		a.ID = fmt.Sprintf("%s/%s/%s/%d/%s", late, CaseNumber(c.Number), clockID, cl.Due.Unix(), alertStepBreached)
		a.Text = caseText(c, what+" breached at "+due)
		if late == AlertBreached && acct != nil && acct.TAM != "" {
			a.For.Users = append(a.For.Users, acct.TAM)
		}
		return a, true
	}
	step, at, ok := reachedStep(cl, p.Alerts.Before, now)
	if !ok {
		return Alert{}, false
	}
	a.Kind, a.At = soon, at
	a.ID = fmt.Sprintf("%s/%s/%s/%d/%s", soon, CaseNumber(c.Number), clockID, cl.Due.Unix(), stepName(step))
	a.Text = caseText(c, fmt.Sprintf("%s due in %s (%s)", what, Span(cl.Due.Sub(at)), due))
	return a, true
}

// reachedStep is the smallest step of the ladder (wall-clock time before
// due) that the clock has reached at now, and the instant it was reached.
// A step that falls while the clock's calendar is closed is reached at the
// next opening: nobody is warned while the clock is paused. Steps as long
// as the clock's whole target are skipped: the clock started inside them.
func reachedStep(cl *Clock, ladder []time.Duration, now time.Time) (time.Duration, time.Time, bool) {
	var best time.Duration
	var bestAt time.Time
	found := false
	for _, step := range ladder {
		if step >= cl.Target {
			continue
		}
		at := cl.Due.Add(-step)
		if at.Before(cl.Start) {
			continue
		}
		if !cl.Calendar.IsOpen(at) {
			at = cl.Calendar.NextOpen(at)
		}
		if at.After(cl.Due) || now.Before(at) {
			continue
		}
		if !found || step < best {
			best, bestAt, found = step, at, true
		}
	}
	return best, bestAt, found
}

// NextAlertAt is the earliest instant after now at which the case's
// clock alerts (CaseAlerts) may change without a change to the case: a
// ladder step, a breach (the second after due), call-required. Zero when
// none will. A holder sleeps until then instead of looking at every case
// on every tick.
func NextAlertAt(c *Case, esc *Escalation, p *Policy, now time.Time) time.Time {
	var best time.Time
	consider := func(t time.Time) {
		if t.After(now) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !c.IsOpen() {
		return best
	}
	for _, cl := range Clocks(c, esc, p) {
		if !cl.Running() {
			continue
		}
		if cl.CallRequired {
			consider(c.OpenedAt.Add(p.Alerts.CallAfter))
			continue
		}
		switch cl.Kind {
		case ClockInitialResponse, ClockCustomerFollowup, ClockEscalationFollowup, ClockEscalationUpdate:
		default:
			continue
		}
		consider(cl.Due.Add(time.Second))
		for _, step := range p.Alerts.Before {
			if step >= cl.Target || cl.Due.Add(-step).Before(cl.Start) {
				continue
			}
			at := cl.Due.Add(-step)
			if !cl.Calendar.IsOpen(at) {
				at = cl.Calendar.NextOpen(at)
			}
			consider(at)
		}
	}
	return best
}

// stepName writes a ladder step for an alert id ("30m", "1h").
func stepName(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

// BankAlert is the alert an account's time bank owes at now: the highest
// of the policy's thresholds (percent of the month's bank) that the
// month's counted minutes have reached. used is BankUsed of now's month.
func BankAlert(a *Account, used int, p *Policy, now time.Time) (Alert, bool) {
	spec, ok := p.TAMPlans[a.TAMPlan]
	if !ok || spec.BankMinutes() == 0 {
		return Alert{}, false
	}
	month := DateOf(now, p.TAMZone).MonthOf()
	best := -1
	for _, pct := range p.Alerts.Bank {
		if used*100 >= pct*spec.BankMinutes() && pct > best {
			best = pct
		}
	}
	if best < 0 {
		return Alert{}, false
	}
	al := Alert{
		ID: fmt.Sprintf("%s/%s/%s/%d", AlertBank, a.ID, month, best), Kind: AlertBank, At: now,
		Region: a.Region, Account: a.ID,
		Text: Inert(fmt.Sprintf("%s: %d%% of %s's %s bank used (%s of %s)", a.ID, best, month, spec.Name,
			HoursMinutes(used), HoursMinutes(spec.BankMinutes()))),
		For: Audience{Roles: []Role{Manager}, Users: nonEmpty(a.TAM)},
	}
	return al, true
}

// EventAlerts are the alerts an audit event raises: a case opened, an
// escalation requested, a case auto-closed or reopened. c is the case as
// the event left it.
func EventAlerts(ev *Event, c *Case, acct *Account, p *Policy) []Alert {
	if c == nil || ev.Case == 0 {
		return nil
	}
	a := alertBase(c, acct)
	a.At = ev.At
	tam := ""
	if acct != nil {
		tam = acct.TAM
	}
	switch ev.Kind {
	case alertEventOpened:
		a.Kind = AlertNewCase
		a.ID = fmt.Sprintf("%s/%s", AlertNewCase, CaseNumber(c.Number))
		a.Text = caseText(c, "new case: "+c.Title)
		a.For = Audience{Roles: []Role{Manager}, Users: nonEmpty(tam)}
		if p.AroundTheClock[clampSev(c.Severity)] {
			// A 24x7 case also reaches the specialists of its region.
			a.For.Roles = append(a.For.Roles, Specialist)
		}
	case alertEventEscalated:
		a.Kind = AlertEscalationRequested
		a.ID = fmt.Sprintf("%s/%s/%d", AlertEscalationRequested, CaseNumber(c.Number), ev.At.Unix())
		a.Text = caseText(c, "escalation requested: "+c.Title)
		a.For = Audience{Roles: []Role{Manager}, Users: nonEmpty(tam, c.Owner)}
	case alertEventAutoClosed:
		a.Kind = AlertAutoClosed
		a.ID = fmt.Sprintf("%s/%s/%d", AlertAutoClosed, CaseNumber(c.Number), ev.At.Unix())
		a.Text = caseText(c, "closed for no response: "+c.Title)
		a.For = Audience{Users: nonEmpty(c.Owner, tam)}
	case alertEventReopened:
		a.Kind = AlertReopened
		a.ID = fmt.Sprintf("%s/%s/%d", AlertReopened, CaseNumber(c.Number), ev.At.Unix())
		a.Text = caseText(c, "reopened: "+c.Title)
		a.For = Audience{Roles: []Role{Manager}, Users: nonEmpty(c.Owner, tam)}
	default:
		return nil
	}
	return []Alert{a}
}

// DueAlerts are every alert a desk owes at now: its events' alerts up to
// now, every open case's clock alerts and every account's bank alert for
// now's month, in instant order (then id). Whoever sends them keeps the
// ids it has sent: the same fact has the same id at every later now.
// Events of cases left on disk (Closed) raise nothing here: it is for a
// desk built in memory; the store raises alerts as it writes (outbox.go).
func DueAlerts(d *Desk, p *Policy, now time.Time) []Alert {
	var out []Alert
	acct := func(id string) *Account { return d.Accounts[id] }
	for i := range d.Events {
		ev := &d.Events[i]
		if ev.At.After(now) {
			continue
		}
		if c, ok := d.Cases[ev.Case]; ok {
			out = append(out, EventAlerts(ev, c, acct(c.Account), p)...)
		}
	}
	for _, n := range d.CaseNumbers() {
		c := d.Cases[n]
		var esc *Escalation
		if e, ok := d.Escalation(n); ok {
			esc = &e
		}
		out = append(out, CaseAlerts(c, esc, acct(c.Account), p, now)...)
	}
	month := DateOf(now, p.TAMZone).MonthOf()
	for _, a := range d.Accounts {
		if al, ok := BankAlert(a, d.BankUsed(a.ID, month), p, now); ok {
			out = append(out, al)
		}
	}
	SortAlerts(out)
	return out
}

// SortAlerts orders alerts by instant, then id.
func SortAlerts(as []Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].At.Equal(as[j].At) {
			return as[i].At.Before(as[j].At)
		}
		return as[i].ID < as[j].ID
	})
}

// TestAlert is the alert hook test sends: marked as a test in its id,
// kind and text so that no one acts on it.
func TestAlert(hook string, now time.Time) Alert {
	return Alert{ID: fmt.Sprintf("test/%s/%d", hook, now.Unix()), Kind: AlertTest, At: now,
		Text: Inert("caseboard test alert for hook " + hook + ": nothing to do"),
		For:  Audience{Roles: []Role{Manager}}}
}

func alertBase(c *Case, acct *Account) Alert {
	a := Alert{Case: c.Number, Severity: c.Severity, Region: c.Region, Account: c.Account}
	if acct != nil {
		a.Account = acct.ID
	}
	return a
}

// caseText is an alert's line about a case: "00001042 acme sev 2: what".
func caseText(c *Case, what string) string {
	return Inert(fmt.Sprintf("%s %s sev %d: %s", CaseNumber(c.Number), c.Account, c.Severity, what))
}

func nonEmpty(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == id
		}
		if !dup {
			out = append(out, id)
		}
	}
	return out
}

func clampSev(s int) int {
	if s < 1 || s > 4 {
		return 0
	}
	return s
}
