package model

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// calTable is a calendar's concrete openings over a stretch of time, in
// Unix seconds, with the covered seconds before each: every opening that
// meets [lo, hi) is listed, in order, none overlapping. It is built once
// by the walker (so holidays and zone transitions are the walker's, exact)
// and never changed after: a wider table replaces it whole.
//
// With it IsOpen, NextOpen, Covered and Add are two binary searches and a
// few integer operations instead of a day-by-day walk with a time.Date per
// day: the board computes some 20,000 dues to order 10,000 cases, and sees
// every row's clock at each redraw.
type calTable struct {
	lo, hi int64
	open   []int64
	close  []int64
	// cum[i] is the covered seconds in openings 0..i-1; len(open)+1 long.
	cum []int64
	// day[k] is find(lo + k days): a search starts a day's few openings
	// away from its answer.
	day []int32
}

// calCache holds a calendar's current table. Readers load it without a
// lock; a query outside it builds a wider one under mu.
type calCache struct {
	tab atomic.Pointer[calTable]
	mu  sync.Mutex
}

const (
	tableDay = 86400
	// A table spans at most this much; an instant far outside what the
	// desk needs (a case dated in 1900, a due in 3000) is answered by the
	// walker instead of growing the table without bound.
	tableMaxSpan = 40 * 366 * tableDay
	// tableMinSec and tableMaxSec bound the instants a table may cover
	// (years 1900 and 2400), so its nanosecond sums cannot overflow.
	tableMinSec = -2208988800
	tableMaxSec = 13569465600
)

// table returns a table that holds s, or nil when s is out of the range
// tables cover.
func (c *Calendar) table(s int64) *calTable {
	if c.cache == nil {
		return nil
	}
	if t := c.cache.tab.Load(); t != nil && s >= t.lo && s < t.hi {
		return t
	}
	return c.grow(s, s+1)
}

// grow returns a table covering [lo, hi) at least, building it if the
// current one does not; nil when that would pass the limits.
func (c *Calendar) grow(lo, hi int64) *calTable {
	if lo < tableMinSec || hi > tableMaxSec {
		return nil
	}
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	cur := c.cache.tab.Load()
	if cur != nil && lo >= cur.lo && hi <= cur.hi {
		return cur
	}
	// Pad: a board's cases span weeks around now, their dues weeks after.
	nlo, nhi := lo-120*tableDay, hi+400*tableDay
	if cur != nil {
		if lo >= cur.lo {
			nlo = cur.lo
		}
		if hi <= cur.hi {
			nhi = cur.hi
		}
		nlo, nhi = min(nlo, cur.lo), max(nhi, cur.hi)
	}
	nlo, nhi = max(nlo, tableMinSec), min(nhi, tableMaxSec)
	if nhi-nlo > tableMaxSpan {
		return nil
	}
	t := c.buildTable(nlo, nhi)
	if t == nil {
		return nil
	}
	c.cache.tab.Store(t)
	return t
}

// buildTable lists the openings that meet [lo, hi) from the walker.
func (c *Calendar) buildTable(lo, hi int64) *calTable {
	t := &calTable{lo: lo, hi: hi, cum: []int64{0}}
	w := c.walkFrom(time.Unix(lo, 0))
	for {
		iv, ok := w.next()
		if !ok {
			break
		}
		if iv.open.Nanosecond() != 0 || iv.close.Nanosecond() != 0 {
			return nil // not whole seconds: leave it to the walker
		}
		o, cl := iv.open.Unix(), iv.close.Unix()
		if o >= hi {
			break
		}
		if cl <= lo {
			continue
		}
		if n := len(t.close); n > 0 && o < t.close[n-1] {
			o = t.close[n-1] // never count a moment twice
		}
		if cl <= o {
			continue
		}
		t.open = append(t.open, o)
		t.close = append(t.close, cl)
		t.cum = append(t.cum, t.cum[len(t.cum)-1]+cl-o)
	}
	if len(t.open) >= 1<<31 {
		return nil
	}
	t.day = make([]int32, (hi-lo)/tableDay+1)
	i := 0
	for k := range t.day {
		s := lo + int64(k)*tableDay
		for i < len(t.close) && t.close[i] <= s {
			i++
		}
		t.day[k] = int32(i)
	}
	return t
}

// find is the first opening that closes after s (len(open) if none); s
// is in [lo, hi).
func (t *calTable) find(s int64) int {
	i := int(t.day[(s-t.lo)/tableDay])
	for i < len(t.close) && t.close[i] <= s {
		i++
	}
	return i
}

// coveredTo is the covered time from the table's first opening to the
// instant (s, ns), in nanoseconds; i is find(s).
func (t *calTable) coveredTo(i int, s int64, ns int) int64 {
	if i == len(t.open) {
		return t.cum[i] * 1e9
	}
	base := t.cum[i] * 1e9
	if o := t.open[i]; o <= s {
		base += (s-o)*1e9 + int64(ns)
	}
	return base
}

// tableIsOpen answers IsOpen from a table; ok is false when none holds t.
func (c *Calendar) tableIsOpen(at time.Time) (open, ok bool) {
	s := at.Unix()
	t := c.table(s)
	if t == nil {
		return false, false
	}
	i := t.find(s)
	return i < len(t.open) && t.open[i] <= s, true
}

// tableNextOpen answers NextOpen from a table.
func (c *Calendar) tableNextOpen(at time.Time) (time.Time, bool) {
	s := at.Unix()
	t := c.table(s)
	for t != nil {
		i := t.find(s)
		if i < len(t.open) {
			if t.open[i] <= s {
				return at, true
			}
			return time.Unix(t.open[i], 0).In(c.loc), true
		}
		t = c.grow(t.lo, t.hi+max(t.hi-t.lo, 400*tableDay))
	}
	return time.Time{}, false
}

// tableCovered answers Covered (b after a) from a table.
func (c *Calendar) tableCovered(a, b time.Time) (time.Duration, bool) {
	sa, sb := a.Unix(), b.Unix()
	t := c.table(sa)
	if t != nil && sb >= t.hi {
		t = c.grow(t.lo, sb+1)
	}
	if t == nil {
		return 0, false
	}
	ca := t.coveredTo(t.find(sa), sa, a.Nanosecond())
	cb := t.coveredTo(t.find(sb), sb, b.Nanosecond())
	return time.Duration(cb - ca), true
}

// tableAdd answers Add (d > 0) from a table.
func (c *Calendar) tableAdd(start time.Time, d time.Duration) (time.Time, bool) {
	s, ns := start.Unix(), start.Nanosecond()
	t := c.table(s)
	for t != nil {
		i := t.find(s)
		target := t.coveredTo(i, s, ns) + int64(d)
		// The first opening whose end brings the covered time to target.
		need := (target + 1e9 - 1) / 1e9
		// Most targets end a few openings on: look there first.
		k := i + 1
		for n := 0; k < len(t.cum) && t.cum[k] < need; k++ {
			if n++; n == 8 {
				j, _ := slices.BinarySearch(t.cum[k:], need)
				k += j
				break
			}
		}
		if k < len(t.cum) {
			j := k - 1
			off := target - t.cum[j]*1e9
			if o := t.open[j]; j == i && (o < s || o == s && ns > 0) {
				return start.Add(d), true // inside the opening start is in
			}
			return time.Unix(t.open[j], off).In(c.loc), true
		}
		t = c.grow(t.lo, t.hi+max(t.hi-t.lo, 400*tableDay))
	}
	return time.Time{}, false
}
