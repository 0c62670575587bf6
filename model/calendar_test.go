package model

import (
	"testing"
	"time"
)

func mustInstant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}

// dueCase is one hand-computed initial-response due. For severity 1 start
// is the phone call; otherwise when the case was logged.
type dueCase struct {
	name   string
	plan   Plan
	region Region
	sev    int
	start  string
	due    string
}

// Targets (default policy), hours, severity 1..4:
// basic 4 8 12 24 / plus 2 4 12 24 / premium 1 2 6 12.
// NA: Mon-Fri 06:00-21:00 America/New_York (EST -05:00, EDT -04:00).
// EMEA: Mon-Fri 11:00-02:00 next day, GMT. Holidays: 12-25, 01-01, Labor
// Day (1st Monday of September) cancel the shift that starts that date.
var dueCases = []dueCase{
	// --- DOMAIN.md's four worked examples.
	// Fri 23:30 -> Sat 02:00 = 2h30; 1h30 left from Mon 11:00 -> 12:30.
	{"worked EMEA Friday night", Plus, EMEA, 2, "2026-11-20T23:30:00Z", "2026-11-23T12:30:00Z"},
	// Thu 31 Dec 23:00 -> Fri 1 Jan 02:00 = 3h; Fri 1 Jan shift cancelled,
	// weekend; 3h left from Mon 4 Jan 11:00 -> 14:00.
	{"worked EMEA New Year", Premium, EMEA, 3, "2026-12-31T23:00:00Z", "2027-01-04T14:00:00Z"},
	// Fri 20:00 -> 21:00 = 1h; Mon 7 Sep Labor Day; Tue 06:00-21:00 = 15h
	// (16h); 8h left from Wed 06:00 -> 14:00.
	{"worked NA Labor Day", Basic, NA, 4, "2026-09-04T20:00:00-04:00", "2026-09-09T14:00:00-04:00"},
	// Fri 10:00 + 8h = 18:00 (before 21:00).
	{"worked NA same day", Basic, NA, 2, "2026-11-20T10:00:00-05:00", "2026-11-20T18:00:00-05:00"},

	// --- every plan x severity once.
	// basic/1 4h 24x7: Sat 22:00 + 4h = Sun 02:00 (weekend does not matter).
	{"basic sev1 weekend", Basic, NA, 1, "2026-11-21T22:00:00-05:00", "2026-11-22T02:00:00-05:00"},
	// basic/2 8h: Mon 15:00 -> 21:00 = 6h; 2h from Tue 06:00 -> 08:00.
	{"basic sev2 overnight", Basic, NA, 2, "2026-11-16T15:00:00-05:00", "2026-11-17T08:00:00-05:00"},
	// basic/3 12h, exactly at opening: Tue 06:00 + 12h = 18:00.
	{"basic sev3 at opening", Basic, NA, 3, "2026-11-17T06:00:00-05:00", "2026-11-17T18:00:00-05:00"},
	// basic/4 24h EMEA: Thu 31 Dec 10:00 closed; 11:00 -> Fri 02:00 = 15h;
	// Fri 1 Jan cancelled; 9h from Mon 4 Jan 11:00 -> 20:00.
	{"basic sev4 EMEA new year", Basic, EMEA, 4, "2026-12-31T10:00:00Z", "2027-01-04T20:00:00Z"},
	// plus/1 2h 24x7 on Christmas: 23:00 + 2h = 26 Dec 01:00.
	{"plus sev1 christmas", Plus, EMEA, 1, "2026-12-25T23:00:00Z", "2026-12-26T01:00:00Z"},
	// plus/2 4h EMEA: Mon 10:59:59 closed; 11:00 + 4h = 15:00.
	{"plus sev2 EMEA before opening", Plus, EMEA, 2, "2026-11-16T10:59:59Z", "2026-11-16T15:00:00Z"},
	// plus/3 12h EMEA: Wed 20:00 -> Thu 02:00 = 6h; 6h from Thu 11:00 -> 17:00.
	{"plus sev3 EMEA midnight", Plus, EMEA, 3, "2026-11-18T20:00:00Z", "2026-11-19T17:00:00Z"},
	// plus/4 24h EMEA: Mon 11:00 -> Tue 02:00 = 15h; 9h from Tue 11:00 -> 20:00.
	{"plus sev4 EMEA", Plus, EMEA, 4, "2026-11-16T11:00:00Z", "2026-11-17T20:00:00Z"},
	// premium/1 1h across fall-back: 01:30 EDT (05:30Z) + 3600 s = 06:30Z
	// = 01:30 EST.
	{"premium sev1 fall-back", Premium, NA, 1, "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"},
	// premium/2 2h: Fri 20:00 -> 21:00 = 1h; 1h from Mon 06:00 -> 07:00.
	{"premium sev2 weekend", Premium, NA, 2, "2026-11-20T20:00:00-05:00", "2026-11-23T07:00:00-05:00"},
	// premium/3 6h (INTERFACE.md): Thu 24 Dec 20:00 -> 21:00 = 1h; Fri 25
	// Christmas, weekend; 5h from Mon 28 06:00 -> 11:00.
	{"premium sev3 christmas eve", Premium, NA, 3, "2026-12-24T20:00:00-05:00", "2026-12-28T11:00:00-05:00"},
	// premium/4 12h EMEA: Tue 18:00 -> Wed 02:00 = 8h; 4h from Wed 11:00 -> 15:00.
	{"premium sev4 EMEA", Premium, EMEA, 4, "2026-11-17T18:00:00Z", "2026-11-18T15:00:00Z"},

	// --- out of hours, weekends.
	// Tue 03:00 closed; 06:00 + 8h = 14:00.
	{"NA before opening", Basic, NA, 2, "2026-11-17T03:00:00-05:00", "2026-11-17T14:00:00-05:00"},
	// Tue 22:30 closed; Wed 06:00 + 8h = 14:00.
	{"NA after closing", Basic, NA, 2, "2026-11-17T22:30:00-05:00", "2026-11-18T14:00:00-05:00"},
	// Sat noon; Mon 06:00 + 4h = 10:00.
	{"NA Saturday", Plus, NA, 2, "2026-11-21T12:00:00-05:00", "2026-11-23T10:00:00-05:00"},
	// Sun 15:00 closed (no Sunday shift); Mon 11:00 + 12h = 23:00.
	{"EMEA Sunday", Plus, EMEA, 3, "2026-11-22T15:00:00Z", "2026-11-23T23:00:00Z"},
	// Sat 01:00 is inside Friday's shift: 1h to 02:00; 1h from Mon 11:00 -> 12:00.
	{"EMEA Saturday 01:00", Premium, EMEA, 2, "2026-11-21T01:00:00Z", "2026-11-23T12:00:00Z"},
	// Fri 01:00 is inside Thursday's shift: 1h; Fri 11:00 -> Sat 02:00 = 15h
	// (16h); 8h from Mon 11:00 -> 19:00.
	{"EMEA Friday 01:00", Plus, EMEA, 4, "2026-11-20T01:00:00Z", "2026-11-23T19:00:00Z"},

	// --- holidays in each region.
	// NA Christmas Fri 25 Dec: closed; Mon 28 06:00 + 8h = 14:00.
	{"NA on Christmas", Basic, NA, 2, "2026-12-25T10:00:00-05:00", "2026-12-28T14:00:00-05:00"},
	// NA Thu 24 Dec 12:00 -> 21:00 = 9h; Christmas; 3h from Mon 06:00 -> 09:00.
	{"NA before Christmas", Premium, NA, 4, "2026-12-24T12:00:00-05:00", "2026-12-28T09:00:00-05:00"},
	// NA Wed 23 Dec 15:00 -> 21:00 = 6h; 6h from Thu 06:00 -> 12:00.
	{"NA 23 Dec", Basic, NA, 3, "2026-12-23T15:00:00-05:00", "2026-12-24T12:00:00-05:00"},
	// EMEA Christmas noon: the 24 Dec shift ended 02:00; 25 Dec cancelled;
	// Mon 28 11:00 + 4h = 15:00.
	{"EMEA on Christmas", Plus, EMEA, 2, "2026-12-25T12:00:00Z", "2026-12-28T15:00:00Z"},
	// EMEA Thu 24 Dec 23:00: the shift that STARTS 24 Dec 11:00 runs to 25
	// Dec 02:00 = 3h; 1h from Mon 28 11:00 -> 12:00.
	{"EMEA 24 Dec 23:00", Plus, EMEA, 2, "2026-12-24T23:00:00Z", "2026-12-28T12:00:00Z"},
	// EMEA Sat 26 Dec 01:00: the shift that would run to 02:00 started on
	// Christmas, cancelled; Mon 28 11:00 + 2h = 13:00.
	{"EMEA 26 Dec 01:00", Premium, EMEA, 2, "2026-12-26T01:00:00Z", "2026-12-28T13:00:00Z"},
	// NA Thu 31 Dec 20:30 -> 21:00 = 30m; Fri 1 Jan closed; 1h30 from
	// Mon 4 Jan 06:00 -> 07:30.
	{"NA New Year's Eve", Premium, NA, 2, "2026-12-31T20:30:00-05:00", "2027-01-04T07:30:00-05:00"},
	// NA Fri 1 Jan 06:00 (opening time, but a holiday); Mon 06:00 + 12h = 18:00.
	{"NA on New Year's Day", Premium, NA, 4, "2027-01-01T06:00:00-05:00", "2027-01-04T18:00:00-05:00"},
	// EMEA Fri 1 Jan noon: cancelled; Mon 4 Jan 11:00 + 12h = 23:00.
	{"EMEA on New Year's Day", Basic, EMEA, 3, "2027-01-01T12:00:00Z", "2027-01-04T23:00:00Z"},
	// NA Labor Day 2026 (Mon 7 Sep) noon: Tue 06:00 + 4h = 10:00 EDT.
	{"NA on Labor Day 2026", Plus, NA, 2, "2026-09-07T12:00:00-04:00", "2026-09-08T10:00:00-04:00"},
	// NA Labor Day 2027 (Mon 6 Sep) 09:00: Tue 06:00 + 12h = 18:00 EDT.
	{"NA on Labor Day 2027", Basic, NA, 3, "2027-09-06T09:00:00-04:00", "2027-09-07T18:00:00-04:00"},
	// EMEA Fri 4 Sep 23:00 -> Sat 02:00 = 3h; Mon 7 Sep cancelled; 1h from
	// Tue 11:00 -> 12:00.
	{"EMEA over Labor Day 2026", Plus, EMEA, 2, "2026-09-04T23:00:00Z", "2026-09-08T12:00:00Z"},
	// EMEA Tue 8 Sep 00:30: the shift that would cover it started on Labor
	// Day, cancelled; Tue 11:00 + 2h = 13:00.
	{"EMEA night after Labor Day", Premium, EMEA, 2, "2026-09-08T00:30:00Z", "2026-09-08T13:00:00Z"},
	// EMEA Labor Day 2027 (Mon 6 Sep) noon: Tue 11:00 + 6h = 17:00.
	{"EMEA on Labor Day 2027", Premium, EMEA, 3, "2027-09-06T12:00:00Z", "2027-09-07T17:00:00Z"},

	// --- holidays on a weekend: no substitute day.
	// Christmas 2027 is a Saturday: Fri 24 Dec is a normal day: 17:00 ->
	// 21:00 = 4h; Mon 27 open: 4h from 06:00 -> 10:00.
	{"NA Christmas 2027 on Saturday", Basic, NA, 2, "2027-12-24T17:00:00-05:00", "2027-12-27T10:00:00-05:00"},
	// 1 Jan 2028 is a Saturday: Fri 31 Dec 2027 is normal: 06:00 + 8h = 14:00.
	{"NA 31 Dec 2027 normal", Basic, NA, 2, "2027-12-31T06:00:00-05:00", "2027-12-31T14:00:00-05:00"},
	// EMEA Fri 31 Dec 2027 23:00 -> Sat 02:00 = 3h (the Friday shift is not
	// cancelled); 1h from Mon 3 Jan 11:00 -> 12:00.
	{"EMEA 31 Dec 2027 23:00", Plus, EMEA, 2, "2027-12-31T23:00:00Z", "2028-01-03T12:00:00Z"},

	// --- boundaries.
	// At 21:00:00 the shift is over: Tue 06:00 + 2h = 08:00.
	{"NA exactly at closing", Premium, NA, 2, "2026-11-16T21:00:00-05:00", "2026-11-17T08:00:00-05:00"},
	// 20:59:59 -> 21:00 = 1s; 1h59m59s from Tue 06:00 -> 07:59:59.
	{"NA one second before closing", Premium, NA, 2, "2026-11-16T20:59:59-05:00", "2026-11-17T07:59:59-05:00"},
	// EMEA Sat 02:00:00 is closed: Mon 11:00 + 4h = 15:00.
	{"EMEA exactly at closing", Plus, EMEA, 2, "2026-11-21T02:00:00Z", "2026-11-23T15:00:00Z"},
	// 13:00 + 8h = 21:00: due is the closing instant, not Tue 06:00.
	{"NA due on closing", Basic, NA, 2, "2026-11-16T13:00:00-05:00", "2026-11-16T21:00:00-05:00"},
	// EMEA Sat 00:00 -> 02:00 = 2h: due Sat 02:00, the closing instant.
	{"EMEA due on closing", Premium, EMEA, 2, "2026-11-21T00:00:00Z", "2026-11-21T02:00:00Z"},
	// Arbitrary second: 20:30:17 -> 21:00 = 29m43s; 5h30m17s from Tue 06:00
	// -> 11:30:17.
	{"NA odd second", Premium, NA, 3, "2026-11-16T20:30:17-05:00", "2026-11-17T11:30:17-05:00"},

	// --- daylight saving, North America.
	// Spring forward Sun 14 Mar 2027: Fri 17:00 EST -> 21:00 = 4h; 4h from
	// Mon 06:00 EDT -> 10:00 EDT.
	{"NA across March DST", Basic, NA, 2, "2027-03-12T17:00:00-05:00", "2027-03-15T10:00:00-04:00"},
	// Fri 06:00 EST -> 21:00 = 15h; 9h from Mon 06:00 EDT -> 15:00 EDT.
	{"NA across March DST sev4", Basic, NA, 4, "2027-03-12T06:00:00-05:00", "2027-03-15T15:00:00-04:00"},
	// Fall back Sun 1 Nov 2026: Fri 19:00 EDT -> 21:00 = 2h; 2h from Mon
	// 06:00 EST -> 08:00 EST.
	{"NA across November DST", Plus, NA, 2, "2026-10-30T19:00:00-04:00", "2026-11-02T08:00:00-05:00"},
	// Sev 1 across spring forward: 01:30 EST + 3600 s = 07:30Z = 03:30 EDT.
	{"premium sev1 spring forward", Premium, NA, 1, "2027-03-14T01:30:00-05:00", "2027-03-14T03:30:00-04:00"},
}

