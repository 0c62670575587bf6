package model

import (
	"math/rand"
	"sync"
	"testing"
	"time"
)

// walkerOnly is the calendar without its table: every answer by the walk.
func walkerOnly(c *Calendar) *Calendar {
	w := *c
	w.cache = nil
	return &w
}

// freshTable is the calendar with an empty table of its own.
func freshTable(c *Calendar) *Calendar {
	w := *c
	w.cache = &calCache{}
	return &w
}

// TestCalendarTableMatchesWalker: the table answers exactly as the walk
// does (same instant and zone), on the default calendars and random ones
// with summer time and holidays, for instants from 1990 to 2060 (so the
// table grows both ways), every query on a calendar whose table starts
// somewhere else.
func TestCalendarTableMatchesWalker(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cals := defaultCals(DefaultPolicy())
	for i := 0; i < 8; i++ {
		cals = append(cals, randCustom(t, rng))
	}
	lo := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, nc := range cals {
		tab, walk := freshTable(nc.cal), walkerOnly(nc.cal)
		for i := 0; i < 400; i++ {
			var at time.Time
			if i%4 == 0 { // far apart: the table widens or the walk answers
				at = time.Unix(lo+rng.Int63n(hi-lo), rng.Int63n(1e9))
			} else {
				at = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int63n(int64(3 * 366 * 24 * time.Hour))))
			}
			if i%3 == 0 {
				at = at.Truncate(time.Minute)
			}
			d := randTarget(rng)
			if i%10 == 0 {
				d *= 40 // past the table's end
			}
			if g, w := tab.Add(at, d), walk.Add(at, d); !g.Equal(w) || g.Location() != w.Location() {
				t.Fatalf("%s: Add(%s, %s) = %s, walk %s", nc.name, at, d, g, w)
			}
			if g, w := tab.IsOpen(at), walk.IsOpen(at); g != w {
				t.Fatalf("%s: IsOpen(%s) = %v, walk %v", nc.name, at, g, w)
			}
			if g, w := tab.NextOpen(at), walk.NextOpen(at); !g.Equal(w) || g.Location() != w.Location() {
				t.Fatalf("%s: NextOpen(%s) = %s, walk %s", nc.name, at, g, w)
			}
			end := at.Add(time.Duration(rng.Int63n(int64(60 * 24 * time.Hour))))
			if g, w := tab.Covered(at, end), walk.Covered(at, end); g != w {
				t.Fatalf("%s: Covered(%s, %s) = %s, walk %s", nc.name, at, end, g, w)
			}
		}
	}
}

// TestCalendarTableConcurrent: sessions share a policy's calendars; the
// table widens under one of them while the others read (go test -race).
func TestCalendarTableConcurrent(t *testing.T) {
	p := DefaultPolicy()
	na := freshTable(p.Regions[NA])
	walk := walkerOnly(p.Regions[NA])
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(g)))
			for i := 0; i < 300; i++ {
				at := time.Date(2000+rng.Intn(50), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), rng.Intn(24), rng.Intn(60), 0, 0, time.UTC)
				if got, want := na.Add(at, 8*time.Hour), walk.Add(at, 8*time.Hour); !got.Equal(want) {
					errs <- got.String() + " != " + want.String()
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
