package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
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
