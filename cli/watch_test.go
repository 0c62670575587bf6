package cli

import (
	"bufio"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"caseboard/model"
)

// lines reads r line by line onto a channel.
func lines(r io.Reader) <-chan string {
	ch := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	return ch
}

// waitLine waits, with a deadline, for a line that match accepts.
func waitLine(t *testing.T, ch <-chan string, what string, match func(string) bool) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended before %s", what)
			}
			if match(l) {
				return l
			}
		case <-deadline:
			t.Fatalf("no %s", what)
		}
	}
}

// noted matches a watch --json line of a note event on case n (failing
// on a note of another case: the viewer must not see it).
func noted(t *testing.T, n int64) func(string) bool {
	return func(l string) bool {
		var ev model.EventRecord
		if json.Unmarshal([]byte(l), &ev) != nil || ev.Kind != "noted" || ev.Case == nil {
			return false
		}
		if *ev.Case != n {
			t.Fatalf("watch showed a note on %d: %s", *ev.Case, l)
		}
		return true
	}
}

func TestWatchNeedsAHolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "desk")
	must(t, nil, "--data", dir, "user", "add", "maria", "--name", "Maria", "--role", "manager", "--region", "na")
	r := runOn(t, nil, "", "--data", dir, "watch", "--json")
	if r.code != 1 || r.stderr != "caseboard: watch needs a running board or serve\n" || r.stdout != "" {
		t.Fatalf("watch without a holder: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runOn(t, nil, "", "--data", dir, "watch", "--region", "mars"); r.code != 1 || r.stderr != "caseboard: --region mars: no such region\n" {
		t.Fatalf("watch --region mars: %d %q", r.code, r.stderr)
	}
	// At the board's prompt it would never give the board back.
	r = runOn(t, deskStore(t), "", "watch")
	if r.code != 1 || !strings.Contains(r.stderr, "not at the board's prompt") {
		t.Fatalf("watch at the prompt: %d %q", r.code, r.stderr)
	}
}

// watch run in a shell while a board holds the store is forwarded to the
// board: a TAM sees the changes of their accounts as they commit, and the
// alerts with --alerts; closing the board ends it.
func TestWatchForwarded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "desk")
	hold := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }},
		Clock: time.Now}
	h, err := Hold(hold, dir, "board", "")
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			h.Close()
		}
	}()
	if r := runOn(t, h.Store, deskJSON(t), "import", "-", "--now", "2026-11-20T09:00:00-05:00"); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	args := []string{"--data", dir, "watch", "--json", "--alerts", "--as", "tina"}
	env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: outW, Stderr: errW, Getenv: func(string) string { return "" }},
		Clock: time.Now}
	f := &forwarder{env: env, args: args}
	held, ok := f.route()
	if !ok {
		t.Fatal("watch was not routed to the holder")
	}
	code := make(chan int, 1)
	go func() {
		code <- f.run(held)
		outW.Close()
		errW.Close()
	}()
	out, errs := lines(outR), lines(errR)
	waitLine(t, errs, "the watching line", func(l string) bool { return l == "caseboard: watching; interrupt to stop" })
	go func() {
		for range errs {
		}
	}()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, n := range []int64{1045, 1043} { // globex is not tina's; acme is
		if _, err := h.Store.Do("maria", model.NoteCase{Number: n, Text: "hello"}, now); err != nil {
			t.Fatal(err)
		}
	}
	waitLine(t, out, "the note on 1043", noted(t, 1043))
	ch, err := h.Store.Do("maria", model.NewCase{Account: "acme", Severity: 1, Title: "down", Contact: "Ana Ruiz"}, now)
	if err != nil {
		t.Fatal(err)
	}
	id := "new-case/" + model.CaseNumber(ch.Cases[0].Number)
	waitLine(t, out, "the new-case alert", func(l string) bool {
		var a model.AlertRecord
		return json.Unmarshal([]byte(l), &a) == nil && a.ID == id && a.Kind == "new-case" && a.Account == "acme"
	})
	closed = true
	h.Close()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("watch ended with %d", c)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not end when the board closed")
	}
}

// watch --json over SSH sees a change made by another session, with the
// caller's permissions; closing the session ends it.
func TestWatchOverSSH(t *testing.T) {
	sv := servedDesk(t)
	c, err := gossh.Dial("tcp", sv.Addr, &gossh.ClientConfig{User: "tina",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(teamKeys(t)["tina"])}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := s.StdoutPipe()
	stderr, _ := s.StderrPipe()
	if err := s.Start("watch --json"); err != nil {
		t.Fatal(err)
	}
	out, errs := lines(stdout), lines(stderr)
	waitLine(t, errs, "the watching line", func(l string) bool { return l == "caseboard: watching; interrupt to stop" })
	for _, n := range []string{"1045", "1043"} {
		if r := sshExec(t, sv.Addr, "maria", "", "case", "note", n, "from another session"); r.code != 0 {
			t.Fatalf("note %s: %d %s", n, r.code, r.stderr)
		}
	}
	waitLine(t, out, "the note on 1043", noted(t, 1043))
	s.Close()
	c.Close()
	// Hooks over SSH: the key's user must be a manager.
	if r := sshExec(t, sv.Addr, "sam", "", "hook", "list"); r.code != 1 || r.stderr != "caseboard: sam may not list hooks: only a manager may\n" {
		t.Fatalf("hook list as sam over SSH: %d %q", r.code, r.stderr)
	}
	if r := sshExec(t, sv.Addr, "maria", "", "hook", "add", "h", "--url", "https://hooks.example/x"); r.code != 0 {
		t.Fatalf("hook add as maria over SSH: %d %q", r.code, r.stderr)
	}
}
