package model

import (
	"flag"
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

var trendSteps = flag.Int("trend.steps", 1500, "TestTrendCacheSameAsWhole: random changes")

// TestTrendCacheSameAsWhole: a board's TrendCache, told of every change as
// the board tells it, gives after each of 1,500 random changes exactly
// the trend counted over every case by the code before it (SLAReport over
// EachCase, OpenPerDay): new cases, responses, closes (some back-dated,
// some with facts after now), reopens of cases on disk, the clock moving
// by minutes to days, midnights and week ends crossed. It reads the
// closed cases on disk again only when it must.
func TestTrendCacheSameAsWhole(t *testing.T) {
	p := DefaultPolicy()
	rng := rand.New(rand.NewSource(int64(*trendSteps)))
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	a := &memArchive{cases: map[int64]*Case{}, escs: map[int64][]Escalation{}}
	d := NewDesk()
	ca := &countingArchive{memArchive: a}
	d.Closed = ca
	plans := []Plan{Basic, Plus, Premium}
	regions := []Region{NA, EMEA}
	ago := func(max time.Duration) time.Time {
		return now.Add(-time.Duration(rng.Int63n(int64(max)))).Truncate(time.Minute)
	}
	newCase := func(n int64) *Case {
		c := &Case{Number: n, Account: "acme", Severity: 1 + rng.Intn(4), Title: "x", Status: StatusNew,
			Plan: plans[rng.Intn(3)], Region: regions[rng.Intn(2)], OpenedAt: ago(70 * 24 * time.Hour)}
		if c.Severity == 1 && rng.Intn(3) > 0 {
			c.PhonedAt = c.OpenedAt.Add(time.Duration(rng.Intn(90)) * time.Minute)
		}
		if rng.Intn(3) > 0 {
			c.Status, c.Owner = StatusInProgress, "sam"
			c.RespondedAt = c.OpenedAt.Add(time.Duration(rng.Intn(5*24*60)) * time.Minute)
		}
		return c
	}
	closeIt := func(c *Case) {
		c.Status, c.CloseReason = StatusClosed, ReasonResolved
		c.ClosedAt = c.OpenedAt.Add(time.Duration(rng.Intn(20*24*60)) * time.Minute)
		if c.ClosedAt.Before(c.RespondedAt) {
			c.ClosedAt = c.RespondedAt
		}
	}
	next := int64(1)
	for ; next <= 400; next++ { // the desk as loaded: a fifth on disk, closed
		c := newCase(next)
		if rng.Intn(5) == 0 {
			closeIt(c)
			a.cases[c.Number] = c
		} else {
			d.PutCase(c)
		}
	}
	tc := NewTrendCache(p, 8, 14)
	counts := map[string]int{}
	var lastDay Date
	for step := 0; step < *trendSteps; step++ {
		var changed []Case
		switch op := rng.Intn(10); {
		case op < 2: // a new case
			c := newCase(next)
			next++
			c.OpenedAt = now.Add(-time.Duration(rng.Intn(600)) * time.Minute)
			changed = append(changed, *c)
			counts["new"]++
		case op < 4 && len(d.Cases) > 0: // a response, or a close (leaves memory)
			c := *anyCase(rng, d.Cases)
			if c.RespondedAt.IsZero() {
				c.Status, c.Owner, c.RespondedAt = StatusInProgress, "sam", now
				counts["respond"]++
			} else {
				closeIt(&c)
				if rng.Intn(2) == 0 {
					c.ClosedAt = now
				}
				if c.ClosedAt.After(now) {
					counts["close after now"]++
				}
				a.cases[c.Number] = &c
				counts["close"]++
			}
			changed = append(changed, c)
		case op < 5 && len(a.cases) > 0: // a reopen of a case on disk
			c := *anyCase(rng, a.cases)
			if c.IsOpen() {
				break
			}
			c.Status, c.ClosedAt, c.CloseReason = StatusInProgress, time.Time{}, ""
			a.cases[c.Number] = &c
			changed = append(changed, c)
			counts["reopen"]++
		default: // the clock moves
			steps := []time.Duration{time.Minute, 17 * time.Minute, 3 * time.Hour, 26 * time.Hour}
			now = now.Add(steps[rng.Intn(len(steps))])
			counts["clock"]++
		}
		if len(changed) > 0 {
			d.Apply(&Change{Cases: changed}, now)
			for _, c := range changed {
				tc.Touch(c.Number)
			}
		}
		whole, wholeBefore := ca.whole, counts["read whole"]
		if day := DateOf(now, p.HomeZone()); day != lastDay {
			counts["new day"]++
			lastDay = day
		}
		got := tc.Trend(d, now)
		if ca.whole > whole {
			counts["read whole"]++
		}
		want := legacyManagerTrend(d, p, now, 8, 14)
		ca.whole = whole + counts["read whole"] - wholeBefore
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (%v): the cached trend differs from the whole count:\n got %+v\nwant %+v", step, counts, got, want)
		}
	}
	t.Logf("%v", counts)
	if counts["reopen"] == 0 || counts["close after now"] == 0 || counts["close"] < 50 {
		t.Errorf("the changes did not reach every kind: %v", counts)
	}
	// Read whole: the first time, after each reopen, each new day.
	if n := counts["read whole"]; n > counts["reopen"]+counts["new day"] {
		t.Errorf("the closed cases were read whole %d times in %d changes: %v", n, *trendSteps, counts)
	}
}

