package ui

import (
	"strings"
	"testing"

	"caseboard/keymap"

	tea "github.com/charmbracelet/bubbletea"
)

// TestPanesNeedOnlyCommon: each pane built from a copy of the board's
// Common alone, with no board behind it, draws what the board draws of it
// and answers its own keys: no pane reaches back to the root.
func TestPanesNeedOnlyCommon(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	f := b.frame()
	c := b.Common // the panes below see only this copy

	q := newQueue(&c)
	q.reset(c.user.Role)
	q.rebuild()
	c.selected = q.selected
	q.SetSize(f.queueW, f.body)
	if got, want := q.View(), b.q.render(f.queueW, f.body); got != want {
		t.Errorf("the queue alone draws:\n%s\nthe board draws:\n%s", got, want)
	}
	q.Update(tea.KeyMsg{Type: tea.KeyDown})
	if q.sel == b.q.sel || q.sel == 0 {
		t.Errorf("down on the lone queue: %d (the board's %d)", q.sel, b.q.sel)
	}
	q.Update(tea.KeyMsg{Type: tea.KeyUp})

	bank := newBank(&c)
	bank.SetSize(b.bank.w, b.bank.h)
	if got, want := bank.View(), b.bank.View(); got != want {
		t.Errorf("the bank alone draws:\n%s\nthe board draws:\n%s", got, want)
	}
	det := newDetail(&c)
	det.SetSize(b.det.w, b.det.h)
	if v := det.View(); !strings.Contains(v, q.selected().Case.Title[:10]) || !strings.Contains(v, "loading…") {
		t.Errorf("the detail alone (its trail not fetched) draws:\n%s", v)
	}

	form := c.noteForm(q.selected()).start(&c)
	form.SetSize(100, 20)
	press1 := func(k string) { form.Update(keyOf(k)) }
	press1("sent logs")
	press1("enter")
	if form.action == nil || form.cancelled {
		t.Fatalf("the lone note form gave no action:\n%s", form.View())
	}

	w, _ := testBoard(t, Options{Actor: "wall"}, 160, 45)
	wc := w.Common
	wall := newWall(&wc)
	wall.open()
	wall.SetSize(160, 45)
	if got, want := wall.View(), w.View(); got != want {
		t.Errorf("the wall alone draws:\n%s\nthe board draws:\n%s", got, want)
	}
	wall.Update(keyOf(" "))
	if wall.page != 1 {
		t.Errorf("the wall's next-page key left it on page %d", wall.page)
	}
}

// TestActionTableCoversKeymap: the board's action table has one action per
// action key of the keymap, in its order, each id once, and finds each by
// its binding and by a press of its key.
func TestActionTableCoversKeymap(t *testing.T) {
	km := keymap.Default()
	tbl := newActionTable(km.Actions)
	list := km.Actions.List()
	if len(tbl.specs) != len(list) {
		t.Fatalf("%d actions for %d keys", len(tbl.specs), len(list))
	}
	seen := map[actionID]bool{}
	for i, bd := range list {
		s, ok := tbl.forBinding(bd)
		if !ok || s != &tbl.specs[i] || seen[s.id] {
			t.Fatalf("key %q: spec %d of the table (ok %v), want %d once", bd.Keys(), s.id, ok, i)
		}
		seen[s.id] = true
		if m, ok := tbl.forMsg(keyOf(bd.Keys()[0])); !ok || m.id != s.id {
			t.Errorf("pressing %q finds %v, want action %d", bd.Keys()[0], m, s.id)
		}
		if s.id != actCommand && s.probe == nil || s.id != actCommand && s.id != actTakeNext && s.open == nil {
			t.Errorf("action %d (%q) has no probe or form", s.id, bd.Keys())
		}
	}
	if _, ok := tbl.forBinding(km.Queue.Down); ok {
		t.Error("a queue key is taken for an action")
	}
}
