package model

import "time"

// Holiday is a date on which no shift starts: a fixed month and day, or the
// nth weekday of a month (Nth -1 is the last).
type Holiday struct {
	Name    string
	Month   time.Month
	Day     int // fixed date when non-zero
	Weekday time.Weekday
	Nth     int
}

// On reports whether the civil date y-m-d is this holiday.
func (h Holiday) On(y int, m time.Month, d int) bool {
	if m != h.Month {
		return false
	}
	if h.Day != 0 {
		return d == h.Day
	}
	if weekdayOf(y, m, d) != h.Weekday {
		return false
	}
	if h.Nth > 0 {
		return (d-1)/7+1 == h.Nth
	}
	return d+7 > daysIn(m, y) // the last such weekday of the month
}

// shift is one opening on a weekday, in seconds after that day's local
// midnight; close may pass midnight (up to open+24h).
type shift struct{ open, close int }

// Calendar is a set of weekly shifts in one zone, less holidays, or the 24x7
// calendar. Covered time is the real time (in seconds) inside shifts.
// Every function costs O(days spanned): it walks shift by shift, never
// minute by minute.
type Calendar struct {
	// Name is the calendar's human name ("North America").
	Name string
	// Label is the zone's short name for display ("ET").
	Label string
	// BusinessDay is the covered time that makes one business day.
	BusinessDay time.Duration

	loc      *time.Location
	always   bool
	shifts   [7][]shift
	holidays []Holiday
	// cache holds the openings as a table (calendar_table.go); nil: walk.
	cache *calCache
}

// Location is the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// AlwaysOpen reports whether this is the 24x7 calendar.
func (c *Calendar) AlwaysOpen() bool { return c.always }

// IsHoliday reports whether the civil date is one of the calendar's holidays.
func (c *Calendar) IsHoliday(y int, m time.Month, d int) bool {
	for _, h := range c.holidays {
		if h.On(y, m, d) {
			return true
		}
	}
	return false
}

// interval is one concrete opening [open, close).
type interval struct{ open, close time.Time }

// walker yields a calendar's openings in order, starting with every opening
// that may still be open at from (shifts of the previous day can cross
// midnight into from's day). It computes each day's local midnight once and
// places the day's shifts by adding seconds to it while the zone's offset
// stays the same, so a day costs a few additions, not a time.Date per shift.
// It holds no pointer into itself, so it lives on the caller's stack.
type walker struct {
	c  *Calendar
	y  int
	m  time.Month
	d  int
	wd time.Weekday
	// day is the current day's shifts, si the next one to yield.
	day     []shift
	si      int
	started bool
	// mid is the local midnight of the current day; until ze the zone keeps
	// mid's offset (ze zero: forever).
	mid     time.Time
	ze      time.Time
	haveMid bool
}

func (c *Calendar) walkFrom(from time.Time) walker {
	y, m, d := from.In(c.loc).Date()
	w := walker{c: c}
	w.y, w.m, w.d = normDate(y, m, d-1)
	w.wd = weekdayOf(w.y, w.m, w.d)
	return w
}

// at is the instant of sec seconds (of wall-clock time) after the local
// midnight of the walker's current day.
func (w *walker) at(sec int) time.Time {
	t := w.mid.Add(time.Duration(sec) * time.Second)
	if w.ze.IsZero() || t.Before(w.ze) {
		return t
	}
	return localAt(w.y, w.m, w.d, sec, w.c.loc)
}

// startDay sets mid for the current day: the previous midnight plus 24 h
// while the offset holds, else a fresh computation.
func (w *walker) startDay() {
	if w.haveMid {
		next := w.mid.Add(24 * time.Hour)
		if w.ze.IsZero() || next.Before(w.ze) {
			w.mid = next
			return
		}
	}
	w.mid = localAt(w.y, w.m, w.d, 0, w.c.loc)
	_, w.ze = w.mid.ZoneBounds()
	w.haveMid = true
}

// localAt is the first instant at which the wall clock of loc reads sec
// seconds after midnight of y-m-d. time.Date resolves a wall time that a
// spring-forward skips to an instant an hour before the gap; a shift
// really opens (or closes) when the clock jumps past it, at the gap's end.
func localAt(y int, m time.Month, d, sec int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, sec, 0, loc)
	_, off := t.Zone()
	if t.Unix()+int64(off) == civilDays(y, m, d)*86400+int64(sec) {
		return t // the wall clock does read that time
	}
	if _, end := t.ZoneBounds(); !end.IsZero() && end.After(t) {
		return end
	}
	return t
}

