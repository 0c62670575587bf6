package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// whenForms names what ParseWhen takes, for its errors.
const whenForms = "09:45, -15m, -2h, yesterday 17:30 or an RFC 3339 time (2026-11-20T10:00:00-05:00)"

// ParseWhen reads when something happened (a call, a response) the way a
// person at a desk types it: a clock time today ("09:45", "9:45:30"),
// "yesterday 17:30" (or "today 17:30"), a time ago ("-15m", "-2h",
// "-1h30m"), or an RFC 3339 instant. Clock times are read in loc (the
// case's region zone), on loc's calendar date of now, so a daylight-saving
// day gives the offset of that hour; a clock time the day skips (02:30 when
// the clocks go forward) is refused, not moved. A time after now is
// refused. Every refusal is one line naming the forms it takes.
func ParseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if loc == nil {
		loc = time.UTC
	}
	t, err := parseWhen(s, now, loc)
	if err != nil {
		return time.Time{}, err
	}
	if !InRange(t) {
		return time.Time{}, outOfRange(s)
	}
	if t.After(now) {
		return time.Time{}, fmt.Errorf("%s is in the future (now is %s)", t.In(loc).Format("Mon 2 Jan 15:04"), now.In(loc).Format("15:04"))
	}
	return t, nil
}

func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	bad := fmt.Errorf("%q is not a time: use %s", s, whenForms)
	switch {
	case s == "":
		return time.Time{}, fmt.Errorf("no time given: use %s", whenForms)
	case strings.HasPrefix(s, "-"):
		d, err := time.ParseDuration(s[1:])
		if err != nil || d <= 0 || strings.HasPrefix(s[1:], "-") || strings.HasPrefix(s[1:], "+") {
			return time.Time{}, bad
		}
		return now.Add(-d).Truncate(time.Second), nil
	case len(s) >= 19 && s[4] == '-':
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	}
	day := now.In(loc)
	clock := s
	if rest, ok := cutWord(s, "yesterday"); ok {
		day, clock = day.AddDate(0, 0, -1), rest
	} else if rest, ok := cutWord(s, "today"); ok {
		clock = rest
	}
	h, m, sec, ok := parseClockTime(clock)
	if !ok {
		return time.Time{}, bad
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), h, m, sec, 0, loc)
	if t.Hour() != h || t.Minute() != m {
		return time.Time{}, fmt.Errorf("%02d:%02d does not exist on %s (the clocks changed): use %s",
			h, m, day.Format("Mon 2 Jan"), whenForms)
	}
	return t, nil
}

// cutWord cuts a leading word ("yesterday") and the space after it.
func cutWord(s, word string) (string, bool) {
	if len(s) <= len(word) || !strings.EqualFold(s[:len(word)], word) || s[len(word)] != ' ' {
		return s, false
	}
	return strings.TrimSpace(s[len(word):]), true
}

// parseClockTime reads "9:45", "09:45" or "09:45:30".
func parseClockTime(s string) (h, m, sec int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	nums := make([]int, 3)
	limits := []int{23, 59, 59}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || (i > 0 && len(p) != 2) {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > limits[i] {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], true
}
