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
	Alerts     key.Binding
	// Jump opens the `#` line: a case number, then enter, goes to it.
	Jump key.Binding
	// Copy puts the selected case's number on the clipboard (OSC 52).
	Copy key.Binding
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

// Actions are the keys that act: on the selected case, or (new case, time
// log, void, command line) on the desk. Each opens a small form.
type Actions struct {
	NewCase    key.Binding
	Take       key.Binding
	TakeNext   key.Binding
	Assign     key.Binding
	Call       key.Binding
	Respond    key.Binding
	Note       key.Binding
	Status     key.Binding
	Severity   key.Binding
	Reply      key.Binding
	Followup   key.Binding
	Close      key.Binding
	Reopen     key.Binding
	Escalate   key.Binding
	EscFollow  key.Binding
	Accept     key.Binding
	Decline    key.Binding
	Deescalate key.Binding
	EscClose   key.Binding
	EscUpdate  key.Binding
	TimeLog    key.Binding
	TimeVoid   key.Binding
	Command    key.Binding
}

// List is every action binding, in help order.
func (a Actions) List() []key.Binding {
	return []key.Binding{a.NewCase, a.Take, a.TakeNext, a.Assign, a.Call, a.Respond, a.Note, a.Status,
		a.Severity, a.Reply, a.Followup, a.Close, a.Reopen, a.Escalate, a.EscFollow, a.Accept,
		a.Decline, a.Deescalate, a.EscClose, a.EscUpdate, a.TimeLog, a.TimeVoid, a.Command}
}

// Reports open the reports of the board: the manager's panel (SLA week by
// week, open cases per day, today's breaches) and the TAM's weekly and
// daily reports of the time-bank pane's account.
type Reports struct {
	Panel  key.Binding
	Weekly key.Binding
	Daily  key.Binding
}

// List is every reports binding, in help order.
func (r Reports) List() []key.Binding { return []key.Binding{r.Panel, r.Weekly, r.Daily} }

// Panel is the manager's panel, shown over the queue.
type Panel struct {
	Close key.Binding
	Quit  key.Binding
}

// Alerts is the alert list (`!`): the acting user's alerts, newest first.
type Alerts struct {
	Up    key.Binding
	Down  key.Binding
	Jump  key.Binding
	Ack   key.Binding
	Close key.Binding
	Quit  key.Binding
}