func TestResponseDueTable(t *testing.T) {
	p := DefaultPolicy()
	if len(dueCases) < 40 {
		t.Fatalf("only %d cases", len(dueCases))
	}
	seen := map[[2]any]bool{}
	for _, tc := range dueCases {
		seen[[2]any{tc.plan, tc.sev}] = true
		t.Run(tc.name, func(t *testing.T) {
			start, want := mustInstant(t, tc.start), mustInstant(t, tc.due)
			c := &Case{Severity: tc.sev, Plan: tc.plan, Region: tc.region, Status: StatusNew,
				OpenedAt: start, PhonedAt: start}
			cl := ResponseClock(c, p)
			if !cl.Due.Equal(want) {
				t.Fatalf("due %s, want %s", cl.Due.In(want.Location()).Format(time.RFC3339), tc.due)
			}
			// The covered time from start to due is the target, on the
			// calendar the clock uses.
			if got := cl.Calendar.Covered(start, cl.Due); got != p.Target(tc.plan, tc.sev) {
				t.Fatalf("covered %s, want the target %s", got, p.Target(tc.plan, tc.sev))
			}
			// The reference agrees too (a sanity check of the reference).
			if ref := newRefCal(cl.Calendar).add(start, cl.Target); !ref.Equal(want) {
				t.Fatalf("reference says %s", ref.Format(time.RFC3339))
			}
		})
	}
	for _, pl := range Plans() {
		for sev := 1; sev <= 4; sev++ {
			if !seen[[2]any{pl, sev}] {
				t.Errorf("no case for %s severity %d", pl, sev)
			}
		}
	}
}

