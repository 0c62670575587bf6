package ui

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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
	open   func(b *board, e *model.QueueItem) *form
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

// Form helpers.

func (b *board) caseAbout(e *model.QueueItem) []string {
	c := &e.Case
	owner := c.Owner
	if owner == "" {
		owner = "nobody"
	}
	return []string{
		fmt.Sprintf("%s S%d %s · %s · %s · owner %s", model.CaseNumber(c.Number), c.Severity, sevName(c.Severity),
			model.Inert(c.Account), c.Status, model.Inert(owner)),
		b.th.Faint.Render(model.Inert(c.Title)),
	}
}

func required(what string) func(string, *form) error {
	return func(v string, _ *form) error {
		if v == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

// atField is the optional earlier instant of a fact (a call logged after
// the fact); empty means now.
func (b *board) atField() *field {
	return newText("at", "at", "now (or an earlier RFC 3339 instant)", func(v string, _ *form) error {
		if v == "" {
			return nil
		}
		t, err := model.ParseInstant(v)
		if err != nil {
			return err
		}
		if t.After(b.now) {
			return errors.New("that is in the future")
		}
		return nil
	})
}

func atValue(f *form) time.Time {
	t, _ := model.ParseInstant(f.get("at"))
	return t
}

func (b *board) caseForm(title string, e *model.QueueItem, build func(f *form) (model.Action, error), fields ...*field) *form {
	return &form{title: title + " " + model.CaseNumber(e.Case.Number), about: b.caseAbout(e), fields: fields, build: build}
}

func (b *board) newCaseForm(_ *model.QueueItem) *form {
	var accts []option
	for _, a := range b.sortedAccounts() {
		if b.user.Role == model.TAM && a.TAM != b.user.ID {
			continue
		}
		accts = append(accts, option{value: a.ID, label: a.ID, help: a.Name + " · " + a.Plan.Title() + " · " + b.regionName(a.Region)})
	}
	var sev []option
	for s := 1; s <= 4; s++ {
		sev = append(sev, option{value: strconv.Itoa(s), label: fmt.Sprintf("%d %s", s, model.SeverityNames[s]), help: model.SeverityHelp[s]})
	}
	acct := newChoice("account", "account", accts)
	acct.check = func(v string, _ *form) error {
		if v == "" {
			return errors.New("no account you may open a case for")
		}
		return nil
	}
	contact := newText("contact", "contact", "the customer's contact (optional)", nil)
	contact.hint = func(_ string, f *form) string {
		a, ok := b.desk.Accounts[f.get("account")]
		if !ok || len(a.Contacts) == 0 {
			return ""
		}
		var names []string
		for _, c := range a.Contacts {
			names = append(names, model.Inert(c.Name))
		}
		return "contacts: " + strings.Join(names, ", ")
	}
	return &form{title: "New case", fields: []*field{acct, newChoice("severity", "severity", sev),
		newText("title", "title", "what is wrong, in a line", required("a title")), contact},
		build: func(f *form) (model.Action, error) {
			s, _ := strconv.Atoi(f.get("severity"))
			return model.NewCase{Account: f.get("account"), Severity: s, Title: f.get("title"), Contact: f.get("contact")}, nil
		}}
}

func (b *board) takeForm(e *model.QueueItem) *form {
	n := e.Case.Number
	return b.caseForm("Take", e, func(*form) (model.Action, error) { return model.TakeCase{Number: n}, nil })
}

func (b *board) assignForm(e *model.QueueItem) *form {
	n := e.Case.Number
	var users []option
	ids := make([]string, 0, len(b.desk.Users))
	for id := range b.desk.Users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		u := b.desk.Users[id]
		if (u.Role == model.Specialist || u.Role == model.Manager) && u.ID != e.Case.Owner {
			users = append(users, option{value: u.ID, label: u.ID, help: u.Name + " · " + string(u.Role) + " · " + b.regionName(u.Region)})
		}
	}
	return b.caseForm("Assign", e, func(f *form) (model.Action, error) {
		return model.AssignCase{Number: n, To: f.get("to")}, nil
	}, newChoice("to", "to", users))
}

func (b *board) instantForm(title string, e *model.QueueItem, mk func(n int64, at time.Time) model.Action) *form {
	n := e.Case.Number
	return b.caseForm(title, e, func(f *form) (model.Action, error) { return mk(n, atValue(f)), nil }, b.atField())
}

func (b *board) callForm(e *model.QueueItem) *form {
	return b.instantForm("Log the customer's call on", e, func(n int64, at time.Time) model.Action { return model.CallCase{Number: n, At: at} })
}

func (b *board) respondForm(e *model.QueueItem) *form {
	return b.instantForm("First response on", e, func(n int64, at time.Time) model.Action { return model.RespondCase{Number: n, At: at} })
}

func (b *board) replyForm(e *model.QueueItem) *form {
	return b.instantForm("Customer reply on", e, func(n int64, at time.Time) model.Action { return model.ReplyCase{Number: n, At: at} })
}

func (b *board) followupForm(e *model.QueueItem) *form {
	return b.instantForm("Follow-up to the customer on", e, func(n int64, at time.Time) model.Action { return model.FollowupCase{Number: n, At: at} })
}

func (b *board) escFollowForm(e *model.QueueItem) *form {
	return b.instantForm("Escalation follow-up with the customer on", e, func(n int64, at time.Time) model.Action {
		return model.EscalationFollowup{Number: n, At: at}
	})
}

func (b *board) noteForm(e *model.QueueItem) *form {
	n := e.Case.Number
	return b.caseForm("Note on", e, func(f *form) (model.Action, error) {
		return model.NoteCase{Number: n, Text: f.get("text")}, nil
	}, newText("text", "note", "what happened", required("the note")))
}

func (b *board) statusForm(e *model.QueueItem) *form {
	n := e.Case.Number
	var opts []option
	seen := map[model.Status]bool{}
	for _, m := range model.Moves[e.Case.Status] {
		if m.By == "status" && !seen[m.To] {
			seen[m.To] = true
			opts = append(opts, option{value: string(m.To), label: string(m.To)})
		}
	}
	to := newChoice("to", "to", opts)
	to.check = func(v string, _ *form) error {
		if v == "" {
			return fmt.Errorf("no status change from %s (allowed: %s)", e.Case.Status, strings.Join(model.AllowedMoves(e.Case.Status), ", "))
		}
		return nil
	}
	return b.caseForm("Status of", e, func(f *form) (model.Action, error) {
		return model.SetStatus{Number: n, To: model.Status(f.get("to"))}, nil
	}, to)
}

func (b *board) severityForm(e *model.QueueItem) *form {
	n := e.Case.Number
	var sev []option
	for s := 1; s <= 4; s++ {
		if s != e.Case.Severity {
			sev = append(sev, option{value: strconv.Itoa(s), label: fmt.Sprintf("%d %s", s, model.SeverityNames[s]), help: model.SeverityHelp[s]})
		}
	}
	return b.caseForm("Severity of", e, func(f *form) (model.Action, error) {
		s, _ := strconv.Atoi(f.get("to"))
		return model.ChangeSeverity{Number: n, To: s, AgreedBy: f.get("agreed")}, nil
	}, newChoice("to", "to", sev), newText("agreed", "agreed by", "who at the customer agreed", required("who agreed")))
}

func (b *board) closeCaseForm(e *model.QueueItem) *form {
	n := e.Case.Number
	reasons := []option{
		{value: model.ReasonResolved, label: model.ReasonResolved, help: "the customer agreed it is solved"},
		{value: model.ReasonDuplicate, label: model.ReasonDuplicate, help: "the same problem as another case"},
		{value: model.ReasonNoResponse, label: model.ReasonNoResponse, help: "the customer never answered the follow-ups"},
	}
	of := newText("of", "duplicate of", "the other case's number (duplicates)", func(v string, f *form) error {
		if f.get("reason") != model.ReasonDuplicate {
			if v != "" {
				return errors.New("only a duplicate names another case")
			}
			return nil
		}
		if v == "" {
			return errors.New("a duplicate needs the other case's number")
		}
		_, err := model.ParseCaseNumber(v)
		return err
	})
	f := b.caseForm("Close", e, func(f *form) (model.Action, error) {
		a := model.CloseCase{Number: n, Reason: f.get("reason")}
		if v := f.get("of"); v != "" {
			a.DuplicateOf, _ = model.ParseCaseNumber(v)
		}
		return a, nil
	}, newChoice("reason", "reason", reasons), of)
	f.confirm = "close " + model.CaseNumber(n) + "?"
	return f
}

// reopenForm asks for the case's number: closed cases are in no queue.
func (b *board) reopenForm(e *model.QueueItem) *form {
	num := newText("case", "case", "the closed case's number", func(v string, _ *form) error {
		n, err := model.ParseCaseNumber(v)
		if err != nil {
			return err
		}
		c, ok := b.desk.Cases[n]
		switch {
		case !ok:
			return errors.New("no such case")
		case c.Status != model.StatusClosed:
			return fmt.Errorf("%s is %s, not closed", model.CaseNumber(n), c.Status)
		}
		return nil
	})
	return &form{title: "Reopen a closed case", fields: []*field{num}, build: func(f *form) (model.Action, error) {
		n, _ := model.ParseCaseNumber(f.get("case"))
		return model.ReopenCase{Number: n}, nil
	}}
}

func (b *board) escalateForm(e *model.QueueItem) *form {
	n := e.Case.Number
	kinds := []option{{value: "user", label: "team member", help: "a specialist, a manager, or the account's TAM (a user id)"}}
	for _, k := range model.RequesterKinds {
		kinds = append(kinds, option{value: k, label: k, help: "someone at the customer: their name as given"})
	}
	name := newText("name", "name", "who asks", required("who asks"))
	name.in.SetValue(b.user.ID)
	name.in.CursorEnd()
	return b.caseForm("Escalate", e, func(f *form) (model.Action, error) {
		by := f.get("name")
		if k := f.get("kind"); k != "user" {
			by = k + ":" + by
		}
		return model.Escalate{Number: n, By: by, Channel: f.get("channel"), Justification: f.get("why")}, nil
	}, newChoice("kind", "requester", kinds), name,
		newChoice("channel", "channel", []option{{value: model.ChannelPhone, label: "phone"}, {value: model.ChannelPortal, label: "portal"}}),
		newText("why", "justification", "why it needs escalating", required("a justification")))
}

func (b *board) acceptForm(e *model.QueueItem) *form {
	n := e.Case.Number
	every := newText("every", "update every", "the agreed frequency: 2h, 90m, 1h30m", func(v string, _ *form) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("a positive duration, like 2h, 90m or 1h30m")
		}
		return nil
	})
	return b.caseForm("Accept the escalation of", e, func(f *form) (model.Action, error) {
		d, _ := time.ParseDuration(f.get("every"))
		return model.AcceptEscalation{Number: n, Every: d}, nil
	}, every)
}

