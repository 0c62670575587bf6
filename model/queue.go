package model

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// QueueItem is one case as the queue sorts it: its clocks and sort key,
// computed once from the case's facts, its latest escalation and the
// policy. Nothing here depends on now, so an item changes only when its
// case, escalation or the policy does.
type QueueItem struct {
	Case Case
	// Esc is the case's latest escalation (a copy), or nil.
	Esc    *Escalation
	Clocks []Clock
	// Urgent is the most urgent running clock (see Urgent); valid when
	// HasClock.
	Urgent   Clock
	HasClock bool
	// CallRequired: a severity-1 case waiting for the customer's call.
	CallRequired bool
	// Escalated: the latest escalation is requested or accepted.
	Escalated bool

	// What a board shows and filters by, filled by DeskQueueItem from the
	// case's account: its TAM and name, when it auto-closes (if CanAuto),
	// and the lower-case text a filter matches.
	TAM         string
	AccountName string
	AutoDue     time.Time
	CanAuto     bool
	Search      string
}

// NewQueueItem computes a case's clocks and sort key.
func NewQueueItem(c Case, esc *Escalation, p *Policy) QueueItem {
	it := QueueItem{Case: c}
	if esc != nil {
		e := *esc
		e.Updates = append([]EscalationUpdate(nil), esc.Updates...)
		it.Esc = &e
	}
	it.Clocks = Clocks(&it.Case, it.Esc, p)
	it.Urgent, it.HasClock = Urgent(it.Clocks)
	it.CallRequired = it.HasClock && it.Urgent.CallRequired
	it.Escalated = it.Esc.Open()
	return it
}

// Order is a queue order.
type Order int

// The queue orders (DOMAIN.md, "Other clocks on a case").
const (
	// BySeverity: severity 1 first; within a severity call required first,
	// then by the due instant of the most urgent running clock, then cases
	// with no running clock; ties by lower case number.
	BySeverity Order = iota
	// ByDue: call required first, then by due instant across severities,
	// then cases with no running clock; ties by severity, then number.
	ByDue
	// ByAutoClose: by the auto-close instant, ties by number (the cases a
	// tick closes are at the front).
	ByAutoClose
)

// String names the order for the board's header.
func (o Order) String() string {
	switch o {
	case ByDue:
		return "by due"
	case ByAutoClose:
		return "by auto-close"
	}
	return "by severity"
}

// rank puts call required first and cases without a running clock last.
func (it *QueueItem) rank() int {
	switch {
	case it.CallRequired:
		return 0
	case it.HasClock:
		return 1
	default:
		return 2
	}
}

// Less reports whether a comes before b in order o. It is a strict total
// order on items with distinct case numbers.
func Less(a, b *QueueItem, o Order) bool { return Compare(a, b, o) < 0 }

// Compare orders two items in order o: negative when a comes first, zero
// only for the same case number. Sorting calls it once per comparison.
func Compare(a, b *QueueItem, o Order) int {
	if o == ByAutoClose {
		if c := a.AutoDue.Compare(b.AutoDue); c != 0 {
			return c
		}
		return cmp.Compare(a.Case.Number, b.Case.Number)
	}
	if o == BySeverity {
		if c := cmp.Compare(a.Case.Severity, b.Case.Severity); c != 0 {
			return c
		}
	}
	ra, rb := a.rank(), b.rank()
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	if ra == 1 {
		if c := a.Urgent.Due.Compare(b.Urgent.Due); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.Case.Severity, b.Case.Severity); c != 0 {
		return c
	}
	return cmp.Compare(a.Case.Number, b.Case.Number)
}

// dueEntry is an item's place in the due-sorted view.
type dueEntry struct {
	due    time.Time
	number int64
}

func dueLess(a, b dueEntry) bool {
	if !a.due.Equal(b.due) {
		return a.due.Before(b.due)
	}
	return a.number < b.number
}

// Queue is a sorted index of queue items, kept in order one change at a
// time: finding a place is a binary search, moving the rest is one copy.
// A second view keeps the running due instants sorted, so the header's
// counts at a tick cost two binary searches, whatever the queue's length.
// A Queue is not safe for concurrent use.
//
// A Queue made by QueueIndex.View is a view: it holds the index's items
// that match its predicate, shares the index's items (each case is held
// once) and is kept up to date by the index.
type Queue struct {
	order Order
	items []*QueueItem
	byNum map[int64]*QueueItem
	// pred is a view's filter (nil: every item); view marks a queue whose
	// byNum is the index's, read here and written only by the index.
	pred func(*QueueItem) bool
	view bool
	// dues holds the items with a running clock that is not waiting for a
	// call, by (due, number).
	dues                    []dueEntry
	callRequired, escalated int
}

// NewQueue returns an empty queue in order o.
func NewQueue(o Order) *Queue {
	return &Queue{order: o, byNum: map[int64]*QueueItem{}}
}

// BuildQueue sorts items into a new queue in one go (the start of a
// board): O(n log n), where n Upserts would move O(n²) pointers.
func BuildQueue(items []QueueItem, o Order) *Queue {
	q := NewQueue(o)
	q.items = make([]*QueueItem, 0, len(items))
	for i := range items {
		it := &items[i]
		if old, ok := q.byNum[it.Case.Number]; ok {
			*old = *it // a later item for the same case wins
			continue
		}
		q.byNum[it.Case.Number] = it
		q.items = append(q.items, it)
	}
	slices.SortFunc(q.items, func(a, b *QueueItem) int { return Compare(a, b, o) })
	q.recount()
	return q
}

