package model

import (
	"testing"
	"time"
)

// allowedText is DOMAIN.md's list of moves out of each status, as the
// refusals write it.
var allowedText = map[Status]string{
	StatusNew:                "assigned, closed as duplicate",
	StatusAssigned:           "in-progress, closed as duplicate",
	StatusInProgress:         "waiting-customer, waiting-development, fix-available, closed",
	StatusWaitingCustomer:    "in-progress, waiting-development, fix-available, closed",
	StatusWaitingDevelopment: "in-progress, waiting-customer, fix-available, closed",
	StatusFixAvailable:       "in-progress, waiting-customer, closed",
	StatusClosed:             "reopen",
}

func moveMsg(from, to Status) string {
	return "cannot move 00000002 from " + string(from) + " to " + string(to) + " (allowed: " + allowedText[from] + ")"
}

// statusMoves is the lifecycle table for the status action: statusMoves[from]
// lists the statuses `status` may move to.
var statusMoves = map[Status][]Status{
	StatusInProgress:         {StatusWaitingCustomer, StatusWaitingDevelopment, StatusFixAvailable},
	StatusWaitingCustomer:    {StatusInProgress, StatusWaitingDevelopment, StatusFixAvailable},
	StatusWaitingDevelopment: {StatusInProgress, StatusWaitingCustomer, StatusFixAvailable},
	StatusFixAvailable:       {StatusInProgress, StatusWaitingCustomer},
}

