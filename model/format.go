package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// SpanMinutes writes a signed length in whole minutes, the two largest
// units, for a screen read from across a room where seconds would tick:
// "7m", "-3h42m", "2d4h". The minutes are rounded away from zero, so a
// clock 20 seconds from its due reads "1m" (not "0m"), and one breached
// by 20 seconds "-1m"; only exactly 0 reads "0m".
func SpanMinutes(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	m := int64((d + time.Minute - 1) / time.Minute)
	days, m := m/1440, m%1440
	h, m := m/60, m%60
	switch {
	case days > 0 && h == 0:
		return fmt.Sprintf("%s%dd", sign, days)
	case days > 0:
		return fmt.Sprintf("%s%dd%dh", sign, days, h)
	case h > 0 && m == 0:
		return fmt.Sprintf("%s%dh", sign, h)
	case h > 0:
		return fmt.Sprintf("%s%dh%02dm", sign, h, m)
	}
	return fmt.Sprintf("%s%dm", sign, m)
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

// FormatInstant writes t as RFC 3339 with whole seconds in loc.
func FormatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Truncate(time.Second).Format(time.RFC3339)
}

// ParseInstant reads an RFC 3339 instant with an offset, within the years
// caseboard keeps (InRange): every door that takes an instant reads it
// here.
func ParseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time with offset (like 2026-11-20T10:00:00-05:00)", s)
	}
	if !InRange(t) {
		return time.Time{}, outOfRange(s)
	}
	return t, nil
}

// FormatDuration writes a duration the short way ("4h", "90m", "1h30m").
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0m"
	}
	neg := d < 0
	if neg {
		d = -d
	}
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	var out string
	switch {
	case h > 0 && m == 0 && s == 0:
		out = fmt.Sprintf("%dh", h)
	case h > 0 && s == 0:
		out = fmt.Sprintf("%dh%dm", h, m)
	case h == 0 && s == 0:
		out = fmt.Sprintf("%dm", m)
	default:
		out = fmt.Sprintf("%dh%dm%ds", h, m, s)
		if h == 0 {
			out = fmt.Sprintf("%dm%ds", m, s)
		}
	}
	if neg {
		return "-" + out
	}
	return out
}

// Why ParseMinutes refuses a text; callers word it for their door (a
// flag, a form field).
var (
	ErrMinutesNotPositive = errors.New("must be positive")
	ErrNotMinutes         = errors.New("not minutes (like 90 or 1h30m)")
	ErrNotWholeMinutes    = errors.New("not whole minutes")
)

// ParseMinutes reads whole minutes, the one way every door takes them: an
// integer written plainly (90) or a duration (1h30m), surrounding space
// ignored. The range a time entry holds is CheckEntryMinutes'.
func ParseMinutes(s string) (int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && strconv.Itoa(n) == s {
		if n <= 0 {
			return 0, ErrMinutesNotPositive
		}
		return n, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, ErrNotMinutes
	}
	if d%time.Minute != 0 {
		return 0, ErrNotWholeMinutes
	}
	return int(d / time.Minute), nil
}