// The fall-back case in real seconds: 3600 of them, though the wall clock
// reads the same time.
func TestSev1FallBackIsRealTime(t *testing.T) {
	p := DefaultPolicy()
	call := mustInstant(t, "2026-11-01T01:30:00-04:00")
	cl := ResponseClock(&Case{Severity: 1, Plan: Premium, Region: NA, Status: StatusNew, PhonedAt: call, OpenedAt: call}, p)
	if got := cl.Due.Sub(call); got != time.Hour {
		t.Fatalf("due %s after the call, want 1h", got)
	}
	ny := p.Regions[NA].Location()
	if a, b := call.In(ny).Format("15:04 MST"), cl.Due.In(ny).Format("15:04 MST"); a != "01:30 EDT" || b != "01:30 EST" {
		t.Fatalf("call %s, due %s", a, b)
	}
}

func TestCalendarBoundaries(t *testing.T) {
	p := DefaultPolicy()
	na, emea := p.Regions[NA], p.Regions[EMEA]
	tests := []struct {
		name     string
		cal      *Calendar
		at       string
		open     bool
		nextOpen string
	}{
		{"NA opening instant", na, "2026-11-16T06:00:00-05:00", true, "2026-11-16T06:00:00-05:00"},
		{"NA second before opening", na, "2026-11-16T05:59:59-05:00", false, "2026-11-16T06:00:00-05:00"},
		{"NA second before closing", na, "2026-11-16T20:59:59-05:00", true, "2026-11-16T20:59:59-05:00"},
		{"NA closing instant", na, "2026-11-16T21:00:00-05:00", false, "2026-11-17T06:00:00-05:00"},
		{"NA Friday closing", na, "2026-11-20T21:00:00-05:00", false, "2026-11-23T06:00:00-05:00"},
		{"NA Christmas Eve closing", na, "2026-12-24T21:00:00-05:00", false, "2026-12-28T06:00:00-05:00"},
		{"EMEA Saturday 01:59:59", emea, "2026-11-21T01:59:59Z", true, "2026-11-21T01:59:59Z"},
		{"EMEA Saturday 02:00", emea, "2026-11-21T02:00:00Z", false, "2026-11-23T11:00:00Z"},
		{"EMEA Monday 01:00", emea, "2026-11-23T01:00:00Z", false, "2026-11-23T11:00:00Z"},
		{"EMEA Christmas 01:00", emea, "2026-12-25T01:00:00Z", true, "2026-12-25T01:00:00Z"},
		{"EMEA Boxing Day 01:00", emea, "2026-12-26T01:00:00Z", false, "2026-12-28T11:00:00Z"},
		{"EMEA New Year's Day 01:00", emea, "2027-01-01T01:00:00Z", true, "2027-01-01T01:00:00Z"},
		{"EMEA New Year's Day 11:00", emea, "2027-01-01T11:00:00Z", false, "2027-01-04T11:00:00Z"},
		{"escalation 07:59", p.EscalationHours, "2026-11-16T07:59:00-05:00", false, "2026-11-16T08:00:00-05:00"},
		{"escalation 17:00", p.EscalationHours, "2026-11-16T17:00:00-05:00", false, "2026-11-17T08:00:00-05:00"},
		{"24x7", p.Always, "2026-12-25T03:00:00Z", true, "2026-12-25T03:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := mustInstant(t, tc.at)
			if got := tc.cal.IsOpen(at); got != tc.open {
				t.Errorf("IsOpen = %v, want %v", got, tc.open)
			}
			if got, want := tc.cal.NextOpen(at), mustInstant(t, tc.nextOpen); !got.Equal(want) {
				t.Errorf("NextOpen = %s, want %s", got.Format(time.RFC3339), tc.nextOpen)
			}
		})
	}
}

