package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Problem is one bad field of one record of an import document.
type Problem struct {
	Where string // "cases[3].status"
	Msg   string
}

// DocumentLookup is what the import check reads of the desk the document
// goes into: the records it already holds. The store answers it inside
// one read transaction; a lookup that fails reads as "not there", as the
// check has always treated an unreadable record.
type DocumentLookup interface {
	// HasAccount, HasUser, HasCase and HasTimeEntry report whether the
	// desk holds a record under that id.
	HasAccount(id string) bool
	HasUser(id string) bool
	HasCase(n int64) bool
	HasTimeEntry(id int64) bool
	// Account, User and Case read one record.
	Account(id string) (*Account, bool)
	User(id string) (*User, bool)
	Case(n int64) (*Case, bool)
	// AnyUser reports whether the desk has any user at all.
	AnyUser() bool
	// Users is every user of the desk (for their SSH keys).
	Users() ([]User, error)
	// LastEscalationSeq is the sequence of a case's last escalation.
	LastEscalationSeq(n int64) (int, bool)
	// BankMinutes is an account's counted minutes of a month ("2026-11");
	// ProjectMinutes an implementation project's.
	BankMinutes(account, month string) (int64, error)
	ProjectMinutes(account, project string) (int64, error)
	// LastEventSeq is the sequence of the desk's last event.
	LastEventSeq() (int64, error)
}

// CheckOptions are the circumstances of one import.
type CheckOptions struct {
	Now        time.Time // the import's now: "today" for time entries, the imported events' at
	RecordedAt time.Time // when the imported events are recorded
	Actor      string    // who imports (the imported events' actor)
	// Where names position i of a list ("cases[3]", or "row 5" for CSV);
	// nil is list[i].
	Where func(list string, i int) string
}

// BankMonth names one account's bank of one month ("2026-11").
type BankMonth struct{ Account, Month string }

// ProjectOf names one implementation project of an account.
type ProjectOf struct{ Account, Project string }

// ImportWriter takes an import's records as they are checked (DocCheck),
// to write them once the whole document is checked without a problem. A
// record is the writer's only during the call.
type ImportWriter interface {
	Account(a *Account) error
	User(u *User) error
	// Case is a checked case, its plan and region filled from its account.
	Case(c *Case) error
	// Escalation is numbered after its case's stored ones.
	Escalation(e *Escalation) error
	Entry(e *TimeEntry) error
	// Event is an event to record: one of the document's own, or the
	// "imported" event of a record (imported). DropImported forgets the
	// imported events given so far: the document has events of its own.
	Event(ev *Event, imported bool) error
	DropImported() error
	// CaseOf, EventsOf and EscalationsOf give back what was given, for
	// the check that each case with events is what replaying them gives:
	// case n, the document's events of case n and its escalations, each
	// in the order given.
	CaseOf(n int64) (*Case, error)
	EventsOf(n int64) ([]Event, error)
	EscalationsOf(n int64) ([]Escalation, error)
}

// ImportTotals are what a checked import writes beyond its records.
type ImportTotals struct {
	// Accounts ... Events count the records given to the writer (Events:
	// the document's, or the imported ones when it has none).
	Accounts, Users, Cases, Escalations, Entries, Events int
	Bank                                                 map[BankMonth]int64 // new counted totals
	Projects                                             map[ProjectOf]int64 // new counted totals
	EventSeq                                             int64               // the last event's sequence after the import
	MaxCase                                              int64               // the highest case number imported
	MaxEntry                                             int64               // the highest time entry id imported
}

// The lists of a document, in the order they are checked: each reads the
// ones before it (a case its account and owner, an escalation its case),
// and the imported events are numbered in this order.
const (
	listAccounts = iota
	listUsers
	listCases
	listEscalations
	listEntries
	listEvents
	nLists
)

var listNames = [nLists]string{"accounts", "users", "cases", "escalations", "time_entries", "events"}

// listIndex is a list's place in listNames (-1: not a list).
func listIndex(name string) int {
	for i, n := range listNames {
		if n == name {
			return i
		}
	}
	return -1
}

