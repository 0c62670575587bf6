package model

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Reports are computed here from the desk's facts, with now passed in:
// the store only supplies the desk and cli only prints. Dates of a report
// (its range, its weeks) are civil dates in the policy's home zone
// (America/New_York by default), the zone the time bank counts in.

// Week is an ISO 8601 week (Monday to Sunday).
type Week struct {
	Year int
	Week int
}

// ParseWeek reads YYYY-Www ("2026-W49").
func ParseWeek(s string) (Week, error) {
	var w Week
	bad := fmt.Errorf("%q is not an ISO week YYYY-Www (like 2026-W49)", s)
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return w, bad
	}
	if _, err := fmt.Sscanf(s, "%4d-W%2d", &w.Year, &w.Week); err != nil || w.Year < 1 || w.Week < 1 {
		return Week{}, bad
	}
	for _, c := range s[:4] + s[6:] {
		if c < '0' || c > '9' {
			return Week{}, bad
		}
	}
	if !yearInRange(w.Year) {
		return Week{}, outOfRange(s)
	}
	if WeekOf(w.Monday()) != w {
		return Week{}, fmt.Errorf("%q: %d has no week %d", s, w.Year, w.Week)
	}
	return w, nil
}

// WeekOf is the ISO week a date falls in.
func WeekOf(d Date) Week {
	y, n := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
	return Week{y, n}
}

// String formats YYYY-Www.
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// Monday is the week's first day. Week 1 is the week with 4 January in it.
func (w Week) Monday() Date {
	jan4 := time.Date(w.Year, time.January, 4, 12, 0, 0, 0, time.UTC)
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return dateFromTime(jan4.AddDate(0, 0, 7*(w.Week-1)-back))
}

// Sunday is the week's last day.
func (w Week) Sunday() Date { return w.Monday().addDays(6) }

func dateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// addDays is the date n days later (earlier for negative n).
func (d Date) addDays(n int) Date {
	return dateFromTime(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// within reports whether d is in [from, to], both included.
func (d Date) within(from, to Date) bool { return !d.Before(from) && !to.Before(d) }

// longDate writes "Mon 30 Nov 2026".
func (d Date) longDate() string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format("Mon 2 Jan 2006")
}

// Percentiles are a sample's median and 90th percentile in whole minutes,
// by nearest rank: the value at rank ceil(P/100 x N) of the sorted sample.
// N is 0 for an empty sample (and then Median and P90 mean nothing).
type Percentiles struct {
	N      int
	Median int
	P90    int
}

// percentilesOf sorts xs in place and takes its percentiles.
func percentilesOf(xs []int) Percentiles {
	if len(xs) == 0 {
		return Percentiles{}
	}
	sort.Ints(xs)
	return Percentiles{N: len(xs), Median: nearestRank(xs, 50), P90: nearestRank(xs, 90)}
}

// nearestRank is the pct-th percentile of a sorted, non-empty sample.
func nearestRank(sorted []int, pct int) int {
	rank := (pct*len(sorted) + 99) / 100 // ceil(pct/100 x n)
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// floorMinutes is a non-negative duration in whole minutes, rounded down.
func floorMinutes(d time.Duration) int {
	if d < 0 {
		return 0
	}
	return int(d / time.Minute)
}

// ceilMinutes is a positive duration in whole minutes, rounded up: a
// breach by a few seconds is a minute late, never "0 minutes".
func ceilMinutes(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Minute - 1) / time.Minute)
}

// percent1 is 100 x n / d rounded to one decimal.
func percent1(n, d int) float64 {
	return math.Round(1000*float64(n)/float64(d)) / 10
}

// homeLabel is the short name of the home zone for people: the label of
// the escalation calendar when it keeps that zone ("ET"), else its name.
func homeLabel(p *Policy) string {
	if c := p.EscalationHours; c != nil && c.Label != "" && c.Location().String() == p.HomeZone().String() {
		return c.Label
	}
	return p.HomeZone().String()
}
