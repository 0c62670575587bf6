package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Wall is the read-only wall: no cursor, pages that turn by themselves
// (each region's queue, the escalations, the team's load). It keeps its
// own views of the queue index once opened.
type Wall struct {
	c       *Common
	page    int
	since   time.Time
	regions []model.Region
	views   map[model.Region]*model.Queue // each region's queue, severity order
	// dues are each region's cases with a running clock, due order: the
	// big digits and the region's counts.
	dues map[model.Region]*model.Queue
	esc  *model.Queue
	load []ownerLoad
	w, h int
}

type ownerLoad struct {
	owner string
	open  int
}

// wallAlerts is how many of its last alerts a wall page shows.
const wallAlerts = 3

func newWall(c *Common) *Wall { return &Wall{c: c} }

// open registers the wall's views: each region's queue and the escalations.
func (ws *Wall) open() {
	if ws.views != nil {
		return
	}
	c := ws.c
	ws.regions = c.p.RegionIDs()
	ws.views = map[model.Region]*model.Queue{}
	ws.dues = map[model.Region]*model.Queue{}
	for _, r := range ws.regions {
		r := r
		ws.views[r] = c.view("wall|severity|"+string(r), func(e *model.QueueItem) bool { return e.Case.Region == r }, model.BySeverity)
		ws.dues[r] = c.view("wall|due|"+string(r), func(e *model.QueueItem) bool {
			return e.Case.Region == r && e.HasClock && !e.CallRequired
		}, model.ByDue)
	}
	ws.esc = c.view("wall|escalations", func(e *model.QueueItem) bool { return e.Escalated }, model.BySeverity)
	ws.since = c.now
	ws.refresh()
}

// Init implements tea.Model.
func (ws *Wall) Init() tea.Cmd { return nil }

// Update turns the page on its key and every Rotate of board time (a
// tick), and re-sorts the team load after a change.
func (ws *Wall) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		if ws.c.now.Sub(ws.since) >= ws.c.o.Rotate {
			ws.next()
		}
		ws.refresh()
	case feedMsg:
		ws.refresh()
	case tea.KeyMsg:
		if key.Matches(msg, ws.c.km.Wall.Next) {
			ws.next()
		}
	}
	return ws, nil
}

// SetSize implements Component: the wall has the whole window.
func (ws *Wall) SetSize(w, h int) { ws.w, ws.h = w, h }

// ShortHelp implements help.KeyMap.
func (ws *Wall) ShortHelp() []key.Binding { return ws.c.km.HelpFor(keymap.CtxWall, nil).ShortHelp() }

// FullHelp implements help.KeyMap.
func (ws *Wall) FullHelp() [][]key.Binding { return ws.c.km.HelpFor(keymap.CtxWall, nil).FullHelp() }

func (ws *Wall) pages() int { return len(ws.regions) + 2 }

func (ws *Wall) next() {
	ws.page = (ws.page + 1) % ws.pages()
	ws.since = ws.c.now
	ws.refresh()
}

// refresh sorts the team load (a few dozen people) outside View.
func (ws *Wall) refresh() {
	ws.load = ws.load[:0]
	for o, n := range ws.c.ix.Owners() {
		ws.load = append(ws.load, ownerLoad{o, n})
	}
	sort.Slice(ws.load, func(i, j int) bool {
		if ws.load[i].open != ws.load[j].open {
			return ws.load[i].open > ws.load[j].open
		}
		return ws.load[i].owner < ws.load[j].owner
	})
}

// View draws the current page.
func (ws *Wall) View() string {
	c := ws.c
	if ws.views == nil {
		return ""
	}
	th := c.th
	var title string
	var body []string
	var scope func(*model.Alert) bool
	switch {
	case ws.page < len(ws.regions):
		r := ws.regions[ws.page]
		title = c.p.Regions[r].Name
		body = ws.region(r)
		scope = func(a *model.Alert) bool { return a.Region == r }
	case ws.page == len(ws.regions):
		title = "Escalations"
		body = ws.escalations()
		scope = func(a *model.Alert) bool { return strings.HasPrefix(string(a.Kind), "escalation-") }
	default:
		title = "Team load"
		body = ws.teamLoad()
	}
	clock := c.now.In(c.p.HomeZone()).Format("Mon 2 Jan 15:04:05") + " ET"
	head := fmt.Sprintf("%s · %s · page %d/%d", th.Title.Render("caseboard wall"), th.Accent.Render(title), ws.page+1, ws.pages())
	n := c.ix.Counts(c.now)
	counts := fmt.Sprintf("open %d  %s  %s  %s  %s", n.Open,
		th.Breached.Render(fmt.Sprintf("%s %d", wordBreached, n.Breached)),
		th.Warning.Render(fmt.Sprintf("%s %d", wordDueSoon, n.DueSoon)),
		th.Breached.Render(fmt.Sprintf("%s %d", wordCall, n.CallRequired)),
		th.Escalated.Render(fmt.Sprintf("%s %d", wordEscalated, n.Escalated)))
	lines := []string{fit(head, ws.w-len(clock)-1) + " " + th.Bold.Render(clock), fit(counts, ws.w), ""}
	if scope != nil {
		// The page's last alerts keep the bottom lines: the body gives way.
		if al := c.alerts.scope(scope, wallAlerts); len(al) > 0 {
			tail := []string{"", th.Title.Render("Last alerts")}
			for _, a := range al {
				tail = append(tail, th.Breached.Render(c.wallAlert(a, ws.w)))
			}
			if room := ws.h - len(lines) - len(tail); len(body) > room {
				body = body[:max(room, 0)]
			}
			body = append(body, tail...)
		}
	}
	lines = append(lines, body...)
	return block(lines, ws.w, ws.h)
}

