package ui

import (
	"strings"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The mouse (tea.WithMouseCellMotion, local and over SSH): a click on a
// queue row selects it, a click on a tab switches to it, the wheel moves
// through the queue and scrolls the detail, the `?` screen, the output
// pane and the alert list. Where things are comes from the same strings
// and widths the renderer draws with (screenAt), never from constants of
// its own. And `y`: the selected case's number to the clipboard (OSC 52).

// wheelStep is how many lines one notch of the wheel scrolls a text pane.
const wheelStep = 3

// screenAt is where the parts of the board are on screen: the tab bar's
// row and the body's first row, under the help bar of the moment.
type screenAt struct {
	tabsY, bodyY int
	f            frame
}

func (b *board) screenAt() screenAt {
	header := strings.Count(b.renderHeader(), "\n") + 1
	return screenAt{tabsY: header, bodyY: header + 1, f: b.frame()}
}

// onMouse takes a press of the left button or a wheel notch; motion and
// releases do nothing.
func (b *board) onMouse(msg tea.MouseMsg) tea.Cmd {
	if !b.loaded || b.picking || b.wallMode || b.w < minWidth || b.h < minHeight {
		return nil
	}
	if msg.Action != tea.MouseActionPress {
		return nil
	}
	switch msg.Button {
	case tea.MouseButtonLeft:
		return b.click(msg.X, msg.Y)
	case tea.MouseButtonWheelUp:
		return b.wheel(msg.X, msg.Y, -1)
	case tea.MouseButtonWheelDown:
		return b.wheel(msg.X, msg.Y, 1)
	}
	return nil
}

// typing reports whether a form, a prompt, the filter or the `#` line
// has the keyboard: the mouse leaves them alone.
func (b *board) typing() bool {
	return b.form != nil || b.prompt.on || b.q.filtering || b.jump.on
}

// overBody reports whether something covers the queue and the detail.
func (b *board) overBody() bool {
	return b.help.ShowAll || b.form != nil || b.alerts.on || b.panel.on || b.out.on
}

// click selects the queue row or the tab under (x, y).
func (b *board) click(x, y int) tea.Cmd {
	if b.typing() || b.help.ShowAll {
		return nil
	}
	at := b.screenAt()
	switch {
	case y == at.tabsY:
		i := b.q.tabAt(x)
		if i < 0 {
			return nil
		}
		b.alerts.on, b.panel.on, b.out.on = false, false, false
		if i != b.q.tab {
			b.q.tab = i
			b.q.rebuild()
		}
		b.layout()
		return b.fetchDetail()
	case b.overBody() || (b.focusDetail && at.f.rightW == 0):
		return nil
	case y > at.bodyY && y < at.bodyY+at.f.body && x < at.f.queueW:
		// The body's first line is the column heads.
		row := b.q.top + y - at.bodyY - 1
		if row >= b.q.len() {
			return nil
		}
		before := b.q.sel
		b.q.move(row - b.q.cursor)
		if b.q.sel != before {
			b.det.scroll = 0
			return b.fetchDetail()
		}
	}
	return nil
}

// wheel scrolls the pane under (x, y) by one notch: d -1 up, 1 down.
func (b *board) wheel(x, y, d int) tea.Cmd {
	if b.typing() {
		return nil
	}
	at := b.screenAt()
	switch {
	case b.help.ShowAll:
		n := len(b.helpLines(b.w-2, at.f.body))
		b.helpTop = max(0, min(max(0, n-at.f.body), b.helpTop+d*wheelStep))
	case b.out.on:
		b.out.scroll = max(0, min(len(b.out.lines)-1, b.out.scroll+d*wheelStep))
	case b.alerts.on:
		b.alerts.cursor += d
		b.alerts.clamp(len(b.alerts.mine()))
	case b.panel.on:
	case (b.focusDetail && at.f.rightW == 0) || (at.f.rightW > 0 && x > at.f.queueW && y >= at.bodyY):
		w := at.f.rightW
		if w == 0 {
			w = b.w
		}
		// The pane's own lines, unscrolled, bound the scroll.
		top := b.det.scroll
		b.det.scroll = 0
		n := len(b.det.lines(w - 1)) // as renderRight draws it
		b.det.scroll = max(0, min(n-1, top+d*wheelStep))
	default:
		before := b.q.sel
		b.q.move(d)
		if b.q.sel != before {
			b.det.scroll = 0
			return b.fetchDetail()
		}
	}
	return nil
}

// tabAt is the tab drawn at column x of the tab bar, or -1.
func (q *Queue) tabAt(x int) int {
	pos := 0
	for i, part := range q.tabParts() {
		w := ansi.StringWidth(part)
		if x >= pos && x < pos+w {
			return i
		}
		pos += w + len(tabSep)
	}
	return -1
}

// copyCase puts the selected case's number on the clipboard of the
// terminal the board draws on (its renderer's output: over SSH, the
// session's), as an OSC 52 sequence.
func (b *board) copyCase() tea.Cmd {
	e := b.q.selected()
	if e == nil {
		b.setStatus("no case selected")
		return nil
	}
	num := model.CaseNumber(e.Case.Number)
	b.setStatus("copied " + num + " to the clipboard")
	return copyCmd(b.th.r.Output(), num)
}

// copyCmd writes the OSC 52 sequence in one write, off the Update loop.
func copyCmd(out *termenv.Output, s string) tea.Cmd {
	return func() tea.Msg {
		out.Copy(s)
		return nil
	}
}
