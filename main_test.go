package main

import (
	"encoding/json"
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
	p := startPane(t, 160, 40, bin+" --demo --now "+demoNow) // 160: wide enough for the account column beside the detail
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
			if n, _ := queueRow(left); n != "" {
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
	// A store with no users (left by a refused first user add).
	data := filepath.Join(t.TempDir(), "desk")
	exec.Command(bin, "--data", data, "user", "add", "sam", "--name", "Sam", "--role", "specialist").Run()
	out, err := exec.Command(bin, "--data", data).CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), "has no users yet") ||
		strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Errorf("board on an empty store: exit %d, %q", code, out)
	}
	// An empty directory holds no store: the board creates none in it.
	empty := t.TempDir()
	out, err = exec.Command(bin, "--data", empty).CombinedOutput()
	want := "caseboard: no store at " + empty + " (create one with caseboard user add ... or caseboard import FILE, or try caseboard --demo)\n"
	if code := exitCode(err); code != 1 || string(out) != want {
		t.Errorf("board on an empty directory: exit %d, %q; want %q", code, out, want)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("the board wrote %d files into an empty directory", len(entries))
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

// TestShiftInATerminal: a whole shift on the built binary. A specialist
// takes the top case of their region, logs the call, responds and sets it
// waiting for the customer; a manager accepts an escalation; a TAM logs 30
// minutes. After quitting, export shows all of it.
func TestShiftInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "store")
	p := startPane(t, 120, 40, bin+" --demo --data "+dir+" --now "+demoNow)
	p.waitFor("Maria Chen (maria)", "[All]")
	status := func(s string) string { // the status line: the one above the help
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		for i := len(lines) - 1; i > 0; i-- {
			if strings.Contains(lines[i], "/") && strings.Contains(lines[i], "  ") && !strings.Contains(lines[i], "•") {
				return lines[i]
			}
		}
		return ""
	}
	// The picker is sorted by id: amara eva jonas lee maria omar priya raj
	// sam tina wall; it opens on the current user.
	p.keys("u")
	p.waitFor("Who is at this terminal?")
	p.keys("Down", "Down", "Down", "Down", "Enter")
	p.waitFor("Sam Ortiz (sam)", "[North America]")
	// Take the first case sam may take: the top new case of the region.
	number := ""
	for tries := 0; number == "" && tries < 20; tries++ {
		prev := status(p.screen())
		p.keys("t")
		s := p.waitUntil("the take form or a refusal", func(s string) bool {
			return strings.Contains(s, "enter submits") || (status(s) != prev && strings.Contains(status(s), "✖"))
		})
		if strings.Contains(s, "enter submits") {
			p.keys("Enter")
			s = p.waitUntil("took or refused", func(s string) bool {
				return strings.Contains(s, "took 0000") || (!strings.Contains(s, "enter submits") && strings.Contains(status(s), "✖"))
			})
			if i := strings.Index(s, "took 0000"); i >= 0 {
				number = s[i+5 : i+13]
				break
			}
		}
		p.keys("j")
	}
	if number == "" {
		t.Fatalf("sam took no case:\n%s", p.screen())
	}
	p.keys("c")
	p.waitFor("Log the customer's call on " + number)
	p.keys("Enter")
	p.waitFor("logged a call on " + number)
	p.keys("r")
	p.waitFor("First response on " + number)
	p.keys("Enter")
	p.waitFor("first response on " + number)
	p.keys("m")
	p.waitFor("Status of "+number, "[waiting-customer]")
	p.keys("Enter")
	p.waitFor(number + " is waiting-customer")

	// The manager takes a customer's escalation request on the first case
	// old enough to escalate, and accepts it with updates every 2h.
	p.keys("u")
	p.waitFor("Who is at this terminal?")
	p.keys("Up", "Up", "Up", "Up", "Enter")
	p.waitFor("Maria Chen (maria)", "[All]")
	accepted := ""
	for tries := 0; accepted == "" && tries < 60; tries++ {
		prev := status(p.screen())
		p.keys("e")
		s := p.waitUntil("the escalate form or a refusal", func(s string) bool {
			return strings.Contains(s, "justification") || (status(s) != prev && strings.Contains(status(s), "✖"))
		})
		if strings.Contains(s, "justification") {
			// A customer contact asks (not a team member): its name, the
			// channel as it is, the justification.
			p.keys("Right", "Tab", "C-u", "Ana Ruiz", "Tab", "Tab", "Go-live on Friday", "Enter")
			s = p.waitUntil("requested or refused", func(s string) bool {
				return strings.Contains(s, "escalation requested on 0000") || (!strings.Contains(s, "enter submits") && strings.Contains(status(s), "✖"))
			})
			if i := strings.Index(s, "escalation requested on 0000"); i >= 0 {
				accepted = s[i+24 : i+32]
				break
			}
		}
		p.keys("j")
	}
	if accepted == "" {
		t.Fatalf("maria escalated no case:\n%s", p.screen())
	}
	p.keys("A")
	p.waitFor("Accept the escalation of "+accepted, "update every")
	p.keys("2", "h", "Enter")
	p.waitFor("accepted the escalation of " + accepted)

	// The TAM logs 30 minutes on the first account of her queue.
	p.keys("u")
	p.waitFor("Who is at this terminal?")
	p.keys("Down", "Down", "Down", "Down", "Down", "Enter")
	p.waitFor("Tina Okafor (tina)")
	p.keys("T")
	p.waitFor("Log TAM time", "left of")
	p.keys("Tab", "3", "0")
	p.waitFor("left after this")
	p.keys("Enter")
	p.waitFor("logged 0h30m for")
	p.keys("q")
	p.waitFor("EXITED 0")

	out, err := exec.Command(bin, "--data", dir, "export").Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var doc struct {
		Cases []struct {
			Number      int64   `json:"number"`
			Owner       *string `json:"owner"`
			Status      string  `json:"status"`
			PhonedAt    *string `json:"phoned_at"`
			RespondedAt *string `json:"responded_at"`
		} `json:"cases"`
		Escalations []struct {
			Case        int64   `json:"case"`
			Status      string  `json:"status"`
			UpdateEvery *string `json:"update_every"`
		} `json:"escalations"`
		TimeEntries []struct {
			TAM     string `json:"tam"`
			Minutes int    `json:"minutes"`
		} `json:"time_entries"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	n, _ := strconv.ParseInt(number, 10, 64)
	found := false
	for _, c := range doc.Cases {
		if c.Number == n {
			found = true
			if c.Owner == nil || *c.Owner != "sam" || c.Status != "waiting-customer" || c.PhonedAt == nil || c.RespondedAt == nil {
				t.Errorf("case %s in the export: owner %v status %s phoned %v responded %v", number, c.Owner, c.Status, c.PhonedAt, c.RespondedAt)
			}
		}
	}
	if !found {
		t.Errorf("case %s is not in the export", number)
	}
	en, _ := strconv.ParseInt(accepted, 10, 64)
	ok := false
	for _, e := range doc.Escalations {
		if e.Case == en && e.Status == "accepted" && e.UpdateEvery != nil && *e.UpdateEvery == "2h" {
			ok = true
		}
	}
	if !ok {
		t.Errorf("no accepted escalation of %s with updates every 2h in the export", accepted)
	}
	ok = false
	for _, e := range doc.TimeEntries {
		if e.TAM == "tina" && e.Minutes == 30 {
			ok = true
		}
	}
	if !ok {
		t.Error("tina's 30 minutes are not in the export")
	}
}
