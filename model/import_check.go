package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"
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

// ImportPlan is everything a checked import writes.
type ImportPlan struct {
	Accounts    []Account
	Users       []User
	Cases       []Case
	Escalations []Escalation
	Entries     []TimeEntry
	// Events are the document's own events; a document without events
	// records one "imported" event per record instead, made as the plan is
	// written (EachEvent, EventCount).
	Events   []Event
	imported *importedEvents
	Bank     map[BankMonth]int64 // new counted totals
	Projects map[ProjectOf]int64 // new counted totals
	EventSeq int64               // the last event's sequence after the import
	MaxCase  int64               // the highest case number imported
	MaxEntry int64               // the highest time entry id imported
}

// CheckDocument checks an import document against itself and the desk
// that look reads, with every rule the actions hold. The problems name
// each bad field; the plan is meant for writing only when there are
// none. An error is a failed read of the desk, not a bad document.
func CheckDocument(doc *Document, p *Policy, look DocumentLookup, o CheckOptions) (*ImportPlan, []Problem, error) {
	if o.Where == nil {
		o.Where = func(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }
	}
	ck := &docCheck{look: look, p: p, doc: doc, o: o}
	plan, err := ck.check()
	if err != nil {
		return nil, nil, err
	}
	return plan, ck.problems, nil
}

// docCheck is one run of CheckDocument.
type docCheck struct {
	look     DocumentLookup
	p        *Policy
	doc      *Document
	o        CheckOptions
	problems []Problem

	accounts map[string]*Account
	users    map[string]*User
	cases    map[int64]int // number -> index in doc.Cases
	caseVals []Case
	caseOK   []bool
	keys     *keyCheck // check_keys.go
}

func (ck *docCheck) where(list string, i int) string { return ck.o.Where(list, i) }

func (ck *docCheck) bad(list string, i int, field, format string, args ...any) {
	w := ck.where(list, i)
	if field != "" {
		w += "." + field
	}
	ck.problems = append(ck.problems, Problem{Where: w, Msg: fmt.Sprintf(format, args...)})
}

func (ck *docCheck) badErr(list string, i int, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		ck.bad(list, i, fe.Field, "%s", fe.Msg)
		return
	}
	ck.bad(list, i, "", "%v", err)
}

// account is an account of the document or the desk.
func (ck *docCheck) account(id string) (*Account, bool) {
	if a, ok := ck.accounts[id]; ok {
		return a, true
	}
	return ck.look.Account(id)
}

// user is a user of the document or the desk.
func (ck *docCheck) user(id string) (*User, bool) {
	if u, ok := ck.users[id]; ok {
		return u, true
	}
	if !ValidID(id) {
		return nil, false
	}
	return ck.look.User(id)
}

func (ck *docCheck) caseExists(n int64) bool {
	if _, ok := ck.cases[n]; ok {
		return true
	}
	return n > 0 && ck.look.HasCase(n)
}

// caseRegion is the region of a case of the document or the desk.
func (ck *docCheck) caseRegion(n int64) Region {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Region
	}
	if c, ok := ck.look.Case(n); ok {
		return c.Region
	}
	return ""
}

// caseAccount is the account of a case of the document or the desk.
func (ck *docCheck) caseAccount(n int64) string {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Account
	}
	if c, ok := ck.look.Case(n); ok {
		return c.Account
	}
	return ""
}

// oneOf is the words of a list in a message: "(a, b, c)".
func oneOf[S ~string](list []S) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

const notAnID = "%q is not an id (lower-case letters, digits, '-', '_' or '.'; at most 64)"

func (ck *docCheck) check() (*ImportPlan, error) {
	d := ck.doc
	plan := &ImportPlan{Bank: map[BankMonth]int64{}, Projects: map[ProjectOf]int64{}}
	if d.Format != 0 && d.Format != 1 {
		ck.problems = append(ck.problems, Problem{"format", fmt.Sprintf("%d is not a format this caseboard reads (1)", d.Format)})
	}
	ck.checkAccounts(plan)
	ck.checkUsers(plan)
	ck.checkCases(plan)
	ck.checkEscalations(plan)
	if err := ck.checkEntries(plan); err != nil {
		return nil, err
	}
	lastSeq, err := ck.look.LastEventSeq()
	if err != nil {
		return nil, err
	}
	if len(d.Events) > 0 {
		ck.checkEvents(plan, lastSeq)
	} else {
		ck.importedEvents(plan, lastSeq)
	}
	return plan, nil
}

