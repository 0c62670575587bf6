package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// actionDesk is the test desk and one case ripe for escalation (severity
// 2, logged a week ago, answered).
func actionDesk() *model.Desk {
	d := testDesk()
	d.Apply(&model.Change{Cases: []model.Case{{Number: 1020, Account: "acme", Severity: 2, Title: "Relevance regression",
		Status: model.StatusInProgress, Owner: "sam", Plan: model.Premium, Region: model.NA, Contact: "Ana Ruiz",
		OpenedAt: at("2026-11-16T15:00:00Z"), RespondedAt: at("2026-11-16T15:30:00Z")}}}, testNow)
	return d
}

// keyOf turns a key name into its message; anything else is typed text.
func keyOf(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab,
		"shift+tab": tea.KeyShiftTab, "down": tea.KeyDown, "up": tea.KeyUp, "left": tea.KeyLeft,
		"right": tea.KeyRight, "backspace": tea.KeyBackspace}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func send(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyOf(k))
	}
}

// selectKeys puts the cursor on case n: the All queue (specialists start
// on their region), then the filter on its number.
func selectKeys(d *model.Desk, actor string, n int64) []string {
	var keys []string
	if u, ok := d.Users[actor]; ok && u.Role == model.Specialist {
		keys = append(keys, "tab")
	}
	if n != 0 {
		keys = append(keys, "/", model.CaseNumber(n), "enter")
	}
	return keys
}

// records is what a desk holds, without events, for comparing stores.
type records struct {
	Cases       map[int64]model.Case
	Escalations map[int64][]model.Escalation
	Entries     map[int64]model.TimeEntry
	Bank        map[model.BankKey]int
}

func recordsOf(d *model.Desk) records {
	r := records{Cases: map[int64]model.Case{}, Escalations: map[int64][]model.Escalation{},
		Entries: map[int64]model.TimeEntry{}, Bank: map[model.BankKey]int{}}
	for k, v := range d.Cases {
		r.Cases[k] = *v
	}
	for k, v := range d.Escalations {
		r.Escalations[k] = v
	}
	for k, v := range d.TimeEntries {
		r.Entries[k] = *v
	}
	for k, v := range d.Bank {
		if v != 0 {
			r.Bank[k] = v
		}
	}
	return r
}

// eventKeys is the part of events both doors must agree on.
func eventKeys(evs []model.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%d %s %s %s -> %s", e.Case, e.Kind, e.Actor, e.Before, e.After))
	}
	return out
}

type actFlow struct {
	name  string
	actor string
	sel   int64
	key   string
	form  string   // what the form shows
	keys  []string // typed into the form, submission included
	want  model.Action
	cli   []string // the command of INTERFACE.md that does the same
	// A refusal: who, on which case, the keys after the action key, and
	// the action whose refusal the model gives.
	ractor string
	rsel   int64
	rkeys  []string
	rwant  model.Action
}

