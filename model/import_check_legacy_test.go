package model

// This file is the import check as it was at commit e692989 (before the
// check ran record by record), kept as the reference that
// TestCheckDocumentSameAsLegacy compares the current check with. It is
// import_check.go, import_check_entries.go, import_check_events.go and
// import_check_keys.go of that commit with every name they declare given
// a legacy prefix (the API types Problem, DocumentLookup, CheckOptions,
// BankMonth and ProjectOf are the real ones). Do not fix it: a difference
// from it is what the test is for; change it only together with a
// deliberate change of the rules, and say so in the commit.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// legacyImportPlan is everything a checked import writes.
type legacyImportPlan struct {
	Accounts    []Account
	Users       []User
	Cases       []Case
	Escalations []Escalation
	Entries     []TimeEntry
	// Events are the document's own events; a document without events
	// records one "imported" event per record instead, made as the plan is
	// written (EachEvent, EventCount).
	Events   []Event
	imported *legacyImportedEvents
	Bank     map[BankMonth]int64 // new counted totals
	Projects map[ProjectOf]int64 // new counted totals
	EventSeq int64               // the last event's sequence after the import
	MaxCase  int64               // the highest case number imported
	MaxEntry int64               // the highest time entry id imported
}

// legacyCheckDocument checks an import document against itself and the desk
// that look reads, with every rule the actions hold. The problems name
// each bad field; the plan is meant for writing only when there are
// none. An error is a failed read of the desk, not a bad document.
func legacyCheckDocument(doc *Document, p *Policy, look DocumentLookup, o CheckOptions) (*legacyImportPlan, []Problem, error) {
	if o.Where == nil {
		o.Where = func(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }
	}
	ck := &legacyDocCheck{look: look, p: p, doc: doc, o: o, removed: map[string]bool{}, logged: map[int64]bool{}}
	for _, ev := range doc.Events {
		var r struct {
			ID json.RawMessage `json:"id"`
		}
		switch ev.Kind {
		case "user-removed":
			var id string
			if json.Unmarshal(ev.Before, &r) == nil && json.Unmarshal(r.ID, &id) == nil && id != "" {
				ck.removed[id] = true
			}
		case "time-logged":
			var id int64
			if json.Unmarshal(ev.After, &r) == nil && json.Unmarshal(r.ID, &id) == nil {
				ck.logged[id] = true
			}
		}
	}
	plan, err := ck.check()
	if err != nil {
		return nil, nil, err
	}
	return plan, ck.problems, nil
}

// legacyDocCheck is one run of legacyCheckDocument.
type legacyDocCheck struct {
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
	keys     *legacyKeyCheck // check_keys.go
	// What the document's events show of its records' history: users
	// removed, entries logged (import_check_history.go's rule).
	removed map[string]bool
	logged  map[int64]bool
}

func (ck *legacyDocCheck) where(list string, i int) string { return ck.o.Where(list, i) }

func (ck *legacyDocCheck) bad(list string, i int, field, format string, args ...any) {
	w := ck.where(list, i)
	if field != "" {
		w += "." + field
	}
	ck.problems = append(ck.problems, Problem{Where: w, Msg: fmt.Sprintf(format, args...)})
}

func (ck *legacyDocCheck) badErr(list string, i int, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		ck.bad(list, i, fe.Field, "%s", fe.Msg)
		return
	}
	ck.bad(list, i, "", "%v", err)
}

// account is an account of the document or the desk.
func (ck *legacyDocCheck) account(id string) (*Account, bool) {
	if a, ok := ck.accounts[id]; ok {
		return a, true
	}
	return ck.look.Account(id)
}

// user is a user of the document or the desk.
func (ck *legacyDocCheck) user(id string) (*User, bool) {
	if u, ok := ck.users[id]; ok {
		return u, true
	}
	if !ValidID(id) {
		return nil, false
	}
	return ck.look.User(id)
}