// countingArchive counts the reads of every closed case.
type countingArchive struct {
	*memArchive
	whole int
}

func (a *countingArchive) EachClosed(fn func(*Case, []Escalation) bool) error {
	a.whole++
	return a.memArchive.EachClosed(fn)
}

func anyCase(rng *rand.Rand, m map[int64]*Case) *Case {
	k := rng.Intn(len(m))
	for _, c := range m {
		if k == 0 {
			return c
		}
		k--
	}
	panic(fmt.Sprint("empty"))
}

// legacyManagerTrend is ManagerTrend before TrendCache: every case, through
// SLAReport and OpenPerDay.
// ManagerTrend computes the panel over every case of d: weeks ISO weeks of
// SLA attainment ending with this week, and days days of open-case counts
// ending with today (dates in the policy's home zone). Attainment comes
// from SLAReport over the whole span, bucketed by the week of each due.
func legacyManagerTrend(d *Desk, p *Policy, now time.Time, weeks, days int) *TrendData {
	if weeks < 1 {
		weeks = 1
	}
	if days < 1 {
		days = 1
	}
	home := p.HomeZone()
	today := DateOf(now, home)
	this := WeekOf(today)
	first := this.Monday().addDays(-7 * (weeks - 1))
	t := &TrendData{Now: now, Today: today, DueToday: Attainment{Key: "today"}}
	idx := map[Week]int{}
	for i := 0; i < weeks; i++ {
		w := WeekOf(first.addDays(7 * i))
		idx[w] = i
		t.Weeks = append(t.Weeks, SLAWeek{Week: w, Attainment: Attainment{Key: w.String()}})
	}
	r := SLAReport(d, p, first, this.Sunday(), SLAFilter{}, now)
	t.Err = r.Err
	for _, resp := range r.Responses {
		dd := DateOf(resp.Due, home)
		if i, ok := idx[WeekOf(dd)]; ok {
			t.Weeks[i].Attainment = t.Weeks[i].Attainment.plus(resp.Met)
		}
		if dd == today {
			t.DueToday = t.DueToday.plus(resp.Met)
			if !resp.Met {
				t.BreachesToday = append(t.BreachesToday, resp.Case)
			}
		}
	}
	var err error
	if t.Days, err = OpenPerDay(d, home, now, days); t.Err == nil {
		t.Err = err
	}
	t.Until = midnightAfter(today, home)
	start := first.Start(home)
	for _, c := range d.Cases { // open cases only: memory holds them all
		if c.Status == StatusClosed || (!c.RespondedAt.IsZero() && !c.RespondedAt.After(now)) {
			continue
		}
		cl := ResponseClock(c, p)
		if cl.CallRequired || !cl.Running() || !cl.Due.After(now) || cl.Due.Before(start) {
			continue
		}
		// A breach is counted once now is after due: one instant later.
		if u := cl.Due.Add(time.Nanosecond); u.Before(t.Until) {
			t.Until = u
		}
	}
	return t
}

// BenchmarkTrendAfterChange: the reports panel's refresh after one change
// on a desk of 100,000 cases (80,000 open in memory, 20,000 closed on
// "disk", here a map): counted whole (ManagerTrend, what the board did on
// every change) and from a TrendCache told of the change. Reported, not
// gated: the real whole count also reads 20,000 cases from Badger
// (0.6-0.7 s at 100k), which a map does not show.
func BenchmarkTrendAfterChange(b *testing.B) {
	p := DefaultPolicy()
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	rng := rand.New(rand.NewSource(1))
	a := &memArchive{cases: map[int64]*Case{}, escs: map[int64][]Escalation{}}
	d := NewDesk()
	d.Closed = a
	for n := int64(1); n <= 100_000; n++ {
		c := &Case{Number: n, Account: "acme", Severity: 1 + rng.Intn(4), Title: "x", Status: StatusNew,
			Plan: Premium, Region: NA, OpenedAt: now.Add(-time.Duration(rng.Intn(60*24*60)) * time.Minute)}
		if rng.Intn(2) == 0 {
			c.Status, c.Owner, c.RespondedAt = StatusInProgress, "sam", c.OpenedAt.Add(time.Duration(rng.Intn(600))*time.Minute)
		}
		if n%5 == 0 {
			c.Status, c.CloseReason, c.ClosedAt = StatusClosed, ReasonResolved, c.OpenedAt.Add(48*time.Hour)
			if c.ClosedAt.After(now) {
				c.ClosedAt = now
			}
			a.cases[n] = c
			continue
		}
		d.PutCase(c)
	}
	tc := NewTrendCache(p, 8, 14)
	tc.Trend(d, now)
	var whole, cached time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		w := ManagerTrend(d, p, now, 8, 14)
		t1 := time.Now()
		tc.Touch(int64(1 + i%100_000/5*5 + 1)) // an open case (not a multiple of 5)
		c := tc.Trend(d, now)
		t2 := time.Now()
		whole += t1.Sub(t0)
		cached += t2.Sub(t1)
		if !reflect.DeepEqual(w.Weeks, c.Weeks) || !reflect.DeepEqual(w.Days, c.Days) {
			b.Fatalf("the cached trend differs from the whole one")
		}
	}
	b.ReportMetric(float64(whole.Microseconds())/1000/float64(b.N), "whole-ms")
	b.ReportMetric(float64(cached.Microseconds())/1000/float64(b.N), "cached-ms")
	b.ReportMetric(float64(whole)/float64(cached), "speedup")
	b.ReportMetric(0, "ns/op")
}
