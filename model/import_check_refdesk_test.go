package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// copyDesk is a second desk holding the same records as d (no events).
func copyDesk(d *Desk) *Desk {
	e := NewDesk()
	for _, n := range d.CaseNumbers() {
		c := *d.Cases[n]
		e.PutCase(&c)
		for _, x := range d.Escalations[n] {
			e.PutEscalation(cloneEscalation(x))
		}
	}
	for _, a := range d.Accounts {
		a := *a
		e.PutAccount(&a)
	}
	for _, u := range d.Users {
		u := *u
		u.Keys = append([]string(nil), u.Keys...)
		e.PutUser(&u)
	}
	for _, x := range d.TimeEntries {
		x := *x
		e.PutTimeEntry(&x)
	}
	for k, m := range d.Bank {
		e.AddBank(BankDelta{Account: k.Account, Month: k.Month, Minutes: m})
	}
	for k, m := range d.Projects {
		e.AddProject(ProjectDelta{Account: k.Account, Project: k.Project, Minutes: m})
	}
	e.SetLastSeq(d.LastSeq())
	return e
}

// genDeskDoc runs random actions on a copy of the lookup desk and exports
// what they added: new people, accounts, cases with their escalations,
// time entries, and (withEvents) the events, which replay to the cases.
// Its numbers follow the lookup desk's, as an export of a desk that grew
// from it would. It returns the instant of the last action.
func genDeskDoc(g *refGen, withEvents bool) (*Document, time.Time, error) {
	l := g.look.d
	e := copyDesk(l)
	now := t0.Add(-time.Duration(g.n(5*24)) * time.Hour)
	do := func(actor string, a Action) (*Change, error) {
		return e.Do(g.p, actor, a, now, now.Add(time.Duration(g.n(3))*time.Minute))
	}
	mgr := User{ID: "ev-maria", Name: "Mgr", Role: Manager, Region: NA}
	e.PutUser(&mgr)
	actors := []string{"ev-maria", "ev-maria"}
	for _, u := range []User{{ID: "ev-sam", Role: Specialist, Region: NA}, {ID: "ev-lee", Role: Specialist, Region: EMEA},
		{ID: "ev-tina", Role: TAM, Region: NA}, {ID: "ev-wally", Role: Wall}} {
		if g.n(4) == 0 && u.ID != "ev-tina" {
			continue
		}
		if g.n(2) == 0 {
			u.Keys = []string{g.keys[g.n(len(g.keys))]}
		}
		if _, err := do("ev-maria", AddUser{u}); err != nil {
			u.Keys = nil // a key the desk already has
			if _, err := do("ev-maria", AddUser{u}); err != nil {
				return nil, now, fmt.Errorf("add %s: %w", u.ID, err)
			}
		}
		actors = append(actors, u.ID)
	}
	accts := []string{"ev-acme", "ev-globex", "ev-init"}
	for _, a := range []Account{
		{ID: "ev-acme", Name: "Acme", Plan: Premium, Region: NA, TAMPlan: "enterprise", TAM: "ev-tina",
			Contacts: []Contact{{Name: "Ana Ruiz", Kind: "contact", Email: "ana@acme.example"}}},
		{ID: "ev-globex", Name: "Globex", Plan: Plus, Region: EMEA, TAMPlan: TAMNone},
		{ID: "ev-init", Name: "Initech", Plan: Basic, Region: NA, TAMPlan: "tam10", TAM: "ev-tina"},
	} {
		if _, err := do("ev-maria", AddAccount{a}); err != nil {
			return nil, now, fmt.Errorf("add %s: %w", a.ID, err)
		}
	}
	for id := range l.Accounts {
		if g.n(4) == 0 {
			accts = append(accts, id)
		}
	}
	for id := range l.Users {
		if g.n(6) == 0 {
			actors = append(actors, id)
		}
	}
	var mine []int64 // the cases the actions opened
	stored := l.CaseNumbers()
	pick := func() int64 {
		switch {
		case g.n(30) == 0:
			return int64(1 + g.n(40))
		case len(stored) > 0 && g.n(20) == 0:
			return stored[g.n(len(stored))]
		case len(mine) == 0:
			return 1
		}
		return mine[g.n(len(mine))]
	}
	past := func() time.Time {
		if g.n(2) == 0 {
			return time.Time{}
		}
		return now.Add(-time.Duration(g.n(600)) * time.Minute)
	}
	texts := []string{"", "call back", "ok", "patch in QA", "=cmd|' /C calc'!A0"}
	weights := []int{5, 1, 3, 2, 3, 1, 3, 1, 2, 3, 2, 1, 1, 3, 2, 3, 1, 2, 1, 3}
	steps := 5 + g.n(40)
	if g.n(25) == 0 {
		steps = 150 + g.n(150) // a larger desk now and then
	}
	for step := steps; step > 0; step-- {
		now = now.Add(time.Duration(g.n(180)) * time.Minute)
		actor := actors[g.n(len(actors))]
		var a Action
		n := pick()
		c, found := e.Cases[n]
		kind := weighted(g.rng, weights)
		switch {
		case len(mine) == 0 || g.n(8) == 0:
			kind = -1
			if g.n(5) > 0 {
				actor = "ev-maria"
			}
			var opened time.Time
			if g.n(2) == 0 { // long enough ago to be escalated
				opened = now.Add(-time.Duration(g.n(10*24*60)) * time.Minute)
			}
			a = NewCase{Account: accts[g.n(len(accts))], Severity: []int{1, 1, 2, 3, 4}[g.n(5)], Title: "Index rebuild stuck",
				Contact: "Ana Ruiz", RefersTo: int64(g.n(3)/2) * pick(), Opened: opened}
		case found && g.n(10) < 7:
			kind = -1
			a = nextAction(g, e, c, actors, pick)
		}
		switch kind {
		case 0:
			a = NewCase{Account: accts[g.n(len(accts))], Severity: 1 + g.n(4), Title: texts[g.n(len(texts))],
				Contact: "Ana Ruiz", RefersTo: int64(g.n(2)) * pick()}
		case 1:
			a = TakeCase{Number: pick()}
		case 2:
			a = AssignCase{Number: pick(), To: actors[g.n(len(actors))]}
		case 3:
			a = CallCase{Number: pick(), At: past()}
		case 4:
			a = RespondCase{Number: pick(), At: past()}
		case 5:
			a = NoteCase{Number: pick(), Text: texts[g.n(len(texts))]}
		case 6:
			a = SetStatus{Number: pick(), To: statuses[g.n(len(statuses))]}
		case 7:
			a = ChangeSeverity{Number: pick(), To: 1 + g.n(4), AgreedBy: "Ana"}
		case 8:
			a = ReplyCase{Number: pick(), At: past()}
		case 9:
			a = FollowupCase{Number: pick(), At: past()}
		case 10:
			reasons := []string{ReasonResolved, ReasonNoResponse, ReasonDuplicate, ReasonDuplicate}
			a = CloseCase{Number: pick(), Reason: reasons[g.n(len(reasons))], DuplicateOf: pick()}
		case 11:
			a = ReopenCase{Number: pick()}
		case 12:
			actor = System
			a = AutoCloseCase{Number: pick()}
		case 13:
			a = Escalate{Number: pick(), By: []string{"contact:Ana Ruiz", "ev-sam", "csm:Kim"}[g.n(3)],
				Channel: []string{"phone", "portal"}[g.n(2)], Justification: "down"}
		case 14:
			a = AcceptEscalation{Number: pick(), Every: time.Duration(g.n(3)) * 2 * time.Hour}
		case 15:
			a = UpdateEscalation{Number: pick(), Summary: texts[g.n(len(texts))]}
		case 16:
			a = DeclineEscalation{Number: pick(), Reason: "no"}
		case 17:
			if g.n(2) == 0 {
				a = DeescalateEscalation{Number: pick(), Reason: "gone"}
			} else {
				a = CloseEscalation{Number: pick(), Outcome: outcomes[g.n(len(outcomes))], Summary: "done"}
			}
		case 18:
			a = EscalationFollowup{Number: pick(), At: past()}
		case 19:
			if g.n(5) == 0 && len(e.TimeEntries) > 0 {
				a = VoidTime{ID: int64(1 + g.n(20)), Reason: "wrong"}
			} else {
				a = LogTime{Account: accts[g.n(len(accts))], Minutes: 30 * (1 + g.n(12)),
					Category: Categories()[g.n(len(categories))], Mode: []string{"", "", "managed"}[g.n(3)],
					Case: int64(g.n(2)) * pick(), Project: []string{"", "sso", "search-ui"}[g.n(3)],
					Date: DateOf(now.Add(-time.Duration(g.n(20*24))*time.Hour), g.p.TAMZone)}
			}
			if g.n(2) == 0 {
				actor = "ev-tina"
			}
		}
		// Most of the time a manager or the case's owner acts, so that
		// enough actions pass.
		if n := caseNumberOf(a); n != 0 && g.n(10) < 7 {
			actor = "ev-maria"
			if c, ok := e.Cases[n]; ok && c.Owner != "" && g.n(2) == 0 {
				actor = c.Owner
			}
		}
		ch, err := do(actor, a)
		if refDebug != nil && err != nil {
			refDebug(fmt.Sprintf("%T %s: %v", a, actor, err))
		}
		if err == nil {
			for _, c := range ch.Cases {
				if _, old := l.Cases[c.Number]; !old && !inInts(mine, c.Number) {
					mine = append(mine, c.Number)
				}
			}
		}
	}

	full := e.Document(g.p)
	doc := &Document{Format: 1}
	for _, r := range full.Accounts {
		if l.Accounts[r.ID] == nil {
			doc.Accounts = append(doc.Accounts, r)
		}
	}
	for _, r := range full.Users {
		if l.Users[r.ID] == nil {
			doc.Users = append(doc.Users, r)
		}
	}
	for _, r := range full.Cases {
		if l.Cases[r.Number] == nil {
			doc.Cases = append(doc.Cases, r)
		}
	}
	for _, r := range full.Escalations {
		if l.Cases[r.Case] == nil {
			doc.Escalations = append(doc.Escalations, r)
		}
	}
	for _, r := range full.TimeEntries {
		if l.TimeEntries[r.ID] == nil {
			doc.TimeEntries = append(doc.TimeEntries, r)
		}
	}
	if withEvents {
		for _, r := range full.Events {
			if r.Case == nil || l.Cases[*r.Case] == nil {
				doc.Events = append(doc.Events, r)
			}
		}
	}
	return doc, now, nil
}

