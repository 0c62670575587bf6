package model

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/permtable"
)

// The expectations come from DOMAIN.md's "Who may do what" (the one copy
// in internal/permtable), not from the code's matrix.

// actorOf is the acting user of each column.
var actorOf = map[string]string{"specialist": "sam", "manager": "maria", "tam": "tina", "wall": "wally"}

// scene prepares the desk and returns the actions of a row. own asks for
// objects inside the actor's scope (their case, account, region, entry),
// !own for objects outside it.
type scene func(f *fixture, actor string, own bool) []Action

// act is when the scenes act: five days after t0, so cases opened at t0
// are eligible for escalation.
var act = time.Date(2026, 11, 25, 10, 0, 0, 0, et)

func owners(actor string, own bool) (owner, account string) {
	if !own {
		return "lee", "umbrella" // lee's case, tom's account
	}
	if actor == "sam" {
		return "sam", "acme"
	}
	return "sam", "acme" // tina's account
}

var scenes = map[string]scene{
	"new case": func(f *fixture, actor string, own bool) []Action {
		_, acct := owners(actor, own)
		return []Action{NewCase{Account: acct, Severity: 3, Title: "slow"}}
	},
	"take": func(f *fixture, actor string, own bool) []Action {
		acct := "acme"
		if !own {
			acct = "globex" // EMEA, not sam's region
		}
		return []Action{TakeCase{Number: f.open(acct, 2, t0)}}
	},
	"assign to someone": func(f *fixture, actor string, own bool) []Action {
		_, acct := owners(actor, own)
		return []Action{AssignCase{Number: f.open(acct, 2, t0), To: "lee"}}
	},
	"call, respond, status, severity, reply, followup, close, reopen": func(f *fixture, actor string, own bool) []Action {
		owner, acct := owners(actor, own)
		mk := func(st Status) int64 { return f.caseOfAccountIn(acct, st, owner, t0) }
		return []Action{
			CallCase{Number: mk(StatusInProgress)},
			RespondCase{Number: mk(StatusAssigned)},
			SetStatus{Number: mk(StatusInProgress), To: StatusWaitingCustomer},
			ChangeSeverity{Number: mk(StatusInProgress), To: 3, AgreedBy: "Ana Ruiz"},
			ReplyCase{Number: mk(StatusWaitingCustomer)},
			FollowupCase{Number: mk(StatusWaitingCustomer)},
			CloseCase{Number: mk(StatusInProgress), Reason: ReasonResolved},
			ReopenCase{Number: mk(StatusClosed)},
		}
	},
	"note": func(f *fixture, actor string, own bool) []Action {
		owner, acct := owners(actor, own)
		return []Action{NoteCase{Number: f.caseOfAccountIn(acct, StatusInProgress, owner, t0), Text: "n"}}
	},
	"request an escalation (`escalate`)": func(f *fixture, actor string, own bool) []Action {
		owner, acct := owners(actor, own)
		return []Action{Escalate{Number: f.caseOfAccountIn(acct, StatusInProgress, owner, t0), By: "contact:Ana Ruiz",
			Channel: ChannelPhone, Justification: "go-live"}}
	},
	"escalation update": func(f *fixture, actor string, own bool) []Action {
		n := f.escalated(actor, own, true)
		return []Action{UpdateEscalation{Number: n, Summary: "patch in QA"}}
	},
	"escalation follow-up, accept, decline, de-escalate, close": func(f *fixture, actor string, own bool) []Action {
		return []Action{
			EscalationFollowup{Number: f.escalated(actor, own, false)},
			AcceptEscalation{Number: f.escalated(actor, own, false), Every: 4 * time.Hour},
			DeclineEscalation{Number: f.escalated(actor, own, false), Reason: "normal process"},
			DeescalateEscalation{Number: f.escalated(actor, own, true), Reason: "no resources"},
			CloseEscalation{Number: f.escalated(actor, own, true), Outcome: OutcomeFix, Summary: "fixed"},
		}
	},
	"time log": func(f *fixture, actor string, own bool) []Action {
		_, acct := owners(actor, own)
		return []Action{LogTime{Account: acct, Minutes: 30, Category: "cadence-call"}}
	},
	"users, accounts, import, restore": func(f *fixture, actor string, own bool) []Action {
		name := "Acme Inc"
		return []Action{
			AddAccount{Account{ID: "hooli", Name: "Hooli", Plan: Basic, Region: NA}},
			SetAccount{ID: "acme", Name: &name},
			AddContact{Account: "acme", Contact: Contact{Name: "Dev Dan", Kind: "developer"}},
			AddUser{User{ID: "newbie", Role: Specialist, Region: EMEA}},
			AddUserKey{ID: "sam", Key: testKey("sam")},
			RemoveUserKey{ID: "sam", Fingerprint: testFingerprint("sam")},
			RemoveUser{ID: "eve"},
		}
	},
	"void a time entry (with a reason)": func(f *fixture, actor string, own bool) []Action {
		tam, acct := "tina", "acme"
		if !own {
			tam, acct = "tom", "umbrella"
		}
		id := f.mustDo(tam, LogTime{Account: acct, Minutes: 30, Category: "cadence-call"}, t0).TimeEntries[0].ID
		return []Action{VoidTime{ID: id, Reason: "wrong account"}}
	},
}

