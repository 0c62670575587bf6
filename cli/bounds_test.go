package cli

import (
	"fmt"
	"strings"
	"testing"
)

// TestEveryDoorKeepsYears1970To2199: every flag that takes an instant or
// a date refuses one outside 1970-2199 with one line naming the flag,
// exit 1, nothing written (issue 21, item 12). Year 1 gave "breached -16s
// ago", year 9999 exports that are not RFC 3339 (10000-01-03T...).
func TestEveryDoorKeepsYears1970To2199(t *testing.T) {
	st := deskStore(t)
	before := export(t, st)
	outside := func(s string) string { return fmt.Sprintf("%q is outside the years caseboard keeps (1970 to 2199)", s) }
	var tries []struct {
		args []string
		want string
	}
	add := func(want string, args ...string) {
		tries = append(tries, struct {
			args []string
			want string
		}{args, want})
	}
	for _, at := range []string{"0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z"} {
		add("--at: "+outside(at), "case", "call", "1044", "--at", at, "--as", "maria")
		add("--at: "+outside(at), "escalation", "followup", "1044", "--at", at, "--as", "maria")
		add("--opened: "+outside(at), "case", "new", "--account", "contoso", "--severity", "2", "--title", "x", "--opened", at, "--as", "maria")
		add("--now: "+outside(at), "queue", "--now", at)
		add("--now: "+outside(at), "case", "note", "1042", "hello", "--now", at, "--as", "maria")
		add("--start: "+outside(at), "sla", "--severity", "2", "--plan", "basic", "--region", "na", "--start", at)
	}
	ten := "10000-01-03T00:00:00Z"
	add(`--at: "`+ten+`" is not an RFC 3339 time`, "case", "call", "1044", "--at", ten, "--as", "maria")
	add(`--now: "`+ten+`" is not an RFC 3339 time`, "queue", "--now", ten)
	for _, day := range []string{"0001-01-01", "1969-12-31", "2200-01-01", "9999-12-31"} {
		add("--date: "+outside(day), "time", "log", "--account", "contoso", "--minutes", "10", "--category", "cadence-call", "--date", day, "--as", "tina")
		add("--from: "+outside(day), "report", "hours", "--account", "contoso", "--from", day, "--to", "2026-11-30")
		add("--to: "+outside(day), "report", "sla", "--from", "2026-11-01", "--to", day)
	}
	for _, month := range []string{"0001-01", "9999-12"} {
		add("--month: "+outside(month), "time", "list", "--account", "contoso", "--month", month)
		add("--month: "+outside(month), "timebank", "--account", "contoso", "--month", month)
	}
	add("--week: "+outside("0001-W01"), "report", "weekly", "--account", "contoso", "--week", "0001-W01")
	for _, tr := range tries {
		r := runOn(t, st, "", tr.args...)
		line := strings.TrimSuffix(r.stderr, "\n")
		if r.code != ExitRefused || strings.Contains(line, "\n") || !strings.HasPrefix(line, "caseboard: "+tr.want) || r.stdout != "" {
			t.Errorf("%s:\n exit %d stdout %q stderr %q\n want exit 1, caseboard: %s", strings.Join(tr.args, " "), r.code, r.stdout, r.stderr, tr.want)
		}
	}
	if export(t, st) != before {
		t.Error("a refused command wrote")
	}
	// The edges themselves pass.
	must(t, st, "sla", "--severity", "1", "--plan", "basic", "--region", "na", "--start", "1970-01-01T00:00:00Z", "--now", "1970-01-01T00:00:00Z")
	must(t, st, "sla", "--severity", "1", "--plan", "basic", "--region", "emea", "--start", "2199-12-31T23:59:59Z", "--now", "2199-12-31T23:59:59Z")
}

// TestFutureInAnotherYearNamesTheYear: --opened 2099 was refused as
// "Thu 31 Dec 19:00 ET is in the future", as if it were this December.
func TestFutureInAnotherYearNamesTheYear(t *testing.T) {
	st := deskStore(t)
	before := export(t, st)
	r := runOn(t, st, "", "case", "new", "--account", "contoso", "--severity", "2", "--title", "x",
		"--opened", "2099-12-31T19:00:00-05:00", "--as", "maria")
	if r.code != ExitRefused || r.stderr != "caseboard: cannot open a case for contoso: Thu 31 Dec 2099 19:00 ET is in the future\n" {
		t.Errorf("exit %d %q", r.code, r.stderr)
	}
	// This year's instants keep the short form.
	r = runOn(t, st, "", "case", "call", "1044", "--at", "2026-11-21T19:00:00-05:00", "--as", "maria")
	if r.code != ExitRefused || r.stderr != "caseboard: cannot log a call on 00001044: Sat 21 Nov 19:00 ET is in the future\n" {
		t.Errorf("exit %d %q", r.code, r.stderr)
	}
	if export(t, st) != before {
		t.Error("a refused command wrote")
	}
}

