// Package keymap holds every key binding of the board, grouped per pane,
// with its help text: the one place to rebind a key.
package keymap

import "github.com/charmbracelet/bubbles/key"

// Global are the keys that work wherever the board is not reading text.
type Global struct {
	Quit       key.Binding
	Help       key.Binding
	NextTab    key.Binding
	PrevTab    key.Binding
	Sort       key.Binding
	Filter     key.Binding
	SwitchUser key.Binding
}

// Queue moves the cursor through the queue list.
type Queue struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Detail   key.Binding
}

// Detail scrolls the selected case's detail pane.
type Detail struct {
	Up   key.Binding
	Down key.Binding
	Back key.Binding
}

// Actions are the keys that will act on the selected case (a later issue);
// today they answer "not yet" in the status line.
type Actions struct {
	Take     key.Binding
	Call     key.Binding
	Respond  key.Binding
	Note     key.Binding
	Escalate key.Binding
	Command  key.Binding
}

// Filter edits the `/` filter.
type Filter struct {
	Apply  key.Binding
	Cancel key.Binding
	Quit   key.Binding
}

// Picker chooses the acting user.
type Picker struct {
	Up     key.Binding
	Down   key.Binding
	Choose key.Binding
	Quit   key.Binding
}

// Wall is the read-only wall mode: it only quits.
type Wall struct {
	Quit key.Binding
	Next key.Binding
}

// Map is every binding of one board.
type Map struct {
	Global  Global
	Queue   Queue
	Detail  Detail
	Actions Actions
	Filter  Filter
	Picker  Picker
	Wall    Wall
}

