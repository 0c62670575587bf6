package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// runReport runs the command tree through Run, as the command line does.
func runReport(t *testing.T, st Backend, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{
		IO:    IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }},
		Clock: func() time.Time { return time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC) }, // Mon 7 Dec 12:00 ET
		Store: st,
	}
	return result{Run(env, args), out.String(), errb.String()}
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := model.ParseInstant(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// reportStore holds a small desk: acme (NA, premium, TAM 20, tina) and
// umbrella (EMEA, plus, no TAM plan, no TAM).
//
//	1 acme sev 2 premium (2h): Mon 16 Nov 10:00 ET, answered 11:00: met (60 min)
//	2 acme sev 3 premium (6h): Tue 17 Nov 09:00 ET, due 15:00, answered 16:00: breached by 60
//	3 umbrella sev 2 plus (4h): Wed 18 Nov 12:00Z, due 16:00Z, answered 15:00Z: met (180 min)
//
// Time entries of acme: 30 Nov 90 min cadence call, 1 Dec 45 min with a
// formula note, 3 Dec 30 min voided.
func reportStore(t *testing.T) Backend {
	t.Helper()
	p := model.DefaultPolicy()
	d := model.NewDesk()
	d.Users["maria"] = &model.User{ID: "maria", Name: "Maria Chen", Role: model.Manager, Region: model.NA}
	d.Users["tina"] = &model.User{ID: "tina", Name: "Tina Okafor", Role: model.TAM, Region: model.NA}
	d.Accounts["acme"] = &model.Account{ID: "acme", Name: "Acme | Corp", Plan: model.Premium, Region: model.NA, TAMPlan: "tam20", TAM: "tina"}
	d.Accounts["umbrella"] = &model.Account{ID: "umbrella", Name: "Umbrella", Plan: model.Plus, Region: model.EMEA, TAMPlan: model.TAMNone}
	kase := func(n int64, acct string, sev int, plan model.Plan, region model.Region, opened, responded string) {
		d.Cases[n] = &model.Case{Number: n, Account: acct, Severity: sev, Title: "case", Status: model.StatusInProgress,
			Plan: plan, Region: region, OpenedAt: instant(t, opened), RespondedAt: instant(t, responded), Owner: "maria"}
	}
	kase(1, "acme", 2, model.Premium, model.NA, "2026-11-16T10:00:00-05:00", "2026-11-16T11:00:00-05:00")
	kase(2, "acme", 3, model.Premium, model.NA, "2026-11-17T09:00:00-05:00", "2026-11-17T16:00:00-05:00")
	kase(3, "umbrella", 2, model.Plus, model.EMEA, "2026-11-18T12:00:00Z", "2026-11-18T15:00:00Z")
	entry := func(id int64, day string, min int, cat, note string) *model.TimeEntry {
		dt, _ := model.ParseDate(day)
		e := &model.TimeEntry{ID: id, Account: "acme", TAM: "tina", Date: dt, Minutes: min, Category: cat,
			Mode: model.ModeConsultative, Note: note}
		d.TimeEntries[id] = e
		return e
	}
	entry(1, "2026-11-30", 90, "cadence-call", "weekly call")
	entry(2, "2026-12-01", 45, "metrics-reporting", "=HYPERLINK(\"http://evil.example\")")
	v := entry(3, "2026-12-03", 30, "connectivity", "wrong account")
	v.VoidedAt, v.VoidReason = instant(t, "2026-12-03T12:00:00-05:00"), "wrong account"
	b, err := model.MarshalDocument(d.Document(p))
	if err != nil {
		t.Fatal(err)
	}
	st := memStore(t)
	if r := runOn(t, st, string(b), "import", "-", "--now", "2026-12-07T09:00:00-05:00"); r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
	return st
}

func TestReportSLA(t *testing.T) {
	st := reportStore(t)
	r := runReport(t, st, "report", "sla", "--from", "2026-11-16", "--to", "2026-11-20")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"| **All** | 3 | 2 | 1 | 66.7% |", "| Severity 3 | 1 | 0 | 1 | 0.0% |",
		"| 00000002 | acme | 3 | Premium | na | Tue 17 Nov 15:00 ET | Tue 17 Nov 16:00 ET | 1h00m |",
		"| Working time | 3 | 3h00m | 7h00m |"} { // 60 180 420: ranks 2 and 3 {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runReport(t, st, "report", "sla", "--from", "2026-11-16", "--to", "2026-11-20", "--region", "emea", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"attainment_percent": 100`) || !strings.Contains(r.stdout, `"region": "emea"`) {
		t.Errorf("json (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runReport(t, st, "report", "sla", "--from", "2026-11-16", "--to", "2026-11-20", "--account", "acme", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[2], "2,acme,3,premium,na,") || !strings.Contains(lines[2], ",breached,") {
		t.Errorf("csv (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The TAM sees her accounts only: acme's two cases.
	r = runReport(t, st, "report", "sla", "--from", "2026-11-16", "--to", "2026-11-20", "--as", "tina")
	if r.code != 0 || !strings.Contains(r.stdout, "| **All** | 2 | 1 | 1 | 50.0% |") {
		t.Errorf("as tina (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runReport(t, st, "report", "sla", "--from", "2026-11-16", "--to", "2026-11-20", "--account", "umbrella", "--as", "tina"); r.code != 1 {
		t.Errorf("tina reads umbrella: exit %d", r.code)
	}
}

func TestReportSLAEmptyRangeSaysSo(t *testing.T) {
	st := reportStore(t)
	const msg = "no initial responses were due from 2026-10-01 to 2026-10-31"
	r := runReport(t, st, "report", "sla", "--from", "2026-10-01", "--to", "2026-10-31")
	if r.code != 0 || !strings.Contains(r.stdout, "No initial responses were due from 2026-10-01 to 2026-10-31.") {
		t.Errorf("markdown (exit %d):\n%s", r.code, r.stdout)
	}
	r = runReport(t, st, "report", "sla", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || strings.TrimSpace(r.stderr) != msg {
		t.Errorf("csv (exit %d): stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestReportWeeklyAndHours(t *testing.T) {
	st := reportStore(t)
	// --now is Mon 7 Dec: the default week is 2026-W50, which has nothing.
	r := runReport(t, st, "report", "weekly", "--account", "acme")
	if r.code != 0 || !strings.Contains(r.stdout, "2026-W50") || !strings.Contains(r.stdout, "No time was logged") {
		t.Errorf("default week (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	// 2026-W49 (30 Nov - 6 Dec) ends in December: December to date is
	// 45 min (30 Nov is November's; the 30 min of 3 Dec are voided).
	r = runReport(t, st, "report", "weekly", "--account", "acme", "--week", "2026-W49")
	for _, want := range []string{"# Weekly update: Acme \\| Corp, 2026-W49", "| 20h00m | 0h45m | 19h15m |",
		"| **Total** | **2h15m** |", "## Voided entries (not counted)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("weekly lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runReport(t, st, "report", "hours", "--account", "acme", "--from", "2026-11-01", "--to", "2026-12-31", "--format", "csv")
	want := `id,account,tam,date,minutes,category,mode,case,project,note,voided_at,void_reason
1,acme,tina,2026-11-30,90,cadence-call,consultative,,,weekly call,,
2,acme,tina,2026-12-01,45,metrics-reporting,consultative,,,"'=HYPERLINK(""http://evil.example"")",,
3,acme,tina,2026-12-03,30,connectivity,consultative,,,wrong account,2026-12-03T12:00:00-05:00,wrong account
`
	if r.code != 0 || r.stdout != want {
		t.Errorf("hours csv (exit %d):\n%s\nwant\n%s%s", r.code, r.stdout, want, r.stderr)
	}
}

func TestReportUsageAndBadValues(t *testing.T) {
	st := reportStore(t)
	for _, c := range []struct {
		code int
		args []string
		msg  string
	}{
		{2, []string{"report"}, "subcommand is required"},
		{2, []string{"report", "sla", "--to", "2026-11-30"}, "required flag"},
		{2, []string{"report", "weekly"}, "required flag"},
		{2, []string{"report", "hours", "--account", "acme", "--from", "2026-11-01"}, "required flag"},
		{2, []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--bogus"}, "unknown flag"},
		{1, []string{"report", "sla", "--from", "2026-11-31", "--to", "2026-11-30"}, `--from: "2026-11-31" is not a date YYYY-MM-DD`},
		{1, []string{"report", "sla", "--from", "2026-11-30", "--to", "2026-11-01"}, "--from 2026-11-30 is after --to 2026-11-01"},
		{1, []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--region", "apac"}, `--region "apac": must be one of emea, na`},
		{1, []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx"}, `--format "xlsx": must be md|csv|json`},
		{1, []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--account", "nobody"}, "no account nobody"},
		{1, []string{"report", "weekly", "--account", "acme", "--week", "2026-W54"}, "--week: \"2026-W54\": 2026 has no week 54"},
		{1, []string{"report", "weekly", "--account", "acme", "--week", "49"}, "not an ISO week"},
		{1, []string{"report", "weekly", "--account", "acme", "--json"}, "--json: this report is written as md|csv"},
		{1, []string{"report", "hours", "--account", "nobody", "--from", "2026-11-01", "--to", "2026-11-30"}, "no account nobody"},
		{1, []string{"report", "hours", "--account", "acme", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"}, `--format "json": must be md|csv`},
	} {
		r := runReport(t, st, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d with %q", strings.Join(c.args, " "), r.code, r.stderr, r.stdout, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: more than one line: %q", strings.Join(c.args, " "), r.stderr)
		}
	}
}
