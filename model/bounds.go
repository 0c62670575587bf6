package model

import (
	"fmt"
	"time"
)

// The ranges every door (flags, JSON and CSV import, the board's forms)
// holds values to, so that no arithmetic on them can overflow and every
// value written out reads back the same: an instant of year 9999 written
// in another zone becomes year 10000, which is not RFC 3339; a case
// number of MaxInt64 leaves no next number.
const (
	// FirstYear and EndYear bound instants and dates: from 1 January
	// FirstYear 00:00 UTC to before 1 January EndYear 00:00 UTC.
	FirstYear = 1970
	EndYear   = 2200
	// MaxNumber is the largest case number, time entry id or event seq a
	// record may carry (below 10^12: room above for what is handed out
	// next, and far from int64's end).
	MaxNumber int64 = 999_999_999_999
	// MaxEntryMinutes is the most one time entry may hold: 31 days. An
	// entry is one TAM's time on one date of a monthly bank, so more is
	// never real; and sums of such entries cannot overflow.
	MaxEntryMinutes = 31 * 24 * 60
	// MaxPlanHours bounds a policy's TAM bank, so that no bank in minutes
	// or sum against it can overflow.
	MaxPlanHours = 100_000
)

var (
	firstInstant = time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	endInstant   = time.Date(EndYear, 1, 1, 0, 0, 0, 0, time.UTC)
)

// outOfRange is the one message for instants, dates and months outside
// the years caseboard keeps.
func outOfRange(s string) error {
	return fmt.Errorf("%q is outside the years caseboard keeps (%d to %d)", s, FirstYear, EndYear-1)
}

// InRange reports whether an instant lies within the years caseboard
// keeps (1970-01-01T00:00:00Z inclusive to 2200-01-01T00:00:00Z exclusive).
func InRange(t time.Time) bool { return !t.Before(firstInstant) && t.Before(endInstant) }

// yearInRange reports whether a civil year is one caseboard keeps.
func yearInRange(y int) bool { return y >= FirstYear && y < EndYear }

// ValidNumber reports whether n is a case number, time entry id or event
// seq a record may carry (1 to MaxNumber).
func ValidNumber(n int64) bool { return n >= 1 && n <= MaxNumber }

// CheckEntryMinutes is the one rule for a time entry's minutes, held by
// time log, the command line and import: 1 to MaxEntryMinutes.
func CheckEntryMinutes(m int) error {
	if m < 1 || m > MaxEntryMinutes {
		return fmt.Errorf("%d is not 1 to %d minutes (31 days)", m, MaxEntryMinutes)
	}
	return nil
}

// MayOwnCases reports whether a role may own a case (be assigned one, or
// be an imported case's owner): specialists and managers.
func MayOwnCases(r Role) bool { return r == Specialist || r == Manager }
