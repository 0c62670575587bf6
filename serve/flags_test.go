package serve_test

import (
	"os"
	"path/filepath"
	"testing"
)

const storeFlagRefusal = "caseboard: over SSH, --data and --policy are refused: serve works on its own store, under its own policy\n"

// TestStoreFlagsRefusedOverSSH: --data and --policy, in every spelling and
// place (--data X, --data=X, before and after the subcommand, on reads and
// on actions), are refused over SSH with one line, exit 1, nothing on
// stdout, the store unchanged and the named directory not created: they
// used to be ignored without a word (serve works on its own store).
func TestStoreFlagsRefusedOverSSH(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := settle(t, sv.Addr, d)
	other := filepath.Join(t.TempDir(), "other")
	pol := filepath.Join(t.TempDir(), "policy.toml")
	os.WriteFile(pol, []byte("not = [toml"), 0o600)
	tries := 0
	for _, user := range []string{"maria", "sam", "tina"} {
		for _, cmd := range [][]string{
			{"case", "note", "1043", "elsewhere"},
			{"case", "new", "--account", "acme", "--severity", "3", "--title", "elsewhere"},
			{"queue"},
			{"case", "show", "1044"},
			{"export"},
		} {
			for _, flag := range [][]string{
				{"--data", other}, {"--data=" + other},
				{"--policy", pol}, {"--policy=" + pol},
				{"--data=" + other, "--policy", pol},
			} {
				for _, args := range [][]string{
					append(append([]string(nil), flag...), cmd...),
					append(append(append([]string(nil), cmd[:1]...), flag...), cmd[1:]...),
					append(append([]string(nil), cmd...), flag...),
				} {
					tries++
					r := sshRun(t, sv.Addr, d.keys[user], "", args...)
					if r.code != 1 || r.stdout != "" || r.stderr != storeFlagRefusal {
						t.Errorf("%s over SSH: %s: %+v", user, quote(args), r)
					}
				}
			}
		}
	}
	if after := sshRun(t, sv.Addr, d.keys["maria"], "", "export"); after.code != 0 || after.stdout != before {
		t.Fatalf("refused --data/--policy commands changed the store")
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Fatalf("--data over SSH created %s", other)
	}
	t.Logf("%d commands with --data or --policy refused over SSH", tries)
}
