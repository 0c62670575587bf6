package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"caseboard/store"
)

// readCommands are the commands that only read a store, as a nightly
// script would run them (backup writes its FILE, not the store).
var readCommands = [][]string{
	{"queue"}, {"queue", "--json"}, {"case", "show", "1042"}, {"case", "list"},
	{"account", "list"}, {"account", "show", "acme"}, {"user", "list"},
	{"time", "list", "--account", "acme"}, {"timebank", "--account", "acme"},
	{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30"},
	{"report", "weekly", "--account", "acme"},
	{"report", "hours", "--account", "acme", "--from", "2026-11-01", "--to", "2026-11-30"},
	{"export"}, {"backup", "BACKUP"},
}

// TestBinaryReadsNeverCreateAStore: a read given a --data directory that
// does not exist (a typo in a nightly script) or that holds no store is
// refused with one line, exit 1, and the directory stays as it was; the
// board on it too. Commands that bootstrap a desk (user add, import,
// restore) and --demo still create it.
func TestBinaryReadsNeverCreateAStore(t *testing.T) {
	bin := buildBinary(t)
	desk := filepath.Join("testdata", "desk.json")
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "typo")
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o700)
	backup := filepath.Join(tmp, "desk.bak")
	for _, dir := range []string{missing, empty} {
		want := "caseboard: no store at " + dir + " (create one with caseboard user add ... or caseboard import FILE)\n"
		for _, args := range append(readCommands, []string{}) { // {}: the board
			want := want
			if len(args) == 0 {
				want = strings.Replace(want, "FILE)", "FILE, or try caseboard --demo)", 1)
			}
			args = append([]string{"--data", dir}, args...)
			for i, a := range args {
				if a == "BACKUP" {
					args[i] = backup
				}
			}
			r := runBin(t, bin, "", args...)
			if r.code != 1 || r.stderr != want || r.stdout != "" {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, want)
			}
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a read created %s", missing)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("reads wrote %d files into an empty directory", len(entries))
	}
	if _, err := os.Stat(backup); err == nil {
		t.Errorf("a backup of no store was written")
	}
	t.Logf("%d reads refused on a missing and on an empty directory", 2*(len(readCommands)+1))

	// What bootstraps a desk still creates it.
	made := filepath.Join(tmp, "bak")
	if r := runBin(t, bin, "", "--data", made, "import", desk); r.code != 0 {
		t.Fatalf("import into a new directory: %+v", r)
	}
	if r := runBin(t, bin, "", "--data", made, "backup", backup); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	for name, args := range map[string][]string{
		"user add": {"user", "add", "maria", "--name", "Maria", "--role", "manager"},
		"import":   {"import", desk},
		"restore":  {"restore", backup},
	} {
		dir := filepath.Join(tmp, strings.ReplaceAll(name, " ", "-"))
		if r := runBin(t, bin, "", append([]string{"--data", dir}, args...)...); r.code != 0 {
			t.Errorf("%s into a new directory: %+v", name, r)
			continue
		}
		if r := runBin(t, bin, "", "--data", dir, "user", "list"); r.code != 0 || !strings.Contains(r.stdout, "maria") {
			t.Errorf("after %s: user list %+v", name, r)
		}
	}
	// --demo fills a new --data DIR before the board starts (which needs a
	// terminal this test does not have).
	demoDir := filepath.Join(tmp, "demo")
	runBin(t, bin, "", "--demo", "--data", demoDir, "--now", "2026-11-25T15:30:00Z")
	if r := runBin(t, bin, "", "--data", demoDir, "case", "list"); r.code != 0 || strings.Count(r.stdout, "\n") < 100 {
		t.Errorf("--demo --data DIR: case list %d lines, %s", strings.Count(r.stdout, "\n"), r.stderr)
	}
}

// umaskRun runs the binary under a umask given to it by a shell, as cron
// or a careless profile would.
func umaskRun(t *testing.T, mask, bin string, args ...string) result {
	t.Helper()
	sh := append([]string{"-c", `umask ` + mask + ` && exec "$0" "$@"`, bin}, args...)
	return runBin(t, "/bin/sh", "", sh...)
}

