package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// dailyStore is reportStore (Mon 7 Dec 12:00 ET) with a day's work on
// acme: a hostile note on case 1 at 10:00 and a case opened at 10:30 with
// a hostile title; and sam, a specialist.
func dailyStore(t *testing.T) Backend {
	t.Helper()
	st := reportStore(t)
	for _, args := range [][]string{
		{"user", "add", "sam", "--name", "Sam Lee", "--role", "specialist", "--region", "na", "--as", "maria", "--now", "2026-12-07T09:30:00-05:00"},
		{"case", "note", "1", "=cmd|' /C calc'!A0 \x1b[2J", "--as", "maria", "--now", "2026-12-07T10:00:00-05:00"},
		{"case", "new", "--account", "acme", "--severity", "2", "--title", "=SUM(A1) | \x1b[31mred", "--as", "maria", "--now", "2026-12-07T10:30:00-05:00"},
	} {
		if r := runOn(t, st, "", args...); r.code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	return st
}

func TestReportDaily(t *testing.T) {
	st := dailyStore(t)
	r := runReport(t, st, "report", "daily", "--account", "acme")
	for _, want := range []string{"# Daily report: Acme \\| Corp, Mon 7 Dec 2026",
		"Open cases as of Mon 7 Dec 12:00 ET; changes since the end of Fri 4 Dec 2026 (ET).",
		"| 00000004 | 2 | new | unassigned | initial-response, 30m left | Mon 7 Dec 12:30 ET |  | =SUM(A1) \\| ^[[31mred |",
		"  - Mon 7 Dec 09:00 ET: imported by caseboard\n  - Mon 7 Dec 10:00 ET: note by maria\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 0 || strings.ContainsRune(r.stdout, '\x1b') || strings.Contains(r.stdout, "calc") {
		t.Errorf("markdown (exit %d): an escape or the note's text reached it:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runReport(t, st, "report", "daily", "--account", "acme", "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "\n4,2,new,,'=SUM(A1) | ^[[31mred,initial-response,2026-12-07T12:30:00-05:00,1800,false,false,,false,,,") ||
		strings.ContainsRune(r.stdout, '\x1b') {
		t.Errorf("csv (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"--format", "json"}, {"--json"}} {
		r = runReport(t, st, append([]string{"report", "daily", "--account", "acme", "--date", "2026-12-07"}, args...)...)
		var doc struct {
			Date  string `json:"date"`
			Cases []struct {
				Number  int64  `json:"number"`
				Title   string `json:"title"`
				Changes []struct {
					By, Kind, Text string
				} `json:"changes"`
			} `json:"cases"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 || doc.Date != "2026-12-07" || len(doc.Cases) != 3 {
			t.Fatalf("%v (exit %d, %v):\n%s%s", args, r.code, err, r.stdout, r.stderr)
		}
		for _, c := range doc.Cases {
			if c.Number == 1 && (len(c.Changes) != 2 || c.Changes[1].Text != "note by maria" || c.Changes[1].Kind != "noted") {
				t.Errorf("%v: case 1 changes %+v", args, c.Changes)
			}
		}
	}
	// The last business day before the work (imported on the 7th as it
	// stands): no change, and not yet case 4.
	r = runReport(t, st, "report", "daily", "--account", "acme", "--date", "2026-12-04")
	if r.code != 0 || !strings.Contains(r.stdout, "- 00000002 case: no change\n") || strings.Contains(r.stdout, "note by") ||
		strings.Contains(r.stdout, "00000004") {
		t.Errorf("4 Dec (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestReportDailyPermissions(t *testing.T) {
	st := dailyStore(t)
	for _, c := range []struct {
		as, account string
		code        int
	}{{"tina", "acme", 0}, {"tina", "umbrella", 1}, {"maria", "umbrella", 0}, {"sam", "acme", 0}, {"sam", "umbrella", 0}} {
		r := runReport(t, st, "report", "daily", "--account", c.account, "--as", c.as)
		if r.code != c.code {
			t.Errorf("%s on %s: exit %d, want %d: %s", c.as, c.account, r.code, c.code, r.stderr)
		}
		if c.code == 1 && (!strings.HasSuffix(strings.TrimSpace(r.stderr), "no account umbrella") || r.stdout != "") {
			t.Errorf("%s on %s: stderr %q stdout %q", c.as, c.account, r.stderr, r.stdout)
		}
	}
}

func TestReportDailyBadValues(t *testing.T) {
	st := dailyStore(t)
	for _, c := range []struct {
		code int
		args []string
		msg  string
	}{
		{2, []string{"report", "daily"}, "required flag"},
		{2, []string{"report", "daily", "--account", "acme", "--bogus"}, "unknown flag"},
		{1, []string{"report", "daily", "--account", "acme", "--date", "2026-12-32"}, `--date: "2026-12-32" is not a date YYYY-MM-DD`},
		{1, []string{"report", "daily", "--account", "acme", "--date", "7 Dec"}, `--date: "7 Dec" is not a date YYYY-MM-DD`},
		{1, []string{"report", "daily", "--account", "acme", "--date", "2026-12-08"}, "--date 2026-12-08 is after today (2026-12-07)"},
		{1, []string{"report", "daily", "--account", "acme", "--format", "xlsx"}, `--format "xlsx": must be md|csv|json`},
		{1, []string{"report", "daily", "--account", "no\x1b[2Jbody"}, "no account no^[[2Jbody"},
	} {
		r := runReport(t, st, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit %d with %q", c.args, r.code, r.stderr, r.stdout, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%q: more than one line: %q", c.args, r.stderr)
		}
	}
}
