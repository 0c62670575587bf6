package main

import (
	"regexp"
	"strings"
	"testing"
)

// Issue 23 item 8, on the built binary in a 300x80 terminal: the wall's
// figures are big and its tiles fill the width; its times count minutes,
// with seconds only in the header's clock. Item 10: u switches user from
// the demo's wall.

// wallFigure is the tallest run of lines holding block figures and the
// widest stretch of blocks on one line, in columns.
func wallFigure(s string) (rows, span int) {
	run := 0
	for _, l := range strings.Split(s, "\n") {
		r := []rune(l)
		first, last := -1, -1
		for i, c := range r {
			if c == '█' {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			run = 0
			continue
		}
		run++
		rows = max(rows, run)
		span = max(span, last-first+1)
	}
	return rows, span
}

var wallSeconds = regexp.MustCompile(`\b\d+m\d+s\b|\b\d+s\b`)

func TestWallScalesInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	p := startPane(t, 300, 80, bin+" --demo --wall --now "+demoNow)
	// A 300x80 frame reaches tmux in several writes: a capture can hold
	// half of one, so the figures are waited for, with the deadline.
	// The old wall drew 5-line figures in at most 160 of 300 columns.
	s := p.waitUntil("figures 10 lines high across 200 of 300 columns", func(s string) bool {
		rows, span := wallFigure(s)
		return rows >= 10 && span >= 200 && strings.Contains(s, "caseboard wall") &&
			strings.Contains(s, "OPEN") && strings.Contains(s, "BREACHED") && strings.Contains(s, "DUE SOON")
	})
	lines := strings.Split(s, "\n")
	if !regexp.MustCompile(`\d\d:\d\d:\d\d ET`).MatchString(lines[0]) {
		t.Errorf("the header shows no clock with seconds: %q", lines[0])
	}
	minutes := regexp.MustCompile(`\b\d+(d|h|m)\b|\d+h\d\dm|\d+d\d+h`)
	found := false
	for _, l := range lines[1:] {
		if m := wallSeconds.FindString(l); m != "" {
			t.Errorf("seconds %q on the wall outside the header: %q", m, strings.TrimSpace(l))
		}
		if minutes.MatchString(l) {
			found = true
		}
	}
	if !found {
		t.Errorf("no time in minutes on the wall:\n%s", s)
	}
	// Every page: the escalations' and the team's are figures too.
	for _, page := range []string{"North America", "Escalations", "Team load"} {
		p.keys("Space")
		s = p.waitUntil(page+" page with figures 10 lines high across 100 columns", func(s string) bool {
			rows, span := wallFigure(s)
			return strings.Contains(s, "· "+page+" ·") && rows >= 10 && span >= 100
		})
		for _, l := range strings.Split(s, "\n")[1:] {
			if m := wallSeconds.FindString(l); m != "" {
				t.Errorf("%s page: seconds %q outside the header: %q", page, m, strings.TrimSpace(l))
			}
		}
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}

func TestWallSwitchUserInTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	p := startPane(t, 120, 40, bin+" --demo --wall --now "+demoNow)
	p.waitFor("caseboard wall", "u switch user")
	p.keys("u")
	p.waitFor("Who is at this terminal?")
	p.keys("Enter") // the cursor starts on the demo's manager
	s := p.waitFor("(maria) · manager")
	if strings.Contains(s, "caseboard wall") || strings.Contains(s, "Who is at this terminal?") {
		t.Errorf("not the manager's own board:\n%s", s)
	}
	p.keys("q")
	p.waitFor("EXITED 0")
}