var refDebug func(string)

// nextAction is an action that suits the case's status (and its
// escalation's), so that the cases go through their lifecycle.
func nextAction(g *refGen, e *Desk, c *Case, actors []string, pick func() int64) Action {
	n := c.Number
	if x, ok := e.Escalation(n); ok && x.Open() && g.n(2) == 0 {
		switch x.Status {
		case EscRequested:
			switch g.n(4) {
			case 0:
				return EscalationFollowup{Number: n}
			case 1:
				return DeclineEscalation{Number: n, Reason: "not needed"}
			}
			return AcceptEscalation{Number: n, Every: time.Duration(1+g.n(3)) * 2 * time.Hour}
		case EscAccepted:
			switch g.n(4) {
			case 0:
				return DeescalateEscalation{Number: n, Reason: "no resources"}
			case 1:
				return CloseEscalation{Number: n, Outcome: outcomes[g.n(len(outcomes))], Summary: "done"}
			}
			return UpdateEscalation{Number: n, Summary: "still on it"}
		}
	}
	owner := []string{"ev-sam", "ev-lee", "ev-maria", actors[g.n(len(actors))]}[g.n(4)]
	switch c.Status {
	case StatusNew:
		switch g.n(5) {
		case 0:
			return TakeCase{Number: n}
		case 1:
			return CloseCase{Number: n, Reason: ReasonDuplicate, DuplicateOf: pick()}
		}
		return AssignCase{Number: n, To: owner}
	case StatusAssigned:
		if g.n(3) == 0 {
			return CallCase{Number: n}
		}
		return RespondCase{Number: n}
	case StatusWaitingCustomer:
		switch g.n(5) {
		case 0:
			return ReplyCase{Number: n}
		case 1:
			return CloseCase{Number: n, Reason: ReasonNoResponse}
		case 2:
			return AutoCloseCase{Number: n}
		}
		return FollowupCase{Number: n}
	case StatusClosed:
		return ReopenCase{Number: n}
	}
	switch g.n(11) {
	case 9, 10:
		if g.n(3) > 0 {
			return LogTime{Account: c.Account, Minutes: 15 * (1 + g.n(8)), Category: Categories()[g.n(len(categories))],
				Case: n, Project: "sso", Date: DateOf(c.OpenedAt, g.p.TAMZone)}
		}
		fallthrough
	case 8:
		return Escalate{Number: n, By: []string{"contact:Ana Ruiz", "ev-sam", "csm:Kim"}[g.n(3)],
			Channel: []string{"phone", "portal"}[g.n(2)], Justification: "still down"}
	case 0, 1:
		return SetStatus{Number: n, To: []Status{StatusWaitingCustomer, StatusWaitingDevelopment, StatusFixAvailable, StatusInProgress}[g.n(4)]}
	case 2:
		return Escalate{Number: n, By: []string{"contact:Ana Ruiz", "ev-sam", "csm:Kim"}[g.n(3)],
			Channel: []string{"phone", "portal"}[g.n(2)], Justification: "down"}
	case 3:
		return CloseCase{Number: n, Reason: ReasonResolved}
	case 4:
		return CloseCase{Number: n, Reason: ReasonDuplicate, DuplicateOf: pick()}
	case 5:
		return ChangeSeverity{Number: n, To: 1 + g.n(4), AgreedBy: "Ana"}
	case 6:
		return NoteCase{Number: n, Text: "looked"}
	}
	return AssignCase{Number: n, To: owner}
}

