package model

import (
	"slices"
	"sort"
	"time"
)

// Desk is a whole desk in memory: it implements View and applies Changes.
// Tests, the demo builder and import checks use it; the store keeps the
// same facts in Badger. A Desk is not safe for concurrent use.
type Desk struct {
	// Cases are never changed in place: Apply stores a new Case for a
	// changed one, so a queue item may point at the one it was made from.
	Cases       map[int64]*Case
	Escalations map[int64][]Escalation // per case, Seq order
	Accounts    map[string]*Account
	Users       map[string]*User
	TimeEntries map[int64]*TimeEntry
	Bank        map[BankKey]int
	Projects    map[ProjectKey]int
	Events      []Event
	// DropEvents keeps Apply from holding events (a board follows the
	// state, not the audit trail, and must not grow without bound).
	DropEvents bool
	// Closed holds the closed cases and their escalations when they are
	// not in Cases and Escalations (a desk loaded from a store); nil:
	// every case is in memory. See closed.go.
	Closed ClosedCases

	lastCase, lastEntry, lastSeq int64
	closedErr                    error
}

// LastSeq is the sequence number of the last event the desk reflects.
func (d *Desk) LastSeq() int64 { return d.lastSeq }

// SetLastSeq records that the desk reflects every event up to seq (a desk
// loaded from a store snapshot).
func (d *Desk) SetLastSeq(seq int64) { d.lastSeq = seq }

// Covers reports whether the desk already reflects a committed change
// (all its events are numbered at or below LastSeq): a change that reaches
// a subscriber after a reload that included it must not be applied twice,
// since bank totals are added, not replaced.
func (d *Desk) Covers(ch *Change) bool {
	if len(ch.Events) == 0 {
		return false
	}
	for _, ev := range ch.Events {
		if ev.Seq == 0 || ev.Seq > d.lastSeq {
			return false
		}
	}
	return true
}

// BankKey names one account's month.
type BankKey struct {
	Account string
	Month   Month
}

// ProjectKey names one project of an account.
type ProjectKey struct {
	Account string
	Project string
}

// NewDesk returns an empty desk.
func NewDesk() *Desk {
	return &Desk{
		Cases: map[int64]*Case{}, Escalations: map[int64][]Escalation{},
		Accounts: map[string]*Account{}, Users: map[string]*User{},
		TimeEntries: map[int64]*TimeEntry{}, Bank: map[BankKey]int{}, Projects: map[ProjectKey]int{},
	}
}

// NewDeskSized returns an empty desk with room for about cases cases,
// for a desk built from stored records (store.LoadDesk) with the Put
// methods below.
func NewDeskSized(cases int) *Desk {
	d := NewDesk()
	d.Cases = make(map[int64]*Case, cases)
	return d
}

// The Put methods build a desk from stored records, as Apply would from a
// Change holding them, without copying each record a second time: the
// desk keeps the record it is given, which the caller must not change
// afterwards. They record no event.

// PutCase puts a stored case on the desk.
func (d *Desk) PutCase(c *Case) {
	d.Cases[c.Number] = c
	if c.Number > d.lastCase {
		d.lastCase = c.Number
	}
}

// PutEscalation adds a stored escalation to its case's (given in Seq
// order), numbered as Apply numbers it; no updates is a nil list.
func (d *Desk) PutEscalation(e Escalation) {
	if len(e.Updates) == 0 {
		e.Updates = nil
	}
	d.putEscalation(e)
}

// PutAccount puts a stored account on the desk.
func (d *Desk) PutAccount(a *Account) { d.Accounts[a.ID] = a }

// PutUser puts a stored user on the desk.
func (d *Desk) PutUser(u *User) { d.Users[u.ID] = u }

// PutTimeEntry puts a stored time entry on the desk.
func (d *Desk) PutTimeEntry(e *TimeEntry) {
	d.TimeEntries[e.ID] = e
	if e.ID > d.lastEntry {
		d.lastEntry = e.ID
	}
}

// AddBank adds a stored month's bank minutes.
func (d *Desk) AddBank(b BankDelta) { d.Bank[BankKey{b.Account, b.Month}] += b.Minutes }

// AddProject adds a stored project's implementation minutes.
func (d *Desk) AddProject(p ProjectDelta) { d.Projects[ProjectKey{p.Account, p.Project}] += p.Minutes }

// Case implements View: a closed case left on disk too (a read error of
// Closed is taken as no such case).
func (d *Desk) Case(n int64) (Case, bool) {
	c, ok := d.Find(n)
	if !ok {
		return Case{}, false
	}
	return *c, true
}

// Escalation implements View: the case's latest escalation.
func (d *Desk) Escalation(n int64) (Escalation, bool) {
	es := d.EscalationsOf(n)
	if len(es) == 0 {
		return Escalation{}, false
	}
	return cloneEscalation(es[len(es)-1]), true
}

// Account implements View.
func (d *Desk) Account(id string) (Account, bool) {
	a, ok := d.Accounts[id]
	if !ok {
		return Account{}, false
	}
	c := *a
	c.Contacts = append([]Contact(nil), a.Contacts...)
	return c, true
}

// User implements View.
func (d *Desk) User(id string) (User, bool) {
	u, ok := d.Users[id]
	if !ok {
		return User{}, false
	}
	c := *u
	c.Keys = append([]string(nil), u.Keys...)
	return c, true
}

