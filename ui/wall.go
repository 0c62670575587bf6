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
)

// Wall is the read-only wall: no cursor, pages that turn by themselves
// (each region's queue, the escalations, the team's load), drawn in tiles
// of block figures that grow with the screen. A new breach or a new
// severity 1 case flashes for a few seconds of board time. It keeps its
// own views of the queue index once opened.
type Wall struct {
	c       *Common
	page    int
	since   time.Time
	regions []model.Region
	views   map[model.Region]*model.Queue // each region's queue, severity order
	// dues are each region's cases with a running clock, due order: the
	// region's urgent tiles, and where a tick finds the new breaches.
	dues map[model.Region]*model.Queue
	esc  *model.Queue
	load []ownerLoad
	w, h int

	// flashes is each case flashing, why and until when (board time);
	// seen is the state of the cases a change is about to touch, read
	// before it is applied (see before); ticked is the clock at the last
	// look for breaches.
	flashes map[int64]wallFlash
	seen    map[int64]wallSeen
	ticked  time.Time

	// demoLeft: in the demo, `u` left the wall for the picker; --wall no
	// longer holds the board on the wall.
	demoLeft bool
}

type ownerLoad struct {
	owner          string
	open, breached int
}

// wallFlash is why a case flashes: its word, and until when.
type wallFlash struct {
	word  string
	until time.Time
}

// wallSeen is what a flash compares: a case open, at severity 1,
// breached.
type wallSeen struct{ open, sev1, breached bool }

// The flash words: inverse video is not the only cue.
const (
	flashBreached = "✖ BREACHED"
	flashSev1     = "☎ NEW SEV 1"
)

// wallAlerts is how many of its last alerts a wall page shows.
const wallAlerts = 3

func newWall(c *Common) *Wall {
	return &Wall{c: c, flashes: map[int64]wallFlash{}, seen: map[int64]wallSeen{}}
}