func (ck *legacyDocCheck) caseExists(n int64) bool {
	if _, ok := ck.cases[n]; ok {
		return true
	}
	return n > 0 && ck.look.HasCase(n)
}

// caseRegion is the region of a case of the document or the desk.
func (ck *legacyDocCheck) caseRegion(n int64) Region {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Region
	}
	if c, ok := ck.look.Case(n); ok {
		return c.Region
	}
	return ""
}

// caseAccount is the account of a case of the document or the desk.
func (ck *legacyDocCheck) caseAccount(n int64) string {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Account
	}
	if c, ok := ck.look.Case(n); ok {
		return c.Account
	}
	return ""
}

// legacyOneOf is the words of a list in a message: "(a, b, c)".
func legacyOneOf[S ~string](list []S) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

const legacyNotAnID = "%q is not an id (lower-case letters, digits, '-', '_' or '.'; at most 64)"

func (ck *legacyDocCheck) check() (*legacyImportPlan, error) {
	d := ck.doc
	plan := &legacyImportPlan{Bank: map[BankMonth]int64{}, Projects: map[ProjectOf]int64{}}
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
		ck.legacyImportedEvents(plan, lastSeq)
	}
	return plan, nil
}

// checkID checks the id of record i of section (an account's or a user's,
// what names the kind): not reserved, well formed, given once (twice: the
// document already gave it), not already in the store. It reports whether
// the id is good.
func (ck *legacyDocCheck) checkID(section, what string, i int, id string, twice bool, inStore func(string) bool) bool {
	switch {
	case id == System:
		ck.bad(section, i, "id", "%s id %s is reserved (%s)", what, System, ReservedIDReason)
	case !ValidID(id):
		ck.bad(section, i, "id", legacyNotAnID, id)
	case twice:
		ck.bad(section, i, "id", "%q appears twice", id)
	case inStore(id):
		ck.bad(section, i, "id", "%s %q already exists in the store", what, id)
	default:
		return true
	}
	return false
}

func (ck *legacyDocCheck) checkAccounts(plan *legacyImportPlan) {
	d, p := ck.doc, ck.p
	ck.accounts = map[string]*Account{}
	for i := range d.Accounts {
		r := &d.Accounts[i]
		a := AccountFromRecord(r)
		ok := ck.checkID("accounts", "account", i, r.ID, ck.accounts[r.ID] != nil, ck.look.HasAccount)
		if _, valid := ParsePlan(r.Plan); !valid {
			ck.bad("accounts", i, "plan", "%q is not a plan (%s)", r.Plan, legacyOneOf(plans))
		}
		if _, valid := p.Regions[Region(r.Region)]; !valid {
			ck.bad("accounts", i, "region", "%q is not a region (%s)", r.Region, legacyRegionList(p))
		}
		if _, valid := p.TAMPlans[a.TAMPlan]; !valid && a.TAMPlan != TAMNone {
			ck.bad("accounts", i, "tam_plan", "%q is not a TAM plan (%s)", r.TAMPlan, legacyTamPlanList(p))
		}
		for j, c := range r.Contacts {
			if strings.TrimSpace(c.Name) == "" {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].name", j), "missing")
			}
			if !ValidRequesterKind(c.Kind) {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].kind", j), "%q is not a contact kind (%s)", c.Kind, legacyOneOf(requesterKinds))
			}
		}
		if ok {
			ck.accounts[a.ID] = &a
		}
		plan.Accounts = append(plan.Accounts, a)
	}
}

