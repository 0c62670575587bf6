package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"caseboard/model"
)

// TestQueueColumnsByWidth: the columns come by priority as the width
// allows. At 80 columns number, severity, clock, status and a title; the
// owner long before 200; at 100 the detail pane narrows so the title
// keeps 20 cells; at 200 the account and the status in full.
func TestQueueColumnsByWidth(t *testing.T) {
	for _, c := range []struct {
		actor                string
		w                    int
		owner, account, full bool
		minTitle             int
		statusWord, notWord  string
	}{
		{"sam", 80, true, false, false, 20, "wait-cust", "waiting-customer"},
		{"maria", 100, false, false, false, 20, "wait-cust", "waiting-customer"},
		{"maria", 120, true, false, false, 20, "wait-cust", "waiting-customer"},
		{"maria", 160, true, true, false, 20, "wait-cust", "waiting-customer"},
		{"maria", 200, true, true, true, 30, "waiting-customer", ""},
		{"sam", 200, true, true, true, 30, "waiting-customer", ""},
	} {
		b, _ := testBoard(t, Options{Actor: c.actor}, c.w, 30)
		lines := screenLines(b)
		head, _, _ := strings.Cut(lines[3], "│")
		for col, want := range map[string]bool{"status": true, "clock": true, "owner": c.owner, "account": c.account, "title": true} {
			if strings.Contains(head, " "+col) != want {
				t.Errorf("%s at %d: column %q shown %v, want %v: %q", c.actor, c.w, col, !want, want, head)
			}
		}
		i := strings.Index(head, "title")
		if title := utf8.RuneCountInString(head[i:]); i < 0 || title < c.minTitle {
			t.Errorf("%s at %d: the title has %d cells, want at least %d: %q", c.actor, c.w, title, c.minTitle, head)
		}
		screen := b.View()
		if !strings.Contains(screen, " "+c.statusWord+" ") || c.notWord != "" && strings.Contains(screen, c.notWord) {
			t.Errorf("%s at %d: status shown as %q? want %q:\n%s", c.actor, c.w, c.notWord, c.statusWord, screen)
		}
		for _, w := range []string{" assigned ", " in-progress ", " new "} {
			if !strings.Contains(screen, w) {
				t.Errorf("%s at %d: no status %q in the queue", c.actor, c.w, w)
			}
		}
	}
}

// TestQueueRowsFollowTheClock: rows kept between frames are drawn again
// when the clock moves, the selection moves or a case changes.
func TestQueueRowsFollowTheClock(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	if v := b.View(); !strings.Contains(v, "due soon 15m") {
		t.Fatalf("no 'due soon 15m' row:\n%s", v)
	}
	for i := 0; i < 60; i++ {
		b.Update(tickMsg{gen: b.tickGen})
	}
	if v := b.View(); !strings.Contains(v, "due soon 14m") {
		t.Errorf("a minute later the row still reads 15m:\n%s", v)
	}
	press(b, "j")
	if got := selectedRow(b); got != "00001006" {
		t.Errorf("after j the selection is %q, want 00001006", got)
	}
	ch, err := fb.Do("sam", model.TakeCase{Number: 1001}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(feedMsg{updates: []Update{{Change: ch}}})
	for _, l := range strings.Split(b.View(), "\n") {
		if strings.Contains(l, "00001001") && !strings.Contains(l, "assigned    sam") {
			t.Errorf("after the change the row reads %q", l)
		}
	}
}
