package ui

import (
	"io"
	"testing"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// keyMsgFor is the message a terminal sends for a key name of keymap/.
func keyMsgFor(t *testing.T, k string) tea.KeyMsg {
	t.Helper()
	types := map[string]tea.KeyType{"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd, "ctrl+c": tea.KeyCtrlC,
		"backspace": tea.KeyBackspace}
	msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	if ty, ok := types[k]; ok {
		msg = tea.KeyMsg{Type: ty}
	} else if k == " " {
		msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	if msg.String() != k {
		t.Fatalf("key %q is sent as %q", k, msg.String())
	}
	return msg
}

// TestEveryKeyReachesSomething: in each context, every key of every
// binding changes the screen (a pane, a form, the status line) or quits.
func TestEveryKeyReachesSomething(t *testing.T) {
	stub := func(actor string, now time.Time, args []string, stdout, stderr io.Writer) int {
		io.WriteString(stdout, "line 1\nline 2\nline 3\n")
		return 0
	}
	setups := map[keymap.Context]struct {
		o    Options
		keys []string
		prep func(*board)
	}{
		keymap.CtxQueue:   {Options{Actor: "maria"}, []string{"j", "j"}, nil},
		keymap.CtxDetail:  {Options{Actor: "maria"}, []string{"j", "enter", "j"}, nil},
		keymap.CtxFilter:  {Options{Actor: "maria"}, []string{"/", "a"}, nil},
		keymap.CtxPicker:  {Options{Demo: true}, []string{"j"}, nil},
		keymap.CtxWall:    {Options{Actor: "wall"}, nil, nil},
		keymap.CtxForm:    {Options{Actor: "maria"}, []string{"/", "00001003", "enter", "x", "right"}, nil},
		keymap.CtxConfirm: {Options{Actor: "maria"}, []string{"/", "00001003", "enter", "x", "enter"}, nil},
		keymap.CtxPrompt:  {Options{Actor: "maria"}, []string{":", "x", "enter", ":", "ca"}, nil},
		keymap.CtxOutput:  {Options{Actor: "maria"}, []string{":", "x", "enter", "j"}, nil},
		keymap.CtxPanel:   {Options{Actor: "maria"}, []string{"P"}, nil},
		keymap.CtxJump:    {Options{Actor: "maria"}, []string{"#", "1", "0", "1", "2"}, nil},
		// Three alerts, the cursor on the middle one, so up and down move.
		keymap.CtxAlerts: {Options{Actor: "maria"}, []string{"!", "j"}, func(b *board) {
			b.Update(alertMsg{alerts: []model.Alert{newCaseAlert(1004), newCaseAlert(1009), newCaseAlert(1001)}})
		}},
	}
	km := keymap.Default()
	for _, ctx := range keymap.Contexts() {
		s, ok := setups[ctx]
		if !ok {
			t.Errorf("no setup for context %s", ctx)
			continue
		}
		for _, bd := range km.Bindings(ctx) {
			for _, k := range bd.Keys() {
				s.o.RunCommand = stub
				b, _ := testBoard(t, s.o, 120, 40)
				if s.prep != nil {
					s.prep(b)
				}
				press(b, s.keys...)
				if ctx == keymap.CtxPrompt && k == "down" {
					press(b, "up") // something newer to come back to
				}
				if got := b.context(); got != ctx {
					t.Fatalf("setup of %s lands in %s", ctx, got)
				}
				before := b.View()
				_, cmd := b.Update(keyMsgFor(t, k))
				quits := false
				if cmd != nil {
					msg := cmd()
					if _, ok := msg.(tea.QuitMsg); ok {
						quits = true
					} else {
						run(b, func() tea.Msg { return msg })
					}
				}
				if !quits && b.View() == before {
					t.Errorf("%s: %q (%s) changes nothing", ctx, k, bd.Help().Desc)
				}
			}
		}
	}
}

// TestWallHasNoActionKeys: on the wall no action key opens anything or
// writes.
func TestWallHasNoActionKeys(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "wall"}, 160, 45)
	before := b.View()
	km := keymap.Default()
	for _, bd := range append(km.Actions.List(), km.Reports.List()...) {
		for _, k := range bd.Keys() {
			_, cmd := b.Update(keyMsgFor(t, k))
			if cmd != nil || b.View() != before {
				t.Errorf("the wall answered %q", k)
			}
		}
	}
	if b.View() != before || fb.doCount() != 0 {
		t.Error("action keys changed the wall")
	}
}
