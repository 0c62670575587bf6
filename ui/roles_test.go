package ui

import (
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// TestRoleStartViews: each role starts where it works.
func TestRoleStartViews(t *testing.T) {
	for _, tc := range []struct {
		actor, tab string
		wall       bool
	}{
		{"sam", "North America", false}, {"lee", "EMEA", false}, {"maria", "All", false},
		{"tina", "My accounts", false}, {"wall", "", true},
	} {
		b, _ := testBoard(t, Options{Actor: tc.actor}, 120, 40)
		if wall := strings.HasPrefix(b.View(), "caseboard wall"); wall != tc.wall {
			t.Errorf("%s: wall mode %v", tc.actor, wall)
		}
		if !tc.wall && !strings.Contains(tabsLine(b), "["+tc.tab+"]") {
			t.Errorf("%s starts on %q, want %q", tc.actor, tabsLine(b), tc.tab)
		}
	}
}

// TestDemoSwitchUser: in demo mode `u` opens the picker and the board
// becomes the chosen user's; without demo it refuses.
func TestDemoSwitchUser(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	press(b, "u")
	if pickerShown(b) || !strings.Contains(b.View(), "switching user needs --demo") {
		t.Fatal("u switched user without --demo")
	}
	b, _ = testBoard(t, Options{Actor: "sam", Demo: true}, 120, 40)
	press(b, "u")
	if !pickerShown(b) {
		t.Fatal("u did not open the picker")
	}
	// users by id: lee maria sam tina wall; the cursor starts on sam.
	press(b, "j", "enter")
	if !strings.Contains(b.View(), "(tina) · tam") || !strings.Contains(b.View(), "[My accounts]") || !strings.Contains(b.View(), "Time bank") {
		t.Fatalf("after choosing tina:\n%s", b.View())
	}
}

// TestWallReadOnlyAndRotates: the wall has no cursor, ignores action
// keys, and turns its page every Rotate of board time.
func TestWallReadOnlyAndRotates(t *testing.T) {
	b, _ := testBoard(t, Options{Wall: true, Actor: "maria", Rotate: 3 * time.Second, tickEvery: time.Hour}, 160, 45)
	v := b.View()
	if strings.Contains(v, "▸") {
		t.Error("the wall shows a cursor")
	}
	press(b, "t", "u", "/", "enter")
	if b.View() != v {
		t.Error("a key changed the wall")
	}
	titles := []string{}
	for i := 0; i < 12; i++ {
		b.Update(tickMsg{gen: b.tickGen})
		line := strings.SplitN(b.View(), "\n", 2)[0]
		for _, p := range []string{"EMEA", "North America", "Escalations", "Team load"} {
			if strings.Contains(line, "· "+p+" ·") && (len(titles) == 0 || titles[len(titles)-1] != p) {
				titles = append(titles, p)
			}
		}
	}
	want := "EMEA North America Escalations Team load EMEA"
	if got := strings.Join(titles, " "); !strings.HasPrefix(got, want) {
		t.Errorf("pages %q, want %q", got, want)
	}
}

// TestWallTitlesOption: with Titles the wall shows case titles.
func TestWallTitlesOption(t *testing.T) {
	b, _ := testBoard(t, Options{Wall: true, Titles: true, Actor: "maria"}, 160, 45)
	if v := b.View(); !strings.Contains(v, "Export truncated") || strings.Contains(v, "(title hidden)") {
		t.Errorf("titles not shown:\n%s", v)
	}
}

// TestTAMNewCaseAlert: a case opened on a TAM's account after they looked
// shows in the time-bank pane.
func TestTAMNewCaseAlert(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "tina"}, 120, 40)
	c := model.Case{Number: 1030, Account: "umbrella", Severity: 3, Title: "New one", Status: model.StatusNew,
		Plan: model.Plus, Region: model.EMEA, OpenedAt: testNow}
	b.Update(feedMsg{updates: []Update{{Change: &model.Change{Cases: []model.Case{c}}}}})
	if v := b.View(); !strings.Contains(v, "★ 1 new case(s) since you last looked: 00001030") {
		t.Errorf("no alert:\n%s", v)
	}
}

// TestAutoCloseRefusedOnce: a refused auto-close is not retried every
// second; it ends in the status bar.
func TestAutoCloseRefusedOnce(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria", Start: at("2026-11-24T12:00:00Z"), tickEvery: time.Hour}, 120, 40)
	_, cmd := b.Update(tickMsg{gen: b.tickGen})
	if busy, _ := b.sh.closeState(1008); !busy || cmd == nil {
		t.Fatal("the due auto-close was not issued")
	}
	b.Update(autoClosedMsg{number: 1008, err: &model.Refusal{Msg: "cannot auto-close 00001008: test"}})
	b.Update(tickMsg{gen: b.tickGen})
	if busy, ok := b.sh.closeState(1008); !ok || busy {
		t.Error("a refused auto-close was issued again")
	}
	if !strings.Contains(b.View(), "✖ auto-close 00001008: cannot auto-close 00001008: test") {
		t.Errorf("the refusal is not in the status bar:\n%s", b.View())
	}
}