// privateTree lists what in dir has a group or other permission bit.
func privateTree(t *testing.T, dir string) (open []string, n int) {
	t.Helper()
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		n++
		if fi.Mode().Perm()&0o077 != 0 {
			open = append(open, filepath.Base(path)+" "+fi.Mode().Perm().String())
		}
		return nil
	})
	return open, n
}

// TestBinaryFileModes: whatever the umask (0000, 0022), a new data
// directory is 0700 and every file in it (Badger's .sst, .vlog, .mem,
// MANIFEST, KEYREGISTRY, DISCARD; the log; while a board or serve holds
// it, LOCK, holder.json and the socket) is 0600; an existing 0755 store
// directory is tightened to 0700; a backup written to a path is 0600, also
// over an older 0644 file.
func TestBinaryFileModes(t *testing.T) {
	bin := buildBinary(t)
	desk, _ := filepath.Abs(filepath.Join("testdata", "desk.json"))
	for _, mask := range []string{"0000", "0022"} {
		tmp := t.TempDir()
		data := filepath.Join(tmp, "desk")
		if r := umaskRun(t, mask, bin, "--data", data, "import", desk); r.code != 0 {
			t.Fatalf("umask %s: import: %+v", mask, r)
		}
		if r := umaskRun(t, mask, bin, "--data", data, "--as", "maria", "case", "note", "1042", "x"); r.code != 0 {
			t.Fatalf("umask %s: note: %+v", mask, r)
		}
		if fi, _ := os.Stat(data); fi.Mode().Perm() != 0o700 {
			t.Errorf("umask %s: new data directory is %v, want 0700", mask, fi.Mode().Perm())
		}
		if open, n := privateTree(t, data); len(open) > 0 || n < 6 {
			t.Errorf("umask %s: %d entries, readable by others: %v", mask, n, open)
		}
		backup := filepath.Join(tmp, "desk.bak")
		old := filepath.Join(tmp, "old.bak")
		os.WriteFile(old, []byte("old"), 0o644)
		os.Chmod(old, 0o644)
		for _, f := range []string{backup, old} {
			if r := umaskRun(t, mask, bin, "--data", data, "backup", f); r.code != 0 {
				t.Fatalf("umask %s: backup %s: %+v", mask, f, r)
			}
			if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
				t.Errorf("umask %s: backup %s is %v, want 0600", mask, filepath.Base(f), fi.Mode().Perm())
			}
		}
		// An older store directory, left 0755, is tightened when opened.
		os.Chmod(data, 0o755)
		if r := umaskRun(t, mask, bin, "--data", data, "queue"); r.code != 0 {
			t.Fatalf("umask %s: queue: %+v", mask, r)
		}
		if fi, _ := os.Stat(data); fi.Mode().Perm() != 0o700 {
			t.Errorf("umask %s: a 0755 store directory is %v after a read, want 0700", mask, fi.Mode().Perm())
		}
	}

	// While serve holds the store: its lock, holder file and socket.
	data := filepath.Join(t.TempDir(), "desk")
	if r := runBin(t, bin, "", "--data", data, "import", desk); r.code != 0 {
		t.Fatal(r.stderr)
	}
	serve := exec.Command("/bin/sh", "-c", `umask 0000 && exec "$0" "$@"`, bin, "--data", data, "serve", "--listen", "127.0.0.1:0")
	serve.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Kill(); serve.Wait() }()
	sock := filepath.Join(data, SocketName)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// The socket is made (0700 under the umask: its owner's alone)
		// and then set 0600: wait for the mode it keeps.
		if fi, err := os.Stat(sock); err == nil && fi.Mode().Perm() == 0o600 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve made no 0600 socket within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, name := range []string{SocketName, "holder.json", "LOCK"} {
		if fi, err := os.Stat(filepath.Join(data, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("under serve: %s: %v %v, want 0600", name, fi, err)
		}
	}
	if open, n := privateTree(t, data); len(open) > 0 {
		t.Errorf("under serve: %d entries, readable by others: %v", n, open)
	}
}

