package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// caseOwner is `caseboard case show N --json`'s status and owner.
func caseOwner(t *testing.T, bin, dir, n string) (status, owner string) {
	t.Helper()
	out, err := exec.Command(bin, "--data", dir, "--as", "maria", "--json", "case", "show", n).Output()
	if err != nil {
		t.Fatalf("case show %s: %v", n, err)
	}
	var doc struct {
		Case *struct {
			Status string  `json:"status"`
			Owner  *string `json:"owner"`
		} `json:"case"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || doc.Case == nil {
		t.Fatalf("case show %s: %v %s", n, err, out)
	}
	if doc.Case.Owner != nil {
		owner = *doc.Case.Owner
	}
	return doc.Case.Status, owner
}

// TestTakeNextInATerminal: a specialist presses w and the most urgent new
// case of their region (the severity 1 opened last, before the lower
// numbers) becomes theirs and is selected; again for the next; with none
// left the status line says why and nothing changes.
func TestTakeNextInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := quietStore(t, bin)
	if out, err := exec.Command(bin, "--data", dir, "--now", demoNow, "--as", "maria", "case", "new", "--account", "acme",
		"--severity", "1", "--title", "Cluster down").CombinedOutput(); err != nil || !strings.Contains(string(out), "00000003") {
		t.Fatalf("case new: %v %s", err, out)
	}
	p := startPane(t, 120, 40, bin+" --data "+dir+" --as lee --now "+demoNow)
	s := p.waitFor("Lee Park (lee)", "00000003", "w take next")
	for _, want := range []string{"00000003", "00000001", "00000002"} {
		p.keys("w")
		s = p.waitUntil(want+" selected and lee's", func(s string) bool {
			return selectedCase(s) == want && strings.Contains(selectedLine(s), " assigned ") && strings.Contains(selectedLine(s), " lee ")
		})
		if st, owner := caseOwner(t, bin, dir, want); st != "assigned" || owner != "lee" {
			t.Fatalf("after w %s is %s, owner %q; want lee's:\n%s", want, st, owner, s)
		}
	}
	if st, _ := caseOwner(t, bin, dir, "00000002"); st != "assigned" {
		t.Fatalf("00000002 is %s", st)
	}
	p.keys("w")
	s = p.waitFor("no new case in North America to take")
	if strings.Contains(s, "w take next") {
		t.Errorf("nothing left to take, but the help bar offers w:\n%s", s)
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}

// selectedLine is the queue row under the cursor ("▸"), left of the
// detail pane.
func selectedLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		left, _, _ := strings.Cut(line, "│")
		if _, sel := queueRow(left); sel {
			return left
		}
	}
	return ""
}
