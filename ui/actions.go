package ui

import (
	"fmt"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// actionID names one action of the board's table.
type actionID int

// The board's actions, in keymap order.
const (
	actNewCase actionID = iota
	actTake
	actTakeNext // the most urgent new case of the user's region: no form
	actAssign
	actCall
	actRespond
	actNote
	actStatus
	actSeverity
	actReply
	actFollowup
	actClose
	actReopen
	actEscalate
	actEscFollow
	actAccept
	actDecline
	actDeescalate
	actEscClose
	actEscUpdate
	actTimeLog
	actTimeVoid
	actCommand // the `:` command line: no form
)

// actionSpec is one action of the process on the board: its id and key,
// whether it needs a selected case, a probe (an action of its kind, for
// the role check and the model's refusal), and its form.
type actionSpec struct {
	id     actionID
	bind   key.Binding
	onCase bool
	probe  func(n int64, u model.User) model.Action
	open   func(c *Common, e *model.QueueItem) *Form
}

// actionTable is every action key of one board, built once from its
// keymap: specs in keymap order, and each binding's spec by its keys for
// the help bar's filter.
type actionTable struct {
	specs  []actionSpec
	byKeys map[string]int
}

func newActionTable(a keymap.Actions) actionTable {
	t := actionTable{specs: []actionSpec{
		{id: actNewCase, bind: a.NewCase, onCase: false,
			probe: func(n int64, u model.User) model.Action { return model.NewCase{} }, open: (*Common).newCaseForm},
		{id: actTake, bind: a.Take, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.TakeCase{Number: n} }, open: (*Common).takeForm},
		{id: actTakeNext, bind: a.TakeNext, onCase: false,
			probe: func(n int64, u model.User) model.Action { return model.TakeCase{Number: n} }},
		{id: actAssign, bind: a.Assign, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.AssignCase{Number: n, To: u.ID} }, open: (*Common).assignForm},
		{id: actCall, bind: a.Call, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.CallCase{Number: n} }, open: (*Common).callForm},
		{id: actRespond, bind: a.Respond, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.RespondCase{Number: n} }, open: (*Common).respondForm},
		{id: actNote, bind: a.Note, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.NoteCase{Number: n, Text: "?"} }, open: (*Common).noteForm},
		{id: actStatus, bind: a.Status, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.SetStatus{Number: n} }, open: (*Common).statusForm},
		{id: actSeverity, bind: a.Severity, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.ChangeSeverity{Number: n} }, open: (*Common).severityForm},
		{id: actReply, bind: a.Reply, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.ReplyCase{Number: n} }, open: (*Common).replyForm},
		{id: actFollowup, bind: a.Followup, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.FollowupCase{Number: n} }, open: (*Common).followupForm},
		{id: actClose, bind: a.Close, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.CloseCase{Number: n} }, open: (*Common).closeCaseForm},
		{id: actReopen, bind: a.Reopen, onCase: false,
			probe: func(n int64, u model.User) model.Action { return model.ReopenCase{Number: n} }, open: (*Common).reopenForm},
		{id: actEscalate, bind: a.Escalate, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.Escalate{Number: n, By: u.ID} }, open: (*Common).escalateForm},
		{id: actEscFollow, bind: a.EscFollow, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.EscalationFollowup{Number: n} }, open: (*Common).escFollowForm},
		{id: actAccept, bind: a.Accept, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.AcceptEscalation{Number: n} }, open: (*Common).acceptForm},
		{id: actDecline, bind: a.Decline, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.DeclineEscalation{Number: n} }, open: (*Common).declineForm},
		{id: actDeescalate, bind: a.Deescalate, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.DeescalateEscalation{Number: n} }, open: (*Common).deescalateForm},
		{id: actEscClose, bind: a.EscClose, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.CloseEscalation{Number: n} }, open: (*Common).escCloseForm},
		{id: actEscUpdate, bind: a.EscUpdate, onCase: true,
			probe: func(n int64, u model.User) model.Action { return model.UpdateEscalation{Number: n} }, open: (*Common).escUpdateForm},
		{id: actTimeLog, bind: a.TimeLog, onCase: false,
			probe: func(n int64, u model.User) model.Action { return model.LogTime{} }, open: (*Common).timeLogForm},
		{id: actTimeVoid, bind: a.TimeVoid, onCase: false,
			probe: func(n int64, u model.User) model.Action { return model.VoidTime{} }, open: (*Common).voidForm},
		{id: actCommand, bind: a.Command},
	}, byKeys: map[string]int{}}
	for i, s := range t.specs {
		t.byKeys[bindingKeys(s.bind)] = i
	}
	return t
}

func bindingKeys(k key.Binding) string { return strings.Join(k.Keys(), " ") }

// forMsg is the action a key press asks for.
func (t *actionTable) forMsg(msg tea.KeyMsg) (*actionSpec, bool) {
	for i := range t.specs {
		if key.Matches(msg, t.specs[i].bind) {
			return &t.specs[i], true
		}
	}
	return nil, false
}