// next returns the next opening. The guard stops a calendar with no
// possible opening from spinning (validation forbids it; holidays cancel at
// most a few days a year).
func (w *walker) next() (interval, bool) {
	for guard := 0; ; guard++ {
		for w.si < len(w.day) {
			s := w.day[w.si]
			w.si++
			if o, cl := w.at(s.open), w.at(s.close); cl.After(o) {
				return interval{o, cl}, true
			}
		}
		if guard > 800 {
			return interval{}, false
		}
		if w.started {
			w.y, w.m, w.d = normDate(w.y, w.m, w.d+1)
			w.wd = (w.wd + 1) % 7
		}
		w.started = true
		w.day, w.si = nil, 0
		if shifts := w.c.shifts[w.wd]; len(shifts) > 0 && !w.c.IsHoliday(w.y, w.m, w.d) {
			w.startDay()
			w.day = shifts
		} else {
			w.haveMid = false
		}
	}
}

// IsOpen reports whether t falls inside a shift.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.always {
		return true
	}
	if open, ok := c.tableIsOpen(t); ok {
		return open
	}
	w := c.walkFrom(t)
	for {
		iv, ok := w.next()
		if !ok || iv.open.After(t) {
			return false
		}
		if t.Before(iv.close) {
			return true
		}
	}
}

// NextOpen returns t if the calendar is open at t, else the next opening
// after t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.always {
		return t
	}
	if next, ok := c.tableNextOpen(t); ok {
		return next
	}
	w := c.walkFrom(t)
	for {
		iv, ok := w.next()
		if !ok {
			return farFuture
		}
		if !t.Before(iv.close) {
			continue
		}
		if iv.open.After(t) {
			return iv.open
		}
		return t
	}
}

// Covered returns the covered time in [a, b); zero when b is not after a.
func (c *Calendar) Covered(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always {
		return b.Sub(a)
	}
	if sum, ok := c.tableCovered(a, b); ok {
		return sum
	}
	var sum time.Duration
	w := c.walkFrom(a)
	for {
		iv, ok := w.next()
		if !ok || !iv.open.Before(b) {
			return sum
		}
		lo, hi := iv.open, iv.close
		if lo.Before(a) {
			lo = a
		}
		if hi.After(b) {
			hi = b
		}
		if hi.After(lo) {
			sum += hi.Sub(lo)
		}
	}
}

// Add returns the instant at which the covered time since start reaches d.
// A due that lands exactly on a closing instant is that instant, not the
// next opening. Add(start, 0) is start.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	if c.always {
		return start.Add(d)
	}
	if due, ok := c.tableAdd(start, d); ok {
		return due
	}
	rem := d
	w := c.walkFrom(start)
	for {
		iv, ok := w.next()
		if !ok {
			return farFuture
		}
		if !iv.close.After(start) {
			continue
		}
		lo := iv.open
		if lo.Before(start) {
			lo = start
		}
		avail := iv.close.Sub(lo)
		if rem <= avail {
			return lo.Add(rem)
		}
		rem -= avail
	}
}

// AddDays returns the instant n business days of covered time after start.
func (c *Calendar) AddDays(start time.Time, n int) time.Time {
	return c.Add(start, time.Duration(n)*c.BusinessDay)
}

// farFuture stands for "never" when a calendar cannot open again.
var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func weekdayOf(y int, m time.Month, d int) time.Weekday {
	return time.Weekday(((civilDays(y, m, d)+4)%7 + 7) % 7) // 1970-01-01 was a Thursday
}

// civilDays is the number of days from 1970-01-01 to y-m-d (proleptic
// Gregorian; d may be out of the month's range), without a time.Date.
func civilDays(y int, m time.Month, d int) int64 {
	yy, mm := int64(y), int64(m)
	if mm <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func normDate(y int, m time.Month, d int) (int, time.Month, int) {
	if d >= 1 && d <= 28 {
		return y, m, d
	}
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return t.Year(), t.Month(), t.Day()
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
