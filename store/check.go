package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// checker checks an import document against itself and the store.
type checker struct {
	s        *Store
	txn      *badger.Txn
	doc      *model.Document
	where    func(list string, i int) string
	now      time.Time
	actor    string
	problems []Problem

	accounts map[string]*model.Account
	users    map[string]*model.User
	cases    map[int64]int // number -> index in doc.Cases
	caseVals []model.Case
	caseOK   []bool
	keys     *keyCheck // check_keys.go
}

func (ck *checker) bad(list string, i int, field, format string, args ...any) {
	w := ck.where(list, i)
	if field != "" {
		w += "." + field
	}
	ck.problems = append(ck.problems, Problem{Where: w, Msg: fmt.Sprintf(format, args...)})
}

func (ck *checker) badErr(list string, i int, err error) {
	var fe *model.FieldError
	if errors.As(err, &fe) {
		ck.bad(list, i, fe.Field, "%s", fe.Msg)
		return
	}
	ck.bad(list, i, "", "%v", err)
}

func (ck *checker) has(key []byte) bool {
	_, err := ck.txn.Get(key)
	return err == nil
}

func (ck *checker) account(id string) (*model.Account, bool) {
	if a, ok := ck.accounts[id]; ok {
		return a, true
	}
	var a model.Account
	ok, err := getJSON(ck.txn, accountKey(id), &a)
	if err != nil || !ok {
		return nil, false
	}
	return &a, true
}

func (ck *checker) userExists(id string) bool {
	_, ok := ck.user(id)
	return ok
}

// user is a user of the document or the store.
func (ck *checker) user(id string) (*model.User, bool) {
	if u, ok := ck.users[id]; ok {
		return u, true
	}
	if !model.ValidID(id) {
		return nil, false
	}
	var u model.User
	if ok, err := getJSON(ck.txn, userKey(id), &u); err != nil || !ok {
		return nil, false
	}
	return &u, true
}

func (ck *checker) caseExists(n int64) bool {
	if _, ok := ck.cases[n]; ok {
		return true
	}
	return n > 0 && ck.has(caseKey(n))
}

// caseRegion is the region of a case of the document or the store.
func (ck *checker) caseRegion(n int64) model.Region {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Region
	}
	var c model.Case
	if ok, _ := getJSON(ck.txn, caseKey(n), &c); ok {
		return c.Region
	}
	return ""
}