// HasUsers implements View.
func (d *Desk) HasUsers() bool { return len(d.Users) > 0 }

// TimeEntry implements View.
func (d *Desk) TimeEntry(id int64) (TimeEntry, bool) {
	e, ok := d.TimeEntries[id]
	if !ok {
		return TimeEntry{}, false
	}
	return *e, true
}

// BankUsed implements View.
func (d *Desk) BankUsed(account string, m Month) int { return d.Bank[BankKey{account, m}] }

// ProjectUsed implements View.
func (d *Desk) ProjectUsed(account, project string) int {
	return d.Projects[ProjectKey{account, project}]
}

// KeyOwners implements View.
func (d *Desk) KeyOwners(fingerprint string) []string {
	users := make([]User, 0, len(d.Users))
	for _, u := range d.Users {
		users = append(users, *u)
	}
	return UsersWithKey(users, fingerprint)
}

// TAMOf implements View.
func (d *Desk) TAMOf(user string) []string {
	var out []string
	for id, a := range d.Accounts {
		if a.TAM == user {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// OwnsOpenCases implements View.
func (d *Desk) OwnsOpenCases(user string) bool {
	for _, c := range d.Cases {
		if c.Owner == user && c.IsOpen() {
			return true
		}
	}
	return false
}

// NextCaseNumber returns a number above every case on the desk (those
// left on disk noted by NoteCaseNumber).
func (d *Desk) NextCaseNumber() int64 {
	d.lastCase++
	for {
		if _, taken := d.Cases[d.lastCase]; !taken {
			return d.lastCase
		}
		d.lastCase++
	}
}

// NextEntryID returns an id above every time entry on the desk.
func (d *Desk) NextEntryID() int64 {
	d.lastEntry++
	for {
		if _, taken := d.TimeEntries[d.lastEntry]; !taken {
			return d.lastEntry
		}
		d.lastEntry++
	}
}

// Do numbers a new case or entry, checks the action and applies it.
// recorded is the real time written into the events.
func (d *Desk) Do(p *Policy, actor string, a Action, now, recorded time.Time) (*Change, error) {
	switch x := a.(type) {
	case NewCase:
		if x.Number == 0 {
			x.Number = d.NextCaseNumber()
		}
		a = x
	case LogTime:
		if x.ID == 0 {
			x.ID = d.NextEntryID()
		}
		a = x
	}
	ch, err := Do(d, p, actor, a, now)
	if err != nil {
		return nil, err
	}
	d.Apply(ch, recorded)
	return ch, nil
}

// Apply writes a change: records replaced, totals moved, events appended
// with the next sequence numbers and the recorded instant (kept when the
// event already has one).
//
// With a Closed, a case the change closes leaves memory (the store wrote
// it in the same commit) and a reopened one comes back with its
// escalations.
func (d *Desk) Apply(ch *Change, recorded time.Time) {
	d.bringBack(ch)
	for i := range ch.Cases {
		c := ch.Cases[i]
		d.Cases[c.Number] = &c
		if c.Number > d.lastCase {
			d.lastCase = c.Number
		}
	}
	for _, e := range ch.Escalations {
		if _, ok := d.Cases[e.Case]; !ok && d.Closed != nil {
			continue // a closed case's, on disk
		}
		d.putEscalation(cloneEscalation(e))
	}
	d.dropClosed(ch)
	for i := range ch.Accounts {
		a := ch.Accounts[i]
		d.Accounts[a.ID] = &a
	}
	for i := range ch.Users {
		u := ch.Users[i]
		d.Users[u.ID] = &u
	}
	for _, id := range ch.RemoveUsers {
		delete(d.Users, id)
	}
	for i := range ch.TimeEntries {
		e := ch.TimeEntries[i]
		d.TimeEntries[e.ID] = &e
		if e.ID > d.lastEntry {
			d.lastEntry = e.ID
		}
	}
	for _, b := range ch.Bank {
		d.Bank[BankKey{b.Account, b.Month}] += b.Minutes
	}
	for _, pd := range ch.Projects {
		d.Projects[ProjectKey{pd.Account, pd.Project}] += pd.Minutes
	}
	for i := range ch.Events {
		if ch.Events[i].Seq == 0 {
			d.lastSeq++
			ch.Events[i].Seq = d.lastSeq
		} else if ch.Events[i].Seq > d.lastSeq {
			d.lastSeq = ch.Events[i].Seq
		}
		if ch.Events[i].RecordedAt.IsZero() {
			ch.Events[i].RecordedAt = recorded
		}
		if !d.DropEvents {
			d.Events = append(d.Events, ch.Events[i])
		}
	}
}

// putEscalation replaces the case's escalation of e's Seq, or adds e
// after the case's others.
func (d *Desk) putEscalation(e Escalation) {
	es := d.Escalations[e.Case]
	switch {
	case e.Seq >= 1 && e.Seq <= len(es):
		es[e.Seq-1] = e
	default:
		e.Seq = len(es) + 1
		es = append(es, e)
	}
	d.Escalations[e.Case] = es
}

// CaseNumbers lists the desk's case numbers in order.
func (d *Desk) CaseNumbers() []int64 {
	ns := make([]int64, 0, len(d.Cases))
	for n := range d.Cases {
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	return ns
}

func cloneEscalation(e Escalation) Escalation {
	e.Updates = append([]EscalationUpdate(nil), e.Updates...)
	return e
}
