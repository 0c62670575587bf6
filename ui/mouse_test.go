package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// click is a left-button press at (x, y), as the terminal reports it.
func click(b *board, x, y int) {
	_, cmd := b.Update(tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	run(b, cmd)
}

// wheelAt is one notch of the wheel at (x, y): d -1 up, 1 down.
func wheelAt(b *board, x, y, d int) {
	btn := tea.MouseButtonWheelDown
	if d < 0 {
		btn = tea.MouseButtonWheelUp
	}
	_, cmd := b.Update(tea.MouseMsg{X: x, Y: y, Button: btn, Action: tea.MouseActionPress})
	run(b, cmd)
}

// cellOf finds text on the screen as drawn: its row and first column
// (in cells), left of the detail pane's border.
func cellOf(t *testing.T, b *board, text string) (x, y int) {
	t.Helper()
	for i, l := range screenLines(b) {
		left, _, _ := strings.Cut(l, "│")
		if j := strings.Index(left, text); j >= 0 {
			return len([]rune(left[:j])), i
		}
	}
	t.Fatalf("%q is not on the screen:\n%s", text, b.View())
	return 0, 0
}

// TestMouseClickSelectsRowAndTab: a click on a queue row selects that row
// and a click on a tab's name switches to it, at every width the layout
// changes at (the positions are read off the drawn screen).
func TestMouseClickSelectsRowAndTab(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		b, _ := testBoard(t, Options{Actor: "maria"}, sz[0], sz[1])
		for _, n := range []string{"00001006", "00001009", "00001002"} {
			x, y := cellOf(t, b, n)
			click(b, x+3, y)
			if got := selectedRow(b); got != n {
				t.Errorf("%dx%d: a click on %s selected %q", sz[0], sz[1], n, got)
			}
		}
		if sz[0] >= 100 && !strings.HasPrefix(detailHead(b), "00001002") {
			t.Errorf("%dx%d: the detail does not follow the click: %q", sz[0], sz[1], detailHead(b))
		}
		for _, tab := range []string{"Escalations", "Closed", "My cases", "All"} {
			x, y := cellOf(t, b, tab)
			click(b, x+1, y)
			if !strings.Contains(tabsLine(b), "["+tab+"]") {
				t.Errorf("%dx%d: a click on %s left the tabs at %q", sz[0], sz[1], tab, tabsLine(b))
			}
		}
		// Below the last row and on the column heads nothing changes.
		before := selectedRow(b)
		_, y := cellOf(t, b, "case     sv")
		click(b, 4, y)
		click(b, 4, sz[1]-3)
		if got := selectedRow(b); got != before {
			t.Errorf("%dx%d: a click off the rows selected %q", sz[0], sz[1], got)
		}
	}
}

// TestMouseWheel: the wheel moves through the queue, scrolls the detail
// under the pointer, and scrolls the `?` screen.
func TestMouseWheel(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	first := selectedRow(b)
	wheelAt(b, 10, 10, 1)
	wheelAt(b, 10, 10, 1)
	if got := rowsOf(b); selectedRow(b) != got[2] {
		t.Errorf("two notches down selected %q, want the third row %q (from %q)", selectedRow(b), got[2], first)
	}
	wheelAt(b, 10, 10, -1)
	if got := rowsOf(b); selectedRow(b) != got[1] {
		t.Errorf("a notch up selected %q, want %q", selectedRow(b), got[1])
	}
	// Over the detail pane: the detail scrolls, the selection stays.
	sel := selectedRow(b)
	head := detailHead(b)
	wheelAt(b, 100, 10, 1)
	if selectedRow(b) != sel || detailHead(b) == head {
		t.Errorf("the wheel over the detail: selection %q (was %q), first line %q (was %q)", selectedRow(b), sel, detailHead(b), head)
	}
	wheelAt(b, 100, 10, -1)
	if detailHead(b) != head {
		t.Errorf("the wheel up did not scroll the detail back: %q", detailHead(b))
	}
	// The output pane of a long command.
	long := func(_ string, _ time.Time, _ []string, stdout, _ io.Writer) int {
		for i := 1; i <= 100; i++ {
			fmt.Fprintf(stdout, "output line %d\n", i)
		}
		return 0
	}
	o, _ := testBoard(t, Options{Actor: "maria", RunCommand: long}, 120, 40)
	press(o, ":", "queue", "enter")
	if !strings.Contains(o.View(), "output line 1\n") && !strings.Contains(o.View(), "output line 1 ") {
		t.Fatalf("no output pane:\n%s", o.View())
	}
	wheelAt(o, 10, 10, 1)
	if v := o.View(); strings.Contains(v, "output line 1 ") || !strings.Contains(v, "output line 4 ") {
		t.Errorf("the wheel does not scroll the output pane:\n%s", v)
	}
	// The help screen scrolls at a size where it does not fit.
	h, _ := testBoard(t, Options{Actor: "maria"}, 60, 16)
	press(h, "?")
	top := h.View()
	wheelAt(h, 10, 8, 1)
	if h.View() == top {
		t.Errorf("the wheel does not scroll the help screen")
	}
	wheelAt(h, 10, 8, -1)
	if h.View() != top {
		t.Errorf("the wheel up does not scroll the help screen back")
	}
}

// noScreen is an environment whose terminal is not screen (termenv wraps
// OSC 52 for screen).
type noScreen struct{}

func (noScreen) Environ() []string { return []string{"TERM=xterm-256color"} }
func (noScreen) Getenv(k string) string {
	if k == "TERM" {
		return "xterm-256color"
	}
	return ""
}

// TestCopyCaseNumber: `y` writes exactly one OSC 52 sequence with the
// selected case's number in base64 to the board's terminal (its
// renderer's output: over SSH, the session), and says so.
func TestCopyCaseNumber(t *testing.T) {
	var term bytes.Buffer
	r := lipgloss.NewRenderer(&term, termenv.WithProfile(termenv.Ascii), termenv.WithEnvironment(noScreen{}))
	r.SetHasDarkBackground(true)
	b, _ := testBoard(t, Options{Actor: "sam", Renderer: r}, 120, 40)
	sel := selectedRow(b)
	term.Reset()
	press(b, "y")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(sel)) + "\a"
	if got := term.String(); got != want {
		t.Errorf("y wrote %q, want %q", got, want)
	}
	if !statusShows(t, b, "copied "+sel+" to the clipboard", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
}