// TestBinaryLogKeepsNoBadgerChatter: a command's log lines are caseboard's
// own, short; Badger's INFO lines (three quarters of the log) are gone.
func TestBinaryLogKeepsNoBadgerChatter(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "desk")
	if r := runBin(t, bin, "", "--data", data, "import", filepath.Join("testdata", "desk.json")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	log := filepath.Join(data, store.LogName)
	before, _ := os.ReadFile(log)
	for _, args := range [][]string{{"queue"}, {"--as", "maria", "case", "note", "1042", "x"}, {"export"}} {
		if r := runBin(t, bin, "", append([]string{"--data", data}, args...)...); r.code != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	b, _ := os.ReadFile(log)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.Contains(line, "from=badger") && strings.Contains(line, "level=INFO") {
			t.Errorf("a Badger INFO line in the log: %s", line)
		}
	}
	per := (len(b) - len(before)) / 3
	if per > 300 {
		t.Errorf("%d bytes of log per command:\n%s", per, b[len(before):])
	}
	t.Logf("log per command: %d bytes", per)
}

// TestHeldByCommandNamesIt: a short command holding the store (a restore
// waiting for its standard input) is named after the wait in the one
// wording, with its pid and role.
func TestHeldByCommandNamesIt(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "desk")
	cmd := exec.Command(bin, "--data", data, "restore", "-")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "CASEBOARD_USER=")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer in.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(data, "holder.json"))
		if strings.Contains(string(b), `"pid":`+strconv.Itoa(cmd.Process.Pid)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the restore did not hold the store within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = store.Open(store.Options{Dir: data, HeldWait: 300 * time.Millisecond})
	want := "the store " + data + " is held by caseboard command (pid " + strconv.Itoa(cmd.Process.Pid) + ")"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// TestUserIDCaseboardReserved: the id the process acts under is refused
// as reserved, by user add and by import, in one line.
func TestUserIDCaseboardReserved(t *testing.T) {
	st := memStore(t)
	r := runOn(t, st, "", "user", "add", "caseboard", "--name", "Case Board", "--role", "manager")
	if r.code != 1 || r.stderr != "caseboard: cannot add user caseboard: user id caseboard is reserved (caseboard itself acts under it)\n" {
		t.Errorf("user add caseboard: %+v", r)
	}
	doc := `{"users": [{"id": "caseboard", "name": "Case Board", "role": "manager"}]}`
	r = runOn(t, st, doc, "import", "-")
	if r.code != 1 || !strings.Contains(r.stderr, "users[0].id: user id caseboard is reserved (caseboard itself acts under it)") {
		t.Errorf("import of user caseboard: %+v", r)
	}
	if r := runOn(t, st, "", "user", "list"); r.code != 0 || strings.Contains(r.stdout, "Case Board") {
		t.Errorf("user list after the refusals: %+v", r)
	}
}

// TestBackupFileModeWithoutMain: the backup file is 0600 by itself, not
// only through the umask Main sets: Run (tests, a forwarded command in a
// holder started elsewhere) under umask 0000 writes it 0600 too, also over
// an older 0644 file.
func TestBackupFileModeWithoutMain(t *testing.T) {
	data := filepath.Join(t.TempDir(), "desk")
	deskDoc, _ := os.ReadFile(filepath.Join("testdata", "desk.json"))
	run := func(stdin string, args ...string) result {
		var out, errb strings.Builder
		env := &Env{IO: IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }},
			Clock: time.Now}
		code := Run(env, append([]string{"--data", data}, args...))
		return result{code, out.String(), errb.String()}
	}
	if r := run(string(deskDoc), "import", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	fresh := filepath.Join(t.TempDir(), "desk.bak")
	older := filepath.Join(t.TempDir(), "old.bak")
	os.WriteFile(older, []byte("old"), 0o644)
	for _, f := range []string{fresh, older} {
		if r := run("", "backup", f); r.code != 0 {
			t.Fatalf("backup %s: %+v", f, r)
		}
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Errorf("backup %s under umask 0000: %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
}