func contains(ss []Status, s Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type moveCase struct {
	name string
	act  func(n int64) Action
	// want is the status after, or "" when refused with msg.
	want map[Status]Status
	msg  map[Status]string
}

// TestLifecycleMoves runs every action that moves a case from every status:
// the status action to every status, and take, assign, respond, reply,
// close (resolved and duplicate) and reopen. Case 1 exists for duplicates;
// case 2 is under test, owned by sam (except when new), first response at
// t0; maria (a manager) acts an hour later.
func TestLifecycleMoves(t *testing.T) {
	const responded = "cannot respond on 00000002: first response already given at Fri 20 Nov 10:00 ET"
	open := []Status{StatusNew, StatusAssigned, StatusInProgress, StatusWaitingCustomer, StatusWaitingDevelopment, StatusFixAvailable}
	var cases []moveCase
	for _, to := range Statuses() {
		to := to
		mc := moveCase{name: "status " + string(to), act: func(n int64) Action { return SetStatus{Number: n, To: to} },
			want: map[Status]Status{}, msg: map[Status]string{}}
		for _, from := range Statuses() {
			switch {
			case contains(statusMoves[from], to):
				mc.want[from] = to
			case to == StatusClosed && from != StatusClosed:
				mc.msg[from] = "cannot change the status of 00000002: close it with a reason (resolved, no-response, duplicate)"
			default:
				mc.msg[from] = moveMsg(from, to)
			}
		}
		cases = append(cases, mc)
	}
	cases = append(cases,
		moveCase{name: "take", act: func(n int64) Action { return TakeCase{Number: n} },
			want: map[Status]Status{StatusNew: StatusAssigned},
			msg: map[Status]string{
				StatusAssigned: "cannot take 00000002: owned by sam", StatusInProgress: "cannot take 00000002: owned by sam",
				StatusWaitingCustomer: "cannot take 00000002: owned by sam", StatusWaitingDevelopment: "cannot take 00000002: owned by sam",
				StatusFixAvailable: "cannot take 00000002: owned by sam", StatusClosed: "cannot take 00000002: owned by sam"}},
		moveCase{name: "assign", act: func(n int64) Action { return AssignCase{Number: n, To: "lee"} },
			want: map[Status]Status{StatusNew: StatusAssigned, StatusAssigned: StatusAssigned, StatusInProgress: StatusInProgress,
				StatusWaitingCustomer: StatusWaitingCustomer, StatusWaitingDevelopment: StatusWaitingDevelopment,
				StatusFixAvailable: StatusFixAvailable},
			msg: map[Status]string{StatusClosed: moveMsg(StatusClosed, StatusAssigned)}},
		moveCase{name: "respond", act: func(n int64) Action { return RespondCase{Number: n} },
			want: map[Status]Status{StatusAssigned: StatusInProgress},
			msg: map[Status]string{StatusNew: moveMsg(StatusNew, StatusInProgress), StatusInProgress: responded,
				StatusWaitingCustomer: responded, StatusWaitingDevelopment: responded, StatusFixAvailable: responded,
				StatusClosed: responded}},
		moveCase{name: "reply", act: func(n int64) Action { return ReplyCase{Number: n} },
			want: map[Status]Status{StatusNew: StatusNew, StatusAssigned: StatusAssigned, StatusInProgress: StatusInProgress,
				StatusWaitingCustomer: StatusInProgress, StatusWaitingDevelopment: StatusWaitingDevelopment,
				StatusFixAvailable: StatusFixAvailable},
			msg: map[Status]string{StatusClosed: "cannot log a reply on 00000002: it is closed"}},
		moveCase{name: "close resolved", act: func(n int64) Action { return CloseCase{Number: n, Reason: ReasonResolved} },
			want: map[Status]Status{StatusInProgress: StatusClosed, StatusWaitingCustomer: StatusClosed,
				StatusWaitingDevelopment: StatusClosed, StatusFixAvailable: StatusClosed},
			msg: map[Status]string{StatusNew: moveMsg(StatusNew, StatusClosed), StatusAssigned: moveMsg(StatusAssigned, StatusClosed),
				StatusClosed: moveMsg(StatusClosed, StatusClosed)}},
		moveCase{name: "close no-response", act: func(n int64) Action { return CloseCase{Number: n, Reason: ReasonNoResponse} },
			want: map[Status]Status{StatusInProgress: StatusClosed, StatusWaitingCustomer: StatusClosed,
				StatusWaitingDevelopment: StatusClosed, StatusFixAvailable: StatusClosed},
			msg: map[Status]string{StatusNew: moveMsg(StatusNew, StatusClosed), StatusAssigned: moveMsg(StatusAssigned, StatusClosed),
				StatusClosed: moveMsg(StatusClosed, StatusClosed)}},
		moveCase{name: "close duplicate", act: func(n int64) Action { return CloseCase{Number: n, Reason: ReasonDuplicate, DuplicateOf: 1} },
			want: map[Status]Status{StatusNew: StatusClosed, StatusAssigned: StatusClosed, StatusInProgress: StatusClosed,
				StatusWaitingCustomer: StatusClosed, StatusWaitingDevelopment: StatusClosed, StatusFixAvailable: StatusClosed},
			msg: map[Status]string{StatusClosed: moveMsg(StatusClosed, StatusClosed)}},
		moveCase{name: "reopen", act: func(n int64) Action { return ReopenCase{Number: n} },
			want: map[Status]Status{StatusClosed: StatusInProgress},
			msg:  map[Status]string{}},
	)
	for _, from := range open {
		cases[len(cases)-1].msg[from] = "cannot reopen 00000002: it is open (" + string(from) + ")"
	}
	for _, mc := range cases {
		for _, from := range Statuses() {
			t.Run(mc.name+" from "+string(from), func(t *testing.T) {
				f := newFixture(t)
				f.open("acme", 2, t0)
				n := f.caseIn(from, "sam", t0)
				if n != 2 {
					t.Fatalf("case %d, want 2", n)
				}
				now := t0.Add(time.Hour)
				if msg, ok := mc.msg[from]; ok {
					f.refused("maria", mc.act(n), now, msg)
					if got := f.caseOf(n).Status; got != from {
						t.Fatalf("refused action moved the case to %s", got)
					}
					return
				}
				want, ok := mc.want[from]
				if !ok {
					t.Fatalf("table has no row for %s from %s", mc.name, from)
				}
				f.mustDo("maria", mc.act(n), now)
				if got := f.caseOf(n).Status; got != want {
					t.Fatalf("status %s, want %s", got, want)
				}
				checkReplay(t, f)
			})
		}
	}
}

// TestMoveTableMatchesDomain pins the code's table against the literal one
// of DOMAIN.md.
func TestMoveTableMatchesDomain(t *testing.T) {
	for from, want := range allowedText {
		got := ""
		for i, s := range AllowedMoves(from) {
			if i > 0 {
				got += ", "
			}
			got += s
		}
		if got != want {
			t.Errorf("allowed from %s: %q, want %q", from, got, want)
		}
	}
	f := newFixture(t)
	n := f.open("acme", 2, t0)
	f.refused("maria", SetStatus{Number: n, To: StatusWaitingCustomer}, t0,
		"cannot move 00000001 from new to waiting-customer (allowed: assigned, closed as duplicate)")
}

func TestWaitingCustomerAfresh(t *testing.T) {
	f := newFixture(t)
	n := f.caseIn(StatusWaitingCustomer, "sam", t0)
	f.mustDo("sam", FollowupCase{Number: n}, t0.Add(time.Hour))
	f.mustDo("sam", FollowupCase{Number: n}, t0.Add(2*time.Hour))
	f.refused("sam", FollowupCase{Number: n}, t0.Add(3*time.Hour), "cannot log a follow-up on 00000001: both follow-ups are already logged")
	f.mustDo("sam", SetStatus{Number: n, To: StatusWaitingDevelopment}, t0.Add(4*time.Hour))
	f.refused("sam", FollowupCase{Number: n}, t0.Add(5*time.Hour), "cannot log a follow-up on 00000001: it is waiting-development, not waiting-customer")
	later := t0.Add(6 * time.Hour)
	f.mustDo("sam", SetStatus{Number: n, To: StatusWaitingCustomer}, later)
	c := f.caseOf(n)
	if !c.WaitingSince.Equal(later) || !c.Followup1At.IsZero() || !c.Followup2At.IsZero() {
		t.Fatalf("re-entering waiting-customer: since %v, follow-ups %v %v", c.WaitingSince, c.Followup1At, c.Followup2At)
	}
	f.refused("sam", FollowupCase{Number: n, At: later.Add(-time.Minute)}, later.Add(time.Hour),
		"cannot log a follow-up on 00000001: Fri 20 Nov 15:59 ET is before it waited for the customer (Fri 20 Nov 16:00 ET)")
	f.mustDo("sam", FollowupCase{Number: n, At: later.Add(time.Minute)}, later.Add(time.Hour))
	if got := f.caseOf(n).Followup1At; !got.Equal(later.Add(time.Minute)) {
		t.Fatalf("follow-up 1 at %v", got)
	}
	checkReplay(t, f)
}

func TestAtBounds(t *testing.T) {
	f := newFixture(t)
	n := f.caseIn(StatusAssigned, "sam", t0)
	now := t0.Add(2 * time.Hour)
	f.refused("sam", CallCase{Number: n, At: now.Add(time.Second)}, now,
		"cannot log a call on 00000001: Fri 20 Nov 12:00 ET is in the future")
	f.refused("sam", RespondCase{Number: n, At: t0.Add(-time.Minute)}, now,
		"cannot respond on 00000001: Fri 20 Nov 09:59 ET is before the case was opened (Fri 20 Nov 10:00 ET)")
	f.mustDo("sam", CallCase{Number: n, At: now}, now)   // exactly now is allowed
	f.mustDo("sam", RespondCase{Number: n, At: t0}, now) // exactly the opening too
	c := f.caseOf(n)
	if !c.RespondedAt.Equal(t0) || c.Status != StatusInProgress {
		t.Fatalf("respond: %+v", c)
	}
	if got := f.d.Events[len(f.d.Events)-1]; !got.At.Equal(t0) || got.Kind != "responded" || got.Actor != "sam" {
		t.Fatalf("respond event %+v", got)
	}
	f.refused("sam", RespondCase{Number: n}, now, "cannot respond on 00000001: first response already given at Fri 20 Nov 10:00 ET")
	// A new case dated in the future is refused too.
	f.refused("maria", NewCase{Account: "acme", Severity: 2, Title: "x", Opened: now.Add(time.Minute)}, now,
		"cannot open a case for acme: Fri 20 Nov 12:01 ET is in the future")
}

func TestRespondMessageIsInRegionZone(t *testing.T) {
	f := newFixture(t)
	// Globex is EMEA: the refusal writes GMT.
	n := f.open("globex", 2, t0)
	f.mustDo("maria", AssignCase{Number: n, To: "eve"}, t0)
	f.mustDo("eve", RespondCase{Number: n}, t0)
	f.refused("eve", RespondCase{Number: n}, t0.Add(time.Hour), "cannot respond on 00000001: first response already given at Fri 20 Nov 15:00 GMT")
}

func TestReopen(t *testing.T) {
	f := newFixture(t)
	win := f.p.ReopenWindow
	// Responded and owned: back to the owner, in-progress.
	n := f.caseIn(StatusClosed, "sam", t0)
	f.refused("sam", ReopenCase{Number: n}, t0.Add(win+time.Second),
		"cannot reopen 00000001: closed more than 30 days ago: open a new case that refers to 00000001")
	f.mustDo("sam", ReopenCase{Number: n}, t0.Add(win)) // the last second is included
	c := f.caseOf(n)
	if c.Status != StatusInProgress || c.Owner != "sam" || !c.RespondedAt.Equal(t0) || !c.ClosedAt.IsZero() || c.CloseReason != "" {
		t.Fatalf("reopened: %+v", c)
	}
	// Owned, never responded: assigned.
	m := f.caseIn(StatusAssigned, "lee", t0)
	f.mustDo("maria", CloseCase{Number: m, Reason: ReasonDuplicate, DuplicateOf: n}, t0)
	f.mustDo("lee", ReopenCase{Number: m}, t0.Add(time.Hour))
	if c := f.caseOf(m); c.Status != StatusAssigned || c.DuplicateOf != 0 {
		t.Fatalf("reopened unresponded: %+v", c)
	}
	// Never owned: new.
	k := f.open("acme", 3, t0)
	f.mustDo("maria", CloseCase{Number: k, Reason: ReasonDuplicate, DuplicateOf: n}, t0)
	f.mustDo("maria", ReopenCase{Number: k}, t0.Add(time.Hour))
	if c := f.caseOf(k); c.Status != StatusNew || c.Owner != "" {
		t.Fatalf("reopened unowned: %+v", c)
	}
	// The refusal says to open a new case that refers to the old one: it can.
	ch := f.mustDo("maria", NewCase{Account: "acme", Severity: 3, Title: "again", RefersTo: n}, t0.Add(40*24*time.Hour))
	if ch.Cases[0].RefersTo != n {
		t.Fatalf("refers_to %d", ch.Cases[0].RefersTo)
	}
	f.refused("maria", NewCase{Account: "acme", Severity: 3, Title: "again", RefersTo: 99}, t0,
		"cannot open a case for acme: case 00000099 it refers to does not exist")
	checkReplay(t, f)
}

func TestCloseRules(t *testing.T) {
	f := newFixture(t)
	n := f.caseIn(StatusInProgress, "sam", t0)
	f.refused("sam", CloseCase{Number: n}, t0, "cannot close 00000001: a reason is needed (resolved, no-response, duplicate)")
	f.refused("sam", CloseCase{Number: n, Reason: "fixed"}, t0, `cannot close 00000001: "fixed" is not a reason (resolved, no-response, duplicate)`)
	f.refused("sam", CloseCase{Number: n, Reason: ReasonDuplicate}, t0, "cannot close 00000001: a duplicate needs the case number it duplicates")
	f.refused("sam", CloseCase{Number: n, Reason: ReasonDuplicate, DuplicateOf: n}, t0, "cannot close 00000001: a case cannot duplicate itself")
	f.refused("sam", CloseCase{Number: n, Reason: ReasonDuplicate, DuplicateOf: 7}, t0, "cannot close 00000001: case 00000007 it duplicates does not exist")
	f.refused("lee", CloseCase{Number: n, Reason: ReasonResolved}, t0, "lee may not close 00000001: it is owned by sam")
	f.refused("sam", CloseCase{Number: 9, Reason: ReasonResolved}, t0, "cannot close 00000009: no such case")
	// Severity 2 is eligible after 2 business days: Tuesday 10:00.
	esc := time.Date(2026, 11, 24, 10, 0, 0, 0, et)
	f.mustDo("sam", Escalate{Number: n, By: "contact:Ana Ruiz", Channel: ChannelPhone, Justification: "go-live"}, esc)
	f.refused("sam", CloseCase{Number: n, Reason: ReasonResolved}, esc, "cannot close 00000001: its escalation is open")
	f.mustDo("maria", DeclineEscalation{Number: n, Reason: "on track"}, esc)
	f.mustDo("sam", CloseCase{Number: n, Reason: ReasonResolved}, esc)
	checkReplay(t, f)
}

func TestSeverityChange(t *testing.T) {
	f := newFixture(t)
	n := f.caseIn(StatusInProgress, "sam", t0)
	f.refused("sam", ChangeSeverity{Number: n, To: 2, AgreedBy: "Ana"}, t0, "cannot change the severity of 00000001: it is already severity 2")
	f.refused("sam", ChangeSeverity{Number: n, To: 5, AgreedBy: "Ana"}, t0, "cannot change the severity of 00000001: severity 5 is not 1 to 4")
	f.refused("sam", ChangeSeverity{Number: n, To: 3}, t0, "cannot change the severity of 00000001: the customer's agreement is needed: who agreed?")
	ch := f.mustDo("sam", ChangeSeverity{Number: n, To: 3, AgreedBy: "Ana Ruiz"}, t0)
	ev := ch.Events[0]
	if string(ev.Before) != `{"severity":2}` || string(ev.After) != `{"severity":3,"agreed_by":"Ana Ruiz"}` {
		t.Fatalf("severity event %s -> %s", ev.Before, ev.After)
	}
	checkReplay(t, f)
}

func TestNewCaseRules(t *testing.T) {
	f := newFixture(t)
	f.refused("maria", NewCase{Account: "nope", Severity: 2, Title: "x"}, t0, "cannot open a case for nope: no such account")
	f.refused("maria", NewCase{Account: "acme", Severity: 0, Title: "x"}, t0, "cannot open a case for acme: severity 0 is not 1 to 4")
	f.refused("maria", NewCase{Account: "acme", Severity: 2, Title: " "}, t0, "cannot open a case for acme: a title is needed")
	ch := f.mustDo("sam", NewCase{Account: "globex", Severity: 1, Title: "down", Opened: t0.Add(-time.Hour)}, t0)
	c := ch.Cases[0]
	if c.Plan != Plus || c.Region != EMEA || c.Status != StatusNew || !c.OpenedAt.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("new case %+v", c)
	}
	if ev := ch.Events[0]; ev.Before != nil || ev.Kind != "opened" || !ev.At.Equal(c.OpenedAt) {
		t.Fatalf("opened event %+v", ev)
	}
	// The case keeps the plan it was opened under.
	plan := Premium
	f.mustDo("maria", SetAccount{ID: "globex", Plan: &plan}, t0)
	if got := f.caseOf(c.Number).Plan; got != Plus {
		t.Fatalf("plan changed to %s", got)
	}
}

