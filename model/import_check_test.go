package model

import (
	"strings"
	"testing"
	"time"
)

// memLookup is a desk held in maps: CheckDocument needs no store.
type memLookup struct {
	accounts map[string]*Account
	users    map[string]*User
	cases    map[int64]*Case
	entries  map[int64]bool
	escSeq   map[int64]int
	bank     map[BankMonth]int64
	lastSeq  int64
	reads    []string // which totals were read
}

func (l *memLookup) HasAccount(id string) bool  { return l.accounts[id] != nil }
func (l *memLookup) HasUser(id string) bool     { return l.users[id] != nil }
func (l *memLookup) HasCase(n int64) bool       { return l.cases[n] != nil }
func (l *memLookup) HasTimeEntry(id int64) bool { return l.entries[id] }
func (l *memLookup) AnyUser() bool              { return len(l.users) > 0 }
func (l *memLookup) Account(id string) (*Account, bool) {
	a, ok := l.accounts[id]
	return a, ok
}
func (l *memLookup) User(id string) (*User, bool) {
	u, ok := l.users[id]
	return u, ok
}
func (l *memLookup) Case(n int64) (*Case, bool) {
	c, ok := l.cases[n]
	return c, ok
}
func (l *memLookup) Users() ([]User, error) {
	var out []User
	for _, u := range l.users {
		out = append(out, *u)
	}
	return out, nil
}
func (l *memLookup) LastEscalationSeq(n int64) (int, bool) {
	s, ok := l.escSeq[n]
	return s, ok
}
func (l *memLookup) BankMinutes(account, month string) (int64, error) {
	l.reads = append(l.reads, account+" "+month)
	return l.bank[BankMonth{account, month}], nil
}
func (l *memLookup) ProjectMinutes(account, project string) (int64, error) { return 0, nil }
func (l *memLookup) LastEventSeq() (int64, error)                          { return l.lastSeq, nil }

func deskLookup() *memLookup {
	return &memLookup{
		accounts: map[string]*Account{"acme": {ID: "acme", Name: "Acme", Plan: Premium, Region: NA, TAMPlan: "tam10", TAM: "tina"}},
		users: map[string]*User{"maria": {ID: "maria", Role: Manager}, "tina": {ID: "tina", Role: TAM},
			"sam": {ID: "sam", Role: Specialist, Region: NA}},
		cases:   map[int64]*Case{7: {Number: 7, Account: "acme", Region: NA, Status: StatusInProgress}},
		entries: map[int64]bool{},
		escSeq:  map[int64]int{7: 2},
		bank:    map[BankMonth]int64{{"acme", "2026-11"}: 9 * 60},
		lastSeq: 40,
	}
}

func sp(s string) *string { return &s }

// TestCheckDocumentReadsTheDeskThroughTheLookup: the import rules run in
// model against any lookup; every enumeration's message lists model's own
// choices, and what the desk holds (a case, a bank's minutes, escalation
// and event sequences) comes from the lookup.
func TestCheckDocumentReadsTheDeskThroughTheLookup(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	doc := &Document{Format: 1,
		Cases: []CaseRecord{{Number: 8, Account: "acme", Severity: 3, Title: "x", Status: "closed",
			OpenedAt: "2026-11-20T10:00:00-05:00", ClosedAt: sp("2026-11-21T10:00:00-05:00"), CloseReason: sp("fixed")}},
		Escalations: []EscalationRecord{{Case: 7, Status: "pending", RequestedAt: "2026-11-20T10:00:00-05:00",
			RequestedBy: "contact:Ana", Channel: "fax", Justification: "x", Outcome: sp("luck")}},
		TimeEntries: []TimeEntryRecord{{ID: 3, Account: "acme", TAM: "tina", Date: "2026-11-24", Minutes: 90,
			Category: "cadence-call", Mode: "casual"}},
	}
	l := deskLookup()
	plan, problems, err := CheckDocument(doc, p, l, CheckOptions{Now: now, Actor: "maria"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range problems {
		got = append(got, pr.Where+": "+pr.Msg)
	}
	want := []string{
		`cases[0].close_reason: "fixed" is not a close reason (resolved, no-response, duplicate)`,
		`escalations[0].status: "pending" is not an escalation status (requested, accepted, declined, closed, de-escalated)`,
		`escalations[0].channel: "fax" is not a channel (phone, portal)`,
		`escalations[0].outcome: "luck" is not an outcome (root-cause, timeline, fix)`,
		`time_entries[0].mode: "casual" is not a mode (consultative, managed)`,
		`time_entries[0].minutes: acme's bank for 2026-11 is 10h00m (TAM 10): this entry takes it to 10h30m`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(plan.Escalations) != 1 || plan.Escalations[0].Seq != 3 {
		t.Errorf("the escalation is not numbered after the desk's two: %+v", plan.Escalations)
	}
	if n := plan.Bank[BankMonth{"acme", "2026-11"}]; n != 9*60+90 || len(l.reads) != 1 {
		t.Errorf("bank total %d after reads %q, want %d read once", n, l.reads, 9*60+90)
	}
	var evs []Event
	_ = plan.EachEvent(func(ev *Event) error { evs = append(evs, *ev); return nil })
	if len(evs) == 0 || evs[0].Seq != 41 || evs[0].Kind != "imported" || evs[0].Actor != "maria" || len(evs) != plan.EventCount() ||
		evs[len(evs)-1].Seq != plan.EventSeq {
		t.Errorf("imported events do not follow the desk's last (40): %+v", evs)
	}
}

// TestCheckDocumentEventKinds: an event of a kind the desk never records
// is refused with model's wording; known kinds are not.
func TestCheckDocumentEventKinds(t *testing.T) {
	doc := &Document{Format: 1, Events: []EventRecord{
		{Seq: 41, At: "2026-11-20T10:00:00-05:00", RecordedAt: "2026-11-20T10:00:00-05:00", Actor: "maria", Kind: "teleported"},
		{Seq: 42, At: "2026-11-20T10:00:00-05:00", RecordedAt: "2026-11-20T10:00:00-05:00", Actor: "maria", Kind: "noted"},
	}}
	_, problems, err := CheckDocument(doc, DefaultPolicy(), deskLookup(), CheckOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Where != "events[0].kind" || problems[0].Msg != `"teleported" is not an event kind` {
		t.Errorf("problems %+v", problems)
	}
}
