package model

import (
	"testing"
	"time"
)

// TestSpanMinutes: the wall's times count minutes, never seconds, and a
// few seconds either side of due read as a minute, not as nothing.
func TestSpanMinutes(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"},
		{20 * time.Second, "1m"},
		{-20 * time.Second, "-1m"},
		{7 * time.Minute, "7m"},
		{6*time.Minute + 30*time.Second, "7m"},
		{time.Hour, "1h"},
		{-(3*time.Hour + 42*time.Minute), "-3h42m"},
		{3*time.Hour + 5*time.Minute, "3h05m"},
		{2*24*time.Hour + 4*time.Hour + 59*time.Minute, "2d4h"},
		{3 * 24 * time.Hour, "3d"},
		{-(2*24*time.Hour + 15*time.Hour), "-2d15h"},
	} {
		if got := SpanMinutes(tc.d); got != tc.want {
			t.Errorf("SpanMinutes(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
