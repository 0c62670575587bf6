package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// TestEveryCommandHappyPath walks a case, an escalation, the time bank,
// accounts and users through every acting and reading command.
func TestEveryCommandHappyPath(t *testing.T) {
	st := deskStore(t)
	now := "--now=" + seenAt
	sam, maria := "--as=sam", "--as=maria"

	if out := must(t, st, "case", "new", "--account", "contoso", "--severity", "2", "--title", "Crawler stalls",
		"--contact", "Carl Diaz", sam, now); out != "00001047\n" {
		t.Fatalf("case new printed %q, want the new number above every imported one", out)
	}
	steps := [][]string{
		{"case", "take", "1047", sam, now},
		{"case", "call", "00001047", sam, now},
		{"case", "respond", "1047", sam, now},
		{"case", "note", "1047", "asked", "for", "logs", sam, now},
		{"case", "status", "1047", "waiting-customer", sam, now},
		{"case", "followup", "1047", sam, now},
		{"case", "followup", "1047", sam, now},
		{"case", "reply", "1047", sam, now},
		{"case", "severity", "1047", "--to", "3", "--agreed-by", "Carl Diaz", sam, now},
		{"case", "close", "1047", "--reason", "resolved", sam, now},
		{"case", "reopen", "1047", sam, now},
		{"case", "assign", "1047", "--to", "lee", maria, now},
		{"case", "new", "--account", "contoso", "--severity", "4", "--title", "Dup", sam, now},
		{"case", "close", "1048", "--reason", "duplicate", "--of", "1047", maria, now},
	}
	for _, args := range steps {
		out := must(t, st, args...)
		if strings.TrimSpace(out) == "" {
			t.Errorf("%v printed nothing", args)
		}
	}
	out := must(t, st, "case", "show", "1047", now)
	for _, want := range []string{"Case 00001047  Crawler stalls", "owner", "lee", "Clocks", "initial-response",
		"History", "reopened", "assigned", "3 Minor service impact"} {
		if !strings.Contains(out, want) {
			t.Errorf("case show lacks %q:\n%s", want, out)
		}
	}
	out = must(t, st, "case", "list", "--open", "--account", "contoso")
	if !strings.Contains(out, "00001047") || strings.Contains(out, "00001046") {
		t.Errorf("case list --open --account contoso:\n%s", out)
	}

	// Escalations, once the cases have had their time.
	later := "--now=2026-11-24T12:00:00-05:00"
	for _, args := range [][]string{
		{"escalate", "1042", "--by", "contact:Carl Diaz", "--channel", "phone", "--justification", "Go-live Friday", sam, later},
		{"escalation", "followup", "1042", maria, later},
		{"escalation", "accept", "1042", "--every", "4h", maria, later},
		{"escalation", "update", "1042", "--summary", "patch in QA", maria, later},
	} {
		must(t, st, args...)
	}
	out = must(t, st, "case", "show", "1042", later)
	for _, want := range []string{"Escalation 1: accepted", "1. Request", "2. Identification", "3. Resolution cycle",
		"4. Closure", "[x] need identified", "[ ] final summary sent", "escalation-update", "patch in QA"} {
		if !strings.Contains(out, want) {
			t.Errorf("case show 1042 lacks %q:\n%s", want, out)
		}
	}
	out = must(t, st, "queue", "--json", later)
	if !strings.Contains(out, `"escalated": true`) || !strings.Contains(out, `"escalation": "accepted"`) {
		t.Errorf("queue does not flag the escalation:\n%s", out)
	}
	must(t, st, "escalation", "close", "1042", "--outcome", "fix", "--summary", "hotfix deployed", maria, later)
	evening := "--now=2026-11-24T17:00:00-05:00"
	for _, args := range [][]string{
		{"escalate", "1045", "--by", "eva", "--channel", "portal", "--justification", "board meeting", "--as=eva", evening},
		{"escalation", "decline", "1045", "--reason", "a workaround is in place", maria, evening},
		{"escalate", "1045", "--by", "customer-admin:Gil", "--channel", "phone", "--justification", "again", "--as=eva", evening},
		{"escalation", "accept", "1045", "--every", "1h30m", maria, evening},
		{"escalation", "deescalate", "1045", "--reason", "no test system", maria, evening},
	} {
		must(t, st, args...)
	}

	// Time bank.
	if out := must(t, st, "time", "log", "--account", "acme", "--minutes", "1h30m", "--category", "cadence-call",
		"--as=tina", now); !strings.Contains(out, "1h30m") && !strings.Contains(out, "90") {
		t.Errorf("time log printed %q", out)
	}
	must(t, st, "time", "log", "--account", "acme", "--minutes", "45", "--category", "implementation-guidance",
		"--project", "sso", "--case", "1043", "--date", "2026-11-19", "--note", "SSO setup", maria, now)
	out = must(t, st, "time", "list", "--account", "acme", "--month", "2026-11")
	if !strings.Contains(out, "1h30m") || !strings.Contains(out, "SSO setup") {
		t.Errorf("time list:\n%s", out)
	}
	must(t, st, "time", "void", "4", "--reason", "logged twice", maria, now)
	out = must(t, st, "timebank", "--account", "acme", now)
	if !strings.Contains(out, "0h45m") {
		t.Errorf("timebank after the void:\n%s", out)
	}

	// Accounts and users.
	zoeA, zoeAFP := testKey("zoe-a")
	zoeB, _ := testKey("zoe-b")
	for _, args := range [][]string{
		{"account", "add", "initech", "--name", "Initech", "--plan", "basic", "--region", "na", maria},
		{"account", "set", "initech", "--tam-plan", "tam20", "--tam", "tina", maria},
		{"account", "contact", "initech", "--name", "Bob Slydell", "--kind", "developer", "--email", "bob@initech.example", maria},
		{"user", "add", "zoe", "--name", "Zoe Kim", "--role", "specialist", "--region", "emea", "--key", zoeA + " zoe@a", maria},
		{"user", "key", "zoe", zoeB + " zoe@b", maria},
	} {
		must(t, st, args...)
	}
	out = must(t, st, "account", "show", "initech")
	for _, want := range []string{"Initech", "tam20", "tina", "Bob Slydell", "developer"} {
		if !strings.Contains(out, want) {
			t.Errorf("account show lacks %q:\n%s", want, out)
		}
	}
	if out := must(t, st, "account", "list"); !strings.Contains(out, "initech") || !strings.Contains(out, "globex") {
		t.Errorf("account list:\n%s", out)
	}
	if out := must(t, st, "user", "list"); !strings.Contains(out, "Zoe Kim") {
		t.Errorf("user list:\n%s", out)
	}
	if out := must(t, st, "user", "show", "zoe"); !strings.Contains(out, zoeAFP+"  ssh-ed25519  zoe@a") {
		t.Errorf("user show:\n%s", out)
	}
	must(t, st, "user", "key", "zoe", "--remove", zoeAFP, maria)
	must(t, st, "user", "remove", "zoe", maria)
	if out := must(t, st, "user", "list", "--json"); strings.Contains(out, "zoe") {
		t.Errorf("user remove left zoe:\n%s", out)
	}
	if out := must(t, st, "version"); !strings.HasPrefix(out, "caseboard ") {
		t.Errorf("version: %q", out)
	}
	if out := must(t, st, "export", "--format", "csv", "--records", "time-entries"); !strings.Contains(out, "cadence-call") {
		t.Errorf("export csv:\n%s", out)
	}
}

