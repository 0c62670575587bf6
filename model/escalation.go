package model

import (
	"fmt"
	"strings"
	"time"
)

// EligibleAt is when a case may first be escalated: its age since it was
// logged reaches the policy's business days on its initial-response
// calendar (a day is 24 hours around the clock). ok is false when its
// severity is never eligible.
func EligibleAt(c *Case, p *Policy) (at time.Time, ok bool) {
	if c.Severity < 1 || c.Severity > 4 {
		return time.Time{}, false
	}
	days := p.EligibleAfterDays[c.Severity-1]
	if days == 0 {
		return time.Time{}, false
	}
	return p.ResponseCalendar(c.Region, c.Severity).AddDays(c.OpenedAt, days), true
}

// ParseRequester splits a requester: a user id (kind "") or KIND:NAME.
func ParseRequester(by string) (kind, name string) {
	if k, n, ok := strings.Cut(by, ":"); ok {
		return k, n
	}
	return "", by
}

func (x *actx) escalate(a Escalate) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, err := x.loadCase(verb, a.Number)
	if err != nil {
		return nil, err
	}
	acct := x.accountOf(&c)
	if err := x.permit(CapEscalate, verb, obj, target{owner: c.Owner, account: acct, region: c.Region}); err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, closedRefusal(verb, &c)
	}
	prev, had := x.v.Escalation(c.Number)
	if had && prev.Open() {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("its escalation is already open (%s)", prev.Status))
	}
	eligible, ok := EligibleAt(&c, x.p)
	if !ok {
		if c.Severity == 4 {
			return nil, RuleRefusal(verb, obj, "severity 4 requests are not eligible (feature requests go to product management)")
		}
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("severity %d cases are not eligible", c.Severity))
	}
	if x.now.Before(eligible) {
		days := x.p.EligibleAfterDays[c.Severity-1]
		unit := plural(days, "business day")
		if x.p.ResponseCalendar(c.Region, c.Severity).AlwaysOpen() {
			unit = plural(days, "day")
		}
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("not eligible before %s (severity %d waits %s)",
			x.when(&c, eligible), c.Severity, unit))
	}
	if err := x.checkRequester(verb, obj, a.By, acct); err != nil {
		return nil, err
	}
	if !inList(channels, a.Channel) {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("channel %q is not %s", a.Channel, strings.Join(channels, " or ")))
	}
	if strings.TrimSpace(a.Justification) == "" {
		return nil, RuleRefusal(verb, obj, "a written justification is needed")
	}
	e := Escalation{Case: c.Number, Seq: 1, Status: EscRequested, RequestedAt: x.now, RequestedBy: a.By,
		RecordedBy: x.actor, Channel: a.Channel, Justification: a.Justification}
	if had {
		e.Seq = prev.Seq + 1
	}
	_, after := x.diff(nil, func() any { return EscalationToRecord(&e, x.p.RegionZone(c.Region)) })
	return &Change{Escalations: []Escalation{e}, Events: []Event{x.event("escalated", c.Number, x.now, nil, after)},
		Message: "escalation requested on " + obj}, nil
}

// checkRequester applies "who may request": a specialist, a manager or the
// account's TAM by user id, or KIND:NAME for someone outside the team.
func (x *actx) checkRequester(verb, obj, by string, acct *Account) error {
	if strings.TrimSpace(by) == "" {
		return RuleRefusal(verb, obj, "who requests it? a user id or KIND:NAME ("+strings.Join(requesterKinds, ", ")+")")
	}
	kind, name := ParseRequester(by)
	if kind != "" || strings.Contains(by, ":") {
		if !ValidRequesterKind(kind) {
			return RuleRefusal(verb, obj, fmt.Sprintf("%q is not a requester kind (%s)", kind, strings.Join(requesterKinds, ", ")))
		}
		if strings.TrimSpace(name) == "" {
			return RuleRefusal(verb, obj, "the requester "+kind+" needs a name ("+kind+":NAME)")
		}
		return nil
	}
	u, ok := x.v.User(name)
	if !ok {
		return RuleRefusal(verb, obj, fmt.Sprintf("%s is not a user (outside the team, give KIND:NAME)", name))
	}
	switch u.Role {
	case Specialist, Manager:
		return nil
	case TAM:
		if acct.TAM == u.ID {
			return nil
		}
		return RuleRefusal(verb, obj, fmt.Sprintf("%s is not the TAM of %s", u.ID, acct.ID))
	}
	return RuleRefusal(verb, obj, fmt.Sprintf("%s is a %s and may not request an escalation", u.ID, u.Role))
}

