package ui

import (
	"fmt"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// The smallest window the board draws in.
const (
	minWidth  = 60
	minHeight = 16
	tooSmall  = "make the window at least 60x16"
)

func newHelp(th *theme) help.Model {
	h := help.New()
	h.Styles.ShortKey = th.Accent
	h.Styles.ShortDesc = th.Faint
	h.Styles.ShortSeparator = th.Faint
	h.Styles.FullKey = th.Accent
	h.Styles.FullDesc = th.Faint
	h.Styles.FullSeparator = th.Faint
	h.Styles.Ellipsis = th.Faint
	return h
}

// helpView is the help of the current context, each line clipped to the
// window (bubbles/help can overrun a narrow one by its ellipsis).
func (b *board) helpView() string {
	hm, h := b.help, b.km.HelpFor(b.context(), b.offerKey)
	if hm.ShowAll {
		// The `?` screen holds every key; the bar under it says how to
		// move in it and leave.
		hm.ShowAll, h = false, b.helpScreenHelp()
	}
	lines := strings.Split(hm.View(h), "\n")
	for i, l := range lines {
		lines[i] = clip(l, b.w)
	}
	return strings.Join(lines, "\n")
}

// frame is where each pane goes on the screen.
type frame struct {
	body     int // lines between the tabs and the help
	queueW   int
	rightW   int // 0: no side pane
	helpH    int
	showBank bool
}

func (b *board) context() keymap.Context {
	switch {
	case b.picking:
		return keymap.CtxPicker
	case b.wallMode:
		return keymap.CtxWall
	case b.jump.on:
		return keymap.CtxJump
	case b.form != nil && b.form.confirming:
		return keymap.CtxConfirm
	case b.form != nil:
		return keymap.CtxForm
	case b.prompt.on:
		return keymap.CtxPrompt
	case b.q.filtering:
		return keymap.CtxFilter
	case b.alerts.on:
		return keymap.CtxAlerts
	case b.panel.on:
		return keymap.CtxPanel
	case b.out.on:
		return keymap.CtxOutput
	case b.focusDetail:
		return keymap.CtxDetail
	}
	return keymap.CtxQueue
}

func (b *board) frame() frame {
	b.help.Width = b.w
	return b.frameFor(b.helpView())
}

// frameFor is the frame under the help bar hv, drawn once per render: the
// bar asks the rules about every action key.
func (b *board) frameFor(hv string) frame {
	var f frame
	f.helpH = lipgloss.Height(hv)
	f.body = b.h - 3 - f.helpH - 1
	if f.body < 1 {
		f.body = 1
	}
	f.queueW = b.w
	if b.w >= 100 && !b.q.onTeam() {
		f.rightW = detailWidth(b.w, b.user.Role)
		f.queueW = b.w - f.rightW - 1
	}
	f.showBank = b.user.Role == model.TAM || b.user.Role == model.Manager
	return f
}

// layout recomputes the queue's height after a resize or a change of help.
func (b *board) layout() {
	if b.w == 0 {
		return
	}
	f := b.frame()
	b.q.SetSize(f.queueW, f.body)
	b.wall.SetSize(b.w, b.h)
	side := f.rightW
	if side == 0 {
		side = b.w // a narrow window shows the detail instead of the queue
	}
	b.bank.SetSize(side-1, f.body)
	b.det.SetSize(side-1, f.body)
	b.panel.SetSize(b.w-2, f.body)
	b.alerts.SetSize(b.w-2, f.body)
	b.out.SetSize(b.w-2, f.body)
	b.prompt.SetSize(b.w, 1)
	if b.form != nil {
		b.form.SetSize(b.w-2, f.body)
	}
	if b.picker != nil {
		b.picker.SetSize(b.w, b.h-1)
	}
}

func (b *board) render() string {
	switch {
	case b.w == 0:
		return ""
	case b.w < minWidth || b.h < minHeight:
		return tooSmall
	case !b.loaded:
		return b.status
	case b.picking:
		return block(strings.Split(b.picker.View(), "\n"), b.w, b.h-1) + "\n" + b.help.View(b.km.HelpFor(keymap.CtxPicker, nil))
	case b.wallMode:
		return b.wall.View()
	}
	b.help.Width = b.w
	hv := b.helpView()
	f := b.frameFor(hv)
	head, tabs, body, status := b.renderHeader(), b.q.tabsLine(), b.renderBody(f), b.renderStatus(f)
	var s strings.Builder
	s.Grow(len(head) + len(tabs) + len(body) + len(status) + len(hv) + 8)
	s.WriteString(head)
	s.WriteString("\n")
	s.WriteString(tabs)
	s.WriteString("\n")
	s.WriteString(body)
	s.WriteString("\n")
	s.WriteString(status)
	s.WriteString("\n")
	s.WriteString(hv)
	return s.String()
}

func (b *board) renderHeader() string {
	th, u := b.th, b.user
	region := string(u.Region)
	if c, ok := b.p.Regions[u.Region]; ok {
		region = c.Name
	}
	who := fmt.Sprintf("%s %s (%s) · %s · %s", th.Title.Render("caseboard"), model.Inert(u.Name), model.Inert(u.ID), u.Role, region)
	loc, label := b.zone()
	clock := b.now.In(loc).Format("Mon 2 Jan 2006 15:04:05") + " " + label
	line1 := fit(who, b.w-len(clock)-1) + " " + th.Bold.Render(clock)
	n := b.ix.Counts(b.now)
	parts := []string{
		fmt.Sprintf("open %d", n.Open),
		th.Breached.Render(fmt.Sprintf("%s %d", wordBreached, n.Breached)),
		th.Warning.Render(fmt.Sprintf("%s %d", wordDueSoon, n.DueSoon)),
		th.Breached.Render(fmt.Sprintf("%s %d", wordCall, n.CallRequired)),
		th.Escalated.Render(fmt.Sprintf("%s %d", wordEscalated, n.Escalated)),
	}
	if k := b.alerts.unacked(); k > 0 {
		// First, so a narrow window never cuts it off.
		parts = append([]string{th.Breached.Render(alertCount(k))}, parts...)
	}
	return line1 + "\n" + fit(strings.Join(parts, "  "), b.w)
}

// tabSep is between two tabs of the tab bar.
const tabSep = " "

// tabParts is each tab as the tab bar draws it, from its first column
// (the mouse finds a tab by the same strings).
func (q *Queue) tabParts() []string {
	b := q.c
	var parts []string
	for i := range q.tabs {
		name := q.tabTitle(i)
		if i == q.tab {
			parts = append(parts, b.th.TabOn.Render("["+name+"]"))
		} else {
			parts = append(parts, b.th.TabOff.Render(" "+name+" "))
		}
	}
	return parts
}

// tabsLine is the tab bar: the tabs, the order and the filter.
func (q *Queue) tabsLine() string {
	b := q.c
	parts := q.tabParts()
	order := "severity"
	if q.byDue {
		order = "due"
	}
	right := "order: " + order
	switch {
	case q.filtering:
		right += " · filter: /" + model.Inert(q.filter) + "█"
	case q.filter != "":
		right += " · filter: " + model.Inert(q.filter)
	}
	return fit(strings.Join(parts, tabSep)+"   "+b.th.Faint.Render(right), b.w)
}

func (b *board) renderBody(f frame) string {
	switch {
	case b.help.ShowAll:
		return b.helpBody(b.w, f.body)
	case b.form != nil:
		return indent(block(b.form.lines(b.w-2), b.w-1, f.body))
	case b.alerts.on:
		return indent(block(strings.Split(b.alerts.View(), "\n"), b.w-1, f.body))
	case b.panel.on:
		return indent(block(strings.Split(b.panel.View(), "\n"), b.w-1, f.body))
	case b.out.on:
		return indent(block(b.out.draw(b.w-2), b.w-1, f.body))
	}
	if b.w < 100 && b.focusDetail {
		return b.renderRight(b.w, f.body, f.showBank)
	}
	left := b.q.render(f.queueW, f.body)
	if f.rightW == 0 {
		return left
	}
	// Both sides are exactly f.body lines of fixed width: join line by line.
	sep := b.th.pFaint.Render("│")
	ls := strings.Split(left, "\n")
	right := b.renderRight(f.rightW, f.body, f.showBank)
	rs := strings.Split(right, "\n")
	var out strings.Builder
	out.Grow(len(left) + len(right) + len(ls)*(len(sep)+1))
	for i := range ls {
		if i > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(ls[i])
		out.WriteString(sep)
		if i < len(rs) {
			out.WriteString(rs[i])
		}
	}
	return out.String()
}

// renderRight is the detail pane, with the time bank under it.
func (b *board) renderRight(w, h int, showBank bool) string {
	w--
	lines := b.det.lines(w)
	if showBank {
		bank := strings.Split(b.bank.View(), "\n")
		if b.user.Role != model.TAM && len(bank) > 5 {
			bank = bank[:5] // a manager sees the gist; the TAM the whole month
		}
		if b.user.Role == model.TAM || len(bank) > 2 {
			room := h - len(bank) - 1
			if room < h/2 {
				room = h / 2
			}
			if len(lines) > room {
				lines = lines[:room]
			}
			for len(lines) < room {
				lines = append(lines, "")
			}
			lines = append(append(lines, b.th.Faint.Render(strings.Repeat("─", w))), bank...)
		}
	}
	return indent(block(lines, w, h))
}

// wrapIndent wraps a line to w cells, continuation lines indented two
// cells more than the line itself.
func wrapIndent(l string, w int) []string {
	if ansi.StringWidth(l) <= w {
		return []string{l}
	}
	plain := ansi.Strip(l)
	n := len(plain) - len(strings.TrimLeft(plain, " "))
	first := strings.Split(ansi.Wrap(l, w, " "), "\n")
	if len(first) == 1 {
		return first
	}
	pad := strings.Repeat(" ", n+2)
	rest := strings.TrimLeft(strings.Join(first[1:], " "), " ")
	out := first[:1]
	for _, r := range strings.Split(ansi.Wrap(rest, w-len(pad), " "), "\n") {
		out = append(out, pad+r)
	}
	return out
}

func indent(s string) string { return " " + strings.ReplaceAll(s, "\n", "\n ") }

// render draws the column heads and the rows on screen, no others (the
// Team tab: the team's load).
func (q *Queue) render(w, h int) string {
	if q.onTeam() {
		return block(q.teamLines(w, h), w, h)
	}
	if q.onClosed() {
		return q.renderClosed(w, h)
	}
	th := q.c.th
	cols := layoutCols(w, q.onEscalations())
	lines := make([]string, 0, h)
	lines = append(lines, th.Faint.Render(fit(cols.head(), w)))
	for i, e := range q.visible() {
		lines = append(lines, q.queueRow(e, q.top+i == q.cursor && !q.c.wallMode, cols, w))
	}
	if q.len() == 0 {
		msg := "no open cases here"
		if q.filter != "" {
			msg = "no case matches the filter"
		}
		lines = append(lines, th.Faint.Render("  "+msg))
	}
	return block(lines, w, h)
}

func (b *board) renderStatus(f frame) string {
	if b.prompt.on {
		return b.prompt.View()
	}
	if b.jump.on {
		return b.jumpView()
	}
	pos := b.th.Faint.Render(b.q.position())
	msg := b.status
	st := b.th.Status
	if b.help.ShowAll {
		msg = b.helpPosition(f)
	} else if b.statusErr {
		st = b.th.Error
		msg = "✖ " + msg
	}
	room := b.w - lipgloss.Width(pos) - 1
	return st.Render(fit(msg, room)) + " " + pos
}
