package ui

import (
	"fmt"
	"strings"

	"caseboard/keymap"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// The `?` screen: every key the user may use, grouped by the pane it works
// in, one key a line, in place of the body and scrolled there, so it fits
// any window the board draws in (60x16 and up). A wide window lays the
// groups out in columns. The state is b.help.ShowAll (open) and helpTop.

// helpGroup is one pane's keys under its name.
type helpGroup struct {
	name  string
	binds []key.Binding
}

// helpGroups is what the `?` screen lists: the panes' keys, then the
// actions the role may ever use (offerKey with every key shown).
func (b *board) helpGroups() []helpGroup {
	km := b.km
	offered := func(bs ...key.Binding) []key.Binding {
		var out []key.Binding
		for _, k := range bs {
			if b.offerKey(k) {
				out = append(out, k)
			}
		}
		return out
	}
	a := km.Actions
	g := km.Global
	global := []key.Binding{g.NextTab, g.PrevTab, g.Sort, g.Filter, g.Jump, g.Copy}
	if b.o.Demo {
		global = append(global, g.SwitchUser)
	}
	global = append(global, g.Alerts, g.Help, g.Quit)
	groups := []helpGroup{
		{"Queue", []key.Binding{km.Queue.Up, km.Queue.Down, km.Queue.PageUp, km.Queue.PageDown, km.Queue.Top, km.Queue.Bottom, km.Queue.Detail}},
		{"Everywhere", global},
		{"Case detail", []key.Binding{km.Detail.Up, km.Detail.Down, km.Detail.Back}},
		{"Filter", []key.Binding{km.Filter.Apply, km.Filter.Cancel}},
		{"Go to a case (#)", []key.Binding{km.JumpTo.Go, km.JumpTo.Cancel, km.JumpTo.Erase}},
		{"Alert list", []key.Binding{km.Alerts.Up, km.Alerts.Down, km.Alerts.Jump, km.Alerts.Ack, km.Alerts.Close}},
		{"On the selected case", offered(a.Take, a.Assign, a.Call, a.Respond, a.Note, a.Status, a.Severity, a.Reply,
			a.Followup, a.Close, a.Escalate, a.EscFollow, a.Accept, a.Decline, a.Deescalate, a.EscClose, a.EscUpdate)},
		{"On the desk", offered(a.NewCase, a.TakeNext, a.Reopen, a.TimeLog, a.TimeVoid, a.Command)},
		{"Reports", offered(km.Reports.List()...)},
		{"In a form", []key.Binding{km.Form.Next, km.Form.Prev, km.Form.Left, km.Form.Right, km.Form.Submit, km.Form.Cancel,
			km.Confirm.Yes, km.Confirm.No}},
	}
	if b.o.RunCommand != nil {
		p := km.Prompt
		groups = append(groups, helpGroup{"Command line", []key.Binding{p.Run, p.Cancel, p.Complete, p.Older, p.Newer}})
	}
	out := groups[:0]
	for _, gr := range groups {
		if len(gr.binds) > 0 {
			out = append(out, gr)
		}
	}
	return out
}

// helpBlocks is each group drawn as its lines: the name, then one key a
// line with the keys in one column.
func (b *board) helpBlocks() [][]string {
	th := b.th
	var blocks [][]string
	for _, gr := range b.helpGroups() {
		kw := 0
		for _, k := range gr.binds {
			kw = max(kw, ansi.StringWidth(k.Help().Key))
		}
		lines := []string{th.Title.Render(gr.name)}
		for _, k := range gr.binds {
			h := k.Help()
			lines = append(lines, "  "+th.Accent.Render(fit(h.Key, kw))+"  "+th.Faint.Render(h.Desc))
		}
		blocks = append(blocks, lines)
	}
	return blocks
}

// helpLines lays the groups out in as many columns of width colW as the
// width w allows and the height h needs (a group is never split), or one
// column to scroll.
func (b *board) helpLines(w, h int) []string {
	blocks := b.helpBlocks()
	colW := 0
	for _, bl := range blocks {
		for _, l := range bl {
			colW = max(colW, ansi.StringWidth(l))
		}
	}
	colW += 3
	for cols := 2; cols*colW <= w; cols++ {
		if placed, ok := packColumns(blocks, cols, h); ok {
			return joinColumns(placed, colW)
		}
	}
	var out []string
	for i, bl := range blocks {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, bl...)
	}
	return out
}