// TestTimeLogHugeMinutes: MaxInt64 minutes on a month with time in it
// wrapped the bank's total negative; after it, logging was unlimited.
func TestTimeLogHugeMinutes(t *testing.T) {
	st := deskStore(t)
	before := export(t, st)
	for _, m := range []string{"9223372036854775807", "44641", "745h", "9223372036854775806"} {
		r := runOn(t, st, "", "time", "log", "--account", "contoso", "--minutes", m, "--category", "cadence-call", "--as", "tina")
		if r.code != ExitRefused || !strings.HasPrefix(r.stderr, "caseboard: --minutes: ") ||
			!strings.HasSuffix(r.stderr, " is not 1 to 44640 minutes (31 days)\n") {
			t.Errorf("--minutes %s: exit %d %q", m, r.code, r.stderr)
		}
	}
	if export(t, st) != before {
		t.Fatal("a refused time log wrote")
	}
	// The bank is whole: 480 of 600 used, 121 more is refused.
	r := runOn(t, st, "", "time", "log", "--account", "contoso", "--minutes", "121", "--category", "cadence-call", "--as", "tina")
	if r.code != ExitRefused || r.stderr != "caseboard: bank exhausted: 2h00m left this month; the next package is TAM 20\n" {
		t.Errorf("after: exit %d %q", r.code, r.stderr)
	}
}

// TestImportHoldsTheRulesThroughTheCommandLine: `import -` refuses what
// the actions refuse (issue 21, item 9), exit 1, nothing written.
func TestImportHoldsTheRulesThroughTheCommandLine(t *testing.T) {
	entry := func(fields string) string {
		return `{"time_entries": [{"id": 50, "account": "contoso", "tam": "tina", "category": "cadence-call", ` + fields + `}]}`
	}
	newCase := func(fields string) string {
		return `{"cases": [{"account": "contoso", "severity": 2, "title": "x", "opened_at": "2026-11-19T10:00:00-05:00", ` + fields + `}]}`
	}
	for _, c := range []struct{ name, doc, want string }{
		{"MaxInt64 minutes", entry(`"date": "2026-11-18", "minutes": 9223372036854775807`),
			"time_entries[0].minutes: 9223372036854775807 is not 1 to 44640 minutes (31 days)"},
		{"over the month's bank", entry(`"date": "2026-11-18", "minutes": 121`),
			"time_entries[0].minutes: contoso's bank for 2026-11 is 10h00m (TAM 10): this entry takes it to 10h01m"},
		{"future date", entry(`"date": "2026-11-21", "minutes": 10`),
			"time_entries[0].date: 2026-11-21 is in the future (today is 2026-11-20)"},
		{"project over 8h", `{"time_entries": [{"id": 50, "account": "acme", "tam": "tina", "date": "2026-10-01", "minutes": 481, "category": "implementation-guidance", "project": "sso"}]}`,
			"time_entries[0].minutes: implementation guidance for sso would pass 8 hours: hand it to professional services"},
		{"wall owner", newCase(`"number": 2000, "status": "assigned", "owner": "wall"`),
			"cases[0].owner: wall is a wall: cases go to a specialist or a manager"},
		{"MaxInt64 case number", newCase(`"number": 9223372036854775807, "status": "new"`),
			"cases[0].number: 9223372036854775807 is not a case number (1 to 999999999999)"},
		{"year 1", newCase(`"number": 2000, "status": "new", "phoned_at": "0001-01-01T00:00:00Z"`),
			`cases[0].phoned_at: "0001-01-01T00:00:00Z" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 9999", entry(`"date": "9999-01-01", "minutes": 10`),
			`time_entries[0].date: "9999-01-01" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 10000", newCase(`"number": 2000, "status": "new", "replied_at": "10000-01-03T00:00:00Z"`),
			`cases[0].replied_at: "10000-01-03T00:00:00Z" is not an RFC 3339 time`},
		{"duplicate key", newCase(`"number": 2000, "status": "new", "owner": null, "owner": "sam"`),
			`line 1, column 154: cases[0]: field "owner" appears twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := deskStore(t)
			before := export(t, st)
			r := runOn(t, st, c.doc, "import", "-", "--as", "maria")
			if r.code != ExitRefused || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d\n%s\nwant %s", r.code, r.stderr, c.want)
			}
			if export(t, st) != before {
				t.Error("a refused import wrote")
			}
		})
	}
}

// TestImportedNumbersLeaveRoomAbove: after an import of a case numbered
// near the top of the range, case new hands out the next number above it.
func TestImportedNumbersLeaveRoomAbove(t *testing.T) {
	st := deskStore(t)
	doc := `{"cases": [{"number": 999999999998, "account": "contoso", "severity": 2, "title": "x", "status": "new", "opened_at": "2026-11-19T10:00:00-05:00"}]}`
	if r := runOn(t, st, doc, "import", "-", "--as", "maria"); r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	out := must(t, st, "case", "new", "--account", "contoso", "--severity", "2", "--title", "next", "--as", "maria")
	if out != "999999999999\n" {
		t.Errorf("case new after importing 999999999998 printed %q", out)
	}
}
