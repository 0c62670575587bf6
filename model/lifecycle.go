package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Move is one allowed lifecycle move and the action that makes it.
type Move struct {
	To Status
	By string // take, assign, respond, status, reply, close, close as duplicate, auto-close, reopen
}

// moves is DOMAIN.md's lifecycle table, row for row. assign also keeps
// every other open status as it is (not a move).
var moves = map[Status][]Move{
	StatusNew:      {{StatusAssigned, "take"}, {StatusAssigned, "assign"}, {StatusClosed, "close as duplicate"}},
	StatusAssigned: {{StatusInProgress, "respond"}, {StatusClosed, "close as duplicate"}},
	StatusInProgress: {{StatusWaitingCustomer, "status"}, {StatusWaitingDevelopment, "status"},
		{StatusFixAvailable, "status"}, {StatusClosed, "close"}},
	StatusWaitingCustomer: {{StatusInProgress, "reply"}, {StatusInProgress, "status"},
		{StatusWaitingDevelopment, "status"}, {StatusFixAvailable, "status"},
		{StatusClosed, "close"}, {StatusClosed, "auto-close"}},
	StatusWaitingDevelopment: {{StatusInProgress, "status"}, {StatusWaitingCustomer, "status"},
		{StatusFixAvailable, "status"}, {StatusClosed, "close"}},
	StatusFixAvailable: {{StatusInProgress, "status"}, {StatusWaitingCustomer, "status"}, {StatusClosed, "close"}},
	StatusClosed:       {{StatusInProgress, "reopen"}, {StatusAssigned, "reopen"}, {StatusNew, "reopen"}},
}

// MovesFrom lists the table's moves out of a status, in the table's
// order (a copy: the table is not the caller's to change).
func MovesFrom(from Status) []Move { return append([]Move(nil), moves[from]...) }

// CanMove reports whether the table allows the move by that action.
func CanMove(from, to Status, by string) bool {
	for _, m := range moves[from] {
		if m.To == to && m.By == by {
			return true
		}
	}
	return false
}

// AllowedMoves lists the moves out of a status as refusals name them
// ("assigned", "closed as duplicate", "reopen").
func AllowedMoves(from Status) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range moves[from] {
		label := string(m.To)
		switch m.By {
		case "close as duplicate":
			label = "closed as duplicate"
		case "reopen":
			label = "reopen"
		}
		if !seen[label] {
			seen[label] = true
			out = append(out, label)
		}
	}
	return out
}

func moveRefusal(c *Case, to Status) *Refusal {
	return MoveRefusal(c.Number, c.Status, to, AllowedMoves(c.Status))
}

// span in words for rules quoted to people: "30 days", "8 hours", "90m".
func spanWords(d time.Duration) string {
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day")
	case d > 0 && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	}
	return FormatDuration(d)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func (x *actx) newCase(a NewCase) (*Change, error) {
	verb, obj := a.Verb(), a.Account
	acct, ok := x.v.Account(a.Account)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such account")
	}
	if err := x.permit(CapNewCase, verb, obj, target{account: &acct}); err != nil {
		return nil, err
	}
	if a.Number <= 0 {
		return nil, RuleRefusal(verb, obj, "the case has no number")
	}
	if _, taken := x.v.Case(a.Number); taken {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("case number %s is taken", CaseNumber(a.Number)))
	}
	if a.Severity < 1 || a.Severity > 4 {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("severity %d is not 1 to 4", a.Severity))
	}
	if strings.TrimSpace(a.Title) == "" {
		return nil, RuleRefusal(verb, obj, "a title is needed")
	}
	if a.RefersTo != 0 {
		if _, ok := x.v.Case(a.RefersTo); !ok {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("case %s it refers to does not exist", CaseNumber(a.RefersTo)))
		}
	}
	c := Case{Number: a.Number, Account: acct.ID, Severity: a.Severity, Title: a.Title,
		Status: StatusNew, Plan: acct.Plan, Region: acct.Region, Contact: a.Contact,
		OpenedAt: x.now, RefersTo: a.RefersTo}
	if !a.Opened.IsZero() {
		if a.Opened.After(x.now) {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is in the future", x.when(&c, a.Opened)))
		}
		c.OpenedAt = a.Opened
	}
	_, after := x.diff(nil, func() any { return CaseToRecord(&c, x.p) })
	return &Change{Cases: []Case{c}, Events: []Event{x.event("opened", c.Number, c.OpenedAt, nil, after)},
		Message: "opened " + CaseNumber(c.Number)}, nil
}

