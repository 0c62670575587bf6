package ui

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseboard/model"
)

// The action forms: each built from the shared read-only state, with its
// choices and their eligibility from model/ (the accounts a user may use,
// who a case may be assigned to, the status moves the lifecycle allows).

func (cm *Common) caseAbout(e *model.QueueItem) []string {
	c := e.Case
	owner := c.Owner
	if owner == "" {
		owner = "nobody"
	}
	return []string{
		fmt.Sprintf("%s S%d %s · %s · %s · owner %s", model.CaseNumber(c.Number), c.Severity, sevName(c.Severity),
			model.Inert(c.Account), c.Status, model.Inert(owner)),
		cm.th.Faint.Render(model.Inert(c.Title)),
	}
}

func required(what string) func(string, *Form) error {
	return func(v string, _ *Form) error {
		if v == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

// atField is the optional earlier instant of a fact (a call logged after
// the fact); empty means now. It takes what people type (09:45, -15m,
// yesterday 17:30, RFC 3339), clock times in the case's region zone, and
// shows the instant it reads.
func (cm *Common) atField(e *model.QueueItem) *field {
	region := e.Case.Region
	f := newText("at", "at", "now (or 09:45, -15m, -2h, yesterday 17:30, RFC 3339)", func(v string, _ *Form) error {
		if v == "" {
			return nil
		}
		_, err := model.ParseWhen(v, cm.now, cm.p.RegionZone(region))
		return err
	})
	f.hint = func(v string, _ *Form) string {
		if v == "" {
			return ""
		}
		t, err := model.ParseWhen(v, cm.now, cm.p.RegionZone(region))
		if err != nil {
			return ""
		}
		loc, label := cm.zone()
		return "= " + model.WhenCal(t, cm.p.RegionCalendar(region), loc, label)
	}
	return f
}

func (cm *Common) atValue(f *Form, e *model.QueueItem) time.Time {
	if f.get("at") == "" {
		return time.Time{}
	}
	t, _ := model.ParseWhen(f.get("at"), cm.now, cm.p.RegionZone(e.Case.Region))
	return t
}

func (cm *Common) caseForm(title string, e *model.QueueItem, build func(f *Form) (model.Action, error), fields ...*field) *Form {
	return &Form{title: title + " " + model.CaseNumber(e.Case.Number), about: cm.caseAbout(e), fields: fields, build: build}
}

func (cm *Common) newCaseForm(_ *model.QueueItem) *Form {
	var accts []option
	for _, a := range model.AccountsOf(cm.desk, cm.user) {
		accts = append(accts, option{value: a.ID, label: a.ID, help: a.Name + " · " + a.Plan.Title() + " · " + cm.regionName(a.Region)})
	}
	var sev []option
	for s := 1; s <= 4; s++ {
		sev = append(sev, option{value: strconv.Itoa(s), label: fmt.Sprintf("%d %s", s, model.SeverityName(s)), help: model.SeverityHelp(s)})
	}
	acct := newChoice("account", "account", accts)
	acct.check = func(v string, _ *Form) error {
		if v == "" {
			return errors.New("no account you may open a case for")
		}
		return nil
	}
	contact := newText("contact", "contact", "the customer's contact (optional)", nil)
	contact.hint = func(_ string, f *Form) string {
		a, ok := cm.desk.Accounts[f.get("account")]
		if !ok || len(a.Contacts) == 0 {
			return ""
		}
		var names []string
		for _, c := range a.Contacts {
			names = append(names, model.Inert(c.Name))
		}
		return "contacts: " + strings.Join(names, ", ")
	}
	return &Form{title: "New case", fields: []*field{acct, newChoice("severity", "severity", sev).unchosen("a severity"),
		newText("title", "title", "what is wrong, in a line", required("a title")), contact},
		build: func(f *Form) (model.Action, error) {
			s, _ := strconv.Atoi(f.get("severity"))
			return model.NewCase{Account: f.get("account"), Severity: s, Title: f.get("title"), Contact: f.get("contact")}, nil
		}}
}

func (cm *Common) takeForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	return cm.caseForm("Take", e, func(*Form) (model.Action, error) { return model.TakeCase{Number: n}, nil })
}

func (cm *Common) assignForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	var users []option
	loads := cm.ix.TeamLoad(cm.desk.Users, cm.now) // each name with its load: "maria (4 open, 1 S1)"
	for _, u := range model.AssignableUsers(cm.desk, *e.Case) {
		users = append(users, option{value: u.ID, label: u.ID + " (" + model.LoadOf(loads, u.ID).Words() + ")",
			help: u.Name + " · " + string(u.Role) + " · " + cm.regionName(u.Region)})
	}
	return cm.caseForm("Assign", e, func(f *Form) (model.Action, error) {
		return model.AssignCase{Number: n, To: f.get("to")}, nil
	}, newChoice("to", "to", users))
}

