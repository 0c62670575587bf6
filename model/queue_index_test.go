package model

import (
	"math/rand"
	"slices"
	"testing"
	"time"
)

// indexDesk is a desk of n cases over two accounts, a few closed, some
// escalated, some owned.
func indexDesk(n int) *Desk {
	d := NewDesk()
	cases, escs := benchCases(n)
	ch := &Change{Accounts: []Account{{ID: "acme", Name: "Acme Corp", TAM: "tina"}, {ID: "globex", Name: "Globex", TAM: "tom"}}}
	for i := range cases {
		c := cases[i]
		c.Account = []string{"acme", "globex"}[i%2]
		c.Title = "case title"
		if i%5 == 0 {
			c.Owner = []string{"sam", "lee"}[i%2]
		}
		if i%11 == 0 {
			c.Status = StatusClosed
		}
		if i%7 == 0 && c.Status == StatusWaitingCustomer {
			c.Followup1At, c.Followup2At = c.WaitingSince.Add(time.Hour), c.WaitingSince.Add(2*time.Hour)
		}
		ch.Cases = append(ch.Cases, c)
		if escs[i] != nil {
			ch.Escalations = append(ch.Escalations, *escs[i])
		}
	}
	d.Apply(ch, time.Time{})
	return d
}

// want is a view computed from scratch: the open cases matching pred,
// sorted in order o.
func wantView(d *Desk, p *Policy, pred func(*QueueItem) bool, o Order) []int64 {
	var items []*QueueItem
	for _, c := range d.Cases {
		if !c.IsOpen() {
			continue
		}
		it := DeskQueueItem(d, c, p)
		if pred == nil || pred(&it) {
			items = append(items, &it)
		}
	}
	slices.SortFunc(items, func(a, b *QueueItem) int { return Compare(a, b, o) })
	return numbers(items)
}

// TestQueueIndexViewsFollowChanges: after random changes to cases,
// escalations and accounts, every view of a QueueIndex holds exactly the
// open cases its predicate picks, in its order; the counts, owners and
// auto-close list agree with a rebuild from scratch; each case is one
// item shared by every view.
func TestQueueIndexViewsFollowChanges(t *testing.T) {
	p := DefaultPolicy()
	d := indexDesk(400)
	ix := NewQueueIndex(p)
	acme := func(it *QueueItem) bool { return it.Case.Account == "acme" }
	esc := func(it *QueueItem) bool { return it.Escalated }
	tina := func(it *QueueItem) bool { return it.TAM == "tina" }
	before := ix.View(acme, ByDue) // registered before the load: filled by Load
	ix.Load(d)
	after := ix.View(esc, BySeverity)
	tam := ix.View(tina, ByDue)
	dropped := ix.View(nil, BySeverity)
	ix.Drop(dropped)
	views := []struct {
		name string
		v    *Queue
		pred func(*QueueItem) bool
		o    Order
	}{{"acme by due", before, acme, ByDue}, {"escalated", after, esc, BySeverity}, {"tina's", tam, tina, ByDue}}
	rng := rand.New(rand.NewSource(7))
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	check := func(round int) {
		t.Helper()
		for _, x := range views {
			if got, want := numbers(x.v.Items()), wantView(d, p, x.pred, x.o); !sameNumbers(got, want) {
				t.Fatalf("round %d: view %s holds %d cases, want %d (or out of order)", round, x.name, len(got), len(want))
			}
			for i, it := range x.v.Items() {
				if x.v.Index(it.Case.Number) != i {
					t.Fatalf("round %d: view %s: Index(%d) = %d, want %d", round, x.name, it.Case.Number, x.v.Index(it.Case.Number), i)
				}
				if shared, _ := ix.Get(it.Case.Number); shared != it {
					t.Fatalf("round %d: view %s holds its own copy of %d", round, x.name, it.Case.Number)
				}
			}
		}
		fresh := NewQueueIndex(p)
		fresh.Load(d)
		if got, want := ix.Counts(now), fresh.Counts(now); got != want {
			t.Fatalf("round %d: counts %+v, rebuilt %+v", round, got, want)
		}
		if ix.Len() != fresh.Len() || len(ix.Owners()) != len(fresh.Owners()) {
			t.Fatalf("round %d: %d cases, %d owners; rebuilt %d, %d", round, ix.Len(), len(ix.Owners()), fresh.Len(), len(fresh.Owners()))
		}
		for o, n := range fresh.Owners() {
			if ix.Owners()[o] != n {
				t.Fatalf("round %d: %s owns %d, rebuilt %d", round, o, ix.Owners()[o], n)
			}
		}
		if got, want := ix.AutoCloseDue(now.Add(30*24*time.Hour)), fresh.AutoCloseDue(now.Add(30*24*time.Hour)); !slices.Equal(got, want) {
			t.Fatalf("round %d: auto-close due %v, rebuilt %v", round, got, want)
		}
	}
	check(0)
	for round := 1; round <= 200; round++ {
		ch := &Change{}
		n := int64(1 + rng.Intn(400))
		c := *d.Cases[n]
		switch rng.Intn(5) {
		case 0:
			c.Severity = 1 + rng.Intn(4)
		case 1:
			c.Status = []Status{StatusClosed, StatusInProgress, StatusNew}[rng.Intn(3)]
		case 2:
			c.Owner = []string{"", "sam", "lee", "eve"}[rng.Intn(4)]
		case 3:
			ch.Escalations = append(ch.Escalations, Escalation{Case: n, Status: EscRequested, RequestedAt: c.OpenedAt.Add(time.Hour)})
		case 4:
			a := *d.Accounts[[]string{"acme", "globex"}[rng.Intn(2)]]
			a.TAM = []string{"tina", "tom"}[rng.Intn(2)]
			ch.Accounts = append(ch.Accounts, a)
		}
		ch.Cases = append(ch.Cases, c)
		d.Apply(ch, time.Time{})
		ix.Apply(d, ch)
		check(round)
	}
}
