package ui

import (
	"io"
	"path"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	xgolden "github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// testNow is the pinned clock: Monday 23 Nov 2026 07:00 ET, when both
// regions are open and escalation hours (08:00 ET) are not.
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testDesk is a small fixed desk: accounts on every plan and region, a
// dozen cases at several statuses, a breached one, a call-required sev 1,
// a paused escalation clock, an accepted escalation and time entries.
func testDesk() *model.Desk {
	d := model.NewDesk()
	ch := &model.Change{
		Accounts: []model.Account{
			{ID: "acme", Name: "Acme Corp", Plan: model.Premium, Region: model.NA, TAMPlan: "enterprise", TAM: "tina",
				Contacts: []model.Contact{{Name: "Ana Ruiz", Kind: "contact", Email: "ana@acme.example"}}},
			{ID: "globex", Name: "Globex", Plan: model.Basic, Region: model.EMEA, TAMPlan: model.TAMNone},
			{ID: "initech", Name: "Initech", Plan: model.Plus, Region: model.NA, TAMPlan: "tam20", TAM: "tina"},
			{ID: "umbrella", Name: "Umbrella", Plan: model.Plus, Region: model.EMEA, TAMPlan: "tam10", TAM: "tina"},
			{ID: "hooli", Name: "Hooli", Plan: model.Basic, Region: model.NA, TAMPlan: model.TAMNone},
		},
		Users: []model.User{
			{ID: "sam", Name: "Sam Ortiz", Role: model.Specialist, Region: model.NA},
			{ID: "lee", Name: "Lee Park", Role: model.Specialist, Region: model.EMEA},
			{ID: "maria", Name: "Maria Chen", Role: model.Manager, Region: model.NA},
			{ID: "tina", Name: "Tina Okafor", Role: model.TAM, Region: model.NA},
			{ID: "wall", Name: "Wall", Role: model.Wall, Region: model.NA},
		},
		Cases: []model.Case{
			{Number: 1001, Account: "acme", Severity: 1, Title: "Search down in production", Status: model.StatusNew,
				OpenedAt: at("2026-11-23T11:30:00Z")},
			{Number: 1002, Account: "acme", Severity: 2, Title: "Index rebuild stuck", Status: model.StatusAssigned,
				Owner: "sam", OpenedAt: at("2026-11-20T19:00:00Z")},
			{Number: 1003, Account: "initech", Severity: 3, Title: "Facet counts wrong", Status: model.StatusWaitingCustomer,
				Owner: "sam", OpenedAt: at("2026-11-19T15:00:00Z"), RespondedAt: at("2026-11-19T16:00:00Z"),
				WaitingSince: at("2026-11-20T15:00:00Z")},
			{Number: 1004, Account: "globex", Severity: 2, Title: "Login \x1b]0;pwned\x07 fails", Status: model.StatusNew,
				OpenedAt: at("2026-11-23T11:30:00Z")},
			{Number: 1005, Account: "umbrella", Severity: 3, Title: "Slow indexing", Status: model.StatusInProgress,
				Owner: "lee", OpenedAt: at("2026-11-18T12:00:00Z"), RespondedAt: at("2026-11-18T13:00:00Z")},
			{Number: 1006, Account: "hooli", Severity: 1, Title: "Outage after upgrade", Status: model.StatusAssigned,
				Owner: "sam", OpenedAt: at("2026-11-23T08:00:00Z"), PhonedAt: at("2026-11-23T08:15:00Z")},
			{Number: 1007, Account: "initech", Severity: 2, Title: "Go-live blocked by relevance", Status: model.StatusInProgress,
				Owner: "sam", OpenedAt: at("2026-11-18T14:00:00Z"), RespondedAt: at("2026-11-18T14:30:00Z")},
			{Number: 1008, Account: "globex", Severity: 3, Title: "Export truncated", Status: model.StatusWaitingCustomer,
				Owner: "lee", OpenedAt: at("2026-11-17T12:00:00Z"), RespondedAt: at("2026-11-17T13:00:00Z"),
				WaitingSince: at("2026-11-18T12:00:00Z"), Followup1At: at("2026-11-19T12:00:00Z"), Followup2At: at("2026-11-20T12:00:00Z")},
			{Number: 1009, Account: "umbrella", Severity: 4, Title: "Add a Spanish stemmer", Status: model.StatusNew,
				OpenedAt: at("2026-11-23T11:10:00Z")},
			{Number: 1010, Account: "hooli", Severity: 3, Title: "Typo tolerance too loose", Status: model.StatusAssigned,
				Owner: "sam", OpenedAt: at("2026-11-23T11:05:00Z")},
			{Number: 1011, Account: "acme", Severity: 2, Title: "Query latency spikes", Status: model.StatusInProgress,
				Owner: "sam", OpenedAt: at("2026-11-17T14:00:00Z"), RespondedAt: at("2026-11-17T14:30:00Z")},
			{Number: 1012, Account: "globex", Severity: 1, Title: "Cluster lost", Status: model.StatusClosed,
				Owner: "lee", OpenedAt: at("2026-11-20T09:00:00Z"), PhonedAt: at("2026-11-20T09:05:00Z"),
				RespondedAt: at("2026-11-20T09:20:00Z"), ClosedAt: at("2026-11-22T09:00:00Z"), CloseReason: model.ReasonResolved},
		},
		Escalations: []model.Escalation{
			{Case: 1007, Status: model.EscRequested, RequestedAt: at("2026-11-20T21:30:00Z"), RequestedBy: "contact:Bob Lee",
				RecordedBy: "sam", Channel: model.ChannelPhone, Justification: "Go-live Friday"},
			{Case: 1011, Status: model.EscAccepted, RequestedAt: at("2026-11-19T15:00:00Z"), RequestedBy: "tina",
				RecordedBy: "tina", Channel: model.ChannelPortal, Justification: "Board meeting",
				FollowedUpAt: at("2026-11-19T15:30:00Z"), DecidedAt: at("2026-11-19T15:30:00Z"), UpdateEvery: 4 * time.Hour,
				Updates: []model.EscalationUpdate{{At: at("2026-11-20T18:00:00Z"), By: "maria", Summary: "patch in QA"}}},
		},
		TimeEntries: []model.TimeEntry{
			{ID: 1, Account: "acme", TAM: "tina", Date: model.Date{Year: 2026, Month: 11, Day: 3}, Minutes: 120, Category: "cadence-call", Mode: model.ModeConsultative},
			{ID: 2, Account: "acme", TAM: "tina", Date: model.Date{Year: 2026, Month: 11, Day: 10}, Minutes: 300, Category: "escalation-management", Mode: model.ModeConsultative},
			{ID: 3, Account: "acme", TAM: "tina", Date: model.Date{Year: 2026, Month: 11, Day: 17}, Minutes: 90, Category: "metrics-reporting", Mode: model.ModeConsultative},
			{ID: 4, Account: "initech", TAM: "tina", Date: model.Date{Year: 2026, Month: 11, Day: 5}, Minutes: 600, Category: "platform-administration", Mode: model.ModeConsultative},
		},
		Bank: []model.BankDelta{
			{Account: "acme", Month: model.Month{Year: 2026, Month: 11}, Minutes: 510},
			{Account: "initech", Month: model.Month{Year: 2026, Month: 11}, Minutes: 600},
		},
		Events: []model.Event{
			{At: at("2026-11-20T19:00:00Z"), Actor: "sam", Case: 1002, Kind: "opened", After: []byte(`{"status":"new"}`)},
			{At: at("2026-11-20T19:10:00Z"), Actor: "sam", Case: 1002, Kind: "taken", After: []byte(`{"owner":"sam","status":"assigned"}`)},
			{At: at("2026-11-20T19:20:00Z"), Actor: "sam", Case: 1002, Kind: "noted", After: []byte(`{"note":"see \u001b[31mlog\u001b[0m"}`)},
		},
	}
	for i := range ch.Cases {
		c := &ch.Cases[i]
		a := ch.Accounts[accountIndex(ch.Accounts, c.Account)]
		c.Plan, c.Region, c.Contact = a.Plan, a.Region, "Ana Ruiz"
	}
	d.Apply(ch, testNow)
	return d
}

func accountIndex(as []model.Account, id string) int {
	for i, a := range as {
		if a.ID == id {
			return i
		}
	}
	panic("no account " + id)
}

// asciiRenderer pins the colour profile so goldens never depend on the
// terminal running the tests.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

// testBoard is a board on the test desk at a fixed size, started without
// a running program: the start and the selected case's trail are fed in.
func testBoard(t testing.TB, o Options, w, h int) (*board, *fakeBackend) {
	t.Helper()
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	if o.Backend == nil {
		o.Backend = fb
	}
	if o.Policy == nil {
		o.Policy = fb.p
	}
	if o.Start.IsZero() {
		o.Start = testNow
	}
	if o.Renderer == nil {
		o.Renderer = asciiRenderer()
	}
	if o.ReportDir == "" {
		o.ReportDir = t.TempDir() // a key that writes a report never writes into ui/
	}
	b := newBoard(o)
	b.Update(tea.WindowSizeMsg{Width: w, Height: h})
	// No subscription here: the feed is exercised with teatest.
	d, err := o.Backend.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	_, cmd := b.Update(startMsg{desk: d})
	run(b, cmd)
	// The alerts raised before the start, without the feed (tests send
	// alertMsg themselves).
	as, err := o.Backend.RecentAlerts(maxAlerts)
	if err != nil {
		t.Fatal(err)
	}
	_, cmd = b.Update(alertStartMsg{alerts: as})
	run(b, cmd)
	return b, fb
}

// run executes a command and feeds its message back, the way the program
// would, except the ones that wait (the feed, the tick).
func run(b *board, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(b, c)
		}
	case feedMsg, tickMsg, alertMsg, nil:
	default:
		_, c := b.Update(msg)
		run(b, c)
	}
}

// press sends keys (named ones like "enter" and "right", or typed text)
// and runs what they return.
func press(b *board, keys ...string) {
	for _, k := range keys {
		_, c := b.Update(keyOf(k))
		run(b, c)
	}
}

// golden compares got with testdata/TestName/name.golden through
// x/exp/golden (`go test ./ui/... -update` rewrites it). A test that is
// already a subtest named name compares in place; others get a subtest per
// name, so every file sits under its test's directory.
func golden(t *testing.T, name, got string) {
	t.Helper()
	if path.Base(t.Name()) == name {
		xgolden.RequireEqual(t, []byte(got))
		return
	}
	t.Run(name, func(t *testing.T) { xgolden.RequireEqual(t, []byte(got)) })
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
