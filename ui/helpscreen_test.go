package ui

import (
	"strconv"
	"strings"
	"testing"
)

// TestHelpScreenShowsEveryKey: `?` lists every key the role may use,
// grouped by pane, at every size from 60x16: what does not fit on screen
// is reached by scrolling, and nothing is cut off.
func TestHelpScreenShowsEveryKey(t *testing.T) {
	for _, c := range []struct {
		actor string
		w, h  int
	}{{"maria", 60, 16}, {"maria", 80, 24}, {"sam", 120, 40}, {"tina", 200, 60}} {
		b, _ := testBoard(t, Options{Actor: c.actor}, c.w, c.h)
		got := helpScreenText(b)
		want := []string{"Queue", "Everywhere", "Case detail", "On the selected case", "On the desk", "In a form",
			"close", "escalate", "note", "new case", "next field", "keep filter", "back to queue", "quit"}
		if c.actor != "sam" {
			want = append(want, "weekly report")
		}
		if c.actor != "tina" {
			want = append(want, "take next")
		} else if strings.Contains(got, "take next") {
			t.Errorf("tina (a TAM, who never takes) is shown take next")
		}
		if c.actor == "maria" {
			want = append(want, "assign", "decline escalation", "close escalation", "reports panel", "void time entry")
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s at %dx%d: the help never shows %q", c.actor, c.w, c.h, w)
			}
		}
		for _, l := range strings.Split(b.View(), "\n") {
			if n := len([]rune(l)); n > c.w {
				t.Errorf("%dx%d: a line of %d cells: %q", c.w, c.h, n, l)
			}
		}
		if n := strings.Count(b.View(), "\n") + 1; n != c.h {
			t.Errorf("%dx%d: %d lines on screen", c.w, c.h, n)
		}
		golden(t, c.actor+"_"+strconv.Itoa(c.w)+"x"+strconv.Itoa(c.h)+"_scrolled", b.View())
		press(b, "G", "k", "esc")
		if !queueShown(b) {
			t.Errorf("%dx%d: esc did not close the help:\n%s", c.w, c.h, b.View())
		}
	}
}

// helpScreenText opens `?` and scrolls it to its end, returning every
// screen seen; the help stays open on its last page.
func helpScreenText(b *board) string {
	press(b, "?")
	var seen strings.Builder
	seen.WriteString(b.View())
	for i := 0; i < 80; i++ {
		press(b, "j")
		seen.WriteString(b.View())
	}
	return seen.String()
}
