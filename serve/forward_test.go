package serve_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"caseboard/cli"
	"caseboard/serve"
	"caseboard/store"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds caseboard once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "caseboard-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "caseboard")
		cmd := exec.Command("go", "build", "-o", binPath, "caseboard")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range bigDirs {
		os.RemoveAll(d)
	}
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// runBin runs the built binary in cwd with CASEBOARD_USER=user.
func runBin(t *testing.T, cwd, user, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	home := t.TempDir()
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"), "CASEBOARD_USER="+user)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

const pinned = "2026-11-20T16:30:00-05:00"

// forwardedLikeLocal runs commands with the built binary on d (held by
// another process) and on an identical store nobody holds.
func forwardedLikeLocal(t *testing.T, d *desk) {
	local := setupDesk(t, d.keys)
	cwd := t.TempDir()
	steps := []struct {
		user  string
		stdin string
		args  []string
		code  int
	}{
		{"", "", []string{"case", "take", "1042", "--as", "sam", "--now", pinned}, 0},
		{"sam", "", []string{"case", "take", "1044", "--now", pinned}, 1},
		{"", "", []string{"case", "note", "1043", "--as", "maria", "--now", pinned, "--", "customer", "-called", "back"}, 0},
		{"", "", []string{"queue", "--json", "--now", pinned}, 0},
		{"", "", []string{"queue", "--json", "--now", pinned, "--as", "tina"}, 0},
		{"", "", []string{"case", "show", "1043", "--now", pinned}, 0},
		{"", "", []string{"case", "take"}, 2},
		{"", "", []string{"case", "take", "1043", "--now", pinned}, 2}, // --as required
	}
	for _, s := range steps {
		got := runBin(t, cwd, s.user, s.stdin, append([]string{"--data", d.dir}, s.args...)...)
		want := runBin(t, cwd, s.user, s.stdin, append([]string{"--data", local.dir}, s.args...)...)
		name := strings.Join(s.args, " ")
		if got.code != s.code {
			t.Errorf("%s: exit %d, want %d: %+v", name, got.code, s.code, got)
		}
		if got != want {
			t.Errorf("%s:\n forwarded %+v\n local     %+v", name, got, want)
		}
	}
	// export: the held store's document, with the change made above.
	r := runBin(t, cwd, "", "", "--data", d.dir, "export")
	var doc struct {
		Cases []struct {
			Number int64
			Owner  *string
		}
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &doc) != nil {
		t.Fatalf("export: %+v", r)
	}
	for _, c := range doc.Cases {
		if c.Number == 1042 && (c.Owner == nil || *c.Owner != "sam") {
			t.Errorf("export: 1042's owner is %v", c.Owner)
		}
	}
	// FILE arguments are the caller's: relative to its directory.
	if r := runBin(t, cwd, "", "", "--data", d.dir, "backup", "rel.bak"); r.code != 0 {
		t.Errorf("backup rel.bak: %+v", r)
	} else if fi, err := os.Stat(filepath.Join(cwd, "rel.bak")); err != nil || fi.Size() == 0 {
		t.Errorf("backup rel.bak: not written in the caller's directory: %v", err)
	}
	// Standard input travels with "-".
	_, key := newKey(t)
	if r := runBin(t, cwd, "maria", key+"\n", "--data", d.dir, "user", "key", "lee", "-"); r.code != 0 {
		t.Errorf("user key lee -: %+v", r)
	}
	if r := runBin(t, cwd, "", "", "--data", d.dir, "user", "list", "--json"); !strings.Contains(r.stdout, key) {
		t.Errorf("the key sent on standard input is not recorded: %+v", r)
	}
}

func TestForwardToServe(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 8)
	forwardedLikeLocal(t, d)
	// A board started while serve holds the store says how to connect.
	r := runBin(t, t.TempDir(), "", "", "--data", d.dir)
	port := sv.Addr[strings.LastIndex(sv.Addr, ":")+1:]
	if r.code != 1 || !strings.Contains(r.stderr, "connect to it with ssh -p "+port+" 127.0.0.1") {
		t.Errorf("a board on serve's store: %+v", r)
	}
}

func TestForwardToBoard(t *testing.T) {
	d := setupDesk(t, nil)
	// A board holds its store through the same Hold as RunBoard.
	h, err := cli.Hold(&cli.Env{}, d.dir, "board", "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	forwardedLikeLocal(t, d)
}

func TestForwardLongDataPath(t *testing.T) {
	d := setupDesk(t, nil)
	long := filepath.Join(t.TempDir(), strings.Repeat("a-long-directory-name/", 6), "desk")
	if err := os.MkdirAll(filepath.Dir(long), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(d.dir, long); err != nil {
		t.Fatal(err)
	}
	h, err := cli.Hold(&cli.Env{}, long, "board", "")
	if err != nil {
		t.Fatal(err)
	}
	if r := runBin(t, t.TempDir(), "", "", "--data", long, "case", "take", "1042", "--as", "sam"); r.code != 0 {
		t.Errorf("forwarded with a long data path: %+v", r)
	}
	h.Close()
	if _, err := os.Stat(filepath.Join(long, cli.SocketName+".path")); !os.IsNotExist(err) {
		t.Errorf("the socket path file is left behind: %v", err)
	}
}

func TestHolderUnreachable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "desk")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// This process holds the store as a serve whose socket nobody answers.
	st, err := store.Open(store.Options{Dir: dir, Role: "serve", Addr: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := runBin(t, t.TempDir(), "", "", "--data", dir, "queue")
	want := fmt.Sprintf("caseboard: the store %s is held by caseboard serve (pid %d, listening on 127.0.0.1:1)\n", dir, os.Getpid())
	if r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Errorf("unreachable holder: %+v, want %q", r, want)
	}
}

func TestTwoCommandsOnAFreeStore(t *testing.T) {
	d := setupDesk(t, nil)
	var wg sync.WaitGroup
	res := make([]result, 2)
	for i := range res {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res[i] = runBin(t, t.TempDir(), "maria", "", "--data", d.dir, "case", "note", "1043", fmt.Sprint("at once ", i))
		}(i)
	}
	wg.Wait()
	for i, r := range res {
		if r.code != 0 {
			t.Errorf("command %d: %+v", i, r)
		}
	}
}

// TestServeBinarySIGTERM runs the built binary's serve: the address it
// prints takes a board, and SIGTERM sends the board the goodbye line,
// exits 0 and leaves the store free.
func TestServeBinarySIGTERM(t *testing.T) {
	d := setupDesk(t, nil)
	cmd := exec.Command(binary(t), "--data", d.dir, "serve", "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := make([]byte, 512)
	n, err := out.Read(line)
	if err != nil {
		t.Fatalf("serve printed nothing: %v %s", err, errb.String())
	}
	f := strings.Fields(string(line[:n]))
	if len(f) < 5 || f[3] != "on" {
		t.Fatalf("serve's first line: %q", line[:n])
	}
	addr := strings.TrimSuffix(f[4], ",")
	b := openBoard(t, addr, d.keys["maria"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("board never came up:\n%s", b.since(0))
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v %s", err, errb.String())
	}
	if !strings.Contains(string(rest), "stopped") {
		t.Errorf("serve's last words: %q", rest)
	}
	if !b.ended(5*time.Second) || !strings.Contains(b.since(0), serve.Goodbye) {
		t.Errorf("the board got no goodbye")
	}
	if r := runBin(t, t.TempDir(), "", "", "--data", d.dir, "case", "show", "1042"); r.code != 0 {
		t.Errorf("the store after serve: %+v", r)
	}
}
