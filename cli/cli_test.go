package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// seenAt is INTERFACE.md's queue example instant: Friday 20 November 2026,
// 16:30 ET.
const seenAt = "2026-11-20T16:30:00-05:00"

func memStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// result is one run of the command tree.
type result struct {
	code           int
	stdout, stderr string
}

// runOn runs the tree in process over an injected store, stdin given.
func runOn(t *testing.T, st Backend, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{
		IO: IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
			Getenv: func(string) string { return "" }},
		Clock: func() time.Time { return time.Date(2026, 11, 20, 21, 30, 0, 0, time.UTC) },
		Store: st,
	}
	code := Run(env, args)
	return result{code, out.String(), errb.String()}
}

// must runs a command that must succeed.
func must(t *testing.T, st Backend, args ...string) string {
	t.Helper()
	r := runOn(t, st, "", args...)
	if r.code != 0 {
		t.Fatalf("caseboard %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func deskJSON(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "desk.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// deskStore is an in-memory store with testdata/desk.json imported.
func deskStore(t *testing.T) *store.Store {
	t.Helper()
	st := memStore(t)
	r := runOn(t, st, deskJSON(t), "import", "-", "--now", "2026-11-20T09:00:00-05:00")
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
	return st
}

func export(t *testing.T, st Backend) string {
	t.Helper()
	return must(t, st, "export")
}

func TestQueueJSONFieldsNullsAndOrder(t *testing.T) {
	st := deskStore(t)
	out := must(t, st, "queue", "--json", "--now", seenAt)
	var rows []json.RawMessage
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("queue --json: %v\n%s", err, out)
	}
	var numbers []int64
	byNumber := map[int64]string{}
	for _, r := range rows {
		var probe struct{ Number int64 }
		_ = json.Unmarshal(r, &probe)
		numbers = append(numbers, probe.Number)
		var buf bytes.Buffer
		_ = json.Compact(&buf, r)
		byNumber[probe.Number] = buf.String()
	}
	// Severity 1 call-required first, then severity 2 by due (EMEA's 16:00Z
	// before NA's 18:00 ET), then severity 3; the closed case is left out.
	if got, want := numbers, []int64{1043, 1045, 1042, 1044}; !equalInts(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	want := `{"number":1042,"severity":2,"account":"contoso","plan":"basic","region":"na","title":"Index rebuild stuck","status":"new","owner":null,"clock":"initial-response","due":"2026-11-20T18:00:00-05:00","remaining_seconds":5400,"working_seconds_left":5400,"breached":false,"paused":false,"resumes_at":null,"call_required":false,"escalated":false,"escalation":null}`
	if byNumber[1042] != want {
		t.Errorf("1042:\n got %s\nwant %s", byNumber[1042], want)
	}
	want = `{"number":1043,"severity":1,"account":"acme","plan":"premium","region":"na","title":"Search down","status":"new","owner":null,"clock":"initial-response","due":null,"remaining_seconds":null,"working_seconds_left":null,"breached":false,"paused":false,"resumes_at":null,"call_required":true,"escalated":false,"escalation":null}`
	if byNumber[1043] != want {
		t.Errorf("1043:\n got %s\nwant %s", byNumber[1043], want)
	}
	// Plus EMEA severity 2 (4 h) logged 12:00Z is due 16:00Z: breached
	// 5h30m before 21:30Z, so no working time, not paused, no resume.
	want = `{"number":1045,"severity":2,"account":"globex","plan":"plus","region":"emea","title":"Slow \u001b[31mindexing\u001b[0m","status":"assigned","owner":"eva","clock":"initial-response","due":"2026-11-20T16:00:00Z","remaining_seconds":-19800,"working_seconds_left":0,"breached":true,"paused":false,"resumes_at":null,"call_required":false,"escalated":false,"escalation":null}`
	if byNumber[1045] != want {
		t.Errorf("1045:\n got %s\nwant %s", byNumber[1045], want)
	}
	if !strings.Contains(byNumber[1044], `"clock":"auto-close","due":"2026-11-25T10:00:00-05:00"`) {
		t.Errorf("1044: %s", byNumber[1044])
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestQueueHumanIsInertAndFilters(t *testing.T) {
	st := deskStore(t)
	out := must(t, st, "queue", "--now", seenAt)
	if strings.Contains(out, "\x1b") {
		t.Errorf("queue printed an escape sequence:\n%q", out)
	}
	if !strings.Contains(out, "Slow ^[[31mindexing^[[0m") || !strings.Contains(out, "call required") {
		t.Errorf("queue:\n%s", out)
	}
	out = must(t, st, "queue", "--region", "emea", "--now", seenAt)
	if !strings.Contains(out, "00001045") || strings.Contains(out, "00001042") {
		t.Errorf("queue --region emea:\n%s", out)
	}
	out = must(t, st, "queue", "--owner", "lee", "--json", "--now", seenAt)
	if !strings.Contains(out, `"number": 1044`) || strings.Contains(out, `"number": 1042`) {
		t.Errorf("queue --owner lee:\n%s", out)
	}
	// A TAM sees only the accounts they own (with --as).
	out = must(t, st, "queue", "--as", "tina", "--json", "--now", seenAt)
	if strings.Contains(out, "globex") || !strings.Contains(out, "contoso") {
		t.Errorf("queue --as tina:\n%s", out)
	}
}

func TestReadsNeverWriteActsAutoCloseFirst(t *testing.T) {
	st := deskStore(t)
	late := "2026-12-01T12:00:00-05:00"
	before := export(t, st)
	for _, args := range [][]string{
		{"queue", "--now", late}, {"queue", "--json", "--now", late}, {"case", "show", "1044", "--now", late},
		{"case", "list", "--now", late}, {"timebank", "--account", "contoso", "--now", late},
		{"account", "show", "acme", "--now", late}, {"time", "list", "--account", "contoso"},
		{"user", "list"}, {"account", "list"}, {"export"}, {"time", "list", "--account", "acme", "--json"},
	} {
		must(t, st, args...)
	}
	out := must(t, st, "queue", "--json", "--now", late)
	if !strings.Contains(out, `"number": 1044`) {
		t.Errorf("queue no longer shows the due case:\n%s", out)
	}
	if after := export(t, st); after != before {
		t.Fatalf("a read command wrote to the store")
	}
	// An acting command first closes the due case, at its due instant.
	must(t, st, "case", "note", "1042", "still", "looking", "--as", "sam", "--now", late)
	out = must(t, st, "case", "list", "--json")
	var cases []model.CaseRecord
	if err := json.Unmarshal([]byte(out), &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Number != 1044 {
			continue
		}
		if c.Status != "closed" || deref(c.CloseReason) != "no-response" || deref(c.ClosedAt) != "2026-11-25T10:00:00-05:00" {
			t.Errorf("1044 after an acting command: %+v", c)
		}
	}
	out = must(t, st, "case", "show", "1044", "--json")
	if !strings.Contains(out, `"actor": "caseboard"`) || !strings.Contains(out, `"kind": "auto-closed"`) {
		t.Errorf("auto-close event missing:\n%s", out)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestRefusalExitsOneWithModelMessageAndWritesNothing(t *testing.T) {
	st := deskStore(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"case", "take", "1045", "--as", "sam"}, "cannot take 00001045: owned by eva"},
		{[]string{"case", "status", "1042", "waiting-customer", "--as", "maria"},
			"cannot move 00001042 from new to waiting-customer (allowed: assigned, closed as duplicate)"},
		{[]string{"case", "close", "1044", "--reason", "resolved", "--as", "sam"}, ""},
		{[]string{"case", "take", "0001042", "--as", "tina"}, ""},
		{[]string{"account", "add", "initech", "--name", "Initech", "--plan", "basic", "--region", "na", "--as", "sam"}, ""},
		{[]string{"case", "show", "99"}, "no case 00000099"},
		{[]string{"case", "take", "x12", "--as", "sam"}, `"x12" is not a case number`},
		{[]string{"escalation", "accept", "1042", "--every", "soon", "--as", "maria"}, ""},
		{[]string{"export", "--as", "sam"}, ""},
	} {
		before := export(t, st)
		r := runOn(t, st, "", tc.args...)
		if r.code != ExitRefused {
			t.Errorf("%v: exit %d, want 1 (stderr %q)", tc.args, r.code, r.stderr)
		}
		if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "caseboard: ") {
			t.Errorf("%v: stderr not one line: %q", tc.args, r.stderr)
		}
		if tc.msg != "" && r.stderr != "caseboard: "+tc.msg+"\n" {
			t.Errorf("%v: stderr %q, want %q", tc.args, r.stderr, "caseboard: "+tc.msg+"\n")
		}
		if after := export(t, st); after != before {
			t.Errorf("%v: refused but the store changed", tc.args)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	st := deskStore(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"queue", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"case", "new", "--account", "acme"}, `required flag(s) "severity", "title" not set`},
		{[]string{"case", "take"}, "accepts 1 arg(s)"},
		{[]string{"case", "take", "1042"}, "--as required (users: eva, lee, maria, sam, tina, wall)"},
		{[]string{"case", "new", "--account", "acme", "--severity", "2", "--title", "x"}, "--as required (users: eva, lee, maria, sam, tina, wall)"},
		{[]string{"escalation", "close", "1042", "--outcome", "fix"}, `required flag(s) "summary" not set`},
	} {
		r := runOn(t, st, "", tc.args...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tc.args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: stderr %q, want it to contain %q", tc.args, r.stderr, tc.msg)
		}
	}
}

func TestActorDefaults(t *testing.T) {
	st := memStore(t)
	// Bootstrap: the first user needs no actor.
	must(t, st, "user", "add", "maria", "--name", "Maria Chen", "--role", "manager", "--region", "na")
	// The only user acts without --as.
	must(t, st, "account", "add", "acme", "--name", "Acme", "--plan", "premium", "--region", "na")
	must(t, st, "user", "add", "sam", "--name", "Sam", "--role", "specialist", "--region", "na")
	// $CASEBOARD_USER names the actor.
	var out, errb bytes.Buffer
	env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "CASEBOARD_USER" {
				return "sam"
			}
			return ""
		}}, Clock: time.Now, Store: st}
	if code := Run(env, []string{"case", "new", "--account", "acme", "--severity", "3", "--title", "t"}); code != 0 {
		t.Fatalf("with CASEBOARD_USER: exit %d: %s", code, errb.String())
	}
	if strings.TrimSpace(out.String()) != "00000001" {
		t.Errorf("case new printed %q", out.String())
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	a := deskStore(t)
	must(t, a, "case", "take", "1042", "--as", "sam", "--now", seenAt)
	doc := export(t, a)
	b := memStore(t)
	if r := runOn(t, b, doc, "import", "-"); r.code != 0 {
		t.Fatalf("import into an empty store: exit %d: %s", r.code, r.stderr)
	}
	if again := export(t, b); again != doc {
		t.Errorf("export, import, export differ")
	}
	// From a file, too.
	path := filepath.Join(t.TempDir(), "desk.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c := memStore(t)
	must(t, c, "import", path)
	if again := export(t, c); again != doc {
		t.Errorf("import FILE then export differ")
	}
	// A second import of the same records is refused, nothing written.
	r := runOn(t, c, "", "import", path, "--as", "maria")
	if r.code != ExitRefused {
		t.Errorf("duplicate import: exit %d", r.code)
	}
}

func TestTimebankJSON(t *testing.T) {
	st := deskStore(t)
	out := must(t, st, "timebank", "--account", "contoso", "--json", "--now", seenAt)
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(out)); err != nil {
		t.Fatal(err)
	}
	// 480 of 600 minutes in 19d17h30m: the pace reaches the bank on 25 Nov.
	want := `{"account":"contoso","plan":"tam10","month":"2026-11","bank_minutes":600,"used_minutes":480,"remaining_minutes":120,"refills_at":"2026-12-01T00:00:00-05:00","projected_exhaustion":"2026-11-25"}`
	if buf.String() != want {
		t.Errorf("timebank --json:\n got %s\nwant %s", buf.String(), want)
	}
	out = must(t, st, "timebank", "--account", "acme", "--json", "--now", seenAt)
	if !strings.Contains(out, `"projected_exhaustion": null`) || !strings.Contains(out, `"bank_minutes": 3000`) {
		t.Errorf("acme timebank:\n%s", out)
	}
}

func TestCSVExportImport(t *testing.T) {
	a := deskStore(t)
	cases := must(t, a, "export", "--format", "csv")
	entries := must(t, a, "export", "--format", "csv", "--records", "time-entries")
	if !strings.HasPrefix(cases, "number,") || !strings.HasPrefix(entries, "id,") {
		t.Fatalf("csv headers:\n%s\n%s", cases, entries)
	}
	// A store with the same accounts and users takes both files back.
	var doc model.Document
	if err := json.Unmarshal([]byte(deskJSON(t)), &doc); err != nil {
		t.Fatal(err)
	}
	doc.Cases, doc.TimeEntries = nil, nil
	head, err := model.MarshalDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	b := memStore(t)
	if r := runOn(t, b, string(head), "import", "-"); r.code != 0 {
		t.Fatalf("import accounts and users: %s", r.stderr)
	}
	if r := runOn(t, b, cases, "import", "-", "--as", "maria"); r.code != 0 {
		t.Fatalf("import cases CSV from stdin: %s", r.stderr)
	}
	path := filepath.Join(t.TempDir(), "time.csv")
	if err := os.WriteFile(path, []byte(entries), 0o600); err != nil {
		t.Fatal(err)
	}
	must(t, b, "import", path, "--as", "maria")
	if got := must(t, b, "export", "--format", "csv"); got != cases {
		t.Errorf("cases CSV round trip:\n%s\nwant\n%s", got, cases)
	}
	if got := must(t, b, "export", "--format", "csv", "--records", "time-entries"); got != entries {
		t.Errorf("time entries CSV round trip:\n%s\nwant\n%s", got, entries)
	}
	// A specialist may not import.
	r := runOn(t, b, cases, "import", "-", "--as", "sam")
	if r.code != ExitRefused || r.stderr != "caseboard: sam may not import standard input: only managers may\n" {
		t.Errorf("import as sam: exit %d %q", r.code, r.stderr)
	}
}