// escalated returns an in-progress case with a requested (or accepted)
// escalation, owned and accounted as owners says.
func (f *fixture) escalated(actor string, own, accepted bool) int64 {
	owner, acct := owners(actor, own)
	n := f.caseOfAccountIn(acct, StatusInProgress, owner, t0)
	f.mustDo("maria", Escalate{Number: n, By: "contact:Ana Ruiz", Channel: ChannelPhone, Justification: "x"}, act.Add(-time.Hour))
	if accepted {
		f.mustDo("maria", AcceptEscalation{Number: n, Every: 4 * time.Hour}, act.Add(-time.Hour))
	}
	return n
}

func TestRoleMatrix(t *testing.T) {
	cols, table := permtable.Parse()
	rows := 0
	for _, line := range table {
		rows++
		row := line.Action
		if Capability(row) != Capabilities()[rows-1] {
			t.Errorf("row %d: table says %q, code has %q", rows, row, Capabilities()[rows-1])
		}
		for i, cell := range line.Cells {
			role, actor := cols[i], actorOf[cols[i]]
			t.Run(row+"/"+role, func(t *testing.T) { checkCell(t, row, Role(role), actor, cell) })
		}
	}
	if rows != len(Capabilities()) {
		t.Fatalf("table has %d rows, code %d", rows, len(Capabilities()))
	}
}

func checkCell(t *testing.T, row string, role Role, actor, cell string) {
	all := cell == "yes" || cell == "all" || cell == "all (board only)"
	none := cell == "no"
	switch row {
	case "read queues, cases, reports":
		f := newFixture(t)
		u := *f.d.Users[actor]
		own, other := CanSee(u, *f.d.Accounts["acme"]), CanSee(u, *f.d.Accounts["umbrella"])
		if !own || other != all {
			t.Fatalf("%s sees own %v other %v; table says %q", actor, own, other, cell)
		}
		return
	case "export, backup":
		if Allowed(role, CapExport) != !none {
			t.Fatalf("export for %s: %v; table says %q", role, Allowed(role, CapExport), cell)
		}
		return
	}
	sc, ok := scenes[row]
	if !ok {
		t.Fatalf("no scene for row %q", row)
	}
	for _, own := range []bool{true, false} {
		f := newFixture(t)
		for _, a := range sc(f, actor, own) {
			if CapabilityOf(a) != Capability(row) {
				t.Fatalf("%T is in row %q, scene says %q", a, CapabilityOf(a), row)
			}
			_, err := f.do(actor, a, act)
			wantAllowed := all || (!none && own)
			switch {
			case wantAllowed && err != nil:
				t.Fatalf("%s %T (own %v): refused %v; table says %q", actor, a, own, err, cell)
			case !wantAllowed && err == nil:
				t.Fatalf("%s %T (own %v): allowed; table says %q", actor, a, own, cell)
			case !wantAllowed && !strings.HasPrefix(err.Error(), actor+" may not "+a.Verb()+" "):
				t.Fatalf("%s %T (own %v): %q is not a permission refusal", actor, a, own, err)
			}
		}
	}
}

func TestActors(t *testing.T) {
	f := newFixture(t)
	n := f.open("acme", 2, t0)
	f.refused("zed", TakeCase{Number: n}, t0, "zed may not take 00000001: zed is not a user")
	f.refused("", TakeCase{Number: n}, t0, "cannot take 00000001: acting needs a user (--as USER)")
	f.refused("", AddUser{User{ID: "x", Role: Manager}}, t0, "cannot add user x: acting needs a user (--as USER)")
	f.refused("maria", RemoveUser{ID: "maria"}, t0, "cannot remove user maria: nobody may remove themselves")
	f.mustDo("maria", TakeCase{Number: n}, t0)
	f.refused("maria", RemoveUser{ID: "maria2"}, t0, "cannot remove user maria2: no such user")
	f.mustDo("maria", AddUser{User{ID: "maria2", Role: Manager}}, t0)
	f.refused("maria2", RemoveUser{ID: "maria"}, t0, "cannot remove user maria: maria owns open cases: assign them to someone first")
	f.refused("maria", RemoveUser{ID: "tina"}, t0, "cannot remove user tina: tina is the TAM of acme, initech: give each another TAM first (account set ID --tam USER)")
	// Bootstrap: an empty desk takes a first user without actor, a manager.
	d := NewDesk()
	p := DefaultPolicy()
	if _, err := d.Do(p, "", AddUser{User{ID: "sam", Role: Specialist, Region: NA}}, t0, t0); err == nil ||
		err.Error() != "cannot add user sam: the first user must be a manager" {
		t.Fatalf("first user specialist: %v", err)
	}
	if _, err := d.Do(p, "", AddAccount{Account{ID: "acme", Name: "Acme", Plan: Basic, Region: NA}}, t0, t0); err == nil ||
		err.Error() != "cannot add account acme: the desk has no users yet: add a manager first (user add)" {
		t.Fatalf("bootstrap account: %v", err)
	}
	ch, err := d.Do(p, "", AddUser{User{ID: "boss", Role: Manager}}, t0, t0)
	if err != nil {
		t.Fatalf("first manager: %v", err)
	}
	if ch.Events[0].Actor != System {
		t.Fatalf("the bootstrap user-added event is by %q, want %q (an import refuses events without actor)", ch.Events[0].Actor, System)
	}
}