// recount rebuilds the counts and the due view from the sorted items.
func (q *Queue) recount() {
	q.callRequired, q.escalated, q.dues = 0, 0, q.dues[:0]
	for _, it := range q.items {
		q.count(it, 1)
		if e, ok := dueOf(it); ok {
			q.dues = append(q.dues, e)
		}
	}
	slices.SortFunc(q.dues, func(a, b dueEntry) int {
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.number, b.number)
	})
}

func dueOf(it *QueueItem) (dueEntry, bool) {
	if !it.HasClock || it.CallRequired {
		return dueEntry{}, false
	}
	return dueEntry{it.Urgent.Due, it.Case.Number}, true
}

func (q *Queue) count(it *QueueItem, n int) {
	if it.CallRequired {
		q.callRequired += n
	}
	if it.Escalated {
		q.escalated += n
	}
}

// Order is the queue's order.
func (q *Queue) Order() Order { return q.order }

// Len is the number of items.
func (q *Queue) Len() int { return len(q.items) }

// Items are the items in order. The slice is the queue's own: read it, do
// not change it, and do not keep it past the next Upsert or Remove.
func (q *Queue) Items() []*QueueItem { return q.items }

// Get returns the item of a case number.
func (q *Queue) Get(number int64) (*QueueItem, bool) {
	it, ok := q.byNum[number]
	if ok && !q.holds(it) {
		return nil, false
	}
	return it, ok
}

// holds reports whether an item of the index belongs in this queue.
func (q *Queue) holds(it *QueueItem) bool { return q.pred == nil || q.pred(it) }

// search is the first position whose item does not come before it.
func (q *Queue) search(it *QueueItem) int {
	return sort.Search(len(q.items), func(i int) bool { return !Less(q.items[i], it, q.order) })
}

// Index is the position of a case number in Items, or -1.
func (q *Queue) Index(number int64) int {
	it, ok := q.byNum[number]
	if !ok || !q.holds(it) {
		return -1
	}
	i := q.search(it)
	if i >= len(q.items) || q.items[i] != it {
		return -1
	}
	return i
}

// Upsert adds the item, or replaces the item of the same case number, and
// returns its position. A view is changed through its index only.
func (q *Queue) Upsert(item QueueItem) int {
	if q.view {
		panic("model: Upsert on a view of a QueueIndex")
	}
	q.Remove(item.Case.Number)
	it := &item
	q.byNum[it.Case.Number] = it
	return q.insert(it)
}

// Remove takes a case number out; it reports whether it was there.
func (q *Queue) Remove(number int64) bool {
	if q.view {
		panic("model: Remove on a view of a QueueIndex")
	}
	it, ok := q.byNum[number]
	if !ok {
		return false
	}
	delete(q.byNum, number)
	return q.remove(it)
}

// insert places an item by its key; the caller keeps byNum.
func (q *Queue) insert(it *QueueItem) int {
	i := q.search(it)
	q.items = append(q.items, nil)
	copy(q.items[i+1:], q.items[i:])
	q.items[i] = it
	q.count(it, 1)
	if e, ok := dueOf(it); ok {
		j := sort.Search(len(q.dues), func(k int) bool { return !dueLess(q.dues[k], e) })
		q.dues = append(q.dues, dueEntry{})
		copy(q.dues[j+1:], q.dues[j:])
		q.dues[j] = e
	}
	return i
}

// remove takes out an item found under its (unchanged) key.
func (q *Queue) remove(it *QueueItem) bool {
	i := q.search(it)
	if i >= len(q.items) || q.items[i] != it {
		return false
	}
	q.items = append(q.items[:i], q.items[i+1:]...)
	q.count(it, -1)
	if e, ok := dueOf(it); ok {
		j := sort.Search(len(q.dues), func(k int) bool { return !dueLess(q.dues[k], e) })
		q.dues = append(q.dues[:j], q.dues[j+1:]...)
	}
	return true
}

// SetOrder re-sorts the queue in another order.
func (q *Queue) SetOrder(o Order) {
	if o == q.order {
		return
	}
	q.order = o
	slices.SortFunc(q.items, func(a, b *QueueItem) int { return Compare(a, b, o) })
}

// QueueCounts are the board header's figures at an instant.
type QueueCounts struct {
	Open         int
	Breached     int // the most urgent running clock is past due
	DueSoon      int // due within dueSoon, not breached
	CallRequired int
	Escalated    int
}

// Counts are the header's figures at now: O(log n).
func (q *Queue) Counts(now time.Time, dueSoon time.Duration) QueueCounts {
	// Breached: due before now (exactly at due is not breached).
	breached := sort.Search(len(q.dues), func(i int) bool { return !q.dues[i].due.Before(now) })
	limit := now.Add(dueSoon)
	soon := sort.Search(len(q.dues), func(i int) bool { return q.dues[i].due.After(limit) })
	return QueueCounts{Open: len(q.items), Breached: breached, DueSoon: soon - breached,
		CallRequired: q.callRequired, Escalated: q.escalated}
}
