package ui

import (
	"fmt"

	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The board's side of the alerts: the feed in, the bell and the flash
// out, the list's keys, and the acknowledgements through the Backend.

func (b *board) onAlertStart(msg alertStartMsg) tea.Cmd {
	b.alertFeed, b.alertStop = msg.feed, msg.stop
	var cmds []tea.Cmd
	if b.alertFeed != nil {
		cmds = append(cmds, waitAlerts(b.alertFeed))
	}
	if msg.err != nil {
		b.setError(fmt.Errorf("read the alerts: %w", msg.err))
	}
	as := msg.alerts
	if len(as) > maxAlerts {
		as = as[len(as)-maxAlerts:] // a long-lived desk's history: the newest only
	}
	for _, a := range as {
		b.alerts.add(a)
	}
	b.alertsIn = true
	return tea.Batch(append(cmds, b.greet())...)
}

// onAlerts takes newly raised alerts: a new one for the acting user, not
// acknowledged, flashes its case and rings (once for what was read
// together, so a burst is one bell).
func (b *board) onAlerts(msg alertMsg) tea.Cmd {
	ring := false
	for _, a := range msg.alerts {
		if !b.alerts.add(a) || !b.alerts.rings(&a) {
			continue
		}
		ring = true
		if a.Case != 0 {
			b.flash[a.Case] = b.now.Add(flashFor)
		}
	}
	var cmds []tea.Cmd
	if msg.closed {
		b.alertFeed = nil
		b.setError(fmt.Errorf("the alert feed closed: new alerts no longer show"))
	} else if b.alertFeed != nil {
		cmds = append(cmds, waitAlerts(b.alertFeed))
	}
	if ring {
		cmds = append(cmds, b.bell())
	}
	return tea.Batch(cmds...)
}

// askAcks reads the acting user's acknowledgements once they act (at
// start and after a switch of user); a wall has none.
func (b *board) askAcks() tea.Cmd {
	u := b.user.ID
	if !b.loaded || b.picking || b.wallMode || u == "" || b.o.Backend == nil ||
		b.acksAsked == u || (b.alerts.loaded && b.alerts.acksFor == u) {
		return nil
	}
	b.acksAsked = u
	return acksCmd(b.o.Backend, u)
}

func (b *board) onAcks(msg acksMsg) tea.Cmd {
	if msg.user != b.user.ID {
		return nil // the user switched meanwhile: their own read follows
	}
	// acksAsked stays: a failed read is not retried on every tick.
	if msg.err != nil {
		b.setError(fmt.Errorf("read your acknowledgements: %w", msg.err))
		return nil
	}
	b.alerts.setAcks(msg.user, msg.ids)
	return b.greet()
}

// greet rings once when a user starts acting with alerts they have not
// acknowledged (raised while no board of theirs ran): once the alerts
// and their acknowledgements are both in, and once per user.
func (b *board) greet() tea.Cmd {
	u := b.user.ID
	if !b.alertsIn || !b.alerts.loaded || b.alerts.acksFor != u || b.greeted == u {
		return nil
	}
	b.greeted = u
	if b.alerts.unacked() == 0 {
		return nil
	}
	return b.bell()
}

// bell rings the terminal unless the board is quiet or a wall.
func (b *board) bell() tea.Cmd {
	if b.o.Quiet || b.o.Bell == nil || b.wallMode {
		return nil
	}
	return bellCmd(b.o.Bell)
}

func (b *board) onAcked(msg ackedMsg) {
	if msg.err != nil {
		b.setError(fmt.Errorf("acknowledge: %w", msg.err))
		return
	}
	if msg.user == b.alerts.acksFor {
		b.alerts.acked[msg.id] = true
	}
	b.setStatus("acknowledged " + model.Inert(msg.id))
}

// openAlerts shows the alert list over the body.
func (b *board) openAlerts() {
	b.panel.on, b.out.on = false, false
	b.alerts.on = true
	b.alerts.cursor = 0
	b.layout()
}

// alertsKey sends a key to the open list and does what it chose: go to
// an alert's case, or acknowledge an alert as the acting user.
func (b *board) alertsKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, b.km.Alerts.Quit) {
		return b.quit()
	}
	b.alerts.Update(msg)
	if !b.alerts.on {
		b.layout()
	}
	if n := b.alerts.jump; n != 0 {
		b.alerts.jump = 0
		return b.jumpTo(n)
	}
	if id := b.alerts.ack; id != "" {
		b.alerts.ack = ""
		if b.wallMode || b.user.ID == "" {
			return nil
		}
		return ackCmd(b.o.Backend, b.user.ID, id)
	}
	return nil
}

// jumpTo selects a case in the queue: in the current tab if it is there,
// else in the first of the user's tabs that holds it.
func (b *board) jumpTo(n int64) tea.Cmd {
	if _, ok := b.visibleCase(n); !ok {
		b.setStatus("no case " + model.CaseNumber(n))
		return nil
	}
	cmd, err := b.selectCase(n)
	if err != nil {
		b.setStatus(err.Error())
		return nil
	}
	b.focusDetail = false
	b.setStatus("alert: " + model.CaseNumber(n))
	b.layout()
	return cmd
}