func (b *board) declineForm(e *model.QueueItem) *form {
	n := e.Case.Number
	f := b.caseForm("Decline the escalation of", e, func(f *form) (model.Action, error) {
		return model.DeclineEscalation{Number: n, Reason: f.get("reason")}, nil
	}, newText("reason", "reason", "told to the customer", required("the reason")))
	f.confirm = "decline the escalation of " + model.CaseNumber(n) + "?"
	return f
}

func (b *board) deescalateForm(e *model.QueueItem) *form {
	n := e.Case.Number
	f := b.caseForm("De-escalate", e, func(f *form) (model.Action, error) {
		return model.DeescalateEscalation{Number: n, Reason: f.get("reason")}, nil
	}, newText("reason", "reason", "the resources the customer did not provide", required("the reason")))
	f.confirm = "de-escalate " + model.CaseNumber(n) + "?"
	return f
}

func (b *board) escCloseForm(e *model.QueueItem) *form {
	n := e.Case.Number
	var outs []option
	for _, o := range model.Outcomes {
		outs = append(outs, option{value: o, label: o, help: model.OutcomeNames[o]})
	}
	return b.caseForm("Close the escalation of", e, func(f *form) (model.Action, error) {
		return model.CloseEscalation{Number: n, Outcome: f.get("outcome"), Summary: f.get("summary")}, nil
	}, newChoice("outcome", "outcome", outs), newText("summary", "final summary", "sent to the customer", required("the final summary")))
}

