package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// jumpTo types `#`, the number and enter.
func jumpTo(b *board, n string) {
	keys := []string{"#"}
	for _, r := range n {
		keys = append(keys, string(r))
	}
	press(b, append(keys, "enter")...)
}

// jumpShown is the status line while `#` is typed, or "".
func jumpShown(b *board) string {
	for _, l := range screenLines(b) {
		if strings.HasPrefix(l, "go to case #") {
			return l
		}
	}
	return ""
}

// detailHead is the first line of the detail pane (right of the queue).
func detailHead(b *board) string {
	for _, l := range screenLines(b)[3:] {
		if _, right, ok := strings.Cut(l, "│"); ok {
			return strings.TrimSpace(right)
		}
	}
	return ""
}

// TestJumpToOpenCase: `#` and a number select the case: in the tab on
// screen when it holds it, else in a tab that does; what is typed shows
// in the status line, backspace edits, esc cancels; it works with the
// detail open and from the alert list.
func TestJumpToOpenCase(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	press(b, "#", "1", "0", "x", "7")
	if s := jumpShown(b); !strings.Contains(s, "go to case #107█") {
		t.Fatalf("the status line does not show what is typed: %q", s)
	}
	press(b, "backspace", "0", "2")
	if s := jumpShown(b); !strings.Contains(s, "#1002█") {
		t.Fatalf("backspace did not edit: %q", s)
	}
	press(b, "enter")
	if got := selectedRow(b); got != "00001002" || !strings.Contains(tabsLine(b), "[North America]") {
		t.Fatalf("selected %q in %q, want 00001002 in North America", got, tabsLine(b))
	}
	if !statusShows(t, b, "case 00001002", false) || !strings.HasPrefix(detailHead(b), "00001002") {
		t.Errorf("status or detail wrong: %q", detailHead(b))
	}
	// 1005 is an EMEA case: not in sam's region tab, in All.
	jumpTo(b, "1005")
	if got := selectedRow(b); got != "00001005" || !strings.Contains(tabsLine(b), "[All]") {
		t.Fatalf("selected %q in %q, want 00001005 in All", got, tabsLine(b))
	}
	// esc cancels: nothing moves.
	press(b, "#", "1", "0", "0", "6", "esc")
	if got := selectedRow(b); got != "00001005" || b.context() != "queue" {
		t.Fatalf("esc went to %q (%s)", got, b.context())
	}
	// With the detail open on a narrow screen, the detail follows.
	n, _ := testBoard(t, Options{Actor: "sam"}, 80, 24)
	press(n, "enter")
	jumpTo(n, "00001010")
	if n.context() != "detail" || !strings.Contains(n.View(), "00001010  S3") {
		t.Fatalf("the open detail does not show 00001010 (%s):\n%s", n.context(), n.View())
	}
	// From the help screen.
	press(b, "?")
	jumpTo(b, "1002")
	if got := selectedRow(b); got != "00001002" || b.help.ShowAll {
		t.Fatalf("from the help screen: selected %q, help open %v", got, b.help.ShowAll)
	}
	// From the alert list.
	deliver(b, newCaseAlert(1009))
	press(b, "!")
	jumpTo(b, "1001")
	if got := selectedRow(b); got != "00001001" || b.alerts.on {
		t.Fatalf("from the alert list: selected %q, list open %v", got, b.alerts.on)
	}
}

// TestJumpToClosedCase: a closed case is found in the Closed tab and its
// detail shows, with the reopen window's clock.
func TestJumpToClosedCase(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 160, 40)
	jumpTo(b, "1012")
	if got := selectedRow(b); got != "00001012" || !strings.Contains(tabsLine(b), "[Closed]") {
		t.Fatalf("selected %q in %q, want 00001012 in Closed", got, tabsLine(b))
	}
	// Closed Sun 22 Nov 09:00Z, seen Mon 23 Nov 12:00Z: 30 days less 27 hours.
	if !statusShows(t, b, "case 00001012 (closed, reopen 28d21h left)", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	v := b.View()
	for _, want := range []string{"00001012  S1", "status closed", "reopen window", "reopen 28d21h left, until"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail lacks %q:\n%s", want, v)
		}
	}
}

// TestJumpToMissingOrHiddenCase: a case that does not exist and one the
// user may not see (a TAM's other accounts) read the same, and nothing
// moves.
func TestJumpToMissingOrHiddenCase(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "tina"}, 120, 40)
	before := selectedRow(b)
	for _, n := range []string{"9999", "1004", "1012"} { // none; globex open; globex closed
		jumpTo(b, n)
		want := "no case " + model.CaseNumber(must(model.ParseCaseNumber(n)))
		if !statusShows(t, b, want, true) {
			msg, _, _, _ := statusOf(t, b)
			t.Errorf("#%s: status %q, want the error %q", n, msg, want)
		}
		if got := selectedRow(b); got != before || !strings.Contains(tabsLine(b), "[My accounts]") {
			t.Errorf("#%s moved the board to %q in %q", n, got, tabsLine(b))
		}
	}
	jumpTo(b, "1002") // acme: hers
	if got := selectedRow(b); got != "00001002" {
		t.Errorf("#1002: selected %q", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