func (cm *Common) instantForm(title string, e *model.QueueItem, mk func(n int64, at time.Time) model.Action) *Form {
	n := e.Case.Number
	return cm.caseForm(title, e, func(f *Form) (model.Action, error) { return mk(n, cm.atValue(f, e)), nil }, cm.atField(e))
}

func (cm *Common) callForm(e *model.QueueItem) *Form {
	return cm.instantForm("Log the customer's call on", e, func(n int64, at time.Time) model.Action { return model.CallCase{Number: n, At: at} })
}

func (cm *Common) respondForm(e *model.QueueItem) *Form {
	return cm.instantForm("First response on", e, func(n int64, at time.Time) model.Action { return model.RespondCase{Number: n, At: at} })
}

func (cm *Common) replyForm(e *model.QueueItem) *Form {
	return cm.instantForm("Customer reply on", e, func(n int64, at time.Time) model.Action { return model.ReplyCase{Number: n, At: at} })
}

func (cm *Common) followupForm(e *model.QueueItem) *Form {
	return cm.instantForm("Follow-up to the customer on", e, func(n int64, at time.Time) model.Action { return model.FollowupCase{Number: n, At: at} })
}

func (cm *Common) escFollowForm(e *model.QueueItem) *Form {
	return cm.instantForm("Escalation follow-up with the customer on", e, func(n int64, at time.Time) model.Action {
		return model.EscalationFollowup{Number: n, At: at}
	})
}

func (cm *Common) noteForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	return cm.caseForm("Note on", e, func(f *Form) (model.Action, error) {
		return model.NoteCase{Number: n, Text: f.get("text")}, nil
	}, newText("text", "note", "what happened", required("the note")))
}

func (cm *Common) statusForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	var opts []option
	for _, to := range model.StatusMoves(e.Case.Status) {
		opts = append(opts, option{value: string(to), label: string(to)})
	}
	to := newChoice("to", "to", opts)
	to.check = func(v string, _ *Form) error {
		if v == "" {
			return fmt.Errorf("no status change from %s (allowed: %s)", e.Case.Status, strings.Join(model.AllowedMoves(e.Case.Status), ", "))
		}
		return nil
	}
	return cm.caseForm("Status of", e, func(f *Form) (model.Action, error) {
		return model.SetStatus{Number: n, To: model.Status(f.get("to"))}, nil
	}, to)
}

func (cm *Common) severityForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	var sev []option
	for s := 1; s <= 4; s++ {
		if s != e.Case.Severity {
			sev = append(sev, option{value: strconv.Itoa(s), label: fmt.Sprintf("%d %s", s, model.SeverityName(s)), help: model.SeverityHelp(s)})
		}
	}
	return cm.caseForm("Severity of", e, func(f *Form) (model.Action, error) {
		s, _ := strconv.Atoi(f.get("to"))
		return model.ChangeSeverity{Number: n, To: s, AgreedBy: f.get("agreed")}, nil
	}, newChoice("to", "to", sev), newText("agreed", "agreed by", "who at the customer agreed", required("who agreed")))
}

func (cm *Common) closeCaseForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	reasons := []option{
		{value: model.ReasonResolved, label: model.ReasonResolved, help: "the customer agreed it is solved"},
		{value: model.ReasonDuplicate, label: model.ReasonDuplicate, help: "the same problem as another case"},
		{value: model.ReasonNoResponse, label: model.ReasonNoResponse, help: "the customer never answered the follow-ups"},
	}
	of := newText("of", "duplicate of", "the other case's number (duplicates)", func(v string, f *Form) error {
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
	f := cm.caseForm("Close", e, func(f *Form) (model.Action, error) {
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
func (cm *Common) reopenForm(e *model.QueueItem) *Form {
	num := newText("case", "case", "the closed case's number", func(v string, _ *Form) error {
		n, err := model.ParseCaseNumber(v)
		if err != nil {
			return err
		}
		c, ok := cm.desk.Find(n)
		switch {
		case !ok:
			return errors.New("no such case")
		case c.Status != model.StatusClosed:
			return fmt.Errorf("%s is %s, not closed", model.CaseNumber(n), c.Status)
		}
		return nil
	})
	if e != nil && !e.Case.IsOpen() {
		// On the Closed tab (or a closed case gone to with #): that case.
		num.in.SetValue(model.CaseNumber(e.Case.Number))
		num.in.CursorEnd()
	}
	return &Form{title: "Reopen a closed case", fields: []*field{num}, build: func(f *Form) (model.Action, error) {
		n, _ := model.ParseCaseNumber(f.get("case"))
		return model.ReopenCase{Number: n}, nil
	}}
}

func (cm *Common) escalateForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	kinds := []option{{value: "user", label: "team member", help: "a specialist, a manager, or the account's TAM (a user id)"}}
	for _, k := range model.RequesterKinds() {
		kinds = append(kinds, option{value: k, label: k, help: "someone at the customer: their name as given"})
	}
	name := newText("name", "name", "who asks", required("who asks"))
	name.in.SetValue(cm.user.ID)
	name.in.CursorEnd()
	return cm.caseForm("Escalate", e, func(f *Form) (model.Action, error) {
		by := f.get("name")
		if k := f.get("kind"); k != "user" {
			by = k + ":" + by
		}
		return model.Escalate{Number: n, By: by, Channel: f.get("channel"), Justification: f.get("why")}, nil
	}, newChoice("kind", "requester", kinds), name,
		newChoice("channel", "channel", []option{{value: model.ChannelPhone, label: "phone"}, {value: model.ChannelPortal, label: "portal"}}),
		newText("why", "justification", "why it needs escalating", required("a justification")))
}

func (cm *Common) acceptForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	every := newText("every", "update every", "the agreed frequency: 2h, 90m, 1h30m", func(v string, _ *Form) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("a positive duration, like 2h, 90m or 1h30m")
		}
		return nil
	})
	return cm.caseForm("Accept the escalation of", e, func(f *Form) (model.Action, error) {
		d, _ := time.ParseDuration(f.get("every"))
		return model.AcceptEscalation{Number: n, Every: d}, nil
	}, every)
}