func inInts(list []int64, n int64) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// mutateRecords changes one thing of a document's records: most make it
// wrong (a case number the store has, a reference to nothing, a bank
// overrun), some only make it different (a reference forward, a default
// left out), which with events the replay must notice.
func mutateRecords(g *refGen, doc *Document) {
	l := g.look.d
	stored := l.CaseNumbers()
	nc := len(doc.Cases)
	ci := g.n(nc + 1)
	var c *CaseRecord
	if ci < nc {
		c = &doc.Cases[ci]
	}
	other := func() int64 { // another case: the document's (either way), the store's, none
		switch x := g.n(6); {
		case x < 3 && nc > 1:
			j := g.n(nc - 1)
			if j >= ci {
				j++
			}
			return doc.Cases[j].Number
		case x < 5 && len(stored) > 0:
			return stored[g.n(len(stored))]
		case x == 5 && c != nil:
			return c.Number
		}
		return 999
	}
	switch weighted(g.rng, []int{2, 1, 1, 2, 2, 2, 2, 1, 1, 5, 2, 1, 2, 1, 1, 1}) {
	case 0:
		if c != nil {
			c.Title += " (changed)"
		}
	case 1:
		if c != nil {
			c.Severity = 1 + (c.Severity % 4)
		}
	case 2:
		if c != nil {
			c.Status = string(statuses[g.n(len(statuses))])
		}
	case 3:
		if c != nil { // the defaults come from the account
			if g.n(2) == 0 {
				c.Plan = ""
			} else {
				c.Region = ""
			}
		}
	case 4:
		if c != nil {
			if len(stored) > 0 && g.n(2) == 0 {
				c.Number = stored[g.n(len(stored))]
			} else if nc > 1 {
				c.Number = doc.Cases[g.n(nc)].Number
			} else {
				c.Number = 0
			}
		}
	case 5:
		if c != nil {
			c.DuplicateOf = refNum(other())
		}
	case 6:
		if c != nil {
			c.RefersTo = refNum(other())
		}
	case 7:
		if c != nil {
			if g.n(2) == 0 {
				c.ClosedAt = nil
			} else {
				c.CloseReason = nil
			}
		}
	case 8:
		if c != nil {
			c.Owner = refStr(g.one("ev-tina", "ev-wally", "nobody", "tina", "sam"))
		}
	case 9:
		if len(doc.Escalations) > 0 {
			x := &doc.Escalations[g.n(len(doc.Escalations))]
			switch g.n(6) {
			case 0:
				x.Status = escalationStatuses[g.n(len(escalationStatuses))]
			case 1, 2:
				x.Justification += "!" // only the replay tells
			case 3:
				x.Case = other()
			case 4:
				x.RequestedBy = "contact:Someone Else"
			default:
				x.Channel = "fax"
			}
		}
	case 10:
		if n := len(doc.Escalations); n > 0 {
			i := g.n(n)
			if g.n(2) == 0 {
				doc.Escalations = append(doc.Escalations[:i:i], doc.Escalations[i+1:]...)
			} else {
				doc.Escalations = append(doc.Escalations, doc.Escalations[i])
			}
		}
	case 11:
		if c != nil {
			doc.Cases = append(doc.Cases[:ci:ci], doc.Cases[ci+1:]...)
		}
	case 12:
		if n := len(doc.TimeEntries); n > 0 {
			x := &doc.TimeEntries[g.n(n)]
			switch g.n(4) {
			case 0:
				x.ID = doc.TimeEntries[g.n(n)].ID
			case 1:
				x.ID = int64(1 + g.n(8)) // perhaps the store's
			case 2:
				x.Minutes += 600 // over a bank or the project cap
			default:
				x.Date = "2026-12-24"
			}
		} else {
			doc.TimeEntries = append(doc.TimeEntries, TimeEntryRecord{ID: 50, Account: g.one("ev-init", "acme", "initech"),
				TAM: g.one("ev-tina", "tina", "tom"), Date: "2026-11-19", Minutes: 300 + 60*g.n(6), Category: CatImplementation,
				Mode: g.one("", "managed"), Project: refStr("sso")})
		}
	case 13:
		// a store account or user again
		if g.n(2) == 0 && len(l.Accounts) > 0 {
			for _, a := range l.Accounts {
				doc.Accounts = append(doc.Accounts, AccountToRecord(a))
				break
			}
		} else if len(l.Users) > 0 {
			for _, u := range l.Users {
				doc.Users = append(doc.Users, UserToRecord(u))
				break
			}
		}
	case 14:
		if len(doc.Accounts) > 0 {
			doc.Accounts = doc.Accounts[1:] // its cases' account is gone
		}
	case 15:
		if len(doc.Users) > 0 {
			i := g.n(len(doc.Users))
			switch g.n(3) {
			case 0:
				doc.Users = append(doc.Users[:i:i], doc.Users[i+1:]...) // the manager, perhaps
			case 1:
				doc.Users[i].Role = "tam"
			default:
				doc.Users[i].Keys = append(doc.Users[i].Keys, g.keys[g.n(len(g.keys))])
			}
		}
	}
}

