package store

import (
	"bytes"
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
	if _, ok := ck.users[id]; ok {
		return true
	}
	return model.ValidID(id) && ck.has(userKey(id))
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
				ck.bad("accounts", i, fmt.Sprintf("contacts[%d].kind", j), "%q is not a contact kind (%s)", c.Kind, strings.Join(model.RequesterKinds, ", "))
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
		if t := d.Accounts[i].TAM; t != nil && !ck.userExists(*t) {
			ck.bad("accounts", i, "tam", "%q is not a user", *t)
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
		if r.Number > 0 {
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
		if r.Owner != nil && !ck.userExists(*r.Owner) {
			ck.bad("cases", i, "owner", "%q is not a user", *r.Owner)
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
		if r.Outcome != nil && model.OutcomeNames[*r.Outcome] == "" {
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

	// Time entries.
	entryIDs := map[int64]int{}
	for i := range d.TimeEntries {
		r := &d.TimeEntries[i]
		e, err := model.TimeEntryFromRecord(r)
		if err != nil {
			ck.badErr("time_entries", i, err)
		}
		okID := true
		switch {
		case r.ID <= 0:
			ck.bad("time_entries", i, "id", "must be a positive number")
			okID = false
		case entryIDs[r.ID] > 0:
			ck.bad("time_entries", i, "id", "%d appears twice (also %s)", r.ID, ck.where("time_entries", entryIDs[r.ID]-1))
			okID = false
		case ck.has(entryKey(r.ID)):
			ck.bad("time_entries", i, "id", "time entry %d already exists in the store", r.ID)
			okID = false
		default:
			entryIDs[r.ID] = i + 1
		}
		if _, ok := ck.account(r.Account); !ok {
			ck.bad("time_entries", i, "account", "%q is not an account", r.Account)
			okID = false
		}
		if !ck.userExists(r.TAM) {
			ck.bad("time_entries", i, "tam", "%q is not a user", r.TAM)
		}
		if r.Minutes <= 0 {
			ck.bad("time_entries", i, "minutes", "%d is not a positive number of minutes", r.Minutes)
		}
		if !model.ValidCategory(r.Category) {
			ck.bad("time_entries", i, "category", "%q is not a category (%s)", r.Category, strings.Join(model.Categories, ", "))
		}
		if e.Mode == "" {
			e.Mode = model.ModeConsultative
		}
		if e.Mode != model.ModeConsultative && e.Mode != model.ModeManaged {
			ck.bad("time_entries", i, "mode", "%q is not a mode (consultative, managed)", r.Mode)
		}
		if r.Case != nil && !ck.caseExists(*r.Case) {
			ck.bad("time_entries", i, "case", "%d is not a case", *r.Case)
		}
		if !okID {
			continue
		}
		plan.entries = append(plan.entries, e)
		plan.maxEntry = max(plan.maxEntry, e.ID)
		if e.Counts() && e.Minutes > 0 && !e.Date.IsZero() {
			plan.bank[string(bankKey(e.Account, e.Date.MonthOf().String()))] += int64(e.Minutes)
			if e.Category == model.CatImplementation && e.Project != "" {
				plan.projects[string(projectKey(e.Account, e.Project))] += int64(e.Minutes)
			}
		}
	}
	for _, totals := range []map[string]int64{plan.bank, plan.projects} {
		for k, add := range totals {
			n, err := getInt(ck.txn, []byte(k))
			if err != nil {
				return nil, err
			}
			totals[k] = n + add
		}
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

var eventKinds = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`opened taken assigned called responded noted status
		severity replied followed-up closed auto-closed reopened escalated escalation-followed-up
		accepted declined updated de-escalated escalation-closed time-logged time-voided user-added
		user-removed user-key-added user-key-removed account-added account-changed contact-added imported`) {
		m[k] = true
	}
	return m
}()

// checkEvents keeps the document's events as they are, after checking
// them and that each case with events is what replaying them gives.
func (ck *checker) checkEvents(plan *importPlan, lastSeq int64) {
	d := ck.doc
	seqs := map[int64]int{}
	byCase := map[int64][]model.Event{}
	for i := range d.Events {
		r := &d.Events[i]
		ev := model.Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
		var err error
		switch {
		case r.Seq <= 0:
			ck.bad("events", i, "seq", "must be a positive number")
		case seqs[r.Seq] > 0:
			ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", seqs[r.Seq]-1))
		case r.Seq <= lastSeq:
			ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, lastSeq)
		default:
			seqs[r.Seq] = i + 1
		}
		if ev.At, err = model.ParseInstant(r.At); err != nil {
			ck.bad("events", i, "at", "%v", err)
		}
		if ev.RecordedAt, err = model.ParseInstant(r.RecordedAt); err != nil {
			ck.bad("events", i, "recorded_at", "%v", err)
		}
		if strings.TrimSpace(r.Actor) == "" {
			ck.bad("events", i, "actor", "missing")
		}
		if !eventKinds[r.Kind] {
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
		plan.events = append(plan.events, ev)
		plan.eventSeq = max(plan.eventSeq, ev.Seq)
	}
	sort.SliceStable(plan.events, func(i, j int) bool { return plan.events[i].Seq < plan.events[j].Seq })
	if plan.eventSeq < lastSeq {
		plan.eventSeq = lastSeq
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
		rc, res, err := model.ReplayCase(evs)
		if err != nil {
			ck.bad("cases", ci, "", "its events do not replay: %v", err)
			continue
		}
		got, gerr := ck.normCase(rc)
		want, _ := ck.normCase(&d.Cases[ci])
		if gerr != nil || !bytes.Equal(got, want) {
			ck.bad("cases", ci, "", "is not what replaying its events gives (%s)", firstDiff(want, got))
			continue
		}
		docEscs := escs[n]
		if len(res) != len(docEscs) {
			ck.bad("cases", ci, "", "its events give %d escalations, the document has %d", len(res), len(docEscs))
			continue
		}
		loc := ck.s.policy.RegionZone(ck.caseVals[ci].Region)
		for k, ei := range docEscs {
			if !bytes.Equal(normEsc(&res[k], loc), normEsc(&d.Escalations[ei], loc)) {
				ck.bad("escalations", ei, "", "is not what replaying the events of case %s gives", model.CaseNumber(n))
			}
		}
	}
}

// normCase is a case record with defaults filled, in canonical form.
func (ck *checker) normCase(r *model.CaseRecord) ([]byte, error) {
	c, err := model.CaseFromRecord(r)
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
	rec := model.CaseToRecord(&c, ck.s.policy)
	return compact(&rec), nil
}

func normEsc(r *model.EscalationRecord, loc *time.Location) []byte {
	e, err := model.EscalationFromRecord(r)
	if err != nil {
		return []byte("invalid")
	}
	rec := model.EscalationToRecord(&e, loc)
	return compact(&rec)
}

// firstDiff names the first field where two compact records differ.
func firstDiff(want, got []byte) string {
	if got == nil {
		return "the replayed case is invalid"
	}
	wk, wv := model.ObjectFields(want)
	gk, gv := model.ObjectFields(got)
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

// importedEvents records one "imported" event per record.
func (ck *checker) importedEvents(plan *importPlan, seq int64) {
	rec := time.Now().Truncate(time.Second)
	p := ck.s.policy
	add := func(n int64, v any) {
		seq++
		plan.events = append(plan.events, model.Event{Seq: seq, At: ck.now, RecordedAt: rec,
			Actor: ck.actor, Case: n, Kind: "imported", After: compact(v)})
	}
	for i := range plan.accounts {
		r := model.AccountToRecord(&plan.accounts[i])
		add(0, &r)
	}
	for i := range plan.users {
		r := model.UserToRecord(&plan.users[i])
		add(0, &r)
	}
	region := map[int64]model.Region{}
	for i := range plan.cases {
		c := &plan.cases[i]
		region[c.Number] = c.Region
		r := model.CaseToRecord(c, p)
		add(c.Number, &r)
	}
	for i := range plan.escalations {
		e := &plan.escalations[i]
		reg, ok := region[e.Case]
		if !ok {
			reg = ck.caseRegion(e.Case)
		}
		r := model.EscalationToRecord(e, p.RegionZone(reg))
		add(e.Case, &r)
	}
	for i := range plan.entries {
		r := model.TimeEntryToRecord(&plan.entries[i], p)
		add(0, &r)
	}
	plan.eventSeq = seq
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
