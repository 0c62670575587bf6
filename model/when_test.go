package model

import (
	"strings"
	"testing"
	"time"
)

// TestParseWhen: the forms a person types for when a call or a response
// happened, read in the case's region zone, across a daylight-saving day;
// a time in the future, a clock time the day skips and anything else are
// refused with one line naming the accepted forms.
func TestParseWhen(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	gmt, _ := time.LoadLocation("Etc/GMT")
	fallBack := time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC)     // Sun 1 Nov 10:00 EST: 01:00 came twice
	springFwd := time.Date(2026, 3, 8, 16, 0, 0, 0, time.UTC)     // Sun 8 Mar 12:00 EDT: 02:00-03:00 skipped
	monday := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)      // Mon 23 Nov 07:00 ET, 12:00 GMT
	firstOfMonth := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC) // Tue 1 Dec 09:00 ET
	ok := []struct {
		in   string
		now  time.Time
		loc  *time.Location
		want string
	}{
		{"09:45", fallBack, ny, "2026-11-01T14:45:00Z"}, // EST, the offset after the change
		{"9:45", fallBack, ny, "2026-11-01T14:45:00Z"},
		{"09:45:30", fallBack, ny, "2026-11-01T14:45:30Z"},
		{"today 09:45", fallBack, ny, "2026-11-01T14:45:00Z"},
		{"yesterday 17:30", fallBack, ny, "2026-10-31T21:30:00Z"}, // EDT, the day before
		{"Yesterday 17:30", fallBack, ny, "2026-10-31T21:30:00Z"},
		{"-15m", fallBack, ny, "2026-11-01T14:45:00Z"},
		{"-2h", fallBack, ny, "2026-11-01T13:00:00Z"},
		{"-9h", fallBack, ny, "2026-11-01T06:00:00Z"}, // 01:00 EST, across the change: real hours
		{"-1h30m", fallBack, ny, "2026-11-01T13:30:00Z"},
		{"2026-11-01T09:00:00-05:00", fallBack, ny, "2026-11-01T14:00:00Z"},
		{"  10:00 ", fallBack, ny, "2026-11-01T15:00:00Z"}, // now itself
		{"01:30", springFwd, ny, "2026-03-08T06:30:00Z"},   // EST, before the skip
		{"03:30", springFwd, ny, "2026-03-08T07:30:00Z"},   // EDT, after it
		{"yesterday 23:00", monday, gmt, "2026-11-22T23:00:00Z"},
		{"11:15", monday, gmt, "2026-11-23T11:15:00Z"},
		{"yesterday 17:30", firstOfMonth, ny, "2026-11-30T22:30:00Z"},
	}
	for _, tc := range ok {
		got, err := ParseWhen(tc.in, tc.now, tc.loc)
		if err != nil {
			t.Errorf("%q at %s: %v", tc.in, tc.now, err)
			continue
		}
		if w, _ := time.Parse(time.RFC3339, tc.want); !got.Equal(w) {
			t.Errorf("%q at %s = %s, want %s", tc.in, tc.now, got.UTC().Format(time.RFC3339), tc.want)
		}
	}
	bad := []struct {
		in   string
		now  time.Time
		loc  *time.Location
		want string
	}{
		{"10:30", fallBack, ny, "is in the future"},
		{"-0m", fallBack, ny, "is not a time"},
		{"+15m", fallBack, ny, "is not a time"},
		{"--15m", fallBack, ny, "is not a time"},
		{"2026-11-01T11:00:00-05:00", fallBack, ny, "is in the future"},
		{"02:30", springFwd, ny, "does not exist on Sun 8 Mar"},
		{"25:00", fallBack, ny, "is not a time"},
		{"9.45", fallBack, ny, "is not a time"},
		{"09:5", fallBack, ny, "is not a time"},
		{"tomorrow 09:00", fallBack, ny, "is not a time"},
		{"yesterday", fallBack, ny, "is not a time"},
		{"2026-11-01 09:00", fallBack, ny, "is not a time"},
		{"", fallBack, ny, "no time given"},
	}
	for _, tc := range bad {
		_, err := ParseWhen(tc.in, tc.now, tc.loc)
		if err == nil {
			t.Errorf("%q was taken", tc.in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("%q: %q, want one line with %q", tc.in, msg, tc.want)
		}
		if tc.want != "is in the future" && !strings.Contains(msg, "09:45, -15m, -2h, yesterday 17:30") {
			t.Errorf("%q: %q does not name the accepted forms", tc.in, msg)
		}
	}
}
