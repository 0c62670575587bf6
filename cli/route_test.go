package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// mainIn runs Main in this process, as the binary would, with stdin.
func mainIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	var out, errb strings.Builder
	code := Main(args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "CASEBOARD_USER" {
				return "maria"
			}
			return ""
		}})
	return result{code, out.String(), errb.String()}
}

// importedDesk is a data directory holding testdata/desk.json.
func importedDesk(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "desk")
	doc, err := os.ReadFile(filepath.Join("testdata", "desk.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{IO: IO{Stdin: strings.NewReader(string(doc)), Stdout: &strings.Builder{}, Stderr: &strings.Builder{},
		Getenv: func(string) string { return "" }}, Clock: time.Now}
	if code := Run(env, []string{"--data", data, "import", "-"}); code != 0 {
		t.Fatalf("import: exit %d", code)
	}
	return data
}

// TestMainForwardsBeforeOpening: on a store a board holds, Main sends the
// command to the board at once, before it opens anything in the data
// directory itself: with the directory's log unwritable for the caller
// (here a directory in its place), an acting command forwarded with its
// standard input succeeds, and a read prints no warning about the log.
// Before, each first tried the store here, which needs the log.
func TestMainForwardsBeforeOpening(t *testing.T) {
	data := importedDesk(t)
	h, err := Hold(&Env{}, data, "board", "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// The board keeps writing its log through the file it has open.
	logPath := filepath.Join(data, store.LogName)
	if err := os.Rename(logPath, logPath+".board"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(logPath, 0o700); err != nil {
		t.Fatal(err)
	}
	key, _ := testKey("lee-laptop")
	if r := mainIn(t, key+"\n", "--data", data, "user", "key", "lee", "-"); r.code != 0 || r.stderr != "" {
		t.Fatalf("user key lee - on a board's store: %+v", r)
	}
	r := mainIn(t, "", "--data", data, "user", "list", "--json")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("user list on a board's store: %+v", r)
	}
	if !strings.Contains(r.stdout, key) {
		t.Errorf("the key sent on standard input is not on lee: %s", r.stdout)
	}
}

// TestMainRunsHereWhatNeedsNoStore: on a store held by a board whose
// socket nobody answers, what needs no store (version, sla, help, a usage
// error, a group alone) runs here as before, and a command that needs the
// store gets the holder's one line.
func TestMainRunsHereWhatNeedsNoStore(t *testing.T) {
	data := importedDesk(t)
	st, err := store.Open(store.Options{Dir: data, Role: "board"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	held := "caseboard: the store " + data + " is held by caseboard board (pid " + strconv.Itoa(os.Getpid()) + ")\n"
	for _, c := range []struct {
		args []string
		code int
		out  string // in stdout, or stderr for a non-zero exit
	}{
		{[]string{"version"}, 0, "caseboard " + Version},
		{[]string{"sla", "--severity", "2", "--plan", "plus", "--region", "emea", "--start", "2026-11-20T23:30:00Z"}, 0, "due Mon 23 Nov"},
		{[]string{"queue", "--help"}, 0, "Usage:"},
		{[]string{"case", "take"}, 2, "accepts 1 arg"},
		{[]string{"case"}, 2, "a subcommand is required"},
		{[]string{"user", "add", "x", "--role", "wall"}, 2, `required flag(s) "name" not set`},
		{[]string{"queue"}, 1, held},
	} {
		r := mainIn(t, "", append([]string{"--data", data}, c.args...)...)
		got := r.stdout
		if c.code != 0 {
			got = r.stderr
		}
		if r.code != c.code || !strings.Contains(got, c.out) {
			t.Errorf("%s: %+v, want exit %d with %q", strings.Join(c.args, " "), r, c.code, c.out)
		}
	}
}

// deskCounter counts the whole-desk loads a command asks of its store.
type deskCounter struct {
	Backend
	loads int
}

func (d *deskCounter) LoadDesk() (*model.Desk, error) {
	d.loads++
	return d.Backend.LoadDesk()
}

// TestActingUserLookedUp: who acts (--as, the only user, a refusal naming
// a missing one) is found by looking the user up, not by loading the whole
// desk: an action loads no desk, and answers as before.
func TestActingUserLookedUp(t *testing.T) {
	st := &deskCounter{Backend: deskStore(t)}
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"case", "take", "1042", "--as", "sam"}, 0, ""},
		{[]string{"case", "take", "1043", "--as", "nobody"}, 1, "caseboard: no user nobody in the store\n"},
		{[]string{"case", "take", "1043"}, 2, "caseboard: --as required (users: eva, lee, maria, sam, tina, wall)\nRun 'caseboard case take --help' for usage.\n"},
	} {
		st.loads = 0
		r := runOn(t, st, "", c.args...)
		if r.code != c.code || r.stderr != c.stderr {
			t.Errorf("%s: %+v, want exit %d and %q", strings.Join(c.args, " "), r, c.code, c.stderr)
		}
		if st.loads != 0 {
			t.Errorf("%s: loaded the whole desk %d times", strings.Join(c.args, " "), st.loads)
		}
	}
}

// TestLateHolderForwardsWithoutStdin: a command that found no holder
// before it ran, and one when it opened the store (a board started in
// between), is forwarded then; one that took standard input, which it has
// read, is not: the holder's one line, exit 1, nothing written.
func TestLateHolderForwardsWithoutStdin(t *testing.T) {
	data := importedDesk(t)
	h, err := Hold(&Env{}, data, "board", "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	held, ok := store.HeldBy(data)
	if !ok {
		t.Fatal("the board's store is not held")
	}
	late := func(stdin string, args ...string) result {
		var out, errb strings.Builder
		env := &Env{IO: IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}}
		f := &forwarder{env: env, args: append([]string{"--data", data}, args...)}
		code := f.late(held)
		return result{code, out.String(), errb.String()}
	}
	key, _ := testKey("late")
	want := "caseboard: " + held.Error() + "\n"
	if r := late(key+"\n", "user", "key", "lee", "-", "--as", "maria"); r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Errorf("user key lee - after the store was found held: %+v, want exit 1 and %q", r, want)
	}
	if r := late("", "case", "take", "1042", "--as", "sam"); r.code != 0 {
		t.Errorf("case take after the store was found held: %+v", r)
	}
	users, err := h.Store.Users()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.ID == "lee" && len(u.Keys) != 0 {
			t.Errorf("lee has keys %q after the refusal", u.Keys)
		}
	}
	if c, err := h.Store.Case(1042); err != nil || c.Owner != "sam" {
		t.Errorf("1042 after the forwarded take: owner %q, %v", c.Owner, err)
	}
}
