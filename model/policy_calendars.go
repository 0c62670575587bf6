package model

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// parseCalendars reads the holidays, the regions' hours of operation and
// the escalation hours (with the escalation section's other numbers).
func parseCalendars(p *Policy, raw *rawPolicy, fail failFunc) (err error) {
	for i, h := range raw.Holidays {
		hol, herr := parseHoliday(h)
		if herr != nil {
			return fail(fmt.Sprintf("holidays[%d]", i), "%s", herr)
		}
		p.Holidays = append(p.Holidays, hol)
	}
	if len(raw.Regions) == 0 {
		return fail("regions", "missing: at least one region is needed")
	}
	for id, r := range raw.Regions {
		key := "regions." + id
		if !validSlug(id) {
			return fail(key, "region ids are lower-case letters, digits and '-'")
		}
		if r.BusinessDay == "" {
			return fail(key+".business_day", "missing")
		}
		bd, berr := policyDuration(r.BusinessDay, key+".business_day", fail)
		if berr != nil {
			return berr
		}
		cal, cerr := newCalendar(key, r.Name, r.Zone, r.Label, r.Holidays, r.Shifts, p.Holidays, fail)
		if cerr != nil {
			return cerr
		}
		cal.BusinessDay = bd
		if cal.Name == "" {
			cal.Name = id
		}
		p.Regions[Region(id)] = cal
	}
	if raw.Escalation == nil {
		return fail("escalation", "missing")
	}
	e := raw.Escalation
	if p.EscalationHours, err = newCalendar("escalation", "escalation hours", e.Zone, e.Label, e.Holidays, e.Shifts, p.Holidays, fail); err != nil {
		return err
	}
	if p.EscalationFollowup, err = policyDuration(e.Followup, "escalation.followup", fail); err != nil {
		return err
	}
	if len(e.EligibleAfterDays) != 4 {
		return fail("escalation.eligible_after_days", "needs 4 values (severities 1 to 4), has %d", len(e.EligibleAfterDays))
	}
	for i, d := range e.EligibleAfterDays {
		if d < 0 {
			return fail(fmt.Sprintf("escalation.eligible_after_days[%d]", i), "must not be negative")
		}
		p.EligibleAfterDays[i] = d
	}
	return nil
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseHoliday(h rawHoliday) (Holiday, error) {
	hol := Holiday{Name: h.Name}
	if h.Date != "" {
		if h.Month != 0 || h.Weekday != "" || h.Nth != 0 {
			return hol, errors.New("give either date, or month, weekday and nth, not both")
		}
		var m, d int
		if len(h.Date) != 5 || h.Date[2] != '-' {
			return hol, fmt.Errorf("date %q is not MM-DD", h.Date)
		}
		m, err1 := strconv.Atoi(h.Date[:2])
		d, err2 := strconv.Atoi(h.Date[3:])
		if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), 2024) {
			return hol, fmt.Errorf("date %q is not MM-DD", h.Date)
		}
		hol.Month, hol.Day = time.Month(m), d
		return hol, nil
	}
	if h.Month < 1 || h.Month > 12 {
		return hol, errors.New("needs a date (\"12-25\") or a month from 1 to 12 with weekday and nth")
	}
	wd, ok := weekdayNames[strings.ToLower(h.Weekday)]
	if !ok {
		return hol, fmt.Errorf("weekday %q is not a day of the week", h.Weekday)
	}
	if h.Nth == 0 || h.Nth < -1 || h.Nth > 5 {
		return hol, fmt.Errorf("nth %d must be 1 to 5, or -1 for the last", h.Nth)
	}
	hol.Month, hol.Weekday, hol.Nth = time.Month(h.Month), wd, h.Nth
	return hol, nil
}

// parseClock reads "HH:MM" into seconds after midnight. maxHour lets a
// close time be written past midnight ("26:00").
func parseClock(s string, maxHour int) (int, bool) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) != 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || h > maxHour || m < 0 || m > 59 {
		return 0, false
	}
	return h*3600 + m*60, true
}

func newCalendar(key, name, zone, label string, observe *bool, shifts []rawShift, holidays []Holiday, fail func(string, string, ...any) error) (*Calendar, error) {
	if zone == "" {
		return nil, fail(key+".zone", "missing")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fail(key+".zone", "unknown time zone %q", zone)
	}
	if observe == nil {
		return nil, fail(key+".holidays", "missing (true or false)")
	}
	if len(shifts) == 0 {
		return nil, fail(key+".shifts", "missing: at least one shift is needed")
	}
	cal := &Calendar{Name: name, Label: label, loc: loc, cache: &calCache{}}
	if cal.Label == "" {
		cal.Label = zone
	}
	if *observe {
		cal.holidays = holidays
	}
	type span struct{ from, to int } // seconds of the week, from Sunday 00:00
	var spans []span
	for i, s := range shifts {
		sk := fmt.Sprintf("%s.shifts[%d]", key, i)
		open, ok := parseClock(s.Open, 23)
		if !ok {
			return nil, fail(sk+".open", "%q is not a time of day HH:MM", s.Open)
		}
		closeAt, ok := parseClock(s.Close, 47)
		if !ok {
			return nil, fail(sk+".close", "%q is not a time HH:MM", s.Close)
		}
		if closeAt <= open {
			closeAt += 24 * 3600 // closes the next day
		}
		if closeAt-open > 24*3600 {
			return nil, fail(sk, "shift longer than 24 h (%s to %s)", s.Open, s.Close)
		}
		if len(s.Days) == 0 {
			return nil, fail(sk+".days", "missing")
		}
		for _, d := range s.Days {
			wd, ok := weekdayNames[strings.ToLower(d)]
			if !ok {
				return nil, fail(sk+".days", "%q is not a day of the week", d)
			}
			cal.shifts[wd] = append(cal.shifts[wd], shift{open: open, close: closeAt})
			base := int(wd) * 86400
			spans = append(spans, span{base + open, base + closeAt})
		}
	}
	// Overlap: compare every pair on the week's circle.
	const week = 7 * 86400
	for i := range spans {
		for j := i + 1; j < len(spans); j++ {
			a, b := spans[i], spans[j]
			for _, shiftB := range []int{-week, 0, week} {
				if a.from < b.to+shiftB && b.from+shiftB < a.to {
					return nil, fail(key+".shifts", "overlapping shifts")
				}
			}
		}
	}
	for wd := range cal.shifts {
		sort.Slice(cal.shifts[wd], func(i, j int) bool { return cal.shifts[wd][i].open < cal.shifts[wd][j].open })
	}
	return cal, nil
}