// wallRegion is a region's counts, its worst breaches and next due cases
// in block digits (from 120 columns), then its queue.
func (ws *Wall) region(r model.Region) []string {
	c := ws.c
	var out []string
	dv := ws.dues[r].Items()
	n := ws.dues[r].Counts(c.now, c.p.DueSoon)
	breached, soon := n.Breached, n.DueSoon
	out = append(out, fmt.Sprintf("%d open · %d breached · %d due soon", ws.views[r].Len(), breached, soon))
	if ws.w >= 120 && ws.h >= 30 {
		var big []*model.QueueItem
		for i := 0; i < breached && i < 2; i++ {
			big = append(big, dv[i])
		}
		for i := breached; i < len(dv) && len(big) < 4; i++ {
			big = append(big, dv[i])
		}
		if len(big) > 0 {
			out = append(out, "")
			out = append(out, ws.bigRow(big)...)
		}
	}
	out = append(out, "")
	rows := ws.h - 3 - len(out) - 2
	v := ws.views[r].Items()
	w := ws.w
	for i := 0; i < len(v) && i < rows; i++ {
		out = append(out, c.renderRow(v[i], false, w, true))
	}
	if len(v) == 0 {
		out = append(out, c.th.Faint.Render("  no open cases"))
	}
	return out
}

// bigRow draws cases' time to breach as "-1:23" (breached) or "0:14" (due)
// in block digits, side by side, each captioned.
func (ws *Wall) bigRow(es []*model.QueueItem) []string {
	c := ws.c
	cellW := ws.w / len(es)
	if cellW > 40 {
		cellW = 40
	}
	var cols []string
	for _, e := range es {
		st := e.Urgent.At(c.now, c.p)
		style, word := c.th.Warning, "due in"
		if st.State == model.StateBreached {
			style, word = c.th.Breached, wordBreached
		} else if !st.DueSoon {
			style = c.th.OK
		}
		d := st.Remaining
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		mins := int(d / time.Minute)
		g := bigText(fmt.Sprintf("%s%d:%02d", sign, mins/60, mins%60))
		lines := []string{}
		for _, l := range g {
			lines = append(lines, style.Render(l))
		}
		cap := fmt.Sprintf("%s %s S%d %s", word, model.CaseNumber(e.Case.Number), e.Case.Severity, model.Inert(e.Case.Account))
		lines = append(lines, clip(cap, cellW-2))
		cols = append(cols, block(lines, cellW, 6))
	}
	return strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, cols...), "\n")
}

func (ws *Wall) escalations() []string {
	c := ws.c
	v := ws.esc.Items()
	if len(v) == 0 {
		return []string{c.th.Faint.Render("no open escalations")}
	}
	var out []string
	for _, e := range v {
		line := fmt.Sprintf("%s %s S%d %-10s %s", c.th.Escalated.Render("⚑"), model.CaseNumber(e.Case.Number),
			e.Case.Severity, clip(model.Inert(e.Case.Account), 10), escOutcome(e.Esc))
		for _, cl := range e.Clocks {
			if (cl.Kind == model.ClockEscalationFollowup || cl.Kind == model.ClockEscalationUpdate) && cl.Running() {
				st := cl.At(c.now, c.p)
				cell, style := c.th.stateCell(cl, st)
				line += " · " + clockName(cl) + " " + style.Render(cell)
			}
		}
		out = append(out, clip(line, ws.w))
	}
	return out
}

func (ws *Wall) teamLoad() []string {
	c := ws.c
	if len(ws.load) == 0 {
		return []string{c.th.Faint.Render("nobody owns an open case")}
	}
	max := ws.load[0].open
	barW := ws.w - 30
	var out []string
	for _, l := range ws.load {
		n := l.open * barW / max
		out = append(out, fmt.Sprintf("%-12s %4d ", clip(model.Inert(l.owner), 12), l.open)+c.th.Accent.Render(strings.Repeat("█", n)))
	}
	return out
}
