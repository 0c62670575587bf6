package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestCoalescedKeys: Bubble Tea v1 hands over printable keys read in one go
// as one message ("/glo"); the board must act on each key, as if typed one
// by one: `/` opens the filter and the rest filters. A paste stays text.
func TestCoalescedKeys(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	update(b, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/globex")})
	if b.q.filter != "globex" || b.q.len() != 2 {
		t.Fatalf(`"/globex" in one message: filter %q, %d rows; want the filter "globex" and 2 rows`, b.q.filter, b.q.len())
	}
	update(b, tea.KeyMsg{Type: tea.KeyEscape})
	from := b.q.cursor
	update(b, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if b.q.cursor != from+2 {
		t.Errorf(`"jj" in one message moved the cursor from row %d to %d, want %d`, from, b.q.cursor, from+2)
	}
}

func update(b *board, msg tea.Msg) {
	_, cmd := b.Update(msg)
	run(b, cmd)
}