// JumpTo edits the `#` line: digits of a case number, enter goes there.
type JumpTo struct {
	Go     key.Binding
	Cancel key.Binding
	Erase  key.Binding
	Quit   key.Binding
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

// Wall is the read-only wall mode: it only quits and turns the page.
type Wall struct {
	Quit key.Binding
	Next key.Binding
}

// Form moves through an action's form; other keys type into its field.
type Form struct {
	Next   key.Binding
	Prev   key.Binding
	Left   key.Binding
	Right  key.Binding
	Submit key.Binding
	Cancel key.Binding
	Quit   key.Binding
}

// Confirm answers the y/n question of closing, declining, de-escalating.
type Confirm struct {
	Yes  key.Binding
	No   key.Binding
	Quit key.Binding
}

// Prompt edits the `:` command line.
type Prompt struct {
	Run      key.Binding
	Cancel   key.Binding
	Complete key.Binding
	Older    key.Binding
	Newer    key.Binding
	Quit     key.Binding
}

// Output scrolls a command's output.
type Output struct {
	Up      key.Binding
	Down    key.Binding
	Close   key.Binding
	Command key.Binding
	Quit    key.Binding
}

// Map is every binding of one board.
type Map struct {
	Global  Global
	Queue   Queue
	Detail  Detail
	Actions Actions
	Reports Reports
	Panel   Panel
	Alerts  Alerts
	JumpTo  JumpTo
	Filter  Filter
	Picker  Picker
	Wall    Wall
	Form    Form
	Confirm Confirm
	Prompt  Prompt
	Output  Output
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
			Alerts:     b("!", "alerts", "!"),
			Jump:       b("#", "go to case N", "#"),
			Copy:       b("y", "copy case number", "y"),
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
			NewCase:    b("N", "new case", "N"),
			Take:       b("t", "take", "t"),
			TakeNext:   b("w", "take next", "w"),
			Assign:     b("a", "assign", "a"),
			Call:       b("c", "log call", "c"),
			Respond:    b("r", "respond", "r"),
			Note:       b("n", "note", "n"),
			Status:     b("m", "status", "m"),
			Severity:   b("v", "severity", "v"),
			Reply:      b("R", "customer reply", "R"),
			Followup:   b("f", "follow-up", "f"),
			Close:      b("x", "close", "x"),
			Reopen:     b("o", "reopen", "o"),
			Escalate:   b("e", "escalate", "e"),
			EscFollow:  b("F", "escalation follow-up", "F"),
			Accept:     b("A", "accept escalation", "A"),
			Decline:    b("D", "decline escalation", "D"),
			Deescalate: b("d", "de-escalate", "d"),
			EscClose:   b("C", "close escalation", "C"),
			EscUpdate:  b("U", "escalation update", "U"),
			TimeLog:    b("T", "log time", "T"),
			TimeVoid:   b("V", "void time entry", "V"),
			Command:    b(":", "command line", ":"),
		},
		Reports: Reports{
			Panel:  b("P", "reports panel", "P"),
			Weekly: b("W", "weekly report", "W"),
			Daily:  b("Y", "daily report", "Y"),
		},
		Panel: Panel{
			Close: b("esc/P", "close the panel", "esc", "P"),
			Quit:  b("q", "quit", "q", "ctrl+c"),
		},
		Alerts: Alerts{
			Up:    b("↑/k", "up", "up", "k"),
			Down:  b("↓/j", "down", "down", "j"),
			Jump:  b("enter", "go to the case", "enter"),
			Ack:   b("x", "acknowledge", "x"),
			Close: b("esc/!", "close the list", "esc", "!"),
			Quit:  b("q", "quit", "q", "ctrl+c"),
		},
		JumpTo: JumpTo{
			Go:     b("enter", "go to the case", "enter"),
			Cancel: b("esc", "cancel", "esc"),
			Erase:  b("backspace", "erase a digit", "backspace"),
			Quit:   b("ctrl+c", "quit", "ctrl+c"),
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
		Form: Form{
			Next:   b("tab/↓", "next field", "tab", "down"),
			Prev:   b("shift+tab/↑", "previous field", "shift+tab", "up"),
			Left:   b("←", "previous choice", "left"),
			Right:  b("→", "next choice", "right"),
			Submit: b("enter", "submit", "enter"),
			Cancel: b("esc", "cancel", "esc"),
			Quit:   b("ctrl+c", "quit", "ctrl+c"),
		},
		Confirm: Confirm{
			Yes:  b("y", "yes, do it", "y", "Y"),
			No:   b("n/esc", "no, back", "n", "N", "esc"),
			Quit: b("ctrl+c", "quit", "ctrl+c"),
		},
		Prompt: Prompt{
			Run:      b("enter", "run", "enter"),
			Cancel:   b("esc", "cancel", "esc"),
			Complete: b("tab", "complete", "tab"),
			Older:    b("↑", "older command", "up"),
			Newer:    b("↓", "newer command", "down"),
			Quit:     b("ctrl+c", "quit", "ctrl+c"),
		},
		Output: Output{
			Up:      b("↑/k", "scroll up", "up", "k"),
			Down:    b("↓/j", "scroll down", "down", "j"),
			Close:   b("esc/q", "close output", "esc", "q"),
			Command: b(":", "another command", ":"),
			Quit:    b("ctrl+c", "quit", "ctrl+c"),
		},
	}
}

// Context names a set of bindings that are active at the same time.
type Context string

// The contexts of the board.
const (
	CtxQueue   Context = "queue"
	CtxDetail  Context = "detail"
	CtxFilter  Context = "filter"
	CtxPicker  Context = "picker"
	CtxWall    Context = "wall"
	CtxForm    Context = "form"
	CtxConfirm Context = "confirm"
	CtxPrompt  Context = "prompt"
	CtxOutput  Context = "output"
	CtxPanel   Context = "panel"
	CtxAlerts  Context = "alerts"
	CtxJump    Context = "jump"
)

func (m Map) globals() []key.Binding {
	return []key.Binding{m.Global.Quit, m.Global.Help, m.Global.NextTab, m.Global.PrevTab,
		m.Global.Sort, m.Global.Filter, m.Global.SwitchUser, m.Global.Alerts, m.Global.Jump, m.Global.Copy}
}

