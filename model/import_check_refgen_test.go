package model

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"time"
)

// The random import documents of TestCheckDocumentSameAsLegacy, each with
// the desk it goes into. Three shapes: a document made up field by field
// with a chosen share of bad values ("scratch"); the records of a desk
// built by actions on top of the lookup desk, without its events ("desk",
// the imported-events path); and the same with its events ("events", the
// replay path), both sometimes mutated. Most choices are a good value
// unless bad() says otherwise, so that a document with no bad value is
// common and still meets the rules between records (banks, references,
// keys) that no single field shows.

// refCase is one generated import: a document, the desk it goes into,
// the options of the check.
type refCase struct {
	shape string // scratch, desk, events
	seed  int64  // for the choices of a way of running the check (refChecks)
	doc   *Document
	look  *refLook
	o     CheckOptions
}

// refGen is the state of one document's generation.
type refGen struct {
	rng  *rand.Rand
	p    *Policy
	keys []string // authorized_keys lines, one per key
	rate float64  // the share of bad values
	look *refLook
	now  time.Time
}

func (g *refGen) bad() bool { return g.rate > 0 && g.rng.Float64() < g.rate }

func (g *refGen) n(k int) int { return g.rng.Intn(k) }

func (g *refGen) one(list ...string) string { return list[g.rng.Intn(len(list))] }

// pick is a good value, or a bad one when bad() says so.
func (g *refGen) pick(good, wrong []string) string {
	if len(wrong) > 0 && g.bad() {
		return wrong[g.n(len(wrong))]
	}
	return good[g.n(len(good))]
}

func refStr(s string) *string { return &s }
func refNum(n int64) *int64   { return &n }

// The lookup desk's people and accounts, each in it or not.
var (
	refStoreUsers = []User{{ID: "maria", Role: Manager, Region: NA}, {ID: "max", Role: Manager, Region: EMEA},
		{ID: "sam", Role: Specialist, Region: NA}, {ID: "lee", Role: Specialist, Region: NA},
		{ID: "eve", Role: Specialist, Region: EMEA}, {ID: "tina", Role: TAM, Region: NA},
		{ID: "tom", Role: TAM, Region: NA}, {ID: "wally", Role: Wall}}
	refStoreAccounts = []Account{
		{ID: "acme", Name: "Acme", Plan: Premium, Region: NA, TAMPlan: "enterprise", TAM: "tina"},
		{ID: "globex", Name: "Globex", Plan: Plus, Region: EMEA, TAMPlan: TAMNone, TAM: "tom"},
		{ID: "umbrella", Name: "Umbrella", Plan: Basic, Region: NA, TAMPlan: "tam20", TAM: "tom"},
		{ID: "initech", Name: "Initech", Plan: Basic, Region: NA, TAMPlan: "tam10", TAM: "tina"},
		{ID: "hooli", Name: "Hooli", Plan: Plus, Region: NA, TAMPlan: "tam10"},
		{ID: "stark", Name: "Stark", Plan: Premium, Region: EMEA, TAMPlan: "enterprise", TAM: "tom"},
	}
	// the document's own users' ids (a store id is also one, refused)
	refDocUserIDs = []string{"ann", "bob", "cid", "dee", "ed", "flo", "gus"}
	refBadIDs     = []string{System, "Bad ID", "", strings.Repeat("x", 65)}
	refMonths     = []Month{{2026, 10}, {2026, 11}}
)

// refInstant is an instant around t0 written in a region's zone.
func (g *refGen) instant() string {
	loc := []*time.Location{et, gmt, mustLoc("Europe/Paris")}[g.n(3)]
	return FormatInstant(t0.Add(time.Duration(g.n(20*24*60)-10*24*60)*time.Minute), loc)
}

func (g *refGen) optInstant(p int) *string {
	if g.n(p) != 0 {
		return nil
	}
	if g.bad() {
		return refStr(g.one("yesterday", "2026-11-20T10:00:00", ""))
	}
	return refStr(g.instant())
}

