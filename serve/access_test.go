package serve_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"caseboard/cli"
	"caseboard/model"
	"caseboard/serve"
)

var accessRemoved = regexp.MustCompile(`caseboard: your access was removed`)

// running is an SSH command left running: its stdin stays open.
type running struct {
	in   io.WriteCloser
	mu   sync.Mutex
	errb bytes.Buffer
	code chan int
}

func (r *running) stderr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errb.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// startCommand starts args over SSH and returns while it waits for stdin.
func startCommand(t *testing.T, addr string, signer gossh.Signer, args ...string) *running {
	t.Helper()
	c, err := dial(t, addr, signer)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	r := &running{code: make(chan int, 1)}
	s.Stderr = lockedWriter{&r.mu, &r.errb}
	if r.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(quote(args)); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := s.Wait()
		var ee *gossh.ExitError
		switch {
		case err == nil:
			r.code <- 0
		case errors.As(err, &ee):
			r.code <- ee.ExitStatus()
		default:
			r.code <- -1
		}
	}()
	return r
}

// TestRemovedUserSessionsEnd: sam has two boards open and a `watch`
// running (a command that ends only when it is ended); maria removes sam. Each of sam's sessions ends at
// once with the one line, exit 1; maria's board stays; sam's key gets no
// new session.
func TestRemovedUserSessionsEnd(t *testing.T) {
	d := setupDesk(t, nil)
	addr, hd := serveHiding(t, d)
	boards := []*screen{openBoard(t, addr, d.keys["sam"]), openBoard(t, addr, d.keys["sam"])}
	mine := openBoard(t, addr, d.keys["maria"])
	for _, b := range append(boards, mine) {
		if !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("a board never came up:\n%s", b.since(0))
		}
	}
	imp := startCommand(t, addr, d.keys["sam"], "watch", "--json")
	select {
	case <-hd.execs: // the watch runs
	case <-time.After(5 * time.Second):
		t.Fatal("sam's watch never started")
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(imp.stderr(), "watching"); {
		if time.Now().After(deadline) {
			t.Fatalf("sam's watch never subscribed: %q", imp.stderr())
		}
		time.Sleep(5 * time.Millisecond)
	}
	removed := time.Now()
	if r := sshRun(t, addr, d.keys["maria"], "", "user", "remove", "sam"); r.code != 0 {
		t.Fatalf("user remove sam: %+v", r)
	}
	for i, b := range boards {
		if !b.waitFor(0, accessRemoved, 5*time.Second) || !b.ended(5*time.Second) {
			t.Fatalf("sam's board %d did not end with the line:\n%s", i, b.since(0))
		}
		if n := len(accessRemoved.FindAllString(b.since(0), -1)); n != 1 {
			t.Errorf("sam's board %d: the line %d times", i, n)
		}
	}
	select {
	case code := <-imp.code:
		if code != 1 || !strings.HasSuffix(imp.stderr(), "\ncaseboard: "+serve.AccessRemoved+"\n") {
			t.Errorf("sam's running watch: exit %d, stderr %q", code, imp.stderr())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("sam's running watch still runs 5s after the removal")
	}
	t.Logf("sam's 2 boards and 1 running command ended %s after the removal was sent", time.Since(removed).Round(time.Millisecond))
	if mine.ended(300 * time.Millisecond) {
		t.Error("maria's board ended too")
	}
	if c, err := dial(t, addr, d.keys["sam"]); err == nil {
		c.Close()
		t.Error("sam's key still gets in after the removal")
	}
}

// hider serves a store through cli.ServeOptions with the users as the
// store has them, less the keys the test hides: the way `user key
// --remove` will take a key away, before that command exists. execs gets
// the user of each command as it starts.
type hider struct {
	mu     sync.Mutex
	hidden map[string]bool // fingerprints
	execs  chan string
}

func (h *hider) hide(s gossh.Signer) {
	h.mu.Lock()
	h.hidden[gossh.FingerprintSHA256(s.PublicKey())] = true
	h.mu.Unlock()
}

func (h *hider) users(base func() ([]model.User, error)) func() ([]model.User, error) {
	return func() ([]model.User, error) {
		us, err := base()
		if err != nil {
			return nil, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		for i := range us {
			var keep []string
			for _, line := range us[i].Keys {
				k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
				if err == nil && !h.hidden[gossh.FingerprintSHA256(k)] {
					keep = append(keep, line)
				}
			}
			us[i].Keys = keep
		}
		return us, nil
	}
}

func serveHiding(t *testing.T, d *desk) (string, *hider) {
	t.Helper()
	h, err := cli.Hold(&cli.Env{DataDir: d.dir, IO: cli.IO{Getenv: func(string) string { return "" }}}, d.dir, "serve", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hd := &hider{hidden: map[string]bool{}, execs: make(chan string, 64)}
	o := cli.ServeOptions(h, cli.ServeFlags{Listen: "127.0.0.1:0", MaxSessions: 16, IdleTimeout: time.Minute})
	o.Users = hd.users(o.Users)
	exec := o.Exec
	o.Exec = func(user string, args []string, stdin io.Reader, stdout, stderr io.Writer, allowed func() error) int {
		select {
		case hd.execs <- user:
		default:
		}
		return exec(user, args, stdin, stdout, stderr, allowed)
	}
	srv, err := serve.New(o)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		h.StopForwarding()
		_ = h.Close()
	})
	return addr, hd
}

// TestRemovedKeyEndsItsSessions: sam has two keys, a board open with
// each. One key is taken away, then a change to the users is made (a key
// added for lee): the board of that key ends with the line; the other
// stays. The second key is taken away with no change on the feed: that
// board's next action (t, take; then the `:` prompt) is refused at the
// moment it runs, the board ends with the line and the desk is unchanged.
func TestRemovedKeyEndsItsSessions(t *testing.T) {
	d := setupDesk(t, nil)
	second, line := newKey(t)
	if r := run(t, &cli.Env{}, "", "--data", d.dir, "user", "key", "sam", line, "--as", "maria"); r.code != 0 {
		t.Fatalf("user key sam: %+v", r)
	}
	addr, hd := serveHiding(t, d)
	first := openBoard(t, addr, d.keys["sam"])
	other := openBoard(t, addr, second)
	for _, b := range []*screen{first, other} {
		if !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("a board of sam's never came up:\n%s", b.since(0))
		}
	}
	hd.hide(d.keys["sam"])
	_, lees := newKey(t)
	if r := sshRun(t, addr, d.keys["maria"], lees, "user", "key", "lee", "-"); r.code != 0 {
		t.Fatalf("user key lee: %+v", r)
	}
	if !first.waitFor(0, accessRemoved, 5*time.Second) || !first.ended(5*time.Second) {
		t.Fatalf("the board of the removed key did not end with the line:\n%s", first.since(0))
	}
	if other.ended(300 * time.Millisecond) {
		t.Fatalf("the board of sam's other key ended too:\n%s", other.since(0))
	}

	before := settle(t, addr, d)
	hd.hide(second)
	typeKeys(t, other, "t", ":", "case take 1043\r")
	if !other.waitFor(0, accessRemoved, 5*time.Second) || !other.ended(5*time.Second) {
		t.Fatalf("the board whose key went quietly did not end at its next action:\n%s", other.since(0))
	}
	if strings.Contains(other.since(0), "took 0000") {
		t.Errorf("the board acknowledged an action after its key was removed:\n%s", other.since(0))
	}
	if after := sshRun(t, addr, d.keys["maria"], "", "export"); after.code != 0 || after.stdout != before {
		t.Errorf("an action from a removed key changed the desk")
	}
	if c, err := dial(t, addr, second); err == nil {
		c.Close()
		t.Error("the removed key still gets in")
	}
}