// DocCheck checks an import document record by record, with every rule
// the actions hold, against itself and the desk that look reads, and
// gives each checked record to an ImportWriter: a large document is
// never held whole. It keeps what later records are checked against: the
// accounts and users, and of each case its number, account and region.
//
// The lists are checked in the order accounts, users, cases,
// escalations, time_entries, events. A document read in one pass
// (the lists' records and ends, then EndPass) has a list checked in
// that pass when every list before it has ended or is known to be absent;
// the others are read again in a later pass (Done reports when none is
// left). A document whose lists come in that order, as every export's
// do, is read once; lists in another order take a pass more each.
//
// Problems are reported by list, then by record, whatever order the
// document gives them in.
type DocCheck struct {
	look DocumentLookup
	p    *Policy
	o    CheckOptions
	w    ImportWriter
	err  error // the first failed read of the desk, or failed write

	probs []rankedProblem
	tot   ImportTotals

	seen      [nLists]bool // the list has been met in some pass
	ended     [nLists]bool // checked to its end, or absent
	checking  int          // the list being checked in this pass (-1: none)
	next      [nLists]int  // the index of the list's next record
	formatted bool

	lastSeq  int64 // the desk's last event
	eventSeq int64 // the last imported event's seq

	accounts map[string]*Account
	tams     []accountTAM
	users    map[string]*User
	manager  bool
	keys     *keyCheck // import_check_keys.go
	cases    map[int64]caseInfo
	names    []string       // the accounts and regions of the document's cases
	nameIdx  map[string]int // index in names
	refs     []pendingRef   // references to cases not met yet
	escCount map[int64]int
	escIdx   map[int64][]int32 // a document case's escalations: their indexes
	entries  entryCheck        // import_check_entries.go
	events   eventCheck        // import_check_events.go
	pending  []pendingProblem  // problems the events may excuse (import_check_history.go)
	awaited  map[string]bool   // what they need: met yet
}

// rankedProblem is a problem with its place: list (-1: the document
// itself) and record.
type rankedProblem struct {
	list, i int
	Problem
}

// accountTAM is the TAM an account of the document names, checked once
// the users are.
type accountTAM struct {
	i   int
	tam string
}

// caseInfo is what the check keeps of a case of the document: 16 bytes.
type caseInfo struct {
	i       int32  // its index in the document's cases
	account uint32 // in DocCheck.names
	region  uint32 // in DocCheck.names
	ok      bool   // it has no problem of its own (it is written)
}

// pendingRef is a case's duplicate_of or refers_to naming a number not met
// yet, resolved once the cases have ended.
type pendingRef struct {
	i      int
	field  string
	target int64
}

// NewDocCheck starts the check of one import document.
func NewDocCheck(p *Policy, look DocumentLookup, w ImportWriter, o CheckOptions) *DocCheck {
	if o.Where == nil {
		o.Where = func(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }
	}
	ck := &DocCheck{look: look, p: p, o: o, w: w, checking: -1,
		accounts: map[string]*Account{}, users: map[string]*User{}, cases: map[int64]caseInfo{},
		escCount: map[int64]int{}, escIdx: map[int64][]int32{}, nameIdx: map[string]int{}}
	ck.tot.Bank = map[BankMonth]int64{}
	ck.tot.Projects = map[ProjectOf]int64{}
	ck.lastSeq, ck.err = look.LastEventSeq()
	ck.eventSeq = ck.lastSeq
	ck.entries.init(ck)
	return ck
}

// Err is the first failed read of the desk or failed write: the check
// stops there.
func (ck *DocCheck) Err() error { return ck.err }

func (ck *DocCheck) fail(err error) {
	if err != nil && ck.err == nil {
		ck.err = err
	}
}

// EndPass ends a reading: a list not met in it is absent.
func (ck *DocCheck) EndPass() {
	for l := range nLists {
		if !ck.seen[l] {
			ck.endList(l)
		}
	}
}

// Done reports whether every list is checked (or the check failed).
func (ck *DocCheck) Done() bool {
	if ck.err != nil {
		return true
	}
	for l := range nLists {
		if !ck.ended[l] {
			return false
		}
	}
	return true
}

// Format is the document's format field.
func (ck *DocCheck) Format(n int) {
	if ck.formatted {
		return
	}
	ck.formatted = true
	if n != 0 && n != 1 {
		ck.probs = append(ck.probs, rankedProblem{-1, 0, Problem{"format", fmt.Sprintf("%d is not a format this caseboard reads (1)", n)}})
	}
}

// takes reports whether list l's records are checked in this pass.
func (ck *DocCheck) takes(l int) bool {
	ck.seen[l] = true
	if ck.ended[l] || ck.err != nil {
		return false
	}
	if ck.checking == l {
		return true
	}
	for k := range l {
		if !ck.ended[k] {
			return false
		}
	}
	ck.checking = l
	return true
}

