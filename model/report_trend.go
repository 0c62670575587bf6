package model

import (
	"math"
	"time"
)

// The manager's panel on the board: SLA attainment week by week, the open
// cases at the end of each day, and today's breaches. Pure, with now passed
// in, so the board computes it on a change (or when Until passes), never
// per frame.

// SLAWeek is one ISO week's initial-response attainment (weeks of due
// instants, as SLAReport counts them).
type SLAWeek struct {
	Week       Week
	Attainment Attainment
}

// DayCount is the number of cases open at the end of one day (for today,
// at now).
type DayCount struct {
	Date Date
	Open int
}

// TrendData is what the manager's panel shows.
type TrendData struct {
	Now   time.Time
	Today Date
	// Weeks holds the last weeks, oldest first; the last is this week.
	Weeks []SLAWeek
	// Days holds the last days, oldest first; the last is today.
	Days []DayCount
	// DueToday counts the initial responses due today and decided at now;
	// BreachesToday lists the breached ones by case number.
	DueToday      Attainment
	BreachesToday []int64
	// Err is why the closed cases on disk could not be read (the figures
	// are then incomplete).
	Err error
	// Until is when the data stop being true with no change to the desk:
	// the next midnight in the home zone, or just after the earliest due of
	// a running, unanswered response clock of the covered weeks (it turns
	// into a breach), whichever comes first.
	Until time.Time
}

// ThisWeek is the current week's attainment.
func (t *TrendData) ThisWeek() SLAWeek { return t.Weeks[len(t.Weeks)-1] }

// ManagerTrend computes the panel over every case of d: weeks ISO weeks of
// SLA attainment ending with this week, and days days of open-case counts
// ending with today (dates in the policy's home zone). Attainment counts
// each clock as SLAReport does, bucketed by the week of its due; the open
// counts are OpenPerDay's. A board keeps a TrendCache instead, so that a
// change does not read every closed case again.
func ManagerTrend(d *Desk, p *Policy, now time.Time, weeks, days int) *TrendData {
	return NewTrendCache(p, weeks, days).Trend(d, now)
}

// OpenPerDay counts the cases open at the end of each of the n days
// ending with today's date in loc (oldest first): opened before the day's
// end and not closed by then. Today's count is at now. Facts after now
// are not known yet. The error is a failed read of the closed cases on
// disk.
func OpenPerDay(d *Desk, loc *time.Location, now time.Time, n int) ([]DayCount, error) {
	out, ends := dayEnds(loc, now, n)
	err := d.EachCase(func(c *Case, _ []Escalation) bool {
		countOpen(c, ends, now, out)
		return true
	})
	return out, err
}

// countOpen counts c in each day of out whose end (ends) finds it open:
// opened before the end and not closed by then, as known at now.
func countOpen(c *Case, ends []time.Time, now time.Time, out []DayCount) {
	for i, end := range ends {
		if !c.OpenedAt.Before(end) {
			continue
		}
		if c.ClosedAt.IsZero() || c.ClosedAt.After(now) || c.ClosedAt.After(end) {
			out[i].Open++
		}
	}
}

// dayEnds are the n days ending with today's date in loc (oldest first)
// and the instant each is counted at: its end, or now for today.
func dayEnds(loc *time.Location, now time.Time, n int) ([]DayCount, []time.Time) {
	today := DateOf(now, loc)
	out := make([]DayCount, n)
	ends := make([]time.Time, n)
	for i := range out {
		day := today.addDays(i - (n - 1))
		out[i].Date = day
		ends[i] = midnightAfter(day, loc)
		if ends[i].After(now) {
			ends[i] = now
		}
	}
	return out, ends
}

// midnightAfter is the instant the day after d begins in loc (daylight
// saving makes some days 23 or 25 hours long).
func midnightAfter(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, loc)
}

// sparkRunes are the eight levels of a sparkline, lowest first.
var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// SparkNone stands in a sparkline for a point with no value (a week with
// nothing due): a dot, not the lowest bar, which would read as 0%.
const SparkNone = '·'

// SparkLevel is the level 0..7 of v on the scale lo..hi: eight equal
// bands, hi (and above) the top one, lo (and below) the bottom one.
func SparkLevel(v, lo, hi float64) int {
	if hi <= lo {
		return 0
	}
	l := int(math.Floor((v - lo) / (hi - lo) * 8))
	return max(0, min(7, l))
}

// Sparkline draws one rune per value on the scale lo..hi; a value whose
// ok is false draws SparkNone.
func Sparkline(vs []float64, ok []bool, lo, hi float64) string {
	out := make([]rune, len(vs))
	for i, v := range vs {
		if i < len(ok) && !ok[i] {
			out[i] = SparkNone
			continue
		}
		out[i] = sparkRunes[SparkLevel(v, lo, hi)]
	}
	return string(out)
}
