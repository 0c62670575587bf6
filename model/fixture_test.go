package model

import (
	"errors"
	"testing"
	"time"
)

// The fixture desk: users, accounts and helpers to put a case in a status,
// everything built through Do so the fixture itself exercises the rules.

var (
	et  = mustLoc("America/New_York")
	gmt = mustLoc("Etc/GMT")
	// t0 is Friday 2026-11-20 10:00 ET, inside North America hours.
	t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, et)
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

type fixture struct {
	t *testing.T
	p *Policy
	d *Desk
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, p: DefaultPolicy(), d: NewDesk()}
	boot := t0.Add(-90 * 24 * time.Hour)
	f.mustDo("", AddUser{User{ID: "maria", Name: "Maria Chen", Role: Manager, Region: NA}}, boot)
	for _, u := range []User{
		{ID: "sam", Role: Specialist, Region: NA},
		{ID: "lee", Role: Specialist, Region: NA},
		{ID: "eve", Role: Specialist, Region: EMEA},
		{ID: "tina", Role: TAM, Region: NA},
		{ID: "tom", Role: TAM, Region: NA},
		{ID: "wally", Role: Wall},
		{ID: "max", Role: Manager, Region: EMEA},
	} {
		f.mustDo("maria", AddUser{u}, boot)
	}
	for _, a := range []Account{
		{ID: "acme", Name: "Acme Corp", Plan: Premium, Region: NA, TAMPlan: "enterprise", TAM: "tina",
			Contacts: []Contact{{Name: "Ana Ruiz", Kind: "contact", Email: "ana@acme.example"}}},
		{ID: "globex", Name: "Globex", Plan: Plus, Region: EMEA, TAMPlan: TAMNone, TAM: "tom"},
		{ID: "umbrella", Name: "Umbrella", Plan: Basic, Region: NA, TAMPlan: "tam20", TAM: "tom"},
		{ID: "initech", Name: "Initech", Plan: Basic, Region: NA, TAMPlan: "tam10", TAM: "tina"},
	} {
		f.mustDo("maria", AddAccount{a}, boot)
	}
	return f
}

func (f *fixture) do(actor string, a Action, now time.Time) (*Change, error) {
	return f.d.Do(f.p, actor, a, now, now)
}

func (f *fixture) mustDo(actor string, a Action, now time.Time) *Change {
	f.t.Helper()
	ch, err := f.do(actor, a, now)
	if err != nil {
		f.t.Fatalf("%s %T: %v", actor, a, err)
	}
	return ch
}

// refused runs an action that must be refused with exactly msg.
func (f *fixture) refused(actor string, a Action, now time.Time, msg string) {
	f.t.Helper()
	ch, err := f.do(actor, a, now)
	if err == nil {
		f.t.Fatalf("%s %T %+v: allowed (%s), want %q", actor, a, a, ch.Message, msg)
	}
	var r *Refusal
	if !errors.As(err, &r) {
		f.t.Fatalf("%s %T: error %v is not a *Refusal", actor, a, err)
	}
	if r.Msg != msg {
		f.t.Fatalf("%s %T %+v:\n got %q\nwant %q", actor, a, a, r.Msg, msg)
	}
}

func (f *fixture) caseOf(n int64) Case {
	f.t.Helper()
	c, ok := f.d.Case(n)
	if !ok {
		f.t.Fatalf("no case %d", n)
	}
	return c
}

// open opens a case of an account as maria at the instant.
func (f *fixture) open(account string, sev int, at time.Time) int64 {
	f.t.Helper()
	ch := f.mustDo("maria", NewCase{Account: account, Severity: sev, Title: "Index rebuild stuck", Contact: "Ana Ruiz"}, at)
	return ch.Cases[0].Number
}

// caseIn opens an acme severity-2 case at `at` and moves it (as maria,
// at the same instant) to status with owner (owner ignored for new).
func (f *fixture) caseIn(status Status, owner string, at time.Time) int64 {
	f.t.Helper()
	return f.caseOfAccountIn("acme", status, owner, at)
}

// caseOfAccountIn is caseIn for another account.
func (f *fixture) caseOfAccountIn(account string, status Status, owner string, at time.Time) int64 {
	f.t.Helper()
	n := f.open(account, 2, at)
	if status == StatusNew {
		return n
	}
	f.mustDo("maria", AssignCase{Number: n, To: owner}, at)
	if status == StatusAssigned {
		return n
	}
	f.mustDo("maria", RespondCase{Number: n}, at)
	switch status {
	case StatusInProgress:
	case StatusClosed:
		f.mustDo("maria", CloseCase{Number: n, Reason: ReasonResolved}, at)
	default:
		f.mustDo("maria", SetStatus{Number: n, To: status}, at)
	}
	return n
}