func (cm *Common) declineForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	f := cm.caseForm("Decline the escalation of", e, func(f *Form) (model.Action, error) {
		return model.DeclineEscalation{Number: n, Reason: f.get("reason")}, nil
	}, newText("reason", "reason", "told to the customer", required("the reason")))
	f.confirm = "decline the escalation of " + model.CaseNumber(n) + "?"
	return f
}

func (cm *Common) deescalateForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	f := cm.caseForm("De-escalate", e, func(f *Form) (model.Action, error) {
		return model.DeescalateEscalation{Number: n, Reason: f.get("reason")}, nil
	}, newText("reason", "reason", "the resources the customer did not provide", required("the reason")))
	f.confirm = "de-escalate " + model.CaseNumber(n) + "?"
	return f
}

func (cm *Common) escCloseForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	var outs []option
	for _, o := range model.Outcomes() {
		outs = append(outs, option{value: o, label: o, help: model.OutcomeName(o)})
	}
	return cm.caseForm("Close the escalation of", e, func(f *Form) (model.Action, error) {
		return model.CloseEscalation{Number: n, Outcome: f.get("outcome"), Summary: f.get("summary")}, nil
	}, newChoice("outcome", "outcome", outs), newText("summary", "final summary", "sent to the customer", required("the final summary")))
}

func (cm *Common) escUpdateForm(e *model.QueueItem) *Form {
	n := e.Case.Number
	return cm.caseForm("Escalation update on", e, func(f *Form) (model.Action, error) {
		return model.UpdateEscalation{Number: n, Summary: f.get("summary")}, nil
	}, newText("summary", "summary", "what the customer was told", required("the summary")))
}

// minutesField is model.ParseMinutes in the form's words.
func minutesField(s string) (int, error) {
	n, err := model.ParseMinutes(s)
	switch {
	case errors.Is(err, model.ErrMinutesNotPositive):
		return 0, errors.New("must be positive")
	case errors.Is(err, model.ErrNotWholeMinutes):
		return 0, errors.New("whole minutes")
	case err != nil:
		return 0, errors.New("minutes, like 90 or 1h30m")
	}
	return n, nil
}

// bankLeft is what is left in an account's bank this month (from
// model.BankSummary), and whether the account has a bank.
func (cm *Common) bankLeft(id string) (model.BankStatus, bool) {
	a, ok := cm.desk.Accounts[id]
	if !ok {
		return model.BankStatus{}, false
	}
	var entries []model.TimeEntry
	for _, te := range cm.desk.TimeEntries {
		if te.Account == id {
			entries = append(entries, *te)
		}
	}
	st := model.BankSummary(*a, entries, cm.p, cm.now)
	return st, st.Bank > 0
}

