package ui

import (
	"sort"
	"strings"
	"time"

	"caseboard/model"
)

// entry is one open case as the board sorts and draws it. Everything here
// is fixed until the case (or its escalation or account) changes, so the
// order never depends on the clock.
type entry struct {
	it model.QueueItem // the case, its latest escalation, clocks and sort key
	// c is &it.Case: the case without a second copy of it.
	c        *model.Case
	tam      string
	acctName string
	autoDue  time.Time // when it auto-closes, if canAuto
	canAuto  bool
	search   string // lower-case text the `/` filter matches
}

// escalated reports the queue flag: an escalation requested or accepted.
func (e *entry) escalated() bool { return e.it.Escalated }

// lessDue is the pure due-instant order (model.Less, ByDue).
func lessDue(a, b *entry) bool { return model.Less(&a.it, &b.it, model.ByDue) }

// lessSeverity is the board's default order (model.Less, BySeverity).
func lessSeverity(a, b *entry) bool { return model.Less(&a.it, &b.it, model.BySeverity) }

// lessAuto orders cases by their auto-close instant.
func lessAuto(a, b *entry) bool {
	if !a.autoDue.Equal(b.autoDue) {
		return a.autoDue.Before(b.autoDue)
	}
	return a.c.Number < b.c.Number
}

// view is a sorted subset of the index kept up to date per change: the
// visible queue, the clocks counted in the header, the auto-close list.
type view struct {
	pred func(*entry) bool
	less func(a, b *entry) bool
	list []*entry
}

func (v *view) search(e *entry) int {
	return sort.Search(len(v.list), func(i int) bool { return !v.less(v.list[i], e) })
}

func (v *view) insert(e *entry) {
	if !v.pred(e) {
		return
	}
	i := v.search(e)
	v.list = append(v.list, nil)
	copy(v.list[i+1:], v.list[i:])
	v.list[i] = e
}

func (v *view) remove(e *entry) {
	if !v.pred(e) {
		return
	}
	i := v.search(e)
	if i < len(v.list) && v.list[i] == e {
		v.list = append(v.list[:i], v.list[i+1:]...)
	}
}

// indexOf finds the case in the view by binary search; -1 if absent.
func (v *view) indexOf(e *entry) int {
	if e == nil || !v.pred(e) {
		return -1
	}
	i := v.search(e)
	if i < len(v.list) && v.list[i] == e {
		return i
	}
	return -1
}

// index holds every open case once and the views derived from them.
type index struct {
	p       *model.Policy
	entries map[int64]*entry
	views   []*view

	allSev  *view        // every open case, severity order
	allDue  *view        // every open case, due order
	all     *model.Queue // every open case: the engine's index, header counts
	auto    *view        // auto-close candidates, auto-close order
	regions map[model.Region]*view

	calls, escalated int
	owners           map[string]int
}

func newIndex(p *model.Policy) *index {
	ix := &index{p: p, entries: map[int64]*entry{}, owners: map[string]int{},
		regions: map[model.Region]*view{}}
	ix.allSev = ix.addView(func(*entry) bool { return true }, lessSeverity)
	ix.allDue = ix.addView(func(*entry) bool { return true }, lessDue)
	ix.all = model.NewQueue(model.BySeverity)
	ix.auto = ix.addView(func(e *entry) bool { return e.canAuto && !e.escalated() }, lessAuto)
	for _, r := range p.RegionIDs() {
		r := r
		ix.regions[r] = ix.addView(func(e *entry) bool { return e.c.Region == r && e.it.HasClock && !e.it.CallRequired }, lessDue)
	}
	return ix
}

// addView registers a view, filled from the current entries.
func (ix *index) addView(pred func(*entry) bool, less func(a, b *entry) bool) *view {
	v := &view{pred: pred, less: less}
	for _, e := range ix.entries {
		if pred(e) {
			v.list = append(v.list, e)
		}
	}
	sort.Slice(v.list, func(i, j int) bool { return less(v.list[i], v.list[j]) })
	ix.views = append(ix.views, v)
	return v
}

// derive registers a view of the cases matching pred in the chosen order,
// filtered from an already sorted base: O(n), no sort.
func (ix *index) derive(pred func(*entry) bool, byDue bool) *view {
	base, less := ix.allSev, lessSeverity
	if byDue {
		base, less = ix.allDue, lessDue
	}
	v := &view{pred: pred, less: less}
	for _, e := range base.list {
		if pred(e) {
			v.list = append(v.list, e)
		}
	}
	ix.views = append(ix.views, v)
	return v
}

