package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// customPolicy is the default policy plus a region "x" in zone with the
// given shifts (TOML inline tables, comma-separated).
func customPolicy(t testing.TB, zone, shifts string) *Policy {
	t.Helper()
	src := string(DefaultPolicyTOML()) + `
[regions.x]
name = "X"
zone = "` + zone + `"
business_day = "10h"
holidays = true
shifts = [` + shifts + `]
`
	p, err := ParsePolicy([]byte(src), "custom.toml")
	if err != nil {
		t.Fatalf("custom policy: %v", err)
	}
	return p
}

func TestDefaultPolicyParses(t *testing.T) {
	p, err := ParsePolicy(DefaultPolicyTOML(), "")
	if err != nil {
		t.Fatalf("embedded policy: %v", err)
	}
	want := map[Plan][4]time.Duration{
		Basic:   {4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 24 * time.Hour},
		Plus:    {2 * time.Hour, 4 * time.Hour, 12 * time.Hour, 24 * time.Hour},
		Premium: {1 * time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour},
	}
	for plan, tg := range want {
		if p.Targets[plan] != tg {
			t.Errorf("targets %s = %v, want %v", plan, p.Targets[plan], tg)
		}
	}
	if !p.AroundTheClock[1] || p.AroundTheClock[2] || p.AroundTheClock[3] || p.AroundTheClock[4] {
		t.Errorf("around the clock = %v, want severity 1 only", p.AroundTheClock)
	}
	if p.DueSoon != 30*time.Minute || p.ReopenWindow != 720*time.Hour || p.EscalationFollowup != time.Hour {
		t.Errorf("due soon %s, reopen %s, escalation follow-up %s", p.DueSoon, p.ReopenWindow, p.EscalationFollowup)
	}
	if p.FollowupDays != [2]int{1, 3} || p.AutoCloseDays != 4 || p.EligibleAfterDays != [4]int{1, 2, 5, 0} {
		t.Errorf("follow-up days %v, auto-close %d, eligible %v", p.FollowupDays, p.AutoCloseDays, p.EligibleAfterDays)
	}
	if len(p.Regions) != 2 || p.Regions[NA].BusinessDay != 15*time.Hour || p.Regions[EMEA].BusinessDay != 15*time.Hour {
		t.Errorf("regions %v", p.RegionIDs())
	}
	if z := p.Regions[NA].Location().String(); z != "America/New_York" {
		t.Errorf("NA zone %s", z)
	}
	if z := p.Regions[EMEA].Location().String(); z != "Etc/GMT" {
		t.Errorf("EMEA zone %s", z)
	}
	if len(p.Holidays) != 3 {
		t.Errorf("holidays %v", p.Holidays)
	}
	if p.TAMPlans["tam20"].Next != "enterprise" || p.TAMPlans["enterprise"].Hours != 50 || !p.TAMPlans["enterprise"].Managed {
		t.Errorf("TAM plans %v", p.TAMPlans)
	}
}

// edit replaces old by new in the default policy, once; old must be there.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	src := string(DefaultPolicyTOML())
	if !strings.Contains(src, old) {
		t.Fatalf("default policy has no %q", old)
	}
	return []byte(strings.Replace(src, old, new, 1))
}