func actionFlows() []actFlow {
	return []actFlow{
		{name: "new case", actor: "maria", key: "N", form: "New case", keys: []string{"down", "right", "down", "Broken SSO", "enter"},
			want: model.NewCase{Account: "acme", Severity: 1, Title: "Broken SSO"},
			cli:  []string{"case", "new", "--account", "acme", "--severity", "1", "--title", "Broken SSO"}},
		{name: "take", actor: "sam", sel: 1001, key: "t", form: "Take 00001001", keys: []string{"enter"},
			want:   model.TakeCase{Number: 1001},
			cli:    []string{"case", "take", "1001"},
			ractor: "sam", rsel: 1004, rwant: model.TakeCase{Number: 1004}},
		{name: "assign", actor: "maria", sel: 1001, key: "a", form: "Assign 00001001", keys: []string{"right", "enter"},
			want:   model.AssignCase{Number: 1001, To: "maria"},
			cli:    []string{"case", "assign", "1001", "--to", "maria"},
			ractor: "sam", rsel: 1002, rwant: model.AssignCase{Number: 1002, To: "sam"}},
		{name: "call", actor: "sam", sel: 1002, key: "c", form: "Log the customer's call on 00001002", keys: []string{"enter"},
			want:   model.CallCase{Number: 1002},
			cli:    []string{"case", "call", "1002"},
			ractor: "lee", rsel: 1001, rwant: model.CallCase{Number: 1001}},
		{name: "respond", actor: "sam", sel: 1002, key: "r", form: "First response on 00001002", keys: []string{"enter"},
			want:   model.RespondCase{Number: 1002},
			cli:    []string{"case", "respond", "1002"},
			ractor: "sam", rsel: 1003, rwant: model.RespondCase{Number: 1003}},
		{name: "note", actor: "sam", sel: 1002, key: "n", form: "Note on 00001002", keys: []string{"customer sent logs", "enter"},
			want: model.NoteCase{Number: 1002, Text: "customer sent logs"},
			cli:  []string{"case", "note", "1002", "customer", "sent", "logs"}},
		{name: "status", actor: "sam", sel: 1007, key: "m", form: "waiting-customer", keys: []string{"right", "enter"},
			want:   model.SetStatus{Number: 1007, To: model.StatusWaitingDevelopment},
			cli:    []string{"case", "status", "1007", "waiting-development"},
			ractor: "lee", rsel: 1007, rwant: model.SetStatus{Number: 1007}},
		{name: "severity", actor: "sam", sel: 1010, key: "v", form: "agreed by", keys: []string{"right", "tab", "Ana Ruiz", "enter"},
			want:   model.ChangeSeverity{Number: 1010, To: 2, AgreedBy: "Ana Ruiz"},
			cli:    []string{"case", "severity", "1010", "--to", "2", "--agreed-by", "Ana Ruiz"},
			ractor: "lee", rsel: 1010, rwant: model.ChangeSeverity{Number: 1010}},
		{name: "reply", actor: "sam", sel: 1003, key: "R", form: "Customer reply on 00001003", keys: []string{"enter"},
			want:   model.ReplyCase{Number: 1003},
			cli:    []string{"case", "reply", "1003"},
			ractor: "lee", rsel: 1003, rwant: model.ReplyCase{Number: 1003}},
		{name: "follow-up", actor: "sam", sel: 1003, key: "f", form: "Follow-up to the customer on 00001003", keys: []string{"enter"},
			want:   model.FollowupCase{Number: 1003},
			cli:    []string{"case", "followup", "1003"},
			ractor: "sam", rsel: 1007, rwant: model.FollowupCase{Number: 1007}},
		{name: "close", actor: "sam", sel: 1003, key: "x", form: "Close 00001003", keys: []string{"enter", "y"},
			want:   model.CloseCase{Number: 1003, Reason: model.ReasonResolved},
			cli:    []string{"case", "close", "1003", "--reason", "resolved"},
			ractor: "sam", rsel: 1007, rwant: model.CloseCase{Number: 1007, Reason: model.ReasonResolved}},
		{name: "close as duplicate", actor: "sam", sel: 1010, key: "x", form: "duplicate of", keys: []string{"right", "tab", "1002", "enter", "y"},
			want: model.CloseCase{Number: 1010, Reason: model.ReasonDuplicate, DuplicateOf: 1002},
			cli:  []string{"case", "close", "1010", "--reason", "duplicate", "--of", "1002"}},
		{name: "reopen", actor: "lee", key: "o", form: "Reopen a closed case", keys: []string{"1012", "enter"},
			want:   model.ReopenCase{Number: 1012},
			cli:    []string{"case", "reopen", "1012"},
			ractor: "sam", rkeys: []string{"1012", "enter"}, rwant: model.ReopenCase{Number: 1012}},
		{name: "escalate", actor: "sam", sel: 1020, key: "e", form: "justification", keys: []string{"tab", "tab", "tab", "Go-live Friday", "enter"},
			want:   model.Escalate{Number: 1020, By: "sam", Channel: model.ChannelPhone, Justification: "Go-live Friday"},
			cli:    []string{"escalate", "1020", "--by", "sam", "--channel", "phone", "--justification", "Go-live Friday"},
			ractor: "sam", rsel: 1002,
			rwant: model.Escalate{Number: 1002, By: "sam", Channel: model.ChannelPhone, Justification: "Go-live"}},
		{name: "escalation follow-up", actor: "maria", sel: 1007, key: "F", form: "Escalation follow-up with the customer on 00001007", keys: []string{"enter"},
			want:   model.EscalationFollowup{Number: 1007},
			cli:    []string{"escalation", "followup", "1007"},
			ractor: "sam", rsel: 1007, rwant: model.EscalationFollowup{Number: 1007}},
		{name: "accept", actor: "maria", sel: 1007, key: "A", form: "update every", keys: []string{"2h", "enter"},
			want:   model.AcceptEscalation{Number: 1007, Every: 2 * time.Hour},
			cli:    []string{"escalation", "accept", "1007", "--every", "2h"},
			ractor: "maria", rsel: 1011, rwant: model.AcceptEscalation{Number: 1011, Every: 2 * time.Hour}},
		{name: "decline", actor: "maria", sel: 1007, key: "D", form: "Decline the escalation of 00001007", keys: []string{"workaround in place", "enter", "y"},
			want:   model.DeclineEscalation{Number: 1007, Reason: "workaround in place"},
			cli:    []string{"escalation", "decline", "1007", "--reason", "workaround in place"},
			ractor: "maria", rsel: 1011, rwant: model.DeclineEscalation{Number: 1011, Reason: "late"}},
		{name: "de-escalate", actor: "maria", sel: 1011, key: "d", form: "De-escalate 00001011", keys: []string{"no logs provided", "enter", "y"},
			want:   model.DeescalateEscalation{Number: 1011, Reason: "no logs provided"},
			cli:    []string{"escalation", "deescalate", "1011", "--reason", "no logs provided"},
			ractor: "maria", rsel: 1007, rwant: model.DeescalateEscalation{Number: 1007, Reason: "no logs"}},
		{name: "close escalation", actor: "maria", sel: 1011, key: "C", form: "root cause identified", keys: []string{"right", "tab", "fix planned for 9.2", "enter"},
			want:   model.CloseEscalation{Number: 1011, Outcome: model.OutcomeTimeline, Summary: "fix planned for 9.2"},
			cli:    []string{"escalation", "close", "1011", "--outcome", "timeline", "--summary", "fix planned for 9.2"},
			ractor: "maria", rsel: 1007, rwant: model.CloseEscalation{Number: 1007, Outcome: model.OutcomeRootCause, Summary: "done"}},
		{name: "escalation update", actor: "sam", sel: 1011, key: "U", form: "Escalation update on 00001011", keys: []string{"patch in QA", "enter"},
			want:   model.UpdateEscalation{Number: 1011, Summary: "patch in QA"},
			cli:    []string{"escalation", "update", "1011", "--summary", "patch in QA"},
			ractor: "lee", rsel: 1011, rwant: model.UpdateEscalation{Number: 1011}},
		{name: "time log", actor: "tina", sel: 1002, key: "T", form: "left of 50h00m this month", keys: []string{"tab", "1h30m", "enter"},
			want:   model.LogTime{Account: "acme", Minutes: 90, Category: "cadence-call", Mode: model.ModeConsultative},
			cli:    []string{"time", "log", "--account", "acme", "--minutes", "1h30m", "--category", "cadence-call"},
			ractor: "tina", rsel: 1005, rkeys: []string{"tab", "11h", "enter"},
			rwant: model.LogTime{Account: "umbrella", Minutes: 660, Category: "cadence-call", Mode: model.ModeConsultative}},
		{name: "void", actor: "maria", key: "V", form: "Void a time entry", keys: []string{"down", "tab", "wrong account", "enter"},
			want:   model.VoidTime{ID: 3, Reason: "wrong account"},
			cli:    []string{"time", "void", "3", "--reason", "wrong account"},
			ractor: "sam", rwant: model.VoidTime{ID: 1}},
	}
}

