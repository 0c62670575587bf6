package model

import (
	"cmp"
	"fmt"
	"slices"
)

// ImportPlan is everything a checked import writes, held in memory
// (CheckDocument): what the tests of the check look at.
type ImportPlan struct {
	Accounts    []Account
	Users       []User
	Cases       []Case
	Escalations []Escalation
	Entries     []TimeEntry
	// Events are the events the import records, in seq order: the
	// document's own, or one "imported" event per record.
	Events   []Event
	Bank     map[BankMonth]int64 // new counted totals
	Projects map[ProjectOf]int64 // new counted totals
	EventSeq int64               // the last event's sequence after the import
	MaxCase  int64               // the highest case number imported
	MaxEntry int64               // the highest time entry id imported
}

// EventCount is how many events the plan writes.
func (plan *ImportPlan) EventCount() int { return len(plan.Events) }

// EachEvent calls fn with every event the plan writes, in seq order.
func (plan *ImportPlan) EachEvent(fn func(*Event) error) error {
	for i := range plan.Events {
		if err := fn(&plan.Events[i]); err != nil {
			return err
		}
	}
	return nil
}

// CheckDocument checks a document held in memory against itself and the
// desk that look reads (DocCheck, in one pass), and returns what it
// writes. The problems name each bad field; the plan is meant for writing
// only when there are none. An error is a failed read of the desk, not a
// bad document.
func CheckDocument(doc *Document, p *Policy, look DocumentLookup, o CheckOptions) (*ImportPlan, []Problem, error) {
	w := &planWriter{plan: &ImportPlan{}}
	ck := NewDocCheck(p, look, w, o)
	FeedDocument(ck, doc)
	return finishPlan(ck, w)
}

// finishPlan finishes a check whose writer is w: the plan with its totals.
func finishPlan(ck *DocCheck, w *planWriter) (*ImportPlan, []Problem, error) {
	tot, problems, err := ck.Finish()
	if err != nil {
		return nil, nil, err
	}
	plan := w.plan
	plan.Bank, plan.Projects = tot.Bank, tot.Projects
	plan.EventSeq, plan.MaxCase, plan.MaxEntry = tot.EventSeq, tot.MaxCase, tot.MaxEntry
	slices.SortStableFunc(plan.Events, func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
	return plan, problems, nil
}

// planWriter is the ImportWriter of CheckDocument: the plan itself.
type planWriter struct {
	plan  *ImportPlan
	cases map[int64]int // number -> index in plan.Cases
}

func (w *planWriter) Account(a *Account) error {
	w.plan.Accounts = append(w.plan.Accounts, *a)
	return nil
}

func (w *planWriter) User(u *User) error {
	w.plan.Users = append(w.plan.Users, *u)
	return nil
}

func (w *planWriter) Case(c *Case) error {
	if w.cases == nil {
		w.cases = map[int64]int{}
	}
	w.cases[c.Number] = len(w.plan.Cases)
	w.plan.Cases = append(w.plan.Cases, *c)
	return nil
}

func (w *planWriter) Escalation(e *Escalation) error {
	w.plan.Escalations = append(w.plan.Escalations, *e)
	return nil
}

func (w *planWriter) Entry(e *TimeEntry) error {
	w.plan.Entries = append(w.plan.Entries, *e)
	return nil
}

func (w *planWriter) Event(ev *Event, imported bool) error {
	w.plan.Events = append(w.plan.Events, *ev)
	return nil
}

func (w *planWriter) DropImported() error {
	w.plan.Events = w.plan.Events[:0]
	return nil
}

func (w *planWriter) CaseOf(n int64) (*Case, error) {
	if i, ok := w.cases[n]; ok {
		return &w.plan.Cases[i], nil
	}
	return nil, fmt.Errorf("case %d was not given", n)
}

func (w *planWriter) EventsOf(n int64) ([]Event, error) {
	var out []Event
	for _, ev := range w.plan.Events {
		if ev.Case == n {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (w *planWriter) EscalationsOf(n int64) ([]Escalation, error) {
	var out []Escalation
	for _, e := range w.plan.Escalations {
		if e.Case == n {
			out = append(out, e)
		}
	}
	return out, nil
}