func (x *actx) take(a TakeCase) (*Change, error) {
	verb := a.Verb()
	c, err := x.loadCase(verb, a.Number)
	if err != nil {
		return nil, err
	}
	if c.Owner != "" {
		return nil, RuleRefusal(verb, CaseNumber(c.Number), "owned by "+c.Owner)
	}
	if err := x.permit(CapTake, verb, CaseNumber(c.Number), x.caseTarget(&c)); err != nil {
		return nil, err
	}
	if !CanMove(c.Status, StatusAssigned, "take") {
		return nil, moveRefusal(&c, StatusAssigned)
	}
	nc := c
	nc.Owner, nc.Status = x.actor, StatusAssigned
	return x.caseChange("taken", &c, &nc, x.now, "took "+CaseNumber(c.Number)), nil
}

func (x *actx) assign(a AssignCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, err := x.loadCase(verb, a.Number)
	if err != nil {
		return nil, err
	}
	if err := x.permit(CapAssign, verb, obj, x.caseTarget(&c)); err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, moveRefusal(&c, StatusAssigned)
	}
	to, ok := x.v.User(a.To)
	if !ok {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a user", a.To))
	}
	if !MayOwnCases(to.Role) {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is a %s: cases go to a specialist or a manager", to.ID, to.Role))
	}
	if c.Owner == to.ID {
		return nil, RuleRefusal(verb, obj, "already owned by "+to.ID)
	}
	nc := c
	nc.Owner = to.ID
	if nc.Status == StatusNew {
		nc.Status = StatusAssigned
	}
	return x.caseChange("assigned", &c, &nc, x.now, fmt.Sprintf("assigned %s to %s", obj, to.ID)), nil
}

// workCase loads an open case the actor may work on (the "call, respond,
// ..." row), resolving the action's instant.
func (x *actx) workCase(verb string, n int64, at time.Time) (Case, time.Time, error) {
	c, err := x.loadCase(verb, n)
	if err != nil {
		return c, at, err
	}
	if err := x.permit(CapWork, verb, CaseNumber(n), x.caseTarget(&c)); err != nil {
		return c, at, err
	}
	at, err = x.at(verb, &c, at)
	return c, at, err
}

func closedRefusal(verb string, c *Case) *Refusal {
	return RuleRefusal(verb, CaseNumber(c.Number), "it is closed")
}

func (x *actx) call(a CallCase) (*Change, error) {
	c, at, err := x.workCase(a.Verb(), a.Number, a.At)
	if err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, closedRefusal(a.Verb(), &c)
	}
	nc := c
	// The first call starts a severity-1 clock; later calls are recorded
	// by their events only.
	if nc.PhonedAt.IsZero() || at.Before(nc.PhonedAt) {
		nc.PhonedAt = at
	}
	return x.caseChange("called", &c, &nc, at, "logged a call on "+CaseNumber(c.Number)), nil
}

func (x *actx) respond(a RespondCase) (*Change, error) {
	verb := a.Verb()
	c, at, err := x.workCase(verb, a.Number, a.At)
	if err != nil {
		return nil, err
	}
	if !c.RespondedAt.IsZero() {
		return nil, RuleRefusal(verb, CaseNumber(c.Number), "first response already given at "+x.when(&c, c.RespondedAt))
	}
	if c.Status == StatusNew || c.Status == StatusClosed {
		return nil, moveRefusal(&c, StatusInProgress)
	}
	nc := c
	nc.RespondedAt = at
	if nc.Status == StatusAssigned {
		nc.Status = StatusInProgress
	}
	return x.caseChange("responded", &c, &nc, at, "first response on "+CaseNumber(c.Number)), nil
}