// genLookDesk is a random desk for the document to go into: some of the
// store people and accounts (sometimes nobody), a few cases with
// escalations, time entries, bank and project totals near their limits.
func genLookDesk(g *refGen) *Desk {
	d := NewDesk()
	if g.n(6) != 0 {
		for _, u := range refStoreUsers {
			if g.n(2) == 0 {
				u.Keys = nil
				if g.n(3) == 0 {
					u.Keys = []string{g.keys[g.n(len(g.keys))]}
				}
				d.PutUser(&u)
			}
		}
	}
	var accts []string
	for _, a := range refStoreAccounts {
		if g.n(2) == 0 {
			a := a
			d.PutAccount(&a)
			accts = append(accts, a.ID)
		}
	}
	if len(accts) == 0 {
		accts = []string{"acme"} // cases of an account the store lacks
	}
	for n := int64(1); n <= 12; n++ {
		if g.n(10) >= 3 {
			continue
		}
		acct := accts[g.n(len(accts))]
		reg := NA
		if a, ok := d.Accounts[acct]; ok {
			reg = a.Region
		}
		c := Case{Number: n, Account: acct, Severity: 1 + g.n(4), Title: "stored", Status: statuses[g.n(len(statuses))],
			Plan: Basic, Region: reg, OpenedAt: t0.Add(-time.Duration(g.n(500)) * time.Hour)}
		d.PutCase(&c)
		for k := g.n(4) - 1; k > 0; k-- {
			d.PutEscalation(Escalation{Case: n, Status: EscClosed, RequestedAt: c.OpenedAt, RequestedBy: "contact:Ana",
				Channel: ChannelPhone, Justification: "stored"})
		}
	}
	for id := int64(1); id <= 8; id++ {
		if g.n(10) < 3 {
			d.PutTimeEntry(&TimeEntry{ID: id, Account: accts[g.n(len(accts))], TAM: "tina", Minutes: 60,
				Category: "cadence-call", Mode: ModeConsultative, Date: DateOf(t0, g.p.TAMZone)})
		}
	}
	for _, id := range accts {
		a, ok := d.Accounts[id]
		if !ok || g.n(2) == 0 {
			continue
		}
		bank := 600
		if spec, ok := g.p.TAMPlans[a.TAMPlan]; ok {
			bank = spec.BankMinutes()
		}
		m := refMonths[g.n(len(refMonths))]
		d.AddBank(BankDelta{Account: id, Month: m, Minutes: bank - g.n(bank/2+1)})
		if g.n(2) == 0 {
			d.AddProject(ProjectDelta{Account: id, Project: "sso", Minutes: 60 * g.n(9)})
		}
	}
	d.SetLastSeq(int64(g.n(3) * g.n(40)))
	return d
}

