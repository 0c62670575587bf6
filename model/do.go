package model

import (
	"encoding/json"
	"fmt"
	"time"
)

// Do checks an action against the rules and the actor's role and returns
// what it changes, or a *Refusal. It reads only through v and never writes:
// every record it changes is a copy.
//
// actor is a user id, System for the process's auto-close, or "" while the
// store has no users (only "user add" of a manager then).
func Do(v View, p *Policy, actor string, a Action, now time.Time) (*Change, error) {
	return do(&actx{v: v, p: p, actor: actor, now: now}, a)
}

// Check is Do's answer alone: nil when a would pass, else Do's refusal.
// Its change carries no event diffs, which are most of an action's cost
// (the board asks it of every key it offers).
func Check(v View, p *Policy, actor string, a Action, now time.Time) error {
	_, err := do(&actx{v: v, p: p, actor: actor, now: now, dry: true}, a)
	return err
}

func do(x *actx, a Action) (*Change, error) {
	v, actor := x.v, x.actor
	obj := objectOf(a)
	switch {
	case actor == System:
		if _, ok := a.(AutoCloseCase); !ok {
			return nil, PermissionRefusal(actor, a.Verb(), obj, "the process only auto-closes cases")
		}
		x.system = true
	case actor == "":
		if v.HasUsers() {
			return nil, RuleRefusal(a.Verb(), obj, "acting needs a user (--as USER)")
		}
		if _, ok := a.(AddUser); !ok {
			return nil, RuleRefusal(a.Verb(), obj, "the desk has no users yet: add a manager first (user add)")
		}
		x.bootstrap = true
	default:
		u, ok := v.User(actor)
		if !ok {
			return nil, PermissionRefusal(actor, a.Verb(), obj, actor+" is not a user")
		}
		x.user = u
		if _, ok := a.(AutoCloseCase); ok {
			return nil, PermissionRefusal(actor, a.Verb(), obj, "only "+System+" auto-closes cases")
		}
	}
	switch a := a.(type) {
	case NewCase:
		return x.newCase(a)
	case TakeCase:
		return x.take(a)
	case AssignCase:
		return x.assign(a)
	case CallCase:
		return x.call(a)
	case RespondCase:
		return x.respond(a)
	case NoteCase:
		return x.note(a)
	case SetStatus:
		return x.setStatus(a)
	case ChangeSeverity:
		return x.severity(a)
	case ReplyCase:
		return x.reply(a)
	case FollowupCase:
		return x.followup(a)
	case CloseCase:
		return x.closeCase(a)
	case ReopenCase:
		return x.reopen(a)
	case AutoCloseCase:
		return x.autoClose(a)
	case Escalate:
		return x.escalate(a)
	case EscalationFollowup:
		return x.escFollowup(a)
	case AcceptEscalation:
		return x.escAccept(a)
	case DeclineEscalation:
		return x.escDecline(a)
	case UpdateEscalation:
		return x.escUpdate(a)
	case DeescalateEscalation:
		return x.escDeescalate(a)
	case CloseEscalation:
		return x.escClose(a)
	case LogTime:
		return x.logTime(a)
	case VoidTime:
		return x.voidTime(a)
	case AddAccount:
		return x.addAccount(a)
	case SetAccount:
		return x.setAccount(a)
	case AddContact:
		return x.addContact(a)
	case AddUser:
		return x.addUser(a)
	case AddUserKey:
		return x.addUserKey(a)
	case RemoveUserKey:
		return x.removeUserKey(a)
	case RemoveUser:
		return x.removeUser(a)
	}
	return nil, RuleRefusal(a.Verb(), obj, fmt.Sprintf("unknown action %T", a))
}

// objectOf names what an action acts on, as refusals write it.
func objectOf(a Action) string {
	switch a := a.(type) {
	case NewCase:
		return a.Account
	case TakeCase:
		return CaseNumber(a.Number)
	case AssignCase:
		return CaseNumber(a.Number)
	case CallCase:
		return CaseNumber(a.Number)
	case RespondCase:
		return CaseNumber(a.Number)
	case NoteCase:
		return CaseNumber(a.Number)
	case SetStatus:
		return CaseNumber(a.Number)
	case ChangeSeverity:
		return CaseNumber(a.Number)
	case ReplyCase:
		return CaseNumber(a.Number)
	case FollowupCase:
		return CaseNumber(a.Number)
	case CloseCase:
		return CaseNumber(a.Number)
	case ReopenCase:
		return CaseNumber(a.Number)
	case AutoCloseCase:
		return CaseNumber(a.Number)
	case Escalate:
		return CaseNumber(a.Number)
	case EscalationFollowup:
		return CaseNumber(a.Number)
	case AcceptEscalation:
		return CaseNumber(a.Number)
	case DeclineEscalation:
		return CaseNumber(a.Number)
	case UpdateEscalation:
		return CaseNumber(a.Number)
	case DeescalateEscalation:
		return CaseNumber(a.Number)
	case CloseEscalation:
		return CaseNumber(a.Number)
	case LogTime:
		return a.Account
	case VoidTime:
		return fmt.Sprint(a.ID)
	case AddAccount:
		return a.Account.ID
	case SetAccount:
		return a.ID
	case AddContact:
		return a.Account
	case AddUser:
		return a.User.ID
	case AddUserKey:
		return a.ID
	case RemoveUserKey:
		return a.ID
	case RemoveUser:
		return a.ID
	}
	return ""
}

// actx is one call of Do: what it reads and who acts.
type actx struct {
	v         View
	p         *Policy
	actor     string
	user      User
	now       time.Time
	system    bool // the process (auto-close)
	dry       bool // Check: the answer only, no event diffs
	bootstrap bool // no users yet: the first user add
}

