package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestJumpToClosedCaseInATerminal: on the built board, `#` and a closed
// case's number go to the Closed tab with the case selected and its detail
// shown (closed, its reopen window's clock); `N` then selects the case it
// opened. The board turns the terminal's mouse reporting on.
func TestJumpToClosedCaseInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := quietStore(t, bin)
	// 00000002 closed as a duplicate of 00000001 at the pinned clock.
	if out, err := exec.Command(bin, "--data", dir, "--as", "maria", "--now", demoNow,
		"case", "close", "2", "--reason", "duplicate", "--of", "1").CombinedOutput(); err != nil {
		t.Fatalf("case close: %v %s", err, out)
	}
	p := startPane(t, 120, 40, boardOn(bin, dir))
	s := p.waitFor("Maria Chen (maria)", "00000001")
	if strings.Contains(s, "00000002") {
		t.Fatalf("the closed case shows in the open queue:\n%s", s)
	}
	if out, err := exec.Command("tmux", append(tmuxArgs, "display-message", "-p", "-t", p.session, "#{mouse_button_flag}")...).Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Errorf("the board did not turn mouse reporting on: %q %v", out, err)
	}
	p.keys("#", "2")
	p.waitFor("go to case #2█")
	p.keys("Enter")
	s = p.waitFor("[Closed]", "case 00000002 (closed, reopen ", "status closed", "closed Wed 25 Nov 10:30 ET · duplicate of", "reopen window")
	if got := selectedCase(s); got != "00000002" {
		t.Fatalf("# 2 selected %q, want 00000002:\n%s", got, s)
	}
	// A new case: selected once opened, in a tab that shows it (the first
	// of maria's: North America, since she owns none).
	p.keys("N")
	p.waitFor("New case", "1 Critical service impact")
	p.keys("Down", "2", "Down", "Jumped from tmux", "Enter")
	s = p.waitUntil("the new case selected", func(s string) bool { return selectedCase(s) == "00000003" })
	if !strings.Contains(s, "opened 00000003") || !strings.Contains(s, "[North America]") {
		t.Errorf("after N the board shows:\n%s", s)
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}