// runFlow starts a board as actor on a fresh action desk, selects a case,
// presses key and then keys, and waits for want on the screen; it returns
// the backend after the board quits.
func runFlow(t *testing.T, actor string, sel int64, key string, keys []string, want ...string) (*fakeBackend, *board) {
	t.Helper()
	fb := newFakeBackend(actionDesk(), model.DefaultPolicy(), 64)
	tm := startFlow(t, Options{Actor: actor}, fb)
	waitFor(t, tm, "("+actor+")")
	send(tm, selectKeys(fb.desk, actor, sel)...)
	send(tm, key)
	send(tm, keys...)
	waitFor(t, tm, want...)
	return fb, finalBoard(t, tm)
}

// TestActionFlows: each action by its key and form, against the same
// action done by the model on an identical desk: the same records, the
// same events, and the change's message in the status line.
func TestActionFlows(t *testing.T) {
	p := model.DefaultPolicy()
	for _, fl := range actionFlows() {
		t.Run(fl.name, func(t *testing.T) {
			want := actionDesk()
			ch, err := want.Do(p, fl.actor, fl.want, testNow, testNow)
			if err != nil {
				t.Fatalf("the model refuses the expected action: %v", err)
			}
			// The form first: open it and wait for it, then submit.
			fb := newFakeBackend(actionDesk(), p, 64)
			tm := startFlow(t, Options{Actor: fl.actor}, fb)
			waitFor(t, tm, "("+fl.actor+")")
			send(tm, selectKeys(fb.desk, fl.actor, fl.sel)...)
			send(tm, fl.key)
			waitFor(t, tm, fl.form, "esc cancels and writes nothing")
			send(tm, fl.keys...)
			waitFor(t, tm, ch.Message)
			b := finalBoard(t, tm)
			if !statusShows(t, b, ch.Message, false) {
				msg, _, _, _ := statusOf(t, b)
				t.Errorf("status %q, want %q", msg, ch.Message)
			}
			if got, w := recordsOf(fb.desk), recordsOf(want); !reflect.DeepEqual(got, w) {
				t.Errorf("the store differs from the model's own result:\n got %+v\nwant %+v", got, w)
			}
			if got, w := eventKeys(fb.desk.Events), eventKeys(want.Events); !reflect.DeepEqual(got, w) {
				t.Errorf("events:\n got %q\nwant %q", got, w)
			}
		})
	}
}