func (b *board) escUpdateForm(e *model.QueueItem) *form {
	n := e.Case.Number
	return b.caseForm("Escalation update on", e, func(f *form) (model.Action, error) {
		return model.UpdateEscalation{Number: n, Summary: f.get("summary")}, nil
	}, newText("summary", "summary", "what the customer was told", required("the summary")))
}

// parseMinutes reads whole minutes: 90, or a duration like 1h30m.
func parseMinutes(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 {
			return 0, errors.New("must be positive")
		}
		return n, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("minutes, like 90 or 1h30m")
	}
	if d%time.Minute != 0 {
		return 0, errors.New("whole minutes")
	}
	return int(d / time.Minute), nil
}

// bankLeft is what is left in an account's bank this month (from
// model.BankSummary), and whether the account has a bank.
func (b *board) bankLeft(id string) (model.BankStatus, bool) {
	a, ok := b.desk.Accounts[id]
	if !ok {
		return model.BankStatus{}, false
	}
	var entries []model.TimeEntry
	for _, te := range b.desk.TimeEntries {
		if te.Account == id {
			entries = append(entries, *te)
		}
	}
	st := model.BankSummary(*a, entries, b.p, b.now)
	return st, st.Bank > 0
}

func (b *board) timeLogForm(e *model.QueueItem) *form {
	var accts []option
	sel := 0
	for _, a := range b.sortedAccounts() {
		if b.user.Role == model.TAM && a.TAM != b.user.ID {
			continue
		}
		if e != nil && a.ID == e.Case.Account {
			sel = len(accts)
		}
		accts = append(accts, option{value: a.ID, label: a.ID})
	}
	acct := newChoice("account", "account", accts)
	acct.sel = sel
	acct.check = func(v string, _ *form) error {
		if v == "" {
			return errors.New("no account you may log time for")
		}
		return nil
	}
	acct.hint = func(v string, _ *form) string {
		st, ok := b.bankLeft(v)
		if !ok {
			return "no time bank (TAM plan none)"
		}
		return fmt.Sprintf("%s: %s left of %s this month", st.Plan.Name, model.HoursMinutes(st.Remaining), model.HoursMinutes(st.Bank))
	}
	mins := newText("minutes", "time", "minutes (90) or 1h30m", func(v string, _ *form) error {
		_, err := parseMinutes(v)
		return err
	})
	mins.hint = func(v string, f *form) string {
		m, err := parseMinutes(v)
		st, ok := b.bankLeft(f.get("account"))
		if err != nil || !ok {
			return ""
		}
		return "left after this: " + model.HoursMinutes(st.Remaining-m)
	}
	var cats []option
	for _, c := range model.Categories {
		cats = append(cats, option{value: c, label: c})
	}
	caseN := newText("case", "case", "a case of the account (optional)", func(v string, _ *form) error {
		if v == "" {
			return nil
		}
		_, err := model.ParseCaseNumber(v)
		return err
	})
	project := newText("project", "project", "implementation guidance needs one", func(v string, f *form) error {
		if v == "" && f.get("category") == "implementation-guidance" {
			return errors.New("implementation guidance needs a project")
		}
		return nil
	})
	return &form{title: "Log TAM time", fields: []*field{acct, mins, newChoice("category", "category", cats),
		newChoice("mode", "mode", []option{{value: model.ModeConsultative, label: model.ModeConsultative}, {value: model.ModeManaged, label: model.ModeManaged}}),
		caseN, project, newText("note", "note", "what it was (optional)", nil)},
		build: func(f *form) (model.Action, error) {
			m, _ := parseMinutes(f.get("minutes"))
			a := model.LogTime{Account: f.get("account"), Minutes: m, Category: f.get("category"), Mode: f.get("mode"),
				Project: f.get("project"), Note: f.get("note")}
			if v := f.get("case"); v != "" {
				a.Case, _ = model.ParseCaseNumber(v)
			}
			return a, nil
		}}
}

func (b *board) voidForm(_ *model.QueueItem) *form {
	id := newText("id", "entry", "the time entry's id (see time list)", func(v string, _ *form) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errors.New("an entry id, a number")
		}
		if _, ok := b.desk.TimeEntries[n]; !ok {
			return errors.New("no such entry")
		}
		return nil
	})
	id.hint = func(v string, _ *form) string {
		n, _ := strconv.ParseInt(v, 10, 64)
		te, ok := b.desk.TimeEntries[n]
		if !ok {
			return ""
		}
		return fmt.Sprintf("%s %s %s %s by %s", te.Date, model.Inert(te.Account), model.HoursMinutes(te.Minutes), te.Category, model.Inert(te.TAM))
	}
	return &form{title: "Void a time entry", fields: []*field{id, newText("reason", "reason", "why it is wrong", required("the reason"))},
		build: func(f *form) (model.Action, error) {
			n, _ := strconv.ParseInt(f.get("id"), 10, 64)
			return model.VoidTime{ID: n, Reason: f.get("reason")}, nil
		}}
}
