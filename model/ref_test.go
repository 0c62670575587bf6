package model

import "time"

// refCal is a deliberately simple calendar, the yardstick of the property
// tests and of BenchmarkDue30Days. It reads the calendar's raw policy data
// (the weekly shifts, the holiday rules and the zone) and steps minute by
// minute through real time, asking of every minute "is a shift open now?"
// in the zone's wall clock. It calls none of the engine's calendar code
// (no walker, no Holiday.On, no IsHoliday, no IsOpen/Add/Covered/NextOpen).
//
// Policy times are whole minutes and the zones used here have whole-minute
// offsets, so the calendar is open or closed for a whole minute at a time:
// the state of [m, m+1min) is the state of the minute's first second.
type refCal struct {
	always   bool
	loc      *time.Location
	shifts   [7][]shift
	holidays []Holiday
}

func newRefCal(c *Calendar) *refCal {
	r := &refCal{always: c.always, loc: c.loc, holidays: append([]Holiday(nil), c.holidays...)}
	for wd := range c.shifts {
		r.shifts[wd] = append([]shift(nil), c.shifts[wd]...)
	}
	return r
}

// holiday answers from the rule's fields by counting, a different route
// from Holiday.On's arithmetic.
func (r *refCal) holiday(y int, m time.Month, d int) bool {
	for _, h := range r.holidays {
		if h.Month != m {
			continue
		}
		if h.Day != 0 {
			if h.Day == d {
				return true
			}
			continue
		}
		day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
		if day.Weekday() != h.Weekday {
			continue
		}
		n := 0 // which occurrence of this weekday in the month
		for x := d; x >= 1; x -= 7 {
			n++
		}
		if h.Nth > 0 && n == h.Nth {
			return true
		}
		if h.Nth == -1 && day.AddDate(0, 0, 7).Month() != m {
			return true
		}
	}
	return false
}

// open reports whether the minute that holds t is covered.
func (r *refCal) open(t time.Time) bool {
	if r.always {
		return true
	}
	lt := t.In(r.loc)
	y, m, d := lt.Date()
	hh, mm, ss := lt.Clock()
	tod := hh*3600 + mm*60 + ss
	today := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	if !r.holiday(y, m, d) {
		for _, s := range r.shifts[today.Weekday()] {
			if s.open <= tod && tod < s.close {
				return true
			}
		}
	}
	yday := today.AddDate(0, 0, -1)
	if !r.holiday(yday.Year(), yday.Month(), yday.Day()) {
		for _, s := range r.shifts[yday.Weekday()] {
			if tod+86400 >= s.open && tod+86400 < s.close {
				return true
			}
		}
	}
	return false
}

// refLimit stops a reference walk on a calendar that never opens.
const refLimit = 3 * 366 * 24 * 60

// add steps from start until d of covered time has passed.
func (r *refCal) add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	rem := d
	m := start.Truncate(time.Minute)
	if !m.Equal(start) { // the partial first minute
		next := m.Add(time.Minute)
		if r.open(m) {
			part := next.Sub(start)
			if rem <= part {
				return start.Add(rem)
			}
			rem -= part
		}
		m = next
	}
	for i := 0; i < refLimit; i++ {
		if r.open(m) {
			if rem <= time.Minute {
				return m.Add(rem)
			}
			rem -= time.Minute
		}
		m = m.Add(time.Minute)
	}
	return farFuture
}

// covered sums the covered time in [a, b).
func (r *refCal) covered(a, b time.Time) time.Duration {
	var sum time.Duration
	for t := a; t.Before(b); {
		m := t.Truncate(time.Minute)
		next := m.Add(time.Minute)
		if next.After(b) {
			next = b
		}
		if r.open(m) {
			sum += next.Sub(t)
		}
		t = next
	}
	return sum
}

// nextOpen is t when open, else the first open minute after t.
func (r *refCal) nextOpen(t time.Time) time.Time {
	m := t.Truncate(time.Minute)
	if r.open(m) {
		return t
	}
	for i := 0; i < refLimit; i++ {
		m = m.Add(time.Minute)
		if r.open(m) {
			return m
		}
	}
	return farFuture
}
