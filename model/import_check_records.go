package model

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// The check of each account, user, case and escalation of an import
// document (DocCheck), and what they read of the document and the desk.

// account is an account of the document or the desk.
func (ck *DocCheck) account(id string) (*Account, bool) {
	if a, ok := ck.accounts[id]; ok {
		return a, true
	}
	return ck.look.Account(id)
}

// user is a user of the document or the desk.
func (ck *DocCheck) user(id string) (*User, bool) {
	if u, ok := ck.users[id]; ok {
		return u, true
	}
	if !ValidID(id) {
		return nil, false
	}
	return ck.look.User(id)
}

func (ck *DocCheck) caseExists(n int64) bool {
	if _, ok := ck.cases[n]; ok {
		return true
	}
	return n > 0 && ck.look.HasCase(n)
}

// caseRegion is the region of a case of the document or the desk.
func (ck *DocCheck) caseRegion(n int64) Region {
	if c, ok := ck.cases[n]; ok {
		return Region(ck.names[c.region])
	}
	if c, ok := ck.look.Case(n); ok {
		return c.Region
	}
	return ""
}

// caseAccount is the account of a case of the document or the desk.
func (ck *DocCheck) caseAccount(n int64) string {
	if c, ok := ck.cases[n]; ok {
		return ck.names[c.account]
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

// checkID checks the id of record i of section (an account's or a user's,
// what names the kind): not reserved, well formed, given once (twice: the
// document already gave it), not already in the store. It reports whether
// the id is good.
func (ck *DocCheck) checkID(section, what string, i int, id string, twice bool, inStore func(string) bool) bool {
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

func (ck *DocCheck) checkAccount(i int, r *AccountRecord) {
	p := ck.p
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
	if r.TAM != nil {
		ck.tams = append(ck.tams, accountTAM{i, *r.TAM})
	}
	ck.tot.Accounts++
	ck.fail(ck.w.Account(&a))
	rec := AccountToRecord(&a)
	ck.imported(0, &rec)
}

func (ck *DocCheck) checkUser(i int, r *UserRecord) {
	p := ck.p
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
		ck.manager = true
	}
	if ok {
		ck.users[u.ID] = &u
	}
	ck.tot.Users++
	ck.fail(ck.w.User(&u))
	rec := UserToRecord(&u)
	ck.imported(0, &rec)
}

// endUsers checks what needs every user: a manager for an empty store,
// and each account's TAM.
func (ck *DocCheck) endUsers() {
	if !ck.look.AnyUser() && !ck.manager {
		ck.probs = append(ck.probs, rankedProblem{listUsers, math.MaxInt, Problem{"users", "an import into an empty store must include a manager"}})
	}
	for _, t := range ck.tams {
		// As account add and account set: the TAM is a user whose role is tam.
		if u, ok := ck.user(t.tam); !ok {
			ck.bad("accounts", t.i, "tam", "%q is not a user", t.tam)
		} else if u.Role != TAM {
			ck.bad("accounts", t.i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
		}
	}
	ck.tams = nil
}

func (ck *DocCheck) checkCase(i int, r *CaseRecord) {
	p := ck.p
	c, err := CaseFromRecord(r)
	ok := err == nil
	if err != nil {
		ck.badErr("cases", i, err)
	}
	if ValidNumber(r.Number) {
		if prev, dup := ck.cases[r.Number]; dup {
			ck.bad("cases", i, "number", "%d appears twice (also %s)", r.Number, ck.where("cases", int(prev.i)))
			ok = false
		} else if ck.look.HasCase(r.Number) {
			ck.bad("cases", i, "number", "case %s already exists in the store", CaseNumber(r.Number))
			ok = false
		} else {
			ck.cases[r.Number] = caseInfo{i: int32(i)}
		}
	}
	if a, found := ck.account(r.Account); found {
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
	if info, mine := ck.cases[r.Number]; mine && int(info.i) == i {
		info.ok, info.region, info.account = ok, uint32(ck.name(string(c.Region))), uint32(ck.name(c.Account))
		ck.cases[r.Number] = info
	}
	if r.Owner != nil {
		// As take and assign: only those who may own cases.
		if u, found := ck.user(*r.Owner); !found && c.Status == StatusClosed {
			// A closed case may keep an owner who has left (history).
			ck.badUnless([]string{removedUser(*r.Owner)}, "cases", i, "owner", "%q is not a user", *r.Owner)
		} else if !found {
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
		} else {
			ck.refCase(i, "duplicate_of", *r.DuplicateOf)
		}
	}
	if r.RefersTo != nil {
		if *r.RefersTo == r.Number {
			ck.bad("cases", i, "refers_to", "%d is not another case", *r.RefersTo)
		} else {
			ck.refCase(i, "refers_to", *r.RefersTo)
		}
	}
	if !ok {
		return
	}
	ck.tot.MaxCase = max(ck.tot.MaxCase, c.Number)
	ck.tot.Cases++
	ck.fail(ck.w.Case(&c))
	rec := CaseToRecord(&c, p)
	ck.imported(c.Number, &rec)
}

// refCase checks that a case names a case: of the desk, or of the
// document before or after it (then once the cases have ended).
func (ck *DocCheck) refCase(i int, field string, target int64) {
	if !ck.caseExists(target) {
		ck.refs = append(ck.refs, pendingRef{i, field, target})
	}
}

// endCases checks the references to cases met after the case naming them.
func (ck *DocCheck) endCases() {
	for _, r := range ck.refs {
		if _, ok := ck.cases[r.target]; ok {
			continue
		}
		if r.field == "duplicate_of" {
			ck.bad("cases", r.i, r.field, "%d is not a case", r.target)
		} else {
			ck.bad("cases", r.i, r.field, "%d is not another case", r.target)
		}
	}
	ck.refs = nil
}

// name is the index of an account or region in names: 100,000 cases
// name a few of them.
func (ck *DocCheck) name(s string) int {
	i, ok := ck.nameIdx[s]
	if !ok {
		i = len(ck.names)
		ck.names = append(ck.names, s)
		ck.nameIdx[s] = i
	}
	return i
}

// checkEscalation numbers each escalation after its case's stored ones.
func (ck *DocCheck) checkEscalation(i int, r *EscalationRecord) {
	e, err := EscalationFromRecord(r)
	if err != nil {
		ck.badErr("escalations", i, err)
	}
	if !ck.caseExists(r.Case) {
		ck.bad("escalations", i, "case", "%d is not a case", r.Case)
		return
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
	if _, seen := ck.escCount[r.Case]; !seen {
		if last, ok := ck.look.LastEscalationSeq(r.Case); ok {
			ck.escCount[r.Case] = last
		}
	}
	ck.escCount[r.Case]++
	if _, inDoc := ck.cases[r.Case]; inDoc {
		ck.escIdx[r.Case] = append(ck.escIdx[r.Case], int32(i))
	}
	e.Seq = ck.escCount[r.Case]
	ck.tot.Escalations++
	ck.fail(ck.w.Escalation(&e))
	rec := EscalationToRecord(&e, ck.p.RegionZone(ck.caseRegion(e.Case)))
	ck.imported(e.Case, &rec)
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
