package serve_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

// header is the board's first line for maria.
var header = regexp.MustCompile(`caseboard Maria Chen \(maria\)`)

// TestBoardDrawsWithoutTerminalAnswers: a client whose terminal answers
// no query (no background colour, no device attributes) gets the board's
// header within 2 s, its first key press is the board's (q quits), and an
// answer that comes late is not typed into the board.
func TestBoardDrawsWithoutTerminalAnswers(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 4)
	start := time.Now()
	b := openBoardAnswering(t, sv.Addr, d.keys["maria"], "")
	if !b.waitFor(0, header, 2*time.Second) {
		t.Fatalf("no header 2 s after opening a board on a terminal that answers nothing:\n%q", b.since(0))
	}
	t.Logf("first frame after %s", time.Since(start).Round(time.Millisecond))
	m := b.mark()
	// The answers, late: taken out of the input, never keys.
	typeKeys(t, b, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\", "\x1b[?62;22c", "/")
	if !b.waitFor(m, regexp.MustCompile(`filter`), 5*time.Second) {
		t.Fatalf("/ did not open the filter after the late answers:\n%s", b.since(m))
	}
	typeKeys(t, b, "\x1b")
	if s := b.since(m); strings.Contains(s, "rgb") || strings.Contains(s, "62;22") {
		t.Fatalf("the late answers reached the board as keys:\n%s", s)
	}
	if _, err := b.in.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if !b.ended(5 * time.Second) {
		t.Fatalf("q did not quit the board:\n%s", b.since(m))
	}
}

// TestBoardStyledByTerminalAnswer: a terminal that answers a light
// background gets the light variant of the theme's colours, one that
// answers dark (and one that answers nothing) the dark variant; the
// answers never show on the screen.
func TestBoardStyledByTerminalAnswer(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 8)
	// ui/theme.go's faint grey (the header's clock, the tabs not chosen),
	// as termenv writes it for xterm-256color.
	light := termenv.ANSI256.Color("#6C6C6C").Sequence(false)
	dark := termenv.ANSI256.Color("#8A8A8A").Sequence(false)
	if light == dark {
		t.Fatalf("the two greys are one colour at 256 colours: %s", light)
	}
	for _, c := range []struct {
		name, answers string
		want, not     string
	}{
		{"light", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", light, dark},
		{"light BEL", "\x1b]11;rgb:f0/f0/e0\a\x1b[?1;2c", light, dark},
		{"dark", termAnswers, dark, light},
		{"no OSC 11", "\x1b[?62;22c", dark, light},
		{"nothing", "", dark, light},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := openBoardAnswering(t, sv.Addr, d.keys["maria"], c.answers)
			if !b.waitFor(0, header, 5*time.Second) || !b.waitFor(0, boardUp, 5*time.Second) {
				t.Fatalf("no board:\n%s", b.since(0))
			}
			b.mu.Lock()
			raw := b.buf.String()
			b.mu.Unlock()
			if !strings.Contains(raw, "\x1b["+c.want+"m") && !strings.Contains(raw, ";"+c.want+"m") {
				t.Errorf("the board is not drawn with %q:\n%q", c.want, raw)
			}
			if strings.Contains(raw, c.not+"m") {
				t.Errorf("the board is drawn with %q too:\n%q", c.not, raw)
			}
			if s := b.since(0); strings.Contains(s, "rgb") || strings.Contains(s, "62;22") {
				t.Errorf("the answers show on the screen:\n%s", s)
			}
		})
	}
}
