package model

import (
	"slices"
	"testing"
	"time"
)

// memArchive is a ClosedCases over a map (what the store holds), for the
// desk's side of it.
type memArchive struct {
	cases map[int64]*Case
	escs  map[int64][]Escalation
	reads int
}

func (a *memArchive) ClosedCase(n int64) (*Case, []Escalation, bool, error) {
	a.reads++
	c, ok := a.cases[n]
	return c, a.escs[n], ok, nil
}

func (a *memArchive) sorted() []*Case {
	var out []*Case
	for _, c := range a.cases {
		if !c.IsOpen() {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y *Case) int { return CompareClosed(MarkOf(x), MarkOf(y)) })
	return out
}

func (a *memArchive) EachClosed(fn func(*Case, []Escalation) bool) error {
	list := a.sorted()
	slices.SortFunc(list, func(x, y *Case) int { return int(x.Number - y.Number) })
	for _, c := range list {
		if !fn(c, a.escs[c.Number]) {
			break
		}
	}
	return nil
}

func (a *memArchive) NewestClosed(after ClosedMark, limit int) ([]*Case, error) {
	var out []*Case
	for _, c := range a.sorted() {
		if (after == ClosedMark{} || CompareClosed(MarkOf(c), after) > 0) && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func (a *memArchive) ClosedSince(t time.Time, fn func(*Case, []Escalation) bool) error {
	list := a.sorted()
	slices.Reverse(list)
	for _, c := range list {
		if !c.ClosedAt.Before(t) && !fn(c, a.escs[c.Number]) {
			break
		}
	}
	return nil
}

// TestDeskWithClosedOnDisk: a desk whose closed cases are elsewhere finds
// them by number, lists every case once in number order (its own state of
// a case first), lets a case go when a change closes it and takes it back,
// with its escalations, when one reopens it; a number above every case
// reads nothing.
func TestDeskWithClosedOnDisk(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	open := func(n int64) *Case {
		return &Case{Number: n, Account: "acme", Severity: 3, Status: StatusInProgress, OpenedAt: t0, Owner: "sam", RespondedAt: t0}
	}
	closed := func(n int64, at time.Time) *Case {
		c := open(n)
		c.Status, c.ClosedAt, c.CloseReason = StatusClosed, at, ReasonResolved
		return c
	}
	esc := Escalation{Case: 2, Seq: 1, Status: EscClosed, RequestedAt: t0}
	// The store: 2 and 4 closed, 3 closed after the desk's state, 5 open
	// (opened after it).
	a := &memArchive{cases: map[int64]*Case{
		1: open(1), 2: closed(2, t0.Add(time.Hour)), 3: closed(3, t0.Add(3*time.Hour)),
		4: closed(4, t0.Add(2*time.Hour)), 5: open(5)},
		escs: map[int64][]Escalation{2: {esc}}}
	d := NewDesk()
	d.PutCase(open(1))
	d.PutCase(open(3))
	d.Closed = a
	d.NoteCaseNumber(4)

	if c, es, ok, _ := d.Lookup(2); !ok || c.IsOpen() || len(es) != 1 {
		t.Fatalf("Lookup(2) = %+v %v %v", c, es, ok)
	}
	if c, _ := d.Case(3); !c.IsOpen() {
		t.Error("the desk's own state of 3 (open) is not what it answers")
	}
	reads := a.reads
	if _, ok := d.Find(1 << 62); ok || a.reads != reads {
		t.Error("a number above every case was looked for on disk")
	}
	var got []int64
	if err := d.EachCase(func(c *Case, _ []Escalation) bool {
		got = append(got, c.Number)
		if c.Number == 3 && !c.IsOpen() {
			t.Error("EachCase gave the store's 3, not the desk's")
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int64{1, 2, 3, 4}) {
		t.Errorf("EachCase gave %v, want 1 2 3 4", got)
	}
	got = got[:0]
	_ = d.EachCaseClosedAfter(t0.Add(90*time.Minute), func(c *Case, _ []Escalation) bool {
		got = append(got, c.Number)
		return true
	})
	slices.Sort(got)
	if !slices.Equal(got, []int64{1, 3, 4}) {
		t.Errorf("EachCaseClosedAfter gave %v, want 1 3 4 (2 closed before)", got)
	}

	// 3's close arrives: it leaves memory; 2's reopen: back, with its
	// escalation.
	d.Apply(&Change{Cases: []Case{*closed(3, t0.Add(3*time.Hour))}}, t0)
	if _, ok := d.Cases[3]; ok {
		t.Error("3 closed and stayed in memory")
	}
	reopened := *open(2)
	a.cases[2] = &reopened
	d.Apply(&Change{Cases: []Case{reopened}, Events: []Event{{Case: 2, Kind: "reopened"}}}, t0)
	if _, ok := d.Cases[2]; !ok || len(d.Escalations[2]) != 1 {
		t.Errorf("2 reopened: in memory %v, escalations %v", ok, d.Escalations[2])
	}
	if e, ok := d.Escalation(2); !ok || e.Status != EscClosed {
		t.Errorf("the reopened case's escalation: %+v %v", e, ok)
	}
	if d.NextCaseNumber() != 5 {
		t.Error("the desk would number a new case below one on disk")
	}
}
