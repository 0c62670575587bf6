package model

import (
	"math/rand"
	"slices"
	"sort"
	"testing"
	"time"
)

func numbers(items []*QueueItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.Case.Number
	}
	return out
}

func sameNumbers(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The queue of DOMAIN.md built from real cases: Friday 20 Nov 2026, NA.
func TestQueueOrder(t *testing.T) {
	p := DefaultPolicy()
	ny := p.Regions[NA].Location()
	tm := func(hh, mm int) time.Time { return time.Date(2026, 11, 20, hh, mm, 0, 0, ny) }
	cs := []struct {
		c   Case
		esc *Escalation
	}{
		// sev 1, no call yet: call required.
		{c: Case{Number: 50, Severity: 1, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: tm(9, 0)}},
		// sev 1 phoned 08:30 + 1h = 09:30 (premium).
		{c: Case{Number: 40, Severity: 1, Plan: Premium, Region: NA, Status: StatusAssigned, OpenedAt: tm(8, 0), PhonedAt: tm(8, 30)}},
		// sev 1 answered: no running clock.
		{c: Case{Number: 2, Severity: 1, Plan: Basic, Region: NA, Status: StatusInProgress, OpenedAt: tm(7, 0), PhonedAt: tm(7, 5), RespondedAt: tm(7, 30)}},
		// sev 2 basic 8h from 06:00 -> 14:00; and a twin, lower number.
		{c: Case{Number: 31, Severity: 2, Plan: Basic, Region: NA, Status: StatusNew, OpenedAt: tm(6, 0)}},
		{c: Case{Number: 30, Severity: 2, Plan: Basic, Region: NA, Status: StatusNew, OpenedAt: tm(6, 0)}},
		// sev 2 premium 2h from 06:00 -> 08:00: the most breached.
		{c: Case{Number: 70, Severity: 2, Plan: Premium, Region: NA, Status: StatusNew, OpenedAt: tm(6, 0)}},
		// sev 3 answered, escalation requested 10:00 -> follow-up due 11:00.
		{c: Case{Number: 11, Severity: 3, Plan: Plus, Region: NA, Status: StatusInProgress, OpenedAt: tm(6, 0), RespondedAt: tm(7, 0)},
			esc: &Escalation{Case: 11, Status: EscRequested, RequestedAt: tm(10, 0)}},
		// sev 3 answered: no running clock.
		{c: Case{Number: 1, Severity: 3, Plan: Plus, Region: NA, Status: StatusInProgress, OpenedAt: tm(6, 0), RespondedAt: tm(7, 0)}},
		// sev 4 basic 24h from 06:00 Fri -> Mon 15:00.
		{c: Case{Number: 5, Severity: 4, Plan: Basic, Region: NA, Status: StatusNew, OpenedAt: tm(6, 0)}},
	}
	items := make([]QueueItem, len(cs))
	for i := range cs {
		items[i] = NewQueueItem(&cs[i].c, cs[i].esc, p)
	}
	if !items[0].CallRequired || items[1].CallRequired || !items[6].Escalated || items[2].HasClock {
		t.Fatalf("flags: %+v", items)
	}
	if items[6].Urgent.Kind != ClockEscalationFollowup || !items[6].Urgent.Due.Equal(tm(11, 0)) {
		t.Fatalf("escalated case's urgent clock: %+v", items[6].Urgent)
	}
	want := map[Order][]int64{
		BySeverity: {50, 40, 2, 70, 30, 31, 11, 1, 5},
		// due: 70 08:00, 40 09:30, 11 11:00, 30/31 14:00, 5 Mon; no clock:
		// 2 (sev 1), 1 (sev 3).
		ByDue: {50, 70, 40, 11, 30, 31, 5, 2, 1},
	}
	for o, w := range want {
		q := BuildQueue(append([]QueueItem(nil), items...), o)
		if got := numbers(q.Items()); !sameNumbers(got, w) {
			t.Errorf("%s built: %v, want %v", o, got, w)
		}
		inc := NewQueue(o)
		for i := len(items) - 1; i >= 0; i-- {
			inc.Upsert(items[i])
		}
		if got := numbers(inc.Items()); !sameNumbers(got, w) {
			t.Errorf("%s incremental: %v, want %v", o, got, w)
		}
		for i, n := range w {
			if inc.Index(n) != i {
				t.Errorf("%s: Index(%d) = %d, want %d", o, n, inc.Index(n), i)
			}
		}
		// At 10:30: breached 70 (08:00) and 40 (09:30); due soon 11 (11:00).
		got := inc.Counts(tm(10, 30), p.DueSoon)
		if got != (QueueCounts{Open: 9, Breached: 2, DueSoon: 1, CallRequired: 1, Escalated: 1}) {
			t.Errorf("%s counts at 10:30: %+v", o, got)
		}
		// At 09:30 exactly: 40 is due, not breached, and due soon.
		got = inc.Counts(tm(9, 30), p.DueSoon)
		if got.Breached != 1 || got.DueSoon != 1 {
			t.Errorf("%s counts at 09:30: %+v", o, got)
		}
	}
	// The case is answered: it moves to the end of its severity.
	q := BuildQueue(append([]QueueItem(nil), items...), BySeverity)
	c70 := cs[5].c
	c70.RespondedAt, c70.Status = tm(10, 0), StatusInProgress
	if pos := q.Upsert(NewQueueItem(&c70, nil, p)); pos != 5 {
		t.Errorf("answered 70 at %d, want 5", pos)
	}
	if got := numbers(q.Items()); !sameNumbers(got, []int64{50, 40, 2, 30, 31, 70, 11, 1, 5}) {
		t.Errorf("after answering 70: %v", got)
	}
	if !q.Remove(50) || q.Remove(50) || q.Index(50) != -1 || q.Len() != 8 {
		t.Errorf("remove 50: %v", numbers(q.Items()))
	}
	if c := q.Counts(tm(10, 30), p.DueSoon); c.CallRequired != 0 || c.Breached != 1 {
		t.Errorf("counts after: %+v", c)
	}
	q.SetOrder(ByDue)
	if got := numbers(q.Items()); !sameNumbers(got, []int64{40, 11, 30, 31, 5, 2, 70, 1}) {
		t.Errorf("by due: %v", got)
	}
}

// Random upserts and removes keep the queue equal to a full sort, and the
// counts equal to asking every item's urgent clock.
func TestQueueIncremental(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	for _, o := range []Order{BySeverity, ByDue} {
		q := NewQueue(o)
		live := map[int64]QueueItem{}
		for step := 0; step < 3000; step++ {
			n := int64(1 + rng.Intn(150))
			if rng.Intn(4) == 0 {
				_, had := live[n]
				if q.Remove(n) != had {
					t.Fatalf("Remove(%d) disagrees", n)
				}
				delete(live, n)
			} else {
				it := QueueItem{Case: &Case{Number: n, Severity: 1 + rng.Intn(4)}}
				switch rng.Intn(5) {
				case 0:
					it.CallRequired, it.HasClock = true, true
					it.Urgent = Clock{CallRequired: true}
				case 1:
				default:
					it.HasClock = true
					it.Urgent = Clock{Calendar: p.Always, Due: base.Add(time.Duration(rng.Intn(20)) * 15 * time.Minute)}
				}
				it.Escalated = rng.Intn(6) == 0
				if rng.Intn(3) > 0 {
					// Most with packed keys, some without: the two kinds
					// of comparison must agree.
					it.setKeys()
				}
				q.Upsert(it)
				live[n] = it
			}
			if step%50 != 0 {
				continue
			}
			all := make([]*QueueItem, 0, len(live))
			for _, it := range live {
				it := it
				all = append(all, &it)
			}
			sort.Slice(all, func(i, j int) bool { return Less(all[i], all[j], o) })
			if got, want := numbers(q.Items()), numbers(all); !sameNumbers(got, want) {
				t.Fatalf("%s step %d:\n got %v\nwant %v", o, step, got, want)
			}
			for i, it := range all {
				if q.Index(it.Case.Number) != i {
					t.Fatalf("Index(%d) = %d, want %d", it.Case.Number, q.Index(it.Case.Number), i)
				}
			}
			now := base.Add(time.Duration(rng.Intn(20*15*60)) * time.Second)
			var want QueueCounts
			for _, it := range all {
				want.Open++
				if it.CallRequired {
					want.CallRequired++
				}
				if it.Escalated {
					want.Escalated++
				}
				if it.HasClock && !it.CallRequired {
					st := it.Urgent.At(now, p)
					if st.State == StateBreached {
						want.Breached++
					} else if st.DueSoon {
						want.DueSoon++
					}
				}
			}
			if got := q.Counts(now, p.DueSoon); got != want {
				t.Fatalf("%s counts at %s: %+v, want %+v", o, now, got, want)
			}
		}
	}
}

// TestSortMatchesCompare: sorting by packed keys (one word when their
// varying bits fit, two words when not, Compare when a value does not fit
// at all) gives Compare's order in every order, on queues of close dues,
// dues with nanoseconds, dues decades apart and case numbers too large to
// pack.
func TestSortMatchesCompare(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	always := DefaultPolicy().Always
	kinds := []struct {
		name   string
		spread time.Duration
		nanos  bool
		bigNum bool
	}{
		{"close dues", 48 * time.Hour, false, false},
		{"nanoseconds", 48 * time.Hour, true, false},
		{"decades apart", 60 * 365 * 24 * time.Hour, true, false},
		{"large numbers", 48 * time.Hour, false, true},
	}
	for _, k := range kinds {
		for _, n := range []int{5, 300, 3000} {
			items := make([]QueueItem, n)
			for i := range items {
				num := int64(1 + rng.Intn(4*n))
				if k.bigNum && i%7 == 0 {
					num = 1<<60 + int64(i)
				}
				num = num*int64(n+1) + int64(i) // distinct
				it := QueueItem{Case: &Case{Number: num, Severity: 1 + rng.Intn(4)}}
				switch rng.Intn(5) {
				case 0:
					it.CallRequired, it.HasClock = true, true
					it.Urgent = Clock{CallRequired: true}
				case 1:
				default:
					it.HasClock = true
					d := time.Duration(rng.Int63n(int64(k.spread)))
					if !k.nanos {
						d = d.Truncate(time.Minute)
					}
					it.Urgent = Clock{Calendar: always, Due: base.Add(d)}
				}
				if rng.Intn(3) == 0 {
					it.AutoDue = base.Add(time.Duration(rng.Intn(100)) * time.Hour)
				}
				it.setKeys()
				items[i] = it
			}
			for _, o := range []Order{BySeverity, ByDue, ByAutoClose} {
				want := make([]*QueueItem, n)
				for i := range items {
					want[i] = &items[i]
				}
				slices.SortFunc(want, func(a, b *QueueItem) int { return Compare(a, b, o) })
				got := BuildQueue(append([]QueueItem(nil), items...), o)
				if g, w := numbers(got.Items()), numbers(want); !sameNumbers(g, w) {
					t.Fatalf("%s, %d items, %s: got %v\nwant %v", k.name, n, o, g, w)
				}
			}
		}
	}
}