func b(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Default returns the default bindings. Each board gets its own copy, so a
// session can rebind without touching another.
func Default() Map {
	return Map{
		Global: Global{
			Quit:       b("q", "quit", "q", "ctrl+c"),
			Help:       b("?", "more keys", "?"),
			NextTab:    b("tab", "next queue", "tab"),
			PrevTab:    b("shift+tab", "previous queue", "shift+tab"),
			Sort:       b("s", "severity/due order", "s"),
			Filter:     b("/", "filter", "/"),
			SwitchUser: b("u", "switch user", "u"),
		},
		Queue: Queue{
			Up:       b("↑/k", "up", "up", "k"),
			Down:     b("↓/j", "down", "down", "j"),
			PageUp:   b("pgup", "page up", "pgup"),
			PageDown: b("pgdn", "page down", "pgdown", " "),
			Top:      b("g", "first", "home", "g"),
			Bottom:   b("G", "last", "end", "G"),
			Detail:   b("enter", "case detail", "enter"),
		},
		Detail: Detail{
			Up:   b("↑/k", "scroll up", "up", "k"),
			Down: b("↓/j", "scroll down", "down", "j"),
			Back: b("esc", "back to queue", "esc"),
		},
		Actions: Actions{
			Take:     b("t", "take", "t"),
			Call:     b("c", "log call", "c"),
			Respond:  b("r", "respond", "r"),
			Note:     b("n", "note", "n"),
			Escalate: b("e", "escalate", "e"),
			Command:  b(":", "command", ":"),
		},
		Filter: Filter{
			Apply:  b("enter", "keep filter", "enter"),
			Cancel: b("esc", "clear filter", "esc"),
			Quit:   b("ctrl+c", "quit", "ctrl+c"),
		},
		Picker: Picker{
			Up:     b("↑/k", "up", "up", "k"),
			Down:   b("↓/j", "down", "down", "j"),
			Choose: b("enter", "act as", "enter"),
			Quit:   b("q", "quit", "q", "ctrl+c"),
		},
		Wall: Wall{
			Quit: b("q", "quit", "q", "ctrl+c"),
			Next: b("space", "next page", " "),
		},
	}
}

// Context names a set of bindings that are active at the same time.
type Context string

// The contexts of the board.
const (
	CtxQueue  Context = "queue"
	CtxDetail Context = "detail"
	CtxFilter Context = "filter"
	CtxPicker Context = "picker"
	CtxWall   Context = "wall"
)

// Bindings lists the bindings active in a context, in help order.
func (m Map) Bindings(c Context) []key.Binding {
	g := []key.Binding{m.Global.Quit, m.Global.Help, m.Global.NextTab, m.Global.PrevTab,
		m.Global.Sort, m.Global.Filter, m.Global.SwitchUser}
	acts := []key.Binding{m.Actions.Take, m.Actions.Call, m.Actions.Respond, m.Actions.Note,
		m.Actions.Escalate, m.Actions.Command}
	switch c {
	case CtxQueue:
		q := []key.Binding{m.Queue.Up, m.Queue.Down, m.Queue.PageUp, m.Queue.PageDown,
			m.Queue.Top, m.Queue.Bottom, m.Queue.Detail}
		return append(append(q, g...), acts...)
	case CtxDetail:
		d := []key.Binding{m.Detail.Up, m.Detail.Down, m.Detail.Back}
		return append(append(d, g...), acts...)
	case CtxFilter:
		return []key.Binding{m.Filter.Apply, m.Filter.Cancel, m.Filter.Quit}
	case CtxPicker:
		return []key.Binding{m.Picker.Up, m.Picker.Down, m.Picker.Choose, m.Picker.Quit}
	case CtxWall:
		return []key.Binding{m.Wall.Quit, m.Wall.Next}
	}
	return nil
}

// Contexts lists every context.
func Contexts() []Context {
	return []Context{CtxQueue, CtxDetail, CtxFilter, CtxPicker, CtxWall}
}

// Help is the bindings of one context for bubbles/help: a short line and
// the full table.
type Help struct {
	Short []key.Binding
	Full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (h Help) ShortHelp() []key.Binding { return h.Short }

// FullHelp implements help.KeyMap.
func (h Help) FullHelp() [][]key.Binding { return h.Full }

// HelpFor returns the help of a context; readOnly leaves the action keys
// out (wall users, and TAMs until actions exist).
func (m Map) HelpFor(c Context) Help {
	switch c {
	case CtxQueue:
		return Help{
			Short: []key.Binding{m.Queue.Up, m.Queue.Down, m.Global.NextTab, m.Global.Sort,
				m.Global.Filter, m.Queue.Detail, m.Global.Help, m.Global.Quit},
			Full: [][]key.Binding{
				{m.Queue.Up, m.Queue.Down, m.Queue.PageUp, m.Queue.PageDown, m.Queue.Top, m.Queue.Bottom},
				{m.Global.NextTab, m.Global.PrevTab, m.Global.Sort, m.Global.Filter, m.Queue.Detail},
				{m.Actions.Take, m.Actions.Call, m.Actions.Respond, m.Actions.Note, m.Actions.Escalate, m.Actions.Command},
				{m.Global.SwitchUser, m.Global.Help, m.Global.Quit},
			},
		}
	case CtxDetail:
		return Help{
			Short: []key.Binding{m.Detail.Up, m.Detail.Down, m.Detail.Back, m.Global.Help, m.Global.Quit},
			Full: [][]key.Binding{
				{m.Detail.Up, m.Detail.Down, m.Detail.Back},
				{m.Global.NextTab, m.Global.PrevTab, m.Global.Sort, m.Global.Filter},
				{m.Actions.Take, m.Actions.Call, m.Actions.Respond, m.Actions.Note, m.Actions.Escalate, m.Actions.Command},
				{m.Global.SwitchUser, m.Global.Help, m.Global.Quit},
			},
		}
	case CtxFilter:
		b := m.Bindings(c)
		return Help{Short: b, Full: [][]key.Binding{b}}
	case CtxPicker:
		b := m.Bindings(c)
		return Help{Short: b, Full: [][]key.Binding{b}}
	case CtxWall:
		b := m.Bindings(c)
		return Help{Short: b, Full: [][]key.Binding{b}}
	}
	return Help{}
}