// TestActionRefusals: a wrong role, a wrong status, an exhausted bank: the
// status line shows the model's own words and the store is unchanged.
func TestActionRefusals(t *testing.T) {
	p := model.DefaultPolicy()
	for _, fl := range actionFlows() {
		if fl.rwant == nil {
			continue
		}
		t.Run(fl.name, func(t *testing.T) {
			_, err := actionDesk().Do(p, fl.ractor, fl.rwant, testNow, testNow)
			var ref *model.Refusal
			if !asRefusal(err, &ref) {
				t.Fatalf("the model does not refuse %#v: %v", fl.rwant, err)
			}
			fb, b := runFlow(t, fl.ractor, fl.rsel, fl.key, fl.rkeys, ref.Msg)
			// A form that cannot succeed does not open: the status line
			// says why. A refusal of a filled form shows under it, which
			// stays open with what was typed.
			switch {
			case fl.rkeys == nil && b.form != nil:
				t.Errorf("a form that cannot succeed opened: %q", b.form.title)
			case fl.rkeys == nil && !statusShows(t, b, model.Inert(ref.Msg), true):
				msg, _, _, _ := statusOf(t, b)
				t.Errorf("status %q, want the model's %q", msg, ref.Msg)
			case fl.rkeys != nil && (b.form == nil || b.form.err != model.Inert(ref.Msg)):
				t.Errorf("the refused form closed or shows another refusal (form %v)", b.form != nil)
			}
			if !reflect.DeepEqual(recordsOf(fb.desk), recordsOf(actionDesk())) || len(fb.desk.Events) != len(actionDesk().Events) {
				t.Error("a refused action changed the store")
			}
		})
	}
}

func asRefusal(err error, r **model.Refusal) bool {
	x, ok := err.(*model.Refusal)
	*r = x
	return ok
}

// TestActionEscWritesNothing: Esc in the middle of every form writes
// nothing.
func TestActionEscWritesNothing(t *testing.T) {
	for _, fl := range actionFlows() {
		t.Run(fl.name, func(t *testing.T) {
			var part []string
			for _, k := range fl.keys {
				if k == "enter" {
					break
				}
				part = append(part, k)
			}
			fb, b := runFlow(t, fl.actor, fl.sel, fl.key, append(part, "esc"), "cancelled: nothing written")
			if n := fb.doCount(); n != 0 {
				t.Errorf("%d actions done after esc", n)
			}
			if !queueShown(b) {
				t.Error("the form is still open")
			}
			if !reflect.DeepEqual(recordsOf(fb.desk), recordsOf(actionDesk())) {
				t.Error("esc changed the store")
			}
		})
	}
}