// Bindings lists the bindings active in a context, in help order.
func (m Map) Bindings(c Context) []key.Binding {
	switch c {
	case CtxQueue:
		q := []key.Binding{m.Queue.Up, m.Queue.Down, m.Queue.PageUp, m.Queue.PageDown,
			m.Queue.Top, m.Queue.Bottom, m.Queue.Detail}
		return append(append(append(q, m.globals()...), m.Actions.List()...), m.Reports.List()...)
	case CtxDetail:
		d := []key.Binding{m.Detail.Up, m.Detail.Down, m.Detail.Back}
		return append(append(append(d, m.globals()...), m.Actions.List()...), m.Reports.List()...)
	case CtxJump:
		j := m.JumpTo
		return []key.Binding{j.Go, j.Cancel, j.Erase, j.Quit}
	case CtxFilter:
		return []key.Binding{m.Filter.Apply, m.Filter.Cancel, m.Filter.Quit}
	case CtxPicker:
		return []key.Binding{m.Picker.Up, m.Picker.Down, m.Picker.Choose, m.Picker.Quit}
	case CtxWall:
		return []key.Binding{m.Wall.Quit, m.Wall.Next}
	case CtxForm:
		f := m.Form
		return []key.Binding{f.Next, f.Prev, f.Left, f.Right, f.Submit, f.Cancel, f.Quit}
	case CtxConfirm:
		return []key.Binding{m.Confirm.Yes, m.Confirm.No, m.Confirm.Quit}
	case CtxPrompt:
		p := m.Prompt
		return []key.Binding{p.Run, p.Cancel, p.Complete, p.Older, p.Newer, p.Quit}
	case CtxOutput:
		o := m.Output
		return []key.Binding{o.Up, o.Down, o.Close, o.Command, o.Quit}
	case CtxPanel:
		return []key.Binding{m.Panel.Close, m.Panel.Quit}
	case CtxAlerts:
		a := m.Alerts
		return []key.Binding{a.Up, a.Down, a.Jump, a.Ack, a.Close, a.Quit}
	}
	return nil
}

// Contexts lists every context.
func Contexts() []Context {
	return []Context{CtxQueue, CtxDetail, CtxFilter, CtxPicker, CtxWall, CtxForm, CtxConfirm, CtxPrompt, CtxOutput, CtxPanel, CtxAlerts, CtxJump}
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

// HelpFor returns the help of a context. offer says which action and
// reports keys the acting user may use now (nil: none); the others are
// left out, so the help never offers what the role may not do.
func (m Map) HelpFor(c Context, offer func(key.Binding) bool) Help {
	var acts []key.Binding
	if offer != nil {
		for _, a := range m.Actions.List() {
			if offer(a) {
				acts = append(acts, a)
			}
		}
	}
	// The short line names the first few actions on the case; `?` shows
	// them all.
	var short []key.Binding
	desk := []key.Binding{m.Actions.NewCase, m.Actions.TakeNext, m.Actions.Reopen, m.Actions.TimeLog, m.Actions.TimeVoid, m.Actions.Command}
	for _, a := range acts {
		if len(short) < 3 && !contains(desk, a) {
			short = append(short, a)
		}
	}
	// Take next follows them on the queue while there is a case to take:
	// a specialist's way into it.
	if c == CtxQueue && contains(acts, m.Actions.TakeNext) {
		short = append(short, m.Actions.TakeNext)
	}
	// The reports keys come last in the short line and first among the
	// full help's actions (a wide table is cut at its right edge): few, and
	// each the way into a whole view. The daily report is in the full help
	// only: the short line at 120 columns has no room left for it and quit.
	var reps []key.Binding
	for _, r := range m.Reports.List() {
		if offer != nil && offer(r) {
			reps = append(reps, r)
			if !contains([]key.Binding{m.Reports.Daily}, r) {
				short = append(short, r)
			}
		}
	}
	acts = append(reps, acts...)
	var full [][]key.Binding
	for i := 0; i < len(acts); i += 6 {
		j := min(i+6, len(acts))
		full = append(full, acts[i:j])
	}
	switch c {
	case CtxQueue:
		return Help{
			Short: append(short, m.Queue.Detail, m.Global.Help, m.Global.Quit),
			Full: append([][]key.Binding{
				{m.Queue.Up, m.Queue.Down, m.Queue.PageUp, m.Queue.PageDown, m.Queue.Top, m.Queue.Bottom},
				{m.Global.NextTab, m.Global.PrevTab, m.Global.Sort, m.Global.Filter, m.Queue.Detail},
				{m.Global.Jump, m.Global.Copy, m.Global.Alerts, m.Global.SwitchUser, m.Global.Help, m.Global.Quit},
			}, full...),
		}
	case CtxDetail:
		return Help{
			Short: append(short, m.Detail.Back, m.Global.Help, m.Global.Quit),
			Full: append([][]key.Binding{
				{m.Detail.Up, m.Detail.Down, m.Detail.Back},
				{m.Global.NextTab, m.Global.PrevTab, m.Global.Sort, m.Global.Filter},
				{m.Global.Jump, m.Global.Copy, m.Global.Alerts, m.Global.SwitchUser, m.Global.Help, m.Global.Quit},
			}, full...),
		}
	}
	bs := m.Bindings(c)
	return Help{Short: bs, Full: [][]key.Binding{bs}}
}

func contains(bs []key.Binding, k key.Binding) bool {
	for _, b := range bs {
		if b.Help() == k.Help() {
			return true
		}
	}
	return false
}
