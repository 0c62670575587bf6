package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// TestDetailShowsANewNoteAtOnce: a note on the selected case, the user's
// own (through the board) or one from another terminal (only in the feed),
// shows in the open detail without the selection moving. A note changes
// no case record, only the trail, so the event itself must refresh it.
func TestDetailShowsANewNoteAtOnce(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 200, 60)
	e := b.q.selected()
	if e == nil {
		t.Fatal("no case selected")
	}
	n := e.Case.Number
	feed, cancel := fb.Subscribe()
	defer cancel()
	if !strings.Contains(b.View(), "Audit trail") {
		t.Fatalf("no detail pane:\n%s", b.View())
	}

	// Another terminal: the store's change reaches the board by the feed.
	if _, err := fb.Do("maria", model.NoteCase{Number: n, Text: "customer sent logs"}, testNow); err != nil {
		t.Fatal(err)
	}
	_, cmd := b.Update(feedMsg{updates: []Update{<-feed}})
	run(b, cmd)
	if b.q.selected().Case.Number != n {
		t.Fatalf("the selection moved to %d", b.q.selected().Case.Number)
	}
	if v := b.View(); !strings.Contains(v, "note by maria: customer sent logs") {
		t.Errorf("maria's note is not in the open detail:\n%s", v)
	}

	// The user's own note, through the form: the change comes back by the
	// feed like any other.
	press(b, "n")
	press(b, "restarted the node", "enter")
	_, cmd = b.Update(feedMsg{updates: []Update{<-feed}})
	run(b, cmd)
	if v := b.View(); !strings.Contains(v, "note by sam: restarted the node") {
		t.Errorf("sam's own note is not in the open detail:\n%s", v)
	}
}