// mutateEvents changes one thing of a document's events.
func mutateEvents(g *refGen, doc *Document) {
	evs := doc.Events
	if len(evs) == 0 {
		return
	}
	last := g.look.d.LastSeq()
	i := g.n(len(evs))
	ev := &evs[i]
	switch weighted(g.rng, []int{2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}) {
	case 15:
		// an escalation that only the replay tells from its events'
		if n := len(doc.Escalations); n > 0 {
			x := &doc.Escalations[g.n(n)]
			if g.n(2) == 0 {
				x.Justification += " (edited)"
			} else {
				x.RecordedBy = "someone-else"
			}
		} else {
			ev.Actor += "2"
		}
	case 0:
		doc.Events = append(evs[:i:i], evs[i+1:]...)
	case 1:
		ev.Seq = evs[g.n(len(evs))].Seq
	case 2:
		ev.Seq = g.one64(last, last-1, 0, MaxNumber+1)
	case 3:
		if g.n(3) == 0 {
			ev.Case = nil
		} else {
			ev.Case = refNum(g.one64(999, 1, 2, 3))
		}
	case 4:
		ev.Kind = g.one("teleported", "", "imported", "noted", "escalated")
	case 5:
		ev.After = json.RawMessage(g.one(`[1]`, `"x"`, ` {"title":"x"}`, `null`, `  `, `{"title":5}`, ``, `{}`))
	case 6:
		ev.Before = json.RawMessage(g.one(`[2]`, `true`, ` null `, `{"a":1}`))
	case 7:
		j := g.n(len(evs))
		evs[i], evs[j] = evs[j], evs[i]
	case 8:
		if g.n(2) == 0 {
			ev.At = "yesterday"
		} else {
			ev.RecordedAt = ""
		}
	case 9:
		ev.Actor = g.one(" ", "", "someone-else")
	case 10:
		ev.Seq += 1000 // later in the replay
	case 11:
		if len(ev.After) > 0 && strings.Contains(string(ev.After), `"title":"`) {
			ev.After = json.RawMessage(strings.Replace(string(ev.After), `"title":"`, `"title":"X`, 1))
		} else {
			ev.After = json.RawMessage(`{"status":"closed"}`)
		}
	case 12:
		// a case's events all gone: the case is taken as it is
		if ev.Case != nil {
			n := *ev.Case
			var keep []EventRecord
			for _, x := range evs {
				if x.Case == nil || *x.Case != n {
					keep = append(keep, x)
				}
			}
			doc.Events = keep
		}
	case 13:
		doc.Events = append(doc.Events, EventRecord{Seq: last + 5000, At: FormatInstant(t0, et), RecordedAt: FormatInstant(t0, et),
			Actor: "ev-maria", Case: ev.Case, Kind: g.one("noted", "escalated", "time-logged"), After: json.RawMessage(`{"summary":"x"}`)})
	case 14:
		doc.Events = append(doc.Events, *ev) // twice
	}
}