func TestCoveredAndAddDays(t *testing.T) {
	p := DefaultPolicy()
	na, emea := p.Regions[NA], p.Regions[EMEA]
	// A whole NA week: 5 x 15h.
	if got := na.Covered(mustInstant(t, "2026-11-15T00:00:00-05:00"), mustInstant(t, "2026-11-22T00:00:00-05:00")); got != 75*time.Hour {
		t.Errorf("NA week covered %s, want 75h", got)
	}
	// Christmas week 2026: Mon-Thu only, 4 x 15h.
	if got := na.Covered(mustInstant(t, "2026-12-20T00:00:00-05:00"), mustInstant(t, "2026-12-27T00:00:00-05:00")); got != 60*time.Hour {
		t.Errorf("NA Christmas week covered %s, want 60h", got)
	}
	// EMEA Sun 22 Nov 00:00 .. Sun 29 Nov 00:00 holds the Mon-Fri shifts
	// (the Friday one ends Sat 02:00): 75h.
	if got := emea.Covered(mustInstant(t, "2026-11-22T00:00:00Z"), mustInstant(t, "2026-11-29T00:00:00Z")); got != 75*time.Hour {
		t.Errorf("EMEA week covered %s, want 75h", got)
	}
	// Reversed or empty span: 0.
	a := mustInstant(t, "2026-11-16T12:00:00-05:00")
	if got := na.Covered(a, a); got != 0 {
		t.Errorf("empty span covered %s", got)
	}
	if got := na.Covered(a, a.Add(-time.Hour)); got != 0 {
		t.Errorf("reversed span covered %s", got)
	}
	if got := na.Add(a, 0); !got.Equal(a) {
		t.Errorf("Add(a, 0) = %s", got)
	}
	// +2 business days lands at the same time of day two working days later:
	// Thu 24 Dec 10:00 -> (Christmas, weekend) Mon 28 10:00 is 1 day,
	// Tue 29 10:00 is 2.
	if got, want := na.AddDays(mustInstant(t, "2026-12-24T10:00:00-05:00"), 2), mustInstant(t, "2026-12-29T10:00:00-05:00"); !got.Equal(want) {
		t.Errorf("AddDays 2 = %s, want %s", got, want)
	}
}

// A custom calendar whose shift opens inside the spring-forward gap opens
// when the clock jumps past it, not an hour early.
func TestShiftInDSTGap(t *testing.T) {
	pol := customPolicy(t, "America/New_York", `{ days = ["sun"], open = "02:30", close = "05:00" }`)
	cal := pol.Regions["x"]
	// Sun 14 Mar 2027: 02:00 EST jumps to 03:00 EDT (07:00Z).
	if got, want := cal.NextOpen(mustInstant(t, "2027-03-14T00:00:00-05:00")), mustInstant(t, "2027-03-14T03:00:00-04:00"); !got.Equal(want) {
		t.Fatalf("NextOpen = %s, want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	if cal.IsOpen(mustInstant(t, "2027-03-14T01:45:00-05:00")) {
		t.Fatal("open at 01:45 EST, before the shift's 02:30")
	}
	// 03:00 EDT .. 05:00 EDT: 2h of real time.
	if got := cal.Covered(mustInstant(t, "2027-03-13T00:00:00Z"), mustInstant(t, "2027-03-15T00:00:00Z")); got != 2*time.Hour {
		t.Fatalf("covered %s, want 2h", got)
	}
}
