package model

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// PersonLoad is one person's share of the open cases: what a manager
// weighs before giving someone another case.
type PersonLoad struct {
	User User
	// Open is the open cases the person owns; BySeverity[s-1] of them are
	// of severity s.
	Open       int
	BySeverity [4]int
	// Breached and DueSoon count their cases whose most urgent running
	// clock is past due, or due within the policy's DueSoon, as the
	// header counts them (a case waiting for its call is in neither).
	Breached, DueSoon int
	// CallRequired: severity-1 cases of theirs still waiting for the call.
	CallRequired int
	// Escalated is their cases with an open escalation; Requested the open
	// escalations they asked for themselves (on anyone's case).
	Escalated, Requested int
}

// Words is the load in a few words for a chooser: "4 open, 1 S1",
// "nothing open".
func (l PersonLoad) Words() string {
	if l.Open == 0 {
		return "nothing open"
	}
	s := fmt.Sprintf("%d open", l.Open)
	if n := l.BySeverity[0]; n > 0 {
		s += fmt.Sprintf(", %d S1", n)
	}
	if l.Breached > 0 {
		s += fmt.Sprintf(", %d breached", l.Breached)
	}
	return s
}

// risk orders loads most at risk first: breached, then severity 1, due
// soon, waiting calls, escalated, then the most open; ties by user id.
func (l *PersonLoad) risk(o *PersonLoad) int {
	for _, c := range [][2]int{
		{l.Breached, o.Breached}, {l.BySeverity[0], o.BySeverity[0]}, {l.DueSoon, o.DueSoon},
		{l.CallRequired, o.CallRequired}, {l.Escalated, o.Escalated}, {l.Open, o.Open},
	} {
		if c[0] != c[1] {
			return cmp.Compare(c[1], c[0])
		}
	}
	return cmp.Compare(l.User.ID, o.User.ID)
}

// TeamLoad is every person's load at now, from the index's open cases
// (one pass, O(open cases)): one row for each specialist and manager of
// users, busy or not, and for anyone else (a TAM) who owns an open case or
// asked for an open escalation. A case owned by someone who is no longer a
// user still counts, under their id. Most at risk first.
func (ix *QueueIndex) TeamLoad(users map[string]*User, now time.Time) []PersonLoad {
	by := map[string]*PersonLoad{}
	get := func(id string) *PersonLoad {
		l, ok := by[id]
		if !ok {
			l = &PersonLoad{User: User{ID: id, Name: id}}
			if u, ok := users[id]; ok {
				l.User = *u
			}
			by[id] = l
		}
		return l
	}
	for _, u := range users {
		if u.Role == Specialist || u.Role == Manager {
			get(u.ID)
		}
	}
	soon := now.Add(ix.p.DueSoon)
	for _, it := range ix.byNum {
		if it.Esc.Open() && it.Esc.RequestedBy != "" {
			if _, ok := users[it.Esc.RequestedBy]; ok {
				get(it.Esc.RequestedBy).Requested++
			}
		}
		if it.Case.Owner == "" {
			continue
		}
		l := get(it.Case.Owner)
		l.Open++
		if s := it.Case.Severity; s >= 1 && s <= len(l.BySeverity) {
			l.BySeverity[s-1]++
		}
		switch {
		case it.CallRequired:
			l.CallRequired++
		case it.HasClock && it.Urgent.Due.Before(now):
			l.Breached++
		case it.HasClock && !it.Urgent.Due.After(soon):
			l.DueSoon++
		}
		if it.Escalated {
			l.Escalated++
		}
	}
	out := make([]PersonLoad, 0, len(by))
	for _, l := range by {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b PersonLoad) int { return a.risk(&b) })
	return out
}

// LoadOf is one person's load at now (the assign chooser's figures).
func LoadOf(loads []PersonLoad, id string) PersonLoad {
	for _, l := range loads {
		if l.User.ID == id {
			return l
		}
	}
	return PersonLoad{User: User{ID: id, Name: id}}
}
