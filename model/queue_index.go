package model

import (
	"strings"
	"time"
)

// DeskQueueItem is a case's queue item with what a board shows of its
// account: NewQueueItem plus the TAM, the account's name, the auto-close
// instant and the text a filter matches.
func DeskQueueItem(d *Desk, c *Case, p *Policy) QueueItem {
	var escp *Escalation
	if es := d.EscalationsOf(c.Number); len(es) > 0 {
		// A copy: the desk replaces an escalation in its slice. Its updates
		// are never written in place.
		esc := es[len(es)-1]
		escp = &esc
	}
	it := NewQueueItem(c, escp, p)
	if it.AutoDue, it.CanAuto = AutoCloseDue(c, p); it.CanAuto {
		it.setKeys()
	}
	if a, ok := d.Accounts[c.Account]; ok {
		it.TAM, it.AccountName = a.TAM, a.Name
	}
	it.Search = strings.ToLower(CaseNumber(c.Number) + " " + c.Account + " " + it.AccountName + " " + c.Title)
	return it
}

// Matches reports whether every word (lower case) is in the item's case
// number, account id, account name or title.
func (it *QueueItem) Matches(words []string) bool {
	for _, w := range words {
		if !strings.Contains(it.Search, w) {
			return false
		}
	}
	return true
}

// QueueIndex holds every open case of a desk once, as a QueueItem, and the
// sorted views derived from them (a tab, a filter, a region, the
// auto-close list). A change re-reads only the cases it touched and moves
// each in every view by binary search; the order never depends on the
// clock. A QueueIndex is not safe for concurrent use.
type QueueIndex struct {
	p     *Policy
	byNum map[int64]*QueueItem
	views []*Queue
	// bySev and byDue hold every open case; views in those orders are
	// filtered from them without sorting.
	bySev, byDue *Queue
	auto         *Queue
	owners       map[string]int
}

// NewQueueIndex returns an empty index under policy p.
func NewQueueIndex(p *Policy) *QueueIndex {
	ix := &QueueIndex{p: p, byNum: map[int64]*QueueItem{}, owners: map[string]int{}}
	ix.bySev = ix.View(nil, BySeverity)
	ix.byDue = ix.View(nil, ByDue)
	ix.auto = ix.View(func(it *QueueItem) bool { return it.CanAuto && !it.Escalated }, ByAutoClose)
	return ix
}

// View registers a view of the open cases matching pred (nil: all) in
// order o, kept up to date until Drop. In severity or due order it is
// filtered from an already sorted list: O(n), no sort.
func (ix *QueueIndex) View(pred func(*QueueItem) bool, o Order) *Queue {
	v := &Queue{order: o, byNum: ix.byNum, pred: pred, view: true}
	ix.fill(v)
	ix.views = append(ix.views, v)
	return v
}

// fill puts the matching items into a view, in order.
func (ix *QueueIndex) fill(v *Queue) {
	v.items = v.items[:0]
	var base *Queue
	switch {
	case v.order == BySeverity && ix.bySev != nil && ix.bySev != v:
		base = ix.bySev
	case v.order == ByDue && ix.byDue != nil && ix.byDue != v:
		base = ix.byDue
	}
	if base != nil {
		for _, it := range base.items {
			if v.holds(it) {
				v.items = append(v.items, it)
			}
		}
	} else {
		for _, it := range ix.byNum {
			if v.holds(it) {
				v.items = append(v.items, it)
			}
		}
		sortItems(v.items, v.order)
	}
	v.recount()
}

// Drop stops maintaining a view.
func (ix *QueueIndex) Drop(v *Queue) {
	for i, x := range ix.views {
		if x == v {
			ix.views = append(ix.views[:i], ix.views[i+1:]...)
			return
		}
	}
}

// Load rebuilds the index and its views from a whole desk (a board's start
// and a resync).
func (ix *QueueIndex) Load(d *Desk) {
	clear(ix.byNum)
	clear(ix.owners)
	for _, c := range d.Cases {
		if c.IsOpen() {
			it := DeskQueueItem(d, c, ix.p)
			ix.byNum[c.Number] = &it
			ix.own(&it, 1)
		}
	}
	// The two bases first: the other views filter from them.
	ix.fill(ix.bySev)
	ix.fill(ix.byDue)
	for _, v := range ix.views {
		if v != ix.bySev && v != ix.byDue {
			ix.fill(v)
		}
	}
}

// Apply re-reads the cases a change touched from the desk (already
// changed): its cases, its escalations' cases, and every case of a changed
// account.
func (ix *QueueIndex) Apply(d *Desk, ch *Change) {
	touched := map[int64]bool{}
	for _, c := range ch.Cases {
		touched[c.Number] = true
	}
	for _, e := range ch.Escalations {
		touched[e.Case] = true
	}
	if len(ch.Accounts) > 0 {
		accts := map[string]bool{}
		for _, a := range ch.Accounts {
			accts[a.ID] = true
		}
		for n, it := range ix.byNum {
			if accts[it.Case.Account] {
				touched[n] = true
			}
		}
	}
	for n := range touched {
		ix.upsert(d, n)
	}
}

// upsert takes a case out of every view under its old key and puts it back
// under its new one, or leaves it out once closed.
func (ix *QueueIndex) upsert(d *Desk, n int64) {
	if old, ok := ix.byNum[n]; ok {
		for _, v := range ix.views {
			if v.holds(old) {
				v.remove(old)
			}
		}
		ix.own(old, -1)
		delete(ix.byNum, n)
	}
	c, ok := d.Cases[n]
	if !ok || !c.IsOpen() {
		return
	}
	it := DeskQueueItem(d, c, ix.p)
	ix.byNum[n] = &it
	ix.own(&it, 1)
	for _, v := range ix.views {
		if v.holds(&it) {
			v.insert(&it)
		}
	}
}

func (ix *QueueIndex) own(it *QueueItem, n int) {
	if o := it.Case.Owner; o != "" {
		ix.owners[o] += n
		if ix.owners[o] == 0 {
			delete(ix.owners, o)
		}
	}
}

// Get returns the item of an open case.
func (ix *QueueIndex) Get(number int64) (*QueueItem, bool) {
	it, ok := ix.byNum[number]
	return it, ok
}

// Len is the number of open cases.
func (ix *QueueIndex) Len() int { return len(ix.byNum) }

// Counts are the header's figures at now over every open case: O(log n).
func (ix *QueueIndex) Counts(now time.Time) QueueCounts {
	return ix.bySev.Counts(now, ix.p.DueSoon)
}

// Owners is the number of open cases per owner. The map is the index's
// own: read it, do not keep it.
func (ix *QueueIndex) Owners() map[string]int { return ix.owners }

// AutoCloseDue lists the cases whose auto-close is due at now, from the
// front of the auto-close view.
func (ix *QueueIndex) AutoCloseDue(now time.Time) []int64 {
	var out []int64
	for _, it := range ix.auto.items {
		if it.AutoDue.After(now) {
			break
		}
		out = append(out, it.Case.Number)
	}
	return out
}