func (ck *checker) check() (*importPlan, error) {
	d := ck.doc
	p := ck.s.policy
	plan := &importPlan{bank: map[string]int64{}, projects: map[string]int64{}}
	if d.Format != 0 && d.Format != 1 {
		ck.problems = append(ck.problems, Problem{"format", fmt.Sprintf("%d is not a format this caseboard reads (1)", d.Format)})
	}

	// Accounts.
	ck.accounts = map[string]*model.Account{}
	for i := range d.Accounts {
		r := &d.Accounts[i]
		a := model.AccountFromRecord(r)
		ok := true
		switch {
		case r.ID == model.System:
			ck.bad("accounts", i, "id", "account id %s is reserved (%s)", model.System, model.ReservedIDReason)
			ok = false
		case !model.ValidID(r.ID):
			ck.bad("accounts", i, "id", "%q is not an id (lower-case letters, digits, '-', '_' or '.'; at most 64)", r.ID)
			ok = false
		case ck.accounts[r.ID] != nil:
			ck.bad("accounts", i, "id", "%q appears twice", r.ID)
			ok = false
		case ck.has(accountKey(r.ID)):
			ck.bad("accounts", i, "id", "account %q already exists in the store", r.ID)
			ok = false
		}
		if _, valid := model.ParsePlan(r.Plan); !valid {
			ck.bad("accounts", i, "plan", "%q is not a plan (basic, plus, premium)", r.Plan)
		}
		if _, valid := p.Regions[model.Region(r.Region)]; !valid {
			ck.bad("accounts", i, "region", "%q is not a region (%s)", r.Region, regionList(p))
		}
		if _, valid := p.TAMPlans[a.TAMPlan]; !valid && a.TAMPlan != model.TAMNone {
			ck.bad("accounts", i, "tam_plan", "%q is not a TAM plan (%s)", r.TAMPlan, tamPlanList(p))
		}
		for j, c := range r.Contacts {
			if strings.TrimSpace(c.Name) == "" {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].name", j), "missing")
			}
			if !model.ValidRequesterKind(c.Kind) {
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].kind", j), "%q is not a contact kind (%s)", c.Kind, strings.Join(model.RequesterKinds(), ", "))
			}
		}
		if ok {
			ck.accounts[a.ID] = &a
		}
		plan.accounts = append(plan.accounts, a)
	}

	// Users.
	ck.users = map[string]*model.User{}
	manager := false
	for i := range d.Users {
		r := &d.Users[i]
		u := model.UserFromRecord(r)
		ok := true
		switch {
		case r.ID == model.System:
			ck.bad("users", i, "id", "user id %s is reserved (%s)", model.System, model.ReservedIDReason)
			ok = false
		case !model.ValidID(r.ID):
			ck.bad("users", i, "id", "%q is not an id (lower-case letters, digits, '-', '_' or '.'; at most 64)", r.ID)
			ok = false
		case ck.users[r.ID] != nil:
			ck.bad("users", i, "id", "%q appears twice", r.ID)
			ok = false
		case ck.has(userKey(r.ID)):
			ck.bad("users", i, "id", "user %q already exists in the store", r.ID)
			ok = false
		}
		if _, valid := model.ParseRole(r.Role); !valid {
			ck.bad("users", i, "role", "%q is not a role (specialist, manager, tam, wall)", r.Role)
		}
		if r.Region != nil {
			if _, valid := p.Regions[model.Region(*r.Region)]; !valid {
				ck.bad("users", i, "region", "%q is not a region (%s)", *r.Region, regionList(p))
			}
		}
		ck.checkUserKeys(i, &u)
		if u.Role == model.Manager {
			manager = true
		}
		if ok {
			ck.users[u.ID] = &u
		}
		plan.users = append(plan.users, u)
	}
	if !exists(ck.txn, []byte(pUser)) && !manager {
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
		} else if u.Role != model.TAM {
			ck.bad("accounts", i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
		}
	}

	// Cases: first their numbers, so that references can go either way.
	ck.cases = map[int64]int{}
	ck.caseVals = make([]model.Case, len(d.Cases))
	ck.caseOK = make([]bool, len(d.Cases))
	for i := range d.Cases {
		r := &d.Cases[i]
		c, err := model.CaseFromRecord(r)
		if err != nil {
			ck.badErr("cases", i, err)
		} else {
			ck.caseOK[i] = true
		}
		if model.ValidNumber(r.Number) {
			if j, dup := ck.cases[r.Number]; dup {
				ck.bad("cases", i, "number", "%d appears twice (also %s)", r.Number, ck.where("cases", j))
				ck.caseOK[i] = false
			} else if ck.has(caseKey(r.Number)) {
				ck.bad("cases", i, "number", "case %s already exists in the store", model.CaseNumber(r.Number))
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
			if _, valid := p.Regions[model.Region(r.Region)]; !valid {
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
			} else if !model.MayOwnCases(u.Role) {
				ck.bad("cases", i, "owner", "%s is a %s: cases go to a specialist or a manager", u.ID, u.Role)
			}
		}
		if r.CloseReason != nil {
			switch *r.CloseReason {
			case model.ReasonResolved, model.ReasonNoResponse, model.ReasonDuplicate:
			default:
				ck.bad("cases", i, "close_reason", "%q is not a close reason (resolved, no-response, duplicate)", *r.CloseReason)
			}
		}
		if c.Status == model.StatusClosed {
			if r.ClosedAt == nil {
				ck.bad("cases", i, "closed_at", "a closed case needs closed_at")
			}
			if r.CloseReason == nil {
				ck.bad("cases", i, "close_reason", "a closed case needs a close reason (resolved, no-response, duplicate)")
			}
		}
		if r.CloseReason != nil && *r.CloseReason == model.ReasonDuplicate && r.DuplicateOf == nil {
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
			plan.cases = append(plan.cases, *c)
			plan.maxCase = max(plan.maxCase, c.Number)
		}
	}

	// Escalations, numbered after the case's stored ones.
	escCount := map[int64]int{}
	for i := range d.Escalations {
		r := &d.Escalations[i]
		e, err := model.EscalationFromRecord(r)
		if err != nil {
			ck.badErr("escalations", i, err)
		}
		if !ck.caseExists(r.Case) {
			ck.bad("escalations", i, "case", "%d is not a case", r.Case)
			continue
		}
		switch r.Status {
		case model.EscRequested, model.EscAccepted, model.EscDeclined, model.EscClosed, model.EscDeescalated:
		default:
			ck.bad("escalations", i, "status", "%q is not an escalation status (requested, accepted, declined, closed, de-escalated)", r.Status)
		}
		if r.Channel != model.ChannelPhone && r.Channel != model.ChannelPortal {
			ck.bad("escalations", i, "channel", "%q is not a channel (phone, portal)", r.Channel)
		}
		if r.Outcome != nil && model.OutcomeName(*r.Outcome) == "" {
			ck.bad("escalations", i, "outcome", "%q is not an outcome (root-cause, timeline, fix)", *r.Outcome)
		}
		if strings.TrimSpace(r.RequestedBy) == "" {
			ck.bad("escalations", i, "requested_by", "missing")
		}
		if _, seen := escCount[r.Case]; !seen {
			if last, ok, _ := lastEscalation(ck.txn, r.Case); ok {
				escCount[r.Case] = last.Seq
			}
		}
		escCount[r.Case]++
		e.Seq = escCount[r.Case]
		plan.escalations = append(plan.escalations, e)
	}

	if err := ck.checkEntries(plan); err != nil {
		return nil, err
	}

	lastSeq, err := getInt(ck.txn, []byte(kEventSeq))
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

func regionList(p *model.Policy) string {
	ids := p.RegionIDs()
	s := make([]string, len(ids))
	for i, r := range ids {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func tamPlanList(p *model.Policy) string {
	s := []string{string(model.TAMNone)}
	for id := range p.TAMPlans {
		s = append(s, string(id))
	}
	sort.Strings(s[1:])
	return strings.Join(s, ", ")
}