// TestKeyRemovedByCommandEndsItsBoard: `user key sam --remove FP` typed by
// a manager over SSH ends the board of that key at once, with the line,
// while the board of sam's other key goes on and that key still gets in.
func TestKeyRemovedByCommandEndsItsBoard(t *testing.T) {
	d := setupDesk(t, nil)
	second, line := newKey(t)
	if r := run(t, &cli.Env{}, "", "--data", d.dir, "user", "key", "sam", line, "--as", "maria"); r.code != 0 {
		t.Fatalf("user key sam: %+v", r)
	}
	addr := startServe(t, d, 0).Addr
	first := openBoard(t, addr, d.keys["sam"])
	other := openBoard(t, addr, second)
	for _, b := range []*screen{first, other} {
		if !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("a board of sam's never came up:\n%s", b.since(0))
		}
	}
	fp := gossh.FingerprintSHA256(d.keys["sam"].PublicKey())
	if r := sshRun(t, addr, d.keys["maria"], "", "user", "key", "sam", "--remove", fp); r.code != 0 {
		t.Fatalf("user key sam --remove: %+v", r)
	}
	if !first.waitFor(0, accessRemoved, 5*time.Second) || !first.ended(5*time.Second) {
		t.Fatalf("the board of the removed key did not end with the line:\n%s", first.since(0))
	}
	if other.ended(300 * time.Millisecond) {
		t.Fatalf("the board of sam's other key ended too:\n%s", other.since(0))
	}
	if c, err := dial(t, addr, d.keys["sam"]); err == nil {
		c.Close()
		t.Error("the removed key still gets in")
	}
	if r := sshRun(t, addr, second, "", "queue"); r.code != 0 {
		t.Errorf("sam's other key no longer works: %+v", r)
	}
}
