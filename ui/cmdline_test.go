package ui

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSplitArgs(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`case note 1042 customer sent logs`, []string{"case", "note", "1042", "customer", "sent", "logs"}},
		{`escalate 1042 --justification "Go-live  Friday"`, []string{"escalate", "1042", "--justification", "Go-live  Friday"}},
		{`case note 1 'it''s' "a \"b\"" c\ d`, []string{"case", "note", "1", "its", `a "b"`, "c d"}},
		{`  time   log  `, []string{"time", "log"}},
		{`note ""`, []string{"note", ""}},
	}
	for _, c := range cases {
		got, err := splitArgs(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`note "open`, `note 'open`} {
		if _, err := splitArgs(bad); err == nil {
			t.Errorf("splitArgs(%q) took an unterminated quote", bad)
		}
	}
}

// TestPromptCompletesAndRemembers: tab completes command names, account
// ids and case numbers; up and down walk the history; the command runs as
// the acting user at the board's clock.
func TestPromptCompletesAndRemembers(t *testing.T) {
	type call struct {
		actor string
		now   time.Time
		args  []string
	}
	var calls []call
	run := func(actor string, now time.Time, args []string, stdout, stderr io.Writer) int {
		calls = append(calls, call{actor, now, args})
		io.WriteString(stdout, "out \x1b[31mred\x1b[0m\n")
		return 0
	}
	b, _ := testBoard(t, Options{Actor: "sam", RunCommand: run}, 120, 40)
	press(b, ":", "ca", "tab")
	if v, _, _ := promptOf(b); v != "case " {
		t.Fatalf("ca<tab> = %q", v)
	}
	press(b, "no", "tab", "100", "tab")
	if v, cands, _ := promptOf(b); v != "case note 100" || len(cands) < 2 {
		t.Fatalf("after 100<tab>: %q %v", v, cands)
	}
	press(b, "2", "tab", `"sent logs"`, "enter")
	if len(calls) != 1 {
		t.Fatalf("%d runs", len(calls))
	}
	if c := calls[0]; c.actor != "sam" || !c.now.Equal(testNow) || !reflect.DeepEqual(c.args, []string{"case", "note", "1002", "sent logs"}) {
		t.Errorf("ran %+v", c)
	}
	v := b.View()
	if !strings.Contains(v, "out ^[[31mred") || strings.Contains(v, "\x1b") {
		t.Errorf("the output pane is not shown inert:\n%q", v)
	}
	// Accounts after --account.
	press(b, ":", "timebank --account ac", "tab")
	if v, _, _ := promptOf(b); v != "timebank --account acme " {
		t.Errorf("account completion: %q", v)
	}
	press(b, "enter")
	// History: up recalls the newest, then the older; down comes back.
	press(b, ":", "up")
	if v, _, _ := promptOf(b); v != "timebank --account acme" {
		t.Errorf("up: %q", v)
	}
	press(b, "up")
	if v, _, _ := promptOf(b); v != `case note 1002 "sent logs"` {
		t.Errorf("up up: %q", v)
	}
	press(b, "down", "down")
	if v, _, _ := promptOf(b); v != "" {
		t.Errorf("down down: %q", v)
	}
	press(b, "esc")
	if _, _, open := promptOf(b); open || len(calls) != 2 {
		t.Errorf("esc ran or left the prompt open (%d runs)", len(calls))
	}
	// The output pane scrolls and closes.
	if !outputOpen(b, ":timebank --account acme") {
		t.Fatal("the output pane of the last command is not shown")
	}
	press(b, "esc")
	if outputOpen(b, ":timebank --account acme") {
		t.Error("esc did not close the output pane")
	}
}

// TestPromptOffWithoutRunner: no RunCommand, no prompt.
func TestPromptOffWithoutRunner(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	press(b, ":")
	if _, _, open := promptOf(b); open {
		t.Error("the prompt opened without a runner")
	}
}
