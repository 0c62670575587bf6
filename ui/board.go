package ui

import (
	"fmt"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// board is the root model. It owns Common (the desk, the queue index, the
// acting user, the clock) and writes it; it keeps the feed and the clock
// running, routes keys to the focused pane and data to the pane that owns
// it, and lays the panes out. Each pane owns its own state.
type board struct {
	Common
	help help.Model

	loaded bool
	feed   <-chan Update
	cancel func()

	// The alert feed; alertsIn: the alerts raised before the start are
	// in; greeted: the user whose unacknowledged alerts rang at start;
	// acksAsked: the user whose acknowledgements are being read.
	alertFeed <-chan model.Alert
	alertStop func()
	alertsIn  bool
	greeted   string
	acksAsked string

	origin  time.Time // the real instant the clock started from
	tickGen int

	// The panes.
	q      *Queue
	det    *Detail
	bank   *Bank
	panel  *ReportsPanel
	wall   *Wall
	form   *Form // nil: no form open
	prompt *CommandLine
	out    *Output
	picker *UserPicker

	// Which pane has the focus, beside the ones that say so themselves
	// (a form, the prompt, the panel, the output pane, the filter).
	picking     bool
	focusDetail bool
	// helpTop is the first line of the `?` screen on show (help.ShowAll).
	helpTop int

	acts actionTable
	// deskGen counts the changes to the desk, for what is cached per
	// state of it (offers).
	deskGen uint64
	offers  offerCache

	// The status line's message, since when (the board's clock) and
	// whether it stays (a state, not news: loading, the feed closed);
	// others fade after statusFade.
	status       string
	statusErr    bool
	statusAt     time.Time
	statusSticky bool

	// jump is the `#` line; pendingSel the case a done action opened or
	// reopened, selected once the feed brings it (jump.go).
	jump       jumpLine
	pendingSel int64

	cache string
	dirty bool
}

func newBoard(o Options) *board {
	if o.Policy == nil {
		o.Policy = model.DefaultPolicy()
	}
	if o.Rotate <= 0 {
		o.Rotate = 20 * time.Second
	}
	sh := o.Shared
	if sh == nil {
		sh = newPrivate(o.Backend, o.Policy)
	}
	b := &board{
		Common: Common{o: o, p: o.Policy, km: keymap.Default(), th: newTheme(o.Renderer),
			sh: sh, ix: sh.ix, now: o.Start, flash: map[int64]time.Time{}},
		origin: time.Now(), dirty: true,
	}
	if !sh.private {
		b.sub = sh.attach()
	}
	b.help = newHelp(b.th)
	b.alerts = newAlerts(&b.Common)
	b.acts = newActionTable(b.km.Actions)
	b.wall = newWall(&b.Common)
	b.bank = newBank(&b.Common)
	b.det = newDetail(&b.Common)
	b.prompt = newCommandLine(&b.Common)
	b.out = newOutput(&b.Common)
	b.panel = newReportsPanel(&b.Common)
	b.q = newQueue(&b.Common)
	b.selected = b.q.selected
	b.status, b.statusSticky = "loading…", true
	return b
}

// Init subscribes, loads the desk and arms the one clock tick.
func (b *board) Init() tea.Cmd {
	start := startCmd(b.o.Backend)
	if !b.sh.private {
		start = sharedStartCmd(b.sh)
	}
	return tea.Batch(start, alertsCmd(b.o.Backend), tickCmd(b.tickGen, b.o.tickEvery))
}

// Close ends the board's hold on a shared desk: its subscription and the
// views it registered on the shared index. serve calls it when a session
// ends; any goroutine may, once the program no longer runs Update or View
// on another (it touches only the shared side).
func (b *board) Close() {
	if b.sub != nil {
		b.sub.detach()
	}
}

// Update reads the desk under the shared read lock (a private desk's
// load and changes are written here, under the write lock).
func (b *board) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b.sh.private && writesDesk(msg) {
		b.sh.mu.Lock()
		defer b.sh.mu.Unlock()
	} else {
		b.sh.mu.RLock()
		defer b.sh.mu.RUnlock()
	}
	if b.loaded && b.sh.desk != nil {
		b.desk = b.sh.desk
	}
	return b.update(msg)
}