func (x *actx) note(a NoteCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, err := x.loadCase(verb, a.Number)
	if err != nil {
		return nil, err
	}
	if err := x.permit(CapNote, verb, obj, x.caseTarget(&c)); err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, closedRefusal(verb, &c)
	}
	if strings.TrimSpace(a.Text) == "" {
		return nil, RuleRefusal(verb, obj, "the note is empty")
	}
	after := x.fields(func() any {
		return struct {
			Note string `json:"note"`
		}{a.Text}
	}, "note")
	return &Change{Events: []Event{x.event("noted", c.Number, x.now, nil, after)},
		Message: "noted " + obj}, nil
}

func (x *actx) setStatus(a SetStatus) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, _, err := x.workCase(verb, a.Number, time.Time{})
	if err != nil {
		return nil, err
	}
	if _, ok := ParseStatus(string(a.To)); !ok {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a status", a.To))
	}
	if a.To == StatusClosed && c.IsOpen() {
		return nil, RuleRefusal(verb, obj, "close it with a reason (resolved, no-response, duplicate)")
	}
	if !CanMove(c.Status, a.To, "status") {
		return nil, moveRefusal(&c, a.To)
	}
	nc := c
	nc.Status = a.To
	if a.To == StatusWaitingCustomer {
		nc.WaitingSince, nc.Followup1At, nc.Followup2At = x.now, time.Time{}, time.Time{}
	}
	return x.caseChange("status", &c, &nc, x.now, fmt.Sprintf("%s is %s", obj, a.To)), nil
}

func (x *actx) severity(a ChangeSeverity) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, _, err := x.workCase(verb, a.Number, time.Time{})
	if err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, closedRefusal(verb, &c)
	}
	if a.To < 1 || a.To > 4 {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("severity %d is not 1 to 4", a.To))
	}
	if a.To == c.Severity {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("it is already severity %d", a.To))
	}
	if strings.TrimSpace(a.AgreedBy) == "" {
		return nil, RuleRefusal(verb, obj, "the customer's agreement is needed: who agreed?")
	}
	nc := c
	nc.Severity = a.To
	type sevRec struct {
		Severity int    `json:"severity"`
		AgreedBy string `json:"agreed_by,omitempty"`
	}
	before := x.fields(func() any { return sevRec{Severity: c.Severity} }, "severity")
	after := x.fields(func() any { return sevRec{Severity: a.To, AgreedBy: a.AgreedBy} }, "severity", "agreed_by")
	return &Change{Cases: []Case{nc}, Events: []Event{x.event("severity", c.Number, x.now, before, after)},
		Message: fmt.Sprintf("%s is severity %d", obj, a.To)}, nil
}

func (x *actx) reply(a ReplyCase) (*Change, error) {
	c, at, err := x.workCase(a.Verb(), a.Number, a.At)
	if err != nil {
		return nil, err
	}
	if !c.IsOpen() {
		return nil, closedRefusal(a.Verb(), &c)
	}
	nc := c
	nc.RepliedAt = at
	if c.Status == StatusWaitingCustomer {
		nc.Status = StatusInProgress
	}
	return x.caseChange("replied", &c, &nc, at, "logged a reply on "+CaseNumber(c.Number)), nil
}

func (x *actx) followup(a FollowupCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, at, err := x.workCase(verb, a.Number, a.At)
	if err != nil {
		return nil, err
	}
	if c.Status != StatusWaitingCustomer {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("it is %s, not waiting-customer", c.Status))
	}
	if !c.Followup2At.IsZero() {
		return nil, RuleRefusal(verb, obj, "both follow-ups are already logged")
	}
	if at.Before(c.WaitingSince) {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is before it waited for the customer (%s)",
			x.when(&c, at), x.when(&c, c.WaitingSince)))
	}
	nc := c
	which := 1
	if c.Followup1At.IsZero() {
		nc.Followup1At = at
	} else {
		if at.Before(c.Followup1At) {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is before follow-up 1 (%s)", x.when(&c, at), x.when(&c, c.Followup1At)))
		}
		nc.Followup2At, which = at, 2
	}
	return x.caseChange("followed-up", &c, &nc, at, fmt.Sprintf("follow-up %d on %s", which, obj)), nil
}

