package ui

import (
	"fmt"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Detail is the selected case's pane; its audit trail is fetched by a Cmd
// and only the newest request's reply is kept (gh-dash LastFetchTaskId).
type Detail struct {
	c      *Common
	w, h   int
	reqID  int
	want   int64
	number int64
	events []model.Event
	err    error
	stale  bool
	scroll int
}

func newDetail(c *Common) *Detail { return &Detail{c: c} }

// fetch asks for a case's audit trail; a reply to an older request is
// dropped.
func (d *Detail) fetch(n int64) tea.Cmd {
	d.reqID++
	d.want = n
	d.stale = false
	return eventsCmd(d.c.o.Backend, d.reqID, n)
}

func (d *Detail) receive(msg eventsMsg) {
	if msg.id != d.reqID {
		return // a newer request is in flight
	}
	d.number, d.events, d.err = msg.number, msg.events, msg.err
}

// Init implements tea.Model.
func (d *Detail) Init() tea.Cmd { return nil }

// Update takes the trail's replies and scrolls on the pane's keys.
func (d *Detail) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsMsg:
		d.receive(msg)
	case tea.KeyMsg:
		k := d.c.km.Detail
		switch {
		case key.Matches(msg, k.Up):
			if d.scroll > 0 {
				d.scroll--
			}
		case key.Matches(msg, k.Down):
			d.scroll++
		}
	}
	return d, nil
}

// SetSize implements Component.
func (d *Detail) SetSize(w, h int) { d.w, d.h = w, h }

// ShortHelp implements help.KeyMap.
func (d *Detail) ShortHelp() []key.Binding { return d.c.km.HelpFor(keymap.CtxDetail, nil).ShortHelp() }

// FullHelp implements help.KeyMap.
func (d *Detail) FullHelp() [][]key.Binding { return d.c.km.HelpFor(keymap.CtxDetail, nil).FullHelp() }

// View draws the selected case at the pane's width, scrolled.
func (d *Detail) View() string { return strings.Join(d.lines(d.w), "\n") }

// lines is the pane's lines at width w, wrapped and scrolled.
func (d *Detail) lines(w int) []string {
	var lines []string
	e := d.c.selected()
	if e == nil {
		lines = []string{d.c.th.Faint.Render("no case selected")}
	} else {
		for _, l := range d.detailLines(e, w) {
			lines = append(lines, wrapIndent(l, w)...)
		}
	}
	if d.scroll > 0 && d.scroll < len(lines) {
		lines = lines[d.scroll:]
	}
	return lines
}

// detailLines is the whole pane's text for entry e, before scrolling.
func (d *Detail) detailLines(e *model.QueueItem, w int) []string {
	cm := d.c
	th, p := cm.th, cm.p
	c := e.Case
	var out []string
	add := func(s ...string) { out = append(out, s...) }

	head := th.Title.Render(model.CaseNumber(c.Number)) + fmt.Sprintf("  S%d %s", c.Severity, sevName(c.Severity))
	if e.Escalated {
		head += "  " + th.Escalated.Render(wordEscalated)
	}
	add(head, th.Bold.Render(clip(cm.title(c), w)))
	region := string(c.Region)
	if cal, ok := p.Regions[c.Region]; ok {
		region = cal.Name
	}
	add(fmt.Sprintf("account %s (%s) · %s · %s", model.Inert(c.Account), model.Inert(e.AccountName), c.Plan.Title(), region))
	owner := c.Owner
	if owner == "" {
		owner = "nobody"
	}
	add(fmt.Sprintf("status %s · owner %s · contact %s", c.Status, model.Inert(owner), model.Inert(orDash(c.Contact))))
	if a, ok := cm.desk.Accounts[c.Account]; ok && len(a.Contacts) > 0 {
		var cs []string
		for _, ct := range a.Contacts {
			s := model.Inert(ct.Name) + " (" + model.Inert(ct.Kind)
			if ct.Email != "" {
				s += ", " + model.Inert(ct.Email)
			}
			cs = append(cs, s+")")
		}
		add("contacts " + strings.Join(cs, "; "))
	}
	add("opened " + cm.when(c.OpenedAt))
	if !c.IsOpen() {
		why := c.CloseReason
		if c.DuplicateOf != 0 {
			why += " of " + model.CaseNumber(c.DuplicateOf)
		}
		add("closed " + cm.when(c.ClosedAt) + " · " + model.Inert(why))
	}
	add("", th.Accent.Render("Clocks"))
	for _, cl := range e.Clocks() {
		l1, l2 := d.clockLine(c, cl)
		add(l1)
		for _, l := range strings.Split(l2, "\n") {
			if l != "" {
				add(th.Faint.Render(l))
			}
		}
	}
	if e.Esc != nil {
		add("", th.Accent.Render("Escalation"))
		add(d.stepperLines(e, w)...)
	}
	add("", th.Accent.Render("Audit trail"))
	add(d.trailLines(c, w)...)
	return out
}

func (d *Detail) trailLines(c *model.Case, w int) []string {
	cm := d.c
	switch {
	case d.number != c.Number:
		return []string{cm.th.Faint.Render("loading…")}
	case d.err != nil:
		return []string{cm.th.Error.Render("cannot read the trail: " + model.Inert(d.err.Error()))}
	case len(d.events) == 0:
		return []string{cm.th.Faint.Render("no events")}
	}
	loc, _ := cm.zone() // named in the header
	out := make([]string, 0, len(d.events))
	for i := len(d.events) - 1; i >= 0; i-- { // newest first
		ev := &d.events[i]
		out = append(out, trailEntry(ev.At.In(loc).Format(trailTime), model.EventSentence(ev), w)...)
	}
	return out
}

// trailTime is the audit trail's short time ("23 Nov 07:00"), in the
// user's zone.
const trailTime = "_2 Jan 15:04"

// trailEntry is one event of the trail: its time, then its sentence
// wrapped at w with the rest indented under the sentence, so a time is
// never split across lines.
func trailEntry(when, sentence string, w int) []string {
	pad := len(when) + 2
	room := max(w-pad, 12)
	parts := strings.Split(ansi.Wrap(sentence, room, " "), "\n")
	out := make([]string, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimRight(p, " ")
		if i == 0 {
			out = append(out, when+"  "+p)
		} else {
			out = append(out, strings.Repeat(" ", pad)+strings.TrimLeft(p, " "))
		}
	}
	return out
}

func sevName(s int) string {
	if n := model.SeverityName(s); n != "" {
		return n
	}
	return "?"
}

// orDash is the board's dash for an empty value.
func orDash(s string) string { return model.OrDash(s, "—") }
