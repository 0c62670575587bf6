package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The alerts on the board: every alert raised reaches each board through
// the store's alert feed; the board rings, flashes and lists the ones for
// its acting user, and the wall shows the last ones of its page. An
// acknowledgement is stored per user, so it holds after a restart and on
// every board of that user.

const (
	// maxAlerts is how many alerts a board keeps (the newest): the list
	// and the wall only ever show the recent ones.
	maxAlerts = 500
	// flashFor is how long a new alert's case row flashes, in board time.
	flashFor = 5 * time.Second
	// alertFeedBuf is how many raised alerts may wait for a busy board.
	alertFeedBuf = 64
)

// Alerts is the alert list (`!`): the acting user's alerts, newest first,
// the unacknowledged marked. It keeps every alert the board knows (the
// wall reads them too) and the acting user's acknowledgements.
type Alerts struct {
	c    *Common
	w, h int
	on   bool

	all   []model.Alert // raise order, the newest maxAlerts
	known map[string]bool
	// acked is the acting user's acknowledgements; acksFor names whose
	// they are ("" with loaded false: not read yet).
	acked   map[string]bool
	acksFor string
	loaded  bool

	cursor int
	// jump and ack are what enter and x chose, taken by the board.
	jump int64
	ack  string
}

func newAlerts(c *Common) *Alerts {
	return &Alerts{c: c, known: map[string]bool{}, acked: map[string]bool{}}
}

// add keeps an alert not seen before; it reports whether it was new.
func (al *Alerts) add(a model.Alert) bool {
	if a.ID == "" || al.known[a.ID] {
		return false
	}
	al.known[a.ID] = true
	al.all = append(al.all, a)
	if len(al.all) > maxAlerts {
		drop := al.all[0]
		delete(al.known, drop.ID)
		al.all = append(al.all[:0:0], al.all[1:]...)
	}
	return true
}

// setAcks replaces the acknowledgements with the user's.
func (al *Alerts) setAcks(user string, ids []string) {
	al.acked = map[string]bool{}
	for _, id := range ids {
		al.acked[id] = true
	}
	al.acksFor, al.loaded = user, true
}

// isAcked reports whether the acting user acknowledged an alert (false
// while their acknowledgements are not read yet).
func (al *Alerts) isAcked(id string) bool {
	return al.loaded && al.acksFor == al.c.user.ID && al.acked[id]
}

// forUser reports whether an alert is for the acting user on this board
// (never on a wall).
func (al *Alerts) forUser(a *model.Alert) bool {
	return !al.c.wallMode && al.c.user.ID != "" && a.ForUser(al.c.user)
}

// rings reports whether a new alert rings: for the user, not acknowledged.
func (al *Alerts) rings(a *model.Alert) bool {
	return al.forUser(a) && al.loaded && al.acksFor == al.c.user.ID && !al.isAcked(a.ID)
}

// mine is the acting user's alerts, newest first.
func (al *Alerts) mine() []*model.Alert {
	var out []*model.Alert
	for i := len(al.all) - 1; i >= 0; i-- {
		if al.forUser(&al.all[i]) {
			out = append(out, &al.all[i])
		}
	}
	return out
}

// unacked counts the acting user's alerts not acknowledged.
func (al *Alerts) unacked() int {
	if !al.loaded || al.acksFor != al.c.user.ID {
		return 0
	}
	n := 0
	for _, a := range al.mine() {
		if !al.isAcked(a.ID) {
			n++
		}
	}
	return n
}

// scope is the newest alerts a predicate keeps, at most n: the wall's.
func (al *Alerts) scope(keep func(*model.Alert) bool, n int) []*model.Alert {
	var out []*model.Alert
	for i := len(al.all) - 1; i >= 0 && len(out) < n; i-- {
		if keep(&al.all[i]) {
			out = append(out, &al.all[i])
		}
	}
	return out
}

// Init implements tea.Model.
func (al *Alerts) Init() tea.Cmd { return nil }

// Update moves the cursor, closes the list, and leaves enter's case in
// jump and x's alert in ack for the board.
func (al *Alerts) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return al, nil
	}
	km := al.c.km.Alerts
	list := al.mine()
	switch {
	case key.Matches(k, km.Close):
		al.on = false
	case key.Matches(k, km.Up):
		al.cursor--
	case key.Matches(k, km.Down):
		al.cursor++
	case key.Matches(k, km.Jump):
		if al.cursor < len(list) {
			al.jump = list[al.cursor].Case
			al.on = al.jump == 0 // an account's alert has no case to go to
		}
	case key.Matches(k, km.Ack):
		if al.cursor < len(list) && !al.isAcked(list[al.cursor].ID) {
			al.ack = list[al.cursor].ID
		}
	}
	al.clamp(len(list))
	return al, nil
}

