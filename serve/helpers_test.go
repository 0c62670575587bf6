package serve_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"caseboard/cli"
)

// team are the users of cli/testdata/desk.json.
var team = []string{"maria", "sam", "lee", "eva", "tina", "wall"}

// desk is a data directory with cli/testdata/desk.json imported and an
// ed25519 key recorded for every user; keys holds their signers.
type desk struct {
	dir  string
	keys map[string]gossh.Signer
}

func deskJSON(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "cli", "testdata", "desk.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newKey makes an ed25519 signer and its authorized_keys line.
func newKey(t testing.TB) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// run runs the command tree locally (not through Main: no forwarding).
// The flags are in args: Run resets the Env's flag fields to their defaults.
func run(t testing.TB, env *cli.Env, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env.IO = cli.IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }}
	if env.Clock == nil {
		env.Clock = time.Now
	}
	code := cli.Run(env, args)
	return result{code, out.String(), errb.String()}
}

type result struct {
	code           int
	stdout, stderr string
}

// setupDesk fills a new data directory (keys: the same signers for every
// desk made from one keys map, when given).
func setupDesk(t testing.TB, keys map[string]gossh.Signer) *desk {
	t.Helper()
	d := &desk{dir: filepath.Join(t.TempDir(), "desk"), keys: keys}
	if r := run(t, &cli.Env{}, deskJSON(t), "--data", d.dir, "import", "-"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	if d.keys == nil {
		d.keys = map[string]gossh.Signer{}
		for _, u := range team {
			d.keys[u], _ = newKey(t)
		}
	}
	for _, u := range team {
		line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(d.keys[u].PublicKey())))
		if r := run(t, &cli.Env{}, "", "--data", d.dir, "user", "key", u, line, "--as", "maria"); r.code != 0 {
			t.Fatalf("user key %s: %d %s", u, r.code, r.stderr)
		}
	}
	return d
}

// startServe runs serve on a random loopback port over d; it is shut down
// at the end of the test unless the test did it.
func startServe(t testing.TB, d *desk, maxSessions int) *cli.Serving {
	t.Helper()
	var out bytes.Buffer
	env := &cli.Env{IO: cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }},
		DataDir: d.dir, Clock: time.Now}
	sv, err := cli.StartServe(env, cli.ServeFlags{Listen: "127.0.0.1:0", MaxSessions: maxSessions, IdleTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sv.Shutdown() })
	return sv
}

// dial connects with signer.
func dial(t testing.TB, addr string, signer gossh.Signer) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "anyone",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// quote makes a command line that the server splits back into args.
func quote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// sshRun runs one command over SSH as user.
func sshRun(t testing.TB, addr string, signer gossh.Signer, stdin string, args ...string) result {
	t.Helper()
	c, err := dial(t, addr, signer)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdin, s.Stdout, s.Stderr = strings.NewReader(stdin), &out, &errb
	err = s.Run(quote(args))
	code := 0
	var ee *gossh.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitStatus()
	case err != nil:
		t.Fatalf("ssh %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

// screen is one SSH session with a terminal: what the board wrote, kept.
type screen struct {
	t    testing.TB
	c    *gossh.Client
	s    *gossh.Session
	in   io.WriteCloser
	mu   sync.Mutex
	buf  bytes.Buffer
	done chan struct{}
}

// termAnswers answers the renderer's background colour and device
// attributes queries, as a terminal would.
const termAnswers = "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\\x1b[?62;22c"

// openBoard opens a terminal session without a command: the board.
func openBoard(t testing.TB, addr string, signer gossh.Signer) *screen {
	t.Helper()
	return openBoardAnswering(t, addr, signer, termAnswers)
}

// openBoardAnswering opens a board whose terminal sends answers first
// ("": a terminal that answers no query).
func openBoardAnswering(t testing.TB, addr string, signer gossh.Signer, answers string) *screen {
	t.Helper()
	c, err := dial(t, addr, signer)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	sc := &screen{t: t, c: c, s: s, done: make(chan struct{})}
	if err := s.RequestPty("xterm-256color", 40, 180, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	out, err := s.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if sc.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	// What serve writes on stderr (a refusal) shows on the terminal too.
	s.Stderr = screenWriter{sc}
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	if answers != "" {
		_, _ = io.WriteString(sc.in, answers)
	}
	go func() {
		defer close(sc.done)
		b := make([]byte, 32<<10)
		for {
			n, err := out.Read(b)
			sc.mu.Lock()
			sc.buf.Write(b[:n])
			sc.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(sc.close)
	return sc
}

type screenWriter struct{ sc *screen }

func (w screenWriter) Write(p []byte) (int, error) {
	w.sc.mu.Lock()
	defer w.sc.mu.Unlock()
	return w.sc.buf.Write(p)
}

func (sc *screen) close() {
	sc.s.Close()
	sc.c.Close()
}

// mark is where the output is now.
func (sc *screen) mark() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.buf.Len()
}

// since is the output after mark, escape sequences removed.
func (sc *screen) since(mark int) string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return ansi.Strip(string(sc.buf.Bytes()[mark:]))
}

// waitFor waits until the output after mark matches re.
func (sc *screen) waitFor(mark int, re *regexp.Regexp, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if re.MatchString(sc.since(mark)) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// ended reports whether the session's output ended within d.
func (sc *screen) ended(d time.Duration) bool {
	select {
	case <-sc.done:
		return true
	case <-time.After(d):
		return false
	}
}
