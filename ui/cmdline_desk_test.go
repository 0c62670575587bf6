package ui

import (
	"io"
	"reflect"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// TestPromptQuit: `:q` (and `:quit`) quit the board, as in vi, and run no
// command.
func TestPromptQuit(t *testing.T) {
	for _, line := range []string{"q", "quit", " q "} {
		ran := 0
		run := func(string, time.Time, []string, io.Writer, io.Writer) int { ran++; return 0 }
		b, _ := testBoard(t, Options{Actor: "sam", RunCommand: run}, 120, 40)
		press(b, ":", line)
		_, cmd := b.Update(keyOf("enter"))
		if cmd == nil {
			t.Fatalf(":%s: no command", line)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok || ran != 0 {
			t.Errorf(":%s: did not quit (ran %d commands)", line, ran)
		}
	}
}

// TestPromptCompletesCaseNumbersInOrder: candidates are listed by number
// (1043 before 10420), not as text.
func TestPromptCompletesCaseNumbersInOrder(t *testing.T) {
	run := func(string, time.Time, []string, io.Writer, io.Writer) int { return 0 }
	b, _ := testBoard(t, Options{Actor: "sam", RunCommand: run}, 120, 40)
	for _, n := range []int64{10420, 1043, 104} {
		c := *b.desk.Cases[1002]
		c.Number = n
		b.desk.Cases[n] = &c
	}
	press(b, ":", "case show 104", "tab")
	if v, cands, _ := promptOf(b); v != "case show 104" || !reflect.DeepEqual(cands, []string{"104", "1043", "10420"}) {
		t.Errorf("candidates %q (line %q), want 104 1043 10420", cands, v)
	}
	if _, ok := b.desk.Case(1043); !ok {
		t.Fatal(model.CaseNumber(1043) + " is not on the desk")
	}
}