// TestBackupRestore runs on --data directories (the store opened by Run).
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	file := filepath.Join(dir, "desk.bak")
	r := runOn(t, nil, deskJSON(t), "--data", src, "import", "-")
	if r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	must(t, nil, "--data", src, "backup", file)
	must(t, nil, "--data", dst, "restore", file)
	if a, b := must(t, nil, "--data", src, "export"), must(t, nil, "--data", dst, "export"); a != b {
		t.Errorf("restored store differs")
	}
	// Restoring over a store that holds data needs --force.
	r = runOn(t, nil, "", "--data", dst, "restore", file, "--as", "maria")
	if r.code != ExitRefused {
		t.Errorf("restore over data without --force: exit %d %s", r.code, r.stderr)
	}
	must(t, nil, "--data", dst, "restore", file, "--force", "--as", "maria")
}

func TestNoBoardWithoutATerminal(t *testing.T) {
	for _, args := range [][]string{nil, {"--demo"}} {
		r := runOn(t, nil, "", args...)
		if r.code != 1 || !strings.Contains(r.stderr, "the board needs a terminal of its own") {
			t.Errorf("%v: exit %d %q", args, r.code, r.stderr)
		}
	}
}

func TestEveryCommandHasAnExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Example == "" && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("%s has no example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(&Env{}))
}

