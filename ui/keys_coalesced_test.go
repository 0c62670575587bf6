package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestCoalescedKeys: Bubble Tea v1 hands over printable keys read in one go
// as one message ("/glo"); the board must act on each key, as if typed one
// by one: `/` opens the filter and the rest filters. A paste stays text.
func TestCoalescedKeys(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	update(b, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/globex")})
	if _, _, _, rows := statusOf(t, b); !strings.Contains(tabsLine(b), "filter: /globex█") || rows != 2 {
		t.Fatalf(`"/globex" in one message: tabs %q, %d rows; want the filter "globex" and 2 rows`, tabsLine(b), rows)
	}
	update(b, tea.KeyMsg{Type: tea.KeyEscape})
	_, _, from, _ := statusOf(t, b)
	update(b, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if _, _, to, _ := statusOf(t, b); to != from+2 {
		t.Errorf(`"jj" in one message moved the cursor from row %d to %d, want %d`, from, to, from+2)
	}
}

func update(b *board, msg tea.Msg) {
	_, cmd := b.Update(msg)
	run(b, cmd)
}
