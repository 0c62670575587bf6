package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// What a user reads off the board's screen, for the tests that assert on
// it rather than on the board's insides.

// screenLines is the board's screen, line by line.
func screenLines(b *board) []string { return strings.Split(b.View(), "\n") }

// statusOf reads the status line (the last line ending in the queue's
// position, "3/11"): its message, whether it is an error (shown after ✖),
// the cursor's row and the queue's number of rows.
func statusOf(t testing.TB, b *board) (msg string, isErr bool, row, rows int) {
	t.Helper()
	re := regexp.MustCompile(`^(.*) (\d+)/(\d+)\+?$`) // "+": older closed cases on disk
	lines := screenLines(b)
	for i := len(lines) - 1; i >= 0; i-- {
		m := re.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		row, _ = strconv.Atoi(m[2])
		rows, _ = strconv.Atoi(m[3])
		msg = strings.TrimRight(m[1], " ")
		if rest, ok := strings.CutPrefix(msg, "✖ "); ok {
			msg, isErr = rest, true
		}
		return msg, isErr, row, rows
	}
	t.Fatalf("no status line on the screen:\n%s", b.View())
	return "", false, 0, 0
}

// statusShows reports whether the status line says want (cut with … where
// the window is too narrow for it).
func statusShows(t testing.TB, b *board, want string, isErr bool) bool {
	t.Helper()
	msg, e, _, _ := statusOf(t, b)
	if e != isErr {
		return false
	}
	if cut, ok := strings.CutSuffix(msg, "…"); ok && len(want) > len(cut) {
		return strings.HasPrefix(want, cut)
	}
	return msg == want
}

// selectedRow is the case number on the row under the cursor ("" when no
// row is selected).
func selectedRow(b *board) string {
	for _, l := range screenLines(b) {
		if i := strings.Index(l, "▸ "); i >= 0 && len(l) >= i+len("▸ ")+8 {
			n := l[i+len("▸ ") : i+len("▸ ")+8]
			if _, err := strconv.Atoi(n); err == nil {
				return n
			}
		}
	}
	return ""
}

// tabsLine is the screen's tab bar (its third line).
func tabsLine(b *board) string {
	lines := screenLines(b)
	if len(lines) < 3 {
		return ""
	}
	return lines[2]
}

// countsLine is the header's counts (the screen's second line).
func countsLine(b *board) string {
	lines := screenLines(b)
	if len(lines) < 2 {
		return ""
	}
	return lines[1]
}

// promptOf reads the `:` prompt off the status line: the line typed (the
// cursor at its end) and the completion candidates; open is false when no
// prompt shows.
func promptOf(b *board) (line string, cands []string, open bool) {
	for _, l := range screenLines(b) {
		if !strings.HasPrefix(l, ":") {
			continue
		}
		v, rest, _ := strings.Cut(strings.TrimPrefix(l, ":"), "█")
		return v, strings.Fields(rest), true
	}
	return "", nil, false
}

// outputOpen reports whether the output pane shows (its title is the
// command line after ":", or a report's title).
func outputOpen(b *board, title string) bool {
	for _, l := range screenLines(b) {
		if strings.HasPrefix(l, " "+title) {
			return true
		}
	}
	return false
}

// queueShown reports whether the body shows the queue (its column heads):
// a form, the panel or the output pane takes its place.
func queueShown(b *board) bool {
	return strings.Contains(b.View(), "  case     sv clock")
}

// formChoices reads the options of a form's chooser off the screen: the
// line of its label, each option as drawn ("[chosen]", " other ").
func formChoices(b *board, label string) []string {
	for _, l := range screenLines(b) {
		t := strings.TrimLeft(l, " ▸")
		if !strings.HasPrefix(t, label+"  ") {
			continue
		}
		t = strings.TrimPrefix(t, label+"  ")
		t = strings.NewReplacer("‹", " ", "›", " ", "[", " ", "]", " ").Replace(t)
		return strings.Fields(t)
	}
	return nil
}

// panelShown reports whether the manager's reports panel shows.
func panelShown(b *board) bool { return strings.Contains(b.View(), "Reports · initial responses") }

// pickerShown reports whether the user picker shows.
func pickerShown(b *board) bool { return strings.Contains(b.View(), "Who is at this terminal?") }