func TestNoteAndCall(t *testing.T) {
	f := newFixture(t)
	n := f.open("acme", 1, t0)
	ch := f.mustDo("tina", NoteCase{Number: n, Text: "customer called the TAM"}, t0)
	if ev := ch.Events[0]; string(ev.After) != `{"note":"customer called the TAM"}` || ev.Before != nil || len(ch.Cases) != 0 {
		t.Fatalf("note event %+v", ev)
	}
	f.refused("maria", NoteCase{Number: n, Text: ""}, t0, "cannot note 00000001: the note is empty")
	f.mustDo("maria", CallCase{Number: n}, t0.Add(time.Minute))
	f.mustDo("maria", CallCase{Number: n}, t0.Add(2*time.Minute)) // a second call keeps the first
	if got := f.caseOf(n).PhonedAt; !got.Equal(t0.Add(time.Minute)) {
		t.Fatalf("phoned at %v", got)
	}
	checkReplay(t, f)
}

func TestAutoClose(t *testing.T) {
	f := newFixture(t)
	n := f.caseIn(StatusWaitingCustomer, "sam", t0)
	f.mustDo("sam", FollowupCase{Number: n}, t0.Add(time.Hour))
	f.mustDo("sam", FollowupCase{Number: n}, t0.Add(2*time.Hour))
	c := f.caseOf(n)
	due, ok := AutoCloseDue(&c, f.p)
	if !ok {
		t.Fatal("not due")
	}
	// +4 business days of 15 h from Friday 10:00 ET: Thursday 10:00 ET.
	if want := time.Date(2026, 11, 26, 10, 0, 0, 0, et); !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	all := func() []Case {
		var cs []Case
		for _, k := range f.d.CaseNumbers() {
			cs = append(cs, f.caseOf(k))
		}
		return cs
	}
	escOpen := func(k int64) bool { e, ok := f.d.Escalation(k); return ok && e.Open() }
	if got := DueAutoCloses(all(), escOpen, f.p, due.Add(-time.Second)); len(got) != 0 {
		t.Fatalf("due a second early: %v", got)
	}
	f.refused(System, AutoCloseCase{Number: n}, due.Add(-time.Second), "cannot auto-close 00000001: not due before Thu 26 Nov 10:00 ET")
	f.refused("maria", AutoCloseCase{Number: n}, due, "maria may not auto-close 00000001: only caseboard auto-closes cases")
	f.refused(System, CloseCase{Number: n, Reason: ReasonResolved}, due, "caseboard may not close 00000001: the process only auto-closes cases")
	later := due.Add(5 * time.Hour)
	got := DueAutoCloses(all(), escOpen, f.p, later)
	if len(got) != 1 || got[0] != n {
		t.Fatalf("due: %v", got)
	}
	ch := f.mustDo(System, AutoCloseCase{Number: n}, later)
	ev := ch.Events[0]
	c = f.caseOf(n)
	if ev.Kind != "auto-closed" || ev.Actor != System || !ev.At.Equal(due) || !c.ClosedAt.Equal(due) ||
		c.CloseReason != ReasonNoResponse || c.Status != StatusClosed {
		t.Fatalf("auto-close: %+v %+v", ev, c)
	}
	// An open escalation holds it back.
	m := f.caseIn(StatusWaitingCustomer, "sam", t0)
	f.mustDo("sam", Escalate{Number: m, By: "sam", Channel: ChannelPortal, Justification: "x"}, t0.Add(4*24*time.Hour))
	f.mustDo("sam", FollowupCase{Number: m}, t0.Add(4*24*time.Hour))
	f.mustDo("sam", FollowupCase{Number: m}, t0.Add(4*24*time.Hour))
	far := t0.Add(30 * 24 * time.Hour)
	if got := DueAutoCloses(all(), escOpen, f.p, far); len(got) != 0 {
		t.Fatalf("escalated case due: %v", got)
	}
	f.refused(System, AutoCloseCase{Number: m}, far, "cannot auto-close 00000002: its escalation is open")
	checkReplay(t, f)
}
