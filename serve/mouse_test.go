package serve_test

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"
)

// raw is the session's output after mark, escape sequences kept.
func (sc *screen) raw(mark int) string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return string(sc.buf.Bytes()[mark:])
}

var osc52 = regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]+)\a")

// TestBoardOverSSHMouseAndCopy: a board over SSH turns the terminal's
// mouse reporting on (cell motion, SGR), and `y` sends the selected case's
// number as OSC 52 to the session's own terminal (the server's terminal
// gets nothing: the sequence is in this session's output).
func TestBoardOverSSHMouseAndCopy(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	b := openBoard(t, sv.Addr, d.keys["maria"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("maria's board never came up:\n%s", b.since(0))
	}
	if out := b.raw(0); !strings.Contains(out, "\x1b[?1002h") || !strings.Contains(out, "\x1b[?1006h") {
		t.Errorf("the board did not turn mouse reporting on (cell motion, SGR)")
	}
	m := b.mark()
	typeKeys(t, b, "y")
	if !b.waitFor(m, regexp.MustCompile(`copied \d{8} to the clipboard`), 5*time.Second) {
		t.Fatalf("y: no status line:\n%s", b.since(m))
	}
	got := osc52.FindStringSubmatch(b.raw(m))
	if got == nil {
		t.Fatalf("y sent no OSC 52 sequence to the session")
	}
	num, err := base64.StdEncoding.DecodeString(got[1])
	if err != nil || !strings.Contains(b.since(m), "copied "+string(num)+" to the clipboard") {
		t.Errorf("the clipboard got %q (%v), the status line says:\n%s", num, err, b.since(m))
	}
	drain(t, b)
}
