package model

import (
	"fmt"
	"time"
)

// Span writes a wall-clock length the way the board shows it: the two
// largest units, rounded down ("3d14h", "1h20m", "4m10s", "12s").
func Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d / time.Second)
	days, s := s/86400, s%86400
	h, s := s/3600, s%3600
	m, s := s/60, s%60
	switch {
	case days > 0:
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, h)
	case h > 0:
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	default:
		return fmt.Sprintf("%ds", s)
	}
}

// When writes an instant for people in a calendar's zone:
// "Mon 28 Dec 11:00 ET".
func When(t time.Time, loc *time.Location, label string) string {
	return t.In(loc).Format("Mon 2 Jan 15:04") + " " + label
}

// WhenFrom is When seen from now: the year is added when t falls in
// another year than now (both in loc), "Wed 31 Dec 2099 19:00 ET".
func WhenFrom(t, now time.Time, loc *time.Location, label string) string {
	if t.In(loc).Year() == now.In(loc).Year() {
		return When(t, loc, label)
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04") + " " + label
}

// WhenCal writes an instant in a calendar's zone with its label; the 24x7
// calendar has none of its own, so home is used.
func WhenCal(t time.Time, c *Calendar, home *time.Location, homeLabel string) string {
	if c == nil || c.AlwaysOpen() {
		return When(t, home, homeLabel)
	}
	return When(t, c.Location(), c.Label)
}