func TestBoardHook(t *testing.T) {
	var got []BoardFlags
	var out bytes.Buffer
	env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }},
		Clock: time.Now, Board: func(env *Env, f BoardFlags) error {
			got = append(got, f)
			return nil
		}}
	if code := Run(env, []string{"--wall", "--titles", "--rotate", "30s"}); code != 0 || len(got) != 1 ||
		got[0] != (BoardFlags{Wall: true, Titles: true, Rotate: 30 * time.Second}) {
		t.Errorf("board hook: exit %d, got %+v (%s)", code, got, out.String())
	}
	if code := Run(env, []string{"--rotate", "0s"}); code != 1 {
		t.Errorf("--rotate 0s: exit %d, want 1", code)
	}
}

// TestBoardQuiet: --quiet and CASEBOARD_QUIET=1 turn the board's bell
// off; without either it rings.
func TestBoardQuiet(t *testing.T) {
	for _, c := range []struct {
		args  []string
		env   string
		quiet bool
	}{{nil, "", false}, {[]string{"--quiet"}, "", true}, {nil, "1", true}, {nil, "0", false}} {
		var got []BoardFlags
		var out bytes.Buffer
		env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(k string) string {
			if k == "CASEBOARD_QUIET" {
				return c.env
			}
			return ""
		}}, Clock: time.Now, Board: func(env *Env, f BoardFlags) error {
			got = append(got, f)
			return nil
		}}
		if code := Run(env, c.args); code != 0 || len(got) != 1 || got[0].Quiet != c.quiet {
			t.Errorf("%q with CASEBOARD_QUIET=%q: exit %d, got %+v, want quiet %v (%s)", c.args, c.env, code, got, c.quiet, out.String())
		}
	}
}

// TestRemoteCaller is how SSH will run the tree: the key's user acts,
// --as and --now are refused, FILE must be -.
func TestRemoteCaller(t *testing.T) {
	st := deskStore(t)
	remote := func(user string, args ...string) result {
		var out, errb bytes.Buffer
		env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }},
			Clock: func() time.Time { return time.Date(2026, 11, 20, 21, 30, 0, 0, time.UTC) }, Store: st, Remote: true, User: user}
		return result{Run(env, args), out.String(), errb.String()}
	}
	if r := remote("sam", "case", "take", "1042"); r.code != 0 || r.stdout != "took 00001042\n" {
		t.Errorf("remote take: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := remote("sam", "case", "note", "1042", "x", "--as", "maria"); r.code != 1 {
		t.Errorf("remote --as: exit %d", r.code)
	}
	if r := remote("maria", "import", "desk.json"); r.code != 1 || !strings.Contains(r.stderr, "FILE must be -") {
		t.Errorf("remote import FILE: exit %d %q", r.code, r.stderr)
	}
	if r := remote("tina", "queue", "--json"); r.code != 0 || strings.Contains(r.stdout, "globex") {
		t.Errorf("remote tina queue: exit %d\n%s", r.code, r.stdout)
	}
}

// TestServeRefusesInsideABoard: the board's `:` prompt (and SSH, and a
// forwarded command) runs with the store already open; `serve` there would
// wait on the very store its own process holds.
func TestServeRefusesInsideABoard(t *testing.T) {
	r := runOn(t, deskStore(t), "", "serve", "--listen", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "serve runs on its own") {
		t.Errorf("serve inside a board: exit %d %q", r.code, r.stderr)
	}
}

// TestCloseDuplicateNeedsOf: --of goes with --reason duplicate and only
// with it; either mistake is a usage error (exit 2), checked before any
// rule, and writes nothing.
func TestCloseDuplicateNeedsOf(t *testing.T) {
	st := deskStore(t)
	for _, args := range [][]string{
		{"case", "close", "1042", "--reason", "duplicate", "--as", "maria"},
		{"case", "close", "1042", "--reason", "resolved", "--of", "1043", "--as", "maria"},
	} {
		if r := runOn(t, st, "", args...); r.code != 2 || !strings.Contains(r.stderr, "--of") {
			t.Errorf("%v: exit %d %q, want 2 naming --of", args, r.code, r.stderr)
		}
	}
}

// TestSSHTarget: how the board and serve tell people to connect.
func TestSSHTarget(t *testing.T) {
	for addr, want := range map[string][2]string{
		"127.0.0.1:23234": {"23234", "127.0.0.1"}, "0.0.0.0:2222": {"2222", "localhost"},
		"[::]:23234": {"23234", "localhost"}, ":23234": {"23234", "localhost"}, "[::1]:40": {"40", "::1"},
		"desk.example:23234": {"23234", "desk.example"},
	} {
		if port, host := sshTarget(addr); port != want[0] || host != want[1] {
			t.Errorf("sshTarget(%q) = %s %s, want %s %s", addr, port, host, want[0], want[1])
		}
	}
}