func (cm *Common) timeLogForm(e *model.QueueItem) *Form {
	var accts []option
	sel := 0
	for _, a := range model.AccountsOf(cm.desk, cm.user) {
		if e != nil && a.ID == e.Case.Account {
			sel = len(accts)
		}
		accts = append(accts, option{value: a.ID, label: a.ID})
	}
	acct := newChoice("account", "account", accts)
	acct.sel = sel
	acct.check = func(v string, _ *Form) error {
		if v == "" {
			return errors.New("no account you may log time for")
		}
		return nil
	}
	acct.hint = func(v string, _ *Form) string {
		st, ok := cm.bankLeft(v)
		if !ok {
			return "no time bank (TAM plan none)"
		}
		return fmt.Sprintf("%s: %s left of %s this month", st.Plan.Name, model.HoursMinutes(st.Remaining), model.HoursMinutes(st.Bank))
	}
	mins := newText("minutes", "time", "minutes (90) or 1h30m", func(v string, _ *Form) error {
		_, err := minutesField(v)
		return err
	})
	mins.hint = func(v string, f *Form) string {
		m, err := minutesField(v)
		st, ok := cm.bankLeft(f.get("account"))
		if err != nil || !ok {
			return ""
		}
		return "left after this: " + model.HoursMinutes(st.Remaining-m)
	}
	var cats []option
	for _, c := range model.Categories() {
		cats = append(cats, option{value: c, label: c})
	}
	caseN := newText("case", "case", "a case of the account (optional)", func(v string, _ *Form) error {
		if v == "" {
			return nil
		}
		_, err := model.ParseCaseNumber(v)
		return err
	})
	project := newText("project", "project", "implementation guidance needs one", func(v string, f *Form) error {
		if v == "" && f.get("category") == "implementation-guidance" {
			return errors.New("implementation guidance needs a project")
		}
		return nil
	})
	return &Form{title: "Log TAM time", fields: []*field{acct, mins, newChoice("category", "category", cats),
		newChoice("mode", "mode", []option{{value: model.ModeConsultative, label: model.ModeConsultative}, {value: model.ModeManaged, label: model.ModeManaged}}),
		caseN, project, newText("note", "note", "what it was (optional)", nil)},
		build: func(f *Form) (model.Action, error) {
			m, _ := minutesField(f.get("minutes"))
			a := model.LogTime{Account: f.get("account"), Minutes: m, Category: f.get("category"), Mode: f.get("mode"),
				Project: f.get("project"), Note: f.get("note")}
			if v := f.get("case"); v != "" {
				a.Case, _ = model.ParseCaseNumber(v)
			}
			return a, nil
		}}
}

// voidForm lists the time entries the user may void (the rules say which:
// a TAM their own), of one account, newest first, voided ones left out;
// the account starts as the selected case's.
func (cm *Common) voidForm(e *model.QueueItem) *Form {
	may := map[string][]*model.TimeEntry{}
	for _, te := range cm.desk.TimeEntries {
		if !te.Counts() {
			continue
		}
		if model.Check(cm.desk, cm.p, cm.user.ID, model.VoidTime{ID: te.ID, Reason: "?"}, cm.now) != nil {
			continue
		}
		may[te.Account] = append(may[te.Account], te)
	}
	var accts []option
	sel := 0
	for _, a := range cm.sortedAccounts() {
		list := may[a.ID]
		if len(list) == 0 {
			continue
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Date != list[j].Date {
				return list[j].Date.Before(list[i].Date)
			}
			return list[i].ID > list[j].ID
		})
		if e != nil && a.ID == e.Case.Account {
			sel = len(accts)
		}
		accts = append(accts, option{value: a.ID, label: a.ID, help: fmt.Sprintf("%s · %d entries", a.Name, len(list))})
	}
	acct := newChoice("account", "account", accts)
	acct.sel = sel
	acct.check = func(v string, _ *Form) error {
		if v == "" {
			return errors.New("no time entry you may void")
		}
		return nil
	}
	entry := &field{key: "entry", label: "entry", kind: listField, sel: -1}
	shown := ""
	entry.refresh = func(f *Form) {
		a := f.get("account")
		if a == shown {
			return
		}
		shown, entry.sel, entry.opts = a, -1, nil
		for _, te := range may[a] {
			entry.opts = append(entry.opts, option{value: strconv.FormatInt(te.ID, 10), label: entryLabel(te)})
		}
	}
	entry.check = func(v string, _ *Form) error {
		if v == "" {
			return errors.New("pick the entry to void (↓)")
		}
		return nil
	}
	f := &Form{title: "Void a time entry", fields: []*field{acct, entry, newText("reason", "reason", "why it is wrong", required("the reason"))},
		build: func(f *Form) (model.Action, error) {
			n, _ := strconv.ParseInt(f.get("entry"), 10, 64)
			return model.VoidTime{ID: n, Reason: f.get("reason")}, nil
		}}
	if e != nil && len(accts) > 0 && accts[sel].value == e.Case.Account {
		f.focus = 1 // the account is the case's: straight to its entries
	}
	return f
}

// entryLabel is one time entry in the void list: date, time, category
// and note, who logged it, its id.
func entryLabel(te *model.TimeEntry) string {
	what := te.Category
	if te.Note != "" {
		what += " · " + te.Note
	}
	if te.Case != 0 {
		what += " · " + model.CaseNumber(te.Case)
	}
	return fmt.Sprintf("%s  %6s  %s  (%s, #%d)", te.Date, model.HoursMinutes(te.Minutes), what, te.TAM, te.ID)
}