// target is what a permission scope is checked against.
type target struct {
	owner    string   // the case's owner (cases they own)
	account  *Account // the account (accounts they own)
	region   Region   // the case's region (new cases of their region)
	entryTAM string   // the time entry's TAM (their own entries)
}

// permit checks the actor's role against the matrix for one capability.
func (x *actx) permit(c Capability, verb, obj string, t target) error {
	if x.system || x.bootstrap {
		return nil
	}
	u := x.user
	switch Permission(u.Role, c) {
	case ScopeAll, ScopeBoard:
		return nil
	case ScopeOwnCases:
		switch t.owner {
		case u.ID:
			return nil
		case "":
			return PermissionRefusal(u.ID, verb, obj, "nobody owns it")
		default:
			return PermissionRefusal(u.ID, verb, obj, "it is owned by "+t.owner)
		}
	case ScopeOwnAccounts:
		if t.account != nil && t.account.TAM == u.ID {
			return nil
		}
		acct := ""
		if t.account != nil {
			acct = t.account.ID
		}
		return PermissionRefusal(u.ID, verb, obj, fmt.Sprintf("%s is not the TAM of %s", u.ID, acct))
	case ScopeRegionNew:
		if t.region == u.Region && u.Region != "" {
			return nil
		}
		return PermissionRefusal(u.ID, verb, obj, fmt.Sprintf("it is a case of %s, not of %s's region", t.region, u.ID))
	case ScopeOwnEntries:
		if t.entryTAM == u.ID {
			return nil
		}
		return PermissionRefusal(u.ID, verb, obj, "it is an entry of "+t.entryTAM)
	}
	return PermissionRefusal(u.ID, verb, obj, noScopeReason(u.Role, c))
}

// noScopeReason says why a role has no right to a capability at all.
func noScopeReason(r Role, c Capability) string {
	if r == Wall {
		return "the wall only shows the board"
	}
	only := true
	for _, other := range roles {
		if other != Manager && Permission(other, c) != ScopeNone {
			only = false
		}
	}
	if only {
		return "only a manager may"
	}
	if r == "" {
		return "the role is unknown"
	}
	return fmt.Sprintf("a %s may not", r)
}

// loadCase reads a case or refuses.
func (x *actx) loadCase(verb string, n int64) (Case, error) {
	c, ok := x.v.Case(n)
	if !ok {
		return Case{}, RuleRefusal(verb, CaseNumber(n), "no such case")
	}
	return c, nil
}

// accountOf reads a case's account (a zero account if missing, so that
// permission checks fail closed).
func (x *actx) accountOf(c *Case) *Account {
	a, ok := x.v.Account(c.Account)
	if !ok {
		return &Account{ID: c.Account}
	}
	return &a
}

// caseTarget is the permission target of a case.
func (x *actx) caseTarget(c *Case) target {
	return target{owner: c.Owner, account: x.accountOf(c), region: c.Region}
}

// when writes an instant in a case's region zone ("Tue 24 Nov 10:05 ET"),
// with its year when that is not now's ("Wed 31 Dec 2099 19:00 ET"):
// a refusal of a mistyped year must show the year.
func (x *actx) when(c *Case, t time.Time) string {
	cal := x.p.RegionCalendar(c.Region)
	if cal.AlwaysOpen() {
		return WhenFrom(t, x.now, x.p.HomeZone(), "ET")
	}
	return WhenFrom(t, x.now, cal.Location(), cal.Label)
}

// at resolves an action's optional instant: zero is now; never in the
// future, never before the case was opened.
func (x *actx) at(verb string, c *Case, at time.Time) (time.Time, error) {
	if at.IsZero() {
		return x.now, nil
	}
	if at.After(x.now) {
		return at, RuleRefusal(verb, CaseNumber(c.Number), fmt.Sprintf("%s is in the future", x.when(c, at)))
	}
	if at.Before(c.OpenedAt) {
		return at, RuleRefusal(verb, CaseNumber(c.Number), fmt.Sprintf("%s is before the case was opened (%s)",
			x.when(c, at), x.when(c, c.OpenedAt)))
	}
	return at, nil
}

// event builds an event of the action.
func (x *actx) event(kind string, n int64, at time.Time, before, after json.RawMessage) Event {
	actor := x.actor
	if x.bootstrap {
		// Nobody is a user yet: the process acts for whoever owns the files.
		actor = System
	}
	return Event{At: at, Actor: actor, Case: n, Kind: kind, Before: before, After: after}
}

// caseChange is the change of one case, its event holding the diff.
func (x *actx) caseChange(kind string, old, nc *Case, at time.Time, msg string) *Change {
	before, after := x.diff(func() any { return CaseToRecord(old, x.p) }, func() any { return CaseToRecord(nc, x.p) })
	return &Change{Cases: []Case{*nc}, Events: []Event{x.event(kind, nc.Number, at, before, after)}, Message: msg}
}

// diff is Diff of the records old and new give (old nil: none), or
// nothing for a Check, which never writes the event.
func (x *actx) diff(old, new func() any) (before, after json.RawMessage) {
	if x.dry {
		return nil, nil
	}
	var o any
	if old != nil {
		o = old()
	}
	return Diff(o, new())
}

// fields is Fields of the record rec gives, or nothing for a Check.
func (x *actx) fields(rec func() any, names ...string) json.RawMessage {
	if x.dry {
		return nil
	}
	return Fields(rec(), names...)
}

// withID puts "id" first in a JSON object (events on accounts and users).
func withID(obj json.RawMessage, id any) json.RawMessage {
	idb, _ := json.Marshal(id)
	out := []byte(`{"id":`)
	out = append(out, idb...)
	if len(obj) > 2 {
		out = append(out, ',')
		out = append(out, obj[1:]...)
	} else {
		out = append(out, '}')
	}
	return out
}
