package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// teamRowOf is the Team tab's row of a person, as drawn.
func teamRowOf(b *board, id string) string {
	for _, l := range screenLines(b) {
		if f := strings.Fields(l); len(f) > 0 && f[0] == id {
			return l
		}
	}
	return ""
}

// TestTeamTab: a manager's Team tab lists each person's open cases by
// severity, breached and due soon, the most at risk first; it follows a
// change from another terminal at once; it is read-only (no case action is
// offered or done there). Other roles have no Team tab.
func TestTeamTab(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "maria"}, 120, 40)
	feed, cancel := fb.Subscribe()
	defer cancel()
	press(b, "shift+tab", "shift+tab", "shift+tab", "shift+tab")
	if !strings.Contains(tabsLine(b), "[Team]") {
		t.Fatalf("maria's tabs: %s", tabsLine(b))
	}
	// sam: 1002 1003 1006 1007 1010 1011; two breached, one due soon.
	sam := strings.Fields(teamRowOf(b, "sam"))
	want := []string{"sam", "specialist", "North", "America", "6", "1", "3", "2", "·", "✖", "2", "▲", "1"}
	if len(sam) < len(want) || strings.Join(sam[:len(want)], " ") != strings.Join(want, " ") {
		t.Errorf("sam's row %q, want it to start %q", sam, want)
	}
	var order []string
	for _, l := range screenLines(b) {
		if f := strings.Fields(l); len(f) > 1 && (f[1] == "specialist" || f[1] == "manager" || f[1] == "tam") {
			order = append(order, f[0])
		}
	}
	if strings.Join(order, " ") != "sam lee maria tina" {
		t.Errorf("rows in order %v, want sam (breached) first, then lee (2 open), then the idle", order)
	}

	// Another terminal assigns the severity 1 to lee: the tab follows.
	if _, err := fb.Do("maria", model.AssignCase{Number: 1001, To: "lee"}, testNow); err != nil {
		t.Fatal(err)
	}
	_, cmd := b.Update(feedMsg{updates: []Update{<-feed}})
	run(b, cmd)
	// lee's row: id, role, region (EMEA), open, S1, ...
	if lee := strings.Fields(teamRowOf(b, "lee")); len(lee) < 5 || lee[2] != "EMEA" || lee[3] != "3" || lee[4] != "1" {
		t.Errorf("after the assignment lee's row is %q, want 3 open, 1 S1", lee)
	}

	// Read-only: no case action is offered, and none is done.
	help := b.help.View(b.km.HelpFor(b.context(), b.offerKey))
	for _, k := range []string{"t take", "a assign", "c log call", "n note"} {
		if strings.Contains(help, k) {
			t.Errorf("the Team tab offers %q: %s", k, help)
		}
	}
	before := fb.doCount()
	press(b, "a", "t", "n")
	if fb.doCount() != before || b.form != nil {
		t.Errorf("a case key acted on the Team tab")
	}

	for _, who := range []string{"sam", "tina"} {
		ob, _ := testBoard(t, Options{Actor: who}, 120, 40)
		if strings.Contains(tabsLine(ob), "Team") || strings.Contains(tabsLine(ob), "EMEA") {
			t.Errorf("%s has a manager's tab: %s", who, tabsLine(ob))
		}
	}
}

// TestManagerRegionTabs: a North America manager has a tab per region of
// the policy, their own first: EMEA's shows only EMEA's cases.
func TestManagerRegionTabs(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	tabs := tabsLine(b)
	if na, emea := strings.Index(tabs, "North America"), strings.Index(tabs, "EMEA"); na < 0 || emea < na {
		t.Fatalf("tabs %q, want North America then EMEA", tabs)
	}
	press(b, "shift+tab")
	if !strings.Contains(tabsLine(b), "[EMEA]") {
		t.Fatalf("not on EMEA: %s", tabsLine(b))
	}
	got := map[int64]bool{}
	for _, e := range b.q.v.Items() {
		got[e.Case.Number] = true
		if e.Case.Region != model.EMEA {
			t.Errorf("%s of %s on the EMEA tab", model.CaseNumber(e.Case.Number), e.Case.Region)
		}
	}
	for _, n := range []int64{1004, 1005, 1008, 1009} {
		if !got[n] {
			t.Errorf("EMEA's %s is not on the EMEA tab", model.CaseNumber(n))
		}
	}
}

// TestAssignChooserShowsLoad: the assign form names each person with
// their load.
func TestAssignChooserShowsLoad(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 200, 40)
	press(b, "/", "00001004", "enter", "a")
	if b.form == nil {
		t.Fatalf("no assign form:\n%s", b.View())
	}
	v := b.View()
	for _, w := range []string{"sam (6 open, 1 S1, 2 breached)", "lee (2 open)"} {
		if !strings.Contains(v, w) {
			t.Errorf("the assign chooser lacks %q:\n%s", w, v)
		}
	}
}
