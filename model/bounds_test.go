package model

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestParseKeepsYears1970To2199: every instant, date, month and week a
// door reads lies in 1970-2199 (issue 21, item 12); the edges pass, and an
// edge instant written in any zone reads back the same.
func TestParseKeepsYears1970To2199(t *testing.T) {
	for _, s := range []string{"0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1969-12-31T18:59:59-05:00",
		"2200-01-01T00:00:00Z", "2199-12-31T20:00:00-05:00", "9999-12-31T23:59:59Z", "9999-12-31T23:00:00-05:00"} {
		_, err := ParseInstant(s)
		if err == nil || err.Error() != `"`+s+`" is outside the years caseboard keeps (1970 to 2199)` {
			t.Errorf("ParseInstant(%s): %v", s, err)
		}
	}
	if _, err := ParseInstant("10000-01-03T00:00:00Z"); err == nil || !strings.Contains(err.Error(), "is not an RFC 3339 time") {
		t.Errorf("year 10000: %v", err)
	}
	for _, s := range []string{"1970-01-01T00:00:00Z", "1969-12-31T19:00:00-05:00", "2199-12-31T23:59:59Z", "2199-12-31T18:59:59-05:00"} {
		at, err := ParseInstant(s)
		if err != nil {
			t.Errorf("ParseInstant(%s): %v", s, err)
			continue
		}
		for _, loc := range []*time.Location{time.UTC, et, gmt, time.FixedZone("", 14*3600), time.FixedZone("", -12*3600)} {
			back, err := ParseInstant(FormatInstant(at, loc))
			if err != nil || !back.Equal(at) {
				t.Errorf("%s written in %v reads back %v, %v", s, loc, back, err)
			}
		}
	}
	for _, s := range []string{"0000-01-01", "0001-01-01", "1969-12-31", "2200-01-01", "9999-12-31"} {
		if _, err := ParseDate(s); err == nil || !strings.Contains(err.Error(), "outside the years caseboard keeps (1970 to 2199)") {
			t.Errorf("ParseDate(%s): %v", s, err)
		}
	}
	for _, s := range []string{"1970-01-01", "2199-12-31"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("ParseDate(%s): %v", s, err)
		}
	}
	for _, s := range []string{"0001-01", "2200-01", "9999-12"} {
		if _, err := ParseMonth(s); err == nil || !strings.Contains(err.Error(), "outside the years") {
			t.Errorf("ParseMonth(%s): %v", s, err)
		}
	}
	for _, s := range []string{"0001-W01", "9999-W01"} {
		if _, err := ParseWeek(s); err == nil || !strings.Contains(err.Error(), "outside the years") {
			t.Errorf("ParseWeek(%s): %v", s, err)
		}
	}
}

// TestLogTimeMinutesCannotOverflow: MaxInt64 minutes once the month has
// any time in it wrapped used+minutes negative and passed the bank.
func TestLogTimeMinutesCannotOverflow(t *testing.T) {
	f := newFixture(t)
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 60, Category: "cadence-call"}, t0)
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 60, Category: CatImplementation, Project: "sso"}, t0)
	f.refused("tina", LogTime{Account: "acme", Minutes: math.MaxInt64, Category: "cadence-call"}, t0,
		"cannot log time for acme: 9223372036854775807 is not 1 to 44640 minutes (31 days)")
	f.refused("tina", LogTime{Account: "acme", Minutes: math.MaxInt64 - 30, Category: CatImplementation, Project: "sso"}, t0,
		"cannot log time for acme: 9223372036854775777 is not 1 to 44640 minutes (31 days)")
	f.refused("tina", LogTime{Account: "acme", Minutes: MaxEntryMinutes + 1, Category: "cadence-call"}, t0,
		"cannot log time for acme: 44641 is not 1 to 44640 minutes (31 days)")
	// The most an entry may hold is then held to the bank as ever.
	f.refused("tina", LogTime{Account: "acme", Minutes: MaxEntryMinutes, Category: "cadence-call"}, t0,
		"bank exhausted: 48h00m left this month; Enterprise is the largest plan")
	if used := f.d.BankUsed("acme", Month{2026, time.November}); used != 120 {
		t.Fatalf("bank used %d, want 120", used)
	}
}

// TestFutureNamesTheYear: "is in the future" names the year when the
// instant is not in now's year, and only then.
func TestFutureNamesTheYear(t *testing.T) {
	f := newFixture(t)
	far := time.Date(2099, 12, 31, 19, 0, 0, 0, et)
	f.refused("maria", NewCase{Number: 1, Account: "acme", Severity: 2, Title: "x", Opened: far}, t0,
		"cannot open a case for acme: Thu 31 Dec 2099 19:00 ET is in the future")
	f.refused("maria", NewCase{Number: 1, Account: "acme", Severity: 2, Title: "x", Opened: t0.Add(time.Hour)}, t0,
		"cannot open a case for acme: Fri 20 Nov 11:00 ET is in the future")
	n := f.open("acme", 2, t0)
	f.refused("maria", CallCase{Number: n, At: far}, t0,
		"cannot log a call on "+CaseNumber(n)+": Thu 31 Dec 2099 19:00 ET is in the future")
	// Seen from 2099, a 2099 instant needs no year; 2026 does.
	f.refused("maria", CallCase{Number: n, At: time.Date(2026, 11, 20, 9, 0, 0, 0, et)}, t0,
		"cannot log a call on "+CaseNumber(n)+": Fri 20 Nov 09:00 ET is before the case was opened (Fri 20 Nov 10:00 ET)")
	if got := WhenFrom(t0, far, et, "ET"); got != "Fri 20 Nov 2026 10:00 ET" {
		t.Errorf("WhenFrom another year = %q", got)
	}
	if got := WhenFrom(far.Add(-time.Hour), far, et, "ET"); got != "Thu 31 Dec 18:00 ET" {
		t.Errorf("WhenFrom the same year = %q", got)
	}
}

// TestOnlySpecialistsAndManagersOwnCases is the rule assign and import share.
func TestOnlySpecialistsAndManagersOwnCases(t *testing.T) {
	for r, want := range map[Role]bool{Specialist: true, Manager: true, TAM: false, Wall: false, "": false} {
		if MayOwnCases(r) != want {
			t.Errorf("MayOwnCases(%q) = %v", r, !want)
		}
	}
	f := newFixture(t)
	n := f.open("acme", 2, t0)
	f.refused("maria", AssignCase{Number: n, To: "wally"}, t0, "cannot assign "+CaseNumber(n)+": wally is a wall: cases go to a specialist or a manager")
}
