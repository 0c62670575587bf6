package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func FuzzParsePolicy(f *testing.F) {
	def := string(DefaultPolicyTOML())
	f.Add([]byte(def))
	f.Add([]byte(""))
	f.Add([]byte("due_soon = 30"))
	f.Add([]byte("[regions.na]\nzone = \"Mars/Base\""))
	f.Add([]byte(strings.Replace(def, `close = "21:00"`, `close = "30:00"`, 1)))
	f.Add([]byte(strings.Replace(def, `nth = 1`, `nth = -1`, 1)))
	f.Add([]byte(strings.Replace(def, `"12-25"`, `"02-29"`, 1)))
	f.Add([]byte(strings.Replace(def, `premium = ["1h"`, `premium = ["1h1s"`, 1)))
	f.Add([]byte(strings.Replace(def, `[targets]`, `[targets`, 1)))
	f.Add([]byte(strings.Replace(def, `days = ["mon", "tue", "wed", "thu", "fri"], open = "06:00"`, `days = ["sun"], open = "00:00"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data, "fuzz.toml")
		if err != nil {
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("%T %v is not a *PolicyError", err, err)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("more than one line: %q", msg)
			}
			if pe.Key != "" && !strings.Contains(msg, pe.Key+": ") {
				t.Fatalf("%q does not name its key %q", msg, pe.Key)
			}
			return
		}
		// A policy that parses works: every calendar can be asked.
		start := time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC)
		for _, id := range p.RegionIDs() {
			cal := p.Regions[id]
			if cal.BusinessDay <= 0 {
				t.Fatalf("region %s: business day %s", id, cal.BusinessDay)
			}
			if due := cal.Add(start, time.Hour); due.Before(start) {
				t.Fatalf("region %s: due %s before start", id, due)
			}
		}
		for _, pl := range Plans() {
			for sev := 1; sev <= 4; sev++ {
				if p.Target(pl, sev) <= 0 {
					t.Fatalf("target %s/%d = %s", pl, sev, p.Target(pl, sev))
				}
			}
		}
	})
}

// FuzzCalendar: any start (1970-2200) and duration (up to a year) on the
// default calendars: no panic, due never before start, and the covered
// time from start to due is exactly the duration.
func FuzzCalendar(f *testing.F) {
	p := DefaultPolicy()
	cals := []*Calendar{p.Regions[NA], p.Regions[EMEA], p.EscalationHours, p.Always}
	f.Add(time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC).Unix(), int64(4*3600), uint8(1))
	f.Add(time.Date(2026, 12, 24, 20, 0, 0, 0, time.UTC).Unix(), int64(6*3600), uint8(0))
	f.Add(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC).Unix(), int64(3600), uint8(3))
	f.Add(time.Date(2027, 3, 14, 6, 59, 59, 0, time.UTC).Unix(), int64(30*15*3600), uint8(2))
	f.Add(int64(0), int64(0), uint8(0))
	f.Add(int64(-1), int64(-5), uint8(7))
	const lo, span = 0, 230 * 365 * 86400 // 1970 .. about 2200
	f.Fuzz(func(t *testing.T, startSec, durSec int64, which uint8) {
		cal := cals[int(which)%len(cals)]
		s := startSec % span
		if s < 0 {
			s += span
		}
		start := time.Unix(lo+s, 0)
		d := time.Duration(durSec%(366*86400)) * time.Second
		if d < 0 {
			d = -d
		}
		due := cal.Add(start, d)
		if due.Before(start) {
			t.Fatalf("Add(%s, %s) = %s, before start", start, d, due)
		}
		if got := cal.Covered(start, due); got != d {
			t.Fatalf("Covered(%s, Add(..., %s) = %s) = %s", start, d, due, got)
		}
		next := cal.NextOpen(start)
		if next.Before(start) || !cal.IsOpen(next) {
			t.Fatalf("NextOpen(%s) = %s (open %v)", start, next, cal.IsOpen(next))
		}
		if cal.IsOpen(start) != next.Equal(start) {
			t.Fatalf("IsOpen(%s) = %v but NextOpen = %s", start, cal.IsOpen(start), next)
		}
	})
}