func TestDirectory(t *testing.T) {
	f := newFixture(t)
	f.refused("maria", AddAccount{Account{ID: "acme", Name: "A", Plan: Basic, Region: NA}}, t0, "cannot add account acme: it exists")
	f.refused("maria", AddAccount{Account{ID: "x", Name: "X", Plan: "gold", Region: NA}}, t0, `cannot add account x: "gold" is not a plan (basic, plus, premium)`)
	f.refused("maria", AddAccount{Account{ID: "x", Name: "X", Plan: Basic, Region: "apac"}}, t0, `cannot add account x: "apac" is not a region (emea, na)`)
	f.refused("maria", AddAccount{Account{ID: "x", Name: "X", Plan: Basic, Region: NA, TAMPlan: "tam5"}}, t0,
		`cannot add account x: "tam5" is not a TAM plan (none, enterprise, tam10, tam20)`)
	f.refused("maria", AddAccount{Account{ID: "x", Name: "X", Plan: Basic, Region: NA, TAM: "sam"}}, t0, "cannot add account x: sam is a specialist, not a tam")
	f.refused("maria", AddAccount{Account{ID: "x", Name: "X", Plan: Basic, Region: NA, TAM: "zed"}}, t0, "cannot add account x: zed is not a user")
	ch := f.mustDo("maria", AddAccount{Account{ID: "x", Name: "X", Plan: Basic, Region: NA}}, t0)
	if string(ch.Events[0].After) != `{"id":"x","name":"X","plan":"basic","region":"na","tam_plan":"none","tam":null,"contacts":[]}` {
		t.Fatalf("account-added %s", ch.Events[0].After)
	}
	tp := TAMPlan("tam10")
	tam := "tina"
	ch = f.mustDo("maria", SetAccount{ID: "x", TAMPlan: &tp, TAM: &tam}, t0)
	if ev := ch.Events[0]; string(ev.Before) != `{"id":"x","tam_plan":"none","tam":null}` || string(ev.After) != `{"id":"x","tam_plan":"tam10","tam":"tina"}` {
		t.Fatalf("account-changed %s -> %s", ev.Before, ev.After)
	}
	f.refused("maria", SetAccount{ID: "x", TAM: &tam}, t0, "cannot change account x: nothing changes")
	f.refused("maria", AddContact{Account: "x", Contact: Contact{Name: "Bo", Kind: "boss"}}, t0,
		`cannot add a contact to x: "boss" is not a contact kind (contact, customer-admin, developer, partner, community, csm, customer-manager)`)
	f.mustDo("maria", AddContact{Account: "x", Contact: Contact{Name: "Bo", Kind: "csm"}}, t0)
	f.refused("maria", AddUser{User{ID: "sam", Role: Specialist, Region: NA}}, t0, "cannot add user sam: the user exists")
	f.refused("maria", AddUser{User{ID: "nr", Role: Specialist}}, t0, "cannot add user nr: a specialist needs a region (emea, na)")
	f.refused("maria", AddUser{User{ID: "r", Role: "boss"}}, t0, `cannot add user r: "boss" is not a role (specialist, manager, tam, wall)`)
	ch = f.mustDo("maria", AddUserKey{ID: "sam", Key: testKey("sam")}, t0)
	if ev := ch.Events[0]; string(ev.After) != `{"id":"sam","keys":["`+testKey("sam")+`"]}` {
		t.Fatalf("user-key-added %s", ev.After)
	}
	f.refused("maria", AddUserKey{ID: "sam", Key: testKey("sam")}, t0, "cannot add a key to sam: the key is already theirs")
	ch = f.mustDo("maria", RemoveUser{ID: "eve"}, t0)
	if _, ok := f.d.Users["eve"]; ok || ch.Events[0].Kind != "user-removed" {
		t.Fatal("eve not removed")
	}
}
