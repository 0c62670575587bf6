package ui

import (
	"strings"
	"testing"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// hostile are terminal attacks a person could type into any text field.
var hostile = map[string]string{
	"CSI clear screen": "\x1b[2J",
	"OSC 52 clipboard": "\x1b]52;c;ZXZpbA==\x07",
	"OSC 8 link":       "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"bidi override":    "\u202egnp.exe",
	"NUL and controls": "a\x00b\x07c\x08d\x9bX",
}

// hostileDesk is the test desk with payload in every text field people
// type: titles, account names, contact names, user names, notes,
// justifications and escalation summaries.
func hostileDesk(payload string) *model.Desk {
	d := testDesk()
	for _, c := range d.Cases {
		c.Title = "T" + payload
		c.Contact = "C" + payload
	}
	for _, a := range d.Accounts {
		a.Name = "A" + payload
		for i := range a.Contacts {
			a.Contacts[i].Name = "C" + payload
		}
	}
	for _, u := range d.Users {
		u.Name = "U" + payload
	}
	for n, es := range d.Escalations {
		for i := range es {
			es[i].Justification = "J" + payload
			es[i].RequestedBy = "contact:R" + payload
			for j := range es[i].Updates {
				es[i].Updates[j].Summary = "S" + payload
			}
		}
		d.Escalations[n] = es
	}
	for i := range d.Events {
		if d.Events[i].Kind == "noted" {
			d.Events[i].After = []byte(`{"note":"N` + jsonEscape(payload) + `"}`)
		}
	}
	for _, e := range d.TimeEntries {
		e.Note = "E" + payload
	}
	return d
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == '"' || r == '\\' || r >= 0x7f && r <= 0x9f:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hostileScreens drives a board over the hostile desk through every pane
// and returns each screen.
func hostileScreens(t *testing.T, payload string) map[string]string {
	t.Helper()
	screens := map[string]string{}
	d := hostileDesk(payload)
	for _, o := range []Options{{Actor: "maria"}, {Actor: "sam"}, {Actor: "tina"}, {Actor: "wall", Wall: true, Titles: true}, {Actor: "", Demo: true}} {
		fb := newFakeBackend(d, model.DefaultPolicy(), 64)
		b, _ := testBoard(t, Options{Backend: fb, Actor: o.Actor, Wall: o.Wall, Titles: o.Titles, Demo: o.Demo}, 160, 50)
		name := o.Actor
		if name == "" {
			name = "picker"
		}
		screens[name+" start"] = b.View()
		for i := 0; i < 5; i++ {
			press(b, "tab")
			screens[name+" tab"+string(rune('1'+i))] = b.View()
		}
		press(b, "enter")
		screens[name+" detail"] = b.View()
		press(b, "j", "j", "j")
		screens[name+" detail scrolled"] = b.View()
		press(b, "esc", "/")
		press(b, strings.Split(payload, "")...)
		screens[name+" filter typed"] = b.View()
		press(b, "esc", "?")
		screens[name+" help"] = b.View()
		b.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		screens[name+" wide"] = b.View()
	}
	return screens
}

// TestBoardShowsHostileTextInert: every kind of terminal attack, in every
// text field, on every pane and role: the screen never carries a raw ESC
// (or a C1 CSI, or a bidi override) from people's text, and the text is
// still visible in its inert form.
func TestBoardShowsHostileTextInert(t *testing.T) {
	for name, payload := range hostile {
		t.Run(name, func(t *testing.T) {
			screens := hostileScreens(t, payload)
			shown := false
			for where, s := range screens {
				if i := strings.IndexAny(s, "\x1b\x00\x07\x08\u009b\u202e"); i >= 0 {
					t.Errorf("%s: raw control %q reached the screen:\n%s", where, s[i:min(len(s), i+12)], s)
				}
				if strings.Contains(s, model.Inert("T"+payload)) {
					shown = true
				}
			}
			if !shown {
				t.Errorf("the title is never shown in its inert form %q", model.Inert("T"+payload))
			}
		})
	}
}

// FuzzBoardKeys drives the board (ui.New's model) on the hostile desk
// with arbitrary key messages, window sizes and roles: it never panics,
// and View never carries a raw ESC from people's text (the ASCII profile
// paints no colour, so any ESC would come from text).
func FuzzBoardKeys(f *testing.F) {
	f.Add([]byte{0, 'j', 'j', '\r', 'k', 0x1b, '/', 0x1b, '[', '2', 'J', '\r', '\t', '?'})
	f.Add([]byte{1, '\t', '\t', '\t', '\r', 'G', 'g', 's', 'u', '\r'})
	f.Add([]byte{2, 'u', 'j', '\r', '\t', 0xff, 0x80, 'q'})
	f.Add([]byte{3, ' ', ' ', ' ', 'q'})
	f.Add([]byte{4, 'j', '\r', 'j', '\r'})
	f.Add([]byte{0, '!', 'j', 'x', 'k', '\r', '!', 'j', 0x1b})
	payload := hostile["OSC 52 clipboard"] + hostile["bidi override"]
	d := hostileDesk(payload)
	var fuzzAlerts []model.Alert
	for _, n := range []int64{1001, 1004, 1007, 1009} {
		a := newCaseAlert(n)
		a.Text, a.Account = "X"+payload, "acct"+payload
		fuzzAlerts = append(fuzzAlerts, a)
	}
	p := model.DefaultPolicy()
	actors := []Options{{Actor: "maria"}, {Actor: "sam"}, {Actor: "tina"}, {Actor: "wall", Wall: true, Titles: true}, {Demo: true}, {Actor: "lee", Demo: true}}
	specials := []tea.KeyType{tea.KeyEnter, tea.KeyEscape, tea.KeyTab, tea.KeyShiftTab, tea.KeyUp, tea.KeyDown,
		tea.KeyPgUp, tea.KeyPgDown, tea.KeyHome, tea.KeyEnd, tea.KeyBackspace, tea.KeyLeft, tea.KeyRight,
		tea.KeySpace, tea.KeyCtrlU, tea.KeyCtrlW, tea.KeyDelete}
	f.Fuzz(func(t *testing.T, keys []byte) {
		if len(keys) == 0 || len(keys) > 400 {
			return
		}
		o := actors[int(keys[0])%len(actors)]
		o.Backend, o.Policy, o.Renderer, o.Start = newFakeBackend(d, p, 64), p, asciiRenderer(), testNow
		o.ReportDir = t.TempDir() // a W among the keys writes a weekly report: not into the source tree
		b := New(o).(*board)
		b.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		desk, _ := o.Backend.LoadDesk()
		_, cmd := b.Update(startMsg{desk: desk})
		run(b, cmd)
		// Alerts carrying the payload, for the alert list (`!`) and the wall.
		_, cmd = b.Update(alertStartMsg{alerts: fuzzAlerts})
		run(b, cmd)
		for i := 1; i < len(keys); i++ {
			k := keys[i]
			var msg tea.Msg
			switch {
			case k == 0xfe && i+2 < len(keys): // a resize, even to nothing
				msg = tea.WindowSizeMsg{Width: int(keys[i+1]), Height: int(keys[i+2]) % 80}
				i += 2
			case k >= 0xf0:
				msg = tea.KeyMsg{Type: specials[int(k-0xf0)%len(specials)]}
			case k == '\r':
				msg = tea.KeyMsg{Type: tea.KeyEnter}
			case k == '\t':
				msg = tea.KeyMsg{Type: tea.KeyTab}
			case k == 0x1b:
				msg = tea.KeyMsg{Type: tea.KeyEscape}
			case k == 0x7f:
				msg = tea.KeyMsg{Type: tea.KeyBackspace}
			default: // typed text, controls included (a paste)
				msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(k)}, Paste: k < 0x20}
			}
			_, c := b.Update(msg)
			if c == nil {
				continue
			}
			m := c()
			if _, quit := m.(tea.QuitMsg); quit {
				break
			}
			run(b, func() tea.Msg { return m })
		}
		if v := b.View(); strings.ContainsAny(v, "\x1b\u202e") {
			t.Fatalf("a raw escape reached the screen after %q:\n%q", keys, v)
		}
	})
}
