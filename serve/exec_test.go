package serve_test

import (
	"strings"
	"testing"

	"caseboard/cli"
)

// TestExecSameAsLocal runs DOMAIN.md's refusals (and a few successes) over
// SSH as the key's user and locally with --as on an identical store: the
// same stdout, stderr and exit status.
func TestExecSameAsLocal(t *testing.T) {
	d := setupDesk(t, nil)
	local := setupDesk(t, d.keys)
	sv := startServe(t, d, 16)
	cases := []struct {
		user string
		args []string
		code int
		want string // in stderr (or stdout when the code is 0)
	}{
		{"maria", []string{"case", "status", "1042", "waiting-customer"}, 1, "cannot move 00001042 from new to waiting-customer (allowed:"},
		{"sam", []string{"case", "close", "1044", "--reason", "resolved"}, 1, "sam may not close 00001044"},
		{"sam", []string{"case", "take", "1044"}, 1, "cannot take 00001044: owned by lee"},
		{"tina", []string{"time", "log", "--account", "contoso", "--minutes", "6000", "--category", "cadence-call"}, 1, "bank exhausted: "},
		{"maria", []string{"time", "log", "--account", "globex", "--minutes", "30", "--category", "cadence-call"}, 1, "cannot log time for globex: no TAM plan"},
		{"tina", []string{"case", "note", "1045", "from", "the", "TAM"}, 1, "tina may not"},
		{"tina", []string{"escalate", "1045", "--by", "Ana Ruiz", "--channel", "phone", "--justification", "x"}, 1, "tina"},
		{"sam", []string{"case", "take"}, 2, "accepts 1 arg"},
		{"eva", []string{"frobnicate"}, 2, "unknown command"},
		{"sam", []string{"case", "take", "1042"}, 0, "took 00001042"},
		{"sam", []string{"case", "take", "1042"}, 1, "cannot take 00001042: owned by sam"},
		{"maria", []string{"case", "note", "1043", "called", "back"}, 0, ""},
		{"lee", []string{"case", "note", "1044", "too", "late"}, 1, "cannot note 00001044"},
		{"maria", []string{"account", "list"}, 0, "contoso"},
		{"maria", []string{"user", "list"}, 0, "wall"},
		{"sam", []string{"export"}, 1, "sam may not"},
		{"maria", []string{"import", "-"}, 1, "already"},
	}
	for _, c := range cases {
		stdin := ""
		if c.args[0] == "import" {
			stdin = deskJSON(t)
		}
		got := sshRun(t, sv.Addr, d.keys[c.user], stdin, c.args...)
		want := run(t, &cli.Env{}, stdin, append([]string{"--data", local.dir, "--as", c.user}, c.args...)...)
		name := c.user + " " + strings.Join(c.args, " ")
		if got != want {
			t.Errorf("%s:\n over SSH %+v\n locally  %+v", name, got, want)
			continue
		}
		if got.code != c.code {
			t.Errorf("%s: exit %d, want %d (%+v)", name, got.code, c.code, got)
		}
		where := got.stderr
		if c.code == 0 {
			where = got.stdout
		}
		if !strings.Contains(where, c.want) {
			t.Errorf("%s: %q does not say %q", name, where, c.want)
		}
	}
}

// TestExecRemoteRules covers what only SSH callers get: --as and --now are
// refused, FILE must be "-", a TAM sees only their accounts.
func TestExecRemoteRules(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	for _, args := range [][]string{
		{"queue", "--as", "maria"},
		{"case", "take", "1042", "--as", "maria"},
		{"queue", "--now", "2026-11-20T16:30:00-05:00"},
	} {
		r := sshRun(t, sv.Addr, d.keys["sam"], "", args...)
		if r.code != 1 || !strings.Contains(r.stderr, "--as and --now are refused") || r.stdout != "" {
			t.Errorf("%v over SSH: %+v", args, r)
		}
	}
	if r := sshRun(t, sv.Addr, d.keys["maria"], "", "queue", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"owner": null`) {
		t.Errorf("queue --json over SSH: %+v", r)
	}
	// The TAM's queue holds only the accounts tina owns.
	r := sshRun(t, sv.Addr, d.keys["tina"], "", "queue", "--json")
	if r.code != 0 || strings.Contains(r.stdout, "globex") || !strings.Contains(r.stdout, "contoso") {
		t.Errorf("tina's queue over SSH: %+v", r)
	}
	// FILE arguments must be "-".
	for _, args := range [][]string{{"import", "/etc/hostname"}, {"backup", "/tmp/x.bak"}, {"restore", "/tmp/x.bak"}} {
		r := sshRun(t, sv.Addr, d.keys["maria"], "", args...)
		if r.code != 1 || !strings.Contains(r.stderr, "FILE must be -") {
			t.Errorf("%v over SSH: %+v", args, r)
		}
	}
	// backup - writes the backup to the session's stdout; restore - reads it.
	bak := sshRun(t, sv.Addr, d.keys["maria"], "", "backup", "-")
	if bak.code != 0 || len(bak.stdout) < 100 {
		t.Fatalf("backup - over SSH: exit %d, %d bytes, %s", bak.code, len(bak.stdout), bak.stderr)
	}
	// The same team's keys: a restore that dropped the restorer's own
	// key would end their session (their access was removed).
	fresh := setupDesk(t, d.keys)
	sv2 := startServe(t, fresh, 4)
	if r := sshRun(t, sv2.Addr, fresh.keys["maria"], bak.stdout, "restore", "-", "--force"); r.code != 0 {
		t.Errorf("restore - over SSH: %+v", r)
	}
	// A wall key gets only the board: every command is refused, reads too.
	for _, args := range [][]string{{"case", "take", "1042"}, {"case", "show", "1042"}, {"queue"}, {"export"}, {"version"}} {
		r := sshRun(t, sv.Addr, d.keys["wall"], "", args...)
		if r.code != 1 || r.stdout != "" || r.stderr != "caseboard: wall may not run commands: a wall key gets only the board\n" {
			t.Errorf("%v with the wall's key: %+v", args, r)
		}
	}
	// Commands without a terminal and without a command say what to do.
	if r := sshRun(t, sv.Addr, d.keys["sam"], ""); r.code != 1 || !strings.Contains(r.stderr, "terminal") {
		t.Errorf("no command, no terminal: %+v", r)
	}
}
