package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests run the built binary in a real terminal (tmux), send keys one
// at a time and read the screen, as a person would. They wait for what they
// expect with a deadline, never with fixed sleeps. Under CI=true a missing
// tmux fails the run; elsewhere it skips.

const demoNow = "2026-11-25T15:30:00Z" // Wed 25 Nov 10:30 ET, 15:30 GMT

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "caseboard")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type pane struct {
	t       *testing.T
	session string
}

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (.ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
}

// startPane runs command in a detached tmux session of the given size.
func startPane(t *testing.T, w, h int, command string) *pane {
	t.Helper()
	needTmux(t)
	name := "cb-" + strings.ReplaceAll(t.Name(), "/", "-")
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	p := &pane{t: t, session: name}
	tmuxArgs = []string{"-S", sock}
	run := exec.Command("tmux", append(tmuxArgs, "new-session", "-d", "-s", name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"env", "TERM=xterm-256color", "sh", "-c", command+"; echo EXITED $?; sleep 30")...)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", append(tmuxArgs, "kill-server")...).Run() })
	return p
}

var tmuxArgs []string

func (p *pane) screen() string {
	out, err := exec.Command("tmux", append(tmuxArgs, "capture-pane", "-p", "-t", p.session)...).Output()
	if err != nil {
		p.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// waitFor waits until every want is on the screen, or fails showing it.
func (p *pane) waitFor(want ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := p.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited 15s for %q; the screen shows:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitUntil waits until ok(screen) holds, or fails showing the screen.
func (p *pane) waitUntil(what string, ok func(string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := p.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited 15s for %s; the screen shows:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *pane) keys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		if out, err := exec.Command("tmux", append(tmuxArgs, "send-keys", "-t", p.session, k)...).CombinedOutput(); err != nil {
			p.t.Fatalf("send-keys %q: %v %s", k, err, out)
		}
	}
}

func TestDemoBoardInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	p := startPane(t, 120, 40, bin+" --demo --now "+demoNow)
	// The first frame: the demo's manager on the All queue, with the
	// desk's counts and the case detail beside the queue.
	s := p.waitFor("Maria Chen (maria)", "manager", "[All]", "call required", "BREACHED", "Audit trail")
	if !strings.Contains(s, "Wed 25 Nov 2026 10:30") {
		t.Errorf("the clock is not pinned to --now:\n%s", s)
	}
	// Severity 1 with no call logged sorts first.
	firstRow := ""
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "▸") {
			firstRow = line
			break
		}
	}
	if !strings.Contains(firstRow, "S1") || !strings.Contains(firstRow, "call required") {
		t.Errorf("the selected first row is not a severity-1 call required: %q", firstRow)
	}
	// Move down, open the filter, narrow to one account, clear it.
	p.keys("j")
	p.keys("/")
	p.keys("i", "n", "i", "t", "e", "c", "h")
	queueRows := func(s string) (rows []string) {
		for _, line := range strings.Split(s, "\n") {
			left, _, _ := strings.Cut(line, "│")
			if f := strings.Fields(left); len(f) > 2 && (strings.HasPrefix(f[0], "0000") || f[0] == "▸") {
				rows = append(rows, left)
			}
		}
		return rows
	}
	p.waitUntil("only initech rows", func(s string) bool {
		rows := queueRows(s)
		for _, r := range rows {
			if !strings.Contains(r, "initech") {
				return false
			}
		}
		return len(rows) > 0
	})
	p.keys("Escape")
	p.waitUntil("the filter cleared", func(s string) bool {
		for _, r := range queueRows(s) {
			if !strings.Contains(r, "initech") {
				return true
			}
		}
		return false
	})
	p.keys("?")
	p.waitFor("switch user")
	p.keys("q")
	p.waitFor("EXITED 0")
}

func TestWallInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	p := startPane(t, 160, 45, bin+" --demo --wall --now "+demoNow)
	s := p.waitFor("caseboard wall", "BREACHED", "(title hidden)")
	if strings.Contains(s, "Search page down") || strings.Contains(s, "Critical CVE") {
		t.Errorf("the wall shows case titles without --titles:\n%s", s)
	}
	if !strings.Contains(s, "███") {
		t.Errorf("no block digits on a 160-column wall:\n%s", s)
	}
	// Read-only: an action key changes nothing and is not offered.
	p.keys("t")
	if s2 := p.screen(); strings.Contains(s2, "took ") {
		t.Errorf("the wall acted on a key:\n%s", s2)
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}

func TestBoardRefusesAnEmptyStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	out, err := exec.Command(bin, "--data", t.TempDir()).CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), "has no users yet") ||
		strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Errorf("board on an empty store: exit %d, %q", code, out)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
