package cli

import (
	"strings"
	"testing"
)

// TestMistypedCommandSuggests: a mistyped command says what was meant
// (cobra's suggestions), exits 2, and the hint names the --help of the
// command where the line went wrong.
func TestMistypedCommandSuggests(t *testing.T) {
	st := memStore(t)
	for _, c := range []struct {
		args       []string
		line, hint string
	}{
		{[]string{"queu"}, `caseboard: unknown command "queu" for "caseboard": did you mean queue?`, "Run 'caseboard --help' for usage."},
		{[]string{"case", "notte"}, `caseboard: unknown command "notte" for "caseboard case": did you mean note?`, "Run 'caseboard case --help' for usage."},
		{[]string{"report", "daly"}, `caseboard: unknown command "daly" for "caseboard report": did you mean daily?`, "Run 'caseboard report --help' for usage."},
		{[]string{"zzzzzz"}, `caseboard: unknown command "zzzzzz" for "caseboard"`, "Run 'caseboard --help' for usage."},
	} {
		r := runOn(t, st, "", c.args...)
		if r.code != 2 || r.stdout != "" || r.stderr != c.line+"\n"+c.hint+"\n" {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 with %q then %q", c.args, r.code, r.stderr, c.line, c.hint)
		}
	}
}

// TestUsageHintNamesSubcommand: a usage error of a subcommand points at
// that subcommand's --help, not the root's.
func TestUsageHintNamesSubcommand(t *testing.T) {
	st := memStore(t)
	for _, args := range [][]string{{"case", "note"}, {"case", "note", "1", "x", "--bogus"}} {
		r := runOn(t, st, "", args...)
		if r.code != 2 || !strings.HasSuffix(r.stderr, "\nRun 'caseboard case note --help' for usage.\n") {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	r := runOn(t, st, "", "report", "daily")
	if r.code != 2 || !strings.HasSuffix(r.stderr, "\nRun 'caseboard report daily --help' for usage.\n") {
		t.Errorf("report daily: exit %d, stderr %q", r.code, r.stderr)
	}
}