// End is the end of a list in the document.
func (ck *DocCheck) End(list string) {
	l := listIndex(list)
	if l < 0 {
		return
	}
	if ck.takes(l) {
		ck.endList(l)
	}
}

// endList ends list l, checked or absent, and checks what waits for its end.
func (ck *DocCheck) endList(l int) {
	if ck.ended[l] {
		return
	}
	ck.ended[l] = true
	if ck.checking == l {
		ck.checking = -1
	}
	switch l {
	case listUsers:
		ck.endUsers()
	case listCases:
		ck.endCases()
	case listEvents:
		ck.endEvents()
	}
}

// Accounts, Users, Cases, Escalations, TimeEntries and Events are the
// next records of a list, in the document's order.
func (ck *DocCheck) Accounts(chunk []AccountRecord) {
	if ck.takes(listAccounts) {
		for i := range chunk {
			ck.checkAccount(ck.index(listAccounts), &chunk[i])
		}
	}
}

func (ck *DocCheck) Users(chunk []UserRecord) {
	if ck.takes(listUsers) {
		for i := range chunk {
			ck.checkUser(ck.index(listUsers), &chunk[i])
		}
	}
}

func (ck *DocCheck) Cases(chunk []CaseRecord) {
	if ck.takes(listCases) {
		for i := range chunk {
			ck.checkCase(ck.index(listCases), &chunk[i])
		}
	}
}

func (ck *DocCheck) Escalations(chunk []EscalationRecord) {
	if ck.takes(listEscalations) {
		for i := range chunk {
			ck.checkEscalation(ck.index(listEscalations), &chunk[i])
		}
	}
}

func (ck *DocCheck) TimeEntries(chunk []TimeEntryRecord) {
	if ck.takes(listEntries) {
		for i := range chunk {
			ck.checkEntry(ck.index(listEntries), &chunk[i])
		}
	}
}

func (ck *DocCheck) Events(chunk []EventRecord) {
	if ck.takes(listEvents) {
		for i := range chunk {
			ck.checkEvent(ck.index(listEvents), &chunk[i])
		}
	}
}

// index is the index of list l's next record.
func (ck *DocCheck) index(l int) int {
	i := ck.next[l]
	ck.next[l]++
	return i
}

// Finish ends the check: every list not met is absent. The problems name
// each bad field, by list then record; the totals are meant for writing
// only when there are none. An error is a failed read of the desk or a
// failed write, not a bad document.
func (ck *DocCheck) Finish() (ImportTotals, []Problem, error) {
	for l := range nLists {
		ck.endList(l)
	}
	ck.settle()
	if ck.err != nil {
		return ImportTotals{}, nil, ck.err
	}
	slices.SortStableFunc(ck.probs, func(a, b rankedProblem) int {
		return cmp.Or(cmp.Compare(a.list, b.list), cmp.Compare(a.i, b.i))
	})
	var problems []Problem
	for _, p := range ck.probs {
		problems = append(problems, p.Problem)
	}
	ck.tot.EventSeq = max(ck.eventSeq, ck.lastSeq)
	return ck.tot, problems, nil
}

// problems reports whether the check has found any problem yet.
func (ck *DocCheck) problems() bool { return len(ck.probs) > 0 }

func (ck *DocCheck) where(list string, i int) string { return ck.o.Where(list, i) }

func (ck *DocCheck) bad(list string, i int, field, format string, args ...any) {
	ck.probs = append(ck.probs, ck.problem(list, i, field, format, args...))
}

// problem is the problem of record i's field.
func (ck *DocCheck) problem(list string, i int, field, format string, args ...any) rankedProblem {
	w := ck.where(list, i)
	if field != "" {
		w += "." + field
	}
	return rankedProblem{listIndex(list), i, Problem{Where: w, Msg: fmt.Sprintf(format, args...)}}
}

func (ck *DocCheck) badErr(list string, i int, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		ck.bad(list, i, fe.Field, "%s", fe.Msg)
		return
	}
	ck.bad(list, i, "", "%v", err)
}

// imported gives the writer the "imported" event of a record (rec: the
// record as imported), numbered after the desk's last event.
func (ck *DocCheck) imported(n int64, rec any) {
	if ck.events.own {
		return
	}
	after, _ := marshalCompact(rec)
	ck.eventSeq++
	ev := Event{Seq: ck.eventSeq, At: ck.o.Now, RecordedAt: ck.o.RecordedAt, Actor: ck.o.Actor, Case: n, Kind: "imported", After: after}
	ck.tot.Events++
	ck.fail(ck.w.Event(&ev, true))
}
