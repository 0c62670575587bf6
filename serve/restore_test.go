package serve_test

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseboard/cli"
)

// TestRestoreOverSSHIsAllOrNothing: `restore - --force` over SSH with
// junk, a document, nothing, a cut-short backup, and a client dropped in
// the middle of a backup: each refused in one line (exit 1), the store
// unchanged, serve still serving another user's command and a board; then
// a good backup is restored and the open board shows it.
func TestRestoreOverSSHIsAllOrNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := settle(t, sv.Addr, d)
	board := openBoard(t, sv.Addr, d.keys["maria"])
	if !board.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("the board never came up:\n%s", board.since(0))
	}
	bak := sshRun(t, sv.Addr, d.keys["maria"], "", "backup", "-")
	if bak.code != 0 || len(bak.stdout) < 100 {
		t.Fatalf("backup -: %+v", bak.code)
	}
	junk := make([]byte, 32<<10)
	rand.New(rand.NewSource(4)).Read(junk)
	for _, c := range []struct{ name, in, want string }{
		{"random bytes", string(junk), "is not a caseboard backup"},
		{"a JSON document", deskJSON(t), "is a JSON document"},
		{"nothing", "", "is empty"},
		{"half a backup", bak.stdout[:len(bak.stdout)/2], "is cut short"},
	} {
		r := sshRun(t, sv.Addr, d.keys["maria"], c.in, "restore", "-", "--force")
		if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
			!strings.HasPrefix(r.stderr, "caseboard: restore refused, nothing changed: standard input ") ||
			!strings.Contains(r.stderr, c.want) {
			t.Errorf("restore - of %s: exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", c.name, r.code, r.stdout, r.stderr, c.want)
		}
	}

	// A client that drops its connection half way through the backup.
	c, err := dial(t, sv.Addr, d.keys["maria"])
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("restore - --force"); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Write([]byte(bak.stdout[:len(bak.stdout)/2])); err != nil {
		t.Fatal(err)
	}
	c.Close()
	// Restores take turns: this one returns once the dropped one ended.
	if r := sshRun(t, sv.Addr, d.keys["maria"], "", "restore", "-", "--force"); r.code != 1 {
		t.Errorf("restore after the dropped client: %+v", r)
	}

	// serve goes on: another user's command, the board, the store as it was.
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "queue"); r.code != 0 || !strings.Contains(r.stdout, "1042") {
		t.Errorf("sam's queue after the refused restores: %+v", r)
	}
	if r := sshRun(t, sv.Addr, d.keys["maria"], "", "export"); r.code != 0 || r.stdout != before {
		t.Errorf("the store changed after the refused restores (exit %d, %s)", r.code, r.stderr)
	}
	if board.ended(0) {
		t.Fatal("the board ended")
	}

	// A good backup, of a desk with one more case, restored over SSH: the
	// open board reloads and shows it.
	other := setupDesk(t, d.keys)
	if r := run(t, &cli.Env{}, "", "--data", other.dir, "--as", "maria", "case", "new", "--account", "acme",
		"--severity", "3", "--title", "Restored marker"); r.code != 0 {
		t.Fatalf("case new: %+v", r)
	}
	otherBak := run(t, &cli.Env{}, "", "--data", other.dir, "backup", "-")
	if otherBak.code != 0 {
		t.Fatalf("backup: %+v", otherBak)
	}
	m := board.mark()
	if r := sshRun(t, sv.Addr, d.keys["maria"], otherBak.stdout, "restore", "-", "--force"); r.code != 0 {
		t.Fatalf("restore of a good backup: %+v", r)
	}
	if !board.waitFor(m, regexp.MustCompile(`Restored marker`), 10*time.Second) {
		t.Errorf("the board does not show the restored desk:\n%s", board.since(m))
	}
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "queue"); r.code != 0 || !strings.Contains(r.stdout, "Restored marker") {
		t.Errorf("sam's queue after the restore: %+v", r)
	}
}