// escalationFor loads a case and its latest escalation for a manager's
// (or owner's) escalation action, checking the capability and that the
// escalation is in one of the given statuses.
func (x *actx) escalationFor(verb string, n int64, capability Capability, statuses ...string) (Case, Escalation, error) {
	obj := CaseNumber(n)
	c, err := x.loadCase(verb, n)
	if err != nil {
		return c, Escalation{}, err
	}
	if err := x.permit(capability, verb, obj, x.caseTarget(&c)); err != nil {
		return c, Escalation{}, err
	}
	e, ok := x.v.Escalation(n)
	if !ok {
		return c, e, RuleRefusal(verb, obj, "it has no escalation")
	}
	for _, s := range statuses {
		if e.Status == s {
			e.Updates = append([]EscalationUpdate(nil), e.Updates...)
			return c, e, nil
		}
	}
	return c, e, RuleRefusal(verb, obj, fmt.Sprintf("its escalation is %s, not %s", e.Status, strings.Join(statuses, " or ")))
}

// escChange is the change of one escalation, its event holding the diff.
func (x *actx) escChange(kind string, c *Case, old, ne *Escalation, at time.Time, msg string) *Change {
	loc := x.p.RegionZone(c.Region)
	before, after := x.diff(func() any { return EscalationToRecord(old, loc) }, func() any { return EscalationToRecord(ne, loc) })
	return &Change{Escalations: []Escalation{*ne}, Events: []Event{x.event(kind, c.Number, at, before, after)}, Message: msg}
}

func (x *actx) escFollowup(a EscalationFollowup) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateManage, EscRequested)
	if err != nil {
		return nil, err
	}
	if !e.FollowedUpAt.IsZero() {
		return nil, RuleRefusal(verb, obj, "the follow-up was already logged at "+x.when(&c, e.FollowedUpAt))
	}
	at := x.now
	if !a.At.IsZero() {
		if a.At.After(x.now) {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is in the future", x.when(&c, a.At)))
		}
		if a.At.Before(e.RequestedAt) {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is before the escalation was requested (%s)",
				x.when(&c, a.At), x.when(&c, e.RequestedAt)))
		}
		at = a.At
	}
	ne := e
	ne.FollowedUpAt = at
	return x.escChange("escalation-followed-up", &c, &e, &ne, at, "followed up the escalation of "+obj), nil
}

func (x *actx) escAccept(a AcceptEscalation) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateManage, EscRequested)
	if err != nil {
		return nil, err
	}
	if a.Every <= 0 {
		return nil, RuleRefusal(verb, obj, "the agreed update frequency is needed (like 4h)")
	}
	ne := e
	ne.Status, ne.DecidedAt, ne.UpdateEvery = EscAccepted, x.now, a.Every
	if ne.FollowedUpAt.IsZero() {
		ne.FollowedUpAt = x.now
	}
	return x.escChange("accepted", &c, &e, &ne, x.now, fmt.Sprintf("accepted the escalation of %s (updates every %s)",
		obj, FormatDuration(a.Every))), nil
}

func (x *actx) escDecline(a DeclineEscalation) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateManage, EscRequested)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return nil, RuleRefusal(verb, obj, "the reason told to the customer is needed")
	}
	ne := e
	ne.Status, ne.DecidedAt, ne.EndedAt, ne.Reason = EscDeclined, x.now, x.now, a.Reason
	if ne.FollowedUpAt.IsZero() {
		ne.FollowedUpAt = x.now
	}
	return x.escChange("declined", &c, &e, &ne, x.now, "declined the escalation of "+obj), nil
}

func (x *actx) escUpdate(a UpdateEscalation) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateUpdate, EscAccepted)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Summary) == "" {
		return nil, RuleRefusal(verb, obj, "the update needs a summary")
	}
	ne := e
	ne.Updates = append(append([]EscalationUpdate(nil), e.Updates...), EscalationUpdate{At: x.now, By: x.actor, Summary: a.Summary})
	return x.escChange("updated", &c, &e, &ne, x.now, "updated the escalation of "+obj), nil
}

func (x *actx) escDeescalate(a DeescalateEscalation) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateManage, EscAccepted)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return nil, RuleRefusal(verb, obj, "the reason told to the customer is needed")
	}
	ne := e
	ne.Status, ne.EndedAt, ne.Reason = EscDeescalated, x.now, a.Reason
	return x.escChange("de-escalated", &c, &e, &ne, x.now, "de-escalated "+obj), nil
}

func (x *actx) escClose(a CloseEscalation) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, e, err := x.escalationFor(verb, a.Number, CapEscalateManage, EscAccepted)
	if err != nil {
		return nil, err
	}
	if _, ok := outcomeNames[a.Outcome]; !ok {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not an outcome (%s)", a.Outcome, strings.Join(outcomes, ", ")))
	}
	if strings.TrimSpace(a.Summary) == "" {
		return nil, RuleRefusal(verb, obj, "the final summary is needed")
	}
	ne := e
	ne.Status, ne.EndedAt, ne.Outcome, ne.Summary = EscClosed, x.now, a.Outcome, a.Summary
	return x.escChange("escalation-closed", &c, &e, &ne, x.now, fmt.Sprintf("closed the escalation of %s (%s)",
		obj, outcomeNames[a.Outcome])), nil
}