func (ck *legacyDocCheck) checkUsers(plan *legacyImportPlan) {
	d, p := ck.doc, ck.p
	ck.users = map[string]*User{}
	manager := false
	for i := range d.Users {
		r := &d.Users[i]
		u := UserFromRecord(r)
		ok := ck.checkID("users", "user", i, r.ID, ck.users[r.ID] != nil, ck.look.HasUser)
		if _, valid := ParseRole(r.Role); !valid {
			ck.bad("users", i, "role", "%q is not a role (%s)", r.Role, legacyOneOf(roles))
		}
		if r.Region != nil {
			if _, valid := p.Regions[Region(*r.Region)]; !valid {
				ck.bad("users", i, "region", "%q is not a region (%s)", *r.Region, legacyRegionList(p))
			}
		}
		ck.legacyCheckUserKeys(i, &u)
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
func (ck *legacyDocCheck) checkCases(plan *legacyImportPlan) {
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
				ck.bad("cases", i, "region", "%q is not a region (%s)", r.Region, legacyRegionList(p))
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
				if !(c.Status == StatusClosed && ck.removed[*r.Owner]) {
					ck.bad("cases", i, "owner", "%q is not a user", *r.Owner)
				}
			} else if !MayOwnCases(u.Role) {
				ck.bad("cases", i, "owner", "%s is a %s: cases go to a specialist or a manager", u.ID, u.Role)
			}
		}
		if r.CloseReason != nil && !ValidCloseReason(*r.CloseReason) {
			ck.bad("cases", i, "close_reason", "%q is not a close reason (%s)", *r.CloseReason, legacyOneOf(closeReasons))
		}
		if c.Status == StatusClosed {
			if r.ClosedAt == nil {
				ck.bad("cases", i, "closed_at", "a closed case needs closed_at")
			}
			if r.CloseReason == nil {
				ck.bad("cases", i, "close_reason", "a closed case needs a close reason (%s)", legacyOneOf(closeReasons))
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
func (ck *legacyDocCheck) checkEscalations(plan *legacyImportPlan) {
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
			ck.bad("escalations", i, "status", "%q is not an escalation status (%s)", r.Status, legacyOneOf(escalationStatuses))
		}
		if !inList(channels, r.Channel) {
			ck.bad("escalations", i, "channel", "%q is not a channel (%s)", r.Channel, legacyOneOf(channels))
		}
		if r.Outcome != nil && OutcomeName(*r.Outcome) == "" {
			ck.bad("escalations", i, "outcome", "%q is not an outcome (%s)", *r.Outcome, legacyOneOf(outcomes))
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

func legacyRegionList(p *Policy) string { return legacyOneOf(p.RegionIDs()) }

func legacyTamPlanList(p *Policy) string {
	s := []string{string(TAMNone)}
	for id := range p.TAMPlans {
		s = append(s, string(id))
	}
	sort.Strings(s[1:])
	return strings.Join(s, ", ")
}

// checkEntries checks the document's time entries as time log checks
// each one: an id in range, an account with a TAM plan, a TAM who is a
// tam, minutes in range, no date after the import's today, a case of the
// same account, a project for implementation guidance, managed mode only
// where the plan has it; and, over the document and what the store
// already holds, every month of an account within its plan's bank (as
// the plan is now, like the action) and every project within the
// implementation cap. Exactly reaching a bank or the cap is allowed.
// The totals it leaves in plan are the stored values to write.
func (ck *legacyDocCheck) checkEntries(plan *legacyImportPlan) error {
	d := ck.doc
	p := ck.p
	today := DateOf(ck.o.Now, p.TAMZone)
	capMin := int64(p.ImplementationCap / time.Minute)
	entryIDs := map[int64]int{}
	overBank := map[BankMonth]bool{} // banks and projects already reported
	// A month past its bank is excused when every entry of it in the
	// document has its time-logged event there.
	type legacyOver struct {
		i   int
		msg string
	}
	overAt := map[BankMonth]legacyOver{}
	monthLogged := map[BankMonth]bool{}
	overProject := map[ProjectOf]bool{}
	// The totals add to the desk's running totals, read the first time;
	// each addend is at most MaxEntryMinutes, so no sum can wrap.
	var readErr error
	read := func(n int64, err error) int64 {
		if err != nil && readErr == nil {
			readErr = err
		}
		return n
	}
	for i := range d.TimeEntries {
		r := &d.TimeEntries[i]
		e, err := TimeEntryFromRecord(r)
		if err != nil {
			ck.badErr("time_entries", i, err)
		}
		okID := true
		switch {
		case !ValidNumber(r.ID):
			ck.bad("time_entries", i, "id", "%d is not an id (1 to %d)", r.ID, MaxNumber)
			okID = false
		case entryIDs[r.ID] > 0:
			ck.bad("time_entries", i, "id", "%d appears twice (also %s)", r.ID, ck.where("time_entries", entryIDs[r.ID]-1))
			okID = false
		case ck.look.HasTimeEntry(r.ID):
			ck.bad("time_entries", i, "id", "time entry %d already exists in the store", r.ID)
			okID = false
		default:
			entryIDs[r.ID] = i + 1
		}
		acct, okAcct := ck.account(r.Account)
		if !okAcct {
			ck.bad("time_entries", i, "account", "%q is not an account", r.Account)
			okID = false
		}
		// The action records the acting TAM, or the account's TAM (a tam).
		if u, ok := ck.user(r.TAM); !ok {
			if !ck.removed[r.TAM] {
				ck.bad("time_entries", i, "tam", "%q is not a user", r.TAM)
			}
		} else if u.Role != TAM {
			ck.bad("time_entries", i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
		}
		okMin := true
		if err := CheckEntryMinutes(r.Minutes); err != nil {
			ck.bad("time_entries", i, "minutes", "%v", err)
			okMin = false
		}
		if !ValidCategory(r.Category) {
			ck.bad("time_entries", i, "category", "%q is not a category (%s)", r.Category, legacyOneOf(categories))
		}
		if e.Mode == "" {
			e.Mode = ModeConsultative
		}
		if !inList(modes, e.Mode) {
			ck.bad("time_entries", i, "mode", "%q is not a mode (%s)", r.Mode, legacyOneOf(modes))
		}
		if !e.Date.IsZero() && today.Before(e.Date) {
			ck.bad("time_entries", i, "date", "%s is in the future (today is %s)", e.Date, today)
		}
		if r.Case != nil {
			if !ck.caseExists(*r.Case) {
				ck.bad("time_entries", i, "case", "%d is not a case", *r.Case)
			} else if owner := ck.caseAccount(*r.Case); okAcct && owner != acct.ID {
				ck.bad("time_entries", i, "case", "case %s belongs to %s", CaseNumber(*r.Case), owner)
			}
		}
		if r.Category == CatImplementation && strings.TrimSpace(e.Project) == "" {
			ck.bad("time_entries", i, "project", "implementation guidance needs a project")
		}
		if !okID {
			continue
		}
		plan.Entries = append(plan.Entries, e)
		plan.MaxEntry = max(plan.MaxEntry, e.ID)
		if !e.Counts() || !okMin || e.Date.IsZero() {
			continue
		}
		spec, hasPlan := p.TAMPlans[acct.TAMPlan]
		switch {
		case ck.logged[e.ID]:
		case !hasPlan:
			ck.bad("time_entries", i, "account", "%s has no TAM plan", acct.ID)
		case e.Mode == ModeManaged && !spec.Managed:
			ck.bad("time_entries", i, "mode", "%s has no managed services", spec.Name)
		}
		month := e.Date.MonthOf()
		bk := BankMonth{e.Account, month.String()}
		if _, ok := plan.Bank[bk]; !ok {
			plan.Bank[bk] = read(ck.look.BankMinutes(bk.Account, bk.Month))
		}
		plan.Bank[bk] += int64(e.Minutes)
		if all, seen := monthLogged[bk]; seen {
			monthLogged[bk] = all && ck.logged[e.ID]
		} else {
			monthLogged[bk] = ck.logged[e.ID]
		}
		if used := plan.Bank[bk]; hasPlan && used > int64(spec.BankMinutes()) && !overBank[bk] {
			overBank[bk] = true
			overAt[bk] = legacyOver{i, fmt.Sprintf("%s's bank for %s is %s (%s): this entry takes it to %s",
				acct.ID, month, HoursMinutes(spec.BankMinutes()), spec.Name, HoursMinutes(int(used)))}
		}
		if e.Category == CatImplementation && e.Project != "" {
			pk := ProjectOf{e.Account, e.Project}
			if _, ok := plan.Projects[pk]; !ok {
				plan.Projects[pk] = read(ck.look.ProjectMinutes(pk.Account, pk.Project))
			}
			plan.Projects[pk] += int64(e.Minutes)
			if used := plan.Projects[pk]; used > capMin && !overProject[pk] {
				overProject[pk] = true
				ck.bad("time_entries", i, "minutes", "%s", ProjectCapMessage(p, e.Project))
			}
		}
	}
	for bk, o := range overAt {
		if !monthLogged[bk] {
			ck.bad("time_entries", o.i, "minutes", "%s", o.msg)
		}
	}
	return readErr
}

// checkEvents keeps the document's events as they are, after checking
// them and that each case with events is what replaying them gives.
func (ck *legacyDocCheck) checkEvents(plan *legacyImportPlan, lastSeq int64) {
	d := ck.doc
	seqs := map[int64]int{}
	byCase := map[int64][]Event{}
	for i := range d.Events {
		r := &d.Events[i]
		ev := Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
		var err error
		switch {
		case !ValidNumber(r.Seq):
			ck.bad("events", i, "seq", "%d is not a seq (1 to %d)", r.Seq, MaxNumber)
		case seqs[r.Seq] > 0:
			ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", seqs[r.Seq]-1))
		case r.Seq <= lastSeq:
			ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, lastSeq)
		default:
			seqs[r.Seq] = i + 1
		}
		if ev.At, err = ParseInstant(r.At); err != nil {
			ck.bad("events", i, "at", "%v", err)
		}
		if ev.RecordedAt, err = ParseInstant(r.RecordedAt); err != nil {
			ck.bad("events", i, "recorded_at", "%v", err)
		}
		if strings.TrimSpace(r.Actor) == "" {
			ck.bad("events", i, "actor", "missing")
		}
		if !ValidEventKind(r.Kind) {
			ck.bad("events", i, "kind", "%q is not an event kind", r.Kind)
		}
		for _, f := range []struct {
			name string
			v    []byte
		}{{"before", r.Before}, {"after", r.After}} {
			v := bytes.TrimSpace(f.v)
			if len(v) > 0 && !bytes.Equal(v, []byte("null")) && v[0] != '{' {
				ck.bad("events", i, f.name, "must be an object or null")
			}
		}
		if r.Case != nil {
			ev.Case = *r.Case
			if _, inDoc := ck.cases[ev.Case]; !inDoc {
				ck.bad("events", i, "case", "%d is not a case of this document", ev.Case)
			} else {
				byCase[ev.Case] = append(byCase[ev.Case], ev)
			}
		}
		plan.Events = append(plan.Events, ev)
		plan.EventSeq = max(plan.EventSeq, ev.Seq)
	}
	sort.SliceStable(plan.Events, func(i, j int) bool { return plan.Events[i].Seq < plan.Events[j].Seq })
	if plan.EventSeq < lastSeq {
		plan.EventSeq = lastSeq
	}
	if len(ck.problems) > 0 {
		return
	}
	escs := map[int64][]int{}
	for i := range d.Escalations {
		escs[d.Escalations[i].Case] = append(escs[d.Escalations[i].Case], i)
	}
	nums := make([]int64, 0, len(byCase))
	for n := range byCase {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	for _, n := range nums {
		evs := byCase[n]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
		ci := ck.cases[n]
		rc, res, err := ReplayCase(evs)
		if err != nil {
			ck.bad("cases", ci, "", "its events do not replay: %v", err)
			continue
		}
		got, gerr := ck.normCase(rc)
		want, _ := ck.normCase(&d.Cases[ci])
		if gerr != nil || !bytes.Equal(got, want) {
			ck.bad("cases", ci, "", "is not what replaying its events gives (%s)", legacyFirstDiff(want, got))
			continue
		}
		docEscs := escs[n]
		if len(res) != len(docEscs) {
			ck.bad("cases", ci, "", "its events give %d escalations, the document has %d", len(res), len(docEscs))
			continue
		}
		loc := ck.p.RegionZone(ck.caseVals[ci].Region)
		for k, ei := range docEscs {
			if !bytes.Equal(legacyNormEsc(&res[k], loc), legacyNormEsc(&d.Escalations[ei], loc)) {
				ck.bad("escalations", ei, "", "is not what replaying the events of case %s gives", CaseNumber(n))
			}
		}
	}
}

// normCase is a case record with defaults filled, in canonical form.
func (ck *legacyDocCheck) normCase(r *CaseRecord) ([]byte, error) {
	c, err := CaseFromRecord(r)
	if err != nil {
		return nil, err
	}
	if a, ok := ck.account(c.Account); ok {
		if c.Plan == "" {
			c.Plan = a.Plan
		}
		if c.Region == "" {
			c.Region = a.Region
		}
	}
	rec := CaseToRecord(&c, ck.p)
	return marshalCompact(&rec)
}

func legacyNormEsc(r *EscalationRecord, loc *time.Location) []byte {
	e, err := EscalationFromRecord(r)
	if err != nil {
		return []byte("invalid")
	}
	rec := EscalationToRecord(&e, loc)
	b, _ := marshalCompact(&rec)
	return b
}

// legacyFirstDiff names the first field where two compact records differ.
func legacyFirstDiff(want, got []byte) string {
	if got == nil {
		return "the replayed case is invalid"
	}
	wk, wv := ObjectFields(want)
	gk, gv := ObjectFields(got)
	for i := range wk {
		if i >= len(gk) || !bytes.Equal(wv[i], gv[i]) {
			g := "nothing"
			if i < len(gv) {
				g = string(gv[i])
			}
			return fmt.Sprintf("%s: %s here, %s from the events", wk[i], wv[i], g)
		}
	}
	return "they differ"
}

// legacyImportedEvents records one "imported" event per record.
func (ck *legacyDocCheck) legacyImportedEvents(plan *legacyImportPlan, seq int64) {
	im := &legacyImportedEvents{p: ck.p, at: ck.o.Now, recorded: ck.o.RecordedAt, actor: ck.o.Actor, first: seq + 1}
	region := make(map[int64]Region, len(plan.Cases))
	for i := range plan.Cases {
		region[plan.Cases[i].Number] = plan.Cases[i].Region
	}
	im.escZones = make([]*time.Location, len(plan.Escalations))
	for i := range plan.Escalations {
		reg, ok := region[plan.Escalations[i].Case]
		if !ok {
			reg = ck.caseRegion(plan.Escalations[i].Case)
		}
		im.escZones[i] = ck.p.RegionZone(reg)
	}
	plan.imported = im
	plan.EventSeq = seq + int64(len(plan.Accounts)+len(plan.Users)+len(plan.Cases)+len(plan.Escalations)+len(plan.Entries))
}

// legacyImportedEvents makes the "imported" event of each record of a plan, one
// at a time when the plan is written (100,000 of them held at once were
// the largest part of a big import's memory).
type legacyImportedEvents struct {
	p            *Policy
	at, recorded time.Time
	actor        string
	first        int64            // the first event's seq
	escZones     []*time.Location // each escalation's case's zone
}

// EventCount is how many events the plan writes.
func (plan *legacyImportPlan) EventCount() int {
	if plan.imported != nil {
		return len(plan.Accounts) + len(plan.Users) + len(plan.Cases) + len(plan.Escalations) + len(plan.Entries)
	}
	return len(plan.Events)
}

// EachEvent calls fn with every event the plan writes, in seq order: the
// document's own, or one "imported" event per record (accounts, users,
// cases, escalations, time entries) whose after is the record as
// imported. The event is fn's only during the call.
func (plan *legacyImportPlan) EachEvent(fn func(*Event) error) error {
	im := plan.imported
	if im == nil {
		for i := range plan.Events {
			if err := fn(&plan.Events[i]); err != nil {
				return err
			}
		}
		return nil
	}
	seq := im.first
	add := func(n int64, v any) error {
		after, _ := marshalCompact(v)
		ev := Event{Seq: seq, At: im.at, RecordedAt: im.recorded, Actor: im.actor, Case: n, Kind: "imported", After: after}
		seq++
		return fn(&ev)
	}
	for i := range plan.Accounts {
		r := AccountToRecord(&plan.Accounts[i])
		if err := add(0, &r); err != nil {
			return err
		}
	}
	for i := range plan.Users {
		r := UserToRecord(&plan.Users[i])
		if err := add(0, &r); err != nil {
			return err
		}
	}
	for i := range plan.Cases {
		c := &plan.Cases[i]
		r := CaseToRecord(c, im.p)
		if err := add(c.Number, &r); err != nil {
			return err
		}
	}
	for i := range plan.Escalations {
		e := &plan.Escalations[i]
		r := EscalationToRecord(e, im.escZones[i])
		if err := add(e.Case, &r); err != nil {
			return err
		}
	}
	for i := range plan.Entries {
		r := TimeEntryToRecord(&plan.Entries[i], im.p)
		if err := add(0, &r); err != nil {
			return err
		}
	}
	return nil
}

// legacyKeyCheck is the import check of users' SSH keys: each parses, and each
// is on one user only, across the document and the store (serve tells
// users apart by their keys alone).
type legacyKeyCheck struct {
	inDoc   map[string]string   // fingerprint -> user id, for the document
	inStore map[string][]string // fingerprint -> user ids, read once
}

// legacyCheckUserKeys checks user i's keys and puts them in canonical form in u.
func (ck *legacyDocCheck) legacyCheckUserKeys(i int, u *User) {
	if ck.keys == nil {
		ck.keys = &legacyKeyCheck{inDoc: map[string]string{}}
	}
	kc := ck.keys
	if kc.inStore == nil && len(u.Keys) > 0 {
		kc.inStore = map[string][]string{}
		users, err := ck.look.Users()
		if err != nil {
			ck.bad("users", i, "keys", "read the store's users: %v", err)
			return
		}
		for _, su := range users {
			for _, k := range su.Keys {
				if fp, ok := KeyFingerprint(k); ok {
					kc.inStore[fp] = append(kc.inStore[fp], su.ID)
				}
			}
		}
	}
	for j, k := range u.Keys {
		field := fmt.Sprintf("keys[%d]", j)
		p, err := ParseSSHKey(k)
		if err != nil {
			ck.bad("users", i, field, "%v", err)
			continue
		}
		u.Keys[j] = p.Line
		if ids := kc.inStore[p.Fingerprint]; len(ids) > 0 {
			ck.bad("users", i, field, "key %s is already on %s (in the store)", p.Fingerprint, ids[0])
			continue
		}
		if other, dup := kc.inDoc[p.Fingerprint]; dup {
			if other == u.ID {
				ck.bad("users", i, field, "key %s is given twice", p.Fingerprint)
			} else {
				ck.bad("users", i, field, "key %s is already on %s", p.Fingerprint, other)
			}
			continue
		}
		kc.inDoc[p.Fingerprint] = u.ID
	}
}
