package main

import (
	"strings"
	"testing"
)

// TestEMEAClockInATerminal: on the built binary, an EMEA specialist's
// demo board shows and names GMT in its header clock; the demo's manager
// (North America) reads ET.
func TestEMEAClockInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	p := startPane(t, 160, 45, bin+" --demo --as eva --now "+demoNow)
	s := p.waitFor("Eva Lindqvist (eva)", "Wed 25 Nov 2026 15:30", "GMT", "Audit trail")
	if head := strings.Split(s, "\n")[0]; !strings.Contains(head, "15:30") || !strings.Contains(head, " GMT") {
		t.Errorf("eva's header clock: %q", head)
	}
	p.keys("q")
	p.waitFor("EXITED 0")

	m := startPane(t, 160, 45, bin+" --demo --now "+demoNow)
	s = m.waitFor("Maria Chen (maria)", "Wed 25 Nov 2026 10:30", "Audit trail")
	if head := strings.Split(s, "\n")[0]; !strings.Contains(head, "10:30") || !strings.Contains(head, " ET") {
		t.Errorf("maria's header clock: %q", head)
	}
	m.keys("q")
	m.waitFor("EXITED 0")
}
