package model

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"time"
)

// QueueItem is one case as the queue sorts it: its most urgent clock and
// sort keys, computed once from the case's facts, its latest escalation
// and the policy. Nothing here depends on now, so an item changes only when
// its case, escalation or the policy does.
//
// An item is compact (about 250 bytes): it points at its case instead of
// holding a copy, keeps the one clock every row shows (Urgent) and
// computes the others when asked (Clocks), and carries its order as
// packed integers, so that sorting compares two words, not times.
type QueueItem struct {
	// Case is the case as the item was made from it. It points into the
	// desk (a desk replaces a changed case, it never writes one in place):
	// read it, never change it.
	Case *Case
	// Esc is the case's latest escalation (the item's own copy), or nil.
	Esc *Escalation
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
	CanAuto     bool
	TAM         string
	AccountName string
	AutoDue     time.Time
	Search      string

	p *Policy
	// packed: the item's place in each order fits a key (see setKeys);
	// when not, Compare decides.
	packed bool
}

// NewQueueItem computes a case's urgent clock and sort keys. The item
// keeps c and esc: neither may change afterwards (a desk's cases and a
// copy of their escalation qualify).
func NewQueueItem(c *Case, esc *Escalation, p *Policy) QueueItem {
	it := QueueItem{Case: c, Esc: esc, p: p}
	var buf [6]Clock
	it.Urgent, it.HasClock = Urgent(appendClocks(buf[:0], c, esc, p))
	it.CallRequired = it.HasClock && it.Urgent.CallRequired
	it.Escalated = esc.Open()
	it.setKeys()
	return it
}

// Clocks are every clock of the item's case (see Clocks), computed now:
// a board asks for them only for the case it shows.
func (it *QueueItem) Clocks() []Clock { return Clocks(it.Case, it.Esc, it.p) }

// qkey is an item's place in one order as a 128-bit number: comparing two
// keys is comparing the items (Compare), while every value fits.
type qkey struct{ hi, lo uint64 }

func (k qkey) cmp(o qkey) int {
	switch {
	case k.hi != o.hi:
		if k.hi < o.hi {
			return -1
		}
		return 1
	case k.lo != o.lo:
		if k.lo < o.lo {
			return -1
		}
		return 1
	}
	return 0
}

// push appends v, which must fit in bits (1-63), below what k holds.
func (k *qkey) push(v uint64, bits uint) {
	k.hi = k.hi<<bits | k.lo>>(64-bits)
	k.lo = k.lo<<bits | v
}

// The widths of the packed fields: 3+2+41+30+52 = 128 bits. Seconds are
// biased by 2^40 (some 34,000 years either side of 1970); a case number
// fits in 52 bits.
const (
	keySecBias  = 1 << 40
	keySecBits  = 41
	keyNumBits  = 52
	keyNsecBits = 30
)

// keyTime splits t into biased seconds and nanoseconds; ok is false when
// it does not fit.
func keyTime(t time.Time) (sec, nsec uint64, ok bool) {
	s := t.Unix() + keySecBias
	if s < 0 || s >= 1<<keySecBits {
		return 0, 0, false
	}
	return uint64(s), uint64(t.Nanosecond()), true
}

// setKeys decides whether the item's place in each order packs into a
// key (see key): BySeverity (severity, rank, due, number), ByDue (rank,
// due, severity, number), ByAutoClose (auto-close instant, number). The
// due counts only for rank 1, as in Compare.
func (it *QueueItem) setKeys() {
	c := it.Case
	_, _, dok := keyTime(it.Urgent.Due)
	_, _, aok := keyTime(it.AutoDue)
	it.packed = c.Severity >= 0 && c.Severity <= 7 && c.Number >= 0 && c.Number < 1<<keyNumBits &&
		(dok || it.rank() != 1) && aok
}

// fieldVals are the values of the item's key in order o, most significant
// first, with keyFields' widths; valid when packed.
func (it *QueueItem) fieldVals(o Order) (v [5]uint64) {
	c := it.Case
	sev, num, rank := uint64(c.Severity), uint64(c.Number), uint64(it.rank())
	var dsec, dnsec uint64
	if rank == 1 {
		dsec, dnsec, _ = keyTime(it.Urgent.Due)
	}
	switch o {
	case BySeverity:
		return [5]uint64{sev, rank, dsec, dnsec, num}
	case ByDue:
		return [5]uint64{rank, dsec, dnsec, sev, num}
	}
	asec, ansec, _ := keyTime(it.AutoDue)
	return [5]uint64{asec, ansec, num}
}