// checkID checks the id of record i of section (an account's or a user's,
// what names the kind): not reserved, well formed, given once (twice: the
// document already gave it), not already in the store. It reports whether
// the id is good.
func (ck *docCheck) checkID(section, what string, i int, id string, twice bool, inStore func(string) bool) bool {
	switch {
	case id == System:
		ck.bad(section, i, "id", "%s id %s is reserved (%s)", what, System, ReservedIDReason)
	case !ValidID(id):
		ck.bad(section, i, "id", notAnID, id)
	case twice:
		ck.bad(section, i, "id", "%q appears twice", id)
	case inStore(id):
		ck.bad(section, i, "id", "%s %q already exists in the store", what, id)
	default:
		return true
	}
	return false
}

func (ck *docCheck) checkAccounts(plan *ImportPlan) {
	d, p := ck.doc, ck.p
	ck.accounts = map[string]*Account{}
	for i := range d.Accounts {
		r := &d.Accounts[i]
		a := AccountFromRecord(r)
		ok := ck.checkID("accounts", "account", i, r.ID, ck.accounts[r.ID] != nil, ck.look.HasAccount)
		if _, valid := ParsePlan(r.Plan); !valid {
			ck.bad("accounts", i, "plan", "%q is not a plan (%s)", r.Plan, oneOf(plans))
		}
		if _, valid := p.Regions[Region(r.Region)]; !valid {
			ck.bad("accounts", i, "region", "%q is not a region (%s)", r.Region, regionList(p))
		}
		if _, valid := p.TAMPlans[a.TAMPlan]; !valid && a.TAMPlan != TAMNone {
			ck.bad("accounts", i, "tam_plan", "%q is not a TAM plan (%s)", r.TAMPlan, tamPlanList(p))
		}
		for j, c := range r.Contacts {
			if strings.TrimSpace(c.Name) == "" {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].name", j), "missing")
			}
			if !ValidRequesterKind(c.Kind) {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].kind", j), "%q is not a contact kind (%s)", c.Kind, oneOf(requesterKinds))
			}
		}
		if ok {
			ck.accounts[a.ID] = &a
		}
		plan.Accounts = append(plan.Accounts, a)
	}
}

