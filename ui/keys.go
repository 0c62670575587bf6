package ui

import (
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// onKey sends a key to the part of the board that has the focus.
func (b *board) onKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case b.picking:
		return b.pickerKey(msg)
	case b.wallMode:
		return b.wallKey(msg)
	case b.jump.on:
		return b.jumpKey(msg)
	case b.help.ShowAll:
		return b.helpKey(msg)
	case b.form != nil:
		return b.formKey(msg)
	case b.prompt.on:
		return b.promptKey(msg)
	case b.q.filtering:
		return b.filterKey(msg)
	case key.Matches(msg, b.km.Global.Jump):
		return b.openJump() // from the queue, the detail and every list over them
	case b.alerts.on:
		return b.alertsKey(msg)
	case b.panel.on:
		return b.panelKey(msg)
	case b.out.on:
		if cmd, ok := b.outputKey(msg); ok {
			return cmd
		}
	}
	g := b.km.Global
	switch {
	case key.Matches(msg, g.Quit):
		return b.quit()
	case key.Matches(msg, g.Help):
		b.help.ShowAll = !b.help.ShowAll
		b.layout()
		return nil
	case key.Matches(msg, g.NextTab):
		return b.switchTab(1)
	case key.Matches(msg, g.PrevTab):
		return b.switchTab(-1)
	case key.Matches(msg, g.Sort):
		b.q.toggleOrder()
		if b.q.byDue {
			b.setStatus("order: due instant across severities")
		} else {
			b.setStatus("order: severity, then due")
		}
		return nil
	case key.Matches(msg, g.Filter):
		b.q.filtering = true
		b.layout()
		return nil
	case key.Matches(msg, g.SwitchUser):
		if !b.o.Demo {
			b.setStatus("switching user needs --demo")
			return nil
		}
		b.openPicker()
		return nil
	case key.Matches(msg, g.Alerts):
		b.openAlerts()
		return nil
	case key.Matches(msg, g.Copy):
		return b.copyCase()
	}
	switch r := b.km.Reports; {
	case key.Matches(msg, r.Panel):
		return b.openPanel()
	case key.Matches(msg, r.Weekly):
		return b.weeklyReport()
	case key.Matches(msg, r.Daily):
		return b.dailyReport()
	}
	if cmd, ok := b.actionKey(msg); ok {
		return cmd
	}
	if b.focusDetail {
		return b.detailKey(msg)
	}
	return b.queueKey(msg)
}

func (b *board) quit() tea.Cmd {
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
	if b.alertStop != nil {
		b.alertStop()
		b.alertStop = nil
	}
	return tea.Quit
}

func (b *board) switchTab(d int) tea.Cmd {
	b.q.switchTab(d)
	return b.fetchDetail()
}

func (b *board) queueKey(msg tea.KeyMsg) tea.Cmd {
	before := b.q.sel
	if key.Matches(msg, b.km.Queue.Detail) {
		if b.q.selected() != nil {
			b.focusDetail = true
			b.det.scroll = 0
			b.layout()
		}
	} else {
		b.q.Update(msg)
	}
	if b.q.sel != before {
		b.det.scroll = 0
		return b.fetchDetail()
	}
	return nil
}

func (b *board) detailKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, b.km.Detail.Back) {
		b.focusDetail = false
		b.layout()
		return nil
	}
	_, cmd := b.det.Update(msg)
	return cmd
}

// filterKey edits the `/` filter; the queue narrows as one types.
func (b *board) filterKey(msg tea.KeyMsg) tea.Cmd {
	f := b.km.Filter
	switch {
	case key.Matches(msg, f.Quit):
		return b.quit()
	case key.Matches(msg, f.Apply):
		b.q.filtering = false
		b.layout()
		return b.fetchDetail()
	}
	if !b.q.editFilter(msg) {
		return nil
	}
	b.layout()
	return b.fetchDetail()
}

// formKey sends a key to the open form and takes what it gives back: the
// action to do (as the acting user at the board's clock) or a cancel.
func (b *board) formKey(msg tea.KeyMsg) tea.Cmd {
	quit := b.km.Form.Quit
	if b.form.confirming {
		quit = b.km.Confirm.Quit
	}
	if key.Matches(msg, quit) {
		return b.quit()
	}
	b.form.Update(msg)
	switch {
	case b.form.cancelled:
		b.dropForm()
		b.setStatus("cancelled: nothing written")
	case b.form.action != nil:
		// The rules first, on the board's own copy (no I/O): a refusal
		// keeps the form and what was typed, with the reason under it.
		a := b.form.action
		if err := b.check(a); err != nil {
			b.form.refuse(err)
			return nil
		}
		b.form.action, b.form.pending = nil, true
		b.setStatus("…")
		return doCmd(b.o.Backend, b.user.ID, a, b.now)
	}
	return nil
}

func (b *board) dropForm() {
	b.form = nil
	b.layout()
}

func (b *board) wallKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, b.km.Wall.Quit):
		return b.quit()
	case b.o.Demo && key.Matches(msg, b.km.Global.SwitchUser):
		// The demo is for trying every role: the picker, then the chosen
		// user's own board (the wall again for a wall user), --wall or not.
		b.wall.demoLeft = true
		b.openPicker()
		return nil
	default:
		_, cmd := b.wall.Update(msg)
		return cmd
	}
}

func (b *board) pickerKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, b.km.Picker.Quit) {
		return b.quit()
	}
	b.picker.Update(msg)
	if u, ok := b.picker.take(); ok {
		b.actAs(u)
		b.setStatus("acting as " + model.Inert(u.ID))
		return b.fetchDetail()
	}
	return nil
}