func (al *Alerts) clamp(n int) {
	if al.cursor >= n {
		al.cursor = n - 1
	}
	if al.cursor < 0 {
		al.cursor = 0
	}
}

// SetSize implements Component.
func (al *Alerts) SetSize(w, h int) { al.w, al.h = w, h }

// ShortHelp implements help.KeyMap.
func (al *Alerts) ShortHelp() []key.Binding {
	return al.c.km.HelpFor(keymap.CtxAlerts, nil).ShortHelp()
}

// FullHelp implements help.KeyMap.
func (al *Alerts) FullHelp() [][]key.Binding {
	return al.c.km.HelpFor(keymap.CtxAlerts, nil).FullHelp()
}

// View draws the list at the size it was given: a title, then one line
// per alert (the cursor's highlighted), scrolled to keep the cursor in view.
func (al *Alerts) View() string {
	c, th := al.c, al.c.th
	list := al.mine()
	al.clamp(len(list))
	n := al.unacked()
	lines := []string{th.Title.Render("Alerts") + th.Faint.Render(fmt.Sprintf(" · %s · %d of %d", alertCount(n), n, len(list)))}
	if len(list) == 0 {
		lines = append(lines, th.Faint.Render("  no alerts for you"))
	}
	room := al.h - 1
	if room < 1 {
		room = 1
	}
	top := 0
	if al.cursor >= room {
		top = al.cursor - room + 1
	}
	for i := top; i < len(list) && i < top+room; i++ {
		a := list[i]
		mark := "!"
		if al.isAcked(a.ID) {
			mark = "✓"
		}
		loc, _ := c.zone() // the header's clock's zone
		at := a.At.In(loc).Format("Mon 15:04")
		line := fit(fmt.Sprintf("%s %s %-13s %s", mark, at, fit(model.Inert(string(a.Kind)), 13), model.Inert(a.Text)), al.w-2)
		if i == al.cursor {
			lines = append(lines, th.Selected.Render("▸ "+line))
		} else if !al.isAcked(a.ID) {
			lines = append(lines, "  "+th.Bold.Render(line))
		} else {
			lines = append(lines, "  "+th.Faint.Render(line))
		}
	}
	return strings.Join(lines, "\n")
}

// alertCount is the header's count: "! 3 alerts".
func alertCount(n int) string {
	if n == 1 {
		return "! 1 alert"
	}
	return fmt.Sprintf("! %d alerts", n)
}

// alertsCmd reads the newest alerts raised and the feed of new ones (subscribed
// first, so none raised in between is missed; add drops a repeat).
func alertsCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		feed, stop := b.SubscribeAlerts(alertFeedBuf)
		as, err := b.RecentAlerts(maxAlerts)
		return alertStartMsg{feed: feed, stop: stop, alerts: as, err: err}
	}
}

// waitAlerts blocks on the alert feed and takes what else waits.
func waitAlerts(feed <-chan model.Alert) tea.Cmd {
	return func() tea.Msg {
		a, ok := <-feed
		if !ok {
			return alertMsg{closed: true}
		}
		out := []model.Alert{a}
		for len(out) < alertFeedBuf {
			select {
			case a, ok := <-feed:
				if !ok {
					return alertMsg{alerts: out, closed: true}
				}
				out = append(out, a)
			default:
				return alertMsg{alerts: out}
			}
		}
		return alertMsg{alerts: out}
	}
}

func acksCmd(b Backend, user string) tea.Cmd {
	return func() tea.Msg {
		ids, err := b.RecentAcks(user, maxAlerts)
		return acksMsg{user: user, ids: ids, err: err}
	}
}

func ackCmd(b Backend, user, id string) tea.Cmd {
	return func() tea.Msg {
		return ackedMsg{user: user, id: id, err: b.Ack(user, id)}
	}
}

// bellCmd rings the terminal once.
func bellCmd(w io.Writer) tea.Cmd {
	return func() tea.Msg {
		w.Write([]byte("\a")) //nolint:errcheck // a bell that fails to ring is not worth a message
		return nil
	}
}