// genScratch makes a document up record by record.
func genScratch(g *refGen) *Document {
	d := g.look.d
	doc := &Document{Format: []int{1, 1, 0}[g.n(3)]} // 0: no format field
	if g.bad() && g.n(2) == 0 {
		doc.Format = []int{2, -1}[g.n(2)]
	}
	// users first, so that accounts and cases can name them
	type who struct {
		id   string
		role Role
	}
	var people []who // every good user id, store or document
	for _, u := range d.Users {
		people = append(people, who{u.ID, u.Role})
	}
	usedID := map[string]bool{}
	usedKey := map[int]bool{}
	for _, u := range d.Users {
		for _, k := range u.Keys {
			for i := range g.keys {
				if g.keys[i] == k {
					usedKey[i] = true
				}
			}
		}
	}
	nUsers := g.n(4)
	if len(d.Users) == 0 && !g.bad() {
		nUsers++
	}
	for i := 0; i < nUsers; i++ {
		r := UserRecord{Name: "U", Role: g.pick([]string{"specialist", "manager", "tam", "wall"}, []string{"boss", ""})}
		if len(d.Users) == 0 && i == 0 && r.Role != "boss" && r.Role != "" {
			r.Role = "manager"
		}
		r.ID = refDocUserIDs[g.n(len(refDocUserIDs))]
		if g.bad() {
			switch g.n(3) {
			case 0:
				r.ID = refBadIDs[g.n(len(refBadIDs))]
			case 1:
				r.ID = refStoreUsers[g.n(len(refStoreUsers))].ID
			}
		}
		for usedID[r.ID] && !g.bad() {
			r.ID = fmt.Sprintf("%s%d", r.ID, g.n(10))
		}
		if g.n(3) == 0 {
			r.Region = refStr(g.pick([]string{"na", "emea"}, []string{"mars"}))
		}
		for k := g.n(4) - 1; k > 0; k-- {
			ki := g.n(len(g.keys))
			for usedKey[ki] && !g.bad() {
				ki = g.n(len(g.keys))
			}
			usedKey[ki] = true
			line := g.keys[ki]
			if len(r.Keys) > 0 && g.bad() && g.n(2) == 0 {
				line = r.Keys[0] // the user's own key again
			}
			switch g.n(6) {
			case 0:
				line = "  " + strings.Replace(line, " ", "\t ", 1) + " \n" // canonical form in the plan
			case 1:
				if g.bad() {
					line = g.one("garbage", "", "ssh-ed25519 AAAA x@y")
				}
			}
			r.Keys = append(r.Keys, line)
		}
		if ValidID(r.ID) && !usedID[r.ID] && d.Users[r.ID] == nil {
			people = append(people, who{r.ID, Role(r.Role)})
		}
		usedID[r.ID] = true
		doc.Users = append(doc.Users, r)
	}
	hasTAM := false
	for _, p := range people {
		hasTAM = hasTAM || p.role == TAM
	}
	if !hasTAM && !g.bad() && !usedID["tess"] { // a TAM for the accounts and entries
		doc.Users = append(doc.Users, UserRecord{ID: "tess", Name: "Tess", Role: "tam"})
		people = append(people, who{"tess", TAM})
	}
	userOf := func(ok func(Role) bool, wrong ...string) *string {
		var good []string
		for _, p := range people {
			if ok(p.role) {
				good = append(good, p.id)
			}
		}
		if len(good) == 0 || g.bad() {
			return refStr(g.one(append(append([]string(nil), wrong...), "nobody", "Bad")...))
		}
		return refStr(good[g.n(len(good))])
	}
	isTAM := func(r Role) bool { return r == TAM }
	var notTAM, notOwner []string
	for _, p := range people {
		if p.role != TAM {
			notTAM = append(notTAM, p.id)
		}
		if !MayOwnCases(p.role) {
			notOwner = append(notOwner, p.id)
		}
	}

	// accounts
	acctIDs := []string{} // good accounts, store or document
	acctTAM := map[string]string{}
	acctPlan := map[string]TAMPlan{}
	for _, id := range sortedKeys(d.Accounts) {
		acctIDs = append(acctIDs, id)
		acctTAM[id], acctPlan[id] = d.Accounts[id].TAM, d.Accounts[id].TAMPlan
	}
	usedID = map[string]bool{}
	for i := g.n(4); i > 0; i-- {
		base := refStoreAccounts[g.n(len(refStoreAccounts))]
		r := AccountToRecord(&base)
		r.ID = "new-" + base.ID
		if g.bad() {
			switch g.n(3) {
			case 0:
				r.ID = refBadIDs[g.n(len(refBadIDs))]
			case 1:
				r.ID = base.ID // in the store, if it is there
			}
		}
		for usedID[r.ID] && !g.bad() {
			r.ID = fmt.Sprintf("%s%d", r.ID, g.n(10))
		}
		r.Plan = g.pick([]string{"basic", "plus", "premium"}, []string{"gold", ""})
		r.Region = g.pick([]string{"na", "emea"}, []string{"mars", ""})
		r.TAMPlan = g.pick([]string{"tam10", "tam20", "enterprise", "none", ""}, []string{"platinum"})
		r.TAM = nil
		if g.n(2) == 0 {
			r.TAM = userOf(isTAM, notTAM...)
		}
		for k := g.n(3); k > 0; k-- {
			r.Contacts = append(r.Contacts, ContactRecord{Name: g.pick([]string{"Ana Ruiz"}, []string{" "}),
				Kind: g.pick(requesterKinds, []string{"friend"}), Email: "a@b"})
		}
		if ValidID(r.ID) && !usedID[r.ID] && d.Accounts[r.ID] == nil {
			acctIDs = append(acctIDs, r.ID)
			acctTAM[r.ID], acctPlan[r.ID] = deref(r.TAM), AccountFromRecord(&r).TAMPlan
		}
		usedID[r.ID] = true
		doc.Accounts = append(doc.Accounts, r)
	}
	account := func() string {
		if len(acctIDs) == 0 || g.bad() {
			return g.one("", "nobody", "new-acme", "acme")
		}
		return acctIDs[g.n(len(acctIDs))]
	}

	// case numbers first, so that references can go either way
	nCases := g.n(7)
	nums := make([]int64, nCases)
	usedNum := map[int64]bool{}
	for i := range nums {
		n := int64(1 + g.n(30))
		for (usedNum[n] || d.Cases[n] != nil) && g.n(8) != 0 {
			n = int64(1 + g.n(30))
		}
		if g.n(40) == 0 {
			n = MaxNumber // the last good number
		}
		if g.bad() {
			n = []int64{0, -5, MaxNumber + 1, n}[g.n(4)]
		}
		usedNum[n] = true
		nums[i] = n
	}
	storeNums := d.CaseNumbers()
	ref := func(i int) int64 { // another case: the document's (either way) or the store's
		if nCases > 1 && (len(storeNums) == 0 || g.n(3) > 0) {
			j := g.n(nCases - 1)
			if j >= i {
				j++
			}
			return nums[j]
		}
		if len(storeNums) > 0 {
			return storeNums[g.n(len(storeNums))]
		}
		return int64(100 + g.n(3))
	}
	caseAcct := map[int64]string{}
	for _, n := range storeNums {
		caseAcct[n] = d.Cases[n].Account
	}
	for i, n := range nums {
		r := CaseRecord{Number: n, Account: account(), Severity: 1 + g.n(4), Title: "T",
			Status:   g.pick([]string{"new", "assigned", "in-progress", "waiting-customer", "closed", "closed"}, []string{"lost"}),
			OpenedAt: g.instant()}
		if g.bad() {
			r.Severity = g.n(2) * 5
		}
		if g.bad() {
			r.OpenedAt = g.one("", "yesterday")
		}
		if g.n(3) == 0 {
			r.Plan = g.pick([]string{"basic", "plus", "premium"}, []string{"gold"})
		}
		if g.n(3) == 0 {
			r.Region = g.pick([]string{"na", "emea"}, []string{"mars"})
		}
		if g.n(2) == 0 {
			r.Contact = refStr("Ana")
		}
		if r.Status != "new" || g.bad() {
			r.Owner = userOf(MayOwnCases, notOwner...)
		}
		r.PhonedAt, r.RespondedAt, r.RepliedAt = g.optInstant(4), g.optInstant(2), g.optInstant(5)
		r.WaitingSince, r.Followup1At, r.Followup2At = g.optInstant(5), g.optInstant(6), g.optInstant(8)
		if r.Status == "closed" {
			if !g.bad() {
				r.ClosedAt = refStr(g.instant())
			}
			if !g.bad() {
				r.CloseReason = refStr(g.one(closeReasons...))
			}
		} else if g.bad() {
			r.CloseReason = refStr(g.one("fixed", "resolved"))
		}
		if r.CloseReason != nil && *r.CloseReason == ReasonDuplicate && !g.bad() || g.n(8) == 0 {
			r.DuplicateOf = refNum(ref(i))
			if g.bad() {
				r.DuplicateOf = refNum(g.one64(r.Number, 0, 999))
			}
		}
		if g.n(3) == 0 {
			r.RefersTo = refNum(ref(i))
			if g.bad() {
				r.RefersTo = refNum(g.one64(r.Number, 0, 999, -1))
			}
		}
		if _, dup := caseAcct[r.Number]; !dup {
			caseAcct[r.Number] = r.Account
		}
		doc.Cases = append(doc.Cases, r)
	}
	caseNum := func() int64 {
		if g.bad() || len(nums)+len(storeNums) == 0 {
			return g.one64(0, 999, -2)
		}
		if len(nums) > 0 && (len(storeNums) == 0 || g.n(3) > 0) {
			return nums[g.n(len(nums))]
		}
		return storeNums[g.n(len(storeNums))]
	}

	for i := g.n(5); i > 0; i-- {
		r := EscalationRecord{Case: caseNum(), Status: g.pick(escalationStatuses, []string{"pending"}),
			RequestedAt: g.instant(), RequestedBy: g.pick([]string{"contact:Ana", "sam"}, []string{" "}),
			RecordedBy: "maria", Channel: g.pick(channels, []string{"fax"}), Justification: "J"}
		if g.bad() {
			r.RequestedAt = "x"
		}
		r.FollowedUpAt, r.DecidedAt, r.EndedAt = g.optInstant(3), g.optInstant(2), g.optInstant(3)
		if g.n(3) == 0 {
			r.Outcome = refStr(g.pick(outcomes, []string{"luck"}))
		}
		if g.n(3) == 0 {
			r.UpdateEvery = refStr(g.pick([]string{"4h", "2h0m0s"}, []string{"-1h", "soon"}))
		}
		for k := g.n(3); k > 0; k-- {
			at := g.instant()
			if g.bad() {
				at = "then"
			}
			r.Updates = append(r.Updates, UpdateRecord{At: at, By: "maria", Summary: "s"})
		}
		if g.n(3) == 0 {
			r.Reason, r.Summary = refStr("r"), refStr("s")
		}
		doc.Escalations = append(doc.Escalations, r)
	}

	usedEntry := map[int64]bool{}
	for i := g.n(6); i > 0; i-- {
		id := int64(1 + g.n(15))
		for (usedEntry[id] || d.TimeEntries[id] != nil) && !g.bad() {
			id = int64(1 + g.n(15))
		}
		if g.n(40) == 0 {
			id = MaxNumber
		}
		if g.bad() {
			id = g.one64(0, -1, MaxNumber+1, id)
		}
		usedEntry[id] = true
		date := DateOf(t0.Add(time.Duration(g.n(36*24)-30*24)*time.Hour), g.p.TAMZone).String()
		if g.bad() {
			date = g.one("2026-11-28", "", "2026-13-01")
		}
		// a good entry is for an account with a TAM plan, by its TAM,
		// managed only where the plan has it, on a case of the account
		acct := account()
		var banked []string
		for _, id := range acctIDs {
			if _, ok := g.p.TAMPlans[acctPlan[id]]; ok {
				banked = append(banked, id)
			}
		}
		if len(banked) > 0 && !g.bad() {
			acct = banked[g.n(len(banked))]
		}
		tam := *userOf(isTAM, notTAM...)
		for _, p := range people {
			if p.id == acctTAM[acct] && p.role == TAM && g.n(4) > 0 {
				tam = p.id
			}
		}
		mode := g.pick([]string{"", "", "consultative"}, []string{"casual", "managed"})
		if g.p.TAMPlans[acctPlan[acct]].Managed && g.n(3) == 0 {
			mode = "managed"
		}
		r := TimeEntryRecord{ID: id, Account: acct, TAM: tam, Date: date,
			Minutes: 15 * (1 + g.n(8)), Category: g.pick(append(Categories(), CatImplementation, CatImplementation), []string{"golf"}),
			Mode: mode, Note: "n"}
		if g.bad() {
			r.Minutes = int(g.one64(0, MaxEntryMinutes+1, MaxEntryMinutes))
		}
		if g.n(4) == 0 {
			var same []int64
			for _, n := range append(append([]int64(nil), nums...), storeNums...) {
				if caseAcct[n] == acct {
					same = append(same, n)
				}
			}
			if len(same) > 0 && !g.bad() {
				r.Case = refNum(same[g.n(len(same))])
			} else {
				r.Case = refNum(caseNum())
			}
		}
		if r.Category == CatImplementation {
			r.Project = refStr(g.pick([]string{"sso", "search-ui"}, []string{" ", ""}))
		} else if g.n(8) == 0 {
			r.Project = refStr("sso")
		}
		if g.n(8) == 0 {
			r.VoidedAt, r.VoidReason = refStr(g.instant()), refStr("v")
			if g.bad() {
				r.VoidedAt = refStr("x")
			}
		}
		doc.TimeEntries = append(doc.TimeEntries, r)
	}

	// Sometimes events: each case's "imported" record (which replays to
	// it) and escalations', with some noise.
	if g.n(6) == 0 {
		seq := g.look.d.LastSeq()
		for i := range doc.Cases {
			if g.n(3) == 0 {
				continue
			}
			seq += int64(1 + g.n(2))
			after, _ := json.Marshal(&doc.Cases[i])
			doc.Events = append(doc.Events, EventRecord{Seq: seq, At: g.instant(), RecordedAt: g.instant(), Actor: "maria",
				Case: refNum(doc.Cases[i].Number), Kind: "imported", Before: json.RawMessage("null"), After: after})
		}
		for i := range doc.Escalations {
			if g.n(2) == 0 {
				continue
			}
			seq++
			after, _ := json.Marshal(&doc.Escalations[i])
			doc.Events = append(doc.Events, EventRecord{Seq: seq, At: g.instant(), RecordedAt: g.instant(), Actor: "maria",
				Case: refNum(doc.Escalations[i].Case), Kind: "imported", After: after})
		}
		if len(doc.Events) == 0 || g.n(3) == 0 {
			seq++
			doc.Events = append(doc.Events, EventRecord{Seq: seq, At: g.instant(), RecordedAt: g.instant(), Actor: "maria",
				Kind: "noted", Before: json.RawMessage(`{"x":1}`)})
		}
		g.rng.Shuffle(len(doc.Events), func(i, j int) { doc.Events[i], doc.Events[j] = doc.Events[j], doc.Events[i] })
		for m := g.n(3); m > 0; m-- {
			mutateEvents(g, doc)
		}
	}
	return doc
}

func (g *refGen) one64(list ...int64) int64 { return list[g.n(len(list))] }
