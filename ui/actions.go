package ui

import (
	"fmt"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// actionSpec is one action of the process on the board: its key, whether
// it needs a selected case, a probe (an action of its kind, for the role
// check and the model's refusal), and its form.
type actionSpec struct {
	bind   func(keymap.Actions) key.Binding
	onCase bool
	probe  func(n int64, u model.User) model.Action
	open   func(b *board, e *model.QueueItem) *Form
}

// actionTable lists every action key in keymap order (Command aside).
func actionTable() []actionSpec {
	return []actionSpec{
		{func(a keymap.Actions) key.Binding { return a.NewCase }, false,
			func(n int64, u model.User) model.Action { return model.NewCase{} }, (*board).newCaseForm},
		{func(a keymap.Actions) key.Binding { return a.Take }, true,
			func(n int64, u model.User) model.Action { return model.TakeCase{Number: n} }, (*board).takeForm},
		{func(a keymap.Actions) key.Binding { return a.Assign }, true,
			func(n int64, u model.User) model.Action { return model.AssignCase{Number: n, To: u.ID} }, (*board).assignForm},
		{func(a keymap.Actions) key.Binding { return a.Call }, true,
			func(n int64, u model.User) model.Action { return model.CallCase{Number: n} }, (*board).callForm},
		{func(a keymap.Actions) key.Binding { return a.Respond }, true,
			func(n int64, u model.User) model.Action { return model.RespondCase{Number: n} }, (*board).respondForm},
		{func(a keymap.Actions) key.Binding { return a.Note }, true,
			func(n int64, u model.User) model.Action { return model.NoteCase{Number: n, Text: "?"} }, (*board).noteForm},
		{func(a keymap.Actions) key.Binding { return a.Status }, true,
			func(n int64, u model.User) model.Action { return model.SetStatus{Number: n} }, (*board).statusForm},
		{func(a keymap.Actions) key.Binding { return a.Severity }, true,
			func(n int64, u model.User) model.Action { return model.ChangeSeverity{Number: n} }, (*board).severityForm},
		{func(a keymap.Actions) key.Binding { return a.Reply }, true,
			func(n int64, u model.User) model.Action { return model.ReplyCase{Number: n} }, (*board).replyForm},
		{func(a keymap.Actions) key.Binding { return a.Followup }, true,
			func(n int64, u model.User) model.Action { return model.FollowupCase{Number: n} }, (*board).followupForm},
		{func(a keymap.Actions) key.Binding { return a.Close }, true,
			func(n int64, u model.User) model.Action { return model.CloseCase{Number: n} }, (*board).closeCaseForm},
		{func(a keymap.Actions) key.Binding { return a.Reopen }, false,
			func(n int64, u model.User) model.Action { return model.ReopenCase{Number: n} }, (*board).reopenForm},
		{func(a keymap.Actions) key.Binding { return a.Escalate }, true,
			func(n int64, u model.User) model.Action { return model.Escalate{Number: n, By: u.ID} }, (*board).escalateForm},
		{func(a keymap.Actions) key.Binding { return a.EscFollow }, true,
			func(n int64, u model.User) model.Action { return model.EscalationFollowup{Number: n} }, (*board).escFollowForm},
		{func(a keymap.Actions) key.Binding { return a.Accept }, true,
			func(n int64, u model.User) model.Action { return model.AcceptEscalation{Number: n} }, (*board).acceptForm},
		{func(a keymap.Actions) key.Binding { return a.Decline }, true,
			func(n int64, u model.User) model.Action { return model.DeclineEscalation{Number: n} }, (*board).declineForm},
		{func(a keymap.Actions) key.Binding { return a.Deescalate }, true,
			func(n int64, u model.User) model.Action { return model.DeescalateEscalation{Number: n} }, (*board).deescalateForm},
		{func(a keymap.Actions) key.Binding { return a.EscClose }, true,
			func(n int64, u model.User) model.Action { return model.CloseEscalation{Number: n} }, (*board).escCloseForm},
		{func(a keymap.Actions) key.Binding { return a.EscUpdate }, true,
			func(n int64, u model.User) model.Action { return model.UpdateEscalation{Number: n} }, (*board).escUpdateForm},
		{func(a keymap.Actions) key.Binding { return a.TimeLog }, false,
			func(n int64, u model.User) model.Action { return model.LogTime{} }, (*board).timeLogForm},
		{func(a keymap.Actions) key.Binding { return a.TimeVoid }, false,
			func(n int64, u model.User) model.Action { return model.VoidTime{} }, (*board).voidForm},
	}
}

// offered reports whether the acting user may take an action now: the
// role may do it at all, and on the selected case (owner, region,
// account). The lifecycle is left to the model, which says why not.
func (b *board) offered(s actionSpec, e *model.QueueItem) bool {
	if b.desk == nil || b.wallMode {
		return false
	}
	var n int64
	if e != nil {
		n = e.Case.Number
	}
	a := s.probe(n, b.user)
	if !model.MayDo(b.user, a) {
		return false
	}
	if !s.onCase {
		return true
	}
	if e == nil {
		return false
	}
	var acct model.Account
	if ac, ok := b.desk.Accounts[e.Case.Account]; ok {
		acct = *ac
	}
	return model.CanActOnCase(b.user, model.CapabilityOf(a), e.Case, acct)
}

// offerKey is the help bar's filter: the action keys of the user on the
// selected case; with every key shown (`?`), all the role may ever use.
func (b *board) offerKey(k key.Binding) bool {
	if b.desk == nil || b.wallMode || b.user.Role == model.Wall {
		return false
	}
	if sameKeys(k, b.km.Actions.Command) {
		return b.o.RunCommand != nil
	}
	if sameKeys(k, b.km.Reports.Panel) {
		return b.user.Role == model.Manager
	}
	if sameKeys(k, b.km.Reports.Weekly) {
		if b.user.Role != model.TAM && b.user.Role != model.Manager {
			return false
		}
		if b.help.ShowAll {
			return true
		}
		a, ok := b.bank.account()
		return ok && model.CanSee(b.user, *a)
	}
	e := b.q.selected()
	for _, s := range actionTable() {
		if sameKeys(s.bind(b.km.Actions), k) {
			if b.help.ShowAll {
				return model.MayDo(b.user, s.probe(0, b.user))
			}
			return b.offered(s, e)
		}
	}
	return false
}

func sameKeys(a, c key.Binding) bool {
	return strings.Join(a.Keys(), " ") == strings.Join(c.Keys(), " ")
}

// actionKey opens the form of an action key. A key the user may not use
// here says why, in the model's words, and writes nothing.
func (b *board) actionKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, b.km.Actions.Command) {
		return b.openPrompt(), true
	}
	e := b.q.selected()
	for _, s := range actionTable() {
		if !key.Matches(msg, s.bind(b.km.Actions)) {
			continue
		}
		if s.onCase && e == nil {
			b.setStatus("no case selected")
			return nil, true
		}
		if !b.offered(s, e) {
			var n int64
			if e != nil {
				n = e.Case.Number
			}
			b.setError(b.probeRefusal(s.probe(n, b.user), e))
			return nil, true
		}
		b.form = s.open(b, e).start()
		b.setStatus("")
		b.layout()
		return nil, true
	}
	return nil, false
}

// probeRefusal asks the model (on the board's own copy of the desk, no
// I/O) why the acting user may not do a.
func (b *board) probeRefusal(a model.Action, e *model.QueueItem) error {
	// Give the desk-wide actions an object, so the model names the rule
	// that stops the user rather than a missing account or entry.
	switch x := a.(type) {
	case model.NewCase:
		if e != nil {
			x.Account = e.Case.Account
		}
		a = x
	case model.LogTime:
		if e != nil {
			x.Account = e.Case.Account
		}
		a = x
	case model.VoidTime:
		for id := range b.desk.TimeEntries {
			if x.ID == 0 || id < x.ID {
				x.ID = id
			}
		}
		a = x
	}
	if _, err := model.Do(b.desk, b.p, b.user.ID, a, b.now); err != nil {
		return err
	}
	return fmt.Errorf("%s may not %s this", model.Inert(b.user.ID), a.Verb())
}

// onDone shows what an action did, or the model's refusal.
func (b *board) onDone(msg doneMsg) {
	if msg.err != nil {
		b.setError(msg.err)
		return
	}
	b.setStatus(model.Inert(msg.change.Message))
}