func TestPolicyErrors(t *testing.T) {
	naShifts := `{ days = ["mon", "tue", "wed", "thu", "fri"], open = "06:00", close = "21:00" },`
	tests := []struct {
		name string
		data []byte
		key  string // the key the one line must name
		msg  string // and a word of the problem
	}{
		{"unknown top-level key", edit(t, `due_soon = "30m"`, `due_soon = "30m"`+"\ncolour = \"red\""), "colour", "unknown key"},
		{"unknown region key", edit(t, `label = "GMT"`, `label = "GMT"`+"\nopen = \"now\""), "regions.emea.open", "unknown key"},
		{"target zero", edit(t, `premium = ["1h",`, `premium = ["0h",`), "targets.premium[0]", "positive"},
		{"target negative", edit(t, `plus = ["2h", "4h"`, `plus = ["2h", "-4h"`), "targets.plus[1]", "positive"},
		{"target not whole minutes", edit(t, `basic = ["4h", "8h", "12h"`, `basic = ["4h", "8h", "12h30s"`), "targets.basic[2]", "whole number of minutes"},
		{"target not a duration", edit(t, `basic = ["4h"`, `basic = ["four hours"`), "targets.basic[0]", "not a duration"},
		{"three targets", edit(t, `premium = ["1h", "2h", "6h", "12h"]`, `premium = ["1h", "2h", "6h"]`), "targets.premium", "needs 4"},
		{"unknown plan", edit(t, `[targets]`, "[targets]\ngold = [\"1h\", \"1h\", \"1h\", \"1h\"]"), "targets.gold", "unknown plan"},
		{"unknown zone", edit(t, `zone = "Etc/GMT"`, `zone = "Mars/Olympus"`), "regions.emea.zone", "unknown time zone"},
		{"unknown escalation zone", edit(t, "[escalation]\n# Escalation hours: the manager's follow-up and update clocks for\n# severities that do not run around the clock.\nzone = \"America/New_York\"", "[escalation]\nzone = \"Nowhere/Town\""), "escalation.zone", "unknown time zone"},
		{"overlapping shifts", edit(t, naShifts, naShifts+"\n  { days = [\"fri\"], open = \"20:00\", close = \"23:00\" },"), "regions.na.shifts", "overlapping"},
		{"overlap across midnight", edit(t, `open = "11:00", close = "02:00" },`, `open = "11:00", close = "02:00" },`+"\n  { days = [\"sat\"], open = \"01:00\", close = \"03:00\" },"), "regions.emea.shifts", "overlapping"},
		{"overlap across the week", edit(t, `open = "11:00", close = "02:00" },`, `open = "11:00", close = "02:00" },`+"\n  { days = [\"sun\"], open = \"10:00\", close = \"12:00\" },\n  { days = [\"sat\"], open = \"23:00\", close = \"10:30\" },"), "regions.emea.shifts", "overlapping"},
		{"shift longer than 24h", edit(t, `open = "06:00", close = "21:00"`, `open = "01:00", close = "26:00"`), "regions.na.shifts[0]", "longer than 24 h"},
		{"bad open", edit(t, `open = "06:00"`, `open = "6am"`), "regions.na.shifts[0].open", "not a time"},
		{"bad close", edit(t, `close = "21:00"`, `close = "21:60"`), "regions.na.shifts[0].close", "not a time"},
		{"bad day", edit(t, `days = ["mon", "tue", "wed", "thu", "fri"], open = "06:00"`, `days = ["mon", "tue", "wed", "thu", "fry"], open = "06:00"`), "regions.na.shifts[0].days", "not a day"},
		{"no shifts", edit(t, "shifts = [\n  "+naShifts+"\n]", "shifts = []"), "regions.na.shifts", "missing"},
		{"missing due_soon", edit(t, `due_soon = "30m"`, ``), "due_soon", "missing"},
		{"missing business_day", edit(t, "label = \"ET\"\nbusiness_day = \"15h\"", `label = "ET"`), "regions.na.business_day", "missing"},
		{"missing zone", edit(t, `zone = "Etc/GMT"`, ``), "regions.emea.zone", "missing"},
		{"missing holidays flag", edit(t, "business_day = \"15h\"\nholidays = true\nshifts = [\n  { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], open = \"11:00\"", "business_day = \"15h\"\nshifts = [\n  { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], open = \"11:00\""), "regions.emea.holidays", "missing"},
		{"missing target plan", edit(t, "plus = [\"2h\", \"4h\", \"12h\", \"24h\"]\n", ""), "targets.plus", "missing"},
		{"missing auto_close_days", edit(t, "auto_close_days = 4", ""), "customer_followup.auto_close_days", "missing"},
		{"missing tam zone", edit(t, "# The month of the time bank starts on the 1st at 00:00 in this zone.\nzone = \"America/New_York\"", ""), "tam.zone", "missing"},
		{"bad holiday date", edit(t, `date = "12-25"`, `date = "12-32"`), "holidays[0]", "not MM-DD"},
		{"bad holiday weekday", edit(t, `weekday = "monday"`, `weekday = "funday"`), "holidays[2]", "not a day of the week"},
		{"bad holiday nth", edit(t, `nth = 1`, `nth = 7`), "holidays[2]", "nth"},
		{"holiday both ways", edit(t, `date = "01-01"`, "date = \"01-01\"\nmonth = 1"), "holidays[1]", "not both"},
		{"holiday without date", edit(t, `date = "01-01"`, `name2 = "x"`), "name2", "unknown key"},
		{"around the clock 5", edit(t, `around_the_clock = [1]`, `around_the_clock = [5]`), "around_the_clock[0]", "not 1 to 4"},
		{"wrong type", edit(t, `due_soon = "30m"`, `due_soon = 30`), "due_soon", ""},
		{"syntax error", edit(t, `reopen_window = "720h"`, `reopen_window = "720h`), "", "line"},
		{"unknown next plan", edit(t, `next = "tam20"`, `next = "tam30"`), "tam.plans.tam10.next", "unknown TAM plan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePolicy(tc.data, "team.toml")
			if err == nil {
				t.Fatalf("parsed: %+v", p)
			}
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("%T %v is not a *PolicyError", err, err)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("more than one line: %q", msg)
			}
			if !strings.HasPrefix(msg, "policy team.toml: ") {
				t.Errorf("%q does not name the file", msg)
			}
			if tc.key != "" && !strings.Contains(msg, tc.key+": ") {
				t.Errorf("%q does not name the key %s", msg, tc.key)
			}
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("%q does not say %q", msg, tc.msg)
			}
		})
	}
}

// TestValidSlugIsNarrowerThanValidID: policy ids (regions, TAM plans)
// take lower-case letters, digits and '-' up to 32; desk ids also take
// '_' and '.', up to 64.
func TestValidSlugIsNarrowerThanValidID(t *testing.T) {
	long := "abcdefghijabcdefghijabcdefghijabc" // 33
	for _, c := range []struct {
		id         string
		slug, desk bool
	}{{"emea", true, true}, {"tam-10", true, true}, {"a_b", false, true}, {"a.b", false, true}, {long, false, true}, {"Emea", false, false}, {"", false, false}} {
		if validSlug(c.id) != c.slug || ValidID(c.id) != c.desk {
			t.Errorf("%q: validSlug %v ValidID %v, want %v %v", c.id, validSlug(c.id), ValidID(c.id), c.slug, c.desk)
		}
	}
}