// TestConfirmNoGoesBack: n at the y/n question goes back to the form, and
// esc then writes nothing.
func TestConfirmNoGoesBack(t *testing.T) {
	fb, b := runFlow(t, "maria", 1007, "D", []string{"late", "enter", "n"}, "Decline the escalation of 00001007")
	if v := b.View(); !strings.Contains(v, "enter submits · esc cancels and writes nothing") || strings.Contains(v, "(y/n)") {
		t.Fatal("n did not go back to the form")
	}
	if fb.doCount() != 0 {
		t.Error("n declined the escalation")
	}
}

// TestFormErrorsShowOnceLeft: a form says nothing is wrong before anything
// is typed; a field's error shows once it is left (tab) or the form is
// submitted, and goes as soon as it is corrected; Enter on an invalid form
// submits nothing and focuses the first invalid field.
func TestFormErrorsShowOnceLeft(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "maria"}, 120, 40)
	press(b, "N")
	if v := b.View(); strings.Contains(v, "is required") || strings.Contains(v, "a title is required") || strings.Contains(v, "choose a severity") {
		t.Fatalf("errors show before anything is typed:\n%s", v)
	}
	press(b, "tab") // leave the account, onto the unchosen severity
	if strings.Contains(b.View(), "choose a severity") {
		t.Error("the severity's error shows while it is only focused")
	}
	press(b, "tab") // leave the severity unchosen
	v := b.View()
	if !strings.Contains(v, "choose a severity") {
		t.Errorf("leaving the unchosen severity says nothing:\n%s", v)
	}
	if strings.Contains(v, "a title is required") {
		t.Errorf("the title's error shows before the title was left:\n%s", v)
	}
	press(b, "enter")
	if fb.doCount() != 0 || queueShown(b) {
		t.Fatal("an invalid form was submitted")
	}
	v = b.View()
	if !strings.Contains(v, "a title is required") || !strings.Contains(v, "▸ severity ") {
		t.Errorf("Enter did not show every error and focus the first invalid field:\n%s", v)
	}
	// The severity chooser shows each severity's definition.
	press(b, "right")
	v = b.View()
	if !strings.Contains(v, model.SeverityHelp(1)[:30]) || strings.Contains(v, "choose a severity") {
		t.Errorf("the definition is not shown, or the error stays after choosing:\n%s", v)
	}
	press(b, "down", "Broken")
	if strings.Contains(b.View(), "a title is required") {
		t.Error("the error stays after typing a title")
	}
	press(b, "up", "right")
	if !strings.Contains(b.View(), model.SeverityHelp(2)[:30]) {
		t.Error("the definition does not follow the choice")
	}
}

// TestStatusOffersAllowedMoves: the status form offers only the moves from
// the current status.
func TestStatusOffersAllowedMoves(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	press(b, "/", "00001005", "enter", "m")
	if queueShown(b) {
		t.Fatal("no form")
	}
	got := formChoices(b, "to")
	if want := []string{"waiting-customer", "waiting-development", "fix-available"}; !reflect.DeepEqual(got, want) {
		t.Errorf("moves from in-progress: %v, want %v", got, want)
	}
}

// TestTimeLogShowsBank: the time form shows what is left before submitting.
func TestTimeLogShowsBank(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "tina"}, 120, 40)
	press(b, "/", "umbrella", "enter", "T", "tab", "1h30m")
	v := b.View()
	for _, w := range []string{"TAM 10: 10h00m left of 10h00m this month", "left after this: 8h30m"} {
		if !strings.Contains(v, w) {
			t.Errorf("the form lacks %q:\n%s", w, v)
		}
	}
}

// TestHelpOffersRoleActions: the help bar offers what the user may do on
// the selected case, and nothing else.
func TestHelpOffersRoleActions(t *testing.T) {
	sam, _ := testBoard(t, Options{Actor: "sam"}, 200, 40)
	press(sam, "tab", "/", "00001005", "enter") // lee's case
	h := sam.help.View(sam.km.HelpFor(sam.context(), sam.offerKey))
	if strings.Contains(h, "log call") || strings.Contains(h, "assign") || !strings.Contains(h, "note") {
		t.Errorf("sam on lee's case is offered: %s", h)
	}
	maria, _ := testBoard(t, Options{Actor: "maria"}, 200, 40)
	press(maria, "/", "00001005", "enter")
	if h := maria.help.View(maria.km.HelpFor(maria.context(), maria.offerKey)); !strings.Contains(h, "assign") {
		t.Errorf("the manager is not offered assign: %s", h)
	}
}