// dropView stops maintaining a view.
func (ix *index) dropView(v *view) {
	for i, x := range ix.views {
		if x == v {
			ix.views = append(ix.views[:i], ix.views[i+1:]...)
			return
		}
	}
}

// load rebuilds the index from a whole desk (start and resync).
func (ix *index) load(d *model.Desk) {
	ix.entries = map[int64]*entry{}
	ix.owners = map[string]int{}
	ix.calls, ix.escalated = 0, 0
	items := make([]model.QueueItem, 0, len(d.Cases))
	for _, c := range d.Cases {
		if c.IsOpen() {
			e := ix.build(d, c)
			ix.entries[c.Number] = e
			ix.count(e, 1)
			items = append(items, e.it)
		}
	}
	ix.all = model.BuildQueue(items, model.BySeverity)
	for _, v := range ix.views {
		v.list = v.list[:0]
		for _, e := range ix.entries {
			if v.pred(e) {
				v.list = append(v.list, e)
			}
		}
		sort.Slice(v.list, func(i, j int) bool { return v.less(v.list[i], v.list[j]) })
	}
}

func (ix *index) build(d *model.Desk, c *model.Case) *entry {
	var escp *model.Escalation
	if esc, ok := d.Escalation(c.Number); ok {
		escp = &esc
	}
	e := &entry{it: model.NewQueueItem(*c, escp, ix.p)}
	e.c = &e.it.Case
	e.autoDue, e.canAuto = model.AutoCloseDue(e.c, ix.p)
	if a, ok := d.Accounts[c.Account]; ok {
		e.tam, e.acctName = a.TAM, a.Name
	}
	e.search = strings.ToLower(model.CaseNumber(c.Number) + " " + c.Account + " " + e.acctName + " " + c.Title)
	return e
}

func (ix *index) count(e *entry, n int) {
	if e.it.CallRequired {
		ix.calls += n
	}
	if e.escalated() {
		ix.escalated += n
	}
	if e.c.Owner != "" {
		ix.owners[e.c.Owner] += n
		if ix.owners[e.c.Owner] == 0 {
			delete(ix.owners, e.c.Owner)
		}
	}
}

// upsert re-reads one case from the desk: removed from every view under
// its old key, inserted under its new one (or dropped once closed).
func (ix *index) upsert(d *model.Desk, n int64) {
	if old, ok := ix.entries[n]; ok {
		for _, v := range ix.views {
			v.remove(old)
		}
		ix.count(old, -1)
		delete(ix.entries, n)
		ix.all.Remove(n)
	}
	c, ok := d.Cases[n]
	if !ok || !c.IsOpen() {
		return
	}
	e := ix.build(d, c)
	ix.entries[n] = e
	ix.count(e, 1)
	ix.all.Upsert(e.it)
	for _, v := range ix.views {
		v.insert(e)
	}
}

// apply updates the index for the cases a change touched: its cases, its
// escalations' cases, and every case of a changed account.
func (ix *index) apply(d *model.Desk, ch *model.Change) {
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
		for n, e := range ix.entries {
			if accts[e.c.Account] {
				touched[n] = true
			}
		}
	}
	for n := range touched {
		ix.upsert(d, n)
	}
}

// headerCounts are the numbers in the header at one instant.
type headerCounts struct {
	open, breached, dueSoon, calls, escalated int
}

// countDue counts breached and due-soon clocks of a due-ordered view by
// binary search: O(log n) per tick, whatever the number of cases.
func countDue(v *view, now time.Time, soon time.Duration) (breached, dueSoon int) {
	breached = sort.Search(len(v.list), func(i int) bool { return !v.list[i].it.Urgent.Due.Before(now) })
	limit := now.Add(soon)
	upto := sort.Search(len(v.list), func(i int) bool { return v.list[i].it.Urgent.Due.After(limit) })
	return breached, upto - breached
}

func (ix *index) counts(now time.Time) headerCounts {
	n := ix.all.Counts(now, ix.p.DueSoon)
	return headerCounts{open: n.Open, breached: n.Breached, dueSoon: n.DueSoon, calls: n.CallRequired, escalated: n.Escalated}
}

// autoCloseDue lists the cases whose auto-close is due at now, from the
// front of the auto-close view.
func (ix *index) autoCloseDue(now time.Time) []int64 {
	var out []int64
	for _, e := range ix.auto.list {
		if e.autoDue.After(now) {
			break
		}
		out = append(out, e.c.Number)
	}
	return out
}