// open registers the wall's views: each region's queue and the escalations.
func (ws *Wall) open() {
	if ws.views != nil {
		// Back on the wall (a switch of user in the demo, a resync): what
		// breached meanwhile is not new.
		ws.ticked = ws.c.now
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
	ws.ticked = c.now
	ws.refresh()
}

// Init implements tea.Model.
func (ws *Wall) Init() tea.Cmd { return nil }

// Update turns the page on its key and every Rotate of board time (a
// tick), flashes what breached since the last tick or what a change made
// a new severity 1 case, and re-sorts the team load.
func (ws *Wall) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		ws.tick()
		if ws.c.now.Sub(ws.since) >= ws.c.o.Rotate {
			ws.next()
		}
		ws.refresh()
	case feedMsg:
		ws.afterFeed()
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

// breachedAt: a queue item's most urgent clock is past due at now
// (exactly at due is not breached).
func breachedAt(it *model.QueueItem, now time.Time) bool {
	return it.HasClock && !it.CallRequired && it.Urgent.Due.Before(now)
}

// before notes the state of the cases a feed message is about to change,
// so that afterFeed can tell what the change made new. The board calls it
// before applying the message.
func (ws *Wall) before(msg feedMsg) {
	if ws.views == nil {
		return
	}
	see := func(n int64, it *model.QueueItem, open bool) {
		if _, done := ws.seen[n]; done {
			return // the first change of the message saw it as it was
		}
		s := wallSeen{}
		if open {
			s = wallSeen{open: true, sev1: it.Case.Severity == 1, breached: breachedAt(it, ws.c.now)}
		}
		ws.seen[n] = s
	}
	// A private desk: the updates are not applied yet.
	for _, u := range msg.updates {
		if u.Change == nil {
			continue
		}
		for _, c := range u.Change.Cases {
			it, ok := ws.c.ix.Get(c.Number)
			see(c.Number, it, ok)
		}
	}
	// The holder's shared desk: already applied, each note keeps the
	// items as they were.
	for _, n := range msg.notes {
		if n.ch == nil {
			continue
		}
		for _, c := range n.ch.Cases {
			it, ok := n.prior[c.Number]
			see(c.Number, it, ok)
		}
	}
}

// afterFeed flashes the cases a change made severity 1 (opened, raised,
// reopened) or breached (a severity change can move a due into the past).
func (ws *Wall) afterFeed() {
	now := ws.c.now
	for n, was := range ws.seen {
		it, ok := ws.c.ix.Get(n)
		switch {
		case !ok:
		case it.Case.Severity == 1 && !was.sev1:
			ws.flash(n, flashSev1)
		case was.open && !was.breached && breachedAt(it, now):
			ws.flash(n, flashBreached)
		}
	}
	clear(ws.seen)
}

// tick flashes the cases whose most urgent clock fell due since the last
// tick, found by two binary searches in each region's due order (the
// cost of a tick does not grow with the queue), and ends the flashes
// that are over.
func (ws *Wall) tick() {
	now, from := ws.c.now, ws.ticked
	ws.ticked = now
	for n, f := range ws.flashes {
		if !now.Before(f.until) {
			delete(ws.flashes, n)
		}
	}
	if ws.views == nil || !now.After(from) {
		return
	}
	for _, r := range ws.regions {
		v := ws.dues[r].Items()
		// Breached at now and not at from: from <= due < now.
		i := sort.Search(len(v), func(i int) bool { return !v[i].Urgent.Due.Before(from) })
		for ; i < len(v) && v[i].Urgent.Due.Before(now); i++ {
			ws.flash(v[i].Case.Number, flashBreached)
		}
	}
}

func (ws *Wall) flash(n int64, word string) {
	ws.flashes[n] = wallFlash{word: word, until: ws.c.now.Add(flashFor)}
}

// flashing is a case's flash word, if it flashes now.
func (ws *Wall) flashing(n int64) (string, bool) {
	f, ok := ws.flashes[n]
	if !ok || !ws.c.now.Before(f.until) {
		return "", false
	}
	return f.word, true
}

// refresh sorts the team load (a few dozen people) outside View; on the
// team page it counts each owner's breached cases, from the breached
// front of each region's due order.
func (ws *Wall) refresh() {
	ws.load = ws.load[:0]
	for o, n := range ws.c.ix.Owners() {
		ws.load = append(ws.load, ownerLoad{owner: o, open: n})
	}
	if ws.views != nil && ws.page == len(ws.regions)+1 {
		breached := map[string]int{}
		for _, r := range ws.regions {
			q := ws.dues[r]
			k := q.Counts(ws.c.now, ws.c.p.DueSoon).Breached
			for _, it := range q.Items()[:k] {
				if it.Case.Owner != "" {
					breached[it.Case.Owner]++
				}
			}
		}
		for i := range ws.load {
			ws.load[i].breached = breached[ws.load[i].owner]
		}
	}
	sort.Slice(ws.load, func(i, j int) bool {
		if ws.load[i].open != ws.load[j].open {
			return ws.load[i].open > ws.load[j].open
		}
		return ws.load[i].owner < ws.load[j].owner
	})
}

// View draws the current page: a header with the clock (the only
// seconds on the wall), the flash banner, the page, and in the demo the
// keys.
func (ws *Wall) View() string {
	c := ws.c
	if ws.views == nil {
		return ""
	}
	var title string
	var body func(room int) []string
	var scope func(*model.Alert) bool
	switch {
	case ws.page < len(ws.regions):
		r := ws.regions[ws.page]
		title = c.regionName(r)
		body = func(room int) []string { return ws.region(r, room) }
		scope = func(a *model.Alert) bool { return a.Region == r }
	case ws.page == len(ws.regions):
		title = "Escalations"
		body = ws.escalations
		scope = func(a *model.Alert) bool { return strings.HasPrefix(string(a.Kind), "escalation-") }
	default:
		title = "Team load"
		body = ws.teamLoad
	}
	lines := []string{ws.header(title)}
	lines = append(lines, ws.banner()...)
	var foot []string
	if c.o.Demo {
		foot = []string{c.th.Faint.Render("demo · u switch user · space next page · q quit")}
	}
	var tail []string
	if scope != nil {
		tail = ws.alertLines(scope)
	}
	room := ws.h - len(lines) - len(foot) - len(tail)
	if room < 0 {
		room = 0
	}
	b := body(room)
	if len(b) > room {
		b = b[:room]
	}
	lines = append(lines, b...)
	for len(lines) < ws.h-len(foot)-len(tail) {
		lines = append(lines, "")
	}
	lines = append(lines, tail...)
	lines = append(lines, foot...)
	return block(lines, ws.w, ws.h)
}

// header is the page's name on the left and the clock on the right.
func (ws *Wall) header(title string) string {
	c := ws.c
	th := c.th
	clock := c.now.In(c.p.HomeZone()).Format("Mon 2 Jan 15:04:05") + " ET"
	head := fmt.Sprintf("%s · %s · page %d/%d", th.Title.Render("caseboard wall"), th.Accent.Render(title), ws.page+1, ws.pages())
	return fit(head, ws.w-len(clock)-1) + " " + th.Bold.Render(clock)
}

// banner is the flashing cases on every page, in inverse video with
// their word; three lines high on a tall screen.
func (ws *Wall) banner() []string {
	var ns []int64
	for n := range ws.flashes {
		if _, ok := ws.flashing(n); ok {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return nil
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	var parts []string
	for _, n := range ns {
		word, _ := ws.flashing(n)
		what := model.CaseNumber(n)
		if it, ok := ws.c.ix.Get(n); ok {
			what += fmt.Sprintf(" · S%d · %s", it.Case.Severity, model.Inert(it.Case.Account))
		}
		parts = append(parts, "! "+word+" "+what)
	}
	fl := ws.c.th.Flash
	text := fl.Render(fit(" "+strings.Join(parts, "    "), ws.w))
	if ws.h < 40 {
		return []string{text}
	}
	pad := fl.Render(strings.Repeat(" ", ws.w))
	return []string{pad, text, pad, ""}
}

// alertLines is the page's last alerts, each with its age in minutes.
func (ws *Wall) alertLines(scope func(*model.Alert) bool) []string {
	c := ws.c
	al := c.alerts.scope(scope, wallAlerts)
	if len(al) == 0 {
		return nil
	}
	out := []string{"", c.th.Title.Render("Last alerts")}
	for _, a := range al {
		if ws.h >= 40 {
			out = append(out, "") // spaced out on a tall screen
		}
		out = append(out, c.th.Breached.Render(fit(ws.alertLine(a), ws.w)))
	}
	return out
}

// alertLine is one alert: its age, kind and case; without Titles the case
// and account only (an alert's text holds the case's title).
func (ws *Wall) alertLine(a *model.Alert) string {
	c := ws.c
	age := "now"
	if d := c.now.Sub(a.At); d >= time.Minute {
		age = model.SpanMinutes(d) + " ago"
	}
	what := model.Inert(a.Text)
	if !c.o.Titles {
		what = model.Inert(a.Account)
		if a.Case != 0 {
			what = fmt.Sprintf("%s S%d %s", model.CaseNumber(a.Case), a.Severity, model.Inert(a.Account))
		}
	}
	sep := wallSep(ws.w)
	return "!" + sep + fit(age, 10) + sep + fit(model.Inert(string(a.Kind)), 24) + sep + what
}

// wallSep is the space between a wall line's columns: more on a wide
// screen.
func wallSep(w int) string {
	switch {
	case w >= 240:
		return "      "
	case w >= 160:
		return "    "
	}
	return "  "
}
