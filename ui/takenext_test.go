package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// TestTakeNext: `w` takes the most urgent new case of the specialist's
// region (severity first, not age or number; another region's more urgent
// case is left alone), selects it, and once nothing is left says so on the
// status line, writes nothing and leaves `w` out of the help bar. From My
// cases the taken case is selected when it arrives there. A TAM, who never
// takes, is told so.
func TestTakeNext(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	feed, cancel := fb.Subscribe()
	defer cancel()
	sync := func() {
		t.Helper()
		for {
			select {
			case u := <-feed:
				_, cmd := b.Update(feedMsg{updates: []Update{u}})
				run(b, cmd)
			default:
				return
			}
		}
	}
	open := func(sev int, title string) int64 {
		t.Helper()
		ch, err := fb.Do("maria", model.NewCase{Account: "hooli", Severity: sev, Title: title}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		return ch.Cases[0].Number
	}
	// The severity 3 is opened first and has the lower number; the
	// severity 2 is more urgent.
	s3 := open(3, "Older minor")
	s2 := open(2, "Newer major")
	sync()
	if !strings.Contains(tabsLine(b), "[North America]") {
		t.Fatalf("sam does not start on his region: %s", tabsLine(b))
	}
	help := func() string { return b.help.View(b.km.HelpFor(b.context(), b.offerKey)) }
	if !strings.Contains(help(), "w take next") {
		t.Errorf("new cases to take, but the help bar lacks w: %s", help())
	}
	press(b, "j", "j") // the cursor elsewhere: w does not take the selected case

	for i, want := range []int64{1001, s2, s3} {
		before := fb.doCount()
		press(b, "w")
		if fb.doCount() != before+1 {
			t.Fatalf("take %d: %d actions done, want one", i, fb.doCount()-before)
		}
		sync()
		c := fb.desk.Cases[want]
		if c.Owner != "sam" || c.Status != model.StatusAssigned {
			t.Fatalf("take %d: %s is %s, owner %q; want sam's (the most urgent new case of North America)", i,
				model.CaseNumber(want), c.Status, c.Owner)
		}
		if got := selectedRow(b); got != model.CaseNumber(want) {
			t.Errorf("take %d: selected row %q, want %s", i, got, model.CaseNumber(want))
		}
		if line := selectedLine(b); !strings.Contains(line, " assigned ") || !strings.Contains(line, " sam ") {
			t.Errorf("take %d: the selected row does not say assigned to sam: %q", i, line)
		}
		if msg, isErr, _, _ := statusOf(t, b); isErr || !strings.Contains(msg, model.CaseNumber(want)) {
			t.Errorf("take %d: status %q (error %v)", i, msg, isErr)
		}
	}
	if c := fb.desk.Cases[1004]; c.Owner != "" {
		t.Errorf("globex's EMEA case 00001004 was taken by %q", c.Owner)
	}

	// Nothing left in North America (EMEA's new cases are not sam's).
	if strings.Contains(help(), "take next") {
		t.Errorf("nothing to take, but the help bar offers w: %s", help())
	}
	before := fb.doCount()
	press(b, "w")
	if fb.doCount() != before {
		t.Errorf("w with nothing to take did something")
	}
	if !statusShows(t, b, "no new case in North America to take", true) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q, want why nothing was taken", msg)
	}

	// From My cases: a new case arrives, w takes it, and it is selected
	// once the change puts it in the tab.
	n := open(4, "Fresh request")
	sync()
	press(b, "shift+tab")
	if !strings.Contains(tabsLine(b), "[My cases]") {
		t.Fatalf("not on My cases: %s", tabsLine(b))
	}
	press(b, "w")
	sync()
	if got := selectedRow(b); !strings.Contains(got, model.CaseNumber(n)) {
		t.Errorf("on My cases the taken %s is not selected: %q", model.CaseNumber(n), got)
	}

	// A TAM never takes: told so, nothing written.
	tb, tfb := testBoard(t, Options{Actor: "tina"}, 120, 40)
	press(tb, "w")
	if tfb.doCount() != 0 {
		t.Errorf("tina's w did something")
	}
	if msg, isErr, _, _ := statusOf(t, tb); !isErr || !strings.Contains(msg, "tina may not take") {
		t.Errorf("tina's w: status %q (error %v)", msg, isErr)
	}
}

// selectedLine is the queue row under the cursor, as drawn.
func selectedLine(b *board) string {
	for _, l := range screenLines(b) {
		if strings.HasPrefix(l, "▸ ") {
			left, _, _ := strings.Cut(l, "│")
			return left
		}
	}
	return ""
}