// writesDesk: the message changes a private desk.
func writesDesk(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case startMsg, deskMsg:
		return true
	case feedMsg:
		return len(msg.updates) > 0
	}
	return false
}

// update routes a message by its kind: keys to the focused pane, data to
// the part that owns it.
func (b *board) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		b.w, b.h = msg.Width, msg.Height
		b.layout()
	case tickMsg:
		cmd = b.onTick(msg)
	case startMsg:
		cmd = b.onStart(msg)
	case deskMsg:
		cmd = b.onDesk(msg)
	case feedMsg:
		if b.wallMode {
			b.wall.before(msg) // what the change makes new flashes on the wall
		}
		cmd = b.onFeed(msg)
		if b.wallMode {
			b.wall.Update(msg)
		}
	case eventsMsg:
		b.det.Update(msg)
	case autoClosedMsg:
		b.onAutoClosed(msg)
	case doneMsg:
		cmd = b.onDone(msg)
	case cmdMsg:
		b.onCmd(msg)
	case reportWrittenMsg:
		b.onReportWritten(msg)
	case dailyReportMsg:
		b.onDailyReport(msg)
	case alertStartMsg:
		cmd = b.onAlertStart(msg)
	case alertMsg:
		cmd = b.onAlerts(msg)
	case acksMsg:
		cmd = b.onAcks(msg)
	case ackedMsg:
		b.onAcked(msg)
	case tea.KeyMsg:
		cmd = b.onKeys(msg)
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionMotion {
			return b, nil // a drag: nothing to redraw
		}
		cmd = b.onMouse(msg)
	default:
		return b, nil
	}
	b.refreshReports()
	b.dirty = true
	return b, tea.Batch(cmd, b.askAcks())
}