func (x *actx) closeCase(a CloseCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, _, err := x.workCase(verb, a.Number, time.Time{})
	if err != nil {
		return nil, err
	}
	by := "close"
	switch a.Reason {
	case ReasonResolved, ReasonNoResponse:
	case ReasonDuplicate:
		by = "close as duplicate"
	case "":
		return nil, RuleRefusal(verb, obj, "a reason is needed (resolved, no-response, duplicate)")
	default:
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a reason (resolved, no-response, duplicate)", a.Reason))
	}
	// A duplicate closes from every open status; the others from
	// in-progress on.
	if !CanMove(c.Status, StatusClosed, by) && !(by == "close as duplicate" && CanMove(c.Status, StatusClosed, "close")) {
		return nil, moveRefusal(&c, StatusClosed)
	}
	if by == "close as duplicate" {
		if a.DuplicateOf == 0 {
			return nil, RuleRefusal(verb, obj, "a duplicate needs the case number it duplicates")
		}
		if a.DuplicateOf == c.Number {
			return nil, RuleRefusal(verb, obj, "a case cannot duplicate itself")
		}
		if _, ok := x.v.Case(a.DuplicateOf); !ok {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("case %s it duplicates does not exist", CaseNumber(a.DuplicateOf)))
		}
	} else if a.DuplicateOf != 0 {
		return nil, RuleRefusal(verb, obj, "only a duplicate names another case")
	}
	if e, ok := x.v.Escalation(c.Number); ok && e.Open() {
		return nil, RuleRefusal(verb, obj, "its escalation is open")
	}
	nc := c
	nc.Status, nc.ClosedAt, nc.CloseReason, nc.DuplicateOf = StatusClosed, x.now, a.Reason, a.DuplicateOf
	return x.caseChange("closed", &c, &nc, x.now, fmt.Sprintf("closed %s (%s)", obj, a.Reason)), nil
}

func (x *actx) reopen(a ReopenCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, _, err := x.workCase(verb, a.Number, time.Time{})
	if err != nil {
		return nil, err
	}
	if c.IsOpen() {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("it is open (%s)", c.Status))
	}
	if x.now.Sub(c.ClosedAt) > x.p.ReopenWindow {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("closed more than %s ago: open a new case that refers to %s",
			spanWords(x.p.ReopenWindow), obj))
	}
	nc := c
	if nc.Owner != "" {
		if _, ok := x.v.User(nc.Owner); !ok {
			nc.Owner = "" // the last owner left the team: back to the queue
		}
	}
	switch {
	case nc.Owner == "":
		nc.Status = StatusNew
	case !nc.RespondedAt.IsZero():
		nc.Status = StatusInProgress
	default:
		nc.Status = StatusAssigned
	}
	nc.ClosedAt, nc.CloseReason, nc.DuplicateOf = time.Time{}, "", 0
	return x.caseChange("reopened", &c, &nc, x.now, fmt.Sprintf("reopened %s (%s)", obj, nc.Status)), nil
}

func (x *actx) autoClose(a AutoCloseCase) (*Change, error) {
	verb, obj := a.Verb(), CaseNumber(a.Number)
	c, err := x.loadCase(verb, a.Number)
	if err != nil {
		return nil, err
	}
	due, ok := AutoCloseDue(&c, x.p)
	if !ok {
		return nil, RuleRefusal(verb, obj, "it is not waiting-customer with both follow-ups logged")
	}
	if due.After(x.now) {
		return nil, RuleRefusal(verb, obj, "not due before "+x.when(&c, due))
	}
	if e, ok := x.v.Escalation(c.Number); ok && e.Open() {
		return nil, RuleRefusal(verb, obj, "its escalation is open")
	}
	nc := c
	nc.Status, nc.ClosedAt, nc.CloseReason = StatusClosed, due, ReasonNoResponse
	return x.caseChange("auto-closed", &c, &nc, due, fmt.Sprintf("auto-closed %s (no response)", obj)), nil
}

// DueAutoCloses lists, in number order, the cases due to auto-close at
// now: waiting for the customer with both follow-ups logged, due at or
// before now, and no open escalation (escOpen reports that per case).
func DueAutoCloses(cases []Case, escOpen func(int64) bool, p *Policy, now time.Time) []int64 {
	var out []int64
	for i := range cases {
		c := &cases[i]
		due, ok := AutoCloseDue(c, p)
		if !ok || due.After(now) {
			continue
		}
		if escOpen != nil && escOpen(c.Number) {
			continue
		}
		out = append(out, c.Number)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