// forBinding is the action of one of the keymap's bindings.
func (t *actionTable) forBinding(k key.Binding) (*actionSpec, bool) {
	i, ok := t.byKeys[bindingKeys(k)]
	if !ok {
		return nil, false
	}
	return &t.specs[i], true
}

// offered reports whether the acting user may take an action now: the
// role may do it at all, and on the selected case (owner, region,
// account). The lifecycle is left to the model, which says why not.
func (b *board) offered(s *actionSpec, e *model.QueueItem) bool {
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
	return model.CanActOnCase(b.user, model.CapabilityOf(a), *e.Case, acct)
}

// offerKey is the help bar's filter: the action keys of the user on the
// selected case; with every key shown (`?`), all the role may ever use.
func (b *board) offerKey(k key.Binding) bool {
	if b.desk == nil || b.wallMode || b.user.Role == model.Wall {
		return false
	}
	if s, ok := b.acts.forBinding(k); ok {
		switch {
		case s.id == actCommand:
			return b.o.RunCommand != nil
		case b.help.ShowAll:
			return model.MayDo(b.user, s.probe(0, b.user))
		}
		if s.id == actTakeNext && b.user.Role != model.Specialist {
			return false // the bar has no room left beside a manager's reports; `?` lists it
		}
		e := b.q.selected()
		if s.onCase && e == nil {
			return false // no row under the cursor (the Team tab, an empty tab)
		}
		return b.offers.get(b, s.id, s.onCase, func() bool { return b.offered(s, e) && b.blocked(s, e) == nil })
	}
	if bindingKeys(k) == bindingKeys(b.km.Reports.Panel) {
		return b.user.Role == model.Manager
	}
	if bindingKeys(k) == bindingKeys(b.km.Reports.Weekly) || bindingKeys(k) == bindingKeys(b.km.Reports.Daily) {
		if b.user.Role != model.TAM && b.user.Role != model.Manager {
			return false
		}
		if b.help.ShowAll {
			return true
		}
		a, ok := b.bank.account()
		return ok && model.CanSee(b.user, *a)
	}
	return false
}

// actionKey opens the form of an action key. A key the user may not use
// here says why, in the model's words, and writes nothing.
func (b *board) actionKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	s, ok := b.acts.forMsg(msg)
	if !ok {
		return nil, false
	}
	if s.id == actCommand {
		return b.openPrompt(), true
	}
	e := b.q.selected()
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
	if err := b.blocked(s, e); err != nil {
		b.setError(err) // a form that cannot succeed does not open
		return nil, true
	}
	if s.id == actTakeNext {
		return b.takeNext(), true
	}
	b.form = s.open(&b.Common, e).start(&b.Common)
	b.setStatus("")
	b.layout()
	return nil, true
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

// onDone shows what an action did, or the model's refusal. The form that
// sent it stays open on a refusal (the store saw a change the board had
// not yet), and closes once the action is done.
func (b *board) onDone(msg doneMsg) tea.Cmd {
	if msg.err != nil {
		if b.form != nil && b.form.pending {
			b.form.refuse(msg.err)
			b.setStatus("")
			return nil
		}
		b.setError(msg.err)
		return nil
	}
	if b.form != nil && b.form.pending {
		b.dropForm()
	}
	b.setStatus(model.Inert(msg.change.Message))
	return b.selectAfter(msg.change) // a new or reopened case is selected
}

// offerCache keeps the help bar's answers (offered and not blocked, per
// action) while what they depend on stays: the selected case, the desk
// (its generation), the acting user and the minute. Each answer is a
// model.Do on the board's copy, some twenty a render: a tick, which only
// moves the clock, would otherwise ask them all again every second. The
// answers of actions on no case (new case, time log, void) are kept apart
// and outlive a cursor move. An answer that turns at a time boundary (an
// escalation becoming eligible) shows within the minute; pressing the key
// always asks the rules afresh.
type offerCache struct {
	sel    int64
	gen    uint64
	minute int64
	user   string
	ok     map[actionID]bool
	free   map[actionID]bool
}

func (oc *offerCache) get(b *board, id actionID, onCase bool, answer func() bool) bool {
	minute := b.now.Unix() / 60
	if oc.ok == nil || oc.gen != b.deskGen || oc.minute != minute || oc.user != b.user.ID {
		*oc = offerCache{sel: b.q.sel, gen: b.deskGen, minute: minute, user: b.user.ID,
			ok: map[actionID]bool{}, free: map[actionID]bool{}}
	}
	if oc.sel != b.q.sel {
		oc.sel = b.q.sel
		clear(oc.ok)
	}
	m := oc.ok
	if !onCase {
		m = oc.free
	}
	v, seen := m[id]
	if !seen {
		v = answer()
		m[id] = v
	}
	return v
}
