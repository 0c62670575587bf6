package model_test

import (
	"reflect"
	"testing"
	"time"

	"caseboard/model"
)

func TestSparkLevels(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want int
	}{
		{0, 0}, {12.4, 0}, {12.5, 1}, {50, 4}, {60, 4}, {75, 6}, {87.5, 7}, {99, 7}, {100, 7}, {-5, 0}, {130, 7},
	} {
		if got := model.SparkLevel(tc.v, 0, 100); got != tc.want {
			t.Errorf("SparkLevel(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
	if got := model.Sparkline([]float64{0, 50, 100, 60, 25}, []bool{true, true, true, false, true}, 0, 100); got != "▁▅█·▃" {
		t.Errorf("sparkline %q, want ▁▅█·▃", got)
	}
	if got := model.Sparkline([]float64{3, 3}, nil, 0, 0); got != "▁▁" {
		t.Errorf("flat scale: %q", got)
	}
}

// trendDesk: North America, Plus, severity 2 (4h, 06:00-21:00 ET).
//
//	case  opened (ET)        due (ET)        response        counted in
//	1     Mon  9 Nov 10:00   Mon 9 14:00     11:00           W46 met
//	2     Tue 10 Nov 10:00   Tue 10 14:00    15:00           W46 breached
//	(W47, 16-22 Nov: nothing due)
//	3     Mon 23 Nov 07:00   Mon 23 11:00    08:00           W48 met
//	4     Wed 25 Nov 06:00   Wed 25 10:00    none, open      W48 breached, today
//	5     Wed 25 Nov 07:00   Wed 25 11:00    08:00           W48 met, today
//	6     Wed 25 Nov 11:00   Wed 25 15:00    none            not yet due: not counted
//
// Seen at Wed 25 Nov 12:00 ET: W46 1/2 50.0%, W47 nothing, W48 2/3 66.7%;
// today 2 due, breached 00000004; stale at case 6's due, 15:00 ET.
func trendDesk(t *testing.T) *model.Desk {
	d := model.NewDesk()
	add := func(n int64, opened, responded string) {
		c := &model.Case{Number: n, Account: "acme", Severity: 2, Title: "case", Status: model.StatusNew,
			Plan: model.Plus, Region: model.NA, OpenedAt: at(t, opened)}
		if responded != "" {
			c.Status, c.Owner, c.RespondedAt = model.StatusInProgress, "sam", at(t, responded)
		}
		d.Cases[n] = c
	}
	add(1, "2026-11-09T10:00:00-05:00", "2026-11-09T11:00:00-05:00")
	add(2, "2026-11-10T10:00:00-05:00", "2026-11-10T15:00:00-05:00")
	add(3, "2026-11-23T07:00:00-05:00", "2026-11-23T08:00:00-05:00")
	add(4, "2026-11-25T06:00:00-05:00", "")
	add(5, "2026-11-25T07:00:00-05:00", "2026-11-25T08:00:00-05:00")
	add(6, "2026-11-25T11:00:00-05:00", "")
	return d
}

func TestManagerTrendWeeks(t *testing.T) {
	p := model.DefaultPolicy()
	now := at(t, "2026-11-25T12:00:00-05:00")
	tr := model.ManagerTrend(trendDesk(t), p, now, 3, 7)
	var weeks []string
	for _, w := range tr.Weeks {
		weeks = append(weeks, w.Week.String())
	}
	if !reflect.DeepEqual(weeks, []string{"2026-W46", "2026-W47", "2026-W48"}) {
		t.Fatalf("weeks %v", weeks)
	}
	want := []struct {
		due, met int
		pct      float64
		ok       bool
	}{{2, 1, 50, true}, {0, 0, 0, false}, {3, 2, 66.7, true}}
	for i, w := range want {
		a := tr.Weeks[i].Attainment
		pct, ok := a.Percent()
		if a.Due != w.due || a.Met != w.met || pct != w.pct || ok != w.ok {
			t.Errorf("%s: due %d met %d %.1f%% ok %v; want %+v", tr.Weeks[i].Week, a.Due, a.Met, pct, ok, w)
		}
	}
	if tr.ThisWeek().Week.String() != "2026-W48" {
		t.Errorf("this week %s", tr.ThisWeek().Week)
	}
	if tr.DueToday.Due != 2 || tr.DueToday.Met != 1 || !reflect.DeepEqual(tr.BreachesToday, []int64{4}) {
		t.Errorf("today: %+v, breaches %v", tr.DueToday, tr.BreachesToday)
	}
	if wantUntil := at(t, "2026-11-25T15:00:00-05:00").Add(time.Nanosecond); !tr.Until.Equal(wantUntil) {
		t.Errorf("until %s, want %s", tr.Until, wantUntil)
	}
	// Past case 6's due it is a breach of today, and the data hold until
	// midnight ET.
	later := at(t, "2026-11-25T15:00:01-05:00")
	tr = model.ManagerTrend(trendDesk(t), p, later, 3, 7)
	if !reflect.DeepEqual(tr.BreachesToday, []int64{4, 6}) {
		t.Errorf("at 15:00:01 breaches %v, want [4 6]", tr.BreachesToday)
	}
	if want := at(t, "2026-11-26T00:00:00-05:00"); !tr.Until.Equal(want) {
		t.Errorf("until %s, want midnight ET %s", tr.Until, want)
	}
}

// TestManagerTrendEmptyWeek: a desk with nothing due says so (ok false),
// never 0%.
func TestManagerTrendEmptyWeek(t *testing.T) {
	tr := model.ManagerTrend(model.NewDesk(), model.DefaultPolicy(), at(t, "2026-11-25T12:00:00-05:00"), 8, 14)
	if len(tr.Weeks) != 8 || len(tr.Days) != 14 {
		t.Fatalf("%d weeks, %d days", len(tr.Weeks), len(tr.Days))
	}
	for _, w := range tr.Weeks {
		if _, ok := w.Attainment.Percent(); ok {
			t.Errorf("%s has a percentage with nothing due", w.Week)
		}
	}
	if tr.Days[13].Date.String() != "2026-11-25" || tr.Days[0].Date.String() != "2026-11-12" {
		t.Errorf("days run %s..%s", tr.Days[0].Date, tr.Days[13].Date)
	}
}

// TestOpenPerDayETBoundary: the days are ET days, not UTC ones.
//
//	W opened Sun 22 Nov 10:00 ET, closed at 13:00 ET on the 25th (after now)
//	X opened Mon 23 Nov 23:30 ET (04:30Z on the 24th), closed Tue 00:30 ET
//	Y opened Tue 24 Nov 20:00 ET (01:00Z on the 25th), open
//	Z opened Wed 25 Nov 13:00 ET, after now (12:00 ET): not known yet
//
// End of Sun 22: W. Mon 23: W X. Tue 24: W Y (X closed). Wed 25 at noon:
// W Y.
func TestOpenPerDayETBoundary(t *testing.T) {
	d := model.NewDesk()
	add := func(n int64, opened, closed string) {
		c := &model.Case{Number: n, Account: "acme", Severity: 3, Status: model.StatusInProgress, OpenedAt: at(t, opened)}
		if closed != "" {
			c.Status, c.ClosedAt = model.StatusClosed, at(t, closed)
		}
		d.Cases[n] = c
	}
	add(1, "2026-11-22T10:00:00-05:00", "2026-11-25T13:00:00-05:00")
	add(2, "2026-11-23T23:30:00-05:00", "2026-11-24T00:30:00-05:00")
	add(3, "2026-11-24T20:00:00-05:00", "")
	add(4, "2026-11-25T13:00:00-05:00", "")
	p := model.DefaultPolicy()
	got, _ := model.OpenPerDay(d, p.HomeZone(), at(t, "2026-11-25T12:00:00-05:00"), 4)
	want := []model.DayCount{
		{Date: date(t, "2026-11-22"), Open: 1},
		{Date: date(t, "2026-11-23"), Open: 2},
		{Date: date(t, "2026-11-24"), Open: 2},
		{Date: date(t, "2026-11-25"), Open: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("open per day\n got %v\nwant %v", got, want)
	}
	// In UTC the same facts fall on other days: X is open at no UTC
	// midnight, so the 23rd counts W alone.
	utc, _ := model.OpenPerDay(d, time.UTC, at(t, "2026-11-25T17:00:00Z"), 4)
	if utc[1].Open != 1 {
		t.Errorf("UTC 23rd: %d open, want 1", utc[1].Open)
	}
}
