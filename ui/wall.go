package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"
)

// wallState is the read-only wall mode: no cursor, rotating pages.
type wallState struct {
	on      bool
	page    int
	since   time.Time
	regions []model.Region
	views   map[model.Region]*model.Queue // each region's queue, severity order
	// dues are each region's cases with a running clock, due order: the
	// big digits and the region's counts.
	dues map[model.Region]*model.Queue
	esc  *model.Queue
	load []ownerLoad
	rows int
}

type ownerLoad struct {
	owner string
	open  int
}

// build registers the wall's views: each region's queue and the escalations.
func (ws *wallState) build(b *board) {
	if ws.views != nil {
		return
	}
	ws.regions = b.p.RegionIDs()
	ws.views = map[model.Region]*model.Queue{}
	ws.dues = map[model.Region]*model.Queue{}
	for _, r := range ws.regions {
		r := r
		ws.views[r] = b.ix.View(func(e *model.QueueItem) bool { return e.Case.Region == r }, model.BySeverity)
		ws.dues[r] = b.ix.View(func(e *model.QueueItem) bool {
			return e.Case.Region == r && e.HasClock && !e.CallRequired
		}, model.ByDue)
	}
	ws.esc = b.ix.View(func(e *model.QueueItem) bool { return e.Escalated }, model.BySeverity)
	ws.since = b.now
	ws.refresh(b)
}

func (ws *wallState) pages() int { return len(ws.regions) + 2 }

// rotate turns the page every Rotate of board time; called on each tick.
func (ws *wallState) rotate(b *board) {
	if !ws.on {
		return
	}
	if b.now.Sub(ws.since) >= b.o.Rotate {
		ws.next(b)
	}
	ws.refresh(b)
}

func (ws *wallState) next(b *board) {
	ws.page = (ws.page + 1) % ws.pages()
	ws.since = b.now
	ws.refresh(b)
}

// refresh sorts the team load (a few dozen people) outside View.
func (ws *wallState) refresh(b *board) {
	ws.load = ws.load[:0]
	for o, n := range b.ix.Owners() {
		ws.load = append(ws.load, ownerLoad{o, n})
	}
	sort.Slice(ws.load, func(i, j int) bool {
		if ws.load[i].open != ws.load[j].open {
			return ws.load[i].open > ws.load[j].open
		}
		return ws.load[i].owner < ws.load[j].owner
	})
}

func (ws *wallState) layout(b *board) { ws.rows = b.h - 3 }

func (b *board) renderWall() string {
	ws := &b.wall
	if ws.views == nil {
		return ""
	}
	th := b.th
	var title string
	var body []string
	switch {
	case ws.page < len(ws.regions):
		r := ws.regions[ws.page]
		title = b.p.Regions[r].Name
		body = b.wallRegion(r)
	case ws.page == len(ws.regions):
		title = "Escalations"
		body = b.wallEscalations()
	default:
		title = "Team load"
		body = b.wallLoad()
	}
	clock := b.now.In(b.p.HomeZone()).Format("Mon 2 Jan 15:04:05") + " ET"
	head := fmt.Sprintf("%s · %s · page %d/%d", th.Title.Render("caseboard wall"), th.Accent.Render(title), ws.page+1, ws.pages())
	n := b.ix.Counts(b.now)
	counts := fmt.Sprintf("open %d  %s  %s  %s  %s", n.Open,
		th.Breached.Render(fmt.Sprintf("%s %d", wordBreached, n.Breached)),
		th.Warning.Render(fmt.Sprintf("%s %d", wordDueSoon, n.DueSoon)),
		th.Breached.Render(fmt.Sprintf("%s %d", wordCall, n.CallRequired)),
		th.Escalated.Render(fmt.Sprintf("%s %d", wordEscalated, n.Escalated)))
	lines := []string{fit(head, b.w-len(clock)-1) + " " + th.Bold.Render(clock), fit(counts, b.w), ""}
	lines = append(lines, body...)
	return block(lines, b.w, b.h)
}

// wallRegion is a region's counts, its worst breaches and next due cases
// in block digits (from 120 columns), then its queue.
func (b *board) wallRegion(r model.Region) []string {
	var out []string
	dv := b.wall.dues[r].Items()
	n := b.wall.dues[r].Counts(b.now, b.p.DueSoon)
	breached, soon := n.Breached, n.DueSoon
	out = append(out, fmt.Sprintf("%d open · %d breached · %d due soon", b.wall.views[r].Len(), breached, soon))
	if b.w >= 120 && b.h >= 30 {
		var big []*model.QueueItem
		for i := 0; i < breached && i < 2; i++ {
			big = append(big, dv[i])
		}
		for i := breached; i < len(dv) && len(big) < 4; i++ {
			big = append(big, dv[i])
		}
		if len(big) > 0 {
			out = append(out, "")
			out = append(out, b.bigRow(big)...)
		}
	}
	out = append(out, "")
	rows := b.h - 3 - len(out) - 2
	v := b.wall.views[r].Items()
	w := b.w
	for i := 0; i < len(v) && i < rows; i++ {
		out = append(out, b.renderRow(v[i], false, w, true))
	}
	if len(v) == 0 {
		out = append(out, b.th.Faint.Render("  no open cases"))
	}
	return out
}

// bigRow draws cases' time to breach as "-1:23" (breached) or "0:14" (due)
// in block digits, side by side, each captioned.
func (b *board) bigRow(es []*model.QueueItem) []string {
	cellW := b.w / len(es)
	if cellW > 40 {
		cellW = 40
	}
	var cols []string
	for _, e := range es {
		st := e.Urgent.At(b.now, b.p)
		style, word := b.th.Warning, "due in"
		if st.State == model.StateBreached {
			style, word = b.th.Breached, wordBreached
		} else if !st.DueSoon {
			style = b.th.OK
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

func (b *board) wallEscalations() []string {
	v := b.wall.esc.Items()
	if len(v) == 0 {
		return []string{b.th.Faint.Render("no open escalations")}
	}
	var out []string
	for _, e := range v {
		line := fmt.Sprintf("%s %s S%d %-10s %s", b.th.Escalated.Render("⚑"), model.CaseNumber(e.Case.Number),
			e.Case.Severity, clip(model.Inert(e.Case.Account), 10), escOutcome(e.Esc))
		for _, cl := range e.Clocks {
			if (cl.Kind == model.ClockEscalationFollowup || cl.Kind == model.ClockEscalationUpdate) && cl.Running() {
				st := cl.At(b.now, b.p)
				cell, style := b.th.stateCell(cl, st)
				line += " · " + clockName(cl) + " " + style.Render(cell)
			}
		}
		out = append(out, clip(line, b.w))
	}
	return out
}

func (b *board) wallLoad() []string {
	if len(b.wall.load) == 0 {
		return []string{b.th.Faint.Render("nobody owns an open case")}
	}
	max := b.wall.load[0].open
	barW := b.w - 30
	var out []string
	for _, l := range b.wall.load {
		n := l.open * barW / max
		out = append(out, fmt.Sprintf("%-12s %4d ", clip(model.Inert(l.owner), 12), l.open)+b.th.Accent.Render(strings.Repeat("█", n)))
	}
	return out
}
