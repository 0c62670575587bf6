package model

import (
	"errors"
	"testing"
)

// TestParseMinutes: the one reading of minutes every door shares (the
// time log flag, the board's form): plain integers or whole-minute
// durations, and why anything else is refused.
func TestParseMinutes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  error
	}{
		{"90", 90, nil}, {" 90 ", 90, nil}, {"1h30m", 90, nil}, {"45m", 45, nil},
		{"0", 0, ErrMinutesNotPositive}, {"-5", 0, ErrMinutesNotPositive},
		{"+90", 0, ErrNotMinutes}, {"007", 0, ErrNotMinutes}, {"ninety", 0, ErrNotMinutes}, {"-1h", 0, ErrNotMinutes},
		{"", 0, ErrNotMinutes}, {"99999999999999999999", 0, ErrNotMinutes},
		{"90s", 0, ErrNotWholeMinutes}, {"1h30m5s", 0, ErrNotWholeMinutes},
	} {
		got, err := ParseMinutes(c.in)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("ParseMinutes(%q) = %d, %v; want %d, %v", c.in, got, err, c.want, c.err)
		}
	}
}

// TestOneLineAndOrDash: the shared helpers the command line, the board
// and the policy parser print through.
func TestOneLineAndOrDash(t *testing.T) {
	if got := OneLine("  toml:\n\tbad   key \r\n"); got != "toml: bad key" {
		t.Errorf("OneLine = %q", got)
	}
	if OrDash("", "-") != "-" || OrDash("", "—") != "—" || OrDash("sam", "-") != "sam" {
		t.Error("OrDash")
	}
}

func TestCaseNumberPadded(t *testing.T) {
	for n, want := range map[int64]string{0: "00000000", 7: "00000007", 1042: "00001042", 99999999: "99999999",
		100000000: "100000000", -5: "-0000005"} {
		if got := CaseNumber(n); got != want {
			t.Errorf("CaseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}
