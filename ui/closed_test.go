package ui

import (
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// closedDesk is the test desk with more closed cases: one whose window
// ends in two hours, one whose window is over, one of a TAM's account.
func closedDesk() *model.Desk {
	d := testDesk()
	mk := func(n int64, acct string, sev int, title, owner, closedAt string) model.Case {
		a := d.Accounts[acct]
		return model.Case{Number: n, Account: acct, Severity: sev, Title: title, Status: model.StatusClosed,
			Plan: a.Plan, Region: a.Region, Owner: owner, OpenedAt: at("2026-10-01T12:00:00Z"),
			RespondedAt: at("2026-10-01T13:00:00Z"), ClosedAt: at(closedAt), CloseReason: model.ReasonResolved}
	}
	d.Apply(&model.Change{Cases: []model.Case{
		mk(1013, "acme", 2, "Reindex after upgrade", "sam", "2026-10-24T14:00:00Z"),  // window ends 14:00Z today
		mk(1014, "hooli", 3, "Old synonyms question", "sam", "2026-10-01T15:00:00Z"), // window over
		mk(1015, "initech", 4, "Stemmer request", "sam", "2026-11-23T11:00:00Z"),     // closed an hour ago
	}}, testNow)
	return d
}

// closedBoard is a board on closedDesk.
func closedBoard(t *testing.T, actor string, w, h int) (*board, *fakeBackend) {
	t.Helper()
	fb := newFakeBackend(closedDesk(), model.DefaultPolicy(), 64)
	b, _ := testBoard(t, Options{Actor: actor, Backend: fb}, w, h)
	return b, fb
}

// rowsOf is the case numbers of the queue's rows on screen, in order.
func rowsOf(b *board) []string {
	var out []string
	for _, l := range screenLines(b)[3:] {
		left, _, _ := strings.Cut(l, "│")
		f := strings.Fields(strings.TrimPrefix(left, "▸"))
		if len(f) > 0 && len(f[0]) == 8 && strings.HasPrefix(f[0], "0000") {
			out = append(out, f[0])
		}
	}
	return out
}

// TestClosedTab: the Closed tab lists closed cases, most recently closed
// first, each with its reopen window's clock ticking with the board's
// clock; a TAM sees their accounts' only.
func TestClosedTab(t *testing.T) {
	b, _ := closedBoard(t, "maria", 120, 40)
	press(b, "tab", "tab") // All -> Escalations -> Closed
	if !strings.Contains(tabsLine(b), "[Closed]") {
		t.Fatalf("no Closed tab: %q", tabsLine(b))
	}
	if got, want := strings.Join(rowsOf(b), " "), "00001015 00001012 00001013 00001014"; got != want {
		t.Fatalf("rows %s, want %s (most recently closed first)", got, want)
	}
	v := b.View()
	for _, want := range []string{"reopen 29d23h left", "reopen 28d21h left", "reopen 2h left", "window over"} {
		if !strings.Contains(v, want) {
			t.Errorf("the Closed tab lacks %q", want)
		}
	}
	golden(t, "manager_closed_120x40", v)
	// Two hours and a second later the window of 1013 is over.
	b.now = b.now.Add(2*time.Hour + time.Second)
	b.dirty = true
	if v := b.View(); strings.Contains(v, "reopen 2h left") || strings.Count(v, "window over") != 2 {
		t.Errorf("the clock did not move with the board's:\n%s", v)
	}

	// The filter narrows the tab as it does the others.
	press(b, "/", "hooli", "enter")
	if got := strings.Join(rowsOf(b), " "); got != "00001014" {
		t.Errorf("the filter hooli keeps %s on the Closed tab", got)
	}
	press(b, "/", "esc")

	wide, _ := closedBoard(t, "maria", 200, 60)
	press(wide, "tab", "tab")
	if v := wide.View(); !strings.Contains(v, "23 Nov 06:00 initech    sam") {
		t.Errorf("at 200 columns the closing instant and owner do not show:\n%s", v)
	}
	golden(t, "manager_closed_200x60", wide.View())

	tam, _ := closedBoard(t, "tina", 120, 40)
	press(tam, "tab", "tab") // My accounts -> Escalations -> Closed
	if got, want := strings.Join(rowsOf(tam), " "), "00001015 00001013"; got != want {
		t.Errorf("the TAM's Closed tab: %s, want %s (acme and initech, not globex or hooli)", got, want)
	}
}

// TestClosedTabFollowsChanges: a case closed elsewhere appears at the top
// of the Closed tab, a reopened one leaves it, from the change events
// alone (the list is not built again).
func TestClosedTabFollowsChanges(t *testing.T) {
	b, fb := closedBoard(t, "maria", 120, 40)
	press(b, "tab", "tab")
	feed, cancel := fb.Subscribe()
	defer cancel()
	if _, err := fb.Do("maria", model.CloseCase{Number: 1003, Reason: model.ReasonResolved}, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := fb.Do("maria", model.ReopenCase{Number: 1014}, testNow); err == nil {
		t.Fatal("1014 reopened past its window")
	}
	if _, err := fb.Do("maria", model.ReopenCase{Number: 1015}, testNow); err != nil {
		t.Fatal(err)
	}
	builds := b.q.cl.builds
	feedIn(b, <-feed, <-feed)
	if got, want := strings.Join(rowsOf(b), " "), "00001003 00001012 00001013 00001014"; got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
	if b.q.cl.builds != builds || builds != 1 {
		t.Errorf("the closed list was built again for a change")
	}
}

// TestSelectAfterNewCase: after `N` the new case is selected, whether the
// feed brings it before or after the action's answer.
func TestSelectAfterNewCase(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	feed, cancel := fb.Subscribe()
	defer cancel()
	// The answer first (press runs the action), then the feed.
	press(b, "N", "right", "right") // hooli: North America, sam's region
	press(b, "down", "2", "down")
	press(b, "Cannot log in", "enter")
	if got := selectedRow(b); got == "00001013" {
		t.Fatalf("selected before the desk has it")
	}
	feedIn(b, <-feed)
	if got := selectedRow(b); got != "00001013" || !strings.Contains(tabsLine(b), "[North America]") {
		t.Fatalf("after N: %q in %q, want 00001013 in North America:\n%s", got, tabsLine(b), b.View())
	}
	if !statusShows(t, b, "opened 00001013", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	// The feed first, then the answer: an EMEA case, in All.
	ch, err := fb.Do("sam", model.NewCase{Number: 1014, Account: "globex", Severity: 3, Title: "Slow"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	feedIn(b, <-feed)
	_, cmd := b.Update(doneMsg{change: ch})
	run(b, cmd)
	if got := selectedRow(b); got != "00001014" || !strings.Contains(tabsLine(b), "[All]") {
		t.Fatalf("after N: %q in %q, want 00001014 in All:\n%s", got, tabsLine(b), b.View())
	}
}

// TestSelectAfterReopen: `o` on the Closed tab reopens the case under the
// cursor (the form comes filled with it) and selects it where it now is.
func TestSelectAfterReopen(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "maria"}, 120, 40)
	feed, cancel := fb.Subscribe()
	defer cancel()
	press(b, "tab", "tab")
	if got := selectedRow(b); got != "00001012" {
		t.Fatalf("the Closed tab selects %q", got)
	}
	press(b, "o")
	if !strings.Contains(b.View(), "Reopen a closed case") || !strings.Contains(b.View(), "00001012") {
		t.Fatalf("the reopen form is not filled with the case:\n%s", b.View())
	}
	press(b, "enter")
	feedIn(b, <-feed)
	if got := selectedRow(b); got != "00001012" || !strings.Contains(tabsLine(b), "[All]") {
		t.Fatalf("after o: %q in %q, want 00001012 in All:\n%s", got, tabsLine(b), b.View())
	}
	if !statusShows(t, b, "reopened 00001012 (in-progress)", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
}

// feedIn delivers updates of the change feed as the program would, and
// runs what they ask for.
func feedIn(b *board, us ...Update) {
	_, cmd := b.Update(feedMsg{updates: us})
	run(b, cmd)
}

// TestReopenPastTheWindow: on a closed case whose window is over, `o` opens
// no form and says why, in the rules' words.
func TestReopenPastTheWindow(t *testing.T) {
	b, fb := closedBoard(t, "maria", 120, 40)
	jumpTo(b, "1014")
	press(b, "o")
	msg, isErr, _, _ := statusOf(t, b)
	if b.form != nil || !isErr || !strings.Contains(msg, "cannot reopen 00001014: closed more than") {
		t.Errorf("o past the window: form open %v, status %q", b.form != nil, msg)
	}
	if fb.doCount() != 0 {
		t.Errorf("something was written")
	}
}