// packColumns fills cols columns of at most h lines with the blocks in
// order, a blank line between two; ok is false when they do not fit.
func packColumns(blocks [][]string, cols, h int) ([][]string, bool) {
	placed := make([][]string, 1, cols)
	for _, bl := range blocks {
		cur := &placed[len(placed)-1]
		need := len(bl)
		if len(*cur) > 0 {
			need++
		}
		if len(*cur)+need > h {
			if len(placed) == cols || len(bl) > h {
				return nil, false
			}
			placed = append(placed, nil)
			cur = &placed[len(placed)-1]
		} else if len(*cur) > 0 {
			*cur = append(*cur, "")
		}
		*cur = append(*cur, bl...)
	}
	return placed, true
}

func joinColumns(cols [][]string, colW int) []string {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	out := make([]string, n)
	for i := range out {
		var s strings.Builder
		for j, c := range cols {
			l := ""
			if i < len(c) {
				l = c[i]
			}
			if j < len(cols)-1 {
				l = fit(l, colW)
			}
			s.WriteString(l)
		}
		out[i] = s.String()
	}
	return out
}

// helpBody is the `?` screen in the body's h lines, scrolled to helpTop.
func (b *board) helpBody(w, h int) string {
	lines := b.helpLines(w, h)
	top := min(b.helpTop, max(0, len(lines)-h))
	return indent(block(lines[top:], w-1, h))
}

// helpPosition is the status line's note of where the `?` screen is.
func (b *board) helpPosition(f frame) string {
	lines := b.helpLines(b.w-2, f.body)
	if len(lines) <= f.body {
		return "every key you may use here · ? or esc closes"
	}
	top := min(b.helpTop, len(lines)-f.body)
	return fmt.Sprintf("keys: lines %d-%d of %d · ↑/↓ pgup/pgdn scroll · ? or esc closes", top+1, top+f.body, len(lines))
}

// helpScreenHelp is the help bar under the `?` screen.
func (b *board) helpScreenHelp() keymap.Help {
	q := b.km.Queue
	scroll := key.NewBinding(key.WithKeys(append(q.Up.Keys(), q.Down.Keys()...)...), key.WithHelp("↑/↓ pgup/pgdn", "scroll"))
	closeK := key.NewBinding(key.WithKeys(append(b.km.Global.Help.Keys(), b.km.Detail.Back.Keys()...)...), key.WithHelp("?/esc", "close"))
	bs := []key.Binding{scroll, closeK, b.km.Global.Quit}
	return keymap.Help{Short: bs, Full: [][]key.Binding{bs}}
}

// helpKey scrolls or closes the `?` screen; other keys do nothing there.
func (b *board) helpKey(msg tea.KeyMsg) tea.Cmd {
	q, f := b.km.Queue, b.frame()
	n := len(b.helpLines(b.w-2, f.body))
	last := max(0, n-f.body)
	b.helpTop = min(b.helpTop, last)
	switch {
	case key.Matches(msg, b.km.Global.Quit):
		return b.quit()
	case key.Matches(msg, b.km.Global.Help), key.Matches(msg, b.km.Detail.Back):
		b.help.ShowAll = false
		b.helpTop = 0
		b.layout()
	case key.Matches(msg, b.km.Global.Jump):
		b.help.ShowAll, b.helpTop = false, 0
		return b.openJump()
	case key.Matches(msg, q.Up):
		b.helpTop = max(0, b.helpTop-1)
	case key.Matches(msg, q.Down):
		b.helpTop = min(last, b.helpTop+1)
	case key.Matches(msg, q.PageUp):
		b.helpTop = max(0, b.helpTop-f.body)
	case key.Matches(msg, q.PageDown):
		b.helpTop = min(last, b.helpTop+f.body)
	case key.Matches(msg, q.Top):
		b.helpTop = 0
	case key.Matches(msg, q.Bottom):
		b.helpTop = last
	}
	return nil
}