func (ck *docCheck) checkUsers(plan *ImportPlan) {
	d, p := ck.doc, ck.p
	ck.users = map[string]*User{}
	manager := false
	for i := range d.Users {
		r := &d.Users[i]
		u := UserFromRecord(r)
		ok := ck.checkID("users", "user", i, r.ID, ck.users[r.ID] != nil, ck.look.HasUser)
		if _, valid := ParseRole(r.Role); !valid {
			ck.bad("users", i, "role", "%q is not a role (%s)", r.Role, oneOf(roles))
		}
		if r.Region != nil {
			if _, valid := p.Regions[Region(*r.Region)]; !valid {
				ck.bad("users", i, "region", "%q is not a region (%s)", *r.Region, regionList(p))
			}
		}
		ck.checkUserKeys(i, &u)
		if u.Role == Manager {
			manager = true
		}
		if ok {
			ck.users[u.ID] = &u
		}
		plan.Users = append(plan.Users, u)
	}
	if !ck.look.AnyUser() && !manager {
		ck.problems = append(ck.problems, Problem{"users", "an import into an empty store must include a manager"})
	}
	for i := range d.Accounts {
		t := d.Accounts[i].TAM
		if t == nil {
			continue
		}
		// As account add and account set: the TAM is a user whose role is tam.
		if u, ok := ck.user(*t); !ok {
			ck.bad("accounts", i, "tam", "%q is not a user", *t)
		} else if u.Role != TAM {
			ck.bad("accounts", i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
		}
	}
}

// checkCases reads every case number first, so that references between
// cases can go either way.
func (ck *docCheck) checkCases(plan *ImportPlan) {
	d, p := ck.doc, ck.p
	ck.cases = map[int64]int{}
	ck.caseVals = make([]Case, len(d.Cases))
	ck.caseOK = make([]bool, len(d.Cases))
	for i := range d.Cases {
		r := &d.Cases[i]
		c, err := CaseFromRecord(r)
		if err != nil {
			ck.badErr("cases", i, err)
		} else {
			ck.caseOK[i] = true
		}
		if ValidNumber(r.Number) {
			if j, dup := ck.cases[r.Number]; dup {
				ck.bad("cases", i, "number", "%d appears twice (also %s)", r.Number, ck.where("cases", j))
				ck.caseOK[i] = false
			} else if ck.look.HasCase(r.Number) {
				ck.bad("cases", i, "number", "case %s already exists in the store", CaseNumber(r.Number))
				ck.caseOK[i] = false
			} else {
				ck.cases[r.Number] = i
			}
		}
		if a, ok := ck.account(r.Account); ok {
			if c.Plan == "" {
				c.Plan = a.Plan
			}
			if c.Region == "" {
				c.Region = a.Region
			}
		} else if r.Account != "" {
			ck.bad("cases", i, "account", "%q is not an account", r.Account)
		}
		if r.Region != "" {
			if _, valid := p.Regions[Region(r.Region)]; !valid {
				ck.bad("cases", i, "region", "%q is not a region (%s)", r.Region, regionList(p))
			}
		}
		ck.caseVals[i] = c
	}
	for i := range d.Cases {
		r := &d.Cases[i]
		c := &ck.caseVals[i]
		if r.Owner != nil {
			// As take and assign: only those who may own cases.
			if u, ok := ck.user(*r.Owner); !ok {
				ck.bad("cases", i, "owner", "%q is not a user", *r.Owner)
			} else if !MayOwnCases(u.Role) {
				ck.bad("cases", i, "owner", "%s is a %s: cases go to a specialist or a manager", u.ID, u.Role)
			}
		}
		if r.CloseReason != nil && !ValidCloseReason(*r.CloseReason) {
			ck.bad("cases", i, "close_reason", "%q is not a close reason (%s)", *r.CloseReason, oneOf(closeReasons))
		}
		if c.Status == StatusClosed {
			if r.ClosedAt == nil {
				ck.bad("cases", i, "closed_at", "a closed case needs closed_at")
			}
			if r.CloseReason == nil {
				ck.bad("cases", i, "close_reason", "a closed case needs a close reason (%s)", oneOf(closeReasons))
			}
		}
		if r.CloseReason != nil && *r.CloseReason == ReasonDuplicate && r.DuplicateOf == nil {
			ck.bad("cases", i, "duplicate_of", "a case closed as duplicate names the case it duplicates")
		}
		if r.DuplicateOf != nil {
			if *r.DuplicateOf == r.Number {
				ck.bad("cases", i, "duplicate_of", "a case cannot duplicate itself")
			} else if !ck.caseExists(*r.DuplicateOf) {
				ck.bad("cases", i, "duplicate_of", "%d is not a case", *r.DuplicateOf)
			}
		}
		if r.RefersTo != nil && (*r.RefersTo == r.Number || !ck.caseExists(*r.RefersTo)) {
			ck.bad("cases", i, "refers_to", "%d is not another case", *r.RefersTo)
		}
		if ck.caseOK[i] {
			plan.MaxCase = max(plan.MaxCase, c.Number)
		}
	}
	// The plan's cases are the checked ones themselves, not a second copy
	// (a 100,000-case import held both); a case that is not OK has a
	// problem, and a plan with problems is not written.
	plan.Cases = ck.caseVals[:0:0]
	for i := range ck.caseVals {
		if !ck.caseOK[i] {
			for j := range ck.caseVals {
				if ck.caseOK[j] {
					plan.Cases = append(plan.Cases, ck.caseVals[j])
				}
			}
			return
		}
	}
	plan.Cases = ck.caseVals
}

// checkEscalations numbers each escalation after its case's stored ones.
func (ck *docCheck) checkEscalations(plan *ImportPlan) {
	d := ck.doc
	escCount := map[int64]int{}
	for i := range d.Escalations {
		r := &d.Escalations[i]
		e, err := EscalationFromRecord(r)
		if err != nil {
			ck.badErr("escalations", i, err)
		}
		if !ck.caseExists(r.Case) {
			ck.bad("escalations", i, "case", "%d is not a case", r.Case)
			continue
		}
		if !inList(escalationStatuses, r.Status) {
			ck.bad("escalations", i, "status", "%q is not an escalation status (%s)", r.Status, oneOf(escalationStatuses))
		}
		if !inList(channels, r.Channel) {
			ck.bad("escalations", i, "channel", "%q is not a channel (%s)", r.Channel, oneOf(channels))
		}
		if r.Outcome != nil && OutcomeName(*r.Outcome) == "" {
			ck.bad("escalations", i, "outcome", "%q is not an outcome (%s)", *r.Outcome, oneOf(outcomes))
		}
		if strings.TrimSpace(r.RequestedBy) == "" {
			ck.bad("escalations", i, "requested_by", "missing")
		}
		if _, seen := escCount[r.Case]; !seen {
			if last, ok := ck.look.LastEscalationSeq(r.Case); ok {
				escCount[r.Case] = last
			}
		}
		escCount[r.Case]++
		e.Seq = escCount[r.Case]
		plan.Escalations = append(plan.Escalations, e)
	}
}

func regionList(p *Policy) string { return oneOf(p.RegionIDs()) }

func tamPlanList(p *Policy) string {
	s := []string{string(TAMNone)}
	for id := range p.TAMPlans {
		s = append(s, string(id))
	}
	sort.Strings(s[1:])
	return strings.Join(s, ", ")
}