// key is the item's place in order o as one 128-bit number; valid when
// packed.
func (it *QueueItem) key(o Order) qkey {
	v := it.fieldVals(o)
	var k qkey
	for f, w := range keyFields[o] {
		k.push(v[f], uint(max(w, -w)))
	}
	return k
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

	numOrders = 3
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
func Less(a, b *QueueItem, o Order) bool { return compareItems(a, b, o) < 0 }

// compareItems is Compare by the packed keys when both items have them.
func compareItems(a, b *QueueItem, o Order) int {
	if a.packed && b.packed && o >= 0 && int(o) < numOrders {
		return a.key(o).cmp(b.key(o))
	}
	return Compare(a, b, o)
}

// keyFields are the widths of an order's packed fields, most significant
// first (setKeys); a negative width marks a part of the due, which counts
// only for rank 1 (keyRank is the rank's field, -1 for none).
var (
	keyFields = [numOrders][]int{
		BySeverity:  {3, 2, -keySecBits, -keyNsecBits, keyNumBits},
		ByDue:       {2, -keySecBits, -keyNsecBits, 3, keyNumBits},
		ByAutoClose: {keySecBits, keyNsecBits, keyNumBits},
	}
	keyRank = [numOrders]int{BySeverity: 1, ByDue: 0, ByAutoClose: -1}
)

// sortItems sorts items in order o by their packed keys, when every item
// has them. A queue's keys vary in few bits (dues within weeks, numbers
// within a range, nanoseconds often zero): each field less its minimum
// and the item's position usually fit one word, and a sort of plain
// integers without pointers is several times faster than one that calls
// a comparison (and swapping pointers costs write barriers while the
// collector runs). Otherwise the two-word keys are sorted.
func sortItems(items []*QueueItem, o Order) {
	slow := func() { slices.SortFunc(items, func(a, b *QueueItem) int { return Compare(a, b, o) }) }
	if o < 0 || int(o) >= numOrders || len(items) >= 1<<32 {
		slow()
		return
	}
	for _, it := range items {
		if !it.packed {
			slow()
			return
		}
	}
	// Each field's range over the items (a due's over rank-1 items only:
	// the others hold zero there and never meet a rank-1 item on it).
	fields, rankF := keyFields[o], keyRank[o]
	var vals [5]uint64
	read := func(it *QueueItem) (dueCounts bool) {
		vals = it.fieldVals(o)
		return rankF < 0 || vals[rankF] == 1
	}
	var lo, hi [5]uint64
	for f := range fields {
		lo[f] = ^uint64(0)
	}
	for _, it := range items {
		due := read(it)
		for f, w := range fields {
			if w > 0 || due {
				lo[f], hi[f] = min(lo[f], vals[f]), max(hi[f], vals[f])
			}
		}
	}
	var widths [5]uint
	idxBits := uint(bits.Len(uint(len(items))))
	total := idxBits
	for f := range fields {
		if lo[f] <= hi[f] {
			widths[f] = uint(bits.Len64(hi[f] - lo[f]))
		}
		total += widths[f]
	}
	sorted := make([]*QueueItem, len(items))
	if total <= 64 && len(items) > 0 {
		keys := make([]uint64, len(items))
		for i, it := range items {
			due := read(it)
			var c uint64
			for f, w := range fields {
				var v uint64
				if w > 0 || due {
					v = vals[f] - lo[f]
				}
				c = c<<widths[f] | v
			}
			keys[i] = c<<idxBits | uint64(i)
		}
		radixSort(keys, total)
		mask := uint64(1)<<idxBits - 1
		for i, c := range keys {
			sorted[i] = items[c&mask]
		}
	} else {
		type ent struct {
			k qkey
			i uint32
		}
		ents := make([]ent, len(items))
		for i, it := range items {
			ents[i] = ent{it.key(o), uint32(i)}
		}
		slices.SortFunc(ents, func(a, b ent) int { return a.k.cmp(b.k) })
		for i := range ents {
			sorted[i] = items[ents[i].i]
		}
	}
	copy(items, sorted)
}

// radixSort sorts keys whose values fit in the low nbits bits: one
// counting pass per byte, bytes that never vary skipped.
func radixSort(keys []uint64, nbits uint) {
	if len(keys) < 256 {
		slices.Sort(keys)
		return
	}
	tmp := make([]uint64, len(keys))
	src, dst := keys, tmp
	for shift := uint(0); shift < nbits; shift += 8 {
		var count [256]int
		for _, k := range src {
			count[byte(k>>shift)]++
		}
		if count[byte(src[0]>>shift)] == len(src) {
			continue // every key has this byte
		}
		pos := 0
		for b, n := range count {
			count[b] = pos
			pos += n
		}
		for _, k := range src {
			b := byte(k >> shift)
			dst[count[b]] = k
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

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

// dueEntry is an item's place in the due-sorted view: its due instant as
// Unix seconds and nanoseconds, and its number.
type dueEntry struct {
	sec    int64
	nsec   int64
	number int64
}

func dueCmp(a, b dueEntry) int {
	if c := cmp.Compare(a.sec, b.sec); c != 0 {
		return c
	}
	if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
		return c
	}
	return cmp.Compare(a.number, b.number)
}

func dueLess(a, b dueEntry) bool { return dueCmp(a, b) < 0 }

// sortDues sorts the due view. Taken from a queue in severity order it is
// a few sorted runs (one a severity), merged in O(n) each; anything else
// is sorted.
func sortDues(ds []dueEntry) {
	var starts []int
	for i := range ds {
		if i == 0 || dueLess(ds[i], ds[i-1]) {
			if starts = append(starts, i); len(starts) > 8 {
				slices.SortFunc(ds, dueCmp)
				return
			}
		}
	}
	if len(starts) <= 1 {
		return
	}
	buf := make([]dueEntry, len(ds))
	src, dst := ds, buf
	for len(starts) > 1 {
		var next []int
		for r := 0; r < len(starts); r += 2 {
			lo := starts[r]
			next = append(next, lo)
			if r+1 == len(starts) {
				copy(dst[lo:], src[lo:])
				break
			}
			mid, hi := starts[r+1], len(ds)
			if r+2 < len(starts) {
				hi = starts[r+2]
			}
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if dueLess(src[j], src[i]) {
					dst[k], j = src[j], j+1
				} else {
					dst[k], i = src[i], i+1
				}
				k++
			}
			k += copy(dst[k:], src[i:mid])
			copy(dst[k:], src[j:hi])
		}
		starts = next
		src, dst = dst, src
	}
	if &src[0] != &ds[0] {
		copy(ds, src)
	}
}

// before reports whether the entry is due before the instant (sec, nsec).
func (e dueEntry) before(sec, nsec int64) bool {
	return e.sec < sec || e.sec == sec && e.nsec < nsec
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
	q := &Queue{order: o, byNum: make(map[int64]*QueueItem, len(items))}
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
	sortItems(q.items, o)
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
	sortDues(q.dues)
}

func dueOf(it *QueueItem) (dueEntry, bool) {
	if !it.HasClock || it.CallRequired {
		return dueEntry{}, false
	}
	d := it.Urgent.Due
	return dueEntry{d.Unix(), int64(d.Nanosecond()), it.Case.Number}, true
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
	sortItems(q.items, o)
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
	ns, nn := now.Unix(), int64(now.Nanosecond())
	breached := sort.Search(len(q.dues), func(i int) bool { return !q.dues[i].before(ns, nn) })
	limit := now.Add(dueSoon)
	ls, ln := limit.Unix(), int64(limit.Nanosecond())
	// Due soon: due at or before the limit, that is before limit + 1 ns.
	soon := sort.Search(len(q.dues), func(i int) bool {
		e := q.dues[i]
		return !(e.sec < ls || e.sec == ls && e.nsec <= ln)
	})
	return QueueCounts{Open: len(q.items), Breached: breached, DueSoon: soon - breached,
		CallRequired: q.callRequired, Escalated: q.escalated}
}