// onKeys splits a key message that carries several runes: Bubble Tea v1
// delivers consecutive printable runes read together (a fast typist, a
// slow machine, keys sent by a script) as one message, which would match
// no binding ("/i" is not "/"). A paste stays whole.
func (b *board) onKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return b.onKey(msg)
	}
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		cmds = append(cmds, b.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

// onTick moves the clock: counts and visible rows only, never the order.
// It re-arms itself here and nowhere else (bubbletea#436).
func (b *board) onTick(msg tickMsg) tea.Cmd {
	if msg.gen != b.tickGen {
		return nil
	}
	b.tickGen++
	next := b.now.Add(time.Second)
	if b.o.tickEvery == 0 {
		// Follow the real clock so a slow tick does not make the board lag.
		if real := b.o.Start.Add(msg.at.Sub(b.origin).Round(time.Second)); real.After(next) {
			next = real
		}
	}
	b.now = next
	cmds := []tea.Cmd{tickCmd(b.tickGen, b.o.tickEvery)}
	cmds = append(cmds, b.autoClose()...)
	if b.wallMode {
		b.wall.Update(msg)
	}
	for n, until := range b.flash {
		if !b.now.Before(until) {
			delete(b.flash, n)
		}
	}
	b.fadeStatus()
	return tea.Batch(cmds...)
}

// autoClose issues the due auto-closes, each once.
func (b *board) autoClose() []tea.Cmd {
	if !b.loaded {
		return nil
	}
	var cmds []tea.Cmd
	for _, n := range b.ix.AutoCloseDue(b.now) {
		if !b.sh.claimClose(n) {
			continue
		}
		cmds = append(cmds, autoCloseCmd(b.o.Backend, n, b.now))
	}
	return cmds
}

func (b *board) onAutoClosed(msg autoClosedMsg) {
	b.sh.closeDone(msg.number, msg.err) // refused: not again until the case changes
	if msg.err != nil {
		b.setError(fmt.Errorf("auto-close %s: %w", model.CaseNumber(msg.number), msg.err))
		return
	}
	b.setStatus("auto-closed " + model.CaseNumber(msg.number) + " (no response)")
}

func (b *board) onStart(msg startMsg) tea.Cmd {
	b.feed, b.cancel = msg.feed, msg.cancel
	var cmds []tea.Cmd
	if b.feed != nil {
		cmds = append(cmds, waitFeed(b.feed))
	}
	if b.sub != nil {
		cmds = append(cmds, waitNotes(b.sub))
	}
	if msg.err != nil {
		b.setError(fmt.Errorf("load the desk: %w", msg.err))
		return tea.Batch(cmds...)
	}
	if b.sh.private {
		b.setDesk(msg.desk)
	} else {
		b.deskChanged(b.sh.desk)
	}
	b.chooseUser()
	b.setStatus("")
	return tea.Batch(append(cmds, b.fetchDetail())...)
}

func (b *board) onDesk(msg deskMsg) tea.Cmd {
	if msg.err != nil {
		b.setError(fmt.Errorf("reload the desk: %w", msg.err))
		return nil
	}
	b.setDesk(msg.desk)
	return b.reloaded()
}

// reloaded follows a desk reloaded after a resync: the user, the views.
func (b *board) reloaded() tea.Cmd {
	if u, ok := b.desk.Users[b.user.ID]; ok {
		b.user = *u
	}
	b.rebuildView()
	b.setStatus("resynchronised")
	return tea.Batch(b.fetchDetail(), b.selectPending())
}

// setDesk loads a private desk (the caller holds the write lock).
func (b *board) setDesk(d *model.Desk) {
	b.sh.load(d)
	b.deskChanged(b.sh.desk)
}

// deskChanged follows a desk (re)loaded in the shared (or private) desk.
func (b *board) deskChanged(d *model.Desk) {
	b.desk = d
	b.deskGen++
	b.q.cl.reset()
	b.loaded = true
	b.bank.invalidate()
	b.panel.reload()
}

// onFeed follows the changes: a private desk's updates are applied here,
// one case at a time (a Resync reloads the whole desk in a Cmd); a shared
// desk's notes were applied by the holder, and the board only refreshes
// what depends on them.
func (b *board) onFeed(msg feedMsg) tea.Cmd {
	var cmds []tea.Cmd
	resync := false
	selBefore := b.q.sel
	for _, u := range msg.updates {
		if u.Resync {
			resync = true
			continue
		}
		if u.Change == nil || b.desk == nil || resync {
			continue
		}
		if n, ok := b.sh.apply(u.Change, b.now); ok {
			b.deskGen++
			b.noted(n)
		}
	}
	if resync {
		cmds = append(cmds, loadCmd(b.o.Backend))
	}
	reloaded := false
	for _, n := range msg.notes {
		switch {
		case n.resync && n.err != nil:
			b.setError(fmt.Errorf("reload the desk: %w", n.err))
		case n.resync:
			reloaded = true
		case b.loaded:
			b.deskGen++
			b.noted(n)
		}
	}
	if reloaded && b.loaded {
		b.deskChanged(b.sh.desk)
		cmds = append(cmds, b.reloaded())
	}
	switch {
	case !msg.closed && b.feed != nil:
		cmds = append(cmds, waitFeed(b.feed))
	case !msg.closed && b.sub != nil && msg.notes != nil:
		cmds = append(cmds, waitNotes(b.sub))
	case msg.closed:
		b.setError(fmt.Errorf("the change feed closed: the board no longer updates"))
		b.statusSticky = true
	}
	b.q.follow()
	if b.q.sel != selBefore || b.det.stale {
		cmds = append(cmds, b.fetchDetail())
	}
	cmds = append(cmds, b.selectPending())
	return tea.Batch(cmds...)
}

// noted refreshes what depends on one applied change: the detail of the
// selected case, the bank, the reports, the acting user.
func (b *board) noted(n note) {
	ch := n.ch
	b.q.cl.apply(b.desk, ch)
	for _, c := range ch.Cases {
		b.panel.touched(c.Number)
	}
	for _, c := range ch.Cases {
		if c.Number == b.q.sel {
			b.det.stale = true
		}
	}
	for _, c := range n.newCases {
		b.bank.noteNewCase(c)
	}
	for _, e := range ch.Escalations {
		if e.Case == b.q.sel {
			b.det.stale = true
		}
	}
	// A note (and any event) changes the trail without touching the case
	// record: the detail shows every event of its case at once.
	for _, ev := range ch.Events {
		if ev.Case == b.q.sel {
			b.det.stale = true
		}
	}
	if len(ch.TimeEntries) > 0 || len(ch.Bank) > 0 || len(ch.Accounts) > 0 {
		b.bank.invalidate()
	}
	if len(ch.Users) > 0 || len(ch.RemoveUsers) > 0 {
		if u, ok := b.desk.Users[b.user.ID]; ok && u.Role != b.user.Role {
			b.actAs(*u)
		}
	}
}

// chooseUser picks the acting user from the options, or opens the picker.
func (b *board) chooseUser() {
	if b.o.Actor != "" {
		if u, ok := b.desk.Users[b.o.Actor]; ok {
			b.actAs(*u)
			return
		}
		b.setError(fmt.Errorf("no user %q on this desk", model.Inert(b.o.Actor)))
	}
	switch len(b.desk.Users) {
	case 0:
		b.actAs(model.User{ID: "", Name: "nobody", Role: model.Manager})
	case 1:
		for _, u := range b.desk.Users {
			b.actAs(*u)
		}
	default:
		b.openPicker()
	}
}

func (b *board) openPicker() {
	b.picking = true
	b.picker = newPicker(&b.Common, b.user.ID)
	b.picker.SetSize(b.w, b.h-1)
}

// actAs switches the acting user and the views of their role.
func (b *board) actAs(u model.User) {
	b.user = u
	if b.o.OnActor != nil {
		b.o.OnActor(u.ID)
	}
	b.picking = false
	b.jump, b.pendingSel = jumpLine{}, 0
	b.q.reset(u.Role)
	b.focusDetail = false
	b.form, b.prompt.on, b.out.on, b.panel.on, b.alerts.on = nil, false, false, false, false
	b.wallMode = (b.o.Wall && !b.wall.demoLeft) || u.Role == model.Wall
	b.bank.reset(b.now)
	b.rebuildView()
	b.layout()
}

// rebuildView replaces the queue's view after a tab, order or filter change.
func (b *board) rebuildView() {
	if b.wallMode {
		b.wall.open()
	}
	b.q.rebuild()
}

// statusFade is how long a status-line message shows, on the board's
// clock (its tick), unless a newer one replaces it and starts afresh.
const statusFade = 6 * time.Second

func (b *board) setStatus(s string) {
	b.status, b.statusErr, b.statusAt, b.statusSticky = s, false, b.now, false
}

func (b *board) setError(err error) {
	b.status, b.statusErr, b.statusAt, b.statusSticky = model.Inert(err.Error()), true, b.now, false
}

// fadeStatus clears a message that has shown for statusFade.
func (b *board) fadeStatus() {
	if b.status != "" && !b.statusSticky && b.now.Sub(b.statusAt) >= statusFade {
		b.status, b.statusErr = "", false
	}
}

// fetchDetail asks for the selected case's audit trail; only the newest
// request's reply is kept.
func (b *board) fetchDetail() tea.Cmd {
	e := b.q.selected()
	if e == nil || b.o.Backend == nil {
		return nil
	}
	return b.det.fetch(e.Case.Number)
}

// View draws the screen; it is cached until a message changes something.
func (b *board) View() string {
	if !b.dirty {
		return b.cache
	}
	b.sh.mu.RLock()
	defer b.sh.mu.RUnlock()
	b.cache = b.render()
	b.dirty = false
	return b.cache
}
