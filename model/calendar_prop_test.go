package model

import (
	"flag"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

var (
	propN    = flag.Int("prop.n", 2000, "random cases of the calendar property test")
	propSeed = flag.Int64("prop.seed", 1, "seed of the calendar property test (0: from the clock)")
)

// namedCal is a calendar under test with a description for failures.
type namedCal struct {
	name string
	cal  *Calendar
	ref  *refCal
}

func defaultCals(p *Policy) []namedCal {
	var out []namedCal
	for _, id := range p.RegionIDs() {
		out = append(out, namedCal{"region " + string(id), p.Regions[id], newRefCal(p.Regions[id])})
	}
	out = append(out, namedCal{"escalation hours", p.EscalationHours, newRefCal(p.EscalationHours)})
	out = append(out, namedCal{"24x7", p.Always, newRefCal(p.Always)})
	return out
}

var dstZones = map[string]bool{"Europe/Paris": true, "America/New_York": true}

// randClock is a whole-minute time of day; in zones with summer time it
// keeps out of 01:00-04:00, where wall times are skipped or repeated and a
// wall-clock reference cannot say which instant a shift means.
func randClock(rng *rand.Rand, zone string) int {
	for {
		m := rng.Intn(24 * 60)
		if dstZones[zone] && m >= 60 && m < 240 {
			continue
		}
		return m
	}
}

var weekdayKeys = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// randCustom builds a policy with a random region "x": one to three
// shifts (some crossing midnight, up to 24 h) on random days, in a zone
// with or without summer time, plus one random holiday rule.
func randCustom(t testing.TB, rng *rand.Rand) namedCal {
	zones := []string{"Europe/Paris", "America/New_York", "Etc/GMT", "Asia/Kolkata"}
	for {
		zone := zones[rng.Intn(len(zones))]
		var shifts []string
		for n := 1 + rng.Intn(3); n > 0; n-- {
			var days []string
			for _, d := range weekdayKeys {
				if rng.Intn(3) > 0 {
					days = append(days, `"`+d+`"`)
				}
			}
			if len(days) == 0 {
				days = append(days, `"wed"`)
			}
			open := randClock(rng, zone)
			var closeAt int
			switch rng.Intn(4) {
			case 0: // a full 24 h
				closeAt = open
			default:
				closeAt = randClock(rng, zone)
			}
			shifts = append(shifts, fmt.Sprintf(`{ days = [%s], open = "%02d:%02d", close = "%02d:%02d" }`,
				strings.Join(days, ", "), open/60, open%60, closeAt/60, closeAt%60))
		}
		var hol string
		switch rng.Intn(3) {
		case 0:
			hol = fmt.Sprintf("date = \"%02d-%02d\"", 1+rng.Intn(12), 1+rng.Intn(28))
		default:
			nth := []int{1, 2, 3, 4, 5, -1}[rng.Intn(6)]
			hol = fmt.Sprintf("month = %d\nweekday = %q\nnth = %d", 1+rng.Intn(12), weekdayKeys[rng.Intn(7)], nth)
		}
		src := string(DefaultPolicyTOML()) + fmt.Sprintf(`
[[holidays]]
name = "random"
%s

[regions.x]
zone = %q
business_day = "10h"
holidays = %v
shifts = [%s]
`, hol, zone, rng.Intn(4) > 0, strings.Join(shifts, ", "))
		p, err := ParsePolicy([]byte(src), "")
		if err != nil {
			if strings.Contains(err.Error(), "overlapping") {
				continue
			}
			t.Fatalf("random policy: %v\n%s", err, src)
		}
		cal := p.Regions["x"]
		return namedCal{fmt.Sprintf("custom %s [%s] holiday {%s}", zone, strings.Join(shifts, ", "),
			strings.ReplaceAll(hol, "\n", " ")), cal, newRefCal(cal)}
	}
}

func randTarget(rng *rand.Rand) time.Duration {
	var d time.Duration
	switch r := rng.Intn(20); {
	case r < 13: // up to a business day
		d = time.Duration(1+rng.Intn(15*60)) * time.Minute
	case r < 19: // up to five
		d = time.Duration(1+rng.Intn(75*60)) * time.Minute
	default: // any second, up to a day
		d = time.Duration(1+rng.Intn(86400)) * time.Second
	}
	return d
}

// TestCalendarMatchesReference compares the engine with the minute-stepping
// reference on random starts (any second of 2026-2028) and targets.
func TestCalendarMatchesReference(t *testing.T) {
	seed := *propSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	rng := rand.New(rand.NewSource(seed))
	cals := defaultCals(DefaultPolicy())
	for i := 0; i < 12; i++ {
		cals = append(cals, randCustom(t, rng))
	}
	lo := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	fails := 0
	for i := 0; i < *propN && fails < 10; i++ {
		nc := cals[rng.Intn(len(cals))]
		if i%2 == 0 { // half on the default calendars
			nc = cals[rng.Intn(4)]
		}
		start := time.Unix(lo+rng.Int63n(hi-lo), 0)
		if rng.Intn(3) == 0 { // on a whole minute, where boundaries sit
			start = start.Truncate(time.Minute)
		}
		d := randTarget(rng)
		fail := func(format string, args ...any) {
			t.Helper()
			fails++
			t.Errorf("seed %d case %d, %s, start %s, target %s: %s", seed, i, nc.name,
				start.In(nc.cal.loc).Format(time.RFC3339), d, fmt.Sprintf(format, args...))
		}
		due := nc.cal.Add(start, d)
		if want := nc.ref.add(start, d); !due.Equal(want) {
			fail("Add = %s, reference %s", due.In(nc.cal.loc).Format(time.RFC3339), want.In(nc.cal.loc).Format(time.RFC3339))
			continue
		}
		if due.Before(start) {
			fail("due %s before start", due)
		}
		if got := nc.cal.Covered(start, due); got != d {
			fail("Covered(start, due) = %s", got)
		}
		if got, want := nc.cal.IsOpen(start), nc.ref.open(start); got != want {
			fail("IsOpen = %v, reference %v", got, want)
		}
		if got, want := nc.cal.NextOpen(start), nc.ref.nextOpen(start); !got.Equal(want) {
			fail("NextOpen = %s, reference %s", got.In(nc.cal.loc).Format(time.RFC3339), want.In(nc.cal.loc).Format(time.RFC3339))
		}
		end := start.Add(time.Duration(rng.Int63n(int64(50 * time.Hour))))
		if got, want := nc.cal.Covered(start, end), nc.ref.covered(start, end); got != want {
			fail("Covered(start, %s) = %s, reference %s", end.In(nc.cal.loc).Format(time.RFC3339), got, want)
		}
	}
}
