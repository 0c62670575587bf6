package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/model"
)

// queueRow reads a queue row left of the detail pane: its case number and
// whether the cursor ("▸") is on it, with or without the unread-alert mark
// ("!") before the number. A line that is not a queue row gives "".
func queueRow(left string) (number string, selected bool) {
	row := strings.TrimSpace(left)
	row, selected = strings.CutPrefix(row, "▸")
	f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(row), "!"))
	if len(f) > 1 && len(f[0]) == 8 && strings.HasPrefix(f[0], "0000") {
		return f[0], selected
	}
	return "", false
}

// selectedCase is the number on the queue row under the cursor.
func selectedCase(s string) string {
	for _, line := range strings.Split(s, "\n") {
		left, _, _ := strings.Cut(line, "│")
		if n, sel := queueRow(left); sel {
			return n
		}
	}
	return ""
}

// quietStore is a store with a manager, a specialist, an account and two
// new cases (00000001 severity 2, 00000002 severity 3), made through the commands: no demo simulator moves
// anything under the test.
func quietStore(t *testing.T, bin string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	for _, args := range [][]string{
		{"user", "add", "maria", "--name", "Maria Chen", "--role", "manager", "--region", "na"},
		{"--as", "maria", "user", "add", "lee", "--name", "Lee Park", "--role", "specialist", "--region", "na"},
		{"--as", "maria", "account", "add", "acme", "--name", "Acme Corp", "--plan", "premium", "--region", "na", "--tam-plan", "none"},
		{"--as", "maria", "case", "new", "--account", "acme", "--severity", "2", "--title", "Index rebuild stuck"},
		{"--as", "maria", "case", "new", "--account", "acme", "--severity", "3", "--title", "Facet counts wrong"},
	} {
		if out, err := exec.Command(bin, append([]string{"--data", dir, "--now", demoNow}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("caseboard %s: %v %s", strings.Join(args, " "), err, out)
		}
	}
	return dir
}

// boardOn is the board's command line on a quiet store, as maria.
func boardOn(bin, dir string) string { return bin + " --data " + dir + " --as maria --now " + demoNow }

// caseJSON is `caseboard case show N --json`'s case.
func caseJSON(t *testing.T, bin, dir, n string) (c struct {
	Severity int    `json:"severity"`
	Title    string `json:"title"`
	Status   string `json:"status"`
}) {
	t.Helper()
	out, err := exec.Command(bin, "--data", dir, "--as", "maria", "--json", "case", "show", n).Output()
	if err != nil {
		t.Fatalf("case show %s: %v", n, err)
	}
	var doc struct {
		Case *struct {
			Severity int    `json:"severity"`
			Title    string `json:"title"`
			Status   string `json:"status"`
		} `json:"case"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || doc.Case == nil {
		t.Fatalf("case show %s: %v %s", n, err, out)
	}
	c.Severity, c.Title, c.Status = doc.Case.Severity, doc.Case.Title, doc.Case.Status
	return c
}

// TestNoteFromAnotherTerminalInATerminal: while the board holds the store,
// a note added by a forwarded `caseboard case note` shows in the open
// detail of the selected case, the selection unmoved.
func TestNoteFromAnotherTerminalInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := quietStore(t, bin)
	p := startPane(t, 160, 50, boardOn(bin, dir))
	s := p.waitFor("Maria Chen (maria)", "Audit trail", "opened by maria")
	n := selectedCase(s)
	if n == "" {
		t.Fatalf("no selected case:\n%s", s)
	}
	out, err := exec.Command(bin, "--data", dir, "--as", "lee", "case", "note", n, "logs-from-the-other-desk").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "noted "+n) {
		t.Fatalf("forwarded note: %v %s", err, out)
	}
	s = p.waitFor("note by lee: logs-from-the-other-desk")
	if got := selectedCase(s); got != n {
		t.Errorf("the selection moved from %s to %s", n, got)
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}

// TestNewCaseSeverityInATerminal: enter on a filled new-case form opens
// nothing until a severity is chosen; the chosen one's definition shows
// and the case opens with it.
func TestNewCaseSeverityInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := quietStore(t, bin)
	p := startPane(t, 120, 40, boardOn(bin, dir))
	p.waitFor("Maria Chen (maria)", "00000001")
	p.keys("N")
	p.waitFor("New case", "enter submits")
	p.keys("Down", "Down", "Broken SSO from tmux", "Enter")
	s := p.waitFor("▸ severity", "choose a severity")
	if strings.Contains(s, "opened 0000") || !strings.Contains(s, "enter submits") {
		t.Fatalf("enter without a severity opened a case:\n%s", s)
	}
	p.keys("3")
	p.waitFor(model.SeverityHelp(3)[:25])
	p.keys("Enter")
	s = p.waitFor("opened 0000")
	i := strings.Index(s, "opened 0000")
	number := s[i+7 : i+15]
	p.keys("q")
	p.waitFor("EXITED 0")

	if c := caseJSON(t, bin, dir, number); c.Severity != 3 || c.Title != "Broken SSO from tmux" {
		t.Errorf("case %s: %+v", number, c)
	}
}

// TestRefusedFormsInATerminal: a refused filled form (a duplicate of
// itself) stays open with what was typed and the refusal under it; a form
// that cannot succeed (status of a new case, declining where nothing was
// requested) does not open and the status line says why.
func TestRefusedFormsInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := quietStore(t, bin)
	p := startPane(t, 120, 40, boardOn(bin, dir))
	s := p.waitFor("Maria Chen (maria)", "status new")
	n := selectedCase(s)
	if n == "" {
		t.Fatalf("no selected case:\n%s", s)
	}
	p.keys("x")
	p.waitFor("Close "+n, "duplicate of")
	p.keys("Right", "Tab", n, "Enter")
	p.waitFor("close " + n + "? (y/n)")
	p.keys("y")
	s = p.waitFor("a case cannot duplicate itself", "Close "+n, n+"█")
	p.keys("Escape")
	p.waitFor("cancelled: nothing written")

	p.keys("m")
	s = p.waitFor("no status change from new on " + n)
	if strings.Contains(s, "Status of "+n) {
		t.Errorf("the status form opened on a new case:\n%s", s)
	}
	p.keys("D")
	s = p.waitFor("cannot decline the escalation of " + n)
	if strings.Contains(s, "Decline the escalation of") {
		t.Errorf("the decline form opened:\n%s", s)
	}
	p.keys("q")
	p.waitFor("EXITED 0")

	if c := caseJSON(t, bin, dir, n); c.Status != "new" {
		t.Errorf("case %s after the refusals: %+v", n, c)
	}
}
