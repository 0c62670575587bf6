package model

import (
	"slices"
	"time"
)

// Closed cases stay on disk until asked for (issue 25): a desk loaded from
// a store holds its open cases (and their escalations) in Cases and
// Escalations, and reaches the closed ones through Closed. A desk with no
// Closed (tests, the demo builder, the import check) holds every case in
// memory, as before. Callers that may meet a closed case ask the desk
// (Lookup, Find, EscalationsOf, EachCase) rather than its maps.

// ClosedCases is where a desk's closed cases are kept (the store). Its
// methods may be called from any goroutine.
type ClosedCases interface {
	// ClosedCase reads case n and its escalations (Seq order) whatever its
	// status; ok is false when there is no such case.
	ClosedCase(n int64) (c *Case, escs []Escalation, ok bool, err error)
	// EachClosed calls fn with every closed case and its escalations, in
	// case number order, until fn returns false.
	EachClosed(fn func(c *Case, escs []Escalation) bool) error
	// NewestClosed lists up to limit closed cases in the Closed tab's order
	// (most recently closed first, then the higher number), starting after
	// mark (the zero mark: from the newest).
	NewestClosed(after ClosedMark, limit int) ([]*Case, error)
	// ClosedSince calls fn with every case closed at or after t and its
	// escalations, oldest closing first, until fn returns false.
	ClosedSince(t time.Time, fn func(c *Case, escs []Escalation) bool) error
}

// ClosedMark is a place in the order of closed cases: when one closed,
// and its number.
type ClosedMark struct {
	At     time.Time
	Number int64
}

// MarkOf is the case's place in the order of closed cases.
func MarkOf(c *Case) ClosedMark { return ClosedMark{At: c.ClosedAt, Number: c.Number} }

// CompareClosed orders closed cases: most recently closed first, then the
// higher case number.
func CompareClosed(a, b ClosedMark) int {
	if c := b.At.Compare(a.At); c != 0 {
		return c
	}
	switch {
	case a.Number > b.Number:
		return -1
	case a.Number < b.Number:
		return 1
	}
	return 0
}

// Lookup is case n and its escalations: from memory, else from Closed. The
// desk's own records are returned (not copies): do not change them.
func (d *Desk) Lookup(n int64) (*Case, []Escalation, bool, error) {
	if c, ok := d.Cases[n]; ok {
		return c, d.Escalations[n], true, nil
	}
	if d.Closed == nil || n > d.lastCase || n <= 0 {
		// Above every number the desk knows: none it could show (the
		// board's rule probes ask for such a number on every redraw).
		return nil, nil, false, nil
	}
	c, es, ok, err := d.Closed.ClosedCase(n)
	if err != nil || !ok {
		return nil, nil, false, err
	}
	return c, es, true, nil
}

// Find is case n, from memory or Closed; a read error of Closed is taken
// as no such case (Lookup tells it).
func (d *Desk) Find(n int64) (*Case, bool) {
	c, _, ok, err := d.Lookup(n)
	return c, ok && err == nil
}

// EscalationsOf is case n's escalations, from memory when the case is
// there (an open case never reads the store), else from Closed.
func (d *Desk) EscalationsOf(n int64) []Escalation {
	if _, ok := d.Cases[n]; ok || d.Closed == nil {
		return d.Escalations[n]
	}
	_, es, _, _ := d.Lookup(n)
	return es
}

// EachCase calls fn with every case of the desk and its escalations, in
// case number order, until fn returns false: those in memory and those in
// Closed. A case in memory is given as the desk holds it, even when
// Closed already has a later state of it (the desk follows the store a
// moment behind); a case Closed holds open and memory does not (opened or
// reopened after the desk's state) is left out.
func (d *Desk) EachCase(fn func(*Case, []Escalation) bool) error {
	mem := d.CaseNumbers()
	i := 0
	stopped := false
	memUpTo := func(n int64) bool { // yields memory's cases below n
		for ; i < len(mem) && mem[i] < n; i++ {
			if !fn(d.Cases[mem[i]], d.Escalations[mem[i]]) {
				stopped = true
				return false
			}
		}
		return true
	}
	if d.Closed != nil {
		err := d.Closed.EachClosed(func(c *Case, es []Escalation) bool {
			if !memUpTo(c.Number) {
				return false
			}
			if i < len(mem) && mem[i] == c.Number {
				return true // memory's state of it comes next
			}
			if !fn(c, es) {
				stopped = true
				return false
			}
			return true
		})
		if err != nil || stopped {
			return err
		}
	}
	memUpTo(1<<63 - 1)
	return nil
}

// EachCaseClosedAfter is EachCase for a caller that skips every case
// closed at or before t: memory's cases (in no order), then those Closed
// holds closed after t (oldest closing first), read through its index
// instead of every case on disk.
func (d *Desk) EachCaseClosedAfter(t time.Time, fn func(*Case, []Escalation) bool) error {
	for n, c := range d.Cases {
		if !fn(c, d.Escalations[n]) {
			return nil
		}
	}
	if d.Closed == nil {
		return nil
	}
	return d.Closed.ClosedSince(t, func(c *Case, es []Escalation) bool {
		if _, ok := d.Cases[c.Number]; ok || !c.ClosedAt.After(t) {
			return true // memory's state of it was given
		}
		return fn(c, es)
	})
}

// NoteCaseNumber records that case n exists (a closed case left on disk),
// so that NextCaseNumber stays above it.
func (d *Desk) NoteCaseNumber(n int64) {
	if n > d.lastCase {
		d.lastCase = n
	}
}

// dropClosed takes the closed cases a change wrote out of memory, with
// their escalations, when the desk has a Closed to find them in again.
func (d *Desk) dropClosed(ch *Change) {
	if d.Closed == nil {
		return
	}
	for i := range ch.Cases {
		n := ch.Cases[i].Number
		if c, ok := d.Cases[n]; ok && !c.IsOpen() {
			delete(d.Cases, n)
			delete(d.Escalations, n)
		}
	}
}

// bringBack reads the escalations of a case a change brings into memory
// (reopened: they stayed on disk with it) before the change's own apply.
func (d *Desk) bringBack(ch *Change) {
	if d.Closed == nil {
		return
	}
	for i := range ch.Cases {
		c := &ch.Cases[i]
		if _, ok := d.Cases[c.Number]; ok || !c.IsOpen() {
			continue
		}
		if _, es, ok, err := d.Closed.ClosedCase(c.Number); err != nil {
			d.closedErr = err
		} else if ok && len(es) > 0 {
			d.Escalations[c.Number] = slices.Clone(es)
		}
	}
}

// ClosedErr is the first error met reading Closed while applying a change
// (a reopened case's escalations), or nil; a reload clears it.
func (d *Desk) ClosedErr() error { return d.closedErr }
