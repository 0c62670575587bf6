package ui

import (
	"strings"
	"testing"
)

func screen(b *board) string { return b.View() }

func TestGoldenScreens(t *testing.T) {
	cases := []struct {
		name  string
		o     Options
		w, h  int
		keys  []string
		wants []string
	}{
		{"specialist_120x40", Options{Actor: "sam"}, 120, 40, nil,
			[]string{"Sam Ortiz (sam)", "[North America]", "☎ call required", "✖ BREACHED", "Index rebuild stuck"}},
		{"specialist_80x24", Options{Actor: "sam"}, 80, 24, nil,
			[]string{"[North America]", "✖ BREACHED"}},
		{"manager_120x40", Options{Actor: "maria"}, 120, 40, nil,
			[]string{"[All]", " EMEA ", " Team ", "⚑", "status", "owner", "in-progress", "wait-cust", "Time bank"}},
		{"tam_120x40", Options{Actor: "tina"}, 120, 40, nil,
			[]string{"[My accounts]", "Time bank", "TAM Enterprise", "projected exhaustion"}},
		{"escalation_accepted_120x40", Options{Actor: "maria"}, 120, 40, []string{"tab"},
			[]string{"[Escalations]", "▶ 3 Resolution", "accepted 3/4", "requested 2/4"}},
		{"escalation_requested_120x40", Options{Actor: "maria"}, 120, 40, []string{"tab", "j"},
			[]string{"[Escalations]", "Identification", "[ ] followed up with the customer", "‖ paused, resumes Mon 23 Nov"}},
		{"detail_focus_80x24", Options{Actor: "sam"}, 80, 24, []string{"j", "enter"},
			[]string{"Clocks", "account hooli", "▲ due soon: 15m to breach"}},
		{"picker_80x24", Options{Demo: true}, 80, 24, nil,
			[]string{"Who is at this terminal?", "tina", "wall"}},
		{"wall_160x45", Options{Actor: "wall"}, 160, 45, nil,
			[]string{"caseboard wall", "(title hidden)", "███"}},
		{"wall_na_160x45", Options{Actor: "wall"}, 160, 45, []string{" "},
			[]string{"North America", "✖ BREACHED", "00001002 · S2 · acme"}},
		{"wall_80x24", Options{Wall: true, Actor: "maria"}, 80, 24, nil,
			[]string{"caseboard wall", "(title hidden)"}},
		{"too_small", Options{Actor: "sam"}, 59, 30, nil, []string{"make the window at least 60x16"}},
		{"help_full_120x40", Options{Actor: "sam"}, 120, 40, []string{"?"}, []string{"page up", "severity/due order"}},
		{"specialist_200x60", Options{Actor: "sam"}, 200, 60, nil,
			[]string{"status", "owner", "account", "waiting-customer", "in-progress", "Index rebuild stuck"}},
		{"manager_200x60", Options{Actor: "maria"}, 200, 60, nil,
			[]string{"[All]", "waiting-customer", "globex", "Go-live blocked by relevance"}},
		{"manager_80x24", Options{Actor: "maria"}, 80, 24, nil,
			[]string{"[All]", "wait-cust", "owner"}},
		{"manager_emea_120x40", Options{Actor: "maria"}, 120, 40, []string{"shift+tab"},
			[]string{"[EMEA]", "00001004", "00001009"}},
		{"team_120x40", Options{Actor: "maria"}, 120, 40, []string{"shift+tab", "shift+tab", "shift+tab", "shift+tab"},
			[]string{"[Team]", "Team load", "breached", "sam", "lee"}},
		{"team_80x24", Options{Actor: "maria"}, 80, 24, []string{"shift+tab", "shift+tab", "shift+tab", "shift+tab"},
			[]string{"[Team]", "Team load", "sam"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := testBoard(t, tc.o, tc.w, tc.h)
			press(b, tc.keys...)
			got := screen(b)
			for _, w := range tc.wants {
				if !strings.Contains(got, w) {
					t.Errorf("screen lacks %q", w)
				}
			}
			if strings.Contains(got, "\x1b") {
				t.Errorf("an escape sequence reached the screen")
			}
			golden(t, tc.name, got)
		})
	}
	wallGoldens(t)
}
